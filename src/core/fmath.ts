/**
 * Elementary functions that return the same bits on every JavaScript engine.
 *
 * `Math.log`, `Math.exp`, `Math.sin`, `Math.pow`, … are only required by the language to be
 * "implementation-approximated": Chromium, Node and Firefox return different last bits on a few per
 * cent of arguments, so an instance, a sweep axis or a trajectory computed with them is not
 * reproducible across browsers. The functions here are TypeScript ports of fdlibm (Sun's freely
 * distributable libm, the code V8 and SpiderMonkey themselves started from) that use only
 * correctly rounded IEEE operations (+ − × ÷ and `Math.sqrt`), exact ones (`Math.abs`, `Math.floor`)
 * and bit access to the double through a shared typed-array view; with no engine-provided
 * approximation inside, each function gives identical results everywhere.
 *
 * Accuracy: each doc comment states it; fdlibm's error analysis bounds every function here below
 * 1 ulp (most results are correctly rounded). Special values (NaN, ±Infinity, ±0, subnormals) follow
 * fdlibm, which agrees with ECMAScript's `Math.*`; where the two differ (`pow(±1, ±Infinity)`,
 * `pow(1, NaN)`) `pow` follows ECMAScript.
 *
 * The algorithms and constants are those of fdlibm 5.3 (as kept in FreeBSD's msun and V8's
 * ieee754.cc); its notice follows.
 *
 * ====================================================
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunSoft, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 *
 * (e_pow.c: Copyright (C) 2004 by Sun Microsystems, Inc. All rights reserved, under the same terms.)
 */

// ---------------------------------------------------------------------------------------------------
// Bit access. Typed arrays use the platform's byte order, so find which 32-bit half of the double
// holds the sign and exponent ("high word" in fdlibm's terms).
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const I32 = new Int32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** Sign, exponent and top 20 mantissa bits of x, as a signed 32-bit integer. */
function highWord(x: number): number {
  F64[0] = x;
  return I32[HI];
}
/** Low 32 mantissa bits of x, as an unsigned integer. */
function lowWord(x: number): number {
  F64[0] = x;
  return U32[LO];
}
/** The double with the given words (typed-array stores wrap both modulo 2³²). */
function fromWords(hi: number, lo: number): number {
  I32[HI] = hi;
  U32[LO] = lo;
  return F64[0];
}
function withHighWord(x: number, hi: number): number {
  F64[0] = x;
  I32[HI] = hi;
  return F64[0];
}
function withLowWord(x: number, lo: number): number {
  F64[0] = x;
  U32[LO] = lo;
  return F64[0];
}

const TWO54 = 1.8014398509481984e16; // 0x43500000 00000000
const TWOM54 = 5.55111512312578270212e-17; // 0x3C900000 00000000
const TWO24 = 1.6777216e7; // 0x41700000 00000000
const TWON24 = 5.9604644775390625e-8; // 0x3E700000 00000000

/** x·2ⁿ computed exactly (one rounding only when the result is subnormal), as fdlibm's scalbn. */
function scalbn(x: number, n: number): number {
  F64[0] = x;
  let hx = I32[HI];
  const lx = U32[LO];
  let k = (hx & 0x7ff00000) >> 20;
  if (k === 0) {
    if ((lx | (hx & 0x7fffffff)) === 0) return x; // ±0
    x *= TWO54;
    hx = highWord(x);
    k = ((hx & 0x7ff00000) >> 20) - 54;
    if (n < -50000) return 1e-300 * x; // underflow
  }
  if (k === 0x7ff) return x + x; // NaN or Infinity
  k += n;
  if (k > 0x7fe) return x > 0 ? Infinity : -Infinity;
  if (k > 0) return withHighWord(x, (hx & 0x800fffff) | (k << 20));
  if (k <= -54) {
    if (n > 50000) return x > 0 ? Infinity : -Infinity;
    return x > 0 ? 0 : -0;
  }
  k += 54;
  return withHighWord(x, (hx & 0x800fffff) | (k << 20)) * TWOM54;
}

// ---------------------------------------------------------------------------------------------------
// Logarithms

const LN2_HI = 6.93147180369123816490e-1; // 0x3FE62E42 FEE00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3DEA39EF 35793C76
const Lg1 = 6.666666666666735130e-1; // 0x3FE55555 55555593
const Lg2 = 3.999999999940941908e-1; // 0x3FD99999 9997FA04
const Lg3 = 2.857142874366239149e-1; // 0x3FD24924 94229359
const Lg4 = 2.222219843214978396e-1; // 0x3FCC71C5 1D8E78AF
const Lg5 = 1.818357216161805012e-1; // 0x3FC74664 96CB03DE
const Lg6 = 1.531383769920937332e-1; // 0x3FC39A09 D078C69F
const Lg7 = 1.479819860511658591e-1; // 0x3FC2F112 DF3E5244

/**
 * Natural logarithm (fdlibm e_log.c). Error < 1 ulp.
 *
 * x = 2ᵏ·(1+f) with √2/2 < 1+f < √2; ln(1+f) = 2s + s·R(s²) with s = f/(2+f) and R a degree-14
 * minimax polynomial (error ≤ 2⁻⁵⁸·⁴⁵); the result is k·ln2_hi + (f − (hfsq − s(hfsq+R) − k·ln2_lo)).
 * ln(±0) = −Infinity, ln(x < 0) = NaN, ln(+Infinity) = +Infinity, ln(1) = +0.
 */
