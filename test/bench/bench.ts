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
 *   npm run bench -- --only sweep # only the sweep figure (runs per second, batched vs one after another)
 */
import { readFileSync } from 'node:fs';
import { buildInstance, type Instance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { CpuEngine } from '../../src/engine/cpu';
import type { Engine } from '../../src/engine/engine';
import { runSession } from '../../src/engine/session';
import { acquireDevice } from '../../src/gpu/device';
import { GpuEngine } from '../../src/gpu/engine';
import { HmfGpuEngine } from '../../src/gpu/hmf-engine';
import { nodeGpu } from '../../src/gpu/node';
import { loadShaderSources } from '../../src/gpu/shaders-node';
import { tfjsPeer } from './tfjs-peer';
import { sliceBench } from './slice';
import { cpuSweepBench, sweepBench } from './sweep-bench';

const SIZES = {
  S: { J: 16, n: 256, mj: 64, r: 8 },
  M: { J: 64, n: 512, mj: 128, r: 16 },
  L: { J: 256, n: 1024, mj: 64, r: 32 },
} as const;
type SizeName = keyof typeof SIZES;
/** The sensing line: J nodes, each with pⱼ measurements of its n×mⱼ block (𝒜ⱼ is pⱼ × n·mⱼ). */
const SENSING = { J: 8, n: 64, mj: 16, r: 4, p: 1024 } as const;
/** The completion and robust-PCA lines: J nodes with n×mⱼ blocks, rank r. */
const COMPLETION = { J: 64, n: 512, mj: 128, r: 8 } as const;
const RPCA = { J: 16, n: 256, mj: 64, r: 8 } as const;

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const chosen = (arg('sizes') ?? 'S,M,L,sensing,hmf').split(',');
const sizes = chosen.filter((s): s is SizeName => s in SIZES);
const budget = Number(arg('seconds') ?? 3);

/** Iterations per second of `run(k)`, doubling k until one call takes at least `budget` seconds. */
async function rate(run: (k: number) => Promise<void>, maxK = 1 << 14): Promise<number> {
  await run(1); // warm-up: pipelines, caches
  for (let k = 1; ; k *= 2) {
    const t0 = performance.now();
    await run(k);
    const dt = (performance.now() - t0) / 1000;
    if (dt >= budget || k >= maxK) return k / dt;
  }
}

function instanceFor(name: SizeName): Instance {
  const { J, n, mj, r } = SIZES[name];
  const doc = parseExperiment({
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'factorization', rank: r, generate: { seed: 1, n, m: J * mj, trueRank: r } },
    network: { topology: 'ring', J, weights: 'metropolis', lazy: true },
    algorithm: { name: 'dgd-local', stepsize: 1, iterations: 0 },
    init: { seed: 2, scale: 0.1 },
  });
  const inst = buildInstance(doc);
  // μ = 0.25(1 − 2ω)/(6σ₁) with σ₁ from power iteration (a full SVD of Y is too slow at L)
  const p = inst.problem;
  if (p.kind !== 'factorization') throw new Error('factorization');
  let v = new Float64Array(p.m).fill(1), s1 = 0;
  for (let it = 0; it < 30; it++) {
    const u = new Float64Array(p.n);
    for (let i = 0; i < p.n; i++) for (let c = 0; c < p.m; c++) u[i] += p.Y.data[i * p.m + c] * v[c];
    const w = new Float64Array(p.m);
    for (let i = 0; i < p.n; i++) for (let c = 0; c < p.m; c++) w[c] += p.Y.data[i * p.m + c] * u[i];
    const nw = Math.hypot(...w);
    s1 = Math.sqrt(nw / Math.hypot(...v));
    v = w.map((x) => x / nw);
  }
  return { ...inst, stepsize: (0.25 * (1 - 2 * inst.omega)) / (6 * s1) };
}

/** Model flops of one DGD+LOCAL iteration (README: YV, YᵀU, the Grams, U·VᵀV, V·UᵀU, mixing). */
function flopsPerIteration(inst: Instance): number {
  const p = inst.problem;
  if (p.kind !== 'factorization') return 0;
  const J = p.partition.length;
  const nnz = inst.W.data.reduce((c, w) => c + (w !== 0 ? 1 : 0), 0);
  return 4 * p.n * p.m * p.r + 4 * (J * p.n + p.m) * p.r * p.r + 2 * nnz * p.n * p.r;
}

