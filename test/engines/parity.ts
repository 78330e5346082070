/**
 * The engine parity checks without a test runner: the trace of an engine on an instance and its comparison
 * with the float64 CPU reference under the error model of tolerance.ts. suite.ts (vitest, every engine) and
 * the GPU kit (test/kit, a hardware adapter without vitest) run the same checks on the same cases.
 */
import type { Instance } from '../../src/core/build';
import type { State } from '../../src/core/dgd';
import { norm2 } from '../../src/core/linalg';
import type { MetricsRow } from '../../src/core/metrics';
import type { Engine } from '../../src/engine/engine';
import { normTolerance, squaredNormTolerance } from './tolerance';

export interface Sizes {
  U: number;
  V: number;
  /** size of the entries of the residual E whose weighted squared norm w‖E‖² is the data term */
  fit: number;
  /** w of the data term (1 for the un-halved factorization, ½ sensing / RPCA, 1/2p completion) */
  w: number;
  /** size of the map from E to the data gradient (2 factorization, ‖𝒜‖_F sensing, 1/p completion, 1 RPCA) */
  curv: number;
  /** size of the λ and Q gradients, 0 when off */
  extraGrad: number;
}

export interface Reference {
  rows: MetricsRow[];
  /** norms of the reference iterate at each record */
  sizes: Sizes[];
  final: State;
}

export function iterateSizes(inst: Instance, z: State): Sizes {
  const p = inst.problem;
  if (p.kind === 'least-squares' || !('lambda' in p)) throw new Error('factored problems with U and V only');
  const U = Math.sqrt(norm2(z.X)), V = Math.sqrt(norm2(z.Y) || norm2(z.X));
  const uv = U * V;
  const bal = p.lambda * (U * U + V * V) * (U + V);
  if (p.kind === 'factorization') return { U, V, fit: uv + Math.sqrt(norm2(p.Y.data)), w: 1, curv: 2, extraGrad: bal };
  if (p.kind === 'sensing') {
    const A = Math.sqrt(p.A.reduce((s, a) => s + norm2(a.data), 0)), b = Math.sqrt(p.b.reduce((s, v) => s + norm2(v), 0));
    return { U, V, fit: A * uv + b, w: 0.5, curv: A, extraGrad: bal };
  }
  const M = Math.sqrt(norm2(p.Y.data));
  if (p.kind === 'completion') {
    const q = p.Q ? 4 * (p.Q.lambda1 * U ** 3 + p.Q.lambda2 * V ** 3) : 0;
    return { U, V, fit: uv + M, w: 1 / (2 * p.pObs), curv: 1 / p.pObs, extraGrad: bal + q };
  }
  return { U, V, fit: uv + M, w: 0.5, curv: 1, extraGrad: bal };
}

/** Longest dot product of one iteration: max(mⱼ, n) + r; sensing also n·mⱼ (𝒜ⱼ vec X) and pⱼ (𝒜ⱼᵀe). */
export function longestDot(inst: Instance): number {
  const p = inst.problem;
  if (p.kind === 'least-squares' || !('lambda' in p)) throw new Error('factored problems with U and V only');
  const base = Math.max(p.n, ...p.partition) + p.r;
  if (p.kind !== 'sensing') return base;
  return Math.max(base, ...p.A.map((A) => Math.max(A.rows, A.cols) + p.r));
}

export async function trace(engine: Engine, inst: Instance, withSizes: boolean): Promise<Reference> {
  await engine.load(inst);
  const rows: MetricsRow[] = [];
  const sizes: Reference['sizes'] = [];
  for (let k = 0; ; k += inst.recordEvery) {
    rows.push(await engine.metrics());
    if (withSizes) sizes.push(iterateSizes(inst, (await engine.snapshot()).state));
    if (k >= inst.iterations) break;
    await engine.advance(inst.recordEvery);
  }
  return { rows, sizes, final: (await engine.snapshot()).state };
}

/** One check of a trace: the reference value of a metric at a record (record −1: the final iterate's distance) and its tolerance. */
export interface Expectation {
  key: keyof MetricsRow | 'final iterate';
  record: number;
  k: number;
  want: number;
  tol: number;
}