export function ln(x: number): number {
  F64[0] = x;
  let hx = I32[HI];
  const lx = U32[LO];
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2⁻¹⁰²² (including ±0, negatives, subnormals)
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54; // subnormal: scale up
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // normalize x or x/2
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2⁻²⁰ ≤ f < 2⁻²⁰
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - R : k * LN2_HI - ((R - k * LN2_LO) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const R = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI - ((hfsq - (s * (hfsq + R) + k * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - R) : k * LN2_HI - ((s * (f - R) - k * LN2_LO) - f);
}

/**
 * ln(1 + x), accurate for tiny x (fdlibm s_log1p.c). Error < 1 ulp.
 *
 * 1+x = 2ᵏ·(1+f) as in `ln`, with a correction term c/u for the rounding of u = 1+x when k ≠ 0.
 * log1p(−1) = −Infinity, log1p(x < −1) = NaN, log1p(±0) = ±0, log1p(+Infinity) = +Infinity.
 */
export function log1p(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let hu = 0;
  let c = 0;
  if (hx < 0x3fda827a) {
    // 1+x < √2
    if (ax >= 0x3ff00000) {
      // x ≤ −1
      return x === -1 ? -Infinity : NaN;
    }
    if (ax < 0x3e200000) {
      // |x| < 2⁻²⁹
      if (ax < 0x3c900000) return x; // |x| < 2⁻⁵⁴
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // −0.2929 < x < 0.41422: 1+x needs no reduction
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // correction term
      c /= u;
    } else {
      u = x;
      hu = highWord(u);
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u = withHighWord(u, hu | 0x3ff00000); // normalize u
    } else {
      k += 1;
      u = withHighWord(u, hu | 0x3fe00000); // normalize u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2⁻²⁰
    if (f === 0) {
      if (k === 0) return 0;
      c += k * LN2_LO;
      return k * LN2_HI + c;
    }
    const R = hfsq * (1 - 0.6666666666666666 * f);
    return k === 0 ? f - R : k * LN2_HI - ((R - (k * LN2_LO + c)) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (Lg1 + z * (Lg2 + z * (Lg3 + z * (Lg4 + z * (Lg5 + z * (Lg6 + z * Lg7))))));
  return k === 0 ? f - (hfsq - s * (hfsq + R)) : k * LN2_HI - ((hfsq - (s * (hfsq + R) + (k * LN2_LO + c))) - f);
}

const IVLN10 = 4.34294481903251816668e-1; // 0x3FDBCB7B 1526E50E
const LOG10_2HI = 3.01029995663611771306e-1; // 0x3FD34413 509F6000
const LOG10_2LO = 3.69423907715893078616e-13; // 0x3D59FEF3 11F12B36

/**
 * Base-10 logarithm (fdlibm e_log10.c): n·log10(2)_hi + (n·log10(2)_lo + ln(x′)/ln 10) with x = 2ⁿ·x′.
 * Error < 1 ulp; log10(10ⁿ) = n exactly for n = 0 … 22. log10(±0) = −Infinity, log10(x < 0) = NaN.
 */
export function log10(x: number): number {
  F64[0] = x;
  let hx = I32[HI];
  let lx = U32[LO];
  let k = 0;
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    F64[0] = x;
    hx = I32[HI];
    lx = U32[LO];
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx === 0x3ff00000 && lx === 0) return 0;
  k += (hx >> 20) - 1023;
  const i = (k & 0x80000000) >>> 31;
  hx = (hx & 0x000fffff) | ((0x3ff - i) << 20);
  const y = k + i;
  x = fromWords(hx, lx);
  const z = y * LOG10_2LO + IVLN10 * ln(x);
  return z + y * LOG10_2HI;
}

// ---------------------------------------------------------------------------------------------------
// Exponential

const O_THRESHOLD = 7.09782712893383973096e2; // 0x40862E42 FEFA39EF
const U_THRESHOLD = -7.45133219101941108420e2; // 0xC0874910 D52D3051
const INVLN2 = 1.44269504088896338700; // 0x3FF71547 652B82FE
const P1 = 1.66666666666666019037e-1; // 0x3FC55555 5555553E
const P2 = -2.77777777770155933842e-3; // 0xBF66C16C 16BEBD93
const P3 = 6.61375632143793436117e-5; // 0x3F11566A AF25DE2C
const P4 = -1.65339022054652515390e-6; // 0xBEBBBD41 C5D26BF1
const P5 = 4.13813679705723846039e-8; // 0x3E663769 72BEA4D0
const TWO1023 = 8.98846567431157953865e307; // 0x7FE00000 00000000
const TWOM1000 = 9.33263618503218878990e-302; // 0x01700000 00000000

/**
 * eˣ (fdlibm e_exp.c). Error < 1 ulp.
 *
 * x = k·ln2 + r with |r| ≤ ln2/2 (r kept as hi − lo); exp(r) = 1 + r + r·R₁(r)/(2 − R₁(r)) with a
 * degree-5 minimax polynomial (error ≤ 2⁻⁵⁹); the result is scaled by 2ᵏ through the exponent bits.
 * exp(x) overflows to +Infinity above 709.782712893384 and underflows to 0 below −745.1332191019412;
 * exp(±0) = 1, exp(−Infinity) = +0, exp(1) = Math.E (returned directly: the general path is 1 ulp off
 * there, and V8 makes the same exception).
 */
export function exp(x: number): number {
  F64[0] = x;
  let hx = I32[HI];
  const xsb = hx >>> 31; // sign bit of x
  hx &= 0x7fffffff; // high word of |x|
  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78…
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | U32[LO]) !== 0) return x + x; // NaN
      return xsb === 0 ? x : 0; // exp(±Infinity) = Infinity, 0
    }
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2
    if (hx < 0x3ff0a2b2) {
      // and |x| < 1.5·ln2
      if (x === 1) return Math.E;
      hi = xsb === 0 ? x - LN2_HI : x + LN2_HI;
      lo = xsb === 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = (INVLN2 * x + (xsb === 0 ? 0.5 : -0.5)) | 0;
      hi = x - k * LN2_HI; // exact: k·ln2_hi has trailing zeros
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    // |x| < 2⁻²⁸
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  if (k >= -1021) {
    if (k === 1024) return y * 2 * TWO1023;
    return y * fromWords((0x3ff00000 + (k << 20)) | 0, 0);
  }
  return y * fromWords((0x3ff00000 + ((k + 1000) << 20)) | 0, 0) * TWOM1000;
}

// ---------------------------------------------------------------------------------------------------
// Trigonometric functions

/** 2/π in 24-bit chunks (396 hex digits), for the large-argument reduction. */
const TWO_OVER_PI = [
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163, 0xabdebb, 0xc561b7,
  0x246e3a, 0x424dd2, 0xe00649, 0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129, 0xa73ee8, 0x8235f5, 0x2ebb44, 0x84e99c,
  0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c, 0x845f8b, 0xbdf928, 0x3b1ff8, 0x97ffde, 0x05980f, 0xef2f11,
  0x8b5a0a, 0x6d1f6d, 0x367ecf, 0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d, 0x7527ba, 0xc7ebe5, 0xf17b3d, 0x0739f7,
  0x8a5292, 0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b, 0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3, 0x91615e,
  0xe61b08, 0x659985, 0x5f14a0, 0x68408d, 0xffd880, 0x4d7327, 0x310606, 0x1556ca, 0x73a8c9, 0x60e27b, 0xc08c6b,
];

/** High words of n·π/2 for n = 1 … 32: arguments near these need the longer reduction. */
const NPIO2_HW = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb, 0x402c463a,
  0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb, 0x403ab41b, 0x403c463a,
  0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c, 0x4043a28c, 0x40446b9c, 0x404534ac,
  0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
];

/** π/2 cut into 24-bit pieces, for the large-argument reduction. */
const PIO2 = [
  1.57079625129699707031e0, // 0x3FF921FB 40000000
  7.54978941586159635335e-8, // 0x3E74442D 00000000
  5.39030252995776476554e-15, // 0x3CF84698 80000000
  3.28200341580791294123e-22, // 0x3B78CC51 60000000
  1.27065575308067607349e-29, // 0x39F01B83 80000000
  1.22933308981111328932e-36, // 0x387A2520 40000000
  2.73370053816464559624e-44, // 0x36E38222 80000000
  2.16741683877804819444e-51, // 0x3569F31D 00000000
];

const INVPIO2 = 6.36619772367581382433e-1; // 0x3FE45F30 6DC9C883: 53 bits of 2/π
const PIO2_1 = 1.57079632673412561417; // 0x3FF921FB 54400000: first 33 bits of π/2
const PIO2_1T = 6.07710050650619224932e-11; // 0x3DD0B461 1A626331: π/2 − PIO2_1
const PIO2_2 = 6.07710050630396597660e-11; // 0x3DD0B461 1A600000: second 33 bits of π/2
const PIO2_2T = 2.02226624879595063154e-21; // 0x3BA3198A 2E037073: π/2 − (PIO2_1 + PIO2_2)
const PIO2_3 = 2.02226624871116645580e-21; // 0x3BA3198A 2E000000: third 33 bits of π/2
const PIO2_3T = 8.47842766036889956997e-32; // 0x397B839A 252049C1: π/2 − (PIO2_1 + PIO2_2 + PIO2_3)

/** The reduced argument y₀ + y₁ of the last `remPio2` call. */
const RY = new Float64Array(2);

// scratch arrays for kernelRemPio2 (20 entries each, as fdlibm)
const KX = new Float64Array(3);
const KF = new Float64Array(20);
const KQ = new Float64Array(20);
const KFQ = new Float64Array(20);
const KIQ = new Int32Array(20);

/**
 * Payne–Hanek reduction (fdlibm k_rem_pio2.c at 64-bit precision, prec = 2): for x = Σ x[i]·2^(e0−24i)
 * (nx 24-bit pieces, x > 0), writes x − N·π/2 to RY[0] + RY[1] and returns N mod 8. The product with
 * 2/π skips the chunks that only contribute multiples of 8, so the cost does not depend on the exponent.
 */
function kernelRemPio2(e0: number, nx: number): number {
  const jk = 4; // init_jk[prec = 2]
  const jp = jk;
  const f = KF, q = KQ, fq = KFQ, iq = KIQ, x = KX;
  const jx = nx - 1;
  let jv = ((e0 - 3) / 24) | 0;
  if (jv < 0) jv = 0;
  let q0 = e0 - 24 * (jv + 1);

  // f[0 … jx+jk] = TWO_OVER_PI[jv−jx … jv+jk]
  let j = jv - jx;
  const m = jx + jk;
  for (let i = 0; i <= m; i++, j++) f[i] = j < 0 ? 0 : TWO_OVER_PI[j];

  // q[0 … jk]
  for (let i = 0; i <= jk; i++) {
    let fw = 0;
    for (j = 0; j <= jx; j++) fw += x[j] * f[jx + i - j];
    q[i] = fw;
  }

  let jz = jk;
  let z: number, n: number, ih: number;
  for (;;) {
    // distill q[] into iq[] reversingly
    let i = 0;
    z = q[jz];
    for (j = jz; j > 0; i++, j--) {
      const fw = (TWON24 * z) | 0;
      iq[i] = (z - TWO24 * fw) | 0;
      z = q[j - 1] + fw;
    }

    // compute n
    z = scalbn(z, q0); // actual value of z
    z -= 8 * Math.floor(z * 0.125); // trim off integer ≥ 8
    n = z | 0;
    z -= n;
    ih = 0;
    if (q0 > 0) {
      // need iq[jz−1] to determine n
      i = iq[jz - 1] >> (24 - q0);
      n += i;
      iq[jz - 1] -= i << (24 - q0);
      ih = iq[jz - 1] >> (23 - q0);
    } else if (q0 === 0) {
      ih = iq[jz - 1] >> 23;
    } else if (z >= 0.5) {
      ih = 2;
    }

    if (ih > 0) {
      // q > 0.5
      n += 1;
      let carry = 0;
      for (i = 0; i < jz; i++) {
        // compute 1 − q
        j = iq[i];
        if (carry === 0) {
          if (j !== 0) {
            carry = 1;
            iq[i] = 0x1000000 - j;
          }
        } else {
          iq[i] = 0xffffff - j;
        }
      }
      if (q0 === 1) iq[jz - 1] &= 0x7fffff;
      else if (q0 === 2) iq[jz - 1] &= 0x3fffff;
      if (ih === 2) {
        z = 1 - z;
        if (carry !== 0) z -= scalbn(1, q0);
      }
    }

    // check if recomputation is needed
    if (z === 0) {
      j = 0;
      for (i = jz - 1; i >= jk; i--) j |= iq[i];
      if (j === 0) {
        let k = 1;
        while (k <= jk && iq[jk - k] === 0) k++; // k = number of terms needed
        for (i = jz + 1; i <= jz + k; i++) {
          // add q[jz+1] to q[jz+k]
          f[jx + i] = TWO_OVER_PI[jv + i];
          let fw = 0;
          for (j = 0; j <= jx; j++) fw += x[j] * f[jx + i - j];
          q[i] = fw;
        }
        jz += k;
        continue;
      }
    }
    break;
  }

  // chop off zero terms
  if (z === 0) {
    jz -= 1;
    q0 -= 24;
    while (iq[jz] === 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    // break z into 24-bit pieces if necessary
    z = scalbn(z, -q0);
    if (z >= TWO24) {
      const fw = (TWON24 * z) | 0;
      iq[jz] = (z - TWO24 * fw) | 0;
      jz += 1;
      q0 += 24;
      iq[jz] = fw;
    } else {
      iq[jz] = z | 0;
    }
  }

  // convert the integer chunks to floating point
  let fw = scalbn(1, q0);
  for (let i = jz; i >= 0; i--) {
    q[i] = fw * iq[i];
    fw *= TWON24;
  }

  // fq = PIO2[0 … jp] · q[jz … 0]
  for (let i = jz; i >= 0; i--) {
    fw = 0;
    for (let k = 0; k <= jp && k <= jz - i; k++) fw += PIO2[k] * q[i + k];
    fq[jz - i] = fw;
  }

  // compress fq[] into RY
  fw = 0;
  for (let i = jz; i >= 0; i--) fw += fq[i];
  RY[0] = ih === 0 ? fw : -fw;
  fw = fq[0] - fw;
  for (let i = 1; i <= jz; i++) fw += fq[i];
  RY[1] = ih === 0 ? fw : -fw;
  return n & 7;
}

/**
 * x − N·π/2 into RY[0] + RY[1] (|RY[0]| ≤ π/4 up to rounding), returning N (fdlibm e_rem_pio2.c).
 * |x| ≤ 2¹⁹·π/2: Cody–Waite with π/2 in up to three 33-bit parts (the result is good to 85, 118 or 151
 * bits, each step taken only when cancellation requires it); larger |x|: `kernelRemPio2`.
 */
function remPio2(x: number): number {
  F64[0] = x;
  const hx = I32[HI];
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) {
    // |x| ≤ π/4: nothing to reduce
    RY[0] = x;
    RY[1] = 0;
    return 0;
  }
  if (ix < 0x4002d97c) {
    // |x| < 3π/4: n = ±1
    if (hx > 0) {
      let z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        // 33 + 53 bits of π are enough
        RY[0] = z - PIO2_1T;
        RY[1] = (z - RY[0]) - PIO2_1T;
      } else {
        // near π/2: 33 + 33 + 53 bits
        z -= PIO2_2;
        RY[0] = z - PIO2_2T;
        RY[1] = (z - RY[0]) - PIO2_2T;
      }
      return 1;
    }
    let z = x + PIO2_1;
    if (ix !== 0x3ff921fb) {
      RY[0] = z + PIO2_1T;
      RY[1] = (z - RY[0]) + PIO2_1T;
    } else {
      z += PIO2_2;
      RY[0] = z + PIO2_2T;
      RY[1] = (z - RY[0]) + PIO2_2T;
    }
    return -1;
  }
  if (ix <= 0x413921fb) {
    // |x| ≤ 2¹⁹·π/2: medium size
    const t = Math.abs(x);
    const n = (t * INVPIO2 + 0.5) | 0;
    const fn = n;
    let r = t - fn * PIO2_1;
    let w = fn * PIO2_1T; // first round, good to 85 bits
    if (n < 32 && ix !== NPIO2_HW[n - 1]) {
      RY[0] = r - w; // no cancellation
    } else {
      const j = ix >> 20;
      RY[0] = r - w;
      let i = j - ((highWord(RY[0]) >> 20) & 0x7ff);
      if (i > 16) {
        // second iteration, good to 118 bits
        let tt = r;
        w = fn * PIO2_2;
        r = tt - w;
        w = fn * PIO2_2T - ((tt - r) - w);
        RY[0] = r - w;
        i = j - ((highWord(RY[0]) >> 20) & 0x7ff);
        if (i > 49) {
          // third iteration, 151 bits: covers all possible cases
          tt = r;
          w = fn * PIO2_3;
          r = tt - w;
          w = fn * PIO2_3T - ((tt - r) - w);
          RY[0] = r - w;
        }
      }
    }
    RY[1] = (r - RY[0]) - w;
    if (hx < 0) {
      RY[0] = -RY[0];
      RY[1] = -RY[1];
      return -n;
    }
    return n;
  }
  // all other (large) arguments
  if (ix >= 0x7ff00000) {
    RY[0] = RY[1] = x - x; // NaN
    return 0;
  }
  // z = scalbn(|x|, −e0) with e0 = ilogb(x) − 23, cut into three 24-bit pieces
  const e0 = (ix >> 20) - 1046;
  let z = fromWords(ix - (e0 << 20), lowWord(x));
  for (let i = 0; i < 2; i++) {
    KX[i] = z | 0;
    z = (z - KX[i]) * TWO24;
  }
  KX[2] = z;
  let nx = 3;
  while (KX[nx - 1] === 0) nx--; // skip zero terms
  const n = kernelRemPio2(e0, nx);
  if (hx < 0) {
    RY[0] = -RY[0];
    RY[1] = -RY[1];
    return -n;
  }
  return n;
}

const S1 = -1.66666666666666324348e-1; // 0xBFC55555 55555549
const S2 = 8.33333333332248946124e-3; // 0x3F811111 1110F8A6
const S3 = -1.98412698298579493134e-4; // 0xBF2A01A0 19C161D5
const S4 = 2.75573137070700676789e-6; // 0x3EC71DE3 57B1FE7D
const S5 = -2.50507602534068634195e-8; // 0xBE5AE5E6 8A2B9CEB
const S6 = 1.58969099521155010221e-10; // 0x3DE5D93A 5ACFD57C

/** sin(x + y) on [−π/4, π/4], y the tail of x (fdlibm k_sin.c); iy = 0 means y = 0. */
function kernelSin(x: number, y: number, iy: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return x; // |x| < 2⁻²⁷
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy === 0) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

const C1 = 4.16666666666666019037e-2; // 0x3FA55555 5555554C
const C2 = -1.38888888888741095749e-3; // 0xBF56C16C 16C15177
const C3 = 2.48015872894767294178e-5; // 0x3EFA01A0 19CB1590
const C4 = -2.75573143513906633035e-7; // 0xBE927E4F 809C52AD
const C5 = 2.08757232129817482790e-9; // 0x3E21EE9E BDB4B1C4
const C6 = -1.13596475577881948265e-11; // 0xBDA8FAE9 BE8838D4

/** cos(x + y) on [−π/4, π/4], y the tail of x (fdlibm k_cos.c). */
function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000) return 1; // |x| < 2⁻²⁷
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  // 1 − qx and 0.5·z − qx are exact, and the latter keeps at least a quarter of 0.5·z
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

