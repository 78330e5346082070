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
import { HaeOptionsSchema } from './hae-options';

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

/** jive and perpca: HMF's rivals in Table 2 of [H], on the hmf kind (src/core/hmf-baselines.ts); hae: HAE, Algorithm 2 of [H] (src/core/hae.ts) */
export const ALGORITHMS = ['dgd-local', 'dgd', 'gd', 'hmf', 'jive', 'perpca', 'hae'] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];
export const ALGORITHM_LABELS: Record<AlgorithmName, string> = {
  'dgd-local': 'DGD+LOCAL', dgd: 'classical DGD', gd: 'centralized GD', hmf: 'HMF (Algorithm 1)', jive: 'JIVE', perpca: 'perPCA', hae: 'HAE (Algorithm 2)',
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
  /** HMF (Algorithm 1 only, not JIVE or perPCA): weight β of the orthonormality regulariser (7.2); default 0.1 */
  beta: finite.pipe(z.number().nonnegative('beta must be ≥ 0')).optional(),
  /** HMF (Algorithm 1 only): apply the correction step (7.5) each round; false is the ablation R18; default true */
  correction: z.boolean().optional(),
  /** HAE (Algorithm 2 of [H]) only: the networks and AdamW's settings (src/core/hae-options.ts) */
  hae: HaeOptionsSchema.optional(),
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
  claims?: Claim[];
  compare?: CompareRun[];
}

/** What a kind's builder reads besides its problem section: the run's settings and the node count. */
export interface BuildDoc {
  network?: NetworkConfig;
  algorithm: AlgorithmConfig;
  init: InitConfig;
  /** column blocks to split the data into: the network's J, 1 for centralized GD or without a network */
  nodes: number;
}

// --- comparison runs and claims ------------------------------------------------------------------------

/**
 * A comparison run: the document's own run with a few settings changed, run beside it (by `check`, and in
 * the app before the main run, kept on the charts). `patch` is a JSON merge patch (RFC 7396) of the run's
 * settings: objects merge key by key, any other value replaces, and null removes a field — e.g.
 * { "network": { "topology": "complete" } }, { "problem": { "lambda": 0.1 } }, { "algorithm": { "perturb": null } }.
 * The patched document must be a valid experiment on its own. Claims name the run by `name`.
 */
const patchObject = z.record(z.string(), z.unknown(), { error: 'must be an object of settings to change' });
export const CompareRunSchema = z.strictObject({
  name: z.string({ error: 'must be a string (claims name the run by it)' }).trim()
    .min(1, 'must not be empty').max(60, 'must be at most 60 characters')
    .refine((n) => n !== 'main', { error: '"main" names the document\'s own run; give the comparison run another name' }),
  patch: z.strictObject({
    problem: patchObject.optional(),
    network: patchObject.nullable().optional(),
    algorithm: patchObject.optional(),
    init: patchObject.optional(),
  }, { error: 'must be an object with problem, network, algorithm or init settings to change' }),
});
export type CompareRun = z.infer<typeof CompareRunSchema>;
/** The name every document's own run has in claims. */
export const MAIN_RUN = 'main';
/** the app shows at most this many runs at once (its colours) */
export const MAX_COMPARE_RUNS = 7;

/**
 * What a claim can measure: the recorded traces of a result document (src/core/metrics.ts TRACE_KEYS and
 * OPTIONAL_TRACE_KEYS; claims.ts checks at compile time that the lists agree) and λ_min (`curvature`).
 */
export const CLAIM_METRICS = [
  'objective', 'consensusError', 'distributedObjective', 'optimalityGap', 'gradientNorm', 'imbalance',
  'fittingError', 'optimalityError', 'supportMismatch', 'sharedError', 'uniqueError', 'subspaceError', 'feasibility',
  'testRmse', 'trainRmse', 'baselineRmse', 'curvature',
] as const;
export type ClaimMetric = (typeof CLAIM_METRICS)[number];

export const CLAIM_RELATIONS = ['<', '<=', '>', '>=', '≈'] as const;
export type ClaimRelation = (typeof CLAIM_RELATIONS)[number];

