/**
 * Bivariate quartics φ(a, b) = Σ_{p+q≤4} c_pq aᵖ b^q (15 coefficients; index of (p, q) with p + q = d is
 * d(d+1)/2 + q) and the analytic quartic of the factorization term (with its optional balancing term) on a
 * plane (landscape slices, slice.ts).
 * Pure float64 arithmetic, no imports, so node objectives (objectives.ts) can use it.
 */

/** Index of the coefficient of aᵖ b^q. */
export const qIndex = (p: number, q: number): number => ((p + q) * (p + q + 1)) / 2 + q;
/** (p, q) of every coefficient, in index order. */
export const QUARTIC_TERMS: readonly [number, number][] = (() => {
  const t: [number, number][] = [];
  for (let d = 0; d <= 4; d++) for (let q = 0; q <= d; q++) t.push([d - q, q]);
  return t;
})();

export function evaluateQuartic(c: ArrayLike<number>, a: number, b: number): number {
  // Horner in b inside Horner in a over the 15 terms
  let s = 0;
  for (let p = 4; p >= 0; p--) {
    let inner = 0;
    for (let q = 4 - p; q >= 0; q--) inner = inner * b + c[qIndex(p, q)];
    s = s * a + inner;
  }
  return s;
}

/**
 * Node j's ‖UVⱼᵀ − Yⱼ‖² on the plane, U = U₀ + aU₁ + bU₂, V = V₀ + aV₁ + bV₂ (all row-major, r columns),
 * accumulated into `c`.
 */
export function factorQuartic(
  n: number, mj: number, r: number, Y: Float64Array,
  Us: [Float64Array, Float64Array, Float64Array], Vs: [Float64Array, Float64Array, Float64Array], c: Float64Array,
  lambda = 0,
): void {
  const rr = r * r;
  // column-major copies (r rows of length n or mⱼ): every inner loop below is a register-accumulated dot
  // product over contiguous memory, which is what makes the one pass over Y cheap in JavaScript
  const transpose = (A: Float64Array, rows: number) => {
    const T = new Float64Array(A.length);
    for (let i = 0; i < rows; i++) for (let k = 0; k < r; k++) T[k * rows + i] = A[i * r + k];
    return T;
  };
  // AᵀB for column-major A, B: 2×2 blocks of (k, l), so each loaded pair of entries serves four products
  const gram = (A: Float64Array, B: Float64Array, rows: number) => {
    const G = new Float64Array(rr);
    for (let k = 0; k < r; k += 2) {
      const k2 = k + 1 < r ? k + 1 : k;
      const ao = k * rows, a2 = k2 * rows;
      for (let l = 0; l < r; l += 2) {
        const l2 = l + 1 < r ? l + 1 : l;
        const bo = l * rows, b2 = l2 * rows;
        let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
        for (let i = 0; i < rows; i++) {
          const x = A[ao + i], x2 = A[a2 + i], y = B[bo + i], y2 = B[b2 + i];
          s00 += x * y; s01 += x * y2; s10 += x2 * y; s11 += x2 * y2;
        }
        G[k * r + l] = s00;
        G[k * r + l2] = s01;
        G[k2 * r + l] = s10;
        G[k2 * r + l2] = s11;
      }
    }
    return G;
  };
  const UT = Us.map((A) => transpose(A, n)), VT = Vs.map((A) => transpose(A, mj));
  const GA: Float64Array[][] = [[], [], []], GB: Float64Array[][] = [[], [], []];
  for (let s = 0; s < 3; s++) for (let t = s; t < 3; t++) {
    GA[s][t] = gram(UT[s], UT[t], n);
    GB[s][t] = gram(VT[s], VT[t], mj);
  }
  const ga = (s: number, t: number) => (s <= t ? GA[s][t] : null);
  // ⟨GA_{ss'}, GB_{tt'}⟩ with the transposes the symmetric storage needs
  const inner = (s: number, s2: number, t: number, t2: number) => {
    const A = ga(s, s2) ?? GA[s2][s], At = s > s2;
    const B = t <= t2 ? GB[t][t2] : GB[t2][t], Bt = t > t2;
    let sum = 0;
    for (let k = 0; k < r; k++) for (let l = 0; l < r; l++) {
      sum += A[At ? l * r + k : k * r + l] * B[Bt ? l * r + k : k * r + l];
    }
    return sum;
  };
  const deg = (idx: number[]) => {
    let p = 0, q = 0;
    for (const i of idx) { if (i === 1) p++; else if (i === 2) q++; }
    return qIndex(p, q);
  };
  for (let s = 0; s < 3; s++) for (let t = 0; t < 3; t++) for (let s2 = 0; s2 < 3; s2++) for (let t2 = 0; t2 < 3; t2++) {
    c[deg([s, t, s2, t2])] += inner(s, s2, t, t2);
  }
  // the balancing term (λ/4)‖UᵀU − VᵀV‖² = (λ/4) Σ cₛcₛ′cₜcₜ′⟨Δₛₛ′, Δₜₜ′⟩ with Δₛₛ′ = UₛᵀUₛ′ − VₛᵀVₛ′
  if (lambda !== 0) {
    const delta = (s: number, t: number) => {
      const [a, b, tr] = s <= t ? [GA[s][t], GB[s][t], false] : [GA[t][s], GB[t][s], true];
      const out = new Float64Array(rr);
      for (let k = 0; k < r; k++) for (let l = 0; l < r; l++) {
        const q = tr ? l * r + k : k * r + l;
        out[k * r + l] = a[q] - b[q];
      }
      return out;
    };
    const D = [0, 1, 2].map((s) => [0, 1, 2].map((t) => delta(s, t)));
    for (let s = 0; s < 3; s++) for (let s2 = 0; s2 < 3; s2++) for (let t = 0; t < 3; t++) for (let t2 = 0; t2 < 3; t2++) {
      const A = D[s][s2], B = D[t][t2];
      let sum = 0;
      for (let k = 0; k < rr; k++) sum += A[k] * B[k];
      c[deg([s, s2, t, t2])] += (lambda / 4) * sum;
    }
  }
  // one pass over Y: ⟨Uₛ, YVₜ⟩ for s, t ∈ {0, 1, 2}, and ‖Y‖²
  const { UY, yy } = yPass(n, mj, r, Y, UT, VT);
  for (let s = 0; s < 3; s++) for (let t = 0; t < 3; t++) c[deg([s, t])] -= 2 * UY[s * 3 + t];
  c[0] += yy;
}


