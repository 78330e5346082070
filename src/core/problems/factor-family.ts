/**
 * What every problem with factors U (n×r) and V (m×r) split by columns shares — the factorization and the
 * measured kinds (sensing, completion, robust PCA): the cross-checks (sizes from the data or the planted
 * model, the rank, the column partition against the network, the start's layout), the split, the node
 * objectives, the start, the document form of the iterate, and the measured kinds' metrics.
 */
import type { IterateShape, Sizes, Subject } from '../cost-model';
import { type LinkParam, field, givenData } from './link';
import type { DgdLocal, State } from '../dgd';
import { type AlgorithmName, type BuildDoc, type CheckContext, type Fail, type Tensor, shapeText } from '../document';
import {
  type MeasuredObjective, type MeasuredProblem, heldOutRmse, meanBaselineRmse, measuredObjective, optimalityError, supportMismatch,
} from '../measured';
import { type MetricsRow, gramDifference } from '../metrics';
import { type NodeObjective, factorizationAllShared, factorizationCentral, factorizationLocal } from '../objectives';
import { type FactorizationProblem, equalPartition } from '../problem';
import { Rng, childSeed } from '../rng';

export interface FactorCheck {
  /** the problem section's fields this check reads */
  problem: {
    kind: string;
    rank: number;
    partition?: number[];
    generate?: { n: number; m: number; trueRank?: number };
  };
  /** the document key of given data ("Y", "M"), with the tensor; null when the kind is always planted */
  data: { key: string; tensor: Tensor | undefined } | null;
  /** kind-specific checks once n and m are known; return true when one failed */
  sizes?(n: number, m: number, fail: Fail): boolean;
  /** the kind starts from a saddle (`init.saddle`): its own check, or undefined to refuse it */
  saddle?(n: number, m: number, fail: Fail): void;
}

export function checkFactorProblem(c: FactorCheck, ctx: CheckContext, fail: Fail): void {
  const p = c.problem;
  const alg = ctx.algorithm.name;
  const J = ctx.J;
  const data = c.data?.tensor;
  if (c.data && !!data === !!p.generate) return fail(['problem'], `give exactly one of "${c.data.key}" (data) or "generate" (a planted model)`);
  let n: number, m: number;
  if (data) {
    const key = c.data!.key;
    if (data.shape.length !== 2) return fail(['problem', key, 'shape'], `must be [n, m], got ${shapeText(data.shape)}`);
    [n, m] = data.shape;
    if (n < 1 || m < 1) return fail(['problem', key, 'shape'], `needs n, m ≥ 1, got ${shapeText(data.shape)}`);
  } else {
    ({ n, m } = p.generate!);
    const tr = p.generate!.trueRank;
    if (tr !== undefined && tr > Math.min(n, m)) return fail(['problem', 'generate', 'trueRank'], `is ${tr} but must be at most min(n, m) = ${Math.min(n, m)}`);
  }
  if (c.sizes?.(n, m, fail)) return;
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
  const i = ctx.init;
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
    if (!c.saddle) return fail(['init', 'saddle'], `is for factorization problems (partial-SVD critical points of ‖UVᵀ − Y‖²), not ${p.kind}`);
    if (i.U || i.V) return fail(['init', 'saddle'], 'give either an explicit U and V or a saddle, not both');
    c.saddle(n, m, fail);
  }
}

// ------------------------------------------------------------------------------- building and reading

/** "30×100, rank 3, λ = 0.1": the sizes of a problem with factors, for `validate`. */
export const describeFactor = (p: { n: number; m: number; r: number; lambda: number }): string =>
  `${p.n}×${p.m}, rank ${p.r}${p.lambda ? `, λ = ${p.lambda}` : ''}`;

/** "factorization (30×100, rank 3, λ = 0.1)" from the sizes alone (validate without building). */
export const describeFactorSizes = (s: Sizes): string => `${s.kind} (${s.n}×${s.m}, rank ${s.r}${s.lambdaValue ? `, λ = ${s.lambdaValue}` : ''})`;

/** The split and λ as the materialized document writes them (centralized GD has no split). */
export const splitFields = (p: { partition: number[]; lambda: number }, alg: AlgorithmName) => ({
  ...(p.lambda ? { lambda: p.lambda } : {}),
  ...(alg === 'gd' ? {} : { partition: p.partition }),
});

/** The column split: one block for centralized GD, the document's partition, or as equal as possible. */
export function splitFor(p: { partition?: number[] }, doc: BuildDoc, m: number): number[] {
  return doc.algorithm.name === 'gd' ? [m] : p.partition ?? equalPartition(m, doc.nodes);
}