/**
 * Sine (fdlibm s_sin.c). Error < 1 ulp at every finite argument ("nearly rounded").
 *
 * x is reduced to x − N·π/2 ∈ [−π/4, π/4] with extra precision (`remPio2`: Cody–Waite for
 * |x| ≤ 2¹⁹·π/2, Payne–Hanek with 2/π to 1584 bits beyond), then a degree-13 polynomial is used.
 * sin(±0) = ±0, sin(±Infinity) = NaN.
 */
export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, 0);
  if (ix >= 0x7ff00000) return x - x;
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelSin(RY[0], RY[1], 1);
    case 1:
      return kernelCos(RY[0], RY[1]);
    case 2:
      return -kernelSin(RY[0], RY[1], 1);
    default:
      return -kernelCos(RY[0], RY[1]);
  }
}

/**
 * Cosine (fdlibm s_cos.c). Error < 1 ulp at every finite argument; reduction as in `sin`.
 * cos(±0) = 1, cos(±Infinity) = NaN.
 */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0);
  if (ix >= 0x7ff00000) return x - x;
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelCos(RY[0], RY[1]);
    case 1:
      return -kernelSin(RY[0], RY[1], 1);
    case 2:
      return -kernelCos(RY[0], RY[1]);
    default:
      return kernelSin(RY[0], RY[1], 1);
  }
}

