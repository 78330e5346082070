// A sweep on the WebGPU engine (trials of one shape batched, chunked by the device limits) against the
// same sweep on the float64 CPU engine, within the error model of test/engines/tolerance.ts. Runs on
// Dawn in Node; a missing adapter fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/cli';
import { parseExperiment } from '../../src/core/experiment';
import { norm2 } from '../../src/core/linalg';
import { cellDocument, planSweep } from '../../src/core/sweep';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { OneByOne, GpuBatch, runSweep, sweepEngine } from '../../src/engine/sweep';
import { GpuEngine } from '../../src/gpu/families/factor';
import { GpuLimitError } from '../../src/gpu/layout';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { shaderSources } from '../../src/gpu/shaders';
import { squaredNormTolerance } from '../engines/tolerance';
import { factorizationDoc, hmfSweepDoc, instance } from '../unit/helpers';

let g: NodeGpu;
beforeAll(async () => {
  g = await nodeGpu();
});
afterAll(() => g.release());
const gpuBatch = async (maxBytes?: number, limits?: Parameters<typeof GpuEngine.create>[0]['limits']) =>
  new GpuBatch(await GpuEngine.create({ gpu: g.gpu, shaders: shaderSources, limits }), maxBytes);

const doc = () => ({
  ...factorizationDoc({ n: 20, m: 24, rank: 3, J: 4, topology: 'erdos-renyi' }),
  algorithm: { name: 'dgd-local' as const, stepsize: { rule: 'practical' as const, c: 0.5 }, iterations: 120, recordEvery: 20 },
  sweep: { x: { param: 'algorithm.stepsize.c', values: [0.5, 1, 30] }, y: { param: 'problem.rank', values: [2, 3] }, seeds: 2, tolerance: 1e-3 },
});

