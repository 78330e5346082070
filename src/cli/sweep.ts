/**
 * `lowrank-lab sweep FILE.json`: runs the document's sweep (src/engine/sweep.ts) and writes one CSV row
 * per cell; progress (runs done, percentage, time left) goes to stderr once a second and at every
 * quarter of the work: the same figures the app's progress bar shows. A diverged cell is an outcome, not a failure: the exit status is
 * 0 when the sweep ran, 2 for invalid input.
 *
 * On the CPU engine the trials are split over `--jobs` worker threads (default: one per core, at most 8;
 * src/cli/sweep-thread.ts), merged into the cells one thread gives; a GPU batches them in this thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Budget, checkSweepBudget, formatBytes, parallelInBudget } from '../core/budget';
import type { Experiment } from '../core/experiment';
import { planSweep, sweepCsv } from '../core/sweep';
import { partCsv } from '../core/sweep-parts';
import type { BackendPreference } from '../engine/backend';
import type { SweepPlan } from '../core/sweep';
import { type SweepProgress, type SweepResult, mergeProgress, mergeSweeps, runSweep, sweepEngine } from '../engine/sweep';
import type { FromSweepThread } from './sweep-thread';
import { GpuLimitError } from '../gpu/layout';
import type { ShaderSources } from '../gpu/kernels';
import { nodeGpu } from '../gpu/node';
import { loadShaderSources } from '../gpu/shaders-node';
import { type Io, writeOutput } from './io';
import { kernelChoice } from '../engine/kernels';

/** "12/96 runs, 13 %, about 4 s left" */
export function progressText(p: SweepProgress): string {
  const eta = p.etaMs === null || p.fraction >= 1 ? '' : `, about ${p.etaMs < 10_000 ? (p.etaMs / 1000).toFixed(1) : Math.round(p.etaMs / 1000)} s left`;
  return `${p.runsDone}/${p.runs} runs, ${Math.floor(100 * p.fraction)} %${eta}`;
}

/** Worker threads for a CPU sweep when --jobs is not given: one per core, at most 8. */
export const defaultJobs = () => Math.min(8, availableParallelism());

