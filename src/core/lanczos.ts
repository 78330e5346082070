/**
 * Lanczos with full reorthogonalisation for the extreme eigenvalues of a symmetric operator given only
 * through products v ↦ Hv (Golub & Van Loan §10.1; Std). Used for λ_min and λ_max of the Hessian of f or g
 * (SPEC §4.1: a strict saddle is a critical point with λ_min < 0) and for its lowest eigenvectors (the
 * escape direction, SPEC §4.2 C-d).
 *
 * The driver is inverted so one implementation serves a synchronous CPU product and an asynchronous GPU one:
 *
 *   const lz = new Lanczos(N, opts);
 *   while (!lz.done) lz.push(applyH(lz.q));     // or: await gpuApply(lz.q)
 *   const { values, ... } = lz.result();
 *
 * Full reorthogonalisation (twice, against every stored vector) keeps the basis orthonormal to rounding, so
 * the Ritz values do not duplicate. When the Krylov space closes (β ≈ 0: the start vector lay in an
 * invariant subspace, common at symmetric points such as the origin), the iteration restarts with a fresh
 * random vector orthogonal to the basis, so with N steps it reaches every eigenvalue, repeated ones included.
 */
import { symEig, zeros } from './linalg';
import { Rng } from './rng';

export interface LanczosOptions {
  /** most products to use (default min(N, 120)); N makes the result exact up to rounding */
  maxIter?: number;
  /** stop when the extreme Ritz pairs' residuals |βₖ sᵢ,ₖ| fall below tol·max|θ| (default 1e-10) */
  tol?: number;
  seed?: number;
  /** how many of the lowest Ritz vectors `result` returns (default 0) */
  vectors?: number;
}

export interface LanczosResult {
  /** the Ritz values, ascending */
  values: Float64Array;
  min: number;
  max: number;
  /** products used */
  iterations: number;
  /** residual bound of the lowest Ritz pair */
  residual: number;
  /** the lowest `vectors` Ritz vectors (unit norm) */
  vectors: Float64Array[];
}

export class Lanczos {
  /** the vector whose product H·q the driver must `push` next */
  q: Float64Array;
  private readonly Q: Float64Array[] = [];
  private readonly alpha: number[] = [];
  private readonly beta: number[] = [];
  private readonly rng: Rng;
  private readonly maxIter: number;
  private readonly tol: number;
  private finished = false;
  /** a product was not finite (an iterate that blew up): the result is NaN, never an exception */
  private broken = false;
  private scale = 0;
  private last: { values: Float64Array; vecs: Float64Array; k: number } | null = null;

  constructor(readonly N: number, private readonly opts: LanczosOptions = {}) {
    if (!(N >= 1)) throw new RangeError('Lanczos needs a space of dimension ≥ 1');
    this.rng = new Rng(opts.seed ?? 12345);
    this.maxIter = Math.max(1, Math.min(N, opts.maxIter ?? 120));
    this.tol = opts.tol ?? 1e-10;
    this.q = this.fresh()!;
  }

  get done(): boolean {
    return this.finished;
  }

  /** A random unit vector orthogonal to the basis, or null when the basis spans the space. */
  private fresh(): Float64Array | null {
    for (let attempt = 0; attempt < 3; attempt++) {
      const v = this.rng.normals(this.N);
      const n0 = Math.sqrt(dot(v, v));
      this.orthogonalise(v);
      const n1 = Math.sqrt(dot(v, v));
      if (n1 > 1e-8 * n0) {
        for (let i = 0; i < v.length; i++) v[i] /= n1;
        return v;
      }
    }
    return null;
  }

  private orthogonalise(w: Float64Array): void {
    for (let pass = 0; pass < 2; pass++) {
      for (const qi of this.Q) {
        const c = dot(qi, w);
        for (let i = 0; i < w.length; i++) w[i] -= c * qi[i];
      }
    }
  }

