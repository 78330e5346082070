/**
 * `npm run bench`: iterations per second of DGD+LOCAL at the sizes of the engine issue, for the WebGPU
 * engine, the float64 CPU engine and a peer (the same iteration in TensorFlow.js ops on its WebGPU
 * backend), all on the same adapter in one run; the adapter's own ceilings (a pure-FMA kernel and a tiled
 * 1024³ matmul); the hot loop's GFLOP/s against them; and hardware-independent counters per iteration.
 *
 * Then one line for matrix sensing (SPEC §5): the WebGPU engine against the CPU engine on the same
 * distributed instance, where applying 𝒜ⱼ and 𝒜ⱼᵀ dominates, and one each for completion and robust PCA; and the HMF lines (SPEC §7): HMF's WebGPU
 * engine against the CPU engine on the R15 and R17 presets.
 *
 *   npm run bench                      # sizes S, M, L, the sensing line and the HMF lines
 *   npm run bench -- --sizes S,M       # a subset
 *   npm run bench -- --only sensing    # the sensing, completion and robust-PCA lines only
 *   npm run bench -- --only hmf        # the HMF lines only
 *   npm run bench -- --seconds 2  # time budget per measurement (default 3)
 *   npm run bench -- --only slice # only the landscape-slice figures (test/bench/slice.ts)
 *   npm run bench -- --only sweep # only the sweep figures (batched vs one after another, threads, shards as processes)
 *   npm run bench -- --only cpu   # only the CPU engine (WebAssembly kernels, plain path) against NumPy float64
 */