async function ceilings(gpu: GPU): Promise<{ fma: number; matmulShared: number; matmulRegisters: number; matmul: number }> {
  const { device } = await acquireDevice(gpu, 'bench');
  const src = (f: string) => readFileSync(new URL(f, import.meta.url), 'utf8');
  // FMA
  const groups = 256, iters = 4096;
  const out = device.createBuffer({ size: groups * 256 * 4, usage: GPUBufferUsage.STORAGE });
  const fmaPipe = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: src('fma.wgsl') }), entryPoint: 'main', constants: { ITERS: iters } } });
  const fmaBg = device.createBindGroup({ layout: fmaPipe.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] });
  const fmaRate = await rate(async (k) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(fmaPipe);
    pass.setBindGroup(0, fmaBg);
    for (let i = 0; i < k; i++) pass.dispatchWorkgroups(groups);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  }, 256);
  // matmul 1024³
  const N = 1024;
  const mk = (usage: number) => device.createBuffer({ size: N * N * 4, usage });
  const A = mk(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST), B = mk(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST), C = mk(GPUBufferUsage.STORAGE);
  const rnd = Float32Array.from({ length: N * N }, (_, i) => Math.sin(i));
  device.queue.writeBuffer(A, 0, rnd);
  device.queue.writeBuffer(B, 0, rnd);
  const matmulRate = async (file: string) => {
    const pipe = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: src(file) }), entryPoint: 'main', constants: { N } } });
    const bg = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [A, B, C].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    return rate(async (k) => {
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipe);
      pass.setBindGroup(0, bg);
      for (let i = 0; i < k; i++) pass.dispatchWorkgroups(N / 64, N / 64);
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    }, 64);
  };
  const shared = await matmulRate('matmul.wgsl');
  const registers = await matmulRate('matmul_reg.wgsl');
  device.destroy();
  const gf = (r: number) => (r * 2 * N ** 3) / 1e9;
  return { fma: (fmaRate * groups * 256 * iters * 16) / 1e9, matmulShared: gf(shared), matmulRegisters: gf(registers), matmul: gf(Math.max(shared, registers)) };
}

/**
 * Hardware-independent counters of a recorded run: a session of K = 1024 iterations recording every 64,
 * on a small instance (the counts do not depend on the sizes).
 */
async function structure(gpu: GPU, shaders: ReturnType<typeof loadShaderSources>): Promise<void> {
  const K = 1024, every = 64;
  const inst = buildInstance(parseExperiment({
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'factorization', rank: 4, generate: { seed: 1, n: 32, m: 64, trueRank: 4 } },
    network: { topology: 'ring', J: 8, weights: 'metropolis', lazy: true },
    algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: K, recordEvery: every },
    init: { seed: 2, scale: 0.1 },
  }));
  const e = await GpuEngine.create({ gpu, shaders });
  await e.load(inst);
  await e.advance(K);
  await e.sync();
  const h = { ...e.counters };
  console.log(`\nper iteration, the hot loop (advance(${K})): ${fmt(h.dispatches / K)} dispatches, ${fmt(h.yPasses / K)} passes over Y, ${h.submits} submits (${fmt(K / h.submits)} iterations each), ${h.readbacks} readbacks`);
  e.destroy();
  const e2 = await GpuEngine.create({ gpu, shaders });
  await runSession(e2, inst, { snapshotEveryMs: Infinity });
  const c = e2.counters;
  e2.destroy();
  const per = (x: number) => fmt(x / K, 3);
  console.log(`per iteration, a recorded run (K = ${K}, recordEvery = ${every}): ${per(c.dispatches)} dispatches, ${per(c.yPasses)} passes over Y, ${per(c.submits)} submits, ${per(c.readbacks)} readbacks (${c.readbacks} = ${K / every + 1} records + the final snapshot)`);
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

