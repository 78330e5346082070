/**
 * The inner projection of robust PCA (SPEC §6.2 "Inner projection", option 2: the row-and-column top-k
 * rule of Yi et al. 2016, used by [G] §4.3 / eq. (12) in the symmetric case): given a residual block
 * R = Mₒ − UUᵀ (rows×cols), keep (i, c) when |Rᵢc| is among the kRow = ⌈γα·cols⌉ largest of its row and
 * among the kCol = ⌈γα·rows⌉ largest of its column; S = clip(R, ±b) there, 0 elsewhere.
 *
 * A copy of measured.ts's `sparseProjection` (kept here so this folder imports nothing but the core's leaf
 * modules) with one difference: ties are broken by index (the smaller index wins), so the budgets hold
 * strictly even when many |Rᵢc| are equal (planted ±b corruption), and S ∈ 𝒮_{γα} always. With no ties the
 * two agree.
 */

/**
 * Marks in `keep` (length n) the k entries of a[0 … n) of largest |value|, ties to the smaller index;
 * `order` is scratch of length ≥ n.
 */
function topK(a: Float64Array, n: number, k: number, keep: Uint8Array, order: number[]): void {
  keep.fill(0, 0, n);
  if (k <= 0) return;
  if (k >= n) {
    keep.fill(1, 0, n);
    return;
  }
  order.length = n;
  for (let q = 0; q < n; q++) order[q] = q;
  order.sort((x, y) => Math.abs(a[y]) - Math.abs(a[x]) || x - y);
  for (let q = 0; q < k; q++) keep[order[q]] = 1;
}

/** Per-row and per-column budgets of the projection for a rows×cols block. */
export function projectionBudgets(rows: number, cols: number, alpha: number, gamma: number): { kRow: number; kCol: number } {
  return { kRow: Math.min(cols, Math.ceil(gamma * alpha * cols)), kCol: Math.min(rows, Math.ceil(gamma * alpha * rows)) };
}

/**
 * S = Π(R) for a row-major rows×cols block R (see the file comment); writes into `out` when given.
 * Entries with R = 0 are never kept (they would add nothing).
 */
export function symSparseProjection(R: Float64Array, rows: number, cols: number, alpha: number, gamma: number, bound: number, out?: Float64Array): Float64Array {
  const S = out ?? new Float64Array(rows * cols);
  S.fill(0);
  const { kRow, kCol } = projectionBudgets(rows, cols, alpha, gamma);
  if (kRow === 0 || kCol === 0) return S;
  const inRow = new Uint8Array(rows * cols);
  const buf = new Float64Array(Math.max(rows, cols));
  const keep = new Uint8Array(Math.max(rows, cols));
  const order: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) buf[c] = R[i * cols + c];
    topK(buf, cols, kRow, keep, order);
    for (let c = 0; c < cols; c++) inRow[i * cols + c] = keep[c];
  }
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < rows; i++) buf[i] = R[i * cols + c];
    topK(buf, rows, kCol, keep, order);
    for (let i = 0; i < rows; i++) {
      const q = i * cols + c, v = R[q];
      if (keep[i] && inRow[q] && v !== 0) S[q] = Math.max(-bound, Math.min(bound, v));
    }
  }
  return S;
}
