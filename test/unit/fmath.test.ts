import { describe, expect, it, vi } from 'vitest';
import { atan, atan2, cos, exp, hypot, ln, log10, log1p, pow, powInt, sin } from '../../src/core/fmath';
import { Rng } from '../../src/core/rng';

// fmath must agree with the host's Math.* to within 1 ulp (both are within 1 ulp of the true value;
// the point of fmath is that it gives the same bits everywhere, not that it beats the host).

const N = 100_000;

// ---- ulp distance through the int64 bit patterns -------------------------------------------------
const pair = new Float64Array(2);
const pairBits = new BigInt64Array(pair.buffer);
const SIGN_MASK = 0x7fffffffffffffffn;
/** Position of a double on the number line in ulps (−0 and +0 both map to 0). */
const ordinal = (bits: bigint): bigint => (bits < 0n ? -(bits & SIGN_MASK) : bits);
function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  pair[0] = a;
  pair[1] = b;
  const d = ordinal(pairBits[0]) - ordinal(pairBits[1]);
  return Number(d < 0n ? -d : d);
}

interface Stats { max: number; equal: number; worst: number[] }
function compare(args: number[][], mine: (...a: number[]) => number, host: (...a: number[]) => number): Stats {
  let max = 0, equal = 0, worst: number[] = [];
  for (const a of args) {
    const d = ulpDistance(mine(...a), host(...a));
    if (d === 0) equal++;
    if (d > max) {
      max = d;
      worst = a;
    }
  }
  return { max, equal: equal / args.length, worst };
}

// ---- fixed-seed arguments --------------------------------------------------------------------------
const rng = new Rng(20240613);
const words = new Float64Array(1);
const wordsU32 = new Uint32Array(words.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const sign = () => (rng.nextU32() & 1 ? -1 : 1);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rng.uniform();
/** Random mantissa with an exponent uniform in [lo, hi): every binade equally often, subnormals below −1022. */
function binade(lo: number, hi: number): number {
  const e = lo + Math.floor(rng.uniform() * (hi - lo));
  const biased = Math.max(0, e + 1023);
  wordsU32[HI] = (biased << 20) | (rng.nextU32() & 0xfffff);
  wordsU32[1 - HI] = rng.nextU32();
  return words[0];
}
/** x moved by `steps` ulps in magnitude (|steps| < 2³²). */
function nudge(x: number, steps: number): number {
  words[0] = x;
  const lo = wordsU32[1 - HI] + steps;
  const carry = Math.floor(lo / 4294967296);
  wordsU32[1 - HI] = lo - carry * 4294967296;
  wordsU32[HI] += carry;
  return words[0];
}
function fill(n: number, f: () => number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) out.push(f());
  return out;
}
const SPECIAL = [0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1, 0.5, 2, Math.PI, -Math.PI];
const specials = SPECIAL.map((x) => [x]);
const specialPairs = SPECIAL.flatMap((y) => SPECIAL.map((x) => [y, x]));
const nearHalfPiMultiple = (kMax: number) => () => [nudge((Math.floor(uniform(1, kMax)) * Math.PI) / 2, Math.floor(uniform(-4, 5))) * sign()];

