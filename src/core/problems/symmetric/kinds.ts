/**
 * The symmetric PSD family of Ge–Jin–Zheng 2017 §4 (seed 004; SPEC §5.3, §6.1, §6.2) as three problem
 * kinds: symmetric matrix sensing, completion (with its incoherence regulariser) and robust PCA, each
 * X = UUᵀ with one factor U ∈ ℝ^{n×r} and a planted M⋆ = U⋆U⋆ᵀ. The float64 model is in this folder
 * (problem.ts, objective.ts, metrics.ts); this file tells the registry how documents describe them.
 *
 * They run as centralized GD and classical DGD, on the CPU (float64) and on WebGPU (src/gpu/families/symmetric.ts): every node keeps a copy Uʲ and its share of the data
 * (its measurements, or the observed entries of its column block). DGD+LOCAL needs a private factor per
 * node — the Vⱼ of X = UVᵀ — and X = UUᵀ has none, so the kinds refuse it and say why.
 */
import * as z from 'zod';
import { B, NORMAL, UNIFORM, log2, sigma1 as sigma1Cost, type Sizes, type StepCost, type Ledger } from '../../cost-model';
import type { State } from '../../dgd';
import { aboveMax, type BuildDoc, type CheckContext, type Fail, finite, int, shapeText, unitOpen } from '../../document';
import type { MetricsRow } from '../../metrics';
import { Rng, childSeed } from '../../rng';
import { type NodeKind, defineKind } from '../kind';
import { type LinkParam, field } from '../link';
import { type SymmetricObjective, symmetricObjective } from './objective';
import {
  type SymmetricProblem, equalPartition, symCompletionProblem, symRpcaProblem, symSensingProblem,
} from './problem';
import { consensusAverage, factorError2 } from './metrics';

const Planted = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  n: int('n', 1, 1 << 12),
  /** rank r⋆ of the planted M⋆ = U⋆U⋆ᵀ; defaults to problem.rank */
  trueRank: int('trueRank', 1).optional(),
  /** M⋆ = diag(spectrum) instead of a Gaussian U⋆U⋆ᵀ (n entries ≥ 0): the 2-D toy is diag(σ₁, σ₂) */
  spectrum: z.array(finite.pipe(z.number().nonnegative('spectrum entries must be ≥ 0'))).min(1).optional(),
});

export const SymSensingSchema = z.strictObject({
  kind: z.literal('sym-sensing'),
  rank: int('rank', 1),
  generate: Planted.extend({
    /** measurements per node (all of them, split over the nodes, when `split`) */
    measurements: z.number({ error: 'measurements must be a number' }).min(1, 'measurements must be at least 1 per node').max(1e7, aboveMax(1e7)).int('measurements must be an integer'),
    split: z.boolean().optional(),
    /** std of Gaussian noise added to b */
    noise: finite.pipe(z.number().nonnegative('noise must be ≥ 0')).optional(),
  }),
});

export const SymCompletionSchema = z.strictObject({
  kind: z.literal('sym-completion'),
  rank: int('rank', 1),
  /** sampling probability of the symmetric Bernoulli mask (the 1/(2p) weight) */
  pObs: unitOpen('pObs', '('),
  generate: Planted,
  /** seed of the mask (default: the problem seed) */
  maskSeed: int('maskSeed', 0, Number.MAX_SAFE_INTEGER).optional(),
  /** the regulariser λΣᵢ(‖Uᵢ‖ − α)₊⁴ of [G] (11), as multipliers of SPEC §6.1's α and λ; absent: off */
  incoherence: z.strictObject({
    alpha: finite.pipe(z.number().positive('alpha must be > 0')).default(1),
    weight: finite.pipe(z.number().nonnegative('weight must be ≥ 0')).default(1),
  }).optional(),
});

export const SymRpcaSchema = z.strictObject({
  kind: z.literal('sym-rpca'),
  rank: int('rank', 1),
  generate: Planted.extend({
    /** α: fraction of corrupted entries per row and column of the symmetric S⋆ */
    corruption: unitOpen('corruption', '['),
    values: z.enum(['sign', 'uniform']).default('sign'),
  }),
  /** the density α the projection assumes (default: generate.corruption) */
  alpha: unitOpen('alpha', '[').optional(),
  /** slack γ ≥ 1 on the density: budgets ⌈γα·mⱼ⌉ per row, ⌈γα·n⌉ per column */
  gamma: finite.pipe(z.number().min(1, 'gamma must be ≥ 1')).default(2),
  /** entry bound b of the sparse set (default 2νr⋆σ₁⋆/n, SPEC §6.2) */
  bound: finite.pipe(z.number().positive('bound must be > 0')).optional(),
});

