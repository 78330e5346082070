/**
 * The factorization's data (SPEC §1.1–1.2): Y ∈ ℝⁿˣᵐ, given or planted as U⋆V⋆ᵀ (+ noise), split into J
 * column blocks Yⱼ ∈ ℝⁿˣᵐʲ; the column split and the planted model are shared by the measured problems.
 */
import { type Mat, columns, fromArray, matmulNT, singularValuesFast, topSingularValue } from './linalg';
import { Rng, childSeed } from './rng';

export interface FactorizationProblem {
  kind: 'factorization';
  n: number;
  m: number;
  /** target rank of the factors */
  r: number;
  /** balancing weight λ of (λ/4)‖UʲᵀUʲ − VⱼᵀVⱼ‖² per node (0: off) */
  lambda: number;
  Y: Mat;
  /** column counts m₁ … m_J (each ≥ 1, summing to m) */
  partition: number[];
  /** first column of each block in Y */
  offsets: number[];
  /** Yⱼ, n×mⱼ, row-major copies */
  blocks: Mat[];
  /** singular values of Y, descending (computed on first use; see singularValuesFast for large Y) */
  readonly sigma: Float64Array;
  /** σ₁(Y), cheaper than `sigma` for a large Y */
  readonly sigma1: number;
  /** min f = Σ_{k>r} σₖ(Y)² (Eckart–Young, SPEC §1.1; a balanced minimizer makes the λ term 0), on first use */
  readonly fStar: number;
}

/** mⱼ as equal as possible: the first (m mod J) nodes get one column more. */
export function equalPartition(m: number, J: number): number[] {
  if (J < 1 || m < J) throw new RangeError(`cannot split ${m} columns over ${J} nodes with at least one column each`);
  const base = Math.floor(m / J);
  return Array.from({ length: J }, (_, j) => base + (j < m % J ? 1 : 0));
}

/** First column of each block: the running sums of the partition. */
export function offsetsOf(partition: readonly number[]): number[] {
  const out: number[] = [];
  let o = 0;
  for (const mj of partition) {
    out.push(o);
    o += mj;
  }
  return out;
}

export function factorizationProblem(Y: Mat, r: number, partition: number[], lambda = 0): FactorizationProblem {
  const { rows: n, cols: m } = Y;
  const total = partition.reduce((a, b) => a + b, 0);
  if (total !== m) throw new RangeError(`partition sums to ${total} but Y has ${m} columns`);
  if (partition.some((mj) => !Number.isInteger(mj) || mj < 1)) throw new RangeError('every block needs at least one column');
  if (!Number.isInteger(r) || r < 1 || r > Math.min(n, m)) throw new RangeError(`rank ${r} is outside 1 … min(n, m) = ${Math.min(n, m)}`);
  const offsets = offsetsOf(partition);
  const blocks = partition.map((mj, j) => columns(Y, offsets[j], mj));
  let sigma: Float64Array | null = null;
  let sigma1: number | null = null;
  let fStar: number | null = null;
  return {
    kind: 'factorization', n, m, r, lambda, Y, partition: partition.slice(), offsets, blocks,
    get sigma() {
      return (sigma ??= singularValuesFast(Y));
    },
    get sigma1() {
      return (sigma1 ??= sigma ? sigma[0] : topSingularValue(Y));
    },
    get fStar() {
      if (fStar === null) {
        const s = this.sigma;
        fStar = 0;
        for (let k = r; k < s.length; k++) fStar += s[k] * s[k];
      }
      return fStar;
    },
  };
}

export interface PlantedSpec {
  seed: number;
  n: number;
  m: number;
  /** rank r* of the planted model U⋆V⋆ᵀ */
  trueRank: number;
  /** standard deviation of i.i.d. Gaussian noise added to every entry */
  noise: number;
}

/**
 * Y = U⋆V⋆ᵀ + noise·G with U⋆ ∈ ℝⁿˣʳ*, V⋆ ∈ ℝᵐˣʳ* and G i.i.d. N(0, 1) (SPEC §8 R3). Each part draws
 * from its own sub-stream of the seed, so turning noise on does not change U⋆ or V⋆.
 */
export function plantedY(spec: PlantedSpec): Mat {
  const { seed, n, m, trueRank, noise } = spec;
  const Us = fromArray(n, trueRank, new Rng(childSeed(seed, 'Ustar')).normals(n * trueRank));
  const Vs = fromArray(m, trueRank, new Rng(childSeed(seed, 'Vstar')).normals(m * trueRank));
  const Y = matmulNT(Us, Vs);
  if (noise > 0) {
    const g = new Rng(childSeed(seed, 'noise'));
    for (let i = 0; i < Y.data.length; i++) Y.data[i] += noise * g.normal();
  }
  return Y;
}