const measuredInstance = (problem: object, J: number) => buildInstance(parseExperiment({
  format: 'lowrank-lab/experiment', version: 1, problem,
  network: { topology: 'ring', J, weights: 'metropolis', lazy: true },
  algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: 0 },
  init: { seed: 2, scale: 0.1 },
} as Parameters<typeof parseExperiment>[0]));

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
    const h = inst.hmf!;
    // a readback ends each timed call: advance() only submits
    const [gpuRate, cpuRate] = await gpuAndCpuRates(() => HmfGpuEngine.create({ gpu, shader: shaders.hmf! }), (e) => e.metrics(), inst, 256);
    const n2 = [...new Set(h.data.sources.map((x) => x.n2))].join('/');
    console.log(`| ${id.toUpperCase()} | ${h.data.sources.length}, ${h.data.n1}, ${n2}, ${h.params.r1}, ${h.params.r2} | ${fmt(gpuRate)} | ${fmt(cpuRate)} | ${fmt(gpuRate / cpuRate)}× |`);
  }
}

const fmt = (x: number, d = 3) => (x >= 100 ? x.toFixed(0) : x.toPrecision(d));

/** The landscape-slice figures on the M-size problem (target: a 512×512 slice in under 250 ms). */
function sliceFigures(): void {
  const inst = instanceFor('M');
  const f = sliceBench(inst, 512, 5);
  const { J, n, mj, r } = SIZES.M;
  console.log(`\nlandscape slice, M (J = ${J}, n = ${n}, mⱼ = ${mj}, r = ${r}), 512×512, float64 CPU, median of 5: ${fmt(f.total)} ms ready (plane ${fmt(f.plane)} ms, quartic coefficients ${fmt(f.coefficients)} ms, grid ${fmt(f.grid)} ms); a new range re-draws in ${fmt(f.regrid)} ms`);
}

async function main(): Promise<void> {
  if (arg('only') === 'slice') return sliceFigures();
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
    g.release();
    return;
  }
  const peer = await tfjsPeer(g.gpu);
  const probe = await GpuEngine.create({ gpu: g.gpu, shaders });
  const a = probe.adapter;
  console.log(`adapter: ${[a.vendor, a.architecture, a.description].filter(Boolean).join(' ')}${a.software ? ' (software)' : ''}; TF.js ${peer.version} (${peer.backend})`);
  probe.destroy();
  const ceil = await ceilings(g.gpu);
  console.log(`adapter ceilings: pure FMA ${fmt(ceil.fma)} GFLOP/s; 1024³ matmul ${fmt(ceil.matmulShared)} GFLOP/s tiled in workgroup memory, ${fmt(ceil.matmulRegisters)} GFLOP/s tiled in registers (the faster is "matmul" below)\n`);
  console.log('| size | J, n, mⱼ, r | WebGPU engine it/s | CPU engine (f64) it/s | TF.js-WebGPU it/s | GPU/CPU | GPU/TF.js | hot loop GFLOP/s | % of matmul | % of FMA |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const name of sizes) {
    const { J, n, mj, r } = SIZES[name];
    const inst = instanceFor(name);
    const flops = flopsPerIteration(inst);
    let gpuRate = NaN;
    try {
      const e = await GpuEngine.create({ gpu: g.gpu, shaders });
      await e.load(inst);
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
    console.log(`| ${name} | ${J}, ${n}, ${mj}, ${r} | ${fmt(gpuRate)} | ${fmt(cpuRate)} | ${fmt(tfRate)} | ${fmt(gpuRate / cpuRate)}× | ${fmt(gpuRate / tfRate)}× | ${fmt(gf)} | ${fmt((100 * gf) / ceil.matmul)} % | ${fmt((100 * gf) / ceil.fma)} % |`);
  }
  if (chosen.includes('sensing')) await measuredLines(g.gpu, shaders);
  if (chosen.includes('hmf')) await hmfLines(g.gpu, shaders);
  await structure(g.gpu, shaders);
  sliceFigures();
  await sweepBench(g.gpu, shaders);
  await cpuSweepBench();
  peer.dispose();
  g.release();
}

await main();
