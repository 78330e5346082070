/**
 * One shard of a CPU sweep in a worker thread of `lowrank-lab sweep --jobs N` (src/cli/sweep.ts): plans
 * the document's sweep, runs the trials t with t mod count = index on the float64 CPU engine, and posts
 * its progress and then its result (merged by the main thread with mergeSweeps), on the kernels (`--kernels`) the
 * main thread runs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Experiment } from '../core/experiment';
import { planSweep } from '../core/sweep';
import { OneByOne, type SweepProgress, type SweepResult, runSweep } from '../engine/sweep';
import { type KernelChoice, chooseKernels } from '../engine/kernels';
import { provideNodeKernels } from '../engine/kernels-node';

export type FromSweepThread =
  | { type: 'progress'; progress: SweepProgress }
  | { type: 'done'; result: SweepResult }
  | { type: 'error'; message: string };

// the experiment the CLI parsed (src/cli/cli.ts), typed and trusted here
const { experiment, shard, kernels } = workerData as { experiment: Experiment; shard: { index: number; count: number }; kernels: KernelChoice };
// the CPU engine's products as in the thread that started this one
provideNodeKernels();
chooseKernels(kernels);
const post = (m: FromSweepThread) => parentPort!.postMessage(m);
try {
  const result = await runSweep(planSweep(experiment), new OneByOne(), { shard, onProgress: (progress) => post({ type: 'progress', progress }) });
  post({ type: 'done', result });
} catch (err) {
  post({ type: 'error', message: (err as Error).message });
}
