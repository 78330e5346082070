// WebGPU-engine behaviour beyond parity (which test/engines covers): batched trials, what crosses to the
// CPU per iteration, limits, divergence, device loss, and the choice of engine. Runs on Dawn in Node; a
// missing adapter fails these tests instead of skipping them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu';
import { chooseEngine } from '../../src/engine/backend';
import { runSession } from '../../src/engine/session';
import { GpuEngine } from '../../src/gpu/families/factor';
import { HmfGpuEngine } from '../../src/gpu/families/hmf';
import { GpuLimitError } from '../../src/gpu/layout';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { shaderSources } from '../../src/gpu/shaders';
import { hmfCases } from '../engines/hmf-parity';
import type { Instance } from '../../src/core/build';
import type { ExperimentInput } from '../../src/core/experiment';
import { type MetricsRow, isFiniteRow } from '../../src/core/metrics';
import { factorizationDoc, instance, nodeInstance, preset } from '../unit/helpers';

let g: NodeGpu;
beforeAll(async () => {
  g = await nodeGpu();
});
afterAll(() => g.release());
const create = (extra: Partial<Parameters<typeof GpuEngine.create>[0]> = {}) => GpuEngine.create({ gpu: g.gpu, shaders: shaderSources, ...extra });

describe('batched trials', () => {
  it('T trials (different seeds, step sizes and networks) in one batch give the same traces as one by one', async () => {
    const docs = [
      factorizationDoc({ n: 20, m: 24, rank: 3, J: 4, seed: 1, partition: [1, 5, 8, 10] }),
      factorizationDoc({ n: 20, m: 24, rank: 3, J: 4, seed: 2, partition: [1, 5, 8, 10], topology: 'complete' }),
      factorizationDoc({ n: 20, m: 24, rank: 3, J: 4, seed: 3, partition: [1, 5, 8, 10], mu: 1e-3 }),
    ];
    // the third trial reuses the first one's data: shared on the device, not copied
    const insts = docs.map(nodeInstance);
    insts[2] = { ...insts[2], problem: insts[0].problem };
    const batch = await create();
    await batch.loadBatch(insts);
    expect(batch.layout!.distinctY).toBe(2);
    const batched: unknown[] = [];
    for (let k = 0; k < 5; k++) {
      batched.push(await batch.metricsBatch());
      await batch.advance(10);
    }
    const finals = (await batch.snapshotBatch()).states;
    batch.destroy();
    for (let t = 0; t < insts.length; t++) {
      const one = await create();
      await one.load(insts[t]);
      for (let k = 0; k < 5; k++) {
        expect((batched[k] as unknown[])[t]).toEqual(await one.metrics());
        await one.advance(10);
      }
      expect((await one.snapshot()).state).toEqual(finals[t]);
      one.destroy();
    }
  });

  it('refuses trials of different sizes', async () => {
    const e = await create();
    const a = instance(factorizationDoc({ n: 5, m: 6, rank: 2, J: 2 }));
    const b = instance(factorizationDoc({ n: 6, m: 6, rank: 2, J: 2 }));
    await expect(e.loadBatch([a, b])).rejects.toThrow(/same n, r, partition/);
    e.destroy();
  });
});

describe('what crosses to the CPU', () => {
  it('K iterations with record cadence k: K/k + 1 metric readbacks, 3 dispatches per iteration, ≥ 64 iterations per submit', async () => {
    const proto = (globalThis as unknown as { GPUBuffer: { prototype: GPUBuffer } }).GPUBuffer.prototype;
    const pass = (globalThis as unknown as { GPUComputePassEncoder: { prototype: GPUComputePassEncoder } }).GPUComputePassEncoder.prototype;
    const queue = (globalThis as unknown as { GPUQueue: { prototype: GPUQueue } }).GPUQueue.prototype;
    const calls = { map: 0, dispatch: 0, submit: 0 };
    const orig = { map: proto.mapAsync, dispatch: pass.dispatchWorkgroups, submit: queue.submit };
    proto.mapAsync = function (...a: Parameters<GPUBuffer['mapAsync']>) { calls.map++; return orig.map.apply(this, a); };
    pass.dispatchWorkgroups = function (...a: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>) { calls.dispatch++; return orig.dispatch.apply(this, a); };
    queue.submit = function (...a: Parameters<GPUQueue['submit']>) { calls.submit++; return orig.submit.apply(this, a); };
    try {
      const e = await create();
      const doc = factorizationDoc({ n: 16, m: 20, rank: 2, J: 4, iterations: 1000 });
      doc.algorithm = { ...doc.algorithm, iterations: 1000, recordEvery: 250 };
      const inst = instance(doc);
      await e.load(inst);
      const before = { ...calls };
      await e.advance(1000);
      expect(calls.map - before.map).toBe(0);
      expect(calls.dispatch - before.dispatch).toBe(3 * 1000);
      expect(calls.submit - before.submit).toBeLessThanOrEqual(Math.ceil(1000 / 64));
      e.destroy();
      // a whole session: one readback per record plus the final snapshot
      const e2 = await create();
      const c0 = { ...calls };
      const out = await runSession(e2, inst, { snapshotEveryMs: Infinity });
      expect(out.trace.iteration).toEqual([0, 250, 500, 750, 1000]);
      expect(calls.map - c0.map).toBe(5 + 1);
      expect(e2.counters.yPasses).toBe(1000 + 5);
      e2.destroy();
    } finally {
      proto.mapAsync = orig.map;
      pass.dispatchWorkgroups = orig.dispatch;
      queue.submit = orig.submit;
    }
  });
});