  /** Take w = H·q (it is modified) and prepare the next q. */
  push(w: Float64Array): void {
    if (this.finished) throw new Error('Lanczos: already done');
    if (w.length !== this.N) throw new RangeError(`Lanczos: product has length ${w.length}, expected ${this.N}`);
    const q = this.q;
    this.Q.push(q);
    const a = dot(q, w);
    this.alpha.push(a);
    this.orthogonalise(w); // removes the α q and β q_prev components too
    const b = Math.sqrt(dot(w, w));
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      this.broken = this.finished = true;
      return;
    }
    this.scale = Math.max(this.scale, Math.abs(a), b);
    const k = this.alpha.length;
    if (k >= this.maxIter) {
      this.finished = true;
      return;
    }
    let next: Float64Array | null;
    if (b <= 1e-12 * Math.max(this.scale, Number.MIN_VALUE)) {
      // invariant subspace: restart orthogonally; T becomes block diagonal (β = 0)
      this.beta.push(0);
      next = this.fresh();
    } else {
      this.beta.push(b);
      for (let i = 0; i < w.length; i++) w[i] /= b;
      next = w;
    }
    if (!next) {
      this.finished = true;
      return;
    }
    this.q = next;
    if (k % 8 === 0 && this.converged()) this.finished = true;
  }

  private solveT(): { values: Float64Array; vecs: Float64Array; k: number } {
    const k = this.alpha.length;
    if (this.last && this.last.k === k) return this.last;
    const T = zeros(k, k);
    for (let i = 0; i < k; i++) {
      T.data[i * k + i] = this.alpha[i];
      if (i + 1 < k) T.data[i * k + i + 1] = T.data[(i + 1) * k + i] = this.beta[i];
    }
    const e = symEig(T);
    return (this.last = { values: e.values, vecs: e.vectors.data, k });
  }

  /** Both extreme Ritz pairs have residual |βₖ sₖ| ≤ tol·max|θ|. */
  private converged(): boolean {
    const { values, vecs, k } = this.solveT();
    const bk = this.beta[k - 1] ?? 0;
    const ref = Math.max(Math.abs(values[0]), Math.abs(values[k - 1]), Number.MIN_VALUE);
    const rLow = Math.abs(bk * vecs[(k - 1) * k + 0]);
    const rHigh = Math.abs(bk * vecs[(k - 1) * k + k - 1]);
    return rLow <= this.tol * ref && rHigh <= this.tol * ref;
  }

  result(): LanczosResult {
    if (this.broken) {
      const want = Math.min(this.opts.vectors ?? 0, this.alpha.length);
      return {
        values: Float64Array.of(NaN), min: NaN, max: NaN, iterations: this.alpha.length, residual: NaN,
        vectors: Array.from({ length: want }, () => new Float64Array(this.N).fill(NaN)),
      };
    }
    const { values, vecs, k } = this.solveT();
    const bk = this.finished && this.Q.length === this.N ? 0 : this.beta[k - 1] ?? 0;
    const want = Math.min(this.opts.vectors ?? 0, k);
    const vectors: Float64Array[] = [];
    for (let c = 0; c < want; c++) {
      const v = new Float64Array(this.N);
      for (let i = 0; i < k; i++) {
        const s = vecs[i * k + c];
        const qi = this.Q[i];
        for (let t = 0; t < v.length; t++) v[t] += s * qi[t];
      }
      const nv = Math.sqrt(dot(v, v));
      for (let t = 0; t < v.length; t++) v[t] /= nv;
      vectors.push(v);
    }
    return {
      values: values.slice(), min: values[0], max: values[k - 1], iterations: k,
      residual: Math.abs(bk * vecs[(k - 1) * k]), vectors,
    };
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Run Lanczos to completion with a synchronous product. */
export function lanczos(N: number, apply: (v: Float64Array) => Float64Array, opts: LanczosOptions = {}): LanczosResult {
  const lz = new Lanczos(N, opts);
  while (!lz.done) lz.push(apply(lz.q));
  return lz.result();
}
