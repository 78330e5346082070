/**
 * Problems where the low-rank matrix is seen only through measurements (SPEC §5–6): matrix sensing
 * (Gaussian operator 𝒜, [S]/[G]), matrix completion (a Bernoulli mask and the incoherence term Q, [G]) and
 * robust PCA (sparse corruption removed by a sparse-set projection, [G]). Each is split over J nodes by
 * columns like the factorization (node j sees only its block Xⱼ), and each node objective is
 *
 *   fⱼ(Uʲ, Vⱼ) = dataⱼ(UʲVⱼᵀ) + (λ/4)‖UʲᵀUʲ − VⱼᵀVⱼ‖²_F  (+ Qⱼ for completion)
 *
 * with the node-local balancing term of SPEC §5.4 (λ = 0: the unregularised problem of [S]). Through the
 * NodeObjective seam they run under DGD+LOCAL (1.9), classical DGD and centralized GD unchanged.
 *
 * Data terms (the vec convention is row-major: vec(X)[i·mⱼ + c] = X[i, c]):
 * - sensing:    ½‖𝒜ⱼ vec(UVⱼᵀ) − bⱼ‖²                       (5.2 / 5.8)
 * - completion: (1/2p)‖P_Ωⱼ(UVⱼᵀ − Mⱼ)‖²                      (6.1)
 * - rpca:       min_{S ∈ 𝒮} ½‖UVⱼᵀ + S − Mⱼ‖²,  S = Π(Mⱼ − UVⱼᵀ) (6.3; Danskin gradient, SPEC §6.2)
 */
import { type Mat, columns, fromArray, matmulNT, svd, topSingularValue, zeros } from './linalg';
import { balancingTerm } from './balancing';
import { DocumentError } from './document';
import type { NodeObjective } from './objectives';
import { KernelMats, type Products } from './kernels';
import { offsetsOf, plantedY } from './problem';
import { Rng, childSeed } from './rng';

export type MeasuredKind = 'sensing' | 'completion' | 'rpca';

interface Common {
  n: number;
  m: number;
  r: number;
  partition: number[];
  offsets: number[];
  /** balancing weight λ ≥ 0 of (λ/4)‖UᵀU − VᵀV‖² per node */
  lambda: number;
  /** the planted low-rank matrix X⋆ / M⋆ (n×m); null for user data, where it is unknown */
  truth: Mat | null;
  /** the matrix the app draws and scales by: X⋆ (sensing), the observed M with 0 where missing (completion), Mₒ (rpca) */
  Y: Mat;
  /** σ₁ of the matrix the step rule scales with (X⋆ for sensing, P_Ω(M)/p for completion, Mₒ for RPCA) */
  sigma1: number;
  /** min of the objective: 0 for noiseless planted data (the truth attains it); otherwise 0 is a lower bound */
  fStar: number;
}

export interface SensingProblem extends Common {
  kind: 'sensing';
  /** 𝒜ⱼ ∈ ℝ^{pⱼ×(n·mⱼ)} */
  A: Mat[];
  b: Float64Array[];
  /** 𝒜ⱼ/√pⱼ ([G]) rather than plain N(0, 1) entries */
  normalized: boolean;
}

export interface CompletionProblem extends Common {
  kind: 'completion';
  /** sampling probability p of the 1/(2p) weight */
  pObs: number;
  /** Ω as 0/1, n×m row-major */
  mask: Uint8Array;
  /** the data M (n×m); entries outside Ω are never read */
  M: Mat;
  /** Q of (6.2); null when off */
  Q: { lambda1: number; lambda2: number; alpha1: number; alpha2: number } | null;
  /** rating prediction ([H] §6.4): held-out entries (row-major indices into M, values) for the test RMSE */
  heldOut?: { index: Uint32Array; value: Float64Array };
}

export interface RpcaProblem extends Common {
  kind: 'rpca';
  /** Mₒ = M⋆ + S⋆ */
  M: Mat;
  /** planted sparse corruption (null for user data) */
  Sstar: Mat | null;
  /** per-row / per-column budgets of the projection are ⌈γα mⱼ⌉ and ⌈γα n⌉ (SPEC §6.2 option 2) */
  alpha: number;
  gamma: number;
  /** entry bound b of the sparse set */
  bound: number;
}

