/**
 * The GPU kit's program (bundled by test/kit/build.ts into kit/kit.mjs; kit/run.sh runs it with the Node
 * binary and Dawn's dawn.node that travel in the kit). Three parts, each writing JSON into a work folder:
 *
 *   node kit.mjs parity --dir D [--quick]   the engine parity suite's cases (test/engines: the same
 *                                           configurations and error-model tolerances), no vitest
 *   node kit.mjs bench  --dir D [--quick] [--sizes S,M,L] [--only factor]
 *                                           the benchmark, and the instances the PyTorch peer runs
 *                                           (--sizes: a subset of the DGD+LOCAL sizes; --only factor: just them)
 *   node kit.mjs report --dir D             gpu-report.json and gpu-report.md from what the parts wrote
 *
 * Dawn is loaded from $LOWRANK_DAWN (the path of dawn.node); the adapter is whatever Vulkan driver
 * $VK_ICD_FILENAMES names (run.sh picks it). Each part writes its file after every section, so a part
 * stopped by its time limit still leaves what it measured.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hmfProblem } from '../../src/core/hmf-build';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { NodeInstance } from '../../src/core/build';
import type { ExperimentInput } from '../../src/core/experiment';
import { CpuEngine } from '../../src/engine/cpu';
import { acquireDevice } from '../../src/gpu/device';
import { GpuEngine } from '../../src/gpu/families/factor';
import { HmfGpuEngine } from '../../src/gpu/families/hmf';
import { iterationBytes } from '../../src/gpu/layout';
import { shaderSources as shaders } from '../../src/gpu/shaders';
import fmaWgsl from '../bench/fma.wgsl?raw';
import matmulWgsl from '../bench/matmul.wgsl?raw';
import matmulRegWgsl from '../bench/matmul_reg.wgsl?raw';
import copyWgsl from '../bench/copy.wgsl?raw';
import {
  COMPLETION, type FactorSize, RPCA, SENSING, SIZES, ceilings, counters, factorInstance, flopsPerIteration, measuredInstance, rateLoop,
} from '../bench/common';
import { sweepFigures } from '../bench/sweep-bench';
import { tfjsPeer } from '../bench/tfjs-peer';
import { engineCases, measuredCases } from '../engines/configs';
import { hmfCases, hmfCompare, hmfTrace } from '../engines/hmf-parity';
import { compare, expectations, trace } from '../engines/parity';
import { instance, nodeInstance } from '../unit/helpers';
import r15 from '../../public/presets/r15.json';
import r17 from '../../public/presets/r17.json';
import { writeReport } from './report';

const argv = process.argv.slice(2);
const part = argv[0];
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dir = opt('dir') ?? '.';
const quick = flag('quick');
mkdirSync(dir, { recursive: true });
const save = (file: string, data: unknown) => writeFileSync(join(dir, file), JSON.stringify(data, null, 1));
const tStart = performance.now();
const log = (...a: unknown[]) => console.log(`[kit ${part} ${((performance.now() - tStart) / 1000).toFixed(1)} s]`, ...a);

/** Dawn from the kit (not the npm package): the instance is held until the process ends. */
function dawnGpu(): GPU {
  const path = process.env.LOWRANK_DAWN;
  if (!path || !existsSync(path)) throw new Error(`LOWRANK_DAWN must name dawn.node (got ${path ?? 'nothing'})`);
  const dawn = createRequire(import.meta.url)(path) as { create(flags: string[]): GPU; globals: object };
  Object.assign(globalThis, dawn.globals);
  return dawn.create([]);
}

async function adapterSection(gpu: GPU) {
  const d = await acquireDevice(gpu, 'kit');
  const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const info = (a?.info ?? {}) as GPUAdapterInfo & Record<string, unknown>;
  const extra = Object.fromEntries(['driver', 'backend', 'type', 'subgroupMinSize', 'subgroupMaxSize'].filter((k) => k in info).map((k) => [k, info[k]]));
  const limits: Record<string, number> = {};
  for (const k of ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup',
    'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupsPerDimension', 'maxStorageBuffersPerShaderStage']) {
    limits[k] = (d.device.limits as unknown as Record<string, number>)[k];
  }
  d.device.destroy();
  return { ...d.adapterInfo, ...extra, software: d.software, limits };
}

// ---------------------------------------------------------------- parity

interface CaseResult { name: string; family: string; worst: number; where: string; pass: boolean; seconds: number }

