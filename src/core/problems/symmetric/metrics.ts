/**
 * Metrics and the step rule of the symmetric PSD family ([G] §4; SPEC §6.3).
 *
 * - Relative optimality error ‖UUᵀ − M⋆‖_F / ‖M⋆‖_F, for one factor (centralized GD, or the network average
 *   Ū) or for every node's copy Uʲ; consensus average Ū and consensus error Σⱼ‖Uʲ − Ū‖² (SPEC §1.6).
 * - The distance up to rotation of [G] Definition 6 (SPEC §6.3): Δ = U − U⋆R, R = argmin_{ZᵀZ = I}‖U − U⋆Z‖
 *   = PQᵀ where U⋆ᵀU = PΣQᵀ (orthogonal Procrustes), defined when r = r⋆.
 *
 * Step rule. Each data term is d(UUᵀ) with a quadratic d whose Hessian H in X is the identity in expectation
 * (sensing: E[(1/p)Σₖ⟨Aₖ, D⟩²] = ‖D‖² for N(0, 1) entries; completion: E[P_Ω/p_obs] = I) or exactly
 * (RPCA with S fixed). For d = ½‖X − M⋆‖², ∇²_U[dU, dU] = ‖dU Uᵀ + U dUᵀ‖² + 2⟨UUᵀ − M⋆, dU dUᵀ⟩, so on the
 * region {‖U‖₂² ≤ σ₁⋆} that GD from a small start stays in,
 *
 *   ‖∇²f‖ ≤ 4‖U‖₂² + 2‖UUᵀ − M⋆‖₂ ≤ 4σ₁⋆ + 2σ₁⋆ = 6σ₁⋆      (both PSD with norm ≤ σ₁⋆)
 *
 * hence L̂ = 6σ₁(M⋆) — the same 6σ₁ as the lab's practical rule for the factorization (SPEC §3.4). It is an
 * estimate, not a certificate: the operators deviate from the identity by their restricted isometry
 * constant (sensing) or sampling fluctuations (completion), and Q adds curvature on rows longer than α. GD
 * with μ = c/L̂, c = ½, converges on the planted presets with margin (tests), since 2/μ = 24σ₁⋆ is four times
 * L̂. For classical DGD each node's fⱼ carries about 1/J of f, so the per-node Lipschitz constant is about
 * L̂/J and `symmetricStep(p, c)` scales the step by J (the network average then moves by c/L̂ on f).
 */
import { type Mat, fromArray, matmulTN, svd } from '../../linalg';
import type { SymmetricProblem } from './problem';

/** ‖UUᵀ − M‖²_F for U (n×r, row-major). */
export function factorError2(n: number, r: number, U: Float64Array, M: Mat): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < n; c++) {
      let v = -M.data[i * n + c];
      for (let k = 0; k < r; k++) v += U[i * r + k] * U[c * r + k];
      s += v * v;
    }
  }
  return s;
}

/** ‖UUᵀ − M⋆‖_F / ‖M⋆‖_F. */
export function relativeError(p: SymmetricProblem, U: Float64Array): number {
  let m2 = 0;
  for (const v of p.truth.data) m2 += v * v;
  return Math.sqrt(factorError2(p.n, p.r, U, p.truth) / m2);
}

/** The relative error of every node's copy: X holds J blocks of n·r (vec U¹, …, vec Uᴶ). */
export function nodeRelativeErrors(p: SymmetricProblem, X: Float64Array): number[] {
  const len = p.n * p.r, J = X.length / len;
  return Array.from({ length: J }, (_, j) => relativeError(p, X.subarray(j * len, (j + 1) * len)));
}

/** Ū = (1/J) Σⱼ Uʲ from J blocks of length len. */
export function consensusAverage(X: Float64Array, J: number, len: number): Float64Array {
  const avg = new Float64Array(len);
  for (let j = 0; j < J; j++) for (let q = 0; q < len; q++) avg[q] += X[j * len + q];
  for (let q = 0; q < len; q++) avg[q] /= J;
  return avg;
}

/** Σⱼ ‖Uʲ − Ū‖². */
export function consensusError(X: Float64Array, J: number, len: number): number {
  const avg = consensusAverage(X, J, len);
  let s = 0;
  for (let j = 0; j < J; j++) {
    for (let q = 0; q < len; q++) {
      const d = X[j * len + q] - avg[q];
      s += d * d;
    }
  }
  return s;
}

/** Δ = U − U⋆R of [G] Definition 6 (n×r, row-major); needs r = r⋆. */
export function alignedDifference(p: SymmetricProblem, U: Float64Array): Float64Array {
  if (p.r !== p.trueRank) throw new RangeError(`the distance up to rotation needs r = r⋆ (r = ${p.r}, r⋆ = ${p.trueRank})`);
  const { n, r } = p;
  const { P, Q } = svd(matmulTN(p.Ustar, fromArray(n, r, U))); // U⋆ᵀU = PΣQᵀ, R = PQᵀ
  const R = new Float64Array(r * r);
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      let v = 0;
      for (let k = 0; k < P.cols; k++) v += P.data[a * P.cols + k] * Q.data[b * Q.cols + k];
      R[a * r + b] = v;
    }
  }
  const D = new Float64Array(n * r);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < r; b++) {
      let v = U[i * r + b];
      for (let a = 0; a < r; a++) v -= p.Ustar.data[i * r + a] * R[a * r + b];
      D[i * r + b] = v;
    }
  }
  return D;
}

/** L̂ = 6σ₁(M⋆), the Lipschitz estimate of ∇f for the centralized objective (file comment). */
export function symmetricLipschitz(p: SymmetricProblem): number {
  return 6 * p.sigma1;
}

/** μ = c·J/L̂: c/L̂ for centralized GD (J = 1); for classical DGD the step on each node's fⱼ ≈ f/J. */
export function symmetricStep(p: SymmetricProblem, c = 0.5): number {
  return (c * p.partition.length) / symmetricLipschitz(p);
}