const ATANHI = [
  4.63647609000806093515e-1, // atan(0.5) hi 0x3FDDAC67 0561BB4F
  7.85398163397448278999e-1, // atan(1.0) hi 0x3FE921FB 54442D18
  9.82793723247329054082e-1, // atan(1.5) hi 0x3FEF730B D281F69B
  1.57079632679489655800, // atan(∞) hi 0x3FF921FB 54442D18
];
const ATANLO = [
  2.26987774529616870924e-17, // atan(0.5) lo 0x3C7A2B7F 222F65E2
  3.06161699786838301793e-17, // atan(1.0) lo 0x3C81A626 33145C07
  1.39033110312309984516e-17, // atan(1.5) lo 0x3C700788 7AF0CBBD
  6.12323399573676603587e-17, // atan(∞) lo 0x3C91A626 33145C07
];
const AT0 = 3.33333333333329318027e-1; // 0x3FD55555 5555550D
const AT1 = -1.99999999998764832476e-1; // 0xBFC99999 9998EBC4
const AT2 = 1.42857142725034663711e-1; // 0x3FC24924 920083FF
const AT3 = -1.11111104054623557880e-1; // 0xBFBC71C6 FE231671
const AT4 = 9.09088713343650656196e-2; // 0x3FB745CD C54C206E
const AT5 = -7.69187620504482999495e-2; // 0xBFB3B0F2 AF749A6D
const AT6 = 6.66107313738753120669e-2; // 0x3FB10D66 A0D03D51
const AT7 = -5.83357013379057348645e-2; // 0xBFADDE2D 52DEFD9A
const AT8 = 4.97687799461593236017e-2; // 0x3FA97B4B 24760DEB
const AT9 = -3.65315727442169155270e-2; // 0xBFA2B444 2C6A6C2F
const AT10 = 1.62858201153657823623e-2; // 0x3F90AD3A E322DA11

