/**
 * Small dense linear algebra in float64, row-major. Plain loops on purpose: this is the reference the
 * GPU engine is checked against, so it stays simple enough to read line by line. SVD and symmetric
 * eigenvalues come from ml-matrix rather than our own code.
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { sin } from './fmath';

/** A row-major rows×cols matrix. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Mat {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function fromArray(rows: number, cols: number, data: ArrayLike<number>): Mat {
  if (data.length !== rows * cols) throw new RangeError(`expected ${rows * cols} entries, got ${data.length}`);
  return { rows, cols, data: Float64Array.from(data) };
}

export function identity(n: number): Mat {
  const I = zeros(n, n);
  for (let i = 0; i < n; i++) I.data[i * n + i] = 1;
  return I;
}

export function clone(A: Mat): Mat {
  return { rows: A.rows, cols: A.cols, data: A.data.slice() };
}

export function get(A: Mat, i: number, j: number): number {
  return A.data[i * A.cols + j];
}

/** C = A·B */
export function matmul(A: Mat, B: Mat): Mat {
  if (A.cols !== B.rows) throw new RangeError(`matmul: ${A.rows}×${A.cols} · ${B.rows}×${B.cols}`);
  const C = zeros(A.rows, B.cols);
  const { rows: n, cols: k } = A;
  const m = B.cols;
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const a = A.data[i * k + p];
      if (a === 0) continue;
      for (let j = 0; j < m; j++) C.data[i * m + j] += a * B.data[p * m + j];
    }
  }
  return C;
}

/** C = Aᵀ·B */
export function matmulTN(A: Mat, B: Mat): Mat {
  if (A.rows !== B.rows) throw new RangeError(`matmulTN: (${A.rows}×${A.cols})ᵀ · ${B.rows}×${B.cols}`);
  const C = zeros(A.cols, B.cols);
  const n = A.cols, k = A.rows, m = B.cols;
  for (let p = 0; p < k; p++) {
    for (let i = 0; i < n; i++) {
      const a = A.data[p * n + i];
      if (a === 0) continue;
      for (let j = 0; j < m; j++) C.data[i * m + j] += a * B.data[p * m + j];
    }
  }
  return C;
}

/** C = A·Bᵀ */
export function matmulNT(A: Mat, B: Mat): Mat {
  if (A.cols !== B.cols) throw new RangeError(`matmulNT: ${A.rows}×${A.cols} · (${B.rows}×${B.cols})ᵀ`);
  const C = zeros(A.rows, B.rows);
  const n = A.rows, k = A.cols, m = B.rows;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A.data[i * k + p] * B.data[j * k + p];
      C.data[i * m + j] = s;
    }
  }
  return C;
}

export function transpose(A: Mat): Mat {
  const T = zeros(A.cols, A.rows);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T.data[j * A.rows + i] = A.data[i * A.cols + j];
  return T;
}

function sameShape(A: Mat, B: Mat, op: string): void {
  if (A.rows !== B.rows || A.cols !== B.cols) throw new RangeError(`${op}: ${A.rows}×${A.cols} vs ${B.rows}×${B.cols}`);
}