export type MeasuredProblem = SensingProblem | CompletionProblem | RpcaProblem;


// ---------------------------------------------------------------------------------------------- builders

export interface SensingSpec {
  seed: number;
  n: number;
  m: number;
  r: number;
  trueRank: number;
  partition: number[];
  lambda: number;
  /** measurements per node (or in all, split over nodes, when `split`) */
  measurements: number;
  split: boolean;
  /** use 𝒜/√p ([G]'s normalisation; SPEC §5.5 "optional mode") */
  normalize: boolean;
  /** std of Gaussian noise added to b */
  noise: number;
}

/** Largest operator the lab builds (entries of all 𝒜ⱼ together): 2·10⁷ doubles = 160 MB. */
export const MAX_SENSING_ENTRIES = 20_000_000;

/**
 * X⋆ = U⋆V⋆ᵀ as in the factorization (same seed → same X⋆), 𝒜ⱼ i.i.d. N(0, 1) from the sub-stream "A"
 * node by node, bⱼ = 𝒜ⱼ vec(Xⱼ⋆) (+ noise from the sub-stream "bnoise").
 */
export function sensingProblem(s: SensingSpec): SensingProblem {
  const { n, m, r, partition } = s;
  const J = partition.length;
  const perNode = partition.map((_, j) => (s.split ? Math.floor(s.measurements / J) + (j < s.measurements % J ? 1 : 0) : s.measurements));
  if (perNode.some((p) => p < 1)) {
    throw new DocumentError('problem.generate.measurements', s.split
      ? `${s.measurements} measurements split over J = ${J} nodes leave some node with none; give at least ${J}`
      : 'every node needs at least 1 measurement');
  }
  const entries = perNode.reduce((a, p, j) => a + p * n * partition[j], 0);
  if (entries > MAX_SENSING_ENTRIES) {
    throw new DocumentError('problem.generate.measurements', `the operators would hold ${entries.toExponential(2)} numbers; the lab builds at most ${MAX_SENSING_ENTRIES.toExponential(0)} (fewer measurements or a smaller matrix)`);
  }
  const truth = plantedY({ seed: s.seed, n, m, trueRank: s.trueRank, noise: 0 });
  const offsets = offsetsOf(partition);
  const ga = new Rng(childSeed(s.seed, 'A'));
  const gn = new Rng(childSeed(s.seed, 'bnoise'));
  const A: Mat[] = [], b: Float64Array[] = [];
  for (let j = 0; j < J; j++) {
    const mj = partition[j], p = perNode[j], cols = n * mj;
    const Aj = fromArray(p, cols, ga.normals(p * cols, s.normalize ? 1 / Math.sqrt(p) : 1));
    const Xj = columns(truth, offsets[j], mj);
    const bj = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      let v = 0;
      const row = k * cols;
      for (let q = 0; q < cols; q++) v += Aj.data[row + q] * Xj.data[q];
      bj[k] = v + (s.noise > 0 ? s.noise * gn.normal() : 0);
    }
    A.push(Aj);
    b.push(bj);
  }
  return {
    kind: 'sensing', n, m, r, partition: partition.slice(), offsets, lambda: s.lambda, truth, Y: truth, A, b, normalized: s.normalize,
    sigma1: topSingularValue(truth), fStar: 0,
  };
}

/** What completion and robust PCA are built from: sizes, the split, λ, the data M and (planted) its low-rank truth. */
interface GivenDataSpec {
  n: number;
  m: number;
  r: number;
  partition: number[];
  lambda: number;
  /** the data: planted (seed) or given */
  M: Mat;
  truth: Mat | null;
}

export interface CompletionSpec extends GivenDataSpec {
  /** Ω, or null to draw Bernoulli(pObs) from maskSeed */
  mask: Uint8Array | null;
  pObs: number;
  maskSeed: number;
  /** multipliers of the SPEC §6.1 defaults α_i = 2√(νrσ₁/dᵢ), λ_i = dᵢ/(νrκ); null = Q off */
  incoherence: { alpha: number; weight: number } | null;
}