/** A float64 array as a little-endian binary file. */
const f64 = (file: string, a: ArrayLike<number>) => writeFileSync(file, Buffer.from(Float64Array.from(a).buffer));
const f32 = (file: string, a: ArrayLike<number>) => writeFileSync(file, Buffer.from(Float32Array.from(a).buffer));

/**
 * A DGD+LOCAL factorization case for the PyTorch peer: its instance, start, and the checks the WebGPU
 * engine is held to (expectations(): the same reference values and tolerances), for the metrics the peer
 * computes (objective, consensus error) and its final iterate.
 */
function exportPeerCase(out: string, inst: NodeInstance, ref: Awaited<ReturnType<typeof trace>>): void {
  const p = inst.problem;
  // the peer runs the plain iteration (SPEC 1.10): no balancing term
  if (p.kind !== 'factorization' || p.lambda !== 0) return;
  mkdirSync(out, { recursive: true });
  const J = p.partition.length;
  f64(join(out, 'Y.f64'), p.Y.data);
  f64(join(out, 'U0.f64'), inst.init.X);
  f64(join(out, 'V0.f64'), inst.init.Y);
  f64(join(out, 'W.f64'), inst.W.data);
  f64(join(out, 'Uref.f64'), ref.final.X);
  f64(join(out, 'Vref.f64'), ref.final.Y);
  const checks = expectations(inst, ref).filter((e) => e.key === 'objective' || e.key === 'consensusError' || e.key === 'final iterate');
  writeFileSync(join(out, 'meta.json'), JSON.stringify({
    J, n: p.n, r: p.r, partition: p.partition, mu: inst.stepsize, iterations: inst.iterations, recordEvery: inst.recordEvery, dtype: 'f64', checks,
  }));
}

async function parity(): Promise<void> {
  const gpu = dawnGpu();
  const t0 = performance.now();
  const result = {
    adapter: await adapterSection(gpu),
    quick,
    cases: [] as CaseResult[],
    vacuity: [] as CaseResult[],
    snapshot: { pass: false, detail: '' },
    passed: false,
    seconds: 0,
  };
  const flush = () => {
    result.seconds = (performance.now() - t0) / 1000;
    result.passed = result.cases.length > 0 && result.cases.every((c) => c.pass) && result.vacuity.every((c) => c.pass) && result.snapshot.pass;
    save('parity.json', result);
  };
  flush();
  const factorCases = quick ? engineCases(12, 60).filter((_, i) => i % 4 === 0) : engineCases();
  const measured = quick ? measuredCases(40).filter((c) => /^(sensing dgd-local J=3|completion dgd-local J=4|rpca dgd-local)/.test(c.name)) : measuredCases();
  const make = () => GpuEngine.create({ gpu, shaders });
  const run = async (name: string, family: string, doc: ExperimentInput, perturb?: number): Promise<CaseResult> => {
    const s0 = performance.now();
    const inst = nodeInstance(doc);
    try {
      const ref = await trace(new CpuEngine(), inst, true);
      if (!perturb && inst.experiment.algorithm.name === 'dgd-local' && inst.problem.kind === 'factorization') exportPeerCase(join(dir, 'peer-cases', name.replace(/[^A-Za-z0-9]+/g, '_')), inst, ref);
      const e = await make();
      try {
        const got = await trace(e, perturb ? instance({ ...doc, algorithm: { ...doc.algorithm, stepsize: inst.stepsize * perturb } }) : inst, false);
        const { worst, where } = compare(inst, ref, got.rows, got.final);
        return { name, family, worst, where, pass: perturb ? worst > 1 : worst <= 1, seconds: (performance.now() - s0) / 1000 };
      } finally {
        e.destroy();
      }
    } catch (err) {
      return { name, family, worst: Infinity, where: `threw: ${(err as Error).message}`, pass: false, seconds: (performance.now() - s0) / 1000 };
    }
  };
  for (const c of [...factorCases, ...measured]) {
    const r = await run(c.name, c.doc.problem.kind, c.doc);
    log(`${r.pass ? 'pass' : 'FAIL'} ${r.name}: worst/tolerance ${r.worst.toExponential(2)}${r.pass ? '' : ` (${r.where})`}`);
    result.cases.push(r);
    flush();
  }
  for (const c of quick ? hmfCases.slice(0, 1) : hmfCases) {
    const s0 = performance.now();
    const inst = instance(c.doc);
    let r: CaseResult;
    try {
      const ref = await hmfTrace(new CpuEngine(), inst);
      const e = await HmfGpuEngine.create({ gpu, shader: shaders.hmf! });
      try {
        const got = await hmfTrace(e, inst);
        const { worst, where } = hmfCompare(inst, ref, got);
        const infeasible = hmfProblem(inst).params.correction ? got.rows.find((row) => !(row.feasibility! < 1e-4)) : undefined;
        r = { name: `HMF ${c.name}`, family: 'hmf', worst, where: infeasible ? `feasibility ${infeasible.feasibility} at round ${infeasible.iteration}` : where, pass: worst <= 1 && !infeasible, seconds: (performance.now() - s0) / 1000 };
      } finally {
        e.destroy();
      }
    } catch (err) {
      r = { name: `HMF ${c.name}`, family: 'hmf', worst: Infinity, where: `threw: ${(err as Error).message}`, pass: false, seconds: (performance.now() - s0) / 1000 };
    }
    log(`${r.pass ? 'pass' : 'FAIL'} ${r.name}: worst/tolerance ${r.worst.toExponential(2)}${r.pass ? '' : ` (${r.where})`}`);
    result.cases.push(r);
    flush();
  }
  // not vacuous: a 0.1 % larger step must fall outside the tolerance
  const sensing = measured.find((c) => c.name.startsWith('sensing'))!;
  for (const c of [factorCases[1], sensing]) {
    const r = await run(`0.1 % larger step: ${c.name}`, c.doc.problem.kind, c.doc, 1.001);
    log(`${r.pass ? 'pass' : 'FAIL'} ${r.name}: worst/tolerance ${r.worst.toExponential(2)} (must exceed 1)`);
    result.vacuity.push(r);
    flush();
  }
  // snapshot and restore replay the same iterations exactly
  try {
    const e = await make();
    await e.load(instance(factorCases[2].doc));
    await e.advance(7);
    const snap = await e.snapshot();
    await e.advance(13);
    const a = await e.metrics();
    await e.restore(snap.state, snap.iteration);
    await e.advance(13);
    const b = await e.metrics();
    e.destroy();
    const same = JSON.stringify(a) === JSON.stringify(b) && b.iteration === 20;
    result.snapshot = { pass: same, detail: same ? 'the same metrics at iteration 20 both times' : `${JSON.stringify(a)} ≠ ${JSON.stringify(b)}` };
  } catch (err) {
    result.snapshot = { pass: false, detail: `threw: ${(err as Error).message}` };
  }
  flush();
  log(`${result.passed ? 'PASSED' : 'FAILED'}: ${result.cases.filter((c) => c.pass).length}/${result.cases.length} cases, ${result.vacuity.filter((c) => c.pass).length}/${result.vacuity.length} vacuity checks, snapshot ${result.snapshot.pass ? 'ok' : 'FAILED'}, ${result.seconds.toFixed(1)} s`);
}

