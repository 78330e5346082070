/**
 * The float64 reference engine behind the Engine seam: src/core's DGD+LOCAL for node kinds, or the
 * instance's own method (a kind with its own algorithm, e.g. HMF's rounds) through its closures.
 */
import { type Instance, isNodeInstance, makeAlgorithm } from '../core/build';
import type { Method } from '../core/instance';
import { DgdLocal, type State } from '../core/dgd';
import { computeMetrics, type MetricsRow } from '../core/metrics';
import { Perturber, type PerturberState } from '../core/perturb';
import type { Engine } from './engine';
import { type KernelChoice, cpuProducts } from './kernels';
import { THREAD_MIN_FLOPS, ThreadedFactorRun, sharedProducts, threadsAvailable } from './threads';
import type { Products } from '../core/kernels';

/** The engine note's sentence on the products and threads of a loaded run. */
function cpuDetail(kernels: KernelChoice, hasKernels: boolean, threads: number, available: { count: number; reason: string }, splittable: boolean): string {
  if (!hasKernels) return 'This run\'s float64 products are plain TypeScript (the WebAssembly kernels serve the matrix problems\' gradient methods, HMF\'s Algorithm 1 and HAE).';
  if (kernels === 'js') return 'Float64 products in plain TypeScript, as chosen.';
  const on = 'Float64 products on WebAssembly SIMD kernels';
  if (threads > 1) return `${on}, the nodes split over ${threads} threads.`;
  if (available.count < 2) return `${on}, ${available.reason}.`;
  if (!splittable) return `${on}, one thread (only DGD+LOCAL on the factorization splits its nodes over threads).`;
  return `${on}, one thread (a run this small gains nothing from more).`;
}

export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  private inst: Instance | null = null;
  /** null for a kind with its own method */
  private alg: DgdLocal | null = null;
  /** the iteration on the WebAssembly products when the objective has them (kernels.ts), else `alg` itself; null for the whole-step run (`threaded`) */
  private fast: DgdLocal | null = null;
  /** a kind with its own method: its step and rows on the WebAssembly products when it has them, else its own */
  private own: Pick<Method, 'step' | 'metrics'> | null = null;
  /** what the loaded run's gradients are computed on */
  kernels: KernelChoice = 'js';
  /** DGD+LOCAL on the factorization in the kernels' memory (threads.ts), its nodes over threads when that pays */
  private threaded: ThreadedFactorRun | null = null;
  /** how many threads the loaded run iterates on */
  threads = 1;
  /** what the loaded run runs on, in one sentence for the engine note */
  detail = '';
  private state: State | null = null;
  private iteration = 0;
  /** perturbed gradient descent (algorithm.perturb), when the document asks for it */
  private perturber: Perturber | null = null;
  /**
   * The perturber's state at the iterations a session may restore to (iteration 0 and every snapshot), so a
   * restored run kicks exactly as it did: the session replays from a snapshot to find where a run diverged.
   */
  private kicks = new Map<number, PerturberState>();

  async load(instance: Instance): Promise<void> {
    this.inst = instance;
    this.alg = isNodeInstance(instance) ? makeAlgorithm(instance) : null;
    const method = isNodeInstance(instance) ? null : instance.method;
    const hasKernels = !!(this.alg?.obj.withProducts ?? method?.withProducts);
    const products = hasKernels ? await cpuProducts() : null;
    this.own = method && products ? method.withProducts!(products) : method;
    this.kernels = products ? 'wasm' : 'js';
    const perturb = instance.experiment.algorithm.perturb;
    this.perturber = perturb && this.alg ? new Perturber(this.alg, perturb) : null;
    this.state = { X: instance.init.X.slice(), Y: instance.init.Y.slice() };
    this.threaded?.close();
    this.threaded = null;
    this.threads = 1;
    // DGD+LOCAL on the factorization (the objective says so) runs whole iterations in the kernels' memory, its
    // nodes over threads when that pays
    const p = this.perturber ? undefined : this.alg?.obj.localFactor;
    let t = threadsAvailable();
    if (products && this.alg && p) {
      let count = t.count > 1 && 4 * p.n * p.m * p.r >= THREAD_MIN_FLOPS ? Math.min(t.count, p.partition.length) : 1;
      const start = (k: Products, c: number) => ThreadedFactorRun.start(k, p, this.alg!.neighbours, this.alg!.mu, c, this.state!.X, this.state!.Y);
      try {
        const shared = count > 1 ? await sharedProducts() : null;
        if (!shared) count = 1;
        this.threaded = await start(shared ?? products, count);
      } catch (err) {
        // the same numbers on one thread: say why, and go on
        t = { count: 1, reason: `one thread: ${(err as Error).message}` };
        this.threaded = await start(products, 1);
      }
      this.state = { X: this.threaded.X(), Y: this.threaded.Y() };
      this.threads = this.threaded.count;
    }
    // the iteration when it is not the whole-step run above: on the kernels when the objective has them
    this.fast = this.threaded || !this.alg ? null : products ? new DgdLocal(this.alg.obj.withProducts!(products), this.alg.W, this.alg.mu) : this.alg;
    this.detail = cpuDetail(this.kernels, hasKernels, this.threads, t, !!p);
    this.iteration = 0;
    this.kicks.clear();
    if (this.perturber) this.kicks.set(0, this.perturber.save());
  }

  private loaded(): { inst: Instance; alg: DgdLocal | null; state: State } {
    if (!this.inst || !this.state) throw new Error('CpuEngine: load() an instance first');
    return { inst: this.inst, alg: this.alg, state: this.state };
  }

  async advance(iterations: number): Promise<void> {
    const { inst, state } = this.loaded();
    const alg = this.fast;
    if (this.threaded) {
      this.threaded.advance(iterations);
      state.X = this.threaded.X();
    } else if (!isNodeInstance(inst)) {
      for (let k = 0; k < iterations; k++) this.own!.step(state);
    } else {
      const p = this.perturber;
      for (let k = 0; k < iterations; k++) {
        p?.before(state, this.iteration + k);
        alg!.step(state);
      }
    }
    this.iteration += iterations;
  }

  async metrics(): Promise<MetricsRow> {
    const { inst, alg, state } = this.loaded();
    if (!isNodeInstance(inst)) return this.own!.metrics(state, this.iteration);
    return computeMetrics(inst, alg!, state, this.iteration);
  }

  async snapshot(): Promise<{ state: State; iteration: number }> {
    const { state } = this.loaded();
    if (this.perturber) {
      this.kicks.delete(this.iteration);
      this.kicks.set(this.iteration, this.perturber.save());
      // keep iteration 0 and the 8 latest
      for (const k of this.kicks.keys()) if (this.kicks.size > 9 && k !== 0) this.kicks.delete(k);
    }
    return { state: { X: state.X.slice(), Y: state.Y.slice() }, iteration: this.iteration };
  }

  async restore(state: State, iteration: number): Promise<void> {
    const cur = this.loaded().state;
    if (state.X.length !== cur.X.length || state.Y.length !== cur.Y.length) throw new RangeError('restore: iterate does not match the loaded instance');
    cur.X.set(state.X);
    cur.Y.set(state.Y);
    this.iteration = iteration;
    const kicks = this.kicks.get(iteration);
    if (this.perturber && kicks) this.perturber.load(kicks);
  }

  destroy(): void {
    this.threaded?.close();
    this.inst = this.alg = this.fast = this.own = this.state = this.perturber = this.threaded = null;
  }
}
