/**
 * HMF's rivals in Table 2 of [H] (SPEC §7.8): JIVE and perPCA, in float64 on the CPU, as algorithms of the
 * `hmf` kind (`algorithm.name` "jive" / "perpca"). They read the same sources and keep their iterate in the
 * same layout as Algorithm 1 (src/core/hmf.ts: X = U_g, Y = per source [V_(i),g | U_(i),l | V_(i),l]), so
 * the metrics (7.6)/(7.7), the feasibility maxᵢ‖U_gᵀU_(i),l‖ and the objective are measured by the very code
 * that measures HMF. The objective recorded is the fit on the observed entries, ½Σᵢ‖P_Ω(Mᵢ − Ŝᵢ − Ûᵢ)‖²
 * ((7.2) with β = 0), where Ŝᵢ = U_gV_(i),gᵀ and Ûᵢ = U_(i),lV_(i),lᵀ.
 *
 * Missing entries are zeros: both methods read Mᵢ with 0 in every missing entry (hmf-model.ts applyMask),
 * as [H] §6.1 does for its baselines ("The missing entries are treated as zero in JIVE, RJIVE, and
 * perPCA"). Neither method is told which entries are missing.
 *
 * Layout (HMF's, SPEC §7.1): the sources are n₁×n₂,ᵢ blocks side by side, [M₁ … M_N], sharing the column
 * space ℝ^n₁ of U_g. Both methods make each U_(i),l orthogonal to the joint (shared) space U_g, the
 * constraint U_gᵀU_(i),l = 0 of (7.1)/(7.2).
 *
 * ── JIVE (Lock, Hoadley, Marron & Nobel 2013, "Joint and individual variation explained (JIVE) for
 * integrated analysis of multiple data types", Ann. Appl. Stat. 7(1):523–542, its iterative estimation by
 * alternating rank-constrained least squares). Lock et al. stack the sources vertically (Xᵢ is pᵢ×n, the
 * n samples shared) and make each individual part's *row* space orthogonal to the joint row space
 * (J·Aᵢᵀ = 0). Transposed to HMF's layout (Mᵢ = Xᵢᵀ, so n ↔ n₁) that is the *column* space: Aᵢ's columns
 * orthogonal to the joint U_g, exactly HMF's U_(i),l ⟂ U_g. One sweep (one "round" here):
 *   1. joint: [J₁ … J_N] = the rank-r₁ truncated SVD of [M₁ − A₁, …, M_N − A_N]; U_g = its left singular
 *      vectors (n₁×r₁, orthonormal), V_(i),g = (Mᵢ − Aᵢ)ᵀU_g, so Jᵢ = U_gV_(i),gᵀ;
 *   2. individual, every source i: Aᵢ = the rank-r₂ truncated SVD of (I − U_gU_gᵀ)(Mᵢ − Jᵢ); U_(i),l = its
 *      left singular vectors, V_(i),l = ((I − U_gU_gᵀ)(Mᵢ − Jᵢ))ᵀU_(i),l.
 * The start (iteration 0) is the first sweep from A = 0 (Lock et al. start the joint part from the data
 * itself), so every recorded iterate has both parts; iteration k has had k + 1 sweeps. The run stops after
 * algorithm.iterations sweeps (at a fixed point a sweep changes nothing, so the traces flatten; the
 * session's tolerance stop applies as for HMF). JIVE has no step, no start and no regulariser: η
 * (algorithm.stepsize, which the schema requires), init.seed and init.scale are not read. The HMF authors'
 * code for Table 2 (github.com/UMDataScienceLab/hmf, solver.py `jive`, Repo) does step 2 *without* the
 * projection (I − U_gU_gᵀ); we keep Lock et al.'s projection, which is what makes U_(i),l ⟂ U_g.
 * Truncated SVDs (Std): the top eigenvectors of the n₁×n₁ Gram matrix RRᵀ (ml-matrix's symmetric
 * eigensolver through linalg.ts symEig); Rᵀ times them gives the right factor. In step 2 the Gram matrix is
 * RRᵀ − c·U_gU_gᵀ with c = tr(RRᵀ) + 1, so the shared directions sit at the bottom of the spectrum and are
 * never picked even when R has rank below r₂ (r₁ + r₂ ≤ n₁ is checked by the kind); a source with fewer
 * columns than rows uses the smaller Gram matrix RᵀR instead (individualBasis).
 *
 * ── perPCA (Shi & Kontar 2024, "Personalized PCA: decoupling shared and unique features", JMLR 25;
 * shared PCs U_g and local PCs U_(i),l orthonormal and orthogonal to U_g, fitted by distributed
 * manifold optimization of Σᵢ tr([U_g U_(i),l]ᵀ Sᵢ [U_g U_(i),l]), Sᵢ the source's covariance). That paper is not
 * among the lab's seeds and [H] gives no detail of it, so the steps follow the authors' code: the perPCA
 * repository (github.com/soundsinteresting/perpca, algs.py `personalized_pca_dgd`,
 * `optimize_U_and_Vk_stiefel`, `correctv`, Repo) and the copy [H]'s Table 2 ran (UMDataScienceLab/hmf
 * solver.py `perpca`, Repo), which agree. One round:
 *   1. each source i, from the server's U_g: W = [U_g | U_(i),l]; W ← polar(W + η·MᵢMᵢᵀW) — a gradient
 *      ascent step on tr(WᵀSᵢW) with Sᵢ = MᵢMᵢᵀ (unnormalised, as in the HMF code's `perpca`), then the
 *      polar retraction W(WᵀW)^(−1/2) onto the Stiefel manifold (the code's "generalized retraction");
 *      the first r₁ columns are source i's copy of U_g, the rest its new U_(i),l;
 *   2. server: U_g ← polar((1/N)Σᵢ U_g⁽ⁱ⁾) (the HMF code's polar; the perPCA repository uses QR);
 *   3. each source: U_(i),l ← polar((I − U_gU_gᵀ)U_(i),l) (the code's correction `correctv`, done at the
 *      start of the next round there; as for HMF (src/core/hmf.ts) the recorded iterate is the one after
 *      it, so every record is feasible);
 *   4. the V's are the PCA fit of each source on the orthonormal [U_g | U_(i),l]: V_(i),g = MᵢᵀU_g,
 *      V_(i),l = MᵢᵀU_(i),l (the least-squares coefficients; perPCA itself returns only the bases).
 * Choices where the code leaves something open (Prop): a fixed η = algorithm.stepsize (the codes cut it
 * by e⁻¹ when the loss rises; here a number or the rule c/maxᵢ‖Mᵢ‖₂², as for HMF); the start is
 * U_g = polar(G₀), U_(i),l = polar((I − U_gU_gᵀ)Gᵢ) with Gaussian G's from init.seed (the HMF code starts
 * from 0.001·N(0, 1) matrices, which the first retraction makes orthonormal anyway; init.scale is not read);
 * one local step per round (the code's `num_steps = 1`). β and the correction switch are Algorithm 1's and
 * are refused for both methods (problems/hmf.ts).
 *
 * RJIVE (Sagonas et al. 2017, robust JIVE) is not built: [H] names it only, and the HMF code's `robust_jive`
 * is an ADMM with a nuclear-norm and an ℓ₁ term whose weights (μ = 100, λ = 0.01 there) the paper never
 * reports, so its Table 2 row could not be reproduced from a stated method.
 */