/** Estimates of σ₁, κ and ν from the top-r SVD of P_Ω(M)/p (SPEC §6.1, "when unknown"). */
export function incoherenceEstimate(E: Mat, r: number): { sigma1: number; kappa: number; nu: number } {
  const { P, s, Q } = svd(E);
  const d1 = E.rows, d2 = E.cols;
  let rowMax = 0, colMax = 0;
  for (let i = 0; i < d1; i++) {
    let t = 0;
    for (let k = 0; k < r; k++) {
      const p = P.data[i * P.cols + k];
      t += p * p;
    }
    rowMax = Math.max(rowMax, t);
  }
  for (let i = 0; i < d2; i++) {
    let t = 0;
    for (let k = 0; k < r; k++) {
      const q = Q.data[i * Q.cols + k];
      t += q * q;
    }
    colMax = Math.max(colMax, t);
  }
  return { sigma1: s[0], kappa: s[0] / Math.max(s[r - 1], 1e-300), nu: Math.max((rowMax * d1) / r, (colMax * d2) / r) };
}

export function completionProblem(s: CompletionSpec): CompletionProblem {
  const { n, m, r, partition, pObs } = s;
  let mask = s.mask;
  if (!mask) {
    mask = new Uint8Array(n * m);
    const g = new Rng(childSeed(s.maskSeed, 'mask'));
    for (let i = 0; i < mask.length; i++) mask[i] = g.uniform() < pObs ? 1 : 0;
  }
  const offsets = offsetsOf(partition);
  partition.forEach((mj, j) => {
    let count = 0;
    for (let i = 0; i < n; i++) for (let c = 0; c < mj; c++) count += mask![i * m + offsets[j] + c];
    if (count === 0) {
      throw new DocumentError(s.mask ? 'problem.mask' : 'problem.pObs', `node ${j + 1} observes no entry of its ${n}×${mj} block; raise the sampling rate or give it fewer nodes`);
    }
  });
  const Y = zeros(n, m);
  for (let i = 0; i < n * m; i++) Y.data[i] = mask[i] ? s.M.data[i] : 0;
  const E = zeros(n, m);
  for (let i = 0; i < n * m; i++) E.data[i] = Y.data[i] / pObs;
  let Q: CompletionProblem['Q'] = null;
  let sigma1: number;
  if (s.incoherence) {
    const est = incoherenceEstimate(E, r);
    sigma1 = est.sigma1;
    const base = (d: number) => 2 * Math.sqrt((est.nu * r * est.sigma1) / d);
    Q = {
      alpha1: s.incoherence.alpha * base(n),
      alpha2: s.incoherence.alpha * base(m),
      lambda1: (s.incoherence.weight * n) / (est.nu * r * est.kappa),
      lambda2: (s.incoherence.weight * m) / (est.nu * r * est.kappa),
    };
  } else {
    sigma1 = topSingularValue(E);
  }
  return {
    kind: 'completion', n, m, r, partition: partition.slice(), offsets, lambda: s.lambda, truth: s.truth, Y,
    sigma1, fStar: 0, pObs, mask, M: s.M, Q,
  };
}

export interface RpcaSpec extends GivenDataSpec {
  Sstar: Mat | null;
  alpha: number;
  gamma: number;
  bound: number;
}

export function rpcaProblem(s: RpcaSpec): RpcaProblem {
  return {
    kind: 'rpca', n: s.n, m: s.m, r: s.r, partition: s.partition.slice(), offsets: offsetsOf(s.partition),
    lambda: s.lambda, truth: s.truth, Y: s.M, M: s.M, Sstar: s.Sstar, alpha: s.alpha, gamma: s.gamma, bound: s.bound,
    sigma1: topSingularValue(s.M), fStar: 0,
  };
}

/** b = 2νrσ₁/√(d₁d₂) (SPEC §6.2) from the truth's SVD (or, for user data, from M's top-r SVD). */
export function sparseBound(X: Mat, r: number): number {
  const est = incoherenceEstimate(X, r);
  return (2 * est.nu * r * est.sigma1) / Math.sqrt(X.rows * X.cols);
}

/**
 * Planted RPCA data (SPEC §6.2 "Data"): M⋆ = U⋆V⋆ᵀ; S⋆ with ⌊αm⌋ random positions per row, pruned to
 * ⌊αn⌋ per column, values ±b ("sign") or uniform on [−b, b].
 */
