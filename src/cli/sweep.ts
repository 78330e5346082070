/**
 * `lowrank-lab sweep FILE.json`: runs the document's sweep (src/engine/sweep.ts) and writes one CSV row
 * per cell; progress (runs done, percentage, time left) goes to stderr once a second and at every
 * quarter of the work: the same figures the app's progress bar shows. A diverged cell is an outcome, not a failure: the exit status is
 * 0 when the sweep ran, 2 for invalid input.
 */
import { writeFile } from 'node:fs/promises';
import type { Experiment } from '../core/experiment';
import { planSweep, sweepCsv } from '../core/sweep';
import type { BackendPreference } from '../engine/backend';
import { type SweepProgress, runSweep, sweepEngine } from '../engine/sweep';
import { GpuLimitError } from '../gpu/layout';
import type { ShaderSources } from '../gpu/kernels';
import { nodeGpu } from '../gpu/node';
import { loadShaderSources } from '../gpu/shaders-node';
import type { Io } from './cli';

/** "12/96 runs, 13 %, about 4 s left" */
export function progressText(p: SweepProgress): string {
  const eta = p.etaMs === null || p.fraction >= 1 ? '' : `, about ${p.etaMs < 10_000 ? (p.etaMs / 1000).toFixed(1) : Math.round(p.etaMs / 1000)} s left`;
  return `${p.runsDone}/${p.runs} runs, ${Math.floor(100 * p.fraction)} %${eta}`;
}

export async function sweepCommand(exp: Experiment, backend: BackendPreference, out: string | undefined, io: Io, usage: (message: string) => Error): Promise<number> {
  const plan = planSweep(exp);
  const gpu = backend === 'cpu' ? null : await nodeGpu();
  try {
    const { engine, reason } = await sweepEngine(plan, { prefer: backend, gpu: gpu?.gpu, shaders: gpu ? loadShaderSources() : ({} as ShaderSources) });
    if (backend === 'webgpu' && engine.kind !== 'webgpu') {
      engine.destroy();
      throw usage(reason);
    }
    if (backend !== 'cpu') io.stderr(`${reason}\n`);
    const grid = `${plan.x.values.length}${plan.y ? ` × ${plan.y.values.length}` : ''}`;
    io.stderr(`sweep: ${plan.trials} runs (${grid} cells × ${plan.seeds} seeds) of ${plan.x.param}${plan.y ? ` × ${plan.y.param}` : ''} on the ${engine.kind === 'webgpu' ? 'WebGPU' : 'CPU'} engine\n`);
    let last = performance.now(), quarter = 0;
    const res = await runSweep(plan, engine, {
      onProgress: (p) => {
        // a line a second, and at every quarter of the work (so a short sweep shows its progress too)
        const now = performance.now(), q = Math.floor(4 * p.fraction);
        if (now - last < 1000 && q <= quarter) return;
        last = now;
        quarter = q;
        io.stderr(`sweep: ${progressText(p)}\n`);
      },
    }).catch((err: unknown) => {
      // a cell too large for the device is the document's problem, not the program's: exit 2 like bad input
      throw err instanceof GpuLimitError ? usage(`a run of this sweep does not fit the device: ${err.message}`) : err;
    });
    const csv = sweepCsv(plan, res.cells);
    if (out) await writeFile(out, csv);
    else io.stdout(csv);
    const diverged = res.trials.filter((t) => t.diverged).length;
    const s = res.elapsedMs / 1000;
    const lost = res.recoveries ? `; the device was lost ${res.recoveries} time${res.recoveries === 1 ? '' : 's'}, each interrupted chunk ran again on a new device` : '';
    io.stderr(`sweep: done, ${res.trials.length} runs in ${s.toFixed(1)} s (${(res.trials.length / s).toPrecision(3)} runs/s, ${res.batches} batch${res.batches === 1 ? '' : 'es'}); ${diverged} diverged${lost}\n`);
    return 0;
  } finally {
    gpu?.release();
  }
}