// ---------------------------------------------------------------- bench

/** Sizes of the quick run (SwiftShader in `npm test`): the shape of every line, at toy sizes. */
const QUICK_SIZES: Record<string, FactorSize> = { S: { J: 4, n: 32, mj: 8, r: 4 }, M: { J: 8, n: 64, mj: 16, r: 4 } };

/** The bench instance for the PyTorch peer (float32 files: the peer runs float32, as the engine does). */
function exportPeerInstance(out: string, inst: NodeInstance): void {
  const p = inst.problem;
  if (p.kind !== 'factorization') return;
  mkdirSync(out, { recursive: true });
  f32(join(out, 'Y.f32'), p.Y.data);
  f32(join(out, 'U0.f32'), inst.init.X);
  f32(join(out, 'V0.f32'), inst.init.Y);
  f32(join(out, 'W.f32'), inst.W.data);
  writeFileSync(join(out, 'meta.json'), JSON.stringify({ J: p.partition.length, n: p.n, r: p.r, partition: p.partition, mu: inst.stepsize, dtype: 'f32' }));
}

async function bench(): Promise<void> {
  const gpu = dawnGpu();
  const seconds = Number(opt('seconds') ?? (quick ? 0.05 : 1));
  const rate = rateLoop(seconds);
  const t0 = performance.now();
  const result: Record<string, unknown> = { adapter: await adapterSection(gpu), quick, secondsPerMeasurement: seconds };
  const flush = () => {
    result.seconds = (performance.now() - t0) / 1000;
    save('bench.json', result);
  };
  flush();
  const ceil = await ceilings(gpu, { fma: fmaWgsl, matmul: matmulWgsl, matmulReg: matmulRegWgsl, copy: copyWgsl }, rate, quick ? { copyMiB: 16, N: 128, fmaIters: 64 } : { copyMiB: 1024 });
  result.ceilings = ceil;
  log(`ceilings: copy ${(ceil.copy / 1e9).toFixed(1)} GB/s (compute shader ${(ceil.copyKernel / 1e9).toFixed(1)}, copyBufferToBuffer ${(ceil.copyBuffer / 1e9).toFixed(1)}), FMA ${ceil.fma.toFixed(0)} GFLOP/s, matmul ${ceil.matmul.toFixed(0)} GFLOP/s`);
  flush();

  // the TF.js-WebGPU peer on the same adapter (the same iteration in TF.js ops)
  let tf: Awaited<ReturnType<typeof tfjsPeer>> | null = null;
  try {
    tf = await tfjsPeer(gpu);
    result.tfjs = { version: tf.version, backend: tf.backend };
  } catch (err) {
    result.tfjs = { error: (err as Error).message };
  }
  // DGD+LOCAL at S, M, L and XL (or the largest J that fits)
  const factor: Record<string, unknown>[] = [];
  result.factor = factor;
  const wanted = opt('sizes')?.split(',');
  const sizes: [string, FactorSize][] = (quick ? Object.entries(QUICK_SIZES) : Object.entries(SIZES)).filter(([name]) => !wanted || wanted.includes(name));
  for (const [name, size0] of sizes) {
    let size = size0;
    for (;;) {
      const b0 = performance.now();
      const inst = factorInstance(size, quick ? 30 : size.J * size.mj * size.n > 2 ** 26 ? 0 : 10);
      const build = (performance.now() - b0) / 1000;
      let e: GpuEngine | null = null;
      try {
        e = await GpuEngine.create({ gpu, shaders });
        await e.load(inst);
        const bytes = iterationBytes(e.layout!);
        const itPerSec = await rate(async (k) => {
          await e!.advance(k);
          await e!.sync();
        }, 1 << 16);
        // the iterate stays finite (metrics() would need f*, an SVD of Y: far too slow at L and XL)
        const finite = (await e.snapshot()).state.X.every(Number.isFinite);
        // where the time goes: each kernel alone, iterations per second as if the iteration were only it
        const perKernel: Record<string, number> = {};
        for (const kernel of quick && name !== 'S' ? [] : ['grams', 'step', 'vUpdate'] as const) {
          const p = await GpuEngine.create({ gpu, shaders, only: [kernel] });
          await p.load(inst);
          perKernel[kernel] = await rate(async (k) => {
            await p.advance(k);
            await p.sync();
          }, 1 << 16);
          p.destroy();
        }
        const flops = flopsPerIteration(inst);
        let tfjs: number | string | undefined;
        if (tf && (!quick || name === 'S')) {
          try {
            tfjs = await tf.rate(inst, rate);
          } catch (err) {
            tfjs = (err as Error).message;
          }
        }
        const row = {
          size: name, ...size, itPerSec, tfjs, gflops: (itPerSec * flops) / 1e9, flopsPerIteration: flops, bytesPerIteration: bytes,
          bandwidth: itPerSec * bytes, rooflinePercent: (100 * itPerSec * bytes) / ceil.copy, finite, perKernel, buildSeconds: build,
          ...(size !== size0 ? { note: `${name} as specified (J = ${size0.J}) did not fit; the largest J that did` } : {}),
        };
        factor.push(row);
        log(`${name} J=${size.J} n=${size.n} mj=${size.mj} r=${size.r}: ${itPerSec.toFixed(0)} it/s, ${row.gflops.toFixed(1)} GFLOP/s, ${(bytes / 2 ** 20).toFixed(1)} MiB/it, ${row.rooflinePercent.toFixed(1)} % of copy roofline; alone: grams ${perKernel.grams?.toFixed(0)}, factor_step ${perKernel.step?.toFixed(0)}, v_update ${perKernel.vUpdate?.toFixed(0)} it/s; TF.js ${typeof tfjs === 'number' ? tfjs.toFixed(0) : tfjs}`);
        exportPeerInstance(join(dir, 'peer-bench', name), inst);
        e.destroy();
        break;
      } catch (err) {
        e?.destroy();
        log(`${name} J=${size.J}: ${(err as Error).message}`);
        if (size.J <= 16) {
          factor.push({ size: name, ...size, error: (err as Error).message });
          break;
        }
        size = { ...size, J: size.J / 2 };
      }
    }
    flush();
  }

  if (opt('only') === 'factor') {
    log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s (DGD+LOCAL sizes only)`);
    return;
  }
  // sensing, completion, robust PCA
  const scale = (s: { J: number; n: number; mj: number; r: number }) => (quick ? { ...s, J: Math.min(s.J, 4), n: Math.min(s.n, 32), mj: Math.min(s.mj, 8) } : s);
  const sense = quick ? { ...scale(SENSING), p: 64 } : SENSING;
  const comp = scale(COMPLETION), rp = scale(RPCA);
  const measuredRows: Record<string, unknown>[] = [];
  result.measured = measuredRows;
  for (const [problemName, s, problem] of [
    ['sensing', sense, { kind: 'sensing', rank: sense.r, generate: { seed: 1, n: sense.n, m: sense.J * sense.mj, measurements: sense.p, normalize: true } }],
    ['completion, p = 0.3', comp, { kind: 'completion', rank: comp.r, pObs: 0.3, generate: { seed: 1, n: comp.n, m: comp.J * comp.mj } }],
    ['robust PCA, α = 0.05', rp, { kind: 'rpca', rank: rp.r, generate: { seed: 1, n: rp.n, m: rp.J * rp.mj, corruption: 0.05 } }],
  ] as const) {
    try {
      const e = await GpuEngine.create({ gpu, shaders });
      await e.load(measuredInstance(problem, s.J));
      const itPerSec = await rate(async (k) => {
        await e.advance(k);
        await e.sync();
      }, 1 << 16);
      e.destroy();
      measuredRows.push({ problem: problemName, ...s, itPerSec });
      log(`${problemName}: ${itPerSec.toFixed(0)} it/s`);
    } catch (err) {
      measuredRows.push({ problem: problemName, ...s, error: (err as Error).message });
    }
    flush();
  }

  // HMF R15 and R17 (the video demo)
  const hmfRows: Record<string, unknown>[] = [];
  result.hmf = hmfRows;
  for (const [id, doc] of (quick ? [['R15', r15]] : [['R15', r15], ['R17', r17]]) as [string, unknown][]) {
    try {
      const d = doc as unknown as ExperimentInput;
      const inst = instance(quick ? { ...d, algorithm: { ...d.algorithm, iterations: 10 } } : d);
      const e = await HmfGpuEngine.create({ gpu, shader: shaders.hmf! });
      await e.load(inst);
      // a readback ends each timed call: advance() only submits
      const roundsPerSec = await rate(async (k) => {
        await e.advance(k);
        await e.metrics();
      }, 1 << 14);
      e.destroy();
      const h = hmfProblem(inst);
      hmfRows.push({ preset: id, N: h.data.sources.length, n1: h.data.n1, r1: h.params.r1, r2: h.params.r2, roundsPerSec });
      log(`HMF ${id}: ${roundsPerSec.toFixed(0)} rounds/s`);
    } catch (err) {
      hmfRows.push({ preset: id, error: (err as Error).message });
    }
    flush();
  }

  // the 32 × 32 × 4-seed sweep, batched vs one after another
  try {
    result.sweep = await sweepFigures(gpu, shaders, quick ? ['quick'] : ['S', 'XS']);
    for (const s of result.sweep as Awaited<ReturnType<typeof sweepFigures>>) log(`sweep ${s.size}: batched ${s.batched.toFixed(1)} runs/s, one after another ${s.oneByOne.toFixed(1)} runs/s (${(s.batched / s.oneByOne).toFixed(2)}×)`);
  } catch (err) {
    result.sweep = { error: (err as Error).message };
  }
  flush();

  // hardware-independent counters of a recorded run
  result.counters = await counters(gpu, shaders, quick ? 128 : 1024);
  flush();
  log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** The adapter Dawn finds, or an error (run.sh stops early on a hardware driver that gives none). */
async function probe(): Promise<void> {
  const gpu = dawnGpu();
  const a = await adapterSection(gpu);
  console.log(JSON.stringify(a));
  if (process.env.LOWRANK_EXPECT_HARDWARE && a.software) throw new Error('a hardware Vulkan driver was named, but Dawn chose a software adapter');
}

async function main(): Promise<void> {
  if (part === 'probe') await probe();
  else if (part === 'parity') await parity();
  else if (part === 'bench') await bench();
  else if (part === 'report') writeReport(opt('out') ?? dir, (f) => (existsSync(join(dir, f)) ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : null));
  else throw new Error(`usage: kit.mjs parity|bench|report --dir DIR [--quick] (got ${part})`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
