/**
 * The symmetric PSD family of Ge, Jin & Zheng, ICML 2017 ([G] §4; SPEC §5.3, §6.1 "Symmetric version",
 * §6.2 symmetric case): the unknown matrix is M⋆ = U⋆U⋆ᵀ (n×n, PSD, rank r⋆) and the variable is one factor
 * U ∈ ℝ^{n×r}, X = UUᵀ. This file holds the planted instances; `objective.ts` the node objectives.
 *
 * | kind           | objective (centralized)                                        | [G]            |
 * |----------------|----------------------------------------------------------------|----------------|
 * | sym-sensing    | (1/2p) Σₖ (⟨Aₖ, UUᵀ⟩ − bₖ)²                                     | (10), Thm 8    |
 * | sym-completion | (1/2p_obs) ‖P_Ω(UUᵀ − M⋆)‖² + λ Σᵢ (‖Uᵢ‖ − α)₊⁴                 | (11), Thm 12   |
 * | sym-rpca       | min_{S ∈ 𝒮_{γα}} ½‖UUᵀ + S − Mₒ‖²,  Mₒ = M⋆ + S⋆                | (12), Thm 15   |
 *
 * Planted data (all from `seed` through named sub-streams, so one part never shifts another):
 * - U⋆ ∈ ℝ^{n×r⋆} i.i.d. N(0, 1) from the sub-stream "Ustar" (the same numbers as the U⋆ of the asymmetric
 *   factorization with that seed), M⋆ = U⋆U⋆ᵀ;
 * - sensing: Aₖ ∈ ℝ^{n×n} i.i.d. N(0, 1), not symmetrised ("A", node by node, measurement by measurement,
 *   each row-major), bₖ = ⟨Aₖ, M⋆⟩ + noise·N(0, 1) ("bnoise");
 * - completion: Ω symmetric Bernoulli(p_obs): the upper triangle with the diagonal drawn row by row from
 *   childSeed(maskSeed, "mask"), then mirrored;
 * - rpca: S⋆ symmetric with at most ⌊αn⌋ nonzeros in every row (so in every column), values ±b or
 *   uniform on [−b, b] ("S"), b = 2νr⋆σ₁⋆/n (SPEC §6.2, symmetric case).
 *
 * Incoherence constants (SPEC §6.1 "Constants (Prop)", symmetric): with M⋆ = P diag(σ) Pᵀ (top r⋆),
 * ν = (n/r⋆)·maxᵢ‖Pᵢ‖², κ⋆ = σ₁⋆/σ_{r⋆}⋆, α = a·2√(νr⋆σ₁⋆/n), λ = w·n/(νr⋆κ⋆), with the multipliers (a, w)
 * of the asymmetric documents' `incoherence: { alpha, weight }`. Rows of the balanced truth have norm at most
 * √(νr⋆σ₁⋆/n) = α/2 (a = 1), so Q(U⋆) = 0.
 *
 * The split over J nodes for distributed runs (classical DGD: every node keeps a full copy Uʲ; there is no
 * private block): `partition` divides the n columns of the matrix. Completion and RPCA give node j the
 * columns Cⱼ of its block (all rows); sensing gives node j its own measurements (`measurements` each, or
 * `measurements` in all split as evenly as possible when `split`) and ignores the column sizes. Every node's
 * share is scaled so that Σⱼ fⱼ(U) is the centralized objective (RPCA: up to the projection, see objective.ts).
 */
import { type Mat, fromArray, matmulNT, svd, zeros } from '../../linalg';
import { offsetsOf } from '../../factorization-model';
import { DocumentError } from '../../document';
import { Rng, childSeed } from '../../rng';

export type SymmetricKind = 'sym-sensing' | 'sym-completion' | 'sym-rpca';