/**
 * Arctangent (fdlibm s_atan.c). Error < 1 ulp.
 *
 * |x| is reduced to one of [0, 7/16], and atan(½), atan(1), atan(3/2), atan(∞) plus the atan of a
 * small argument; a degree-22 odd polynomial does the rest. atan(±0) = ±0, atan(±Infinity) = ±π/2.
 */
export function atan(x: number): number {
  F64[0] = x;
  const hx = I32[HI];
  const ix = hx & 0x7fffffff;
  let id: number;
  if (ix >= 0x44100000) {
    // |x| ≥ 2⁶⁶
    if (x !== x) return x + x; // NaN
    return hx > 0 ? ATANHI[3] + ATANLO[3] : -ATANHI[3] - ATANLO[3];
  }
  if (ix < 0x3fdc0000) {
    // |x| < 0.4375
    if (ix < 0x3e400000) return x; // |x| < 2⁻²⁷
    id = -1;
  } else {
    x = Math.abs(x);
    if (ix < 0x3ff30000) {
      // |x| < 1.1875
      if (ix < 0x3fe60000) {
        // 7/16 ≤ |x| < 11/16
        id = 0;
        x = (2 * x - 1) / (2 + x);
      } else {
        // 11/16 ≤ |x| < 19/16
        id = 1;
        x = (x - 1) / (x + 1);
      }
    } else if (ix < 0x40038000) {
      // |x| < 2.4375
      id = 2;
      x = (x - 1.5) / (1 + 1.5 * x);
    } else {
      // 2.4375 ≤ |x| < 2⁶⁶
      id = 3;
      x = -1 / x;
    }
  }
  const z = x * x;
  const w = z * z;
  // the sum of AT[i]·z^(i+1) split into odd and even parts
  const s1 = z * (AT0 + w * (AT2 + w * (AT4 + w * (AT6 + w * (AT8 + w * AT10)))));
  const s2 = w * (AT1 + w * (AT3 + w * (AT5 + w * (AT7 + w * AT9))));
  if (id < 0) return x - x * (s1 + s2);
  const r = ATANHI[id] - ((x * (s1 + s2) - ATANLO[id]) - x);
  return hx < 0 ? -r : r;
}