type Section = { rank: number; generate: { seed: number; n: number; trueRank?: number; spectrum?: number[] } };

const REFUSE_LOCAL = 'DGD+LOCAL needs a private factor on every node (the Vⱼ of X = UVᵀ); X = UUᵀ has one factor, which every node copies — run classical DGD ("dgd") or centralized GD ("gd")';

/** Sizes, the column split against the network, and the start's layout: [J, n, r] for DGD, [n, r] for GD. */
function checkSymmetric(p: Section, ctx: CheckContext, fail: Fail, columns: boolean): void {
  // (the nodes' share of the work is a block of columns of M, sensing's too: J ≤ n)
  const { n, trueRank, spectrum } = p.generate;
  if (trueRank !== undefined && trueRank > n) return fail(['problem', 'generate', 'trueRank'], `is ${trueRank} but must be at most n = ${n}`);
  if (spectrum) {
    if (spectrum.length !== n) return fail(['problem', 'generate', 'spectrum'], `has ${spectrum.length} entries but M⋆ = diag(spectrum) is n × n with n = ${n}`);
    if (trueRank !== undefined) return fail(['problem', 'generate', 'trueRank'], 'is set by the spectrum (its nonzero entries); leave it out');
    if (!spectrum.some((x) => x > 0)) return fail(['problem', 'generate', 'spectrum'], 'is all zeros: M⋆ = 0 has nothing to recover');
  }
  if (p.rank > n) return fail(['problem', 'rank'], `is ${p.rank} but must be at most n = ${n}`);
  const J = ctx.algorithm.name === 'gd' ? 1 : ctx.J ?? 1;
  if (columns && J > n) return fail(['problem'], `M has n = ${n} columns, fewer than the J = ${J} nodes (each node needs at least one)`);
  const i = ctx.init;
  if (i.V) return fail(['init', 'V'], 'X = UUᵀ has no second factor; the start is U alone');
  if (i.x) return fail(['init', 'x'], 'is for least-squares problems; a symmetric problem starts from U');
  if (i.saddle) return fail(['init', 'saddle'], 'is for factorization problems (partial-SVD critical points of ‖UVᵀ − Y‖²)');
  if (i.U) {
    const want = ctx.algorithm.name === 'gd' ? [[n, p.rank], [1, n, p.rank]] : [[J, n, p.rank]];
    if (!want.some((s) => s.length === i.U!.shape.length && s.every((v, k) => v === i.U!.shape[k]))) {
      return fail(['init', 'U', 'shape'], `must be ${want.map(shapeText).join(' or ')} for "${ctx.algorithm.name}", got ${shapeText(i.U.shape)}`);
    }
  }
}

const nodesOf = (doc: BuildDoc) => (doc.algorithm.name === 'gd' ? 1 : doc.nodes);

/** J copies of U from the sub-stream "U" (centralized GD: the first), or the given U. */
function start(_p: SymmetricProblem, obj: { J: number; sharedLen: number }, doc: BuildDoc): State {
  const X = new Float64Array(obj.J * obj.sharedLen);
  const i = doc.init;
  if (i.U) X.set(i.U.data);
  else X.set(new Rng(childSeed(i.seed ?? 0, 'U')).normals(X.length, i.scale ?? 0.1));
  return { X, Y: new Float64Array(0) };
}

/** The fitting error (the data terms alone) and the recovery error ‖ŪŪᵀ − M⋆‖² at the nodes' average. */
function measure(p: SymmetricProblem, alg: { obj: unknown }, z: State, row: MetricsRow): void {
  const obj = alg.obj as SymmetricObjective;
  const len = obj.sharedLen;
  let fit = 0;
  for (let j = 0; j < obj.J; j++) fit += obj.dataTerm(j, z.X.subarray(j * len, (j + 1) * len));
  row.fittingError = fit;
  row.optimalityError = factorError2(p.n, p.r, consensusAverage(z.X, obj.J, len), p.truth);
}

