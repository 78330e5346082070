/**
 * The experiment document (`"format": "lowrank-lab/experiment"`), shared by the app, the CLI and the tests.
 * One zod schema validates every way a document arrives (file, URL, form); what it accepts, the rest of
 * the code trusts. Field names are fixed by the project (see README "Experiment documents"); new fields
 * may be added, old ones are never renamed.
 *
 * Matrices are `{ "shape": [...], "data": [row-major numbers] }`. U stacks the J copies as [J, n, r];
 * V stacks V₁ … V_J in node order as [m, r] (classical DGD: one full copy per node, [J, m, r]).
 */
import * as z from 'zod';
import { fromArray } from './linalg';
import { checkHmf } from './hmf-check';
import { checkMixing, isConnected } from './network';
import { SweepSchema } from './sweep-schema';

/** "1000000000 is above the maximum 65536" (zod's own .max message would be replaced by the type's error). */
const aboveMax = (max: number) => ({ error: (iss: { input?: unknown }) => `${String(iss.input)} is above the maximum ${max}` });

/**
 * An integer field from min to max (default: the largest integer a double holds exactly). The bounds come
 * before the integer check, so 1e300 is reported as above the maximum, not as "not an integer".
 */
const int = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.number({ error: `${what} must be a number` }).min(min, `${what} must be at least ${min}`).max(max, aboveMax(max)).int(`${what} must be an integer`);

const finite = z.number({ error: (iss) => (typeof iss.input === 'number' ? `is ${iss.input}; must be finite` : 'must be a number') });

export const TensorSchema = z
  .strictObject({
    shape: z.array(int('every dimension', 0)).min(1, 'shape must list at least one dimension'),
    // zod's number type already refuses ±Infinity (JSON's 1e999): name the entry and the value.
    data: z.array(z.number({ error: (iss) => (typeof iss.input === 'number' ? `is ${iss.input}; every entry must be finite` : 'must be a number') })),
  })
  .superRefine((t, ctx) => {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: `has ${t.data.length} numbers but shape [${t.shape.join(', ')}] needs ${size}` });
    }
  });
export type Tensor = z.infer<typeof TensorSchema>;

const GenerateFactorization = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  n: int('n', 1, 1 << 16),
  m: int('m', 1, 1 << 20),
  /** rank r* of the planted model U⋆V⋆ᵀ; defaults to problem.rank */
  trueRank: int('trueRank', 1).optional(),
  noise: finite.pipe(z.number().nonnegative('noise must be ≥ 0')).default(0),
});

const GenerateLeastSquares = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  d: int('d', 1, 1 << 16),
  /** rows of each Aⱼ */
  rows: int('rows', 1, 1 << 16),
});

/** the balancing weight λ of (λ/4)‖UᵀU − VᵀV‖²_F, node-local (SPEC §5.2, §5.4); 0 or absent: off */
const lambdaField = finite.pipe(z.number().min(0, 'lambda must be ≥ 0 (the balancing weight; 0 turns it off)'));

export const FactorizationSchema = z.strictObject({
  kind: z.literal('factorization'),
  rank: int('rank', 1),
  lambda: lambdaField.optional(),
  Y: TensorSchema.optional(),
  generate: GenerateFactorization.optional(),
  /** column counts m₁ … m_J; default: as equal as possible over the network's J nodes */
  partition: z.array(int('every block size', 1)).min(1).optional(),
});

const unitOpen = (what: string, lo: '[' | '(') => finite.pipe(lo === '('
  ? z.number().gt(0, `${what} must be in (0, 1]`).max(1, `${what} must be in (0, 1]`)
  : z.number().min(0, `${what} must be in [0, 1)`).lt(1, `${what} must be in [0, 1)`));

/** The planted X⋆ = U⋆V⋆ᵀ of sensing and robust PCA (same seed, same X⋆ as the factorization's Y). */
const PlantedMeasured = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  n: int('n', 1, 1 << 14),
  m: int('m', 1, 1 << 14),
  trueRank: int('trueRank', 1).optional(),
});

