/**
 * Sweeps off the main thread: the page sends the experiment document (with its `sweep`), the worker
 * plans it, picks the engine like a run does, and streams progress (at most 10 times a second) until
 * the sweep is done or cancelled; then the whole result (cells and trials). A worker of its own, so a
 * long sweep never queues behind the run view's messages, and a cancel arrives between two records.
 */
import { PAGE_BUDGET, checkSweepBudget, parallelInBudget } from '../core/budget';
import { DocumentError } from '../core/experiment';
import { planSweep } from '../core/sweep';
import { GpuLimitError } from '../gpu/layout';
import { shaderSources } from '../gpu/shaders';
import type { FromSweepWorker, ToSweepWorker } from './protocol';
import { runSweep, sweepEngine } from './sweep';
import { providePageKernels } from './kernels-page';
import { chooseKernels } from './kernels';

// the CPU engine runs on the WebAssembly products built into the bundle
providePageKernels();

const post = (m: FromSweepWorker) => postMessage(m);
let current: { id: number; abort: AbortController } | null = null;

async function start(msg: Extract<ToSweepWorker, { type: 'sweep' }>): Promise<void> {
  current?.abort.abort();
  const me = { id: msg.sweepId, abort: new AbortController() };
  current = me;
  let part = msg.cpuShard?.index ?? 0;
  try {
    const plan = planSweep(msg.experiment);
    chooseKernels(msg.kernels);
    const { engine, reason } = await sweepEngine(plan, { prefer: msg.backend, gpu: self.navigator.gpu, shaders: shaderSources });
    // the CPU engine's trials split over workers; a GPU batches them all in this one
    const shard = engine.kind === 'cpu' && msg.cpuShard && msg.cpuShard.count > 1 ? msg.cpuShard : undefined;
    part = shard?.index ?? 0;
    post({ type: 'sweep-started', sweepId: me.id, part, engine: engine.kind, reason, runs: plan.trials, sharded: !!shard });
    let lastPost = 0, lastTick = performance.now();
    // a GPU batch's trials are built on the CPU together: as many as the page's memory budget holds
    const maxBatch = engine.kind === 'webgpu' ? parallelInBudget(checkSweepBudget(plan, PAGE_BUDGET).cost, PAGE_BUDGET, 512) : undefined;
    const result = await runSweep(plan, engine, {
      shard,
      maxBatch,
      signal: me.abort.signal,
      onProgress: (progress) => {
        const now = performance.now();
        if (now - lastPost < 100 && progress.fraction < 1) return;
        lastPost = now;
        post({ type: 'sweep-progress', sweepId: me.id, part, progress });
      },
      // let a cancel in (a message needs the event loop) every few ms
      breathe: async () => {
        if (performance.now() - lastTick < 30) return;
        await new Promise((r) => setTimeout(r, 0));
        lastTick = performance.now();
      },
    });
    post({ type: 'sweep-done', sweepId: me.id, part, result });
  } catch (err) {
    const known = err instanceof DocumentError || err instanceof GpuLimitError;
    post({ type: 'sweep-error', sweepId: me.id, part, message: known ? err.message : `internal error: ${(err as Error).message}` });
  } finally {
    if (current === me) current = null;
  }
}

onmessage = (ev: MessageEvent<ToSweepWorker>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') {
    if (current?.id === msg.sweepId) current.abort.abort();
    return;
  }
  void start(msg);
};