/** The node objectives of the factorization (by algorithm) and of the measured problems. */
export function factorObjective(p: FactorizationProblem | MeasuredProblem, alg: AlgorithmName): NodeObjective {
  if (p.kind !== 'factorization') return measuredObjective(p);
  if (alg === 'gd') return factorizationCentral(p);
  return alg === 'dgd' ? factorizationAllShared(p) : factorizationLocal(p);
}

/**
 * The initial iterate. Random starts draw U from the sub-stream "U" and V from "V", node by node in
 * row-major order, so DGD+LOCAL, classical DGD (whose first V copy equals DGD+LOCAL's V) and centralized
 * GD (U = DGD+LOCAL's U¹) start from the same numbers for the same seed.
 */
export function factorStart(p: { n: number; m: number; r: number }, obj: NodeObjective, doc: BuildDoc): State {
  const J = obj.J;
  const X = new Float64Array(J * obj.sharedLen);
  const Yl = new Float64Array(obj.localLen.reduce((a, b) => a + b, 0));
  const i = doc.init;
  const { n, m, r } = p;
  const alg = doc.algorithm.name;
  let U: ArrayLike<number>, V: ArrayLike<number>;
  if (i.U && i.V) {
    U = i.U.data;
    V = i.V.data;
  } else {
    const scale = i.scale ?? 0.1;
    const seed = i.seed ?? 0;
    U = new Rng(childSeed(seed, 'U')).normals(J * n * r, scale);
    V = new Rng(childSeed(seed, 'V')).normals((alg === 'dgd' ? J : 1) * m * r, scale);
  }
  if (alg === 'dgd') {
    // shared layout per node: [vec Uʲ | vec V⁽ʲ⁾]
    const s = obj.sharedLen;
    for (let j = 0; j < J; j++) {
      X.set(Array.prototype.slice.call(U, j * n * r, (j + 1) * n * r), j * s);
      X.set(Array.prototype.slice.call(V, j * m * r, (j + 1) * m * r), j * s + n * r);
    }
  } else {
    X.set(Array.prototype.slice.call(U, 0, J * n * r));
    Yl.set(Array.prototype.slice.call(V, 0, m * r));
  }
  return { X, Y: Yl };
}

/** The iterate in the document's matrix form: U [J, n, r] / V [m, r]; classical DGD V [J, m, r]; GD U [n, r]. */
export function factorTensors(p: { n: number; m: number; r: number }, alg: AlgorithmName, obj: NodeObjective, z: State): Record<string, Tensor> {
  const { n, m, r } = p;
  const J = obj.J;
  if (alg === 'dgd') {
    const s = obj.sharedLen;
    const U: number[] = [], V: number[] = [];
    for (let j = 0; j < J; j++) {
      U.push(...z.X.subarray(j * s, j * s + n * r));
      V.push(...z.X.subarray(j * s + n * r, (j + 1) * s));
    }
    return { U: { shape: [J, n, r], data: U }, V: { shape: [J, m, r], data: V } };
  }
  return {
    U: alg === 'gd' ? { shape: [n, r], data: Array.from(z.X) } : { shape: [J, n, r], data: Array.from(z.X) },
    V: { shape: [m, r], data: Array.from(z.Y) },
  };
}

/** ‖ŪᵀŪ − VᵀV‖_F at the average (classical DGD: V̄ too), the balance of the factors. */
export function factorMeasure(p: FactorizationProblem | MeasuredProblem, alg: DgdLocal, z: State, row: MetricsRow, algorithm: AlgorithmName): void {
  const { n, m, r } = p;
  const avg = alg.average(z); // Ū (and, for classical DGD, V̄ after it)
  const V = algorithm === 'dgd' ? avg.subarray(n * r) : z.Y;
  row.imbalance = gramDifference(avg.subarray(0, n * r), n, V, m, r);
  if (p.kind !== 'factorization') measuredMetrics(p, alg, z, row);
}

/** The measured problems' metrics: the data term alone (fitting error), the recovery error, RPCA's support. */
function measuredMetrics(p: MeasuredProblem, alg: DgdLocal, z: State, row: MetricsRow): void {
  const obj = alg.obj as MeasuredObjective;
  const s = obj.sharedLen;
  const x = (j: number) => z.X.subarray(j * s, (j + 1) * s);
  const y = (j: number) => z.Y.subarray(alg.yOffsets[j], alg.yOffsets[j] + obj.localLen[j]);
  let fit = 0;
  for (let j = 0; j < obj.J; j++) fit += obj.dataTerm(j, x(j), y(j));
  row.fittingError = fit;
  if (p.truth) row.optimalityError = optimalityError(p, z.X, z.Y, s, p.truth);
  if (p.kind === 'completion' && p.heldOut) {
    // the fit is Σ (1/2p)(UVᵀ − M)² over Ω with p = |Ω|/(nm), so the training RMSE is √(2p·fit/|Ω|) = √(2·fit/(nm))
    row.testRmse = heldOutRmse(p, z.X, z.Y, s);
    row.trainRmse = Math.sqrt((2 * fit) / (p.n * p.m));
    row.baselineRmse = meanBaselineRmse(p);
  }
  if (p.kind === 'rpca' && p.Sstar && obj.sparse) {
    row.supportMismatch = supportMismatch(p, Array.from({ length: obj.J }, (_, j) => obj.sparse!(j, x(j), y(j))));
  }
}