/** Matrix sensing (SPEC §5): X⋆ planted as in the factorization, Gaussian 𝒜ⱼ per node, b = 𝒜(X⋆) (+ noise). */
export const SensingSchema = z.strictObject({
  kind: z.literal('sensing'),
  rank: int('rank', 1),
  lambda: lambdaField.optional(),
  generate: PlantedMeasured.extend({
    /** measurements per node (all of them, split over the nodes, when `split`) */
    measurements: z.number({ error: 'measurements must be a number' }).min(1, 'measurements must be at least 1 per node').max(1e7, aboveMax(1e7)).int('measurements must be an integer'),
    split: z.boolean().optional(),
    /** 𝒜/√p ([G]'s scaling; changes the relative weight of λ by p, SPEC §5.5) */
    normalize: z.boolean().optional(),
    /** std of Gaussian noise added to b */
    noise: finite.pipe(z.number().nonnegative('noise must be ≥ 0')).optional(),
  }),
  partition: z.array(int('every block size', 1)).min(1).optional(),
});

/** Matrix completion (SPEC §6.1): a planted or given M, observed on a Bernoulli(pObs) mask or a given one. */
export const CompletionSchema = z.strictObject({
  kind: z.literal('completion'),
  rank: int('rank', 1),
  lambda: lambdaField.optional(),
  /** sampling probability p (the 1/(2p) weight); with an explicit mask it defaults to the observed fraction */
  pObs: unitOpen('pObs', '(').optional(),
  generate: GenerateFactorization.optional(),
  M: TensorSchema.optional(),
  /** Ω as 0/1 entries, [n, m] */
  mask: TensorSchema.optional(),
  /** seed of the Bernoulli mask (default: the problem seed, or 0) */
  maskSeed: int('maskSeed', 0, Number.MAX_SAFE_INTEGER).optional(),
  /** the incoherence term Q of (6.2), as multipliers of SPEC §6.1's α and λ defaults */
  incoherence: z.strictObject({
    alpha: finite.pipe(z.number().positive('alpha must be > 0')).default(1),
    weight: finite.pipe(z.number().nonnegative('weight must be ≥ 0')).default(1),
  }).optional(),
  partition: z.array(int('every block size', 1)).min(1).optional(),
});

/** Robust PCA (SPEC §6.2): Mₒ = M⋆ + S⋆, planted or given; S estimated by the row/column top-k projection. */
export const RpcaSchema = z.strictObject({
  kind: z.literal('rpca'),
  rank: int('rank', 1),
  lambda: lambdaField.optional(),
  generate: PlantedMeasured.extend({
    /** α: fraction of corrupted entries per row and column */
    corruption: unitOpen('corruption', '['),
    values: z.enum(['sign', 'uniform']).default('sign'),
  }).optional(),
  M: TensorSchema.optional(),
  /** the density α the projection assumes (default: generate.corruption) */
  alpha: unitOpen('alpha', '[').optional(),
  /** slack γ ≥ 1 on the density: budgets ⌈γα·cols⌉ per row, ⌈γα·rows⌉ per column */
  gamma: finite.pipe(z.number().min(1, 'gamma must be ≥ 1')).default(2),
  /** entry bound b of the sparse set (default 2νrσ₁/√(nm) from the data, SPEC §6.2) */
  bound: finite.pipe(z.number().positive('bound must be > 0')).optional(),
  partition: z.array(int('every block size', 1)).min(1).optional(),
});

export const MEASURED_KINDS = ['sensing', 'completion', 'rpca'] as const;

export const LeastSquaresSchema = z.strictObject({
  kind: z.literal('least-squares'),
  /** [J, rows, d] */
  A: TensorSchema.optional(),
  /** [J, rows] */
  b: TensorSchema.optional(),
  generate: GenerateLeastSquares.optional(),
});

const GenerateHmf = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  /** number of sources */
  N: int('N', 1, 4096),
  n1: int('n1', 1, 1 << 14),
  n2: int('n2', 1, 1 << 14),
  noise: finite.pipe(z.number().nonnegative('noise must be ≥ 0')).default(0),
  /** fraction of each Mᵢ's entries removed uniformly at random (SPEC §7.8) */
  missing: finite.pipe(z.number().min(0, 'missing must be in [0, 1)').lt(1, 'missing must be in [0, 1)')).default(0),
  /** "orthogonal": the authors' code (columns of a random orthogonal Q); "gaussian": the paper's (SPEC §7.7) */
  factors: z.enum(['orthogonal', 'gaussian']).default('orthogonal'),
});