export function plantedRpca(o: { seed: number; n: number; m: number; trueRank: number; corruption: number; values: 'sign' | 'uniform' }): { truth: Mat; S: Mat; M: Mat; bound: number } {
  const { n, m } = o;
  const truth = plantedY({ seed: o.seed, n, m, trueRank: o.trueRank, noise: 0 });
  const bound = sparseBound(truth, o.trueRank);
  const S = zeros(n, m);
  const g = new Rng(childSeed(o.seed, 'S'));
  const perRow = Math.floor(o.corruption * m), perCol = Math.floor(o.corruption * n);
  const colCount = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    // a random subset of ⌊αm⌋ columns (partial Fisher–Yates), kept where the column budget allows
    const idx = Array.from({ length: m }, (_, c) => c);
    for (let k = 0; k < perRow; k++) {
      const t = k + g.int(m - k);
      [idx[k], idx[t]] = [idx[t], idx[k]];
      const c = idx[k];
      const v = o.values === 'sign' ? (g.uniform() < 0.5 ? -bound : bound) : (2 * g.uniform() - 1) * bound;
      if (colCount[c] < perCol) {
        colCount[c]++;
        S.data[i * m + c] = v;
      }
    }
  }
  const M = zeros(n, m);
  for (let i = 0; i < n * m; i++) M.data[i] = truth.data[i] + S.data[i];
  return { truth, S, M, bound };
}

// ------------------------------------------------------------------------------------ shared arithmetic

/** X = UVᵀ (n×mj) into out. */
function product(n: number, mj: number, r: number, U: Float64Array, V: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < mj; c++) {
      let v = 0;
      for (let k = 0; k < r; k++) v += U[i * r + k] * V[c * r + k];
      out[i * mj + c] = v;
    }
  }
}

/** gU += G V, gV += Gᵀ U for G (n×mj). */
function backProject(n: number, mj: number, r: number, G: Float64Array, U: Float64Array, V: Float64Array, gU: Float64Array | undefined, gV: Float64Array | undefined): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < mj; c++) {
      const e = G[i * mj + c];
      if (e === 0) continue;
      if (gU) for (let k = 0; k < r; k++) gU[i * r + k] += e * V[c * r + k];
      if (gV) for (let k = 0; k < r; k++) gV[c * r + k] += e * U[i * r + k];
    }
  }
}

/**
 * The products of a measured objective: plain TypeScript (the oracle, `--kernels js`) or on the WebAssembly
 * kernels (kernels.ts). The kernels sum every entry in the plain loops' order (UVᵀ from +0 over k; GV and GᵀU
 * from +0 over the columns / rows; sensing's residuals from −bₖ over the operator's row, 𝒜ᵀe from +0 over the
 * rows), so both give the same bits (test/unit/wasm-kernels.test.ts): the kernels change the speed only.
 * (One difference: backProject skips G's zeros, the kernels multiply them, so 0·∞ makes a NaN where the plain
 * path had none — only in a run that has already overflowed.)
 */
export interface MeasuredOps {
  /** out = UVᵀ (n×mⱼ) */
  product(n: number, mj: number, r: number, U: Float64Array, V: Float64Array, out: Float64Array): void;
  /** gU += G V, gV += Gᵀ U for G (n×mⱼ) */
  backProject(n: number, mj: number, r: number, G: Float64Array, U: Float64Array, V: Float64Array, gU: Float64Array | undefined, gV: Float64Array | undefined): void;
  /**
   * Sensing's data term at X (vec, A.cols entries): Σₖ ½eₖ² with e = A·X − b, and G = Aᵀe when G is given.
   * null: the plain loop over blocks of 8 rows in measuredObjective.
   */
  sensing: ((A: Mat, b: Float64Array, X: Float64Array, G: Float64Array | null) => number) | null;
}

const PLAIN_OPS: MeasuredOps = { product, backProject, sensing: null };