describe('limits', () => {
  it('a problem whose buffers exceed maxStorageBufferBindingSize is refused, naming the limit and the largest size that fits', async () => {
    const e = await create({ limits: { maxStorageBufferBindingSize: 64 * 1024 } });
    const inst = instance(factorizationDoc({ n: 128, m: 160, rank: 2, J: 4 })); // Y = 80 KiB
    const err = await e.load(inst).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(GpuLimitError);
    expect((err as Error).message).toMatch(/^Y needs 0\.1 MiB, more than the device's maxStorageBufferBindingSize of 0\.1 MiB; the largest m that fits at n = 128 is 128\.$/);
    e.destroy();
  });

  it('the default workgroup-memory limit (16 KiB) admits rank 44 and refuses 45 (padded to 48)', async () => {
    for (const [r, ok] of [[44, true], [45, false]] as const) {
      const e = await create({ limits: { maxComputeWorkgroupStorageSize: 16384 } });
      const inst = instance(factorizationDoc({ n: 48, m: 48, rank: r, J: 1, alg: 'gd' }));
      const err = await e.load(inst).then(() => null, (x: Error) => x);
      if (ok) expect(err).toBeNull();
      else expect(err?.message).toMatch(/maxComputeWorkgroupStorageSize of 16384; the largest rank that fits is 44\./);
      e.destroy();
    }
  });
});

describe('divergence', () => {
  it('a run whose metrics turn NaN/Inf stops, says at which iteration, and gives the step-size bound', async () => {
    const doc = factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, mu: 0.5 });
    doc.algorithm = { ...doc.algorithm, iterations: 3000, recordEvery: 10 };
    const e = await create();
    const out = await runSession(e, instance(doc));
    e.destroy();
    expect(out.stop.reason).toBe('diverged');
    expect(out.stop.iteration).toBeLessThan(3000);
    expect(out.stop.message).toMatch(new RegExp(`^Diverged at iteration ${out.stop.iteration}: .*the practical bound \\(1 − 2ω\\)/L̂ is [0-9.e-]+`));
  });

  /** The first iteration whose metrics are not finite, stepping the engine one iteration at a time. */
  async function firstNonFinite(e: { load(i: Instance): Promise<void>; metrics(): Promise<MetricsRow>; advance(k: number): Promise<void> }, inst: Instance): Promise<number> {
    await e.load(inst);
    for (let k = 0; k <= inst.iterations; k++) {
      if (!isFiniteRow(await e.metrics())) return k;
      await e.advance(1);
    }
    return -1;
  }

  it.each([
    { name: 'DGD+LOCAL (R3, μ = 0.03)', doc: () => ({ ...preset('r3'), algorithm: { ...preset('r3').algorithm, stepsize: 0.03, iterations: 3000, recordEvery: 50 } }), create: () => create() },
    {
      name: 'HMF (R15 on 20 sources, η = 20)',
      doc: () => ({ ...preset('r15'), problem: { ...preset('r15').problem, generate: { seed: 1, N: 20, n1: 60, n2: 100 } }, algorithm: { ...preset('r15').algorithm, stepsize: 20, recordEvery: 50 } }) as ExperimentInput,
      create: () => HmfGpuEngine.create({ gpu: g.gpu, shader: shaderSources.hmf! }),
    },
  ])('$name: stops at the first non-finite iteration, found by replaying on the GPU from the last snapshot', async ({ doc, create: make }) => {
    const inst = instance(doc());
    const ref = await make();
    const k = await firstNonFinite(ref, inst);
    ref.destroy();
    expect(k).toBeGreaterThan(1);
    expect(k % 50).not.toBe(0);
    const e = await make();
    const out = await runSession(e, inst);
    e.destroy();
    expect(out.stop).toMatchObject({ reason: 'diverged', iteration: k });
    // HMF counts rounds, the others iterations
    expect(out.stop.message).toMatch(new RegExp(`^Diverged at (iteration|round) ${k}: the metrics are no longer finite\\. ${inst.problem.kind === 'hmf' ? 'η' : 'μ'} = [0-9.e+]+ is too large`));
    expect(out.trace.iteration.slice(-2)).toEqual([k - 1, k]);
    expect(Number.isFinite(out.trace.objective.at(-2))).toBe(true);
  });
});

