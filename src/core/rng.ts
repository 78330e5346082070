/**
 * Seeded random numbers, identical on every machine and in every engine.
 *
 * Algorithm: **xoshiro128\*\*** (Blackman & Vigna, 2018), a 32-bit generator with 128 bits of state,
 * chosen because it needs only 32-bit integer arithmetic (`Math.imul`, shifts), which JavaScript does
 * exactly. The four state words are filled from **SplitMix64** of the seed (the seeding Vigna
 * recommends): two SplitMix64 outputs, each split into its low and high 32-bit halves, give
 * s[0] = lo₁, s[1] = hi₁, s[2] = lo₂, s[3] = hi₂.
 *
 * - `uniform()` = ((a >>> 5)·2²⁶ + (b >>> 6)) / 2⁵³ from two consecutive outputs a, b: a double in [0, 1)
 *   with 53 random bits (the construction of `genrand_res53` in the Mersenne Twister reference code).
 * - `normal()` is Box–Muller: from u₁ = 1 − uniform() ∈ (0, 1] and u₂ = uniform(),
 *   r = √(−2 ln u₁), z₀ = r cos 2πu₂, z₁ = r sin 2πu₂; z₀ is returned and z₁ kept for the next call.
 *
 * The integer stream and `uniform()` are bit-exact everywhere, and so is `normal()`: its ln, cos and sin
 * are the lab's own fdlibm ports (`fmath.ts`), not `Math.log/cos/sin`, whose last bits differ between
 * Chromium, Firefox and Node.
 *
 * Test vectors: `test/fixtures/xoshiro_ref.c` is the authors' reference C code with this seeding; its
 * printed output is what `test/unit/rng.test.ts` compares against.
 */
import { cos, ln, sin } from './fmath';

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
    }
    let x = BigInt(seed);
    const mask = (1n << 64n) - 1n;
    const next64 = (): bigint => {
      x = (x + 0x9e3779b97f4a7c15n) & mask;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
      return z ^ (z >> 31n);
    };
    const a = next64();
    const b = next64();
    this.s0 = Number(a & 0xffffffffn) | 0;
    this.s1 = Number(a >> 32n) | 0;
    this.s2 = Number(b & 0xffffffffn) | 0;
    this.s3 = Number(b >> 32n) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next 32-bit output as an unsigned integer in [0, 2³²). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Standard normal draw (Box–Muller, see the file comment). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * ln(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * sin(theta);
    return r * cos(theta);
  }

  /** Integer in [0, k) (by rejection, so without modulo bias). */
  int(k: number): number {
    if (!Number.isInteger(k) || k <= 0 || k > 2 ** 32) throw new RangeError(`int(k) needs 1 ≤ k ≤ 2³², got ${k}`);
    const limit = Math.floor(2 ** 32 / k) * k;
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % k;
    }
  }

  /** A Float64Array of `len` independent N(0, σ²) draws. */
  normals(len: number, sigma = 1): Float64Array {
    const out = new Float64Array(len);
    for (let i = 0; i < len; i++) out[i] = sigma * this.normal();
    return out;
  }

  /** The whole state (the four words and a pending normal), to continue the stream later from here. */
  save(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /** Back to a state from `save()`: the draws that follow repeat those that followed it. */
  load(st: RngState): void {
    [this.s0, this.s1, this.s2, this.s3] = st.s;
    this.spare = st.spare;
  }
}

export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Derive an independent child seed for a named sub-stream (e.g. "Y", "init", "network"), so that changing
 * one part of an experiment does not shift the random numbers of another. FNV-1a of the name, mixed with
 * the parent seed through one SplitMix64 step, truncated to 48 bits so it stays a safe integer.
 */
export function childSeed(seed: number, name: string): number {
  let h = 0xcbf29ce484222325n;
  const mask = (1n << 64n) - 1n;
  for (let i = 0; i < name.length; i++) {
    h ^= BigInt(name.charCodeAt(i));
    h = (h * 0x100000001b3n) & mask;
  }
  let z = (BigInt(seed) + h + 0x9e3779b97f4a7c15n) & mask;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
  z ^= z >> 31n;
  return Number(z & ((1n << 48n) - 1n));
}