/**
 * Which recorded value of a trace: the last record, the smallest or largest, the record at an iteration,
 * or "plateau": the last value, provided the trace has stopped moving — over the records of the last 10 %
 * of the run's iterations (at least 3), max − min ≤ 1 % of max |value| (PLATEAU in claims.ts).
 * { "firstBelow": level } reads not a value but an iteration: the first record at which the metric is at
 * or below `level` (an escape time: the `escape` command's is the objective half-way from the saddle's
 * level to the optimum); a run that never gets there fails the claim.
 */
export const CLAIM_AT = ['last', 'min', 'max', 'plateau'] as const;
const AT_FORMS = `must be ${CLAIM_AT.map((a) => `"${a}"`).join(', ')}, { "iteration": k } or { "firstBelow": level }`;
const AtIteration = z.strictObject({ iteration: int('iteration', 0, 1e9) }, { error: AT_FORMS });
const AtFirstBelow = z.strictObject({ firstBelow: finite }, { error: AT_FORMS });
export type ClaimAt = (typeof CLAIM_AT)[number] | z.infer<typeof AtIteration> | z.infer<typeof AtFirstBelow>;
/** one of CLAIM_AT, { iteration: k } or { firstBelow: level } (a union would report "Invalid input" for every form) */
export const ClaimAtSchema = z.unknown().transform((v, ctx): ClaimAt => {
  if (typeof v === 'string' && (CLAIM_AT as readonly string[]).includes(v)) return v as ClaimAt;
  if (typeof v !== 'object' || v === null) {
    ctx.addIssue({ code: 'custom', message: AT_FORMS });
    return z.NEVER;
  }
  const r = ('firstBelow' in v ? AtFirstBelow : AtIteration).safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as (string | number)[] });
  return z.NEVER;
});

const claimText = z.string({ error: 'must be a string: the sentence of the description the claim checks' }).trim().min(1, 'must not be empty');
const runName = z.string({ error: 'must be a string: "main" or the name of a comparison run' }).min(1, 'must not be empty');
const metricField = z.enum(CLAIM_METRICS, { error: `must be a recorded metric: ${CLAIM_METRICS.join(', ')}` });
const relationField = z.enum(CLAIM_RELATIONS, { error: `must be one of ${CLAIM_RELATIONS.map((r) => `"${r}"`).join(', ')}` });
/** for "≈": |measured − expected| ≤ tolerance·|expected|; default 1 % */
const toleranceField = finite.pipe(z.number().positive('tolerance must be > 0 (relative, for "≈")'));

/** One recorded value: a metric of a run at a point of its trace. */
export const ClaimSideSchema = z.strictObject({
  metric: metricField,
  run: runName.default('main'),
  at: ClaimAtSchema.default('last'),
});
export type ClaimSide = z.infer<typeof ClaimSideSchema>;

/** metric (of run, at) relation value — "the consensus error at the plateau is > 10⁻³" */
export const ValueClaimSchema = z.strictObject({
  text: claimText,
  metric: metricField,
  run: runName.default('main'),
  at: ClaimAtSchema.default('last'),
  relation: relationField,
  value: finite,
  tolerance: toleranceField.optional(),
});
/** left relation factor × right — "the ring's consensus error at 4000 is > the complete graph's" */
export const CompareClaimSchema = z.strictObject({
  text: claimText,
  left: ClaimSideSchema,
  relation: relationField,
  right: ClaimSideSchema,
  factor: finite.pipe(z.number().positive('factor must be > 0')).default(1),
  tolerance: toleranceField.optional(),
});
/** how the run stopped: it ran all its iterations, or diverged */
export const OutcomeClaimSchema = z.strictObject({
  text: claimText,
  run: runName.default('main'),
  outcome: z.enum(['completed', 'diverged'], { error: 'must be "completed" or "diverged"' }),
});
/** the end-of-run verdict (needs algorithm.curvatureEvery) */
export const VerdictClaimSchema = z.strictObject({
  text: claimText,
  run: runName.default('main'),
  verdict: z.enum(['minimum', 'strict-saddle', 'not-converged'], { error: 'must be "minimum", "strict-saddle" or "not-converged"' }),
});