import { readFileSync } from 'node:fs';
import { hmfProblem } from '../../src/core/hmf-build';
import { buildInstance, type Instance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { CpuEngine } from '../../src/engine/cpu';
import type { Engine } from '../../src/engine/engine';
import { GpuEngine } from '../../src/gpu/families/factor';
import { iterationBytes } from '../../src/gpu/layout';
import { HmfGpuEngine } from '../../src/gpu/families/hmf';
import { nodeGpu } from '../../src/gpu/node';
import { loadShaderSources } from '../../src/gpu/shaders-node';
import { tfjsPeer } from './tfjs-peer';
import { sliceBench } from './slice';
import { cpuSweepBench, shardBench, sweepBench } from './sweep-bench';
import { cpuLines } from './cpu-bench';
import { provideNodeKernels } from '../../src/engine/kernels-node';

// the CPU engine on its WebAssembly kernels, as the CLI runs it
provideNodeKernels();
import {
  COMPLETION, RPCA, SENSING, SIZES, type SizeName, ceilings, counters, factorInstance, flopsPerIteration, fmt, measuredInstance, rateLoop,
} from './common';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const chosen = (arg('sizes') ?? 'S,M,L,sensing,hmf').split(',');
const sizes = chosen.filter((s): s is SizeName => s in SIZES);
const seconds = Number(arg('seconds') ?? 3);
const rate = rateLoop(seconds);
const instanceFor = (name: SizeName) => factorInstance(SIZES[name]);
const src = (f: string) => readFileSync(new URL(f, import.meta.url), 'utf8');
const ceilingSources = { fma: src('fma.wgsl'), matmul: src('matmul.wgsl'), matmulReg: src('matmul_reg.wgsl'), copy: src('copy.wgsl') };

/** The hardware-independent counters (common.ts), printed. */
async function structure(gpu: GPU, shaders: ReturnType<typeof loadShaderSources>): Promise<void> {
  const { K, recordEvery, hotLoop: h, recordedRun: c } = await counters(gpu, shaders);
  console.log(`\nper iteration, the hot loop (advance(${K})): ${fmt(h.dispatchesPerIteration)} dispatches, ${fmt(h.yPassesPerIteration)} passes over Y, ${h.submits} submits (${fmt(h.iterationsPerSubmit)} iterations each), ${h.readbacks} readbacks`);
  console.log(`per iteration, a recorded run (K = ${K}, recordEvery = ${recordEvery}): ${fmt(c.dispatchesPerIteration, 3)} dispatches, ${fmt(c.yPassesPerIteration, 3)} passes over Y, ${fmt(c.submitsPerIteration, 3)} submits, ${fmt(c.readbacks / K, 3)} readbacks (${c.readbacks} = ${K / recordEvery + 1} records + the final snapshot)`);
}

/**
 * Iterations per second of a WebGPU engine (`settle` waits for what advance() submitted), then of the CPU
 * engine, on `inst`.
 */
async function gpuAndCpuRates<E extends Engine>(make: () => Promise<E>, settle: (e: E) => Promise<unknown>, inst: Instance, maxCpuK = 64): Promise<[number, number]> {
  const e = await make();
  await e.load(inst);
  const gpuRate = await rate(async (k) => {
    await e.advance(k);
    await settle(e);
  });
  e.destroy();
  const cpu = new CpuEngine();
  await cpu.load(inst);
  const cpuRate = await rate((k) => cpu.advance(k), maxCpuK);
  cpu.destroy();
  return [gpuRate, cpuRate];
}

/** The DGD WebGPU engine against the CPU engine. */
const dgdRates = (gpu: GPU, shaders: ReturnType<typeof loadShaderSources>, inst: Instance) =>
  gpuAndCpuRates(() => GpuEngine.create({ gpu, shaders }), (e) => e.sync(), inst);

/**
 * GPU vs CPU iterations per second on a distributed sensing instance (SENSING), one run; then completion
 * (COMPLETION) and robust PCA (RPCA).
 */
async function measuredLines(gpu: GPU, shaders: ReturnType<typeof loadShaderSources>): Promise<void> {
  const { J, n, mj, r, p } = SENSING;
  const inst = measuredInstance({ kind: 'sensing', rank: r, generate: { seed: 1, n, m: J * mj, measurements: p, normalize: true } }, J);
  // 𝒜ⱼ vec(X) and 𝒜ⱼᵀe: 2 flops per entry of every 𝒜ⱼ each
  const flops = 4 * J * p * n * mj;
  const [gpuRate, cpuRate] = await dgdRates(gpu, shaders, inst);
  console.log('\n| sensing | J, n, mⱼ, r, pⱼ | 𝒜 entries | WebGPU engine it/s | CPU engine (f64) it/s | GPU/CPU | GPU GFLOP/s |');
  console.log('|---|---|---|---|---|---|---|');
  console.log(`| DGD+LOCAL | ${J}, ${n}, ${mj}, ${r}, ${p} | ${(J * p * n * mj).toExponential(2)} | ${fmt(gpuRate)} | ${fmt(cpuRate)} | ${fmt(gpuRate / cpuRate)}× | ${fmt((gpuRate * flops) / 1e9)} |`);
  console.log('\n| problem | J, n, mⱼ, r | WebGPU engine it/s | CPU engine (f64) it/s | GPU/CPU |');
  console.log('|---|---|---|---|---|');
  for (const [name, s, problem] of [
    ['completion, p = 0.3', COMPLETION, { kind: 'completion', rank: COMPLETION.r, pObs: 0.3, generate: { seed: 1, n: COMPLETION.n, m: COMPLETION.J * COMPLETION.mj } }],
    ['robust PCA, α = 0.05', RPCA, { kind: 'rpca', rank: RPCA.r, generate: { seed: 1, n: RPCA.n, m: RPCA.J * RPCA.mj, corruption: 0.05 } }],
  ] as const) {
    const [g, c] = await dgdRates(gpu, shaders, measuredInstance(problem, s.J));
    console.log(`| ${name} | ${s.J}, ${s.n}, ${s.mj}, ${s.r} | ${fmt(g)} | ${fmt(c)} | ${fmt(g / c)}× |`);
  }
}

/** HMF rounds per second, WebGPU engine vs CPU engine, on presets R15 and R17 (the video demo), one run. */
async function hmfLines(gpu: GPU, shaders: ReturnType<typeof loadShaderSources>): Promise<void> {
  console.log('\n| HMF preset | N, n₁, n₂, r₁, r₂ | WebGPU engine rounds/s | CPU engine (f64) rounds/s | GPU/CPU |');
  console.log('|---|---|---|---|---|');
  for (const id of ['r15', 'r17']) {
    const inst = buildInstance(parseExperiment(JSON.parse(readFileSync(`public/presets/${id}.json`, 'utf8'))));
    const h = hmfProblem(inst);
    // a readback ends each timed call: advance() only submits
    const [gpuRate, cpuRate] = await gpuAndCpuRates(() => HmfGpuEngine.create({ gpu, shader: shaders.hmf! }), (e) => e.metrics(), inst, 256);
    const n2 = [...new Set(h.data.sources.map((x) => x.n2))].join('/');
    console.log(`| ${id.toUpperCase()} | ${h.data.sources.length}, ${h.data.n1}, ${n2}, ${h.params.r1}, ${h.params.r2} | ${fmt(gpuRate)} | ${fmt(cpuRate)} | ${fmt(gpuRate / cpuRate)}× |`);
  }
}

/** The landscape-slice figures on the M-size problem (target: a 512×512 slice in under 250 ms). */
function sliceFigures(): void {
  const inst = instanceFor('M');
  const f = sliceBench(inst, 512, 5);
  const { J, n, mj, r } = SIZES.M;
  console.log(`\nlandscape slice, M (J = ${J}, n = ${n}, mⱼ = ${mj}, r = ${r}), 512×512, float64 CPU, median of 5: ${fmt(f.total)} ms ready (plane ${fmt(f.plane)} ms, quartic coefficients ${fmt(f.coefficients)} ms, grid ${fmt(f.grid)} ms); a new range re-draws in ${fmt(f.regrid)} ms`);
}

async function main(): Promise<void> {
  if (arg('only') === 'slice') return sliceFigures();
  if (arg('only') === 'cpu') return cpuLines(sizes, rate, seconds);
  const g = await nodeGpu();
  const shaders = loadShaderSources();
  if (arg('only') === 'hmf' || arg('only') === 'sensing') {
    await (arg('only') === 'hmf' ? hmfLines : measuredLines)(g.gpu, shaders);
    g.release();
    return;
  }
  if (arg('only') === 'sweep') {
    await sweepBench(g.gpu, shaders);
    await cpuSweepBench();
    await shardBench();
    g.release();
    return;
  }
  const peer = await tfjsPeer(g.gpu);
  const probe = await GpuEngine.create({ gpu: g.gpu, shaders });
  const a = probe.adapter;
  console.log(`adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' ')}${a.software ? ' (software)' : ''}; TF.js ${peer.version} (${peer.backend})`);
  probe.destroy();
  const ceil = await ceilings(g.gpu, ceilingSources, rate);
  console.log(`adapter ceilings: copy ${fmt(ceil.copy / 1e9)} GB/s (read + written; compute shader ${fmt(ceil.copyKernel / 1e9)}, copyBufferToBuffer ${fmt(ceil.copyBuffer / 1e9)}); pure FMA ${fmt(ceil.fma)} GFLOP/s; 1024³ matmul ${fmt(ceil.matmulShared)} GFLOP/s tiled in workgroup memory, ${fmt(ceil.matmulRegisters)} GFLOP/s tiled in registers (the faster is "matmul" below)\n`);
  console.log('| size | J, n, mⱼ, r | WebGPU engine it/s | CPU engine (f64) it/s | TF.js-WebGPU it/s | GPU/CPU | GPU/TF.js | hot loop GFLOP/s | % of matmul | % of FMA | MiB moved per iteration | % of copy roofline |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const name of sizes) {
    const { J, n, mj, r } = SIZES[name];
    const inst = instanceFor(name);
    const flops = flopsPerIteration(inst);
    let gpuRate = NaN, bytes = NaN;
    try {
      const e = await GpuEngine.create({ gpu: g.gpu, shaders });
      await e.load(inst);
      bytes = iterationBytes(e.layout!);
      gpuRate = await rate(async (k) => {
        await e.advance(k);
        await e.sync();
      });
      e.destroy();
    } catch (err) {
      console.log(`| ${name} | GPU engine: ${(err as Error).message} |`);
    }
    const cpu = new CpuEngine();
    await cpu.load(inst);
    const cpuRate = await rate((k) => cpu.advance(k), 64);
    cpu.destroy();
    const tfRate = await peer.rate(inst, rate);
    const gf = (gpuRate * flops) / 1e9;
    console.log(`| ${name} | ${J}, ${n}, ${mj}, ${r} | ${fmt(gpuRate)} | ${fmt(cpuRate)} | ${fmt(tfRate)} | ${fmt(gpuRate / cpuRate)}× | ${fmt(gpuRate / tfRate)}× | ${fmt(gf)} | ${fmt((100 * gf) / ceil.matmul)} % | ${fmt((100 * gf) / ceil.fma)} % | ${fmt(bytes / 2 ** 20)} | ${fmt((100 * gpuRate * bytes) / ceil.copy)} % |`);
  }
  await cpuLines(sizes, rate, seconds);
  if (chosen.includes('sensing')) await measuredLines(g.gpu, shaders);
  if (chosen.includes('hmf')) await hmfLines(g.gpu, shaders);
  await structure(g.gpu, shaders);
  sliceFigures();
  await sweepBench(g.gpu, shaders);
  await cpuSweepBench();
  await shardBench();
  peer.dispose();
  g.release();
}

await main();