/** The measured objectives' products on `k`. */
function kernelOps(k: Products): MeasuredOps {
  const m = new KernelMats(k);
  return {
    product(n, mj, r, U, V, out) {
      const u = m.put('u', U, n * r), vt = m.transposed('vt', V, mj, r), x = m.scratch('uv', n * mj);
      k.gemm(x, u, vt, n, r, mj, r, 1, mj, mj);
      out.set(k.f64.subarray(x, x + n * mj));
    },
    backProject(n, mj, r, G, U, V, gU, gV) {
      const g = m.put('g', G, n * mj), u = m.put('u', U, n * r), v = m.put('v', V, mj * r);
      const gu = m.scratch('gu', n * r), gv = m.scratch('gv', mj * r);
      if (gU) k.gemm(gu, g, v, n, mj, r, mj, 1, r, r);
      if (gV) k.gemm(gv, g, u, mj, n, r, 1, mj, r, r);
      const f = k.f64;
      if (gU) for (let i = 0; i < n * r; i++) gU[i] += f[gu + i];
      if (gV) for (let i = 0; i < mj * r; i++) gV[i] += f[gv + i];
    },
    sensing(A, b, X, G) {
      const e = m.residual(A, b, X);
      let val = 0;
      for (let q = 0; q < e.length; q++) val += 0.5 * e[q] * e[q];
      if (G) m.adjoint(A, G, false);
      return val;
    },
  };
}

/** Q's contribution of one factor: w Σ_rows (‖x_i‖ − α)₊⁴, gradient 4w(‖x_i‖ − α)₊³ x_i/‖x_i‖ (SPEC §6.1). */
function incoherenceTerm(w: number, alpha: number, rows: number, r: number, X: Float64Array, g?: Float64Array): number {
  if (w === 0) return 0;
  let val = 0;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = 0; k < r; k++) {
      const x = X[i * r + k];
      s += x * x;
    }
    const nrm = Math.sqrt(s), t = nrm - alpha;
    if (t <= 0) continue;
    const t2 = t * t;
    val += w * (t2 * t2);
    if (g) {
      const c = (4 * w * (t2 * t)) / nrm;
      for (let k = 0; k < r; k++) g[i * r + k] += c * X[i * r + k];
    }
  }
  return val;
}

// ------------------------------------------------------------------------------------ the RPCA projection

/**
 * Π of SPEC §6.2, option 2 (Yi et al. 2016): keep (i, c) when |Rᵢc| is among the ⌈γα·cols⌉ largest of its
 * row and among the ⌈γα·rows⌉ largest of its column; S = clip(R, ±b) there, 0 elsewhere. Always feasible.
 * Returns S (rows×cols).
 */
export function sparseProjection(R: Float64Array, rows: number, cols: number, alpha: number, gamma: number, bound: number, out?: Float64Array): Float64Array {
  const S = out ?? new Float64Array(rows * cols);
  S.fill(0);
  const kRow = Math.min(cols, Math.ceil(gamma * alpha * cols));
  const kCol = Math.min(rows, Math.ceil(gamma * alpha * rows));
  if (kRow === 0 || kCol === 0) return S;
  const rowThr = new Float64Array(rows), colThr = new Float64Array(cols);
  const buf = new Float64Array(Math.max(rows, cols));
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) buf[c] = Math.abs(R[i * cols + c]);
    rowThr[i] = kthLargest(buf.subarray(0, cols), kRow);
  }
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < rows; i++) buf[i] = Math.abs(R[i * cols + c]);
    colThr[c] = kthLargest(buf.subarray(0, rows), kCol);
  }
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) {
      const v = R[i * cols + c], a = Math.abs(v);
      if (a > 0 && a >= rowThr[i] && a >= colThr[c]) S[i * cols + c] = Math.max(-bound, Math.min(bound, v));
    }
  }
  return S;
}

/** The k-th largest value (1-based) of a; reorders a. */
function kthLargest(a: Float64Array, k: number): number {
  a.sort();
  return a[a.length - k];
}

// ------------------------------------------------------------------------------------ node objectives

/** A measured problem's node objective, with its data term alone (the fitting error) on the side. */
export interface MeasuredObjective extends NodeObjective {
  /** dataⱼ(UVⱼᵀ) without the balancing and Q terms */
  dataTerm(j: number, x: Float64Array, y: Float64Array): number;
  /** RPCA: the sparse estimate Sⱼ (n×mⱼ) at (x, y) */
  sparse?(j: number, x: Float64Array, y: Float64Array): Float64Array;
}

/**
 * The node objective of a measured problem over the split in `partition` (J = 1 and the whole matrix for
 * centralized GD: pass a one-block problem). Shared x = vec Uʲ (n·r), private y = vec Vⱼ (mⱼ·r).
 */
