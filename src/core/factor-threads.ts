/**
 * DGD+LOCAL on the factorization (objectives.ts factorizationLocal) with its nodes split over threads that
 * share one memory: the layout of a run in the kernels' memory, one thread's share of an iteration, and the
 * barrier between iterations. The engine (src/engine/threads.ts) starts the threads and drives them.
 *
 * Each thread computes, for its nodes j, exactly what DgdLocal.step computes on the kernels (dgd.ts, kernels.ts):
 * the node term's gradient in Gram form (gramGradient's products and operations, in one WebAssembly call), the
 * balancing term, then xʲ ← Σᵢ w̃ⱼᵢ xⁱ − μ∇ₓfⱼ in the same order and yⱼ ← yⱼ − μ∇ᵧfⱼ (one more call). The shared copies are double-buffered (read one,
 * write the other, swap after the barrier), the private blocks are updated in place by their node's thread:
 * one barrier an iteration, and the same bits whatever the number of threads (test/unit/factor-threads.test.ts).
 */
import { balancingTerm } from './balancing';
import { type GramScratch, type Products, gramScratch } from './kernels';
import type { FactorizationProblem } from './problem';

/** One run in the kernels' memory (entry offsets), as plain data a thread receives in a message. */
export interface FactorRunLayout {
  J: number;
  n: number;
  r: number;
  mj: number[];
  mu: number;
  lambda: number;
  /** the nonzero entries of W̃ by row, diagonal included, in DgdLocal's order */
  neighbours: { i: number; w: number }[][];
  /** the same in the memory: node j's neighbour indices (i32) from byte nbIdx + 4·nbStart[j], weights from entry nbW + nbStart[j] */
  nbIdx: number;
  nbW: number;
  nbStart: number[];
  /** the two buffers of the shared copies U¹ … U^J (J·n·r entries each) */
  X: [number, number];
  /** the private blocks V₁ … V_J, concatenated (DgdLocal's yOffsets) */
  Y: number;
  yOffsets: number[];
  /** the data blocks Yⱼ */
  data: number[];
  /** per thread: its nodes [j0, j1), its scratch and gradient buffers */
  threads: { j0: number; j1: number; scratch: GramScratch; gx: number; gy: number }[];
}

/**
 * The nodes split into `count` contiguous ranges of about equal work (Σ over the range of mⱼ + n, the node
 * term's cost per column of its products).
 */
export function splitNodes(mj: readonly number[], n: number, count: number): [number, number][] {
  const total = mj.reduce((a, m) => a + m + n, 0);
  const out: [number, number][] = [];
  let j = 0, acc = 0;
  for (let t = 0; t < count; t++) {
    const j0 = j;
    const goal = (total * (t + 1)) / count;
    while (j < mj.length && (t === count - 1 || acc + (mj[j] + n) / 2 <= goal)) acc += mj[j++] + n;
    out.push([j0, j]);
  }
  return out;
}