interface SymCommon {
  n: number;
  /** rank r of the factor U (n×r) */
  r: number;
  /** rank r⋆ of the planted truth */
  trueRank: number;
  /** column blocks of the nodes (Σ = n; [n] for centralized GD) */
  partition: number[];
  offsets: number[];
  /** the planted factor U⋆ (n×r⋆) */
  Ustar: Mat;
  /** M⋆ = U⋆U⋆ᵀ (n×n) */
  truth: Mat;
  /** σ₁(M⋆) = σ₁(U⋆)²: the scale of the step rule */
  sigma1: number;
  /** σ_{r⋆}(M⋆) */
  sigmaR: number;
  /** min of the objective: 0 (the truth attains it when noiseless; a lower bound otherwise) */
  fStar: number;
}

export interface SymSensingProblem extends SymCommon {
  kind: 'sym-sensing';
  /** node j's operator: pⱼ × n² (row k is vec Aₖ, row-major: Aₖ[i, c] at i·n + c) */
  A: Mat[];
  b: Float64Array[];
  /** p: the total number of measurements, the p of 1/(2p) on every node */
  total: number;
  noise: number;
}

export interface SymCompletionProblem extends SymCommon {
  kind: 'sym-completion';
  pObs: number;
  /** Ω as 0/1, n×n row-major, symmetric */
  mask: Uint8Array;
  /** the data M = M⋆ (read only on Ω) */
  M: Mat;
  /** Q = λ Σᵢ (‖Uᵢ‖ − α)₊⁴; null when off */
  Q: { lambda: number; alpha: number } | null;
  /** ν and κ⋆ of M⋆ (the constants behind α, λ) */
  nu: number;
  kappa: number;
}

export interface SymRpcaProblem extends SymCommon {
  kind: 'sym-rpca';
  /** Mₒ = M⋆ + S⋆ */
  M: Mat;
  Sstar: Mat;
  /** the density α the projection assumes, and its slack γ: budgets ⌈γα mⱼ⌉ per row, ⌈γα n⌉ per column */
  alpha: number;
  gamma: number;
  /** entry bound b of 𝒮 */
  bound: number;
  nu: number;
}

export type SymmetricProblem = SymSensingProblem | SymCompletionProblem | SymRpcaProblem;


/** Largest sensing operator built (entries of all Aₖ together): 2·10⁷ doubles = 160 MB, as measured.ts. */
export const MAX_SYM_SENSING_ENTRIES = 20_000_000;

// ------------------------------------------------------------------------------------------ shared specs

export interface SymBaseSpec {
  seed: number;
  n: number;
  /** rank r of the factor */
  rank: number;
  /** rank r⋆ of the planted truth (default: rank) */
  trueRank?: number;
  /** M⋆ = diag(spectrum) (its nonzero entries set r⋆) instead of a Gaussian U⋆U⋆ᵀ */
  spectrum?: number[];
  /** column blocks of the nodes, summing to n (default [n]: centralized) */
  partition?: number[];
}

// the column split of the factorization's model: the same blocks, the first (n mod J) one column wider
export { equalPartition, offsetsOf } from '../../factorization-model';

function isInt(x: number, lo: number): boolean {
  return Number.isSafeInteger(x) && x >= lo;
}

/** The checked sizes and the planted truth every kind starts from. */
function base(s: SymBaseSpec): SymCommon {
  const { n, rank: r } = s;
  const trueRank = s.trueRank ?? r;
  if (!isInt(s.seed, 0)) throw new DocumentError('problem.generate.seed', `seed must be a non-negative safe integer, got ${s.seed}`);
  if (!isInt(n, 1)) throw new DocumentError('problem.generate.n', `n must be an integer ≥ 1, got ${n}`);
  if (!isInt(r, 1) || r > n) throw new DocumentError('problem.rank', `is ${r} but must be an integer in 1 … n = ${n}`);
  if (!isInt(trueRank, 1) || trueRank > n) throw new DocumentError('problem.generate.trueRank', `is ${trueRank} but must be an integer in 1 … n = ${n}`);
  const partition = s.partition ? s.partition.slice() : [n];
  if (partition.length < 1 || partition.some((w) => !isInt(w, 1))) {
    throw new DocumentError('problem.partition', 'every block needs a whole number ≥ 1 of columns');
  }
  const total = partition.reduce((a, w) => a + w, 0);
  if (total !== n) throw new DocumentError('problem.partition', `the blocks sum to ${total} columns but the matrix has n = ${n}`);
  if (s.spectrum) return diagonalBase(s, partition);
  const Ustar = fromArray(n, trueRank, new Rng(childSeed(s.seed, 'Ustar')).normals(n * trueRank));
  const truth = matmulNT(Ustar, Ustar);
  const sv = svd(Ustar).s; // σᵢ(M⋆) = σᵢ(U⋆)²
  return {
    n, r, trueRank, partition, offsets: offsetsOf(partition), Ustar, truth,
    sigma1: sv[0] * sv[0], sigmaR: sv[trueRank - 1] * sv[trueRank - 1], fStar: 0,
  };
}

