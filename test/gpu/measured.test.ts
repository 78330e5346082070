// The WebGPU engine on the measured problems and the balancing weight λ, beyond the parity suite
// (test/engines): λ really changes the GPU trajectory the way the float64 reference does, batched
// measured trials, the data-buffer limit and the engine choice. Runs on Dawn in Node; a missing adapter
// fails these tests instead of skipping them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../src/core/experiment';
import { norm2 } from '../../src/core/linalg';
import type { MetricsRow } from '../../src/core/metrics';
import { chooseEngine } from '../../src/engine/backend';
import { CpuEngine } from '../../src/engine/cpu';
import type { Engine } from '../../src/engine/engine';
import { GpuEngine } from '../../src/gpu/families/factor';
import { GpuLimitError } from '../../src/gpu/layout';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { shaderSources } from '../../src/gpu/shaders';
import { factorizationDoc, instance } from '../unit/helpers';

let g: NodeGpu;
beforeAll(async () => {
  g = await nodeGpu();
});
afterAll(() => g.release());
const create = (extra: Partial<Parameters<typeof GpuEngine.create>[0]> = {}) => GpuEngine.create({ gpu: g.gpu, shaders: shaderSources, ...extra });

function sensingDoc(o: { lambda?: number; seed?: number; measurements?: number; J?: number; n?: number; m?: number }): ExperimentInput {
  const J = o.J ?? 2, seed = o.seed ?? 7;
  return {
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'sensing', rank: 2, ...(o.lambda ? { lambda: o.lambda } : {}), generate: { seed, n: o.n ?? 8, m: o.m ?? 8, measurements: o.measurements ?? 40, normalize: true } },
    ...(J > 1 ? { network: { topology: 'ring', J, seed, weights: 'metropolis', lazy: true } } : {}),
    algorithm: { name: J > 1 ? 'dgd-local' : 'gd', stepsize: { rule: 'practical', c: 0.5 }, iterations: 60 },
    init: { seed, scale: 0.5 },
  };
}

async function run(e: Engine, doc: ExperimentInput, k: number): Promise<{ row: MetricsRow; z: Float64Array }> {
  await e.load(instance(doc));
  await e.advance(k);
  const row = await e.metrics();
  const { state } = await e.snapshot();
  e.destroy();
  return { row, z: Float64Array.from([...state.X, ...state.Y]) };
}

const dist = (a: Float64Array, b: Float64Array) => Math.sqrt(norm2(a.map((v, i) => v - b[i])));

describe('the balancing weight λ on the GPU', () => {
  const withLambda = (doc: ExperimentInput, lambda: number): ExperimentInput => ({ ...doc, problem: { ...doc.problem, lambda } as ExperimentInput['problem'] });
  it.each([
    ['factorization, DGD+LOCAL', factorizationDoc({ n: 9, m: 12, rank: 3, J: 3 })],
    ['factorization, classical DGD', factorizationDoc({ n: 9, m: 12, rank: 3, J: 3, alg: 'dgd' })],
    ['sensing, DGD+LOCAL', sensingDoc({})],
  ])('%s: λ = 0.5 moves the iterate, and the GPU moves it where the float64 reference does', async (_, doc) => {
    const k = 60;
    const cpu0 = await run(new CpuEngine(), withLambda(doc, 0), k);
    const cpu1 = await run(new CpuEngine(), withLambda(doc, 0.5), k);
    const gpu0 = await run(await create(), withLambda(doc, 0), k);
    const gpu1 = await run(await create(), withLambda(doc, 0.5), k);
    const effect = dist(cpu1.z, cpu0.z);
    expect(effect / Math.sqrt(norm2(cpu0.z))).toBeGreaterThan(1e-3);
    // the GPU's λ run is within float32 rounding of the reference's λ run, far closer than the λ effect
    expect(dist(gpu1.z, cpu1.z)).toBeLessThan(1e-3 * effect);
    expect(dist(gpu0.z, cpu0.z)).toBeLessThan(1e-3 * effect);
    // the objective carries (λ/4)‖UᵀU − VᵀV‖²: matches the reference to float32 accuracy
    expect(Math.abs(gpu1.row.objective - cpu1.row.objective) / cpu1.row.objective).toBeLessThan(1e-5);
    expect(Math.abs(gpu1.row.objective - gpu0.row.objective) / gpu0.row.objective).toBeGreaterThan(1e-3);
  });
});