export function measuredObjective(p: MeasuredProblem, ops: MeasuredOps = PLAIN_OPS): MeasuredObjective {
  const { n, r, partition, lambda } = p;
  const J = partition.length;
  const Xbuf = new Float64Array(n * Math.max(...partition));
  const Gbuf = new Float64Array(n * Math.max(...partition));
  let data: (j: number, U: Float64Array, V: Float64Array, gU?: Float64Array, gV?: Float64Array) => number;
  let sparse: MeasuredObjective['sparse'];

  if (p.kind === 'sensing') {
    const e = new Float64Array(8); // residuals of one block of 8 rows
    data = (j, U, V, gU, gV) => {
      const mj = partition[j], A = p.A[j], cols = n * mj;
      ops.product(n, mj, r, U, V, Xbuf);
      const G = Gbuf.subarray(0, cols);
      const grad = !!(gU || gV);
      if (ops.sensing) {
        const val = ops.sensing(A, p.b[j], Xbuf, grad ? G : null);
        if (grad) ops.backProject(n, mj, r, G, U, V, gU, gV);
        return val;
      }
      G.fill(0);
      let val = 0;
      const a = A.data, bj = p.b[j];
      // rows in blocks of 8: the residuals, then 𝒜ᵀe from the same rows while they are still in cache
      for (let k0 = 0; k0 < A.rows; k0 += 8) {
        const k1 = Math.min(A.rows, k0 + 8);
        for (let k = k0; k < k1; k++) {
          const row = k * cols;
          let s = -bj[k];
          for (let q = 0; q < cols; q++) s += a[row + q] * Xbuf[q];
          val += 0.5 * s * s;
          e[k - k0] = s;
        }
        if (grad) {
          for (let k = k0; k < k1; k++) {
            const row = k * cols, s = e[k - k0];
            for (let q = 0; q < cols; q++) G[q] += s * a[row + q];
          }
        }
      }
      if (grad) ops.backProject(n, mj, r, G, U, V, gU, gV);
      return val;
    };
  } else if (p.kind === 'completion') {
    const inv = 1 / p.pObs, m = p.m;
    data = (j, U, V, gU, gV) => {
      const mj = partition[j], o = p.offsets[j];
      ops.product(n, mj, r, U, V, Xbuf);
      let val = 0;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < mj; c++) {
          const q = i * m + o + c;
          const e = p.mask[q] ? Xbuf[i * mj + c] - p.M.data[q] : 0;
          val += 0.5 * inv * e * e;
          Gbuf[i * mj + c] = inv * e;
        }
      }
      if (gU || gV) ops.backProject(n, mj, r, Gbuf, U, V, gU, gV);
      return val;
    };
  } else {
    const m = p.m;
    const Rbuf = new Float64Array(n * Math.max(...partition));
    const Sbuf = new Float64Array(n * Math.max(...partition));
    const residualAndS = (j: number, U: Float64Array, V: Float64Array): Float64Array => {
      const mj = partition[j], o = p.offsets[j];
      ops.product(n, mj, r, U, V, Xbuf);
      const R = Rbuf.subarray(0, n * mj);
      for (let i = 0; i < n; i++) for (let c = 0; c < mj; c++) R[i * mj + c] = p.M.data[i * m + o + c] - Xbuf[i * mj + c];
      return sparseProjection(R, n, mj, p.alpha, p.gamma, p.bound, Sbuf.subarray(0, n * mj));
    };
    data = (j, U, V, gU, gV) => {
      const mj = partition[j];
      const S = residualAndS(j, U, V);
      let val = 0;
      for (let q = 0; q < n * mj; q++) {
        const e = S[q] - Rbuf[q]; // UVᵀ + S − M
        val += 0.5 * e * e;
        Gbuf[q] = e;
      }
      if (gU || gV) ops.backProject(n, mj, r, Gbuf, U, V, gU, gV);
      return val;
    };
    sparse = (j, x, y) => residualAndS(j, x, y).slice();
  }

  const Q = p.kind === 'completion' ? p.Q : null;
  return {
    J,
    sharedLen: n * r,
    localLen: partition.map((mj) => mj * r),
    evaluate(j, x, y, gx, gy) {
      if (gx) gx.fill(0);
      if (gy) gy.fill(0);
      const mj = partition[j];
      let val = data(j, x, y, gx, gy) + balancingTerm(lambda, n, mj, r, x, y, gx, gy);
      if (Q) {
        // Q's U part is shared by all nodes: each carries 1/J of it, so Σⱼ fⱼ at consensus is (6.1).
        val += incoherenceTerm(Q.lambda1 / J, Q.alpha1, n, r, x, gx);
        val += incoherenceTerm(Q.lambda2, Q.alpha2, mj, r, y, gy);
      }
      return val;
    },
    dataTerm: (j, x, y) => data(j, x, y),
    withProducts: (k) => measuredObjective(p, kernelOps(k)),
    sparse,
  };
}

