/**
 * DGD+LOCAL on the factorization in the kernels' memory (src/core/factor-threads.ts), on one thread or with its
 * nodes over several: the engine's own thread is thread 0, the
 * others are workers that a platform provides — Node's worker_threads in the CLI (threads-node.ts), nested Web
 * Workers in the page's engine worker when the page is cross-origin isolated (threads-page.ts). Threads stay
 * alive between runs (a pool) and block in Atomics.wait between calls.
 *
 * The CPU engine runs DGD+LOCAL on the factorization this way whenever it has the kernels and nothing else touches
 * the iterate between iterations (no perturbation); on several threads when the iteration is large enough for
 * the barrier to pay (≥ THREAD_MIN_FLOPS). The result is bit-identical whatever the number of threads, and to
 * DgdLocal.step on the kernels, so the choice changes only the speed.
 */
import { Barrier, CTL, FAILED, type FactorRunLayout, QUIT, RUNNING, layoutFactorRun, stepNodes } from '../core/factor-threads';
import { Products } from '../core/kernels';
import type { FactorizationProblem } from '../core/problem';

/** What a thread receives to join a run. */
export interface ThreadJob {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: Int32Array;
  layout: FactorRunLayout;
  thread: number;
}

/** A started thread: post it a job; it answers nothing while it works (errors set ctl[CTL.state] = FAILED). */
export interface ThreadHandle {
  post(job: ThreadJob): void;
}

interface Platform {
  /** the threads besides this one the platform can run: the cores less one, or 0 where memory cannot be shared */
  extra: number;
  /** why there are none, when there are none */
  reason?: string;
  spawn(): ThreadHandle;
  /** the kernels built with a shared memory */
  sharedModule(): Promise<WebAssembly.Module>;
}

let platform: Platform | null = null;
const pool: ThreadHandle[] = [];
let wanted: number | null = null;

/** Called once by the CLI (threads-node.ts) or the page's engine worker (threads-page.ts). */
export function provideThreads(p: Platform): void {
  platform = p;
}

/** `--threads N`: at most N threads for one run (1: the engine's own only); default: every core. */
export function chooseThreads(n: number | null): void {
  wanted = n;
}

/** How many threads a run gets, and why not more. */
export function threadsAvailable(): { count: number; reason: string } {
  if (!platform) return { count: 1, reason: 'one thread: this environment starts no threads for a run' };
  if (platform.extra === 0) return { count: 1, reason: platform.reason ?? 'one thread' };
  const count = Math.max(1, Math.min(wanted ?? platform.extra + 1, platform.extra + 1));
  return { count, reason: `${count} thread${count > 1 ? 's' : ''}` };
}

/** Products on a shared memory, for a run on several threads (null where the platform has none). */
export async function sharedProducts(): Promise<Products | null> {
  if (!platform || platform.extra === 0) return null;
  return new Products(await platform.sharedModule(), new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true }));
}

/** How long a run waits for its threads to start before it runs on one. */
const JOIN_TIMEOUT_MS = 20_000;

/** Below this many model flops an iteration (4nmr), one thread is faster than waiting at a barrier. */
export const THREAD_MIN_FLOPS = 4e6;

/**
 * The run of one engine on `count` threads; the iterate lives in the shared memory, `X()`/`Y()` are its views
 * (the shared copies' view changes buffers with the parity after every call to advance).
 */
export class ThreadedFactorRun {
  private parity = 0;
  private readonly barrier: Barrier;
  private closed = false;

  private constructor(private readonly k: Products, private readonly ctl: Int32Array, readonly layout: FactorRunLayout, readonly count: number) {
    this.barrier = new Barrier(ctl, count);
  }