// ------------------------------------------------------------------------------------------ budget

/** The sizes of a problem with factors: the rank, and n, m, r⋆ from the given data (`key`) or the planted model. */
export function factorSizes(p: { rank: number; generate?: { n: number; m: number; trueRank?: number } }, data: { shape: number[] } | undefined, s: Sizes): void {
  s.r = p.rank;
  if (data) {
    s.source = 'given';
    [s.n, s.m] = data.shape;
    s.trueRank = s.r;
  } else {
    s.n = p.generate!.n;
    s.m = p.generate!.m;
    s.trueRank = p.generate!.trueRank ?? s.r;
  }
}

/** What a refusal about a factor problem's data names: the data field (or the generator) and n, m. */
export function factorDataSubject(s: Sizes, dataField: string, extra = ''): Subject {
  const given = s.source === 'given';
  return {
    field: given ? `problem.${dataField}` : 'problem.generate',
    what: `${given ? `${dataField} of ` : ''}n = ${s.n}, m = ${s.m}${extra}`,
    knobs: [
      { key: 'm', label: 'm', min: (x) => Math.max(x.alg === 'gd' ? 1 : x.J, x.r, x.trueRank), with: (x) => `n = ${x.n}` },
      { key: 'n', label: 'n', min: (x) => Math.max(x.r, x.trueRank), with: (x) => `m = ${x.m}` },
    ],
  };
}

/** J copies of U (classical DGD: of U and V) and one V split by columns. */
export function factorIterate(s: Sizes, nodes: number): IterateShape {
  const { n, m, r, alg } = s;
  return {
    shared: (alg === 'dgd' ? n + m : n) * r,
    local: alg === 'dgd' ? 0 : m * r,
    what: `J = ${nodes} copies of U (${n}×${r}) and V (${m}×${r})`,
    rankKnob: true,
  };
}

/** The balancing term's work per iteration, when λ > 0. */
export const balancingFlops = (s: Sizes, nodes: number): number => (s.lambda ? 4 * s.r * s.r * (nodes * s.n + s.m) : 0);

// ------------------------------------------------------------------------------------------ links

/** The link parameters every problem with factors carries (generator sizes, rank, split, λ); `data`: its data field. */
export function factorLink(data: string | null, noise = true): LinkParam[] {
  const given = data ? givenData(data) : undefined;
  return [
    field('n', 'int', 'problem', 'generate.n', given),
    field('m', 'int', 'problem', 'generate.m', given),
    field('r', 'int', 'problem', 'rank'),
    // left out, the planted rank is the rank (factorization.ts)
    field('tr', 'int', 'problem', 'generate.trueRank', given, (doc) => (doc.problem as { rank?: number }).rank),
    ...(noise ? [field('noise', 'num', 'problem', 'generate.noise', given)] : []),
    field('seed', 'int', 'problem', 'generate.seed', given),
    field('part', 'numlist', 'problem', 'partition'),
    field('lam', 'num', 'problem', 'lambda'),
  ];
}

// ------------------------------------------------------------------------------------------ words

/** DGD+LOCAL (or GD, J = 1) on a measured problem, with its data term's gradient Gⱼ in words. */
export function measuredExplain(G: string) {
  return (alg: string) => ({
    tex: String.raw`\begin{aligned}U^j &\leftarrow \textstyle\sum_i \tilde w_{ji} U^i - \mu\,\big[G_j V_j + \lambda U^j B_j\big]\\ V_j &\leftarrow V_j - \mu\,\big[G_j^\top U^j - \lambda V_j B_j\big],\quad B_j = U^{j\top}U^j - V_j^\top V_j\end{aligned}`,
    words: `${G} ${alg === 'gd' ? 'Centralized GD is the case J = 1.' : 'Each node mixes Uʲ with its neighbours and steps on its own data; Vⱼ stays private.'} λ = 0 drops the balancing term: distributed runs then reach exact consensus (Corollary III.1 of [S]).`,
  });
}