/** Σⱼ‖UʲVⱼᵀ − Xⱼ⋆‖² (SPEC §5.5 (d)); each node uses its own copy Uʲ. */
export function optimalityError(p: MeasuredProblem, X: Float64Array, Vall: Float64Array, sharedLen: number, truth: Mat): number {
  const { n, r, m } = p;
  let s = 0;
  for (let j = 0; j < p.partition.length; j++) {
    const U = X.subarray(j * sharedLen, j * sharedLen + n * r);
    const o = p.offsets[j], mj = p.partition[j];
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < mj; c++) {
        let v = -truth.data[i * m + o + c];
        for (let k = 0; k < r; k++) v += U[i * r + k] * Vall[(o + c) * r + k];
        s += v * v;
      }
    }
  }
  return s;
}

/**
 * Rating prediction's test RMSE ([H] §6.4): √(mean of (UʲVⱼᵀ − M)² over the held-out entries), each
 * entry predicted by the node that holds its column, with its own copy Uʲ; the raw prediction, unclipped.
 */
export function heldOutRmse(p: CompletionProblem, X: Float64Array, Vall: Float64Array, sharedLen: number): number {
  const { r, m } = p, h = p.heldOut!;
  if (h.index.length === 0) return NaN;
  const owner = new Int32Array(m);
  p.partition.forEach((mj, j) => owner.fill(j, p.offsets[j], p.offsets[j] + mj));
  let s = 0;
  for (let t = 0; t < h.index.length; t++) {
    const a = Math.floor(h.index[t] / m), c = h.index[t] - a * m, o = owner[c] * sharedLen;
    let v = -h.value[t];
    for (let k = 0; k < r; k++) v += X[o + a * r + k] * Vall[c * r + k];
    s += v * v;
  }
  return Math.sqrt(s / h.index.length);
}

/** The trivial baseline's test RMSE: every held-out rating predicted by the mean rating on Ω. */
export function meanBaselineRmse(p: CompletionProblem): number {
  const h = p.heldOut!;
  let total = 0, count = 0, s = 0;
  for (let q = 0; q < p.mask.length; q++) {
    if (!p.mask[q]) continue;
    total += p.M.data[q];
    count++;
  }
  const mean = total / count;
  for (let t = 0; t < h.value.length; t++) s += (mean - h.value[t]) * (mean - h.value[t]);
  return h.value.length ? Math.sqrt(s / h.value.length) : NaN;
}

/**
 * |supp S Δ supp S⋆| / |supp S⋆| (0: the corrupted entries found exactly); S assembled from the node blocks.
 * An entry counts as in supp S when |S| > 10⁻⁶·b: at the solution the projection also keeps rounding-level
 * residuals (~10⁻¹³) where its budget allows, and those are not corruption.
 */
export function supportMismatch(p: RpcaProblem, blocks: Float64Array[]): number {
  if (!p.Sstar) return NaN;
  const { n, m } = p;
  let diff = 0, size = 0;
  const tiny = 1e-6 * p.bound;
  p.partition.forEach((mj, j) => {
    const o = p.offsets[j];
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < mj; c++) {
        const a = Math.abs(blocks[j][i * mj + c]) > tiny, b = p.Sstar!.data[i * m + o + c] !== 0;
        if (b) size++;
        if (a !== b) diff++;
      }
    }
  });
  return size === 0 ? diff : diff / size;
}

/** UVᵀ for display: the network average Ū times V. */
export function reconstruction(n: number, m: number, r: number, U: Float64Array, V: Float64Array): Mat {
  return matmulNT(fromArray(n, r, U), fromArray(m, r, V));
}
