/**
 * Distributed least squares (SPEC §1.5, the classical-DGD comparison of R4): per-node Aⱼ, bⱼ, and the
 * minimiser of Σⱼ ½‖Aⱼx − bⱼ‖².
 */
import { Matrix, solve } from 'ml-matrix';
import { type Mat, fromArray, matmulTN, zeros } from './linalg';
import { Rng, childSeed } from './rng';

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