/** M⋆ = diag(spectrum): U⋆ holds √σᵢ eᵢ for its nonzero entries, in order of size. */
function diagonalBase(s: SymBaseSpec, partition: number[]): SymCommon {
  const sp = s.spectrum!, n = s.n;
  if (sp.length !== n) throw new DocumentError('problem.generate.spectrum', `has ${sp.length} entries but n = ${n}`);
  if (sp.some((x) => !(x >= 0) || !Number.isFinite(x))) throw new DocumentError('problem.generate.spectrum', 'entries must be finite and ≥ 0 (M⋆ is PSD)');
  const order = sp.map((_, i) => i).filter((i) => sp[i] > 0).sort((a, b) => sp[b] - sp[a] || a - b);
  const trueRank = order.length;
  if (trueRank === 0) throw new DocumentError('problem.generate.spectrum', 'is all zeros: M⋆ = 0 has nothing to recover');
  const Ustar = fromArray(n, trueRank, new Float64Array(n * trueRank));
  order.forEach((i, k) => { Ustar.data[i * trueRank + k] = Math.sqrt(sp[i]); });
  const truth = fromArray(n, n, new Float64Array(n * n));
  sp.forEach((x, i) => { truth.data[i * n + i] = x; });
  return {
    n, r: s.rank, trueRank, partition, offsets: offsetsOf(partition), Ustar, truth,
    sigma1: sp[order[0]], sigmaR: sp[order[trueRank - 1]], fStar: 0,
  };
}

/**
 * ν, σ₁⋆ and κ⋆ of M⋆ = U⋆U⋆ᵀ from the thin SVD U⋆ = P S Qᵀ (M⋆ = P S² Pᵀ): ν = (n/r⋆) maxᵢ ‖Pᵢ‖²
 * ([G] Definition 4 / SPEC §6.1 "Incoherence", symmetric), κ⋆ = σ₁⋆/σ_{r⋆}⋆.
 */
export function incoherenceOf(Ustar: Mat): { nu: number; sigma1: number; kappa: number } {
  const { P, s } = svd(Ustar);
  const n = Ustar.rows, r = Ustar.cols;
  let rowMax = 0;
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let k = 0; k < r; k++) {
      const v = P.data[i * P.cols + k];
      t += v * v;
    }
    rowMax = Math.max(rowMax, t);
  }
  const s1 = s[0] * s[0], sr = s[r - 1] * s[r - 1];
  return { nu: (rowMax * n) / r, sigma1: s1, kappa: s1 / Math.max(sr, 1e-300) };
}

// ------------------------------------------------------------------------------------------ sensing

export interface SymSensingSpec extends SymBaseSpec {
  /** measurements per node (or in all, split over the nodes, when `split`) */
  measurements: number;
  split?: boolean;
  /** std of Gaussian noise added to b (default 0) */
  noise?: number;
}