/**
 * Every check of a trace against the reference, with its tolerance from the error model. The GPU kit
 * exports these for its PyTorch peer, so the peer is held to exactly the same numbers.
 */
export function expectations(inst: Instance, ref: Reference): Expectation[] {
  const p = inst.problem;
  if (p.kind === 'least-squares' || !('lambda' in p)) throw new Error('factored problems with U and V only');
  const L = longestDot(inst);
  const out: Expectation[] = [];
  ref.rows.forEach((w, record) => {
    const s = ref.sizes[record];
    const k = w.iteration;
    const add = (key: keyof MetricsRow, want: number, tol: number) => out.push({ key, record, k, want, tol });
    // the data term w‖E‖²; the λ and Q terms on top are smooth functions of the iterate (relative error)
    const data = w.fittingError ?? w.objective;
    const dataTol = s.w * squaredNormTolerance({ L, k, q: data / s.w, size: s.fit });
    const extraTol = 4 * normTolerance({ L, k, size: Math.abs(w.objective - data) })
      + (('lambda' in p ? p.lambda : 0) / 4) * squaredNormTolerance({ L, k, q: (s.U * s.U + s.V * s.V) ** 2, size: s.U * s.U + s.V * s.V });
    add('objective', w.objective, dataTol + extraTol);
    if (w.fittingError !== undefined) add('fittingError', w.fittingError, dataTol);
    if (w.optimalityError !== undefined && 'truth' in p && p.truth) {
      const size = s.U * s.V + Math.sqrt(norm2(p.truth.data));
      add('optimalityError', w.optimalityError, squaredNormTolerance({ L, k, q: w.optimalityError, size }));
    }
    if (w.supportMismatch !== undefined) add('supportMismatch', w.supportMismatch, 1e-12);
    add('consensusError', w.consensusError, squaredNormTolerance({ L, k, q: w.consensusError, size: s.U + s.V }));
    const pen = w.distributedObjective - w.objective;
    const mu = inst.stepsize;
    add('distributedObjective', w.distributedObjective,
      dataTol + extraTol + squaredNormTolerance({ L, k, q: 4 * mu * pen, size: 2 * (s.U + s.V) }) / (4 * mu));
    const gradSize = s.curv * (s.fit * (s.U + s.V)) + s.extraGrad + (s.U + s.V) / mu;
    add('gradientNorm', w.gradientNorm, normTolerance({ L, k, size: gradSize }));
    add('imbalance', w.imbalance, normTolerance({ L, k, size: s.U * s.U + s.V * s.V }));
  });
  const zs = Math.sqrt(norm2(ref.final.X) + norm2(ref.final.Y));
  out.push({ key: 'final iterate', record: -1, k: inst.iterations, want: 0, tol: normTolerance({ L, k: inst.iterations, size: zs }) });
  return out;
}

/** Compare a trace with the reference; returns the worst |got − want| / tolerance over all checks. */
export function compare(inst: Instance, ref: Reference, got: MetricsRow[], final: State): { worst: number; where: string } {
  for (const [i, w] of ref.rows.entries()) {
    if (got[i] === undefined || got[i].iteration !== w.iteration) {
      return { worst: Infinity, where: `record ${i}: expected iteration ${w.iteration}, got ${got[i]?.iteration}` };
    }
  }
  let worst = 0, where = '';
  for (const e of expectations(inst, ref)) {
    const have = e.record < 0
      ? Math.sqrt(norm2(final.X.map((v, i) => v - ref.final.X[i])) + norm2(final.Y.map((v, i) => v - ref.final.Y[i])))
      : got[e.record][e.key as keyof MetricsRow] as number;
    const ratio = Math.abs(have - e.want) / e.tol;
    if (!(ratio <= worst)) {
      worst = Number.isNaN(ratio) ? Infinity : ratio;
      where = `${e.key} at iteration ${e.k}: expected ${e.want}, got ${have}, tolerance ${e.tol.toExponential(2)}`;
    }
  }
  return { worst, where };
}