/**
 * The series a run records at its end, one value per window of its data (src/core/instance.ts RunSeries):
 * the heterogeneity index of HMF's stock case study (SPEC §7.10, src/core/stocks.ts).
 */
export const CLAIM_SERIES = ['heterogeneity'] as const;
export type ClaimSeries = (typeof CLAIM_SERIES)[number];
/**
 * Where a series peaks — "the 4 largest windows of the heterogeneity index are the planted event windows":
 * of the `top` largest values, at least `atLeast` (default: all `top`) and at most `atMost` (default: no
 * limit) fall in the windows the data marks as events (the model market's planted events).
 */
export const PeaksClaimSchema = z.strictObject({
  text: claimText,
  run: runName.default('main'),
  peaks: z.enum(CLAIM_SERIES, { error: `must be a series a run records: ${CLAIM_SERIES.join(', ')}` }),
  top: int('top', 1, 1_000_000),
  atLeast: int('atLeast', 0, 1_000_000).optional(),
  atMost: int('atMost', 0, 1_000_000).optional(),
}).superRefine((c, ctx) => {
  for (const k of ['atLeast', 'atMost'] as const) {
    if (c[k] !== undefined && c[k] > c.top) ctx.addIssue({ code: 'custom', path: [k], message: `is ${c[k]}, more than the ${c.top} peaks counted (top)` });
  }
  if (c.atLeast !== undefined && c.atMost !== undefined && c.atLeast > c.atMost) ctx.addIssue({ code: 'custom', path: ['atMost'], message: `is ${c.atMost}, below atLeast = ${c.atLeast}` });
});

// --- claims about the cells of a sweep -----------------------------------------------------------------

/**
 * What a claim can read of a sweep's cell (src/core/sweep.ts CellOutcome): an outcome with a spread over
 * the cell's seeds (the seeds that did not diverge; iterationsToTolerance: the seeds that reached the
 * tolerance), read as its median, min or max; or one number per cell — the fraction of seeds that
 * succeeded or diverged, ω and the step-size bound (1 − 2ω)/L̂ of SPEC (3.2) (medians over the seeds).
 */
export const CELL_SPREAD_METRICS = [
  'objective', 'consensusError', 'optimalityGap', 'relativeGap', 'relativeError', 'sharedError', 'uniqueError', 'subspaceError', 'iterationsToTolerance',
] as const;
export const CELL_NUMBER_METRICS = ['successRate', 'divergedRate', 'omega', 'bound'] as const;
export const CELL_METRICS = [...CELL_SPREAD_METRICS, ...CELL_NUMBER_METRICS] as const;
export type CellMetric = (typeof CELL_METRICS)[number];
export type CellSpreadMetric = (typeof CELL_SPREAD_METRICS)[number];
export const CELL_STATS = ['median', 'min', 'max'] as const;
export type CellStat = (typeof CELL_STATS)[number];

const axisValue = z.union([finite, z.string()], { error: 'must be a value of the swept parameter (a number, or a name such as "dgd-local")' });
/** a cell by its parameter values: { "x": 0.3 } or { "x": 0.3, "y": 2 } */
const CellSchema = z.strictObject({ x: axisValue, y: axisValue.optional() }, {
  error: (iss) => (iss.code === 'invalid_type' ? 'must be { "x": value, "y": value }: the cell\'s values of the swept parameters' : undefined),
});
export type ClaimCell = z.infer<typeof CellSchema>;
const cellMetricField = z.enum(CELL_METRICS, { error: `must be an outcome of a sweep's cell: ${CELL_METRICS.join(', ')}` });
const statField = z.enum(CELL_STATS, { error: `must be ${CELL_STATS.map((s) => `"${s}"`).join(', ')} (over the cell's seeds)` });