export function symSensingProblem(s: SymSensingSpec): SymSensingProblem {
  const c = base(s);
  const { n, partition } = c;
  const J = partition.length;
  const noise = s.noise ?? 0;
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new DocumentError('problem.generate.noise', `noise must be a finite number ≥ 0, got ${noise}`);
  if (!isInt(s.measurements, 0)) throw new DocumentError('problem.generate.measurements', `must be a whole number, got ${s.measurements}`);
  const perNode = partition.map((_, j) => (s.split ? Math.floor(s.measurements / J) + (j < s.measurements % J ? 1 : 0) : s.measurements));
  if (perNode.some((p) => p < 1)) {
    throw new DocumentError('problem.generate.measurements', s.split
      ? `${s.measurements} measurements split over J = ${J} nodes leave some node with none; give at least ${J}`
      : 'every node needs at least 1 measurement');
  }
  const total = perNode.reduce((a, p) => a + p, 0);
  const nn = n * n;
  if (total * nn > MAX_SYM_SENSING_ENTRIES) {
    throw new DocumentError('problem.generate.measurements', `the operators would hold ${(total * nn).toExponential(2)} numbers; the lab builds at most ${MAX_SYM_SENSING_ENTRIES.toExponential(0)} (fewer measurements or a smaller matrix)`);
  }
  const ga = new Rng(childSeed(s.seed, 'A'));
  const gn = new Rng(childSeed(s.seed, 'bnoise'));
  const M = c.truth.data;
  const A: Mat[] = [], b: Float64Array[] = [];
  for (const p of perNode) {
    const Aj = fromArray(p, nn, ga.normals(p * nn));
    const bj = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      let v = 0;
      for (let q = 0; q < nn; q++) v += Aj.data[k * nn + q] * M[q];
      bj[k] = v + (noise > 0 ? noise * gn.normal() : 0);
    }
    A.push(Aj);
    b.push(bj);
  }
  return { ...c, kind: 'sym-sensing', A, b, total, noise };
}

// ------------------------------------------------------------------------------------------ completion

export interface SymCompletionSpec extends SymBaseSpec {
  pObs: number;
  /** seed of the mask (default: seed) */
  maskSeed?: number;
  /** multipliers of α and λ (SPEC §6.1 "Constants (Prop)"); null or absent: Q off, as in the asymmetric documents */
  incoherence?: { alpha?: number; weight?: number } | null;
}

/** A symmetric Bernoulli(p) mask: the upper triangle with the diagonal, row by row, mirrored. */
export function symmetricMask(n: number, pObs: number, maskSeed: number): Uint8Array {
  const mask = new Uint8Array(n * n);
  const g = new Rng(childSeed(maskSeed, 'mask'));
  for (let i = 0; i < n; i++) {
    for (let c = i; c < n; c++) {
      const v = g.uniform() < pObs ? 1 : 0;
      mask[i * n + c] = v;
      mask[c * n + i] = v;
    }
  }
  return mask;
}

export function symCompletionProblem(s: SymCompletionSpec): SymCompletionProblem {
  const c = base(s);
  const { n, partition, offsets } = c;
  if (!(s.pObs > 0 && s.pObs <= 1)) throw new DocumentError('problem.pObs', `pObs must be in (0, 1], got ${s.pObs}`);
  const maskSeed = s.maskSeed ?? s.seed;
  if (!isInt(maskSeed, 0)) throw new DocumentError('problem.maskSeed', `must be a non-negative safe integer, got ${maskSeed}`);
  const mask = symmetricMask(n, s.pObs, maskSeed);
  partition.forEach((w, j) => {
    let count = 0;
    for (let i = 0; i < n; i++) for (let q = 0; q < w; q++) count += mask[i * n + offsets[j] + q];
    if (count === 0) throw new DocumentError('problem.pObs', `node ${j + 1} observes no entry of its ${n}×${w} block; raise the sampling rate or give it fewer nodes`);
  });
  const inc = incoherenceOf(c.Ustar);
  let Q: SymCompletionProblem['Q'] = null;
  if (s.incoherence) {
    const a = s.incoherence.alpha ?? 1, w = s.incoherence.weight ?? 1;
    if (!(a > 0) || !Number.isFinite(a)) throw new DocumentError('problem.incoherence.alpha', `alpha must be > 0, got ${a}`);
    if (!(w >= 0) || !Number.isFinite(w)) throw new DocumentError('problem.incoherence.weight', `weight must be ≥ 0, got ${w}`);
    const rs = c.trueRank;
    Q = { alpha: a * 2 * Math.sqrt((inc.nu * rs * inc.sigma1) / n), lambda: (w * n) / (inc.nu * rs * inc.kappa) };
  }
  return { ...c, kind: 'sym-completion', pObs: s.pObs, mask, M: c.truth, Q, nu: inc.nu, kappa: inc.kappa };
}

