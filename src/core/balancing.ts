/**
 * The node-local balancing term (λ/4)‖UᵀU − VᵀV‖²_F of SPEC §5.2 / §5.4, shared by the factorization and
 * the measured problems' node objectives (a leaf: it imports nothing).
 */

/** (λ/4)‖UᵀU − VᵀV‖²; adds λU B to gU and −λV B to gV, B = UᵀU − VᵀV (5.3). */
export function balancingTerm(
  lambda: number, n: number, mj: number, r: number,
  U: Float64Array, V: Float64Array, gU?: Float64Array, gV?: Float64Array,
): number {
  if (lambda === 0) return 0;
  const B = new Float64Array(r * r);
  for (let a = 0; a < r; a++) {
    for (let c = a; c < r; c++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += U[i * r + a] * U[i * r + c];
      for (let i = 0; i < mj; i++) d -= V[i * r + a] * V[i * r + c];
      B[a * r + c] = B[c * r + a] = d;
    }
  }
  let val = 0;
  for (let k = 0; k < r * r; k++) val += B[k] * B[k];
  if (gU) addTimesB(lambda, U, n, B, r, gU);
  if (gV) addTimesB(-lambda, V, mj, B, r, gV);
  return (lambda / 4) * val;
}

function addTimesB(s: number, X: Float64Array, rows: number, B: Float64Array, r: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < r; c++) {
      let t = 0;
      for (let a = 0; a < r; a++) t += X[i * r + a] * B[a * r + c];
      out[i * r + c] += s * t;
    }
  }
}