const HmfSourceSchema = z.strictObject({
  /** Mᵢ, [n₁, n₂,ᵢ] */
  M: TensorSchema,
  /** 1 = observed, 0 = missing, same shape as M */
  mask: TensorSchema.optional(),
  /** the true shared and unique parts, when known (for the errors (7.6)) */
  shared: TensorSchema.optional(),
  unique: TensorSchema.optional(),
});

/** The video demo of SPEC §7.9: a procedural clip, or the user's frames `data` [F, H, W] in [0, 1]. */
const HmfVideo = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).default(0),
  frames: int('frames', 2, 240).default(48),
  height: int('height', 7, 2048).default(112),
  width: int('width', 7, 2048).default(154),
  blobs: int('blobs', 1, 8).default(3),
  missing: finite.pipe(z.number().min(0, 'missing must be in [0, 1)').lt(1, 'missing must be in [0, 1)')).default(0.4),
  data: TensorSchema.optional(),
});

/** Heterogeneous matrix factorization (SPEC §7): N sources sharing U_g, each with its own U_{i,l}. */
export const HmfSchema = z.strictObject({
  kind: z.literal('hmf'),
  /** r₁, the rank of the shared factor U_g */
  sharedRank: int('sharedRank', 1, 256),
  /** r₂, the rank of every unique factor U_{i,l} */
  uniqueRank: int('uniqueRank', 1, 256),
  generate: GenerateHmf.optional(),
  sources: z.array(HmfSourceSchema).min(1, 'sources must list at least one source').optional(),
  video: HmfVideo.optional(),
});
export type HmfProblemConfig = z.infer<typeof HmfSchema>;

export const TOPOLOGIES = ['ring', 'path', 'star', 'complete', 'grid', 'torus', 'erdos-renyi', 'random-threshold', 'adjacency'] as const;
export const WEIGHT_RULES = ['metropolis', 'max-degree', 'laplacian', 'threshold'] as const;

export const NetworkSchema = z.strictObject({
  /** an explicit mixing matrix W̃ (symmetric, nonnegative, rows summing to 1, connected) */
  W: TensorSchema.optional(),
  topology: z.enum(TOPOLOGIES).optional(),
  J: int('J', 1, 1 << 14).optional(),
  rows: int('rows', 1).optional(),
  cols: int('cols', 1).optional(),
  /** Erdős–Rényi edge probability */
  p: finite.pipe(z.number().gt(0, 'p must be in (0, 1]').max(1, 'p must be in (0, 1]')).optional(),
  /** random-threshold cut-off τ (SPEC §2) */
  tau: finite.pipe(z.number().min(0, 'tau must be in [0, 1)').lt(1, 'tau must be in [0, 1)')).optional(),
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).optional(),
  adjacency: TensorSchema.optional(),
  weights: z.enum(WEIGHT_RULES).default('metropolis'),
  /** apply W̃ ← (W̃ + I)/2 (SPEC §2) */
  lazy: z.boolean().default(true),
  epsilon: finite.pipe(z.number().positive('epsilon must be > 0')).optional(),
  omegaT: finite.pipe(z.number().positive('omegaT must be > 0').lt(0.5, 'omegaT must be below 1/2')).optional(),
});

/**
 * Perturbed gradient descent (Jin et al. 2017): before a step, when ‖∇g‖ ≤ threshold and at least `wait`
 * iterations have passed since the last kick, add a point drawn uniformly from the ball of this radius.
 */
export const PerturbSchema = z.strictObject({
  radius: finite.pipe(z.number().positive('radius must be > 0')),
  threshold: finite.pipe(z.number().positive('threshold must be > 0')),
  wait: int('wait', 1).default(50),
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).default(0),
});