/** Lays out a run of `p` (DGD+LOCAL, step μ, mixing W̃ given by its neighbour lists) for `threads` threads in k's memory, its iterate set to (X, Y). */
export function layoutFactorRun(
  k: Products, p: FactorizationProblem, neighbours: { i: number; w: number }[][], mu: number, threads: number, X: Float64Array, Y: Float64Array,
): FactorRunLayout {
  const { n, r } = p;
  const J = p.partition.length;
  const yOffsets: number[] = [];
  let o = 0;
  for (const mj of p.partition) {
    yOffsets.push(o);
    o += mj * r;
  }
  const nbStart: number[] = [];
  let nnz = 0;
  for (const row of neighbours) {
    nbStart.push(nnz);
    nnz += row.length;
  }
  const L: FactorRunLayout = {
    J, n, r, mj: p.partition.slice(), mu, lambda: p.lambda, neighbours, nbIdx: k.alloc(Math.ceil(nnz / 2)) * 8, nbW: k.alloc(nnz), nbStart,
    X: [k.alloc(J * n * r), k.alloc(J * n * r)], Y: k.alloc(o), yOffsets,
    data: p.blocks.map((b) => k.alloc(b.data.length)),
    threads: [],
  };
  const mjMax = Math.max(...p.partition);
  for (const [j0, j1] of splitNodes(p.partition, n, threads)) {
    L.threads.push({ j0, j1, scratch: gramScratch(k, Math.max(n, mjMax) * r, r), gx: k.alloc(n * r), gy: k.alloc(mjMax * r) });
  }
  const f = k.f64;
  const idx = new Int32Array(f.buffer, f.byteOffset + L.nbIdx, nnz);
  neighbours.forEach((row, j) => row.forEach(({ i, w }, q) => {
    idx[nbStart[j] + q] = i;
    f[L.nbW + nbStart[j] + q] = w;
  }));
  p.blocks.forEach((b, j) => f.set(b.data, L.data[j]));
  f.set(X, L.X[0]);
  f.set(Y, L.Y);
  return L;
}

/**
 * Thread t's share of one iteration: reads the shared copies from buffer `parity`, writes them to the other.
 * Node j: its gradients (kernels.ts nodeGrad: gramGradient's operations), the balancing term's when λ ≠ 0, then
 * its step (nodeUpdate: DgdLocal.step's operations, in its order).
 */
export function stepNodes(k: Products, L: FactorRunLayout, t: number, parity: number): void {
  const { n, r, mu } = L;
  const nr = n * r;
  const th = L.threads[t];
  const src = L.X[parity], dst = L.X[1 - parity];
  for (let j = th.j0; j < th.j1; j++) {
    const mj = L.mj[j];
    const u = src + j * nr, v = L.Y + L.yOffsets[j];
    k.nodeGrad(L.data[j], n, mj, r, u, v, th.scratch, th.gx, th.gy);
    if (L.lambda !== 0) {
      const f = k.f64;
      balancingTerm(L.lambda, n, mj, r, f.subarray(u, u + nr), f.subarray(v, v + mj * r), f.subarray(th.gx, th.gx + nr), f.subarray(th.gy, th.gy + mj * r));
    }
    k.nodeUpdate(mu, nr, mj * r, th.gx, th.gy, dst + j * nr, v, src, L.nbIdx + 4 * L.nbStart[j], L.nbW + L.nbStart[j], L.neighbours[j].length);
  }
}

/** Control words of a threaded run (an Int32Array over a SharedArrayBuffer), by index. */
export const CTL = { count: 0, sense: 1, generation: 2, iterations: 3, parity: 4, state: 5, joined: 6, size: 8 } as const;
/** ctl[CTL.state]: running, asked to leave, or failed in some thread */
export const RUNNING = 0, QUIT = 1, FAILED = 2;

/**
 * A sense-reversing barrier for `count` threads over ctl (one instance per thread): a short spin, then
 * Atomics.wait. Throws when another thread failed (ctl[CTL.state] = FAILED) instead of waiting forever.
 */
export class Barrier {
  private sense = 0;

  constructor(private readonly ctl: Int32Array, private readonly count: number) {}

  wait(): void {
    const c = this.ctl;
    this.sense ^= 1;
    if (Atomics.add(c, CTL.count, 1) === this.count - 1) {
      Atomics.store(c, CTL.count, 0);
      Atomics.store(c, CTL.sense, this.sense);
      Atomics.notify(c, CTL.sense);
      return;
    }
    for (let spin = 0; spin < 4000; spin++) if (Atomics.load(c, CTL.sense) === this.sense) return;
    while (Atomics.load(c, CTL.sense) !== this.sense) {
      if (Atomics.load(c, CTL.state) === FAILED) throw new Error('another thread of the run failed');
      Atomics.wait(c, CTL.sense, this.sense ^ 1, 200);
    }
  }
}