/**
 * The pass over Y of `factorQuartic`: UY[3s + t] = ⟨Uₛ, YVₜ⟩ = Σᵢ Σₖ Uₛ[i,k] (Y[i,:]·Vₜ[:,k]) and ‖Y‖², with
 * U and V column-major (r rows of length n or mⱼ). Two rows of Y against two columns of V per sweep, so
 * every loaded entry of Y and V serves several products and the twelve sums stay in registers; a small
 * function of its own so the JIT optimises it on its own.
 */
function yPass(n: number, mj: number, r: number, Y: Float64Array, UT: Float64Array[], VT: Float64Array[]): { UY: Float64Array; yy: number } {
  const [V0, V1, V2] = VT;
  const [U0, U1, U2] = UT;
  const UY = new Float64Array(9);
  let yy = 0;
  for (let q = 0; q < n * mj; q++) yy += Y[q] * Y[q];
  for (let i = 0; i < n; i += 2) {
    const i2 = i + 1 < n ? i + 1 : i;
    const yo = i * mj, zo = i2 * mj;
    const zw = i2 === i ? 0 : 1; // an odd last row counts once
    for (let k = 0; k < r; k += 2) {
      const k2 = k + 1 < r ? k + 1 : k;
      const kw = k2 === k ? 0 : 1;
      const vo = k * mj, wo = k2 * mj;
      let s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0, t2 = 0, p0 = 0, p1 = 0, p2 = 0, q0 = 0, q1 = 0, q2 = 0;
      for (let col = 0; col < mj; col++) {
        const y = Y[yo + col], z = Y[zo + col];
        const a0 = V0[vo + col], a1 = V1[vo + col], a2 = V2[vo + col];
        const b0 = V0[wo + col], b1 = V1[wo + col], b2 = V2[wo + col];
        s0 += y * a0; s1 += y * a1; s2 += y * a2;
        t0 += y * b0; t1 += y * b1; t2 += y * b2;
        p0 += z * a0; p1 += z * a1; p2 += z * a2;
        q0 += z * b0; q1 += z * b1; q2 += z * b2;
      }
      // Uₛ[i,k], Uₛ[i,k2], Uₛ[i2,k], Uₛ[i2,k2] (column-major: Uₛ[i,k] = UT[k·n + i]), with the weights that
      // drop the repeated row / column of an odd size
      const ik = k * n + i, ik2 = k2 * n + i, i2k = k * n + i2, i2k2 = k2 * n + i2;
      const w1 = kw, w2 = zw, w3 = kw * zw;
      for (let sIdx = 0; sIdx < 3; sIdx++) {
        const Us = sIdx === 0 ? U0 : sIdx === 1 ? U1 : U2;
        const u = Us[ik], u2 = w1 * Us[ik2], x = w2 * Us[i2k], x2 = w3 * Us[i2k2];
        UY[3 * sIdx] += u * s0 + u2 * t0 + x * p0 + x2 * q0;
        UY[3 * sIdx + 1] += u * s1 + u2 * t1 + x * p1 + x2 * q1;
        UY[3 * sIdx + 2] += u * s2 + u2 * t2 + x * p2 + x2 * q2;
      }
    }
  }
  return { UY, yy };
}