const common = {
  algorithms: ['gd', 'dgd'] as const,
  refuse: { 'dgd-local': REFUSE_LOCAL },
  usesNetwork: true,
  // src/gpu/families/symmetric.ts, shaders/symmetric.wgsl
  gpuFamily: 'symmetric' as const,
  dataName: 'M',
  // relative to ‖M⋆‖² (the session's scale for these kinds, core/instance.ts dataScale)
  metricTitles: {
    objective: 'objective f(U) / ‖M⋆‖²',
    fittingError: 'fitting error / ‖M⋆‖²',
    optimalityError: 'recovery error ‖ŪŪᵀ − M⋆‖² / ‖M⋆‖²',
    consensusError: 'consensus error Σ‖Uʲ − Ū‖² / ‖M⋆‖²',
    optimalityGap: 'optimality gap / ‖M⋆‖²',
    distributedObjective: 'distributed objective g / ‖M⋆‖²',
  },
  objective: (p: SymmetricProblem) => symmetricObjective(p),
  // each node's fⱼ carries about 1/J of f, whose curvature near the solution is at most 6σ₁(M⋆) (./metrics.ts)
  lipschitz: (p: SymmetricProblem) => ({ value: (6 * p.sigma1) / p.partition.length, formula: '6σ₁(M⋆)/J', source: 'the lab’s estimate for Ge–Jin–Zheng 2017 §4' }),
  start,
  tensors: (p: SymmetricProblem, alg: string, obj: { J: number }, z: State) => ({
    U: alg === 'gd' ? { shape: [p.n, p.r], data: Array.from(z.X) } : { shape: [obj.J, p.n, p.r], data: Array.from(z.X) },
  }),
  measure,
  success: (): [string, string] => ['recovery error', '‖M⋆‖²'],
  explain: (alg: string) => ({
    tex: alg === 'gd'
      ? String.raw`U \leftarrow U - \mu\,(G + G^\top)\,U`
      : String.raw`U^j \leftarrow \textstyle\sum_i \tilde w_{ji} U^i - \mu\,\big[G_j\,U^j_{C_j} + (G_j^\top U^j)_{\to C_j}\big]`,
    words: alg === 'gd'
      ? 'Gradient descent on the symmetric objective: G is the data term’s gradient in X = UUᵀ, and U appears on both sides of UUᵀ, so the step uses G + Gᵀ.'
      : 'Classical DGD: every node mixes its copy Uʲ with its neighbours’ and steps on its own share of the data (its measurements, or the entries of its block of columns Cⱼ); Gⱼ is that share’s gradient in X, acting through both factors of UUᵀ. There is no private factor, so this is the only distributed method here; with noiseless data, which the same U fits exactly at every node, it reaches exact consensus (presets sym-sensing and sym-completion check it on a ring of 4).',
  }),
  data: (p: SymmetricProblem) => ({ name: 'M', arrays: [p.truth.data] }),
  scale: (p: SymmetricProblem) => ({ sigma1: p.sigma1, n: p.n, lambda: 0 }),
  describe: (p: SymmetricProblem) => `${p.n}×${p.n}, rank ${p.r}`,
};

/** The generator's parameters in a link (the same keys and fields as the asymmetric kinds'). */
const plantedLink: LinkParam[] = [
  field('n', 'int', 'problem', 'generate.n'),
  field('r', 'int', 'problem', 'rank'),
  field('tr', 'int', 'problem', 'generate.trueRank'),
  field('seed', 'int', 'problem', 'generate.seed'),
];

