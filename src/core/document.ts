/**
 * The leaf of the experiment document (`"format": "lowrank-lab/experiment"`): the schema pieces every
 * problem kind shares (numbers, tensors, the network, the algorithm, the start) and the document errors.
 * It imports nothing of the lab but zod, so the problem kinds (src/core/problems) can build on it and the
 * experiment schema (experiment.ts) on them without an import cycle.
 *
 * Matrices are `{ "shape": [...], "data": [row-major numbers] }`. U stacks the J copies as [J, n, r];
 * V stacks V₁ … V_J in node order as [m, r] (classical DGD: one full copy per node, [J, m, r]).
 */
import * as z from 'zod';

/** "1000000000 is above the maximum 65536" (zod's own .max message would be replaced by the type's error). */
export const aboveMax = (max: number) => ({ error: (iss: { input?: unknown }) => `${String(iss.input)} is above the maximum ${max}` });

/**
 * An integer field from min to max (default: the largest integer a double holds exactly). The bounds come
 * before the integer check, so 1e300 is reported as above the maximum, not as "not an integer".
 */
export const int = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.number({ error: `${what} must be a number` }).min(min, `${what} must be at least ${min}`).max(max, aboveMax(max)).int(`${what} must be an integer`);

export const finite = z.number({ error: (iss) => (typeof iss.input === 'number' ? `is ${iss.input}; must be finite` : 'must be a number') });

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


/** A planted Y = U⋆V⋆ᵀ (+ noise): the factorization's and completion's `generate`. */
export const GenerateFactorization = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  n: int('n', 1, 1 << 16),
  m: int('m', 1, 1 << 20),
  /** rank r* of the planted model U⋆V⋆ᵀ; defaults to problem.rank */
  trueRank: int('trueRank', 1).optional(),
  noise: finite.pipe(z.number().nonnegative('noise must be ≥ 0')).default(0),
});

/** the balancing weight λ of (λ/4)‖UᵀU − VᵀV‖²_F, node-local (SPEC §5.2, §5.4); 0 or absent: off */
export const lambdaField = finite.pipe(z.number().min(0, 'lambda must be ≥ 0 (the balancing weight; 0 turns it off)'));

/** A number in (0, 1] (lo "(") or [0, 1) (lo "["), named in the message. */
export const unitOpen = (what: string, lo: '[' | '(') => finite.pipe(lo === '('
  ? z.number().gt(0, `${what} must be in (0, 1]`).max(1, `${what} must be in (0, 1]`)
  : z.number().min(0, `${what} must be in [0, 1)`).lt(1, `${what} must be in [0, 1)`));

/** The planted X⋆ = U⋆V⋆ᵀ of sensing and robust PCA (same seed, same X⋆ as the factorization's Y). */
export const PlantedMeasured = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  n: int('n', 1, 1 << 14),
  m: int('m', 1, 1 << 14),
  trueRank: int('trueRank', 1).optional(),
});

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
export const ALGORITHM_LABELS: Record<AlgorithmName, string> = {
  'dgd-local': 'DGD+LOCAL', dgd: 'classical DGD', gd: 'centralized GD', hmf: 'HMF (Algorithm 1)',
};

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

export type NetworkConfig = z.infer<typeof NetworkSchema>;
export type AlgorithmConfig = z.infer<typeof AlgorithmSchema>;
export type InitConfig = z.infer<typeof InitSchema>;
export type AlgorithmConfigInput = z.input<typeof AlgorithmSchema>;
export type InitConfigInput = z.input<typeof InitSchema>;

/** Reports one cross-field problem: the path of the field and one sentence. */
export type Fail = (path: (string | number)[], message: string) => void;

/** What a kind's cross-check sees besides its own problem section (all fields already passed their types). */
export interface CheckContext {
  algorithm: AlgorithmConfig;
  init: InitConfig;
  network?: NetworkConfig;
  /** the network's node count, when a network is given and well formed */
  J: number | undefined;
}

export const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * The parts of a validated experiment that code below the problem kinds reads (the full, per-kind typed
 * `Experiment` is derived in experiment.ts from the registry, above the kinds).
 */
export interface ExperimentDoc {
  title?: string;
  description?: string;
  problem: { kind: string };
  network?: NetworkConfig;
  algorithm: AlgorithmConfig;
  init: InitConfig;
  display?: { image?: boolean };
}

/** What a kind's builder reads besides its problem section: the run's settings and the node count. */
export interface BuildDoc {
  network?: NetworkConfig;
  algorithm: AlgorithmConfig;
  init: InitConfig;
  /** column blocks to split the data into: the network's J, 1 for centralized GD or without a network */
  nodes: number;
}