export function sub(A: Mat, B: Mat): Mat {
  sameShape(A, B, 'sub');
  const C = zeros(A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = A.data[i] - B.data[i];
  return C;
}

export function add(A: Mat, B: Mat): Mat {
  sameShape(A, B, 'add');
  const C = zeros(A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = A.data[i] + B.data[i];
  return C;
}

export function scale(A: Mat, s: number): Mat {
  const C = zeros(A.rows, A.cols);
  for (let i = 0; i < C.data.length; i++) C.data[i] = s * A.data[i];
  return C;
}

/** Y ← Y + a·X, in place. */
export function axpy(a: number, X: ArrayLike<number>, Y: Float64Array): void {
  if (X.length !== Y.length) throw new RangeError(`axpy: length ${X.length} vs ${Y.length}`);
  for (let i = 0; i < Y.length; i++) Y[i] += a * X[i];
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Squared Frobenius (or Euclidean) norm. */
export function norm2(a: ArrayLike<number>): number {
  return dot(a, a);
}

function toMl(A: Mat): Matrix {
  const M = new Matrix(A.rows, A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) M.set(i, j, A.data[i * A.cols + j]);
  return M;
}

function fromMl(M: Matrix): Mat {
  const A = zeros(M.rows, M.columns);
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) A.data[i * M.columns + j] = M.get(i, j);
  return A;
}

const bits = new DataView(new ArrayBuffer(8));

/** 2ᵏ for an integer k in [−1022, 1023], exact, from its bits (the same on every engine). */
function pow2(k: number): number {
  bits.setUint32(0, (k + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/** e with 2ᵉ ≤ |x| < 2ᵉ⁺¹, for a finite x ≠ 0 (subnormals included). */
function exponentOf(x: number): number {
  bits.setFloat64(0, x);
  const e = (bits.getUint16(0) >> 4) & 0x7ff;
  return e === 0 ? exponentOf(x * 18446744073709551616) - 64 : e - 1023;
}

/** x·2ᵏ for any integer k (in steps the exponent range allows). */
function timesPow2(x: number, k: number): number {
  while (k > 1000) { x *= pow2(1000); k -= 1000; }
  while (k < -1000) { x *= pow2(-1000); k += 1000; }
  return x * pow2(k);
}

/**
 * A copy of A fit for ml-matrix's SVD and eigensolver, or null when A already is: scaled by the power of
 * two 2ᵏ that brings its largest entry into [1, 2) when that entry lies outside [2⁻²⁵⁶, 2²⁵⁶], and with
 * entries below 2⁻⁶⁰⁰ of the largest set to 0. Both solvers run their QR sweeps with no iteration cap and
 * test convergence against Number.MIN_VALUE (JAMA's 2⁻⁹⁶⁶ replaced): on tiny or subnormal entries
 * (all 5e-324, all 1e-300, or 5e-324 next to 1) a sweep never ends; on huge data (1.7e308) they overflow
 * to NaN. Scaling by a power of two is exact; the flushed entries change A by far less than the
 * solvers' own backward error ε‖A‖, so the decomposition is the same to working precision.
 */
function conditioned(A: Mat): { A: Mat; k: number } | null {
  let amax = 0;
  for (let i = 0; i < A.data.length; i++) amax = Math.max(amax, Math.abs(A.data[i]));
  if (amax === 0 || !Number.isFinite(amax)) return null;
  const e = exponentOf(amax);
  const k = e < -256 || e > 256 ? -e : 0;
  const floor = timesPow2(amax, -600);
  if (k === 0 && !A.data.some((v) => v !== 0 && Math.abs(v) < floor)) return null;
  return { A: { rows: A.rows, cols: A.cols, data: A.data.map((v) => (Math.abs(v) < floor ? 0 : timesPow2(v, k))) }, k };
}

/** Thin SVD A = P·diag(s)·Qᵀ, singular values in descending order. */
export function svd(A: Mat): { P: Mat; s: Float64Array; Q: Mat } {
  // ml-matrix's SVD is for rows ≥ cols; transpose otherwise and swap the factors.
  if (A.rows < A.cols) {
    const t = svd(transpose(A));
    return { P: t.Q, s: t.s, Q: t.P };
  }
  const c = conditioned(A);
  if (c) {
    const t = svd(c.A);
    return { P: t.P, s: t.s.map((v) => timesPow2(v, -c.k)), Q: t.Q };
  }
  const d = new SingularValueDecomposition(toMl(A), { autoTranspose: false });
  const order = Array.from(d.diagonal.keys()).sort((x, y) => d.diagonal[y] - d.diagonal[x]);
  const P0 = fromMl(d.leftSingularVectors);
  const Q0 = fromMl(d.rightSingularVectors);
  const k = order.length;
  const P = zeros(A.rows, k), Q = zeros(A.cols, k), s = new Float64Array(k);
  order.forEach((src, dst) => {
    s[dst] = d.diagonal[src];
    for (let i = 0; i < A.rows; i++) P.data[i * k + dst] = P0.data[i * P0.cols + src];
    for (let i = 0; i < A.cols; i++) Q.data[i * k + dst] = Q0.data[i * Q0.cols + src];
  });
  return { P, s, Q };
}

export function singularValues(A: Mat): Float64Array {
  return svd(A).s;
}

/** Spectral norm ‖A‖₂. */
export function spectralNorm(A: Mat): number {
  if (A.rows === 0 || A.cols === 0) return 0;
  return singularValues(A)[0];
}

/** Eigen-decomposition of a symmetric matrix: eigenvalues ascending, eigenvectors as columns. */
export function symEig(A: Mat): { values: Float64Array; vectors: Mat } {
  if (A.rows !== A.cols) throw new RangeError('symEig needs a square matrix');
  const c = conditioned(A);
  if (c) {
    const t = symEig(c.A);
    return { values: t.values.map((v) => timesPow2(v, -c.k)), vectors: t.vectors };
  }
  if (A.data.some((v) => !Number.isFinite(v))) {
    // ml-matrix's eigensolver indexes past its arrays on NaN / ∞ (a TypeError): no spectrum, NaN throughout
    return { values: new Float64Array(A.rows).fill(NaN), vectors: { rows: A.rows, cols: A.rows, data: new Float64Array(A.rows * A.rows).fill(NaN) } };
  }
  const e = new EigenvalueDecomposition(toMl(A), { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const order = Array.from(vals.keys()).sort((x, y) => vals[x] - vals[y]);
  const V0 = fromMl(e.eigenvectorMatrix);
  const n = A.rows;
  const vectors = zeros(n, n);
  const values = new Float64Array(n);
  order.forEach((src, dst) => {
    values[dst] = vals[src];
    for (let i = 0; i < n; i++) vectors.data[i * n + dst] = V0.data[i * n + src];
  });
  return { values, vectors };
}

/** Columns [c0, c0+w) of A as a new matrix. */
export function columns(A: Mat, c0: number, w: number): Mat {
  const B = zeros(A.rows, w);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < w; j++) B.data[i * w + j] = A.data[i * A.cols + c0 + j];
  return B;
}

/** Rows [r0, r0+h) of A as a new matrix (a copy). */
export function rowsOf(A: Mat, r0: number, h: number): Mat {
  return { rows: h, cols: A.cols, data: A.data.slice(r0 * A.cols, (r0 + h) * A.cols) };
}

/** A view (no copy) of h rows starting at r0 of a flat row-major buffer with `cols` columns. */
export function view(buf: Float64Array, offsetRows: number, h: number, cols: number): Mat {
  return { rows: h, cols, data: buf.subarray(offsetRows * cols, (offsetRows + h) * cols) };
}

/** Above this many entries, `singularValues` goes through the smaller Gram matrix and σ₁ through power iteration. */
export const LARGE_MATRIX = 250_000;

/**
 * Singular values, descending. Small matrices: a full SVD (ml-matrix). Large ones: √eig of the smaller
 * Gram matrix (AAᵀ or AᵀA), much faster but accurate only to about √ε·σ₁ for the small values — enough
 * for the optimality gap's f* at display precision, not for float64 floors (tests use small matrices).
 */
export function singularValuesFast(A: Mat): Float64Array {
  if (A.rows * A.cols <= LARGE_MATRIX) return singularValues(A);
  const c = conditioned(A);
  if (c) return singularValuesFast(c.A).map((v) => timesPow2(v, -c.k));
  const G = A.rows <= A.cols ? matmulNT(A, A) : matmulTN(A, A);
  const ev = symEig(G).values;
  return Float64Array.from(ev).reverse().map((x) => Math.sqrt(Math.max(x, 0)));
}

/** σ₁(A): from the SVD for small matrices, by 300 power iterations on AᵀA (deterministic start) for large ones. */
export function topSingularValue(A: Mat): number {
  if (A.rows * A.cols <= LARGE_MATRIX) return A.rows && A.cols ? singularValues(A)[0] : 0;
  const c = conditioned(A);
  if (c) return timesPow2(topSingularValue(c.A), -c.k);
  let v = new Float64Array(A.cols).map((_, i) => 1 + 0.01 * sin(i));
  let s = 0;
  for (let it = 0; it < 300; it++) {
    const u = new Float64Array(A.rows);
    for (let i = 0; i < A.rows; i++) {
      let t = 0;
      for (let j = 0; j < A.cols; j++) t += A.data[i * A.cols + j] * v[j];
      u[i] = t;
    }
    const w = new Float64Array(A.cols);
    for (let i = 0; i < A.rows; i++) {
      const ui = u[i];
      for (let j = 0; j < A.cols; j++) w[j] += A.data[i * A.cols + j] * ui;
    }
    const nw = Math.sqrt(norm2(w));
    if (nw === 0) return 0;
    const next = Math.sqrt(nw);
    v = w.map((x) => x / nw);
    if (Math.abs(next - s) <= 1e-14 * next) return next;
    s = next;
  }
  return s;
}