import { type HmfData, orthonormalizeColumns } from './hmf-model';
import type { HmfLayout, HmfParams, HmfState } from './hmf';
import { symEig } from './linalg';
import { Rng, childSeed } from './rng';

/** The top r eigenvectors (columns, eigenvalue descending) of a symmetric n×n G, as an n×r row-major matrix. */
function topEigenvectors(G: Float64Array, n: number, r: number): Float64Array {
  const { vectors } = symEig({ rows: n, cols: n, data: G });
  const out = new Float64Array(n * r);
  for (let c = 0; c < r; c++) {
    const src = n - 1 - c; // symEig's values are ascending
    for (let a = 0; a < n; a++) out[a * r + c] = vectors.data[a * n + src];
  }
  return out;
}

/** G += R·Rᵀ for a row-major rows×cols R (G is rows×rows). */
function addGram(G: Float64Array, R: Float64Array, rows: number, cols: number): void {
  for (let a = 0; a < rows; a++) {
    const ra = a * cols;
    for (let b = 0; b <= a; b++) {
      const rb = b * cols;
      let s = 0;
      for (let j = 0; j < cols; j++) s += R[ra + j] * R[rb + j];
      G[a * rows + b] += s;
      if (b !== a) G[b * rows + a] += s;
    }
  }
}