const CASES: { name: string; mine: (...a: number[]) => number; host: (...a: number[]) => number; args: number[][] }[] = [
  {
    name: 'ln', mine: ln, host: Math.log,
    args: [
      ...fill(40_000, () => [binade(-1074, 1024)]), // every binade, subnormals and huge included
      ...fill(30_000, () => [1 + sign() * rng.uniform() * 2 ** -Math.floor(uniform(1, 53))]), // near 1
      ...fill(20_000, () => [uniform(0, 4)]),
      ...fill(10_000, () => [-binade(-10, 10)]), // negative: NaN
      ...specials,
    ],
  },
  {
    name: 'log1p', mine: log1p, host: Math.log1p,
    args: [
      ...fill(40_000, () => [sign() * binade(-80, 0)]), // tiny, both signs, |x| < 1
      ...fill(20_000, () => [binade(-1074, 1024)]),
      ...fill(20_000, () => [-1 + binade(-60, -1)]), // near −1
      ...fill(20_000, () => [uniform(-1, 3)]),
      ...specials,
    ],
  },
  {
    name: 'log10', mine: log10, host: Math.log10,
    args: [
      ...fill(60_000, () => [binade(-1074, 1024)]),
      ...fill(20_000, () => [nudge(Number(`1e${Math.floor(uniform(-20, 23))}`), Math.floor(uniform(-3, 4)))]), // near powers of ten
      ...fill(20_000, () => [1 + sign() * rng.uniform() * 2 ** -Math.floor(uniform(1, 53))]),
      ...specials,
    ],
  },
  {
    name: 'exp', mine: exp, host: Math.exp,
    args: [
      ...fill(50_000, () => [uniform(-746, 710)]),
      ...fill(20_000, () => [sign() * binade(-60, 3)]), // tiny to moderate
      ...fill(10_000, () => [nudge(709.782712893384, Math.floor(uniform(-2000, 2000)))]), // overflow boundary
      ...fill(10_000, () => [nudge(-745.1332191019411, Math.floor(uniform(-2000, 2000)))]), // underflow boundary
      ...fill(10_000, () => [uniform(-745.2, -708)]), // subnormal results
      ...specials,
    ],
  },
  ...(['sin', 'cos'] as const).map((name) => ({
    name, mine: name === 'sin' ? sin : cos, host: name === 'sin' ? Math.sin : Math.cos,
    args: [
      ...fill(30_000, () => [uniform(-10, 10)]),
      ...fill(15_000, () => [sign() * binade(-60, 0)]), // tiny
      ...fill(15_000, () => [uniform(-1e6, 1e6)]), // medium (Cody–Waite)
      ...fill(15_000, () => [sign() * binade(20, 1024)]), // large (Payne–Hanek)
      ...fill(15_000, nearHalfPiMultiple(2 ** 20)), // cancellation in the reduction
      ...fill(10_000, nearHalfPiMultiple(100)),
      ...specials,
    ],
  })),
  {
    name: 'atan', mine: atan, host: Math.atan,
    args: [
      ...fill(60_000, () => [sign() * binade(-1074, 1024)]),
      ...fill(40_000, () => [uniform(-4, 4)]), // every reduction interval
      ...specials,
    ],
  },
  {
    name: 'atan2', mine: atan2, host: Math.atan2,
    args: [
      ...fill(50_000, () => [sign() * binade(-200, 200), sign() * binade(-200, 200)]),
      ...fill(30_000, () => [uniform(-2, 2), uniform(-2, 2)]),
      ...fill(20_000, () => [sign() * binade(-1074, 1024), sign() * binade(-1074, 1024)]), // huge ratios
      ...specialPairs,
    ],
  },
  {
    name: 'pow', mine: pow, host: Math.pow,
    args: [
      ...fill(30_000, () => [uniform(0, 10), uniform(-50, 50)]),
      ...fill(20_000, () => [binade(-1074, 1024), uniform(-2, 2)]),
      ...fill(15_000, () => [1 + sign() * binade(-40, -10), sign() * binade(10, 40)]), // x near 1, large y
      ...fill(15_000, () => [-uniform(0, 20), Math.floor(uniform(-100, 100))]), // negative x, integer y
      ...fill(10_000, () => [Math.floor(uniform(0, 30)), Math.floor(uniform(-20, 20))]), // integers
      ...fill(10_000, () => [uniform(0.5, 2), sign() * uniform(900, 1100)]), // over/underflow boundary
      ...specialPairs,
    ],
  },
];