// ------------------------------------------------------------------------------------------ robust PCA

export interface SymRpcaSpec extends SymBaseSpec {
  /** α: fraction of corrupted entries per row and column of S⋆, in [0, 1) */
  corruption: number;
  values?: 'sign' | 'uniform';
  /** slack γ ≥ 1 on the density of the projection (default 2, as the asymmetric documents) */
  gamma?: number;
  /** the density the projection assumes (default: corruption) */
  alpha?: number;
  /** entry bound b (default 2νr⋆σ₁⋆/n) */
  bound?: number;
}

/**
 * Symmetric S⋆: rows in order; each draws ⌊αn⌋ random columns (partial Fisher–Yates) and, with a value,
 * places it at (i, c) and (c, i) when that entry is still empty and both row i and row c have room
 * (≤ ⌊αn⌋ each, so every row and column stays within the density α).
 */
export function plantedSymmetricSparse(n: number, corruption: number, bound: number, values: 'sign' | 'uniform', seed: number): Mat {
  const S = zeros(n, n);
  const k = Math.floor(corruption * n);
  if (k === 0) return S;
  const g = new Rng(childSeed(seed, 'S'));
  const count = new Int32Array(n);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < n; q++) idx[q] = q;
    for (let t = 0; t < k; t++) {
      const u = t + g.int(n - t);
      const c = idx[u];
      idx[u] = idx[t];
      idx[t] = c;
      const v = values === 'sign' ? (g.uniform() < 0.5 ? -bound : bound) : (2 * g.uniform() - 1) * bound;
      if (S.data[i * n + c] !== 0 || v === 0) continue;
      if (c === i ? count[i] < k : count[i] < k && count[c] < k) {
        S.data[i * n + c] = v;
        S.data[c * n + i] = v;
        count[i]++;
        if (c !== i) count[c]++;
      }
    }
  }
  return S;
}

export function symRpcaProblem(s: SymRpcaSpec): SymRpcaProblem {
  const c = base(s);
  const { n } = c;
  if (!(s.corruption >= 0 && s.corruption < 1)) throw new DocumentError('problem.generate.corruption', `corruption must be in [0, 1), got ${s.corruption}`);
  const alpha = s.alpha ?? s.corruption;
  if (!(alpha >= 0 && alpha < 1)) throw new DocumentError('problem.alpha', `alpha must be in [0, 1), got ${alpha}`);
  const gamma = s.gamma ?? 2;
  if (!(gamma >= 1) || !Number.isFinite(gamma)) throw new DocumentError('problem.gamma', `gamma must be ≥ 1, got ${gamma}`);
  const inc = incoherenceOf(c.Ustar);
  const bound = s.bound ?? (2 * inc.nu * c.trueRank * inc.sigma1) / n;
  if (!(bound > 0) || !Number.isFinite(bound)) throw new DocumentError('problem.bound', `bound must be > 0, got ${bound}`);
  const Sstar = plantedSymmetricSparse(n, s.corruption, bound, s.values ?? 'sign', s.seed);
  const M = zeros(n, n);
  for (let q = 0; q < n * n; q++) M.data[q] = c.truth.data[q] + Sstar.data[q];
  return { ...c, kind: 'sym-rpca', M, Sstar, alpha, gamma, bound, nu: inc.nu };
}
