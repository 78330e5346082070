/**
 * Monitored quantities (SPEC §1.6), computed from scratch at an iterate (not carried along by the step),
 * so a recorded row never depends on how many steps were fused between records.
 */
import type { DgdLocal, State } from './dgd';
import { norm2 } from './linalg';

export interface MetricsRow {
  iteration: number;
  /** f(z) = Σⱼ fⱼ(xʲ, yⱼ) (factorization: Σⱼ‖UʲVⱼᵀ − Yⱼ‖², no ½) */
  objective: number;
  /** Σⱼ‖xʲ − x̄‖² over the mixed variables (Uʲ; classical DGD: Uʲ and V⁽ʲ⁾; least squares: xʲ) */
  consensusError: number;
  /** g(z) of (1.6) with wⱼᵢ = w̃ⱼᵢ/(4μ); equals f for centralized GD */
  distributedObjective: number;
  /** factorization: f(z) − Σ_{k>r}σₖ(Y)²; least squares: f(x̄) − f* */
  optimalityGap: number;
  /** ‖∇g(z)‖, the gradient of the objective being descended */
  gradientNorm: number;
  /** factorization: ‖ŪᵀŪ − V̄ᵀV̄‖_F (SPEC §1.6); 0 for least squares */
  imbalance: number;
  /** sensing / completion / RPCA: Σⱼ dataⱼ(UʲVⱼᵀ), the data term without the λ and Q terms (SPEC §5.5 (a, c)) */
  fittingError?: number;
  /** planted sensing / completion / RPCA: Σⱼ‖UʲVⱼᵀ − Xⱼ⋆‖²_F (SPEC §5.5 (b, d)) */
  optimalityError?: number;
  /** planted RPCA: |supp S Δ supp S⋆| / |supp S⋆| (0: the corrupted entries found exactly) */
  supportMismatch?: number;
  /** λ_min of the Hessian of the descended objective (only when algorithm.curvatureEvery asks; NaN at records it skips) */
  curvature?: number;
  /** HMF (SPEC §7.5): Σᵢ‖U_gV_{i,g}ᵀ − U_g⋆V_{i,g}⋆ᵀ‖² (7.6), when the truth is known */
  sharedError?: number;
  /** HMF: Σᵢ‖U_{i,l}V_{i,l}ᵀ − U_{i,l}⋆V_{i,l}⋆ᵀ‖² (7.6), when the truth is known */
  uniqueError?: number;
  /** HMF: ‖P_{U_g} − P_{U_g⋆}‖² + (1/N)Σᵢ‖P_{U_{i,l}} − P_{U_{i,l}⋆}‖² (7.7), when the true bases are known */
  subspaceError?: number;
  /** HMF: maxᵢ‖U_gᵀU_{i,l}‖, ~0 after every correction step (7.5) */
  feasibility?: number;
  /** rating prediction ([H] §6.4): √(mean squared error) of the raw predictions on the held-out entries */
  testRmse?: number;
  /** rating prediction: the same on the training entries (the ones the method fits) */
  trainRmse?: number;
  /** rating prediction's trivial baseline: the test RMSE of predicting every held-out rating by the mean training rating */
  baselineRmse?: number;
}

export const TRACE_KEYS = ['objective', 'consensusError', 'distributedObjective', 'optimalityGap', 'gradientNorm', 'imbalance'] as const;
export type TraceKey = (typeof TRACE_KEYS)[number];
/** Recorded only by the problems that define them; a trace carries them when its rows do. */
export const OPTIONAL_TRACE_KEYS = ['fittingError', 'optimalityError', 'supportMismatch', 'sharedError', 'uniqueError', 'subspaceError', 'feasibility', 'testRmse', 'trainRmse', 'baselineRmse'] as const;
export type OptionalTraceKey = (typeof OPTIONAL_TRACE_KEYS)[number];
/** The optional keys HMF records (SPEC §7.5), under these names in traces and result documents. */

export const HMF_TRACE_KEYS = ['sharedError', 'uniqueError', 'subspaceError', 'feasibility'] as const;
export type HmfTraceKey = (typeof HMF_TRACE_KEYS)[number];

/**
 * The common row at z: f, the consensus error, g, ‖∇g‖ and optimalityGap = f − f⋆; then the problem
 * kind's own metrics (inst.measure, from the kind's `measure`).
 */
export function computeMetrics(
  inst: { problem: { fStar: number }; measure?(alg: DgdLocal, z: State, row: MetricsRow): void }, alg: DgdLocal, z: State, iteration: number,
): MetricsRow {
  const objective = alg.objective(z);
  const distributedObjective = objective + alg.penalty(z);
  const consensusError = alg.consensusError(z);
  const G = alg.gradient(z);
  const gradientNorm = Math.sqrt(norm2(G.X) + norm2(G.Y));
  const row: MetricsRow = { iteration, objective, consensusError, distributedObjective, optimalityGap: objective - inst.problem.fStar, gradientNorm, imbalance: 0 };
  inst.measure?.(alg, z, row);
  return row;
}

/** ‖UᵀU − VᵀV‖_F for row-major U (n×r), V (m×r). */
export function gramDifference(U: Float64Array, n: number, V: Float64Array, m: number, r: number): number {
  let s = 0;
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += U[i * r + a] * U[i * r + b];
      for (let i = 0; i < m; i++) d -= V[i * r + a] * V[i * r + b];
      s += d * d;
    }
  }
  return Math.sqrt(s);
}

export function isFiniteRow(row: MetricsRow): boolean {
  return TRACE_KEYS.every((k) => Number.isFinite(row[k]))
    && OPTIONAL_TRACE_KEYS.every((k) => row[k] === undefined || Number.isFinite(row[k]));
}
