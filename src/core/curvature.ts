/**
 * Curvature of the objective being descended (g of 1.6; f itself for centralized GD, where J = 1 and the
 * penalty vanishes): λ_min and λ_max of its Hessian at an iterate, by Lanczos on the analytic
 * Hessian–vector products (DgdLocal.hessianVector, eq. 4.2), and the verdict at the end of a run
 * (SPEC §4.1): a second-order critical point (a global minimum, by C-a / C-c / C-d), a strict saddle
 * (gradient ≈ 0, λ_min < 0), or not converged.
 *
 * Vectors are the stacked iterate z flattened as [X (all shared copies) | Y (all private blocks)].
 */
import { type NodeInstance, kindOfProblem } from './build';
import type { DgdLocal, State } from './dgd';
import { type LanczosOptions, type LanczosResult, lanczos } from './lanczos';
import { norm2 } from './linalg';

export function flatten(z: State): Float64Array {
  const v = new Float64Array(z.X.length + z.Y.length);
  v.set(z.X);
  v.set(z.Y, z.X.length);
  return v;
}

export function unflatten(v: Float64Array, xLen: number): State {
  return { X: v.subarray(0, xLen), Y: v.subarray(xLen) };
}

/** Thrown when the objective has no Hessian–vector product. */
export class CurvatureUnavailableError extends Error {
  constructor(what: string) {
    super(`curvature is unavailable: ${what} has no Hessian–vector product`);
    this.name = 'CurvatureUnavailableError';
  }
}

/** λ_min, λ_max (and on request the lowest eigenvectors) of ∇²g(z), float64. */
export function curvatureAt(alg: DgdLocal, z: State, opts: LanczosOptions = {}): LanczosResult {
  if (!alg.hasHessian) throw new CurvatureUnavailableError('this objective');
  const xLen = z.X.length;
  const N = xLen + z.Y.length;
  return lanczos(N, (q) => {
    const out = new Float64Array(N);
    alg.hessianVector(z, unflatten(q, xLen), unflatten(out, xLen));
    return out;
  }, opts);
}

export type VerdictKind = 'minimum' | 'strict-saddle' | 'not-converged';

export interface Verdict {
  kind: VerdictKind;
  gradientNorm: number;
  lambdaMin: number;
  lambdaMax: number;
  /** f(z) − min f (factorization) or f(x̄) − f* (least squares) */
  optimalityGap: number;
  /** the thresholds the verdict used */
  gradientTol: number;
  curvatureTol: number;
  message: string;
}

/**
 * Scale-aware thresholds: the gradient counts as zero below rel·σ₁(Y)^{3/2} (its size for O(1) relative
 * errors in factors of size √σ₁: the kind's gradientScale), or rel·max(1, ‖∇g(z⁰)‖) without one; the curvature counts as
 * negative below −rel·|λ_max|. rel = 1e-6 for a float64 iterate; 1e-4 for a float32 one (the WebGPU
 * engine's floor, SPEC §0 "Precision").
 */
export function verdictAt(inst: NodeInstance, alg: DgdLocal, z: State, gap: number, rel = 1e-6): Verdict {
  const G = alg.gradient(z);
  const gradientNorm = Math.sqrt(norm2(G.X) + norm2(G.Y));
  const c = curvatureAt(alg, z, { maxIter: 200, tol: 1e-10 });
  const p = inst.problem;
  const g0 = alg.gradient(inst.init);
  const scale = kindOfProblem(p).gradientScale?.(p);
  const gradientTol = rel * (scale ?? Math.max(1, Math.sqrt(norm2(g0.X) + norm2(g0.Y))));
  const curvatureTol = rel * Math.abs(c.max);
  const numbers = `‖∇‖ = ${gradientNorm.toExponential(2)} (zero below ${gradientTol.toExponential(1)}), λ_min = ${c.min.toExponential(3)}, λ_max = ${c.max.toExponential(3)}, optimality gap ${gap.toExponential(2)}`;
  let kind: VerdictKind, message: string;
  if (!(gradientNorm <= gradientTol)) {
    kind = 'not-converged';
    message = `Not converged: the gradient is not yet zero; ${numbers}.`;
  } else if (c.min >= -curvatureTol) {
    kind = 'minimum';
    message = `Global minimum: a critical point with λ_min ≥ 0 (up to ${curvatureTol.toExponential(1)}), and every such point is global (SPEC §4.2); ${numbers}.`;
  } else {
    kind = 'strict-saddle';
    message = `Strict saddle: a critical point with negative curvature; a small perturbation along the lowest eigenvector escapes it; ${numbers}.`;
  }
  return { kind, gradientNorm, lambdaMin: c.min, lambdaMax: c.max, optimalityGap: gap, gradientTol, curvatureTol, message };
}