describe('device loss', () => {
  // the same recovery (DeviceHolder) serves the DGD engine and the HMF engine
  const hmfDoc = { ...hmfCases[0].doc, algorithm: { ...hmfCases[0].doc.algorithm, iterations: 600, recordEvery: 50 } };
  it.each([
    { name: 'DGD+LOCAL (r3)', doc: { ...preset('r3'), algorithm: { ...preset('r3').algorithm, iterations: 600, recordEvery: 50 } }, create: () => create() },
    { name: 'HMF', doc: hmfDoc, create: () => HmfGpuEngine.create({ gpu: g.gpu, shader: shaderSources.hmf! }) },
  ])('$name: the session recreates the device, resumes from its last snapshot, and the trace equals an uninterrupted run', async ({ doc, create: make }) => {
    const inst = instance(doc);
    const plain = await make();
    const ref = await runSession(plain, inst);
    plain.destroy();
    const e = await make();
    const rewinds: number[] = [];
    let lost = false;
    const out = await runSession(e, inst, {
      snapshotEveryMs: 0,
      onRow: (row) => {
        if (row.iteration === 300 && !lost) {
          lost = true;
          e.simulateDeviceLoss();
        }
      },
      onRewind: (it) => rewinds.push(it),
    });
    e.destroy();
    expect(lost).toBe(true);
    expect(rewinds).toEqual([250]);
    expect(out.stop.reason).toBe('completed');
    expect(out.trace).toEqual(ref.trace);
    expect(out.final).toEqual(ref.final);
  });
});

describe('kernels the device refuses', () => {
  it('HMF: load() fails with the device\'s message, instead of running on invalid pipelines', async () => {
    const e = await HmfGpuEngine.create({ gpu: g.gpu, shader: shaderSources.hmf!.replace('fn hmf_residual', 'fn hmf_residual_renamed') });
    try {
      await expect(e.load(instance(hmfCases[0].doc))).rejects.toThrow(/HmfGpuEngine: the device refused the HMF kernels or buffers: .*hmf_residual/);
    } finally {
      e.destroy();
    }
  });
  it('DGD: loadBatch() fails the same way (the shared DeviceHolder.validated)', async () => {
    const e = await create({ shaders: { ...shaderSources, factorStep: shaderSources.factorStep.replace('fn factor_step', 'fn factor_step_renamed') } });
    try {
      await expect(e.load(instance(preset('r3')))).rejects.toThrow(/GpuEngine: the device refused the kernels or buffers: .*factor_step/);
    } finally {
      e.destroy();
    }
  });
});

describe('engine choice and fallbacks', () => {
  const inst = instance(factorizationDoc({ n: 6, m: 8, rank: 2, J: 2 }));
  it('no WebGPU at all → the CPU engine, with the reason', async () => {
    const c = await chooseEngine({ prefer: 'auto', gpu: undefined, shaders: shaderSources, instance: inst });
    expect(c.engine).toBeInstanceOf(CpuEngine);
    expect(c.reason).toBe('No WebGPU: this browser has no WebGPU (navigator.gpu is missing). Running on the CPU engine (float64).');
  });
  it('an adapter request that fails or returns null → the CPU engine, with the reason', async () => {
    const none = { requestAdapter: async () => null } as unknown as GPU;
    const c = await chooseEngine({ prefer: 'webgpu', gpu: none, shaders: shaderSources, instance: inst });
    expect(c.engine).toBeInstanceOf(CpuEngine);
    expect(c.reason).toMatch(/no WebGPU adapter is available/);
    const broken = { requestAdapter: async () => { throw new Error('GPU process crashed'); } } as unknown as GPU;
    expect((await chooseEngine({ prefer: 'auto', gpu: broken, shaders: shaderSources, instance: inst })).reason).toMatch(/requesting a WebGPU adapter failed: GPU process crashed/);
  });
  it('a software adapter → the CPU engine by default, WebGPU when forced', async () => {
    const auto = await chooseEngine({ prefer: 'auto', gpu: g.gpu, shaders: shaderSources, instance: inst });
    expect(auto.engine).toBeInstanceOf(CpuEngine);
    expect(auto.adapter?.software).toBe(true);
    expect(auto.reason).toMatch(/software emulation, slower here than the float64 CPU engine/);
    const forced = await chooseEngine({ prefer: 'webgpu', gpu: g.gpu, shaders: shaderSources, instance: inst });
    expect(forced.engine.kind).toBe('webgpu');
    forced.engine.destroy();
  });
  it('a least-squares problem → the CPU engine, with the reason', async () => {
    const c = await chooseEngine({ prefer: 'webgpu', gpu: g.gpu, shaders: shaderSources, instance: instance(preset('r4')) });
    expect(c.engine).toBeInstanceOf(CpuEngine);
    expect(c.reason).toMatch(/least-squares problem runs on the CPU engine/);
  });
});