/** Rᵀ·Q for R (rows×cols) and Q (rows×r), written into Y at offset o as cols×r. */
function leftProject(R: Float64Array, Q: Float64Array, rows: number, cols: number, r: number, Y: Float64Array, o: number): void {
  Y.fill(0, o, o + cols * r);
  for (let a = 0; a < rows; a++) {
    for (let k = 0; k < r; k++) {
      const q = Q[a * r + k];
      if (q === 0) continue;
      for (let j = 0; j < cols; j++) Y[o + j * r + k] += R[a * cols + j] * q;
    }
  }
}

/** R ← R − U(UᵀR) for U (rows×r) with orthonormal columns and R (rows×cols), in place. */
function deflate(R: Float64Array, U: Float64Array, rows: number, cols: number, r: number): void {
  const C = new Float64Array(r * cols);
  for (let a = 0; a < rows; a++) for (let k = 0; k < r; k++) {
    const u = U[a * r + k];
    for (let j = 0; j < cols; j++) C[k * cols + j] += u * R[a * cols + j];
  }
  for (let a = 0; a < rows; a++) for (let k = 0; k < r; k++) {
    const u = U[a * r + k];
    for (let j = 0; j < cols; j++) R[a * cols + j] -= u * C[k * cols + j];
  }
}

/**
 * The polar factor W(WᵀW)^(−1/2) of a rows×k W (the nearest matrix with orthonormal columns), by the
 * eigen-decomposition of the k×k Gram matrix; null when W has lost rank or is not finite.
 */
function polar(W: Float64Array, rows: number, k: number): Float64Array | null {
  const G = new Float64Array(k * k);
  for (let a = 0; a < rows; a++) for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) G[p * k + q] += W[a * k + p] * W[a * k + q];
  const { values, vectors: E } = symEig({ rows: k, cols: k, data: G });
  const top = values[k - 1];
  if (!(top > 0 && top < Infinity) || !(values[0] > top * 1e-28)) return null;
  // (WᵀW)^(−1/2) = E·diag(λ^(−1/2))·Eᵀ
  const S = new Float64Array(k * k);
  for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += (E.data[p * k + t] * E.data[q * k + t]) / Math.sqrt(values[t]);
    S[p * k + q] = s;
  }
  const out = new Float64Array(rows * k);
  for (let a = 0; a < rows; a++) for (let q = 0; q < k; q++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += W[a * k + p] * S[p * k + q];
    out[a * k + q] = s;
  }
  return out;
}

/** U·Vᵀ subtracted from R (rows×cols) in place, for U (rows×r) and V (cols×r) stored at offsets. */
function subtractProduct(R: Float64Array, U: Float64Array, uo: number, V: Float64Array, vo: number, rows: number, cols: number, r: number): void {
  for (let a = 0; a < rows; a++) for (let k = 0; k < r; k++) {
    const u = U[uo + a * r + k];
    if (u === 0) continue;
    for (let j = 0; j < cols; j++) R[a * cols + j] -= u * V[vo + j * r + k];
  }
}

const poison = (z: HmfState) => {
  z.X.fill(NaN);
  z.Y.fill(NaN);
};

