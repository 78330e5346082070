/**
 * Perturbed gradient descent (Jin, Ge, Netrapalli, Kakade, Jordan 2017, the escape mechanism the papers
 * cite): before a step of (1.9), if ‖∇g(z)‖ ≤ threshold and at least `wait` iterations have passed since
 * the last kick, add ξ drawn uniformly from the ball of radius `radius` (a Gaussian direction scaled by
 * radius·U^{1/N}). Near a strict saddle the kick has a component along the escape direction whose size
 * no longer depends on how close the start was, so the time spent there stops growing like log(1/δ).
 */
import type { DgdLocal, State } from './dgd';
import type { AlgorithmConfig } from './document';
import { pow } from './fmath';
import { norm2 } from './linalg';
import { Rng, type RngState, childSeed } from './rng';

export type PerturbSpec = NonNullable<AlgorithmConfig['perturb']>;

/** What a Perturber carries from one step to the next (see save / load). */
export interface PerturberState {
  rng: RngState;
  lastKick: number;
  kicks: number[];
}

export class Perturber {
  private readonly rng: Rng;
  private lastKick = -Infinity;
  /** iterations at which a kick was added */
  readonly kicks: number[] = [];

  constructor(private readonly alg: DgdLocal, private readonly spec: PerturbSpec) {
    this.rng = new Rng(childSeed(spec.seed, 'perturb'));
  }

  /** Called before the step from iteration k; returns whether it kicked. */
  before(z: State, k: number): boolean {
    if (k - this.lastKick < this.spec.wait) return false;
    const G = this.alg.gradient(z);
    if (Math.sqrt(norm2(G.X) + norm2(G.Y)) > this.spec.threshold) return false;
    const N = z.X.length + z.Y.length;
    const dX = this.rng.normals(z.X.length), dY = this.rng.normals(z.Y.length);
    const len = Math.sqrt(norm2(dX) + norm2(dY));
    const c = (this.spec.radius * pow(this.rng.uniform(), 1 / N)) / len;
    for (let i = 0; i < dX.length; i++) z.X[i] += c * dX[i];
    for (let i = 0; i < dY.length; i++) z.Y[i] += c * dY[i];
    this.lastKick = k;
    this.kicks.push(k);
    return true;
  }

  /** Its state now, so that a run restored to this iteration kicks again exactly as it did (a replay). */
  save(): PerturberState {
    return { rng: this.rng.save(), lastKick: this.lastKick, kicks: this.kicks.slice() };
  }

  load(st: PerturberState): void {
    this.rng.load(st.rng);
    this.lastKick = st.lastKick;
    this.kicks.splice(0, this.kicks.length, ...st.kicks);
  }
}
