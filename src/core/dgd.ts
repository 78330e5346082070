/**
 * DGD+LOCAL (SPEC eq. 1.9), the one iteration every CPU algorithm uses (see objectives.ts):
 *
 *   xʲ ← Σᵢ w̃ⱼᵢ xⁱ − μ ∇ₓfⱼ(xʲ, yⱼ),    yⱼ ← yⱼ − μ ∇ᵧfⱼ(xʲ, yⱼ)      (simultaneous, Jacobi-style)
 *
 * and the penalized objective it descends, g = Σⱼ fⱼ + Σⱼ Σᵢ wⱼᵢ‖xʲ − xⁱ‖² with wⱼᵢ = w̃ⱼᵢ/(4μ), i ≠ j
 * (1.6, 1.11). `step` implements (1.9) directly; `gradient` implements (1.8) independently, so the test
 * "one step equals one gradient step on g" checks the equivalence rather than restating it.
 */
import type { Mat } from './linalg';
import type { NodeObjective } from './objectives';

/** The stacked iterate z: shared copies X (J rows of length sharedLen) and private blocks concatenated. */
export interface State {
  X: Float64Array;
  Y: Float64Array;
}

export class DgdLocal {
  /** nonzero entries of W̃, row by row (diagonal included): the sparse neighbour lists of the mixing step */
  readonly neighbours: { i: number; w: number }[][];
  readonly yOffsets: number[];
  readonly yLength: number;
  private readonly next: Float64Array;
  private readonly gx: Float64Array;
  private readonly gy: Float64Array;

  constructor(readonly obj: NodeObjective, readonly W: Mat, readonly mu: number) {
    if (W.rows !== obj.J || W.cols !== obj.J) throw new RangeError(`W is ${W.rows}×${W.cols} but there are ${obj.J} nodes`);
    this.neighbours = Array.from({ length: obj.J }, (_, j) => {
      const row: { i: number; w: number }[] = [];
      for (let i = 0; i < obj.J; i++) if (W.data[j * obj.J + i] !== 0) row.push({ i, w: W.data[j * obj.J + i] });
      return row;
    });
    this.yOffsets = [];
    let o = 0;
    for (const len of obj.localLen) {
      this.yOffsets.push(o);
      o += len;
    }
    this.yLength = o;
    this.next = new Float64Array(obj.J * obj.sharedLen);
    this.gx = new Float64Array(obj.sharedLen);
    this.gy = new Float64Array(Math.max(0, ...obj.localLen));
  }

  private x(z: State, j: number): Float64Array {
    const s = this.obj.sharedLen;
    return z.X.subarray(j * s, (j + 1) * s);
  }

  private y(z: State, j: number): Float64Array {
    return z.Y.subarray(this.yOffsets[j], this.yOffsets[j] + this.obj.localLen[j]);
  }

  /** One iteration of (1.9), in place. Returns Σⱼ fⱼ at the iterate *before* the step. */
  step(z: State): number {
    const { J, sharedLen: s } = this.obj;
    const mu = this.mu;
    let f = 0;
    for (let j = 0; j < J; j++) {
      const yj = this.y(z, j);
      const gy = this.gy.subarray(0, yj.length);
      f += this.obj.evaluate(j, this.x(z, j), yj, this.gx, gy);
      const out = this.next.subarray(j * s, (j + 1) * s);
      for (let k = 0; k < s; k++) out[k] = -mu * this.gx[k];
      for (const { i, w } of this.neighbours[j]) {
        const xi = this.x(z, i);
        for (let k = 0; k < s; k++) out[k] += w * xi[k];
      }
      // yⱼ is read only by node j, and its gradient is already taken: update it in place.
      for (let k = 0; k < yj.length; k++) yj[k] -= mu * gy[k];
    }
    z.X.set(this.next);
    return f;
  }

  /** Σⱼ fⱼ(xʲ, yⱼ) — the objective f(z) of SPEC §1.6. */
  objective(z: State): number {
    let f = 0;
    for (let j = 0; j < this.obj.J; j++) f += this.obj.evaluate(j, this.x(z, j), this.y(z, j));
    return f;
  }

