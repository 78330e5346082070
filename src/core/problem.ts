/**
 * Problem instances: the data an experiment runs on, built deterministically from a seed or given
 * explicitly. A factorization problem holds Y ∈ ℝⁿˣᵐ split into J column blocks Yⱼ ∈ ℝⁿˣᵐʲ (SPEC §1.2);
 * a least-squares problem holds per-node Aⱼ, bⱼ (SPEC §1.5, the classical-DGD comparison of R4).
 */
import { type Mat, columns, fromArray, matmulNT, matmulTN, singularValuesFast, topSingularValue, zeros } from './linalg';
import { Matrix, solve } from 'ml-matrix';
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

export interface LeastSquaresProblem {
  kind: 'least-squares';
  J: number;
  d: number;
  A: Mat[];
  b: Float64Array[];
  xStar: Float64Array;
  /** min Σⱼ ½‖Aⱼx − bⱼ‖² */
  fStar: number;
}

export type Problem = FactorizationProblem | LeastSquaresProblem;

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

export function leastSquaresProblem(A: Mat[], b: Float64Array[]): LeastSquaresProblem {
  const J = A.length;
  if (J < 1) throw new RangeError('least squares needs at least one node');
  const d = A[0].cols;
  A.forEach((Aj, j) => {
    if (Aj.cols !== d) throw new RangeError(`A[${j}] has ${Aj.cols} columns, A[0] has ${d}`);
    if (b[j].length !== Aj.rows) throw new RangeError(`b[${j}] has ${b[j].length} entries, A[${j}] has ${Aj.rows} rows`);
  });
  // Normal equations (Σ AⱼᵀAⱼ) x = Σ Aⱼᵀbⱼ, solved by ml-matrix (least-squares solve if singular).
  const H = zeros(d, d);
  const g = new Float64Array(d);
  A.forEach((Aj, j) => {
    const AtA = matmulTN(Aj, Aj);
    for (let i = 0; i < d * d; i++) H.data[i] += AtA.data[i];
    const Atb = matmulTN(Aj, { rows: Aj.rows, cols: 1, data: b[j] });
    for (let i = 0; i < d; i++) g[i] += Atb.data[i];
  });
  const Hm = new Matrix(Array.from({ length: d }, (_, i) => Array.from(H.data.subarray(i * d, (i + 1) * d))));
  const xs = solve(Hm, Matrix.columnVector(Array.from(g)), true);
  const xStar = Float64Array.from(xs.getColumn(0));
  let fStar = 0;
  A.forEach((Aj, j) => {
    for (let i = 0; i < Aj.rows; i++) {
      let s = -b[j][i];
      for (let k = 0; k < d; k++) s += Aj.data[i * d + k] * xStar[k];
      fStar += 0.5 * s * s;
    }
  });
  return { kind: 'least-squares', J, d, A, b, xStar, fStar };
}

/** Aⱼ ∈ ℝ^{rows×d}, bⱼ ∈ ℝ^{rows} with i.i.d. N(0, 1) entries: inconsistent in general (SPEC §8 R4). */
export function randomLeastSquares(seed: number, J: number, rows: number, d: number): LeastSquaresProblem {
  const ga = new Rng(childSeed(seed, 'A'));
  const gb = new Rng(childSeed(seed, 'b'));
  const A = Array.from({ length: J }, () => fromArray(rows, d, ga.normals(rows * d)));
  const b = Array.from({ length: J }, () => gb.normals(rows));
  return leastSquaresProblem(A, b);
}