/** The sweep's trials in `jobs` worker threads (shard i of jobs each), merged. */
export async function threadedSweep(document: Experiment, plan: SweepPlan, jobs: number, onProgress: (p: SweepProgress) => void): Promise<SweepResult> {
  const entry = new URL('./sweep-thread.ts', import.meta.url).href;
  // the thread runs TypeScript through tsx's loader, like this process
  const boot = `import { tsImport } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; await tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)});`;
  const progress: (SweepProgress | null)[] = new Array(jobs).fill(null);
  const threads: Worker[] = [];
  try {
    const parts = await Promise.all(Array.from({ length: jobs }, (_, index) => new Promise<SweepResult>((resolve, reject) => {
      const w = new Worker(boot, { eval: true, workerData: { experiment: document, shard: { index, count: jobs }, kernels: kernelChoice() } });
      threads.push(w);
      w.on('message', (m: FromSweepThread) => {
        if (m.type === 'progress') {
          progress[index] = m.progress;
          onProgress(mergeProgress(progress, plan.trials));
        } else if (m.type === 'done') resolve(m.result);
        else reject(new Error(m.message));
      });
      w.on('error', reject);
      w.on('exit', (code) => reject(new Error(`sweep thread ${index} exited with code ${code} before its result`)));
    })));
    return mergeSweeps(parts);
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
}

export interface SweepRunOptions {
  backend: BackendPreference;
  jobs?: number;
  shard?: { index: number; count: number };
  budget: Budget;
}

/**
 * The document's sweep as `sweep` runs it (and `check`, for claims about its cells): every cell sized
 * against the budget, the engine chosen, the CPU's trials over worker threads; progress on stderr, each
 * line led by `label`. A usage error (exit 2) for a sweep the budget or the device cannot take.
 */
export async function runDocumentSweep(exp: Experiment, plan: SweepPlan, opts: SweepRunOptions, io: Io, usage: (message: string) => Error, label = 'sweep'): Promise<SweepResult> {
  const { backend, budget, shard } = opts;
  // every cell sized before the sweep starts: the costliest past the budget is refused (exit 2)
  const worst = checkSweepBudget(plan, budget).cost;
  const gpu = backend === 'cpu' ? null : await nodeGpu();
  try {
    const { engine, reason } = await sweepEngine(plan, { prefer: backend, gpu: gpu?.gpu, shaders: gpu ? loadShaderSources() : ({} as ShaderSources) });
    if (backend === 'webgpu' && engine.kind !== 'webgpu') {
      engine.destroy();
      throw usage(reason);
    }
    if (backend !== 'cpu') io.stderr(`${reason}\n`);
    // a shard runs in this thread (the batch system runs the shards side by side)
    if (shard && (opts.jobs ?? 1) > 1) io.stderr(`${label}: --jobs ${opts.jobs} is not used with --shard: a shard runs in one thread (run more shards instead)\n`);
    const wanted = engine.kind === 'cpu' && !shard ? Math.min(opts.jobs ?? defaultJobs(), plan.trials) : 1;
    // cells run at once (threads, or the trials of a GPU batch built on the CPU) stay inside the memory budget together
    const jobs = parallelInBudget(worst, budget, wanted);
    if (jobs < wanted) io.stderr(`${label}: ${jobs} worker thread${jobs === 1 ? '' : 's'} instead of ${wanted}: a cell takes up to ${formatBytes(worst.bytes)} and the memory budget is ${formatBytes(budget.bytes)}\n`);
    const maxBatch = engine.kind === 'webgpu' ? parallelInBudget(worst, budget, 512) : undefined;
    const grid = `${plan.x.values.length}${plan.y ? ` × ${plan.y.values.length}` : ''}`;
    io.stderr(`${label}: ${plan.trials} runs (${grid} cells × ${plan.seeds} seeds) of ${plan.x.param}${plan.y ? ` × ${plan.y.param}` : ''} on the ${engine.kind === 'webgpu' ? 'WebGPU' : 'CPU'} engine${jobs > 1 ? `, in ${jobs} worker threads` : ''}${shard ? `; shard ${shard.index}/${shard.count}: the runs t with t mod ${shard.count} = ${shard.index - 1}` : ''}\n`);
    let last = performance.now(), quarter = 0;
    const onProgress = (p: SweepProgress) => {
      // a line a second, and at every quarter of the work (so a short sweep shows its progress too)
      const now = performance.now(), q = Math.floor(4 * p.fraction);
      if (now - last < 1000 && q <= quarter) return;
      last = now;
      quarter = q;
      io.stderr(`${label}: ${progressText(p)}\n`);
    };
    const part = shard ? { index: shard.index - 1, count: shard.count } : undefined;
    const started = jobs > 1 ? (engine.destroy(), threadedSweep(exp, plan, jobs, onProgress)) : runSweep(plan, engine, { onProgress, maxBatch, shard: part });
    return await started.catch((err: unknown) => {
      // a cell too large for the device is the document's problem, not the program's: exit 2 like bad input
      throw err instanceof GpuLimitError ? usage(`a run of this sweep does not fit the device: ${err.message}`) : err;
    });
  } finally {
    gpu?.release();
  }
}

/** "done, 40 runs in 10.0 s (4.02 runs/s, 40 batches); 0 diverged" */
export function sweepDoneText(res: SweepResult): string {
  const diverged = res.trials.filter((t) => t.diverged).length;
  const s = res.elapsedMs / 1000;
  const lost = res.recoveries ? `; the device was lost ${res.recoveries} time${res.recoveries === 1 ? '' : 's'}, each interrupted chunk ran again on a new device` : '';
  return `done, ${res.trials.length} runs in ${s.toFixed(1)} s (${(res.trials.length / s).toPrecision(3)} runs/s, ${res.batches} batch${res.batches === 1 ? '' : 'es'}); ${diverged} diverged${lost}`;
}

export async function sweepCommand(exp: Experiment, opts: SweepRunOptions & { out?: string }, io: Io, usage: (message: string) => Error): Promise<number> {
  const { out, shard } = opts;
  const plan = planSweep(exp);
  const res = await runDocumentSweep(exp, plan, opts, io, usage);
  // a shard writes its runs (merged later with `merge`); the whole sweep its cells
  const csv = shard ? partCsv({ ...shard, engine: res.backend, document: JSON.stringify(exp) }, res.trials) : sweepCsv(plan, res.cells);
  await writeOutput(out, csv, io);
  io.stderr(`sweep: ${sweepDoneText(res)}\n`);
  return 0;
}