/** One value of a sweep: an outcome of a cell, over its seeds (`stat`, default the median; not for the one-number outcomes). */
export const CellSideSchema = z.strictObject({
  cell: CellSchema,
  metric: cellMetricField,
  stat: statField.optional(),
});
export type CellSide = z.infer<typeof CellSideSchema>;

/** cell's metric (stat over seeds) relation value — "at 30 % missing and β = 1 the median subspace error is ≈ 7·10⁻³" */
export const CellValueClaimSchema = z.strictObject({
  text: claimText,
  cell: CellSchema,
  metric: cellMetricField,
  stat: statField.optional(),
  relation: relationField,
  value: finite,
  tolerance: toleranceField.optional(),
});
/** left relation factor × right, two cells of the sweep — "DGD+LOCAL's consensus error is below DGD's at the same step" */
export const CellCompareClaimSchema = z.strictObject({
  text: claimText,
  left: CellSideSchema,
  relation: relationField,
  right: CellSideSchema,
  factor: finite.pipe(z.number().positive('factor must be > 0')).default(1),
  tolerance: toleranceField.optional(),
});

export type ValueClaim = z.infer<typeof ValueClaimSchema>;
export type CompareClaim = z.infer<typeof CompareClaimSchema>;
export type OutcomeClaim = z.infer<typeof OutcomeClaimSchema>;
export type VerdictClaim = z.infer<typeof VerdictClaimSchema>;
export type PeaksClaim = z.infer<typeof PeaksClaimSchema>;
export type CellValueClaim = z.infer<typeof CellValueClaimSchema>;
export type CellCompareClaim = z.infer<typeof CellCompareClaimSchema>;
/** a claim about the runs (the document's own run and its comparison runs) */
export type RunClaim = ValueClaim | CompareClaim | OutcomeClaim | VerdictClaim | PeaksClaim;
/** a claim about the cells of the document's sweep */
export type CellClaim = CellValueClaim | CellCompareClaim;
export type Claim = RunClaim | CellClaim;

/** Whether a claim reads the sweep's cells (not a run's trace). */
export const isCellClaim = (c: Claim): c is CellClaim => 'cell' in c || ('left' in c && 'cell' in c.left);

const CLAIM_FORMS = 'a claim is { text, metric, at, relation, value }, { text, left, relation, right }, { text, outcome }, { text, verdict }, { text, peaks, top, atLeast, atMost }, or about a sweep\'s cell { text, cell, metric, stat, relation, value } or { text, left: { cell, metric, stat }, relation, right }';

const hasKey = (v: unknown, key: string) => typeof v === 'object' && v !== null && key in v;

/** The claim's form, told by its keys (a union would report every form's errors at once). */
function claimForm(v: unknown) {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  if ('cell' in v) return CellValueClaimSchema;
  if ('left' in v || 'right' in v) return hasKey((v as { left?: unknown }).left, 'cell') || hasKey((v as { right?: unknown }).right, 'cell') ? CellCompareClaimSchema : CompareClaimSchema;
  if ('outcome' in v) return OutcomeClaimSchema;
  if ('verdict' in v) return VerdictClaimSchema;
  if ('peaks' in v) return PeaksClaimSchema;
  if ('metric' in v) return ValueClaimSchema;
  return null;
}

/**
 * A statement of the description, as a check on the run's recorded values (src/core/claims.ts evaluates
 * it; `lowrank-lab check` and the app report it). `text` is the sentence it checks.
 */
export const ClaimSchema = z.unknown().transform((v, ctx): Claim => {
  const form = claimForm(v);
  if (!form) {
    ctx.addIssue({ code: 'custom', message: CLAIM_FORMS });
    return z.NEVER;
  }
  const r = form.safeParse(v);
  if (!r.success) {
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as (string | number)[] });
    return z.NEVER;
  }
  return r.data;
});

/** The recording interval of a document that leaves `algorithm.recordEvery` out: about 1000 rows a run. */
export const defaultRecordEvery = (iterations: number): number => Math.max(1, Math.ceil(iterations / 1000));