  /** Σⱼ Σᵢ wⱼᵢ‖xʲ − xⁱ‖² over ordered pairs, wⱼᵢ = w̃ⱼᵢ/(4μ) for i ≠ j (1.7, 1.11). */
  penalty(z: State): number {
    let p = 0;
    for (let j = 0; j < this.obj.J; j++) {
      const xj = this.x(z, j);
      for (const { i, w } of this.neighbours[j]) {
        if (i === j) continue;
        const xi = this.x(z, i);
        let d2 = 0;
        for (let k = 0; k < xj.length; k++) {
          const d = xj[k] - xi[k];
          d2 += d * d;
        }
        p += (w / (4 * this.mu)) * d2;
      }
    }
    return p;
  }

  /** g(z) of (1.6). */
  distributedObjective(z: State): number {
    return this.objective(z) + this.penalty(z);
  }

  /** ∇g (1.8): ∇ₓʲg = ∇ₓfⱼ + 4 Σᵢ wⱼᵢ (xʲ − xⁱ), ∇ᵧⱼg = ∇ᵧfⱼ. */
  gradient(z: State): State {
    const { J, sharedLen: s } = this.obj;
    const G: State = { X: new Float64Array(J * s), Y: new Float64Array(this.yLength) };
    for (let j = 0; j < J; j++) {
      const gx = G.X.subarray(j * s, (j + 1) * s);
      this.obj.evaluate(j, this.x(z, j), this.y(z, j), gx, this.y(G, j));
      const xj = this.x(z, j);
      for (const { i, w } of this.neighbours[j]) {
        if (i === j) continue;
        const xi = this.x(z, i);
        const c = 4 * (w / (4 * this.mu));
        for (let k = 0; k < s; k++) gx[k] += c * (xj[k] - xi[k]);
      }
    }
    return G;
  }

  /** Whether every node objective has an analytic Hessian–vector product (curvature needs it). */
  get hasHessian(): boolean {
    return typeof this.obj.hessianVector === 'function';
  }

  /**
   * ∇²g(z)[dz] (the quadratic form 4.2, as a product): node j's ∇²fⱼ[(dxʲ, dyⱼ)] plus the penalty's linear
   * part 4 Σᵢ wⱼᵢ (dxʲ − dxⁱ) = Σᵢ (w̃ⱼᵢ/μ)(dxʲ − dxⁱ) on the shared copies (the derivative of 1.8).
   */
  hessianVector(z: State, dz: State, out: State = { X: new Float64Array(z.X.length), Y: new Float64Array(z.Y.length) }): State {
    const hv = this.obj.hessianVector;
    if (!hv) throw new Error('this objective has no Hessian–vector product');
    const { J, sharedLen: s } = this.obj;
    for (let j = 0; j < J; j++) {
      const ox = out.X.subarray(j * s, (j + 1) * s);
      hv.call(this.obj, j, this.x(z, j), this.y(z, j), this.x(dz, j), this.y(dz, j), ox, this.y(out, j));
      const dxj = this.x(dz, j);
      for (const { i, w } of this.neighbours[j]) {
        if (i === j) continue;
        const dxi = this.x(dz, i);
        const c = w / this.mu;
        for (let k = 0; k < s; k++) ox[k] += c * (dxj[k] - dxi[k]);
      }
    }
    return out;
  }

  /** x̄ = (1/J) Σⱼ xʲ */
  average(z: State): Float64Array {
    const { J, sharedLen: s } = this.obj;
    const avg = new Float64Array(s);
    for (let j = 0; j < J; j++) {
      const xj = this.x(z, j);
      for (let k = 0; k < s; k++) avg[k] += xj[k] / J;
    }
    return avg;
  }

  /** Σⱼ ‖xʲ − x̄‖² */
  consensusError(z: State): number {
    const avg = this.average(z);
    let c = 0;
    for (let j = 0; j < this.obj.J; j++) {
      const xj = this.x(z, j);
      for (let k = 0; k < xj.length; k++) {
        const d = xj[k] - avg[k];
        c += d * d;
      }
    }
    return c;
  }
}