describe('batched measured trials', () => {
  it('two sensing trials (different data and step sizes) in one batch give the same numbers as one by one, with no readback per iteration', async () => {
    const insts = [instance(sensingDoc({ seed: 3 })), instance(sensingDoc({ seed: 4, measurements: 30 }))];
    const batch = await create();
    await batch.loadBatch(insts);
    const rows: MetricsRow[][] = [await batch.metricsBatch()];
    const readbacks = batch.counters.readbacks;
    await batch.advance(25);
    expect(batch.counters.readbacks).toBe(readbacks);
    rows.push(await batch.metricsBatch());
    const finals = (await batch.snapshotBatch()).states;
    batch.destroy();
    for (let t = 0; t < 2; t++) {
      const one = await create();
      await one.load(insts[t]);
      expect(await one.metrics()).toEqual(rows[0][t]);
      await one.advance(25);
      expect(await one.metrics()).toEqual(rows[1][t]);
      expect((await one.snapshot()).state).toEqual(finals[t]);
      one.destroy();
    }
    expect(rows[1][0].objective).not.toBe(rows[1][1].objective);
  });

  it('refuses a batch that mixes problem kinds', async () => {
    const e = await create();
    const a = instance(sensingDoc({ J: 1 }));
    const b = instance({ ...sensingDoc({ J: 1 }), problem: { kind: 'completion', rank: 2, pObs: 0.5, generate: { seed: 1, n: 8, m: 8 } } });
    await expect(e.loadBatch([a, b])).rejects.toThrow(/same problem kind, n, r and partition/);
    e.destroy();
  });
});

describe('limits', () => {
  const limits = { maxStorageBufferBindingSize: 64 * 1024 };
  it('sensing operators larger than maxStorageBufferBindingSize are refused, naming the limit and the most measurements that fit', async () => {
    const e = await create({ limits });
    const err = await e.load(instance(sensingDoc({ J: 1, measurements: 300 }))).then(() => null, (x: unknown) => x);
    expect(err).toBeInstanceOf(GpuLimitError);
    expect((err as Error).message).toBe("the sensing operators 𝒜ⱼ (with bⱼ and X⋆) need 0.1 MiB, more than the device's maxStorageBufferBindingSize of 0.1 MiB; at n = 8, m = 8 at most 251 measurements per node fit; use fewer measurements or a smaller matrix.");
    // the stated maximum is exact: 251 loads, 252 does not
    await e.load(instance(sensingDoc({ J: 1, measurements: 251 })));
    await expect(e.load(instance(sensingDoc({ J: 1, measurements: 252 })))).rejects.toBeInstanceOf(GpuLimitError);
    e.destroy();
  });

  it('the engine choice falls back to the CPU engine with that message instead of failing the run', async () => {
    const inst = instance(sensingDoc({ J: 1, measurements: 300 }));
    const c = await chooseEngine({ prefer: 'webgpu', gpu: g.gpu, shaders: shaderSources, instance: inst, limits });
    expect(c.engine).toBeInstanceOf(CpuEngine);
    expect(c.reason).toMatch(/^The problem does not fit the WebGPU device, so the CPU engine \(float64\) runs it: the sensing operators 𝒜ⱼ .* at most 251 measurements per node fit; use fewer measurements or a smaller matrix\.$/);
    const fits = await chooseEngine({ prefer: 'webgpu', gpu: g.gpu, shaders: shaderSources, instance: instance(sensingDoc({ J: 1, measurements: 200 })), limits });
    expect(fits.engine.kind).toBe('webgpu');
    fits.engine.destroy();
  });
});

describe('engine choice', () => {
  it.each([
    ['sensing', sensingDoc({})],
    ['completion', { ...sensingDoc({}), problem: { kind: 'completion', rank: 2, pObs: 0.5, generate: { seed: 1, n: 8, m: 8 } } }],
    ['rpca', { ...sensingDoc({}), problem: { kind: 'rpca', rank: 2, gamma: 2, generate: { seed: 1, n: 8, m: 8, corruption: 0.1 } } }],
  ] as [string, ExperimentInput][])('%s runs on the WebGPU engine when WebGPU is chosen', async (_, doc) => {
    const c = await chooseEngine({ prefer: 'webgpu', gpu: g.gpu, shaders: shaderSources, instance: instance(doc) });
    expect(c.engine.kind).toBe('webgpu');
    expect(c.reason).toMatch(/^WebGPU engine \(float32\)/);
    c.engine.destroy();
  });
});

describe('sweeps of measured problems', () => {
  it('the batched sweep engine puts completion trials in one GPU batch, split by its memory budget', async () => {
    const { GpuBatch } = await import('../../src/engine/sweep');
    const insts = [1, 2, 3, 4].map((seed) => instance({ ...sensingDoc({}), problem: { kind: 'completion', rank: 2, pObs: 0.5, generate: { seed, n: 8, m: 8 } } }));
    const wide = new GpuBatch(await create());
    expect(wide.fit(insts)).toBe(4);
    wide.destroy();
    // a budget just under two trials' buffers: one trial per batch
    const e = await create();
    await e.loadBatch(insts.slice(0, 2));
    const w = e.layout!.words;
    const two = 4 * (w.Y + 2 * w.U + 2 * w.V + w.P + w.tables + w.scratch);
    const tight = new GpuBatch(e, two - 4);
    expect(tight.fit(insts)).toBe(1);
    tight.destroy();
  });
});