describe('GPU sweep', () => {
  it('equals the CPU sweep within the float32 error model; one batch per shape', async () => {
    const plan = planSweep(parseExperiment(doc()));
    const cpu = await runSweep(plan, new OneByOne());
    const gpu = await runSweep(plan, await gpuBatch());
    expect(gpu.backend).toBe('webgpu');
    expect(gpu.batches).toBe(2); // rank 2 and rank 3 cannot share a batch; everything else does
    expect(cpu.batches).toBe(12);
    expect(gpu.trials).toHaveLength(12);
    let compared = 0;
    for (const [i, want] of cpu.trials.entries()) {
      const got = gpu.trials[i];
      expect([got.cell, got.seed]).toEqual([want.cell, want.seed]);
      expect(got.diverged, `trial ${i}`).toBe(want.diverged);
      if (want.diverged) continue;
      // sizes of the reference iterate for the error model
      const ref = await runSession(new CpuEngine(), instance(cellDocument(plan, want.cell % 3, Math.floor(want.cell / 3), want.seed)));
      expect(ref.trace.objective.at(-1)).toBe(want.final.objective);
      const U = Math.sqrt(norm2(ref.final.X)), V = Math.sqrt(norm2(ref.final.Y)), Y = Math.sqrt(want.scale);
      const r = [2, 3][Math.floor(want.cell / 3)];
      const L = 20 + r, k = want.final.iteration;
      expect(got.final.iteration).toBe(k);
      const tolObj = squaredNormTolerance({ L, k, q: want.final.objective, size: U * V + Y });
      expect(Math.abs(got.final.objective - want.final.objective), `objective of trial ${i}`).toBeLessThanOrEqual(tolObj);
      const tolCons = squaredNormTolerance({ L, k, q: want.final.consensusError, size: U + V });
      expect(Math.abs(got.final.consensusError - want.final.consensusError), `consensus error of trial ${i}`).toBeLessThanOrEqual(tolCons);
      expect(got.iterationsToTolerance, `iterations to tolerance of trial ${i}`).toBe(want.iterationsToTolerance);
      compared++;
    }
    expect(compared).toBe(8); // c = 30 diverges on both engines
    expect(gpu.cells.map((c) => c.successRate)).toEqual(cpu.cells.map((c) => c.successRate));
  });

  it('a device lost in the middle of a chunk: a new device runs that chunk again, and the cells equal an undisturbed sweep', async () => {
    const plan = planSweep(parseExperiment(doc()));
    const undisturbed = await runSweep(plan, await gpuBatch());
    const batch = await gpuBatch();
    let lost = 0;
    const fractions: number[] = [];
    const res = await runSweep(plan, batch, {
      // lose the device once, after the first chunk has recorded a few times
      onProgress: (p) => {
        fractions.push(p.fraction);
        if (!lost && p.fraction > 0.2 && p.runsDone === 0) {
          lost++;
          batch.engine.simulateDeviceLoss();
        }
      },
    });
    expect(lost).toBe(1);
    expect(res.recoveries).toBe(1);
    expect(res.batches).toBe(undisturbed.batches + 1);
    // the progress bar holds while the chunk runs again: it never steps back
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(res.trials.map((t) => [t.cell, t.seed, t.diverged, t.final.iteration, t.final.objective, t.iterationsToTolerance]))
      .toEqual(undisturbed.trials.map((t) => [t.cell, t.seed, t.diverged, t.final.iteration, t.final.objective, t.iterationsToTolerance]));
  });

  it('chunks a batch the memory budget cannot hold, with the same results', async () => {
    const plan = planSweep(parseExperiment(doc()));
    const whole = await runSweep(plan, await gpuBatch());
    // a budget of about two trials: every shape group runs in chunks
    const chunked = await runSweep(plan, await gpuBatch(2 * 4 * 20 * 24 * 8));
    expect(whole.batches).toBe(2);
    expect(chunked.batches).toBeGreaterThan(whole.batches);
    expect(chunked.trials).toEqual(whole.trials);
  });

  it('a trial the device cannot hold at all fails with the limit named', async () => {
    const plan = planSweep(parseExperiment(doc()));
    await expect(runSweep(plan, await gpuBatch(undefined, { maxStorageBufferBindingSize: 1024 }))).rejects.toThrow(GpuLimitError);
  });

  it('auto on a software adapter picks the CPU engine and says why; webgpu batches', async () => {
    const plan = planSweep(parseExperiment(doc()));
    const auto = await sweepEngine(plan, { prefer: 'auto', gpu: g.gpu, shaders: shaderSources });
    expect(auto.engine.kind).toBe('cpu');
    expect(auto.reason).toMatch(/software emulation/);
    const forced = await sweepEngine(plan, { prefer: 'webgpu', gpu: g.gpu, shaders: shaderSources });
    expect(forced.engine.kind).toBe('webgpu');
    expect(forced.reason).toMatch(/run as one batch/);
    forced.engine.destroy();
  });

  it('the CLI runs a sweep on --backend webgpu in batches and writes the same cells as on the CPU', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'lowrank-gpu-sweep-')), 'sweep.json');
    writeFileSync(f, JSON.stringify(doc()));
    const out = { cpu: { stdout: '', stderr: '' }, webgpu: { stdout: '', stderr: '' } };
    for (const b of ['cpu', 'webgpu'] as const) {
      const code = await runCli(['sweep', f, '--backend', b], { stdout: (t) => (out[b].stdout += t), stderr: (t) => (out[b].stderr += t) });
      expect(code).toBe(0);
    }
    expect(out.webgpu.stderr).toMatch(/^WebGPU engine \(float32\).*Trials of the same sizes run as one batch\.\nsweep: 12 runs \(3 × 2 cells × 2 seeds\)/);
    expect(out.webgpu.stderr).toMatch(/sweep: done, 12 runs in [0-9.]+ s \([0-9.]+ runs\/s, 2 batches\); 4 diverged\n$/);
    const col = (csv: string, name: string) => {
      const [head, ...rows] = csv.trim().split('\n');
      const i = head.split(',').indexOf(name);
      return rows.map((r) => r.split(',')[i]);
    };
    expect(col(out.webgpu.stdout, 'algorithm.stepsize.c')).toEqual(col(out.cpu.stdout, 'algorithm.stepsize.c'));
    expect(col(out.webgpu.stdout, 'problem.rank')).toEqual(col(out.cpu.stdout, 'problem.rank'));
    expect(col(out.webgpu.stdout, 'divergedRate')).toEqual(col(out.cpu.stdout, 'divergedRate'));
    expect(col(out.webgpu.stdout, 'successRate')).toEqual(col(out.cpu.stdout, 'successRate'));
  });

  it('an HMF sweep on --backend webgpu runs its trials one after another on the HMF engine, close to the CPU', async () => {
    const hmf = hmfSweepDoc();
    const f = join(mkdtempSync(join(tmpdir(), 'lowrank-gpu-sweep-')), 'hmf.json');
    writeFileSync(f, JSON.stringify(hmf));
    const out = { cpu: { stdout: '', stderr: '' }, webgpu: { stdout: '', stderr: '' } };
    for (const b of ['cpu', 'webgpu'] as const) {
      const code = await runCli(['sweep', f, '--backend', b], { stdout: (t) => (out[b].stdout += t), stderr: (t) => (out[b].stderr += t) });
      expect(code, out[b].stderr).toBe(0);
    }
    expect(out.webgpu.stderr).toMatch(/^HMF WebGPU engine \(float32\).*Its trials run one after another \(this engine has no trial dimension\)\.\nsweep: 4 runs \(2 cells × 2 seeds\) of algorithm\.stepsize on the WebGPU engine/);
    expect(out.webgpu.stderr).toMatch(/4 batches\); 0 diverged\n$/);
    const col = (csv: string, name: string) => {
      const [head, ...rows] = csv.trim().split('\n');
      const i = head.split(',').indexOf(name);
      return rows.map((r) => Number(r.split(',')[i]));
    };
    for (const name of ['subspaceError_median', 'sharedError_median', 'objective_median']) {
      const gpu = col(out.webgpu.stdout, name), cpu = col(out.cpu.stdout, name);
      expect(gpu).toHaveLength(2);
      // float32 against float64 after 60 rounds, far above the float32 floor (measured: ~1e-8 relative)
      gpu.forEach((v, i) => expect(Math.abs(v - cpu[i]) / cpu[i], `${name}[${i}]`).toBeLessThan(1e-5));
    }
  });

  it('the CLI exits 2 with the limit named when a cell does not fit the device', async () => {
    const f = join(mkdtempSync(join(tmpdir(), 'lowrank-gpu-sweep-')), 'big.json');
    writeFileSync(f, JSON.stringify({
      ...factorizationDoc({ n: 128, m: 128, rank: 120, J: 2, iterations: 5 }),
      sweep: { x: { param: 'algorithm.stepsize.c', values: [0.5, 1] } },
    }));
    let stderr = '';
    const code = await runCli(['sweep', f, '--backend', 'webgpu'], { stdout: () => {}, stderr: (t) => (stderr += t) });
    expect(code).toBe(2);
    // the engine choice already finds that the cells do not fit (src/engine/backend.ts)
    expect(stderr).toMatch(/^error: The problem does not fit the WebGPU device, so the CPU engine \(float64\) runs it: rank r = 120 needs \d+ bytes of workgroup memory, more than the device's maxComputeWorkgroupStorageSize of \d+; the largest rank that fits is \d+\.\n$/);
  });
});