describe('fmath agrees with the host Math to within 1 ulp', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.args.length} arguments`, () => {
      expect(c.args.length).toBeGreaterThanOrEqual(N);
      const s = compare(c.args, c.mine, c.host);
      expect(s.max, `worst argument ${s.worst.join(', ')}`).toBeLessThanOrEqual(1);
    });
  }
});

// ---- hypot against a correctly rounded reference --------------------------------------------------
// V8's Math.hypot (max-scaling plus a compensated sum) is itself up to 2 ulps from the true value,
// so fmath's hypot is checked against an exact BigInt evaluation instead, and against Math.hypot to 2.

/** |x| = m·2^e with m an integer. */
function split(x: number): [bigint, number] {
  pair[0] = Math.abs(x);
  const bits = pairBits[0];
  const e = Number(bits >> 52n), m = bits & ((1n << 52n) - 1n);
  return e === 0 ? [m, -1074] : [m | (1n << 52n), e - 1075];
}
function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2)); // ≥ √n: Newton decreases monotonically
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
/** √(x² + y²) rounded once, to nearest (normal results only: the final scaling must be exact). */
function hypotExact(x: number, y: number): number {
  const [ma, ea] = split(x), [mb, eb] = split(y);
  // beyond a ratio of 2⁷⁰ the smaller square moves the root by less than 2⁻¹⁴⁰ relative: no rounding change
  if (ea - eb > 70 + 53) return Math.abs(x);
  if (eb - ea > 70 + 53) return Math.abs(y);
  const e = Math.min(ea, eb);
  const sum = ((ma * ma) << BigInt(2 * (ea - e))) + ((mb * mb) << BigInt(2 * (eb - e))); // ·2^(2e)
  const scaled = sum << 128n;
  const root = isqrt(scaled);
  let r = (root << 1n) | (root * root === scaled ? 0n : 1n); // sticky bit: ·2^(e − 65)
  let k = e - 65;
  const extra = bitLength(r) - 66;
  if (extra > 0) {
    r = (r >> BigInt(extra)) | ((r & ((1n << BigInt(extra)) - 1n)) === 0n ? 0n : 1n);
    k += extra;
  }
  let v = Number(r); // the one rounding (Number(bigint) rounds to nearest, ties to even)
  for (; k > 0; k -= Math.min(k, 512)) v *= 2 ** Math.min(k, 512);
  for (; k < 0; k += Math.min(-k, 512)) v /= 2 ** Math.min(-k, 512);
  return v;
}

describe('fmath hypot', () => {
  const args = [
    ...fill(40_000, () => [sign() * binade(-1000, 1000), sign() * binade(-1000, 1000)]),
    ...fill(40_000, () => {
      const a = binade(-1000, 1000);
      return [a, sign() * a * binade(-6, 6)]; // comparable sizes: the harder branch
    }),
    ...fill(20_000, () => [uniform(-10, 10), uniform(-10, 10)]),
  ];

  it(`is within 1 ulp of the correctly rounded value on ${args.length} arguments`, () => {
    const s = compare(args, hypot, hypotExact);
    expect(s.max, `worst argument ${s.worst.join(', ')}`).toBeLessThanOrEqual(1);
    expect(s.equal).toBeGreaterThan(0.9); // fdlibm's hypot is correctly rounded most of the time
  });

  it('is within 2 ulps of Math.hypot, including subnormal, huge and special arguments', () => {
    const wide = [...fill(20_000, () => [sign() * binade(-1074, 1024), sign() * binade(-1074, 1024)]), ...specialPairs];
    expect(compare(args, hypot, Math.hypot).max).toBeLessThanOrEqual(2);
    const s = compare(wide, hypot, Math.hypot);
    expect(s.max, `worst argument ${s.worst.join(', ')}`).toBeLessThanOrEqual(2);
  });
});

describe('fmath exact values and special cases', () => {
  it('logarithms', () => {
    expect(Object.is(ln(1), 0)).toBe(true);
    expect(ln(2)).toBe(0.6931471805599453);
    expect(ln(10)).toBe(Math.LN10);
    expect(ln(Math.E)).toBe(1);
    expect(ln(0)).toBe(-Infinity);
    expect(ln(-0)).toBe(-Infinity);
    expect(ln(-1)).toBeNaN();
    expect(ln(Infinity)).toBe(Infinity);
    expect(ln(Number.MIN_VALUE)).toBe(-744.4400719213812); // −1074·ln 2, rounded from a 300-bit evaluation
    expect(log1p(0)).toBe(0);
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(log1p(1)).toBe(Math.LN2);
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(-2)).toBeNaN();
    expect(log1p(1e-300)).toBe(1e-300);
    for (let n = 0; n <= 22; n++) expect(log10(Number(`1e${n}`))).toBe(n); // fdlibm guarantees exact powers of ten
    expect(log10(0)).toBe(-Infinity);
    expect(log10(-5)).toBeNaN();
  });

  it('exp', () => {
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(1)).toBe(Math.E);
    expect(exp(Math.LN2)).toBe(2);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(NaN)).toBeNaN();
    // the overflow and underflow thresholds; expected values rounded from 300-bit evaluations
    expect(exp(709.782712893384)).toBe(1.7976931348622732e308);
    expect(exp(709.7827128933841)).toBe(Infinity);
    expect(exp(-745.1332191019411)).toBe(Number.MIN_VALUE); // 1.0000000000001 × 2⁻¹⁰⁷⁵ rounds up
    expect(exp(-745.2)).toBe(0);
  });

  it('sin and cos', () => {
    expect(sin(Math.PI)).toBe(1.2246467991473532e-16); // π − fl(π), rounded
    expect(cos(Math.PI)).toBe(-1);
    expect(sin(Math.PI / 2)).toBe(1);
    expect(cos(Math.PI / 2)).toBe(6.123233995736766e-17);
    expect(sin(Math.PI / 6)).toBe(0.49999999999999994);
    // the classic test of large-argument reduction (values rounded from 300-bit evaluations)
    expect(sin(1e22)).toBe(-0.8522008497671888);
    expect(cos(1e22)).toBe(0.523214785395139);
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(cos(-0)).toBe(1);
    expect(sin(1e-300)).toBe(1e-300);
    expect(sin(Infinity)).toBeNaN();
    expect(cos(-Infinity)).toBeNaN();
    expect(sin(NaN)).toBeNaN();
  });

  it('atan and atan2', () => {
    expect(atan(1)).toBe(Math.PI / 4);
    expect(atan(Infinity)).toBe(Math.PI / 2);
    expect(atan(-Infinity)).toBe(-Math.PI / 2);
    expect(Object.is(atan(-0), -0)).toBe(true);
    expect(atan2(0, -0)).toBe(Math.PI);
    expect(atan2(-0, -0)).toBe(-Math.PI);
    expect(Object.is(atan2(-0, 0), -0)).toBe(true);
    expect(atan2(1, 0)).toBe(Math.PI / 2);
    expect(atan2(-1, -0)).toBe(-Math.PI / 2);
    expect(atan2(1, -1)).toBe(2.356194490192345);
    expect(atan2(-1, -1)).toBe(-2.356194490192345);
    expect(atan2(Infinity, -Infinity)).toBe(2.356194490192345);
    expect(atan2(-Infinity, Infinity)).toBe(-Math.PI / 4);
    expect(atan2(NaN, 1)).toBeNaN();
  });

  it('hypot', () => {
    expect(hypot(3, 4)).toBe(5);
    expect(hypot(-3, 4)).toBe(5);
    expect(hypot(3 * 2 ** 1000, 4 * 2 ** 1000)).toBe(5 * 2 ** 1000); // would overflow unscaled
    expect(hypot(3 * Number.MIN_VALUE, 4 * Number.MIN_VALUE)).toBe(5 * Number.MIN_VALUE); // subnormal
    expect(hypot(1e300, 1e-300)).toBe(1e300);
    expect(Object.is(hypot(-0, -0), 0)).toBe(true);
    expect(hypot(-7, 0)).toBe(7);
    expect(hypot(Infinity, NaN)).toBe(Infinity);
    expect(hypot(NaN, -Infinity)).toBe(Infinity);
    expect(hypot(NaN, 1)).toBeNaN();
  });

  it('pow', () => {
    expect(pow(2, 0.5)).toBe(Math.SQRT2);
    expect(pow(10, 3)).toBe(1000);
    expect(pow(10, 22)).toBe(1e22);
    expect(pow(3, 33)).toBe(5559060566555523); // the largest power of 3 below 2⁵³, exact
    expect(pow(2, -1074)).toBe(Number.MIN_VALUE);
    expect(pow(2, 1023)).toBe(8.98846567431158e307);
    expect(pow(2, 1024)).toBe(Infinity);
    expect(pow(-2, 3)).toBe(-8);
    expect(pow(-2, -2)).toBe(0.25);
    expect(pow(-8, 1 / 3)).toBeNaN();
    expect(pow(NaN, 0)).toBe(1);
    expect(pow(1, NaN)).toBeNaN(); // ECMAScript, unlike C
    expect(pow(1, Infinity)).toBeNaN();
    expect(pow(-1, -Infinity)).toBeNaN();
    expect(pow(0.5, Infinity)).toBe(0);
    expect(pow(0.5, -Infinity)).toBe(Infinity);
    expect(pow(0, -1)).toBe(Infinity);
    expect(pow(-0, -1)).toBe(-Infinity);
    expect(pow(-0, -2)).toBe(Infinity);
    expect(Object.is(pow(-0, 3), -0)).toBe(true);
    expect(pow(-Infinity, 3)).toBe(-Infinity);
    expect(Object.is(pow(-Infinity, -3), -0)).toBe(true);
  });

  it('powInt is exact for representable integer and dyadic results', () => {
    expect(powInt(3, 4)).toBe(81);
    expect(powInt(-2, 5)).toBe(-32);
    expect(powInt(7, 18)).toBe(1628413597910449); // 7¹⁸ < 2⁵³
    expect(powInt(3, 33)).toBe(5559060566555523);
    expect(powInt(0.5, 3)).toBe(0.125);
    expect(powInt(2, -3)).toBe(0.125);
    expect(powInt(2, 1023)).toBe(8.98846567431158e307);
    expect(powInt(-1, 1e15 + 1)).toBe(-1);
    expect(powInt(0, 0)).toBe(1);
    expect(powInt(NaN, 0)).toBe(1);
    expect(powInt(0, -1)).toBe(Infinity);
    expect(powInt(-0, -1)).toBe(-Infinity);
    expect(powInt(1.5, 1)).toBe(1.5);
    for (let b = -12; b <= 12; b++) for (let k = 0; k <= 8; k++) expect(powInt(b, k)).toBe(b ** k);
    expect(() => powInt(2, 1.5)).toThrow(RangeError);
  });

  it('powInt stays within its stated error bound of |k|·2⁻⁵³ (relative) on 100 000 arguments', () => {
    let worst = 0, excess = 0, failing = '';
    for (let i = 0; i < N; i++) {
      const x = uniform(0.25, 4), k = Math.floor(uniform(-24, 25));
      const d = ulpDistance(powInt(x, k), Math.pow(x, k));
      // |k|·2⁻⁵³ relative is at most |k| ulps; Math.pow adds at most one more
      if (d - (Math.abs(k) + 1) > excess) {
        excess = d - (Math.abs(k) + 1);
        failing = `powInt(${x}, ${k})`;
      }
      worst = Math.max(worst, d);
    }
    expect(excess, failing).toBe(0);
    expect(worst).toBeGreaterThan(1); // the arguments do exercise the accumulated rounding
  });
});

describe('fmath calls none of the engine-approximated Math functions', () => {
  it('computes every function with the host Math.log/exp/sin/… disabled', () => {
    const banned = ['log', 'log2', 'log10', 'log1p', 'exp', 'expm1', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'pow', 'cbrt', 'hypot'] as const;
    const run = () => [ln(0.3), log1p(0.3), log10(0.3), exp(0.3), sin(1e10), cos(3), atan(0.7), atan2(1, -2), hypot(1, 2), pow(1.7, -3.1), powInt(1.1, 9)];
    const expected = run();
    for (const name of banned) vi.spyOn(Math, name).mockImplementation(() => { throw new Error(`Math.${name} called`); });
    let got: number[] | Error;
    try {
      got = run();
    } catch (e) {
      got = e as Error;
    } finally {
      vi.restoreAllMocks();
    }
    expect(got).toEqual(expected);
  });
});