/** Start at a partial-SVD critical point of f (S = `set`, 1-based; [] is the origin) plus a perturbation of norm δ (SPEC §4.2 C-d). */
export const SaddleSchema = z.strictObject({
  set: z.array(int('every index of set', 1)),
  delta: finite.pipe(z.number().nonnegative('delta must be ≥ 0')),
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).optional(),
  /** one perturbation of U shared by every node copy, so the start stays on the consensus subspace */
  consensus: z.boolean().optional(),
});

export const ALGORITHMS = ['dgd-local', 'dgd', 'gd', 'hmf'] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];

/** μ = c·(1 − 2ω)/L̂ with L̂ = 6σ₁(Y) (factorization) or maxⱼ‖Aⱼ‖₂² (least squares), SPEC §3.4 / R3 / R4. */
export const StepRuleSchema = z.strictObject({
  rule: z.literal('practical'),
  c: finite.pipe(z.number().positive('c must be > 0')),
});

export const AlgorithmSchema = z.strictObject({
  name: z.enum(ALGORITHMS),
  stepsize: z.union([finite.pipe(z.number().positive('must be > 0')), StepRuleSchema]),
  iterations: int('iterations', 0, 1e9),
  /** record metrics at iteration 0, every recordEvery, and at the last iteration */
  recordEvery: int('recordEvery', 1).optional(),
  /** record λ_min of the Hessian of the descended objective (trace `curvature`) at records whose iteration is a multiple of this, and at the end; adds a verdict to the result */
  curvatureEvery: int('curvatureEvery', 1).optional(),
  /** perturbed gradient descent (Jin et al. 2017), see PerturbSchema */
  perturb: PerturbSchema.optional(),
  /** HMF: weight β of the orthonormality regulariser (7.2); default 0.1 */
  beta: finite.pipe(z.number().nonnegative('beta must be ≥ 0')).optional(),
  /** HMF: apply the correction step (7.5) each round; false is the ablation R18; default true */
  correction: z.boolean().optional(),
});

export const InitSchema = z.strictObject({
  U: TensorSchema.optional(),
  V: TensorSchema.optional(),
  x: TensorSchema.optional(),
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).optional(),
  /** entries are scale·N(0, 1); 0 starts at zero */
  scale: finite.pipe(z.number().nonnegative('scale must be ≥ 0')).optional(),
  saddle: SaddleSchema.optional(),
});

export const ExperimentSchema = z.strictObject({
  format: z.literal('lowrank-lab/experiment', { error: 'format must be "lowrank-lab/experiment"' }),
  version: z.literal(1, { error: 'version must be 1 (the only version this build reads)' }),
  title: z.string().optional(),
  description: z.string().optional(),
  /** where real data in the document comes from: dataset, publisher, package and version */
  source: z.string().optional(),
  /** the licence the data is used under */
  licence: z.string().optional(),
  problem: z.discriminatedUnion('kind', [FactorizationSchema, LeastSquaresSchema, SensingSchema, CompletionSchema, RpcaSchema, HmfSchema]),
  network: NetworkSchema.optional(),
  algorithm: AlgorithmSchema,
  init: InitSchema.default({ seed: 0, scale: 0.1 }),
  /** how the app shows the data: `image` draws Y and the reconstruction ŪVᵀ as grayscale pictures */
  display: z.strictObject({ image: z.boolean().optional() }).optional(),
  /** a grid of runs over one or two parameters (src/core/sweep-schema.ts); a plain run ignores it */
  sweep: SweepSchema.optional(),
  // the cross-checks read sizes and entries (an explicit W's data as a J×J matrix): only on a document
  // whose every field already passed, so a malformed tensor is reported by its own check
}).superRefine(crossCheck, { when: (payload) => payload.issues.length === 0 });

export type Experiment = z.infer<typeof ExperimentSchema>;
export type ExperimentInput = z.input<typeof ExperimentSchema>;
export type NetworkConfig = z.infer<typeof NetworkSchema>;