/** The family's budget: M⋆ and its SVD, the kind's data, J copies of U; `data` adds the kind's arrays and step cost. */
function budget(extra: (l: Ledger, c: { nodes: number; maxBlock: number }) => StepCost, fill?: (p: never, s: Sizes) => void) {
  return {
    sizes(p: Section, s: Sizes) {
      s.r = p.rank;
      s.n = s.m = p.generate.n;
      s.trueRank = p.generate.trueRank ?? p.rank;
      fill?.(p as never, s);
    },
    data: (s: Sizes) => ({
      field: 'problem.generate', what: `n = ${s.n}${s.measurements ? `, ${s.measurements} measurements${s.split ? ' in all' : ' per node'}` : ''}`,
      knobs: [{ key: 'n' as const, label: 'n', min: (x: Sizes) => Math.max(x.r, x.trueRank, x.alg === 'gd' ? 1 : x.J), with: (x: Sizes) => `rank ${x.r}` }],
    }),
    adjust: (s: Sizes) => {
      s.m = s.n;
    },
    describe: (s: Sizes) => `${s.kind} (${s.n}×${s.n}, rank ${s.r})`,
    written: () => 0,
    // the generator (seed) is the compact, exact form of the data
    materialized: () => 0,
    iterate: (s: Sizes, nodes: number) => ({ shared: s.n * s.r, local: 0, what: `J = ${nodes} copies of U (${s.n}×${s.r})`, rankKnob: true }),
    cost(l: Ledger, c: { nodes: number; maxBlock: number }): StepCost {
      const s = l.s, { n, trueRank } = s, nn = n * n;
      l.hold('M⋆ = U⋆U⋆ᵀ', nn * B, 'data');
      l.work('drawing U⋆ and M⋆', NORMAL * n * trueRank + 2 * nn * trueRank, 'data');
      const sv = sigma1Cost(n, trueRank);
      l.temp('the SVD of U⋆ (σ₁, σ_r⋆ of M⋆)', sv.bytes, 'data');
      l.work('the SVD of U⋆ (σ₁, σ_r⋆ of M⋆)', sv.flops, 'data');
      l.hold('the objective’s buffers (n·mⱼ)', 2 * n * c.maxBlock * B, 'data', 'engine');
      l.hold('the products’ scratch in the CPU engine’s kernel memory (from the first step)', (2 * n * Math.max(c.maxBlock, n) + 4 * n * s.r) * B + 65536, 'iterate', 'engine', true);
      return extra(l, c);
    },
  };
}

export const symSensing: NodeKind<typeof SymSensingSchema, SymmetricProblem> = defineKind({
  kind: 'sym-sensing',
  label: 'symmetric sensing',
  title: 'symmetric sensing (X = UUᵀ)',
  help: 'Recover a PSD M⋆ = U⋆U⋆ᵀ from Gaussian measurements: (1/2p)Σₖ(⟨Aₖ, UUᵀ⟩ − bₖ)² ([G] §4, SPEC §5.3). One factor U, copied by every node; each node holds its own measurements.',
  lhat: '6σ₁(M⋆)/J',
  schema: SymSensingSchema,
  ...common,
  defaults: { kind: 'sym-sensing', rank: 2, generate: { seed: 3, n: 20, measurements: 400 } },
  link: [
    ...plantedLink,
    field('noise', 'num', 'problem', 'generate.noise'),
    field('meas', 'int', 'problem', 'generate.measurements'),
    field('msplit', 'bool', 'problem', 'generate.split'),
  ],
  check(p, ctx, fail) {
    const g = p.generate, J = ctx.algorithm.name === 'gd' ? 1 : ctx.J;
    if (g.split && J !== undefined && g.measurements < J) {
      return fail(['problem', 'generate', 'measurements'], `${g.measurements} measurements split over J = ${J} nodes leave some node with none (p < 1 per node)`);
    }
    checkSymmetric(p, ctx, fail, true);
  },
  build: (p, doc) => (symSensingProblem({
    seed: p.generate.seed, n: p.generate.n, rank: p.rank, trueRank: p.generate.trueRank, spectrum: p.generate.spectrum,
    partition: equalPartition(p.generate.n, nodesOf(doc)),
    measurements: p.generate.measurements, split: !!p.generate.split, noise: p.generate.noise ?? 0,
  })),
  materialize: (q) => q,
  budget: budget((l, { nodes }) => {
    const s = l.s, nn = s.n * s.n;
    const perNode = s.split ? Math.ceil(s.measurements / nodes) : s.measurements;
    const entries = perNode * nodes * nn;
    l.hold('the operators Aₖ (p × n² in all)', entries * B, 'operator');
    l.hold('b', perNode * nodes * B, 'operator');
    l.hold('the operators again in the CPU engine’s kernel memory (from the first step)', entries * B, 'operator', 'engine', true);
    l.work('drawing the operators and b', (NORMAL + 2) * entries, 'operator');
    return { gradient: 4 * entries + 4 * nn * s.r * nodes, record: 6 * entries + 4 * nn * s.r };
  }, (p: z.infer<typeof SymSensingSchema>, s: Sizes) => {
    s.measurements = p.generate.measurements;
    s.split = !!p.generate.split;
    s.noise = (p.generate.noise ?? 0) > 0;
  }),
});