  /**
   * A run of `p` on `count` threads in k's memory (shared — sharedProducts() — when count > 1), its iterate set to
   * (X, Y). With one thread it starts none and needs no platform.
   */
  static async start(k: Products, p: FactorizationProblem, neighbours: { i: number; w: number }[][], mu: number, count: number, X: Float64Array, Y: Float64Array): Promise<ThreadedFactorRun> {
    const layout = layoutFactorRun(k, p, neighbours, mu, count, X, Y);
    if (count === 1) return new ThreadedFactorRun(k, new Int32Array(CTL.size), layout, 1);
    if (!platform) throw new Error('no threads in this environment');
    const module = await platform.sharedModule();
    const memory = k.memory;
    const ctl = new Int32Array(new SharedArrayBuffer(CTL.size * 4));
    while (pool.length < count - 1) pool.push(platform.spawn());
    for (let t = 1; t < count; t++) pool[t - 1].post({ module, memory, ctl, layout, thread: t });
    const run = new ThreadedFactorRun(k, ctl, layout, count);
    // Wait for every thread to join without blocking: a Web Worker's nested workers start only while it
    // yields to its event loop, so blocking at the first barrier before they run would wait forever.
    const t0 = Date.now();
    while (Atomics.load(ctl, CTL.joined) < count - 1) {
      if (Atomics.load(ctl, CTL.state) === FAILED || Date.now() - t0 > JOIN_TIMEOUT_MS) {
        run.close();
        throw new Error(`${count - 1 - Atomics.load(ctl, CTL.joined)} of the run's ${count - 1} threads did not start within ${JOIN_TIMEOUT_MS / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    return run;
  }

  X(): Float64Array {
    const { J, n, r } = this.layout;
    const o = this.layout.X[this.parity];
    return this.k.f64.subarray(o, o + J * n * r);
  }

  Y(): Float64Array {
    const o = this.layout.Y;
    const len = this.layout.mj.reduce((a, m) => a + m * this.layout.r, 0);
    return this.k.f64.subarray(o, o + len);
  }

  /** `iterations` iterations on every thread; returns when all of them are done. */
  advance(iterations: number): void {
    if (this.closed) throw new Error('the threaded run is closed');
    if (iterations <= 0) return;
    if (this.count === 1) {
      for (let it = 0; it < iterations; it++) {
        stepNodes(this.k, this.layout, 0, this.parity);
        this.parity ^= 1;
      }
      return;
    }
    const c = this.ctl;
    Atomics.store(c, CTL.iterations, iterations);
    Atomics.store(c, CTL.parity, this.parity);
    Atomics.add(c, CTL.generation, 1);
    Atomics.notify(c, CTL.generation);
    try {
      for (let it = 0; it < iterations; it++) {
        stepNodes(this.k, this.layout, 0, this.parity);
        this.barrier.wait();
        this.parity ^= 1;
      }
    } catch (err) {
      Atomics.store(c, CTL.state, FAILED);
      throw err;
    }
  }

  /** Lets the threads go back to the pool. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.ctl, CTL.state, QUIT);
    Atomics.add(this.ctl, CTL.generation, 1);
    Atomics.notify(this.ctl, CTL.generation);
  }
}

/** A thread's side (threads-node.ts and threads-page.ts call this on every job): iterate until asked to leave. */
export function runThreadJob(job: ThreadJob): void {
  const { ctl, layout, thread } = job;
  const k = new Products(job.module, job.memory);
  const barrier = new Barrier(ctl, layout.threads.length);
  let seen = 0;
  Atomics.add(ctl, CTL.joined, 1);
  try {
    for (;;) {
      Atomics.wait(ctl, CTL.generation, seen);
      const gen = Atomics.load(ctl, CTL.generation);
      if (gen === seen) continue;
      seen = gen;
      if (Atomics.load(ctl, CTL.state) !== RUNNING) return;
      let parity = Atomics.load(ctl, CTL.parity);
      const iterations = Atomics.load(ctl, CTL.iterations);
      for (let it = 0; it < iterations; it++) {
        stepNodes(k, layout, thread, parity);
        barrier.wait();
        parity ^= 1;
      }
    }
  } catch {
    Atomics.store(ctl, CTL.state, FAILED);
    Atomics.notify(ctl, CTL.sense);
  }
}