const PI = 3.1415926535897931160; // 0x400921FB 54442D18
const PI_O_2 = 1.5707963267948965580; // 0x3FF921FB 54442D18
const PI_O_4 = 7.8539816339744827900e-1; // 0x3FE921FB 54442D18
const PI_LO = 1.2246467991473532e-16; // 0x3CA1A626 33145C07

/**
 * The angle of (x, y) in (−π, π] (fdlibm e_atan2.c): atan(|y/x|) moved to the right quadrant with
 * π split in two parts. fdlibm states no bound of its own for atan2: to atan's error (< 1 ulp) come the
 * rounding of y/x and of the quadrant fix-up π − (z − π_lo); against a 200-bit reference it stays
 * within 1 ulp of the correctly rounded angle. Signed zeros and infinities as ECMAScript's Math.atan2:
 * atan2(±0, +0) = ±0, atan2(±0, −0) = ±π, atan2(±y, 0) = ±π/2, atan2(±∞, +∞) = ±π/4,
 * atan2(±∞, −∞) = ±3π/4, NaN → NaN.
 */
export function atan2(y: number, x: number): number {
  if (x !== x || y !== y) return x + y;
  if (x === 1) return atan(y);
  F64[0] = x;
  const hx = I32[HI];
  const ix = hx & 0x7fffffff;
  const lx = U32[LO];
  F64[0] = y;
  const hy = I32[HI];
  const iy = hy & 0x7fffffff;
  const ly = U32[LO];
  let m = ((hy >> 31) & 1) | ((hx >> 30) & 2); // 2·sign(x) + sign(y)

  if ((iy | ly) === 0) {
    // y = ±0
    if (m <= 1) return y;
    return m === 2 ? PI : -PI;
  }
  if ((ix | lx) === 0) return hy < 0 ? -PI_O_2 : PI_O_2; // x = ±0
  if (ix === 0x7ff00000) {
    // x = ±Infinity
    if (iy === 0x7ff00000) {
      switch (m) {
        case 0:
          return PI_O_4;
        case 1:
          return -PI_O_4;
        case 2:
          return 3 * PI_O_4;
        default:
          return -3 * PI_O_4;
      }
    }
    switch (m) {
      case 0:
        return 0;
      case 1:
        return -0;
      case 2:
        return PI;
      default:
        return -PI;
    }
  }
  if (iy === 0x7ff00000) return hy < 0 ? -PI_O_2 : PI_O_2; // y = ±Infinity

  const k = (iy - ix) >> 20;
  let z: number;
  if (k > 60) {
    // |y/x| > 2⁶⁰
    z = PI_O_2 + 0.5 * PI_LO;
    m &= 1;
  } else if (hx < 0 && k < -60) {
    z = 0; // 0 > |y|/x > −2⁻⁶⁰
  } else {
    z = atan(Math.abs(y / x));
  }
  switch (m) {
    case 0:
      return z;
    case 1:
      return -z;
    case 2:
      return PI - (z - PI_LO);
    default:
      return (z - PI_LO) - PI;
  }
}

// ---------------------------------------------------------------------------------------------------
// hypot and powers

/**
 * √(a² + b²) without undue overflow or underflow (fdlibm e_hypot.c). Error < 1 ulp.
 *
 * Arguments are scaled by 2^±600 (or 2¹⁰²² for subnormals) into a safe range; a² + b² is then formed
 * with the larger operand split into high and low halves so that the sum has error below √2/2 ulp,
 * and `Math.sqrt` (correctly rounded) finishes. hypot(±Infinity, anything) = +Infinity (even NaN),
 * otherwise NaN if either is NaN; hypot(a, ±0) = |a|.
 */