export const symCompletion: NodeKind<typeof SymCompletionSchema, SymmetricProblem> = defineKind({
  kind: 'sym-completion',
  label: 'symmetric completion',
  title: 'symmetric completion (X = UUᵀ)',
  help: 'Recover a PSD M⋆ = U⋆U⋆ᵀ from a symmetric random subset of its entries: (1/2p)‖UUᵀ − M⋆‖²_Ω + λΣᵢ(‖Uᵢ‖ − α)₊⁴ ([G] §4, SPEC §6.1).',
  lhat: '6σ₁(M⋆)/J',
  schema: SymCompletionSchema,
  ...common,
  defaults: { kind: 'sym-completion', rank: 2, pObs: 0.5, generate: { seed: 3, n: 40 } },
  link: [
    ...plantedLink,
    field('pobs', 'num', 'problem', 'pObs'),
    field('mseed', 'int', 'problem', 'maskSeed'),
  ],
  check: (p, ctx, fail) => checkSymmetric(p, ctx, fail, true),
  build: (p, doc) => (symCompletionProblem({
    seed: p.generate.seed, n: p.generate.n, rank: p.rank, trueRank: p.generate.trueRank, spectrum: p.generate.spectrum,
    partition: equalPartition(p.generate.n, nodesOf(doc)),
    pObs: p.pObs, maskSeed: p.maskSeed ?? p.generate.seed, incoherence: p.incoherence ?? null,
  })),
  materialize: (q) => q,
  budget: budget((l, { nodes }) => {
    const s = l.s, nn = s.n * s.n;
    l.hold('the symmetric mask Ω', nn, 'data');
    l.work('drawing the mask Ω', UNIFORM * nn / 2, 'data');
    return { gradient: 4 * nn * s.r + 4 * nn + 4 * s.n * s.r * nodes, record: 8 * nn * s.r };
  }),
});

export const symRpca: NodeKind<typeof SymRpcaSchema, SymmetricProblem> = defineKind({
  kind: 'sym-rpca',
  label: 'symmetric robust PCA',
  title: 'symmetric robust PCA (X = UUᵀ)',
  help: 'Separate a PSD M⋆ = U⋆U⋆ᵀ from symmetric sparse corruption: min over sparse S of ½‖UUᵀ + S − Mₒ‖², S by the row/column top-k projection ([G] §4, SPEC §6.2).',
  lhat: '6σ₁(M⋆)/J',
  schema: SymRpcaSchema,
  ...common,
  defaults: { kind: 'sym-rpca', rank: 2, gamma: 2, generate: { seed: 3, n: 40, corruption: 0.05, values: 'sign' } },
  link: [
    ...plantedLink,
    field('corr', 'num', 'problem', 'generate.corruption'),
    field('svals', { enum: ['sign', 'uniform'] }, 'problem', 'generate.values'),
    field('gamma', 'num', 'problem', 'gamma'),
    field('alpha', 'num', 'problem', 'alpha'),
  ],
  check: (p, ctx, fail) => checkSymmetric(p, ctx, fail, true),
  build: (p, doc) => (symRpcaProblem({
    seed: p.generate.seed, n: p.generate.n, rank: p.rank, trueRank: p.generate.trueRank, spectrum: p.generate.spectrum,
    partition: equalPartition(p.generate.n, nodesOf(doc)),
    corruption: p.generate.corruption, values: p.generate.values, gamma: p.gamma, alpha: p.alpha, bound: p.bound,
  })),
  materialize: (q) => q,
  budget: budget((l, { nodes, maxBlock }) => {
    const s = l.s, nn = s.n * s.n;
    l.hold('S⋆ and Mₒ = M⋆ + S⋆', 2 * nn * B, 'data');
    l.work('drawing S⋆', 2 * UNIFORM * nn, 'data');
    l.temp('the sparse estimates of a record', nn * B, 'data');
    const sort = 3 * nn * (log2(s.n) + log2(maxBlock));
    return { gradient: 4 * nn * s.r + 8 * nn + sort + 4 * s.n * s.r * nodes, record: 8 * nn * s.r + sort };
  }),
});
