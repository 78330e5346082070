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
  const gram = (A: Float64Array, B: Float64Array, rows: number) => {
    const G = new Float64Array(rr);
    for (let k = 0; k < r; k++) {
      const ao = k * rows;
      for (let l = 0; l < r; l++) {
        const bo = l * rows;
        let sum = 0;
        for (let i = 0; i < rows; i++) sum += A[ao + i] * B[bo + i];
        G[k * r + l] = sum;
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
  // one pass over Y: ⟨Uₛ, YVₜ⟩ = Σᵢ Σₖ Uₛ[i,k] (Y[i,:]·Vₜ[:,k]), and ‖Y‖²
  const [V0, V1, V2] = VT;
  const [U0, U1, U2] = Us;
  const UY = new Float64Array(9);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const yo = i * mj;
    let ys = 0;
    for (let col = 0; col < mj; col++) ys += Y[yo + col] * Y[yo + col];
    yy += ys;
    // two columns k, k + 1 of V per sweep of the row: each Y entry is loaded once for six products
    for (let k = 0; k < r; k += 2) {
      const k2 = k + 1 < r ? k + 1 : k;
      const vo = k * mj, wo = k2 * mj;
      let s0 = 0, s1 = 0, s2 = 0, t0 = 0, t1 = 0, t2 = 0;
      for (let col = 0; col < mj; col++) {
        const y = Y[yo + col];
        s0 += y * V0[vo + col];
        s1 += y * V1[vo + col];
        s2 += y * V2[vo + col];
        t0 += y * V0[wo + col];
        t1 += y * V1[wo + col];
        t2 += y * V2[wo + col];
      }
      if (k2 === k) t0 = t1 = t2 = 0;
      const a = i * r + k, b = i * r + k2;
      const u0 = U0[a], u1 = U1[a], u2 = U2[a];
      const w0 = U0[b], w1 = U1[b], w2 = U2[b];
      UY[0] += u0 * s0 + w0 * t0; UY[1] += u0 * s1 + w0 * t1; UY[2] += u0 * s2 + w0 * t2;
      UY[3] += u1 * s0 + w1 * t0; UY[4] += u1 * s1 + w1 * t1; UY[5] += u1 * s2 + w1 * t2;
      UY[6] += u2 * s0 + w2 * t0; UY[7] += u2 * s1 + w2 * t1; UY[8] += u2 * s2 + w2 * t2;
    }
  }
  for (let s = 0; s < 3; s++) for (let t = 0; t < 3; t++) c[deg([s, t])] -= 2 * UY[s * 3 + t];
  c[0] += yy;
}