interface Ctx {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/**
 * Checks that relate fields to each other: sizes against sizes, the network's J against the partition,
 * an explicit W against the assumptions (2.1), initial iterates against the algorithm's layout.
 * Runs inside the schema, so every entry point (CLI, URL, import) reports the same message.
 */
function crossCheck(e: {
  problem: z.infer<typeof FactorizationSchema> | z.infer<typeof LeastSquaresSchema> | z.infer<typeof SensingSchema>
    | z.infer<typeof CompletionSchema> | z.infer<typeof RpcaSchema> | HmfProblemConfig;
  network?: z.infer<typeof NetworkSchema>;
  algorithm: z.infer<typeof AlgorithmSchema>;
  init: z.infer<typeof InitSchema>;
}, ctx: Ctx): void {
  const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const shapeText = (s: number[]) => `[${s.join(', ')}]`;
  const alg = e.algorithm.name;
  const net = e.network;
  if (e.problem.kind === 'hmf' || alg === 'hmf') return checkHmf(e, fail);
  if (e.algorithm.beta !== undefined || e.algorithm.correction !== undefined) {
    return fail(['algorithm', e.algorithm.beta !== undefined ? 'beta' : 'correction'], `is an HMF option; algorithm "${alg}" does not use it`);
  }

  // --- network: how many nodes, and is an explicit W admissible?
  let J: number | undefined;
  if (net) {
    const given = [net.W && 'W', net.topology && 'topology'].filter(Boolean);
    if (given.length !== 1) return fail(['network'], 'give exactly one of "W" (a mixing matrix) or "topology"');
    if (net.W) {
      const [a, b] = net.W.shape;
      if (net.W.shape.length !== 2 || a !== b) return fail(['network', 'W', 'shape'], `must be [J, J], got ${shapeText(net.W.shape)}`);
      const check = checkMixing(fromArray(a, a, net.W.data));
      if (check.problems.length) return fail(['network', 'W'], check.problems[0]);
      J = a;
    } else if (net.topology === 'adjacency') {
      if (!net.adjacency) return fail(['network', 'adjacency'], 'topology "adjacency" needs an adjacency matrix');
      const [a, b] = net.adjacency.shape;
      if (net.adjacency.shape.length !== 2 || a !== b) return fail(['network', 'adjacency', 'shape'], `must be [J, J], got ${shapeText(net.adjacency.shape)}`);
      if (net.J !== undefined && net.J !== a) return fail(['network', 'J'], `is ${net.J} but the adjacency matrix is ${a}×${a}`);
      if (!isConnected(fromArray(a, a, net.adjacency.data))) return fail(['network', 'adjacency'], 'the graph is disconnected; DGD+LOCAL needs a connected network');
      J = a;
    } else {
      if (net.J === undefined) return fail(['network', 'J'], `topology "${net.topology}" needs the number of nodes J`);
      J = net.J;
      if ((net.topology === 'grid' || net.topology === 'torus')) {
        if (net.rows === undefined || net.cols === undefined) return fail(['network', 'rows'], `topology "${net.topology}" needs rows and cols`);
        if (net.rows * net.cols !== J) return fail(['network', 'J'], `is ${J} but rows × cols = ${net.rows * net.cols}`);
      }
      if (net.topology === 'erdos-renyi' && net.p === undefined) return fail(['network', 'p'], 'topology "erdos-renyi" needs the edge probability p');
    }
    if (net.weights === 'threshold' && net.topology !== 'random-threshold') {
      return fail(['network', 'weights'], 'weights "threshold" need topology "random-threshold"');
    }
  } else if (alg !== 'gd') {
    return fail(['network'], `algorithm "${alg}" is distributed and needs a network`);
  }

  // --- problem sizes
  const p = e.problem;
  if (p.kind !== 'least-squares') {
    if (p.kind !== 'factorization' && alg === 'dgd') {
      return fail(['algorithm', 'name'], `classical DGD runs factorization and least squares; run "${p.kind}" with "dgd-local" or "gd"`);
    }
    const dataKey = p.kind === 'factorization' ? 'Y' : p.kind === 'sensing' ? null : 'M';
    const data = p.kind === 'factorization' ? p.Y : p.kind === 'sensing' ? undefined : p.M;
    if (dataKey && !!data === !!p.generate) return fail(['problem'], `give exactly one of "${dataKey}" (data) or "generate" (a planted model)`);
    let n: number, m: number;
    if (data) {
      if (data.shape.length !== 2) return fail(['problem', dataKey!, 'shape'], `must be [n, m], got ${shapeText(data.shape)}`);
      [n, m] = data.shape;
      if (n < 1 || m < 1) return fail(['problem', dataKey!, 'shape'], `needs n, m ≥ 1, got ${shapeText(data.shape)}`);
    } else {
      ({ n, m } = p.generate!);
      const tr = p.generate!.trueRank;
      if (tr !== undefined && tr > Math.min(n, m)) return fail(['problem', 'generate', 'trueRank'], `is ${tr} but must be at most min(n, m) = ${Math.min(n, m)}`);
    }
    if (p.kind === 'completion') {
      if (p.mask) {
        if (!p.M) return fail(['problem', 'mask'], 'a mask goes with given data "M"; a planted problem draws its mask from pObs');
        if (p.mask.shape.length !== 2 || p.mask.shape[0] !== n || p.mask.shape[1] !== m) return fail(['problem', 'mask', 'shape'], `must be [${n}, ${m}] like M, got ${shapeText(p.mask.shape)}`);
        const bad = p.mask.data.findIndex((v) => v !== 0 && v !== 1);
        if (bad >= 0) return fail(['problem', 'mask', 'data', bad], `is ${p.mask.data[bad]}; mask entries must be 0 (missing) or 1 (observed)`);
        if (!p.mask.data.some((v) => v === 1)) return fail(['problem', 'mask'], 'observes no entry at all');
      } else if (p.pObs === undefined) {
        return fail(['problem', 'pObs'], 'give the sampling probability pObs in (0, 1] (or an explicit mask)');
      }
    }
    if (p.kind === 'rpca' && p.M && p.alpha === undefined) return fail(['problem', 'alpha'], 'given data needs the corruption density alpha the projection assumes, in [0, 1)');
    if (p.kind === 'sensing' && p.generate.split && J !== undefined && alg !== 'gd' && p.generate.measurements < J) {
      return fail(['problem', 'generate', 'measurements'], `${p.generate.measurements} measurements split over J = ${J} nodes leave some node with none (p < 1 per node)`);
    }
    if (p.rank > Math.min(n, m)) return fail(['problem', 'rank'], `is ${p.rank} but must be at most min(n, m) = ${Math.min(n, m)}`);
    if (alg !== 'gd' && J !== undefined) {
      if (p.partition) {
        const sum = p.partition.reduce((a, b) => a + b, 0);
        if (sum !== m) return fail(['problem', 'partition'], `sums to ${sum} but Y has m = ${m} columns`);
        if (p.partition.length !== J) return fail(['problem', 'partition'], `has ${p.partition.length} blocks but the network has J = ${J} nodes`);
      } else if (m < J) {
        return fail(['problem'], `Y has m = ${m} columns, fewer than the J = ${J} nodes (each node needs at least one)`);
      }
    }
    // --- initial iterate layout
    const i = e.init;
    if (i.U || i.V) {
      if (!i.U || !i.V) return fail(['init', i.U ? 'V' : 'U'], 'an explicit start needs both U and V');
      const r = p.rank;
      const Jn = J ?? 1;
      const wantU = alg === 'gd' ? [[n, r], [1, n, r]] : [[Jn, n, r]];
      const wantV = alg === 'dgd' ? [[Jn, m, r]] : [[m, r]];
      const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, k) => v === b[k]);
      if (!wantU.some((s) => same(s, i.U!.shape))) return fail(['init', 'U', 'shape'], `must be ${wantU.map(shapeText).join(' or ')} for "${alg}", got ${shapeText(i.U.shape)}`);
      if (!wantV.some((s) => same(s, i.V!.shape))) return fail(['init', 'V', 'shape'], `must be ${wantV.map(shapeText).join(' or ')} for "${alg}", got ${shapeText(i.V.shape)}`);
    }
    if (i.x) return fail(['init', 'x'], 'is for least-squares problems; a factorization starts from U and V');
    if (i.saddle) {
      const sd = i.saddle;
      if (p.kind !== 'factorization') return fail(['init', 'saddle'], `is for factorization problems (partial-SVD critical points of ‖UVᵀ − Y‖²), not ${p.kind}`);
      if (i.U || i.V) return fail(['init', 'saddle'], 'give either an explicit U and V or a saddle, not both');
      const r = p.rank, kmax = Math.min(n, m);
      if (sd.set.length !== 0 && sd.set.length !== r) return fail(['init', 'saddle', 'set'], `has ${sd.set.length} indices but the rank is ${r} (give ${r} singular-value indices, or [] for the origin)`);
      const bad = sd.set.find((k) => k > kmax);
      if (bad !== undefined) return fail(['init', 'saddle', 'set'], `index ${bad} is out of range; Y has min(n, m) = ${kmax} singular values (indices are 1-based)`);
      if (new Set(sd.set).size !== sd.set.length) return fail(['init', 'saddle', 'set'], 'lists an index twice');
    }
  } else {
    if (alg === 'dgd-local') return fail(['algorithm', 'name'], 'DGD+LOCAL needs private variables; a least-squares problem has none, use "dgd" or "gd"');
    const explicit = !!(p.A || p.b);
    if (explicit === !!p.generate) return fail(['problem'], 'give exactly one of "A" and "b" (data) or "generate"');
    let Jp: number, d: number;
    if (explicit) {
      if (!p.A || !p.b) return fail(['problem', p.A ? 'b' : 'A'], 'explicit least squares needs both A and b');
      if (p.A.shape.length !== 3) return fail(['problem', 'A', 'shape'], `must be [J, rows, d], got ${shapeText(p.A.shape)}`);
      const [Ja, rows, dd] = p.A.shape;
      if (p.b.shape.length !== 2 || p.b.shape[0] !== Ja || p.b.shape[1] !== rows) return fail(['problem', 'b', 'shape'], `must be [${Ja}, ${rows}] to match A, got ${shapeText(p.b.shape)}`);
      if (Ja < 1 || rows < 1 || dd < 1) return fail(['problem', 'A', 'shape'], `needs every size ≥ 1, got ${shapeText(p.A.shape)}`);
      Jp = Ja;
      d = dd;
    } else {
      Jp = J ?? 1;
      d = p.generate!.d;
    }
    if (J !== undefined && explicit && Jp !== J) return fail(['problem', 'A', 'shape'], `holds ${Jp} nodes but the network has J = ${J}`);
    const i = e.init;
    if (i.U || i.V) return fail(['init', i.U ? 'U' : 'V'], 'is for factorization problems; least squares starts from x');
    if (i.saddle) return fail(['init', 'saddle'], 'is for factorization problems (partial-SVD critical points of f)');
    if (i.x) {
      const want = alg === 'gd' ? [[d], [1, d]] : [[Jp, d]];
      const ok = want.some((s) => s.length === i.x!.shape.length && s.every((v, k) => v === i.x!.shape[k]));
      if (!ok) return fail(['init', 'x', 'shape'], `must be ${want.map(shapeText).join(' or ')} for "${alg}", got ${shapeText(i.x.shape)}`);
    }
  }
}

/** A user error in a document: `path` names the field, `message` what is wrong with it. */
export class DocumentError extends Error {
  constructor(readonly path: string, readonly detail: string) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'DocumentError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** The first issue zod found, as one sentence naming the field. */
export function firstIssue(err: z.ZodError): DocumentError {
  const issue = err.issues[0];
  if (issue.code === 'invalid_union' && 'errors' in issue && issue.errors.length) {
    // Every branch failed on its type: say which types would do.
    const expected = issue.errors.flat().map((e) => ('expected' in e ? String(e.expected) : '')).filter(Boolean);
    if (expected.length) return new DocumentError(pathText(issue.path), `expected ${[...new Set(expected)].join(' or ')}`);
  }
  return new DocumentError(pathText(issue.path), issue.message);
}

/** Validate the document's form (types, ranges, shapes). Cross-field checks happen in `buildInstance`. */
export function parseExperiment(input: unknown): Experiment {
  const r = ExperimentSchema.safeParse(input);
  if (!r.success) throw firstIssue(r.error);
  return r.data;
}