export function hypot(x: number, y: number): number {
  let ha = highWord(x) & 0x7fffffff;
  let hb = highWord(y) & 0x7fffffff;
  let a: number, b: number;
  if (hb > ha) {
    a = y;
    b = x;
    const j = ha;
    ha = hb;
    hb = j;
  } else {
    a = x;
    b = y;
  }
  a = Math.abs(a);
  b = Math.abs(b);
  if (ha - hb > 0x3c00000) return a + b; // a/b > 2⁶⁰
  let k = 0;
  if (ha > 0x5f300000) {
    // a > 2⁵⁰⁰
    if (ha >= 0x7ff00000) {
      // Infinity or NaN: Infinity wins over NaN
      if (a === Infinity || b === Infinity) return Infinity;
      return a + b;
    }
    // scale a and b by 2⁻⁶⁰⁰
    ha -= 0x25800000;
    hb -= 0x25800000;
    k += 600;
    a = withHighWord(a, ha);
    b = withHighWord(b, hb);
  }
  if (hb < 0x20b00000) {
    // b < 2⁻⁵⁰⁰
    if (hb <= 0x000fffff) {
      // subnormal b or 0
      if (b === 0) return a;
      const t1 = fromWords(0x7fd00000, 0); // 2¹⁰²²
      b *= t1;
      a *= t1;
      k -= 1022;
      ha = highWord(a);
      hb = highWord(b);
      if (hb > ha) {
        // two subnormals may have compared equal on their high words
        const t = a;
        a = b;
        b = t;
        const j = ha;
        ha = hb;
        hb = j;
      }
    } else {
      // scale a and b by 2⁶⁰⁰
      ha += 0x25800000;
      hb += 0x25800000;
      k -= 600;
      a = withHighWord(a, ha);
      b = withHighWord(b, hb);
    }
  }
  // medium-size a and b
  let w = a - b;
  if (w > b) {
    const t1 = fromWords(ha, 0);
    const t2 = a - t1;
    w = Math.sqrt(t1 * t1 - (b * -b - t2 * (a + t1)));
  } else {
    a = a + a;
    const y1 = fromWords(hb, 0);
    const y2 = b - y1;
    const t1 = fromWords(ha + 0x00100000, 0);
    const t2 = a - t1;
    w = Math.sqrt(t1 * y1 - (w * -w - (t1 * y2 + t2 * b)));
  }
  if (k !== 0) return fromWords(0x3ff00000 + (k << 20), 0) * w;
  return w;
}

const BP = [1, 1.5];
const DP_H = [0, 5.84962487220764160156e-1]; // 0x3FE2B803 40000000
const DP_L = [0, 1.35003920212974897128e-8]; // 0x3E4CFDEB 43CFD006
const TWO53 = 9007199254740992; // 0x43400000 00000000
// coefficients of (3/2)·(ln x − 2s − (2/3)s³)
const L1 = 5.99999999999994648725e-1; // 0x3FE33333 33333303
const L2 = 4.28571428578550184252e-1; // 0x3FDB6DB6 DB6FABFF
const L3 = 3.33333329818377432918e-1; // 0x3FD55555 518F264D
const L4 = 2.72728123808534006489e-1; // 0x3FD17460 A91D4101
const L5 = 2.30660745775561754067e-1; // 0x3FCD864A 93C9DB65
const L6 = 2.06975017800338417784e-1; // 0x3FCA7E28 4A454EEF
const LG2 = 6.93147180559945286227e-1; // 0x3FE62E42 FEFA39EF
const LG2_H = 6.93147182464599609375e-1; // 0x3FE62E43 00000000
const LG2_L = -1.90465429995776804525e-9; // 0xBE205C61 0CA86C39
const OVT = 8.008566259537294e-17; // −(1024 − log2(ovfl + 0.5 ulp))
const CP = 9.61796693925975554329e-1; // 0x3FEEC709 DC3A03FD = 2/(3 ln2)
const CP_H = 9.61796700954437255859e-1; // 0x3FEEC709 E0000000 = (float)CP
const CP_L = -7.02846165095275826516e-9; // 0xBE3E2FE0 145B01F5 = tail of CP_H
const IVLN2 = 1.44269504088896338700; // 0x3FF71547 652B82FE = 1/ln2
const IVLN2_H = 1.44269502162933349609; // 0x3FF71547 60000000 = 24-bit 1/ln2
const IVLN2_L = 1.92596299112661746887e-8; // 0x3E54AE0B F85DDF44 = 1/ln2 tail

/**
 * xʸ (fdlibm e_pow.c, the full algorithm). Error < 1 ulp ("nearly rounded"); pow(integer, integer)
 * is exact whenever the result is representable, e.g. pow(10, 3) = 1000.
 *
 * log2(x) is computed in two pieces with ~ 80 bits, multiplied by y in simulated extra precision to
 * give n + y′ (|y′| ≤ ½), and 2ⁿ·exp(y′·ln 2) is returned. Special values follow ECMAScript's
 * Math.pow: pow(x, ±0) = 1 (even for NaN x), pow(x, NaN) = NaN, pow(±1, ±Infinity) = NaN,
 * pow(x < 0, non-integer) = NaN, pow(−0, odd integer < 0) = −Infinity, and so on.
 */
