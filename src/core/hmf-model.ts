/**
 * HMF data (SPEC §7.1): N sources Mᵢ ∈ ℝ^{n₁×n₂,ᵢ} with a common row count n₁, each with an optional mask
 * of observed entries (the projected loss ℓ_pse of §7.2) and, when the data was planted, the true shared
 * part U_g⋆V_{i,g}⋆ᵀ, the true unique part U_{i,l}⋆V_{i,l}⋆ᵀ and the true bases, so the metrics (7.6)/(7.7)
 * can be measured. Built deterministically from a seed, like every other instance.
 *
 * The planted model follows the authors' code (SPEC §7.7, Repo): Q is a random n₁×n₁ orthogonal matrix,
 * U_g⋆ its first r₁ columns, U_{i,l}⋆ columns o + ((c + i) mod (n₁ − o)) with o = min(r₁ + 2, n₁ − r₂)
 * (the code hard-codes o = 5 for r₁ = 3), V_{i,g}⋆ an orthonormalised Gaussian, V_{i,l}⋆ a Gaussian
 * deflated against V_{i,g}⋆ and orthonormalised — every nonzero singular value is 1. `factors: "gaussian"`
 * is the paper's variant instead: Gaussian factors, then U_{i,l}⋆ ← (I − P_{U_g⋆})U_{i,l}⋆ (the deflation
 * that makes the constraint of (7.1) hold).
 */
import { Rng, childSeed } from './rng';

export interface HmfSource {
  /** observed data, n₁×n₂ row-major (missing entries hold 0) */
  M: Float64Array;
  n2: number;
  /** 1 = observed; null when every entry is observed */
  mask: Uint8Array | null;
  /** true shared and unique parts (n₁×n₂), when known */
  shared?: Float64Array;
  unique?: Float64Array;
  /**
   * held-out entries (rating prediction, src/core/ratings.ts): their row-major indices into Mᵢ (unobserved
   * in `mask`, 0 in M) and their values, for the test RMSE
   */
  test?: { index: Uint32Array; value: Float64Array };
}

export interface HmfData {
  n1: number;
  sources: HmfSource[];
  /** true bases U_g⋆ (n₁×r₁⋆) and U_{i,l}⋆ (n₁×r₂⋆), when the data was planted */
  bases?: { shared: Float64Array; r1: number; unique: Float64Array[]; r2: number };
}

export interface HmfPlantedSpec {
  seed: number;
  N: number;
  n1: number;
  n2: number;
  r1: number;
  r2: number;
  noise: number;
  /** fraction of each Mᵢ's entries removed uniformly at random (exactly round(missing·n₁n₂) per source) */
  missing: number;
  factors: 'orthogonal' | 'gaussian';
}

/** Modified Gram–Schmidt on the columns of a row-major rows×cols matrix, in place (twice, for accuracy). */
export function orthonormalizeColumns(A: Float64Array, rows: number, cols: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < cols; c++) {
      for (let p = 0; p < c; p++) {
        let d = 0;
        for (let i = 0; i < rows; i++) d += A[i * cols + c] * A[i * cols + p];
        for (let i = 0; i < rows; i++) A[i * cols + c] -= d * A[i * cols + p];
      }
      let s = 0;
      for (let i = 0; i < rows; i++) {
        const a = A[i * cols + c];
        s += a * a;
      }
      s = Math.sqrt(s);
      if (s === 0) throw new RangeError('orthonormalizeColumns: the columns are linearly dependent');
      for (let i = 0; i < rows; i++) A[i * cols + c] /= s;
    }
  }
}

/** B ← B − A(AᵀA)⁻¹AᵀB for A with orthonormal columns: B ← B − A(AᵀB). */
function deflate(B: Float64Array, A: Float64Array, rows: number, cb: number, ca: number): void {
  for (let c = 0; c < cb; c++) {
    for (let a = 0; a < ca; a++) {
      let d = 0;
      for (let i = 0; i < rows; i++) d += A[i * ca + a] * B[i * cb + c];
      for (let i = 0; i < rows; i++) B[i * cb + c] -= d * A[i * ca + a];
    }
  }
}