// ── JIVE ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The top r₂ left singular vectors of D = (I − U_gU_gᵀ)(Mᵢ − Jᵢ) (n₁×n₂), orthogonal to U_g. A source with
 * fewer columns than rows (the video's 49 pixels a patch against n₁ patches) goes through the n₂×n₂ Gram
 * matrix DᵀD: u = Dv/σ, then made orthonormal again against U_g; otherwise, or when D has rank below r₂,
 * through RRᵀ − c·U_gU_gᵀ (see the file comment).
 */
function individualBasis(D: Float64Array, Ug: Float64Array, n1: number, n2: number, r1: number, r2: number): Float64Array {
  if (n2 < n1) {
    const H = new Float64Array(n2 * n2);
    for (let a = 0; a < n1; a++) {
      const o = a * n2;
      for (let p = 0; p < n2; p++) {
        const x = D[o + p];
        if (x === 0) continue;
        for (let q = 0; q <= p; q++) H[p * n2 + q] += x * D[o + q];
      }
    }
    for (let p = 0; p < n2; p++) for (let q = 0; q < p; q++) H[q * n2 + p] = H[p * n2 + q];
    const { values, vectors } = symEig({ rows: n2, cols: n2, data: H });
    const top = values[n2 - 1];
    if (r2 <= n2 && top > 0 && values[n2 - r2] > top * 1e-20) {
      const U = new Float64Array(n1 * r2);
      for (let c = 0; c < r2; c++) {
        const src = n2 - 1 - c, sigma = Math.sqrt(values[src]);
        for (let a = 0; a < n1; a++) {
          let t = 0;
          for (let q = 0; q < n2; q++) t += D[a * n2 + q] * vectors.data[q * n2 + src];
          U[a * r2 + c] = t / sigma;
        }
      }
      deflate(U, Ug, n1, r2, r1);
      orthonormalizeColumns(U, n1, r2);
      return U;
    }
  }
  const G = new Float64Array(n1 * n1);
  addGram(G, D, n1, n2);
  let c = 1;
  for (let a = 0; a < n1; a++) c += G[a * n1 + a];
  for (let a = 0; a < n1; a++) for (let b = 0; b < n1; b++) {
    let t = 0;
    for (let k = 0; k < r1; k++) t += Ug[a * r1 + k] * Ug[b * r1 + k];
    G[a * n1 + b] -= c * t;
  }
  return topEigenvectors(G, n1, r2);
}

/** One JIVE sweep (joint, then every source's individual part) from the iterate's Aᵢ = U_(i),lV_(i),lᵀ, in place. */
export function jiveSweep(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState): void {
  const { n1, sources } = data, { r1, r2 } = p;
  if (!z.Y.every(Number.isFinite)) return poison(z);
  // 1. joint: the top r₁ left singular vectors of [M₁ − A₁, …, M_N − A_N]
  const G = new Float64Array(n1 * n1);
  const R = sources.map((s, i) => {
    const Ri = s.M.slice();
    subtractProduct(Ri, z.Y, L.ul[i], z.Y, L.vl[i], n1, s.n2, r2);
    addGram(G, Ri, n1, s.n2);
    return Ri;
  });
  const Ug = topEigenvectors(G, n1, r1);
  z.X.set(Ug);
  sources.forEach((s, i) => leftProject(R[i], Ug, n1, s.n2, r1, z.Y, L.vg[i]));
  // 2. individual: the top r₂ left singular vectors of (I − U_gU_gᵀ)(Mᵢ − Jᵢ)
  sources.forEach((s, i) => {
    const D = s.M.slice();
    subtractProduct(D, Ug, 0, z.Y, L.vg[i], n1, s.n2, r1);
    deflate(D, Ug, n1, s.n2, r1);
    const Q = individualBasis(D, Ug, n1, s.n2, r1, r2);
    z.Y.set(Q, L.ul[i]);
    leftProject(D, Q, n1, s.n2, r2, z.Y, L.vl[i]);
  });
}

/** JIVE's start: the first sweep from A = 0 (see the file comment). */
export function jiveStart(data: HmfData, p: HmfParams, L: HmfLayout): HmfState {
  const z: HmfState = { X: new Float64Array(data.n1 * p.r1), Y: new Float64Array(L.length) };
  jiveSweep(data, p, L, z);
  return z;
}

// ── perPCA ──────────────────────────────────────────────────────────────────────────────────────────────

/** The V's of every source from the bases: V_(i),g = MᵢᵀU_g, V_(i),l = MᵢᵀU_(i),l (step 4). */
function perpcaCoefficients(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState): void {
  data.sources.forEach((s, i) => {
    leftProject(s.M, z.X, data.n1, s.n2, p.r1, z.Y, L.vg[i]);
    leftProject(s.M, z.Y.subarray(L.ul[i], L.ul[i] + data.n1 * p.r2), data.n1, s.n2, p.r2, z.Y, L.vl[i]);
  });
}

/** Step 3: U_(i),l ← polar((I − U_gU_gᵀ)U_(i),l) for every source; false when a basis lost rank. */
function perpcaCorrect(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState): boolean {
  const { n1 } = data, { r1, r2 } = p;
  for (let i = 0; i < data.sources.length; i++) {
    const Ul = z.Y.slice(L.ul[i], L.ul[i] + n1 * r2);
    deflate(Ul, z.X, n1, r2, r1);
    const Q = polar(Ul, n1, r2);
    if (!Q) return false;
    z.Y.set(Q, L.ul[i]);
  }
  return true;
}

/** One perPCA round (steps 1–4 of the file comment), in place. */
export function perpcaRound(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState): void {
  const { n1, sources } = data, { r1, r2, eta } = p;
  const k = r1 + r2, N = sources.length;
  const avg = new Float64Array(n1 * r1);
  for (let i = 0; i < N; i++) {
    const s = sources[i];
    const W = new Float64Array(n1 * k);
    for (let a = 0; a < n1; a++) {
      for (let c = 0; c < r1; c++) W[a * k + c] = z.X[a * r1 + c];
      for (let c = 0; c < r2; c++) W[a * k + r1 + c] = z.Y[L.ul[i] + a * r2 + c];
    }
    // W + η·Mᵢ(MᵢᵀW)
    const T = new Float64Array(s.n2 * k);
    leftProject(s.M, W, n1, s.n2, k, T, 0);
    for (let a = 0; a < n1; a++) for (let c = 0; c < k; c++) {
      let t = 0;
      for (let j = 0; j < s.n2; j++) t += s.M[a * s.n2 + j] * T[j * k + c];
      W[a * k + c] += eta * t;
    }
    const Wr = polar(W, n1, k);
    if (!Wr) return poison(z);
    for (let a = 0; a < n1; a++) {
      for (let c = 0; c < r1; c++) avg[a * r1 + c] += Wr[a * k + c] / N;
      for (let c = 0; c < r2; c++) z.Y[L.ul[i] + a * r2 + c] = Wr[a * k + r1 + c];
    }
  }
  const Ug = polar(avg, n1, r1);
  if (!Ug) return poison(z);
  z.X.set(Ug);
  if (!perpcaCorrect(data, p, L, z)) return poison(z);
  perpcaCoefficients(data, p, L, z);
}

/**
 * perPCA's start: U_g = polar(G₀) and U_(i),l = polar((I − U_gU_gᵀ)Gᵢ) with standard Gaussian G's drawn from
 * `seed`, and the V's of step 4. Throws when a drawn basis has no full rank (n₁ too small for the ranks).
 */
export function perpcaStart(data: HmfData, p: HmfParams, L: HmfLayout, seed: number): HmfState {
  const { n1 } = data, { r1, r2 } = p;
  const Ug = polar(new Rng(childSeed(seed, 'perpca-Ug')).normals(n1 * r1), n1, r1);
  const z: HmfState = { X: Ug ?? new Float64Array(n1 * r1).fill(NaN), Y: new Float64Array(L.length) };
  const g = new Rng(childSeed(seed, 'perpca-local'));
  data.sources.forEach((_, i) => z.Y.set(g.normals(n1 * r2), L.ul[i]));
  if (!Ug || !perpcaCorrect(data, p, L, z)) throw new RangeError('perPCA: a random start basis has no full rank');
  perpcaCoefficients(data, p, L, z);
  return z;
}