export function pow(x: number, y: number): number {
  F64[0] = x;
  const hx = I32[HI];
  const lx = U32[LO];
  F64[0] = y;
  const hy = I32[HI];
  const ly = U32[LO];
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;

  if ((iy | ly) === 0) return 1; // x^±0 = 1
  if (y !== y) return NaN; // ECMAScript: x^NaN = NaN, even for x = 1
  if (x !== x) return NaN;
  if (hx === 0x3ff00000 && lx === 0 && iy !== 0x7ff00000) return 1; // 1^y = 1 for finite y

  // yisint = 0: y not an integer; 1: odd integer; 2: even integer (only needed when x < 0)
  let yisint = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) {
      yisint = 2; // |y| ≥ 2⁵³: even
    } else if (iy >= 0x3ff00000) {
      const k = (iy >> 20) - 0x3ff; // exponent
      if (k > 20) {
        const j = ly >>> (52 - k);
        if (((j << (52 - k)) >>> 0) === ly) yisint = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - k);
        if (j << (20 - k) === iy) yisint = 2 - (j & 1);
      }
    }
  }

  // special values of y
  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y = ±Infinity
      if (((ix - 0x3ff00000) | lx) === 0) return NaN; // ECMAScript: (±1)^±Infinity = NaN
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0; // (|x| > 1)^±Infinity = Infinity, 0
      return hy < 0 ? -y : 0; // (|x| < 1)^−,+Infinity = Infinity, 0
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x; // y = ±1
    if (hy === 0x40000000) return x * x; // y = 2
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x); // y = 0.5, x ≥ +0
  }

  let ax = Math.abs(x);
  // special values of x
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    // x = ±0, ±Infinity, ±1
    let z = ax;
    if (hy < 0) z = 1 / z; // 1/|x|
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yisint) === 0) z = NaN; // (−1)^non-integer
      else if (yisint === 1) z = -z; // (x < 0)^odd = −(|x|^odd)
    }
    return z;
  }

  let n = (hx >>> 31) - 1; // 0 for x < 0, −1 otherwise
  if ((n | yisint) === 0) return NaN; // (x < 0)^non-integer
  let s = 1; // sign of the result
  if ((n | (yisint - 1)) === 0) s = -1; // (x < 0)^odd integer

  let t1: number, t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2³¹
    if (iy > 0x43f00000) {
      // |y| > 2⁶⁴: must over- or underflow
      if (ix <= 0x3fefffff) return hy < 0 ? Infinity : 0;
      if (ix >= 0x3ff00000) return hy > 0 ? Infinity : 0;
    }
    // over- or underflow if x is not close to one
    if (ix < 0x3fefffff) return hy < 0 ? s * Infinity : s * 0;
    if (ix > 0x3ff00000) return hy > 0 ? s * Infinity : s * 0;
    // |1 − x| ≤ 2⁻²⁰: ln x by x − x²/2 + x³/3 − x⁴/4
    const t = ax - 1; // t has 20 trailing zeros
    const w = t * t * (0.5 - t * (0.3333333333333333 - t * 0.25));
    const u = IVLN2_H * t; // IVLN2_H has 21 significant bits
    const v = t * IVLN2_L - w * IVLN2;
    t1 = withLowWord(u + v, 0);
    t2 = v - (t1 - u);
  } else {
    n = 0;
    // subnormal x
    if (ix < 0x00100000) {
      ax *= TWO53;
      n -= 53;
      ix = highWord(ax);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    // determine the interval
    ix = j | 0x3ff00000; // normalize ix
    let k: number;
    if (j <= 0x3988e) k = 0; // |x| < √(3/2)
    else if (j < 0xbb67a) k = 1; // |x| < √3
    else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    ax = withHighWord(ax, ix);

    // ss = s_h + s_l = (x − 1)/(x + 1) or (x − 1.5)/(x + 1.5)
    let u = ax - BP[k];
    let v = 1 / (ax + BP[k]);
    const ss = u * v;
    const sH = withLowWord(ss, 0);
    // t_h = ax + bp[k], high part
    let tH = fromWords(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0);
    let tL = ax - (tH - BP[k]);
    const sL = v * ((u - sH * tH) - sH * tL);
    // ln(ax)
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    tH = withLowWord(3 + s2 + r, 0);
    tL = r - ((tH - 3) - s2);
    // u + v = ss·(1 + …)
    u = sH * tH;
    v = sL * tH + tL * ss;
    // 2/(3 ln2)·(ss + …)
    const pH = withLowWord(u + v, 0);
    const pL = v - (pH - u);
    const zH = CP_H * pH; // CP_H + CP_L = 2/(3 ln2)
    const zL = CP_L * pH + pL * CP + DP_L[k];
    // log2(ax) = (ss + …)·2/(3 ln2) = n + dp_h + z_h + z_l
    const t = n;
    t1 = withLowWord(((zH + zL) + DP_H[k]) + t, 0);
    t2 = zL - (((t1 - t) - DP_H[k]) - zH);
  }

  // split y into y1 + y2 and compute (y1 + y2)·(t1 + t2)
  const y1 = withLowWord(y, 0);
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  F64[0] = z;
  let j = I32[HI];
  let i = U32[LO];
  if (j >= 0x40900000) {
    // z ≥ 1024
    if (((j - 0x40900000) | i) !== 0) return s * Infinity; // z > 1024
    if (pL + OVT > z - pH) return s * Infinity;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z ≤ −1075
    if (((j - 0xc090cc00) | i) !== 0) return s * 0; // z < −1075
    if (pL <= z - pH) return s * 0;
  }

  // 2^(p_h + p_l)
  i = j & 0x7fffffff;
  let k = (i >> 20) - 0x3ff;
  n = 0;
  if (i > 0x3fe00000) {
    // |z| > 0.5: n = [z + 0.5]
    n = (j + (0x00100000 >> (k + 1))) | 0;
    k = ((n & 0x7fffffff) >> 20) - 0x3ff; // new k for n
    const t = fromWords(n & ~(0x000fffff >> k), 0);
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = withLowWord(pL + pH, 0);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const r1 = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * r1) / (r1 - 2) - (w + z * w);
  z = 1 - (r - z);
  j = (highWord(z) + (n << 20)) | 0;
  if (j >> 20 <= 0) z = scalbn(z, n); // subnormal result
  else z = withHighWord(z, j);
  return s * z;
}

/**
 * xᵏ for an integer k by binary powering (square-and-multiply over the bits of |k|, low bit first;
 * for k < 0 the reciprocal of x^|k| is taken last). Every step is one correctly rounded multiplication
 * in a fixed order, so the result is the same everywhere. Exact whenever every intermediate product
 * is representable, e.g. small integer or dyadic results (powInt(3, 4) = 81, powInt(0.5, 3) = 0.125);
 * otherwise the relative error is at most about (|k| − 1)·2⁻⁵³ for k > 0 and |k|·2⁻⁵³ for k < 0 (each
 * squaring doubles the error carried so far), which is 1 ulp for |k| ≤ 2 and grows with |k|; use
 * `pow` when |k| is large and the last bits matter. powInt(x, 0) = 1 for every x, NaN included.
 */
export function powInt(x: number, k: number): number {
  if (!Number.isInteger(k)) throw new RangeError(`powInt needs an integer exponent, got ${k}`);
  let e = Math.abs(k);
  let result = 1;
  let base = x;
  for (;;) {
    if (e % 2 === 1) result *= base;
    e = Math.floor(e / 2);
    if (e === 0) break;
    base *= base;
  }
  return k < 0 ? 1 / result : result;
}