/** A·Bᵀ for row-major A (rows×k) and B (cols×k). */
export function productNT(A: Float64Array, B: Float64Array, rows: number, cols: number, k: number): Float64Array {
  const C = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += A[i * k + t] * B[j * k + t];
      C[i * cols + j] = s;
    }
  }
  return C;
}

/** A mask with exactly round(fraction·len) zeros chosen uniformly (partial Fisher–Yates); null for 0. */
export function randomMask(rng: Rng, len: number, fraction: number): Uint8Array | null {
  const k = Math.round(fraction * len);
  if (k === 0) return null;
  const idx = new Uint32Array(len);
  for (let i = 0; i < len; i++) idx[i] = i;
  const mask = new Uint8Array(len).fill(1);
  for (let t = 0; t < k; t++) {
    const j = t + rng.int(len - t);
    const tmp = idx[t];
    idx[t] = idx[j];
    idx[j] = tmp;
    mask[idx[t]] = 0;
  }
  return mask;
}

/** Apply a mask in place (missing entries become 0) and count the observed entries. */
export function applyMask(M: Float64Array, mask: Uint8Array | null): number {
  if (!mask) return M.length;
  let n = 0;
  for (let i = 0; i < M.length; i++) {
    if (mask[i]) n++;
    else M[i] = 0;
  }
  return n;
}

/** The planted model (7.1); each part draws from its own sub-stream of the seed. */
export function plantedHmf(spec: HmfPlantedSpec): HmfData {
  const { seed, N, n1, n2, r1, r2, noise, missing, factors } = spec;
  const gU = new Rng(childSeed(seed, 'hmf-U'));
  const gV = new Rng(childSeed(seed, 'hmf-V'));
  const gE = new Rng(childSeed(seed, 'hmf-noise'));
  const gM = new Rng(childSeed(seed, 'hmf-mask'));
  let Ug: Float64Array;
  const Ul: Float64Array[] = [];
  if (factors === 'orthogonal') {
    const Q = gU.normals(n1 * n1);
    orthonormalizeColumns(Q, n1, n1);
    Ug = new Float64Array(n1 * r1);
    for (let a = 0; a < n1; a++) for (let c = 0; c < r1; c++) Ug[a * r1 + c] = Q[a * n1 + c];
    const o = Math.min(r1 + 2, n1 - r2);
    for (let i = 0; i < N; i++) {
      const U = new Float64Array(n1 * r2);
      for (let c = 0; c < r2; c++) {
        const col = o + ((c + i) % (n1 - o));
        for (let a = 0; a < n1; a++) U[a * r2 + c] = Q[a * n1 + col];
      }
      Ul.push(U);
    }
  } else {
    Ug = gU.normals(n1 * r1);
    const Qg = Ug.slice();
    orthonormalizeColumns(Qg, n1, r1);
    for (let i = 0; i < N; i++) {
      const U = gU.normals(n1 * r2);
      deflate(U, Qg, n1, r2, r1);
      Ul.push(U);
    }
  }
  const sources: HmfSource[] = [];
  for (let i = 0; i < N; i++) {
    const Vg = gV.normals(n2 * r1);
    const Vl = gV.normals(n2 * r2);
    if (factors === 'orthogonal') {
      orthonormalizeColumns(Vg, n2, r1);
      deflate(Vl, Vg, n2, r2, r1);
      orthonormalizeColumns(Vl, n2, r2);
    }
    const shared = productNT(Ug, Vg, n1, n2, r1);
    const unique = productNT(Ul[i], Vl, n1, n2, r2);
    const M = new Float64Array(n1 * n2);
    for (let k = 0; k < M.length; k++) M[k] = shared[k] + unique[k] + (noise > 0 ? noise * gE.normal() : 0);
    const mask = randomMask(gM, n1 * n2, missing);
    applyMask(M, mask);
    sources.push({ M, n2, mask, shared, unique });
  }
  return { n1, sources, bases: { shared: Ug, r1, unique: Ul, r2 } };
}
