/**
 * What `npm run bench` (bench.ts) and the GPU kit (test/kit) measure alike: the sizes, the instances, the
 * rate loop, the model flops and bytes of one iteration, and the adapter's own ceilings. Nothing here
 * reads files: the caller passes the WGSL of the ceiling kernels (bench.ts from disk, the kit bundled).
 */
import { type NodeInstance, buildNodeInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { runSession } from '../../src/engine/session';
import { acquireDevice } from '../../src/gpu/device';
import { GpuEngine } from '../../src/gpu/families/factor';
import type { ShaderSources } from '../../src/gpu/kernels';

export const SIZES = {
  S: { J: 16, n: 256, mj: 64, r: 8 },
  M: { J: 64, n: 512, mj: 128, r: 16 },
  L: { J: 256, n: 1024, mj: 64, r: 32 },
  XL: { J: 1024, n: 2048, mj: 128, r: 32 },
} as const;
export type SizeName = keyof typeof SIZES;
export interface FactorSize { J: number; n: number; mj: number; r: number }
/** The sensing line: J nodes, each with pⱼ measurements of its n×mⱼ block (𝒜ⱼ is pⱼ × n·mⱼ). */
export const SENSING = { J: 8, n: 64, mj: 16, r: 4, p: 1024 } as const;
/** The completion and robust-PCA lines: J nodes with n×mⱼ blocks, rank r. */
export const COMPLETION = { J: 64, n: 512, mj: 128, r: 8 } as const;
export const RPCA = { J: 16, n: 256, mj: 64, r: 8 } as const;

export const fmt = (x: number, d = 3) => (!Number.isFinite(x) ? String(x) : x >= 100 ? x.toFixed(0) : x.toPrecision(d));

export type Rate = (run: (k: number) => Promise<void>, maxK?: number) => Promise<number>;

/** Iterations per second of `run(k)`, doubling k until one call takes at least `seconds`. */
export function rateLoop(seconds: number): Rate {
  return async (run, maxK = 1 << 14) => {
    await run(1); // warm-up: pipelines, caches
    for (let k = 1; ; k *= 2) {
      const t0 = performance.now();
      await run(k);
      const dt = (performance.now() - t0) / 1000;
      if (dt >= seconds || k >= maxK) return k / dt;
    }
  };
}

/**
 * A DGD+LOCAL instance of the given size on a lazy Metropolis ring, with
 * μ = 0.25(1 − 2ω)/(6σ₁) and σ₁ from `powerIterations` steps of power iteration (a full SVD of Y is too
 * slow at L and beyond); with 0 steps, σ₁'s upper bound ‖Y‖_F instead (a smaller, still stable step, in one
 * pass over Y: at XL the power iteration would take longer than the benchmark).
 */
export function factorInstance({ J, n, mj, r }: FactorSize, powerIterations = 30, iterations = 0): NodeInstance {
  const doc = parseExperiment({
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'factorization', rank: r, generate: { seed: 1, n, m: J * mj, trueRank: r } },
    network: { topology: 'ring', J, weights: 'metropolis', lazy: true },
    algorithm: { name: 'dgd-local', stepsize: 1, iterations },
    init: { seed: 2, scale: 0.1 },
  });
  const inst = buildNodeInstance(doc);
  const p = inst.problem;
  if (p.kind !== 'factorization') throw new Error('factorization');
  let v = new Float64Array(p.m).fill(1), s1 = powerIterations > 0 ? 0 : Math.sqrt(p.Y.data.reduce((a, x) => a + x * x, 0));
  const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  for (let it = 0; it < powerIterations; it++) {
    const u = new Float64Array(p.n);
    for (let i = 0; i < p.n; i++) {
      const row = p.Y.data.subarray(i * p.m, (i + 1) * p.m);
      let s = 0;
      for (let c = 0; c < p.m; c++) s += row[c] * v[c];
      u[i] = s;
    }
    const w = new Float64Array(p.m);
    for (let i = 0; i < p.n; i++) {
      const row = p.Y.data.subarray(i * p.m, (i + 1) * p.m);
      for (let c = 0; c < p.m; c++) w[c] += row[c] * u[i];
    }
    const nw = norm(w);
    s1 = Math.sqrt(nw / norm(v));
    v = w.map((x) => x / nw);
  }
  return { ...inst, stepsize: (0.25 * (1 - 2 * inst.omega)) / (6 * s1) };
}

/** Model flops of one DGD+LOCAL iteration (README: YV, YᵀU, the Grams, U·VᵀV, V·UᵀU, mixing). */
export function flopsPerIteration(inst: NodeInstance): number {
  const p = inst.problem;
  if (p.kind !== 'factorization') return 0;
  const J = p.partition.length;
  const nnz = inst.W.data.reduce((c, w) => c + (w !== 0 ? 1 : 0), 0);
  return 4 * p.n * p.m * p.r + 4 * (J * p.n + p.m) * p.r * p.r + 2 * nnz * p.n * p.r;
}

export const measuredInstance = (problem: object, J: number) => buildNodeInstance(parseExperiment({
  format: 'lowrank-lab/experiment', version: 1, problem,
  network: { topology: 'ring', J, weights: 'metropolis', lazy: true },
  algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: 0 },
  init: { seed: 2, scale: 0.1 },
} as Parameters<typeof parseExperiment>[0]));

export interface CeilingSources { fma: string; matmul: string; matmulReg: string; copy: string }
export interface Ceilings {
  /** GFLOP/s of a pure-FMA kernel, of a 1024³ matmul tiled in workgroup memory and in registers, and the faster */
  fma: number; matmulShared: number; matmulRegisters: number; matmul: number;
  /**
   * bytes per second a copy moves, counting what is read and what is written (the bytes model's
   * convention): the better of a compute-shader copy (`copyKernel`) and copyBufferToBuffer (`copyBuffer`,
   * which may run on a slower DMA engine)
   */
  copy: number; copyKernel: number; copyBuffer: number;
}

/**
 * The adapter's own ceilings: FMA (`fmaIters` per thread), an N³ matmul, and the copy bandwidth of a
 * `copyMiB` buffer. The defaults are the benchmark's; the kit's quick run asks for toy sizes.
 */
export async function ceilings(gpu: GPU, src: CeilingSources, rate: Rate, { copyMiB = 256, N = 1024, fmaIters = 4096 } = {}): Promise<Ceilings> {
  const { device, limits } = await acquireDevice(gpu, 'bench');
  const groups = 256, iters = fmaIters;
  const out = device.createBuffer({ size: groups * 256 * 4, usage: GPUBufferUsage.STORAGE });
  const fmaPipe = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: src.fma }), entryPoint: 'main', constants: { ITERS: iters } } });
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
  const mk = (usage: number) => device.createBuffer({ size: N * N * 4, usage });
  const A = mk(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST), B = mk(GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST), C = mk(GPUBufferUsage.STORAGE);
  // any data will do for timing; + − × ÷ only, like everything else that reaches a result
  const rnd = Float32Array.from({ length: N * N }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  device.queue.writeBuffer(A, 0, rnd);
  device.queue.writeBuffer(B, 0, rnd);
  const matmulRate = async (code: string) => {
    const pipe = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main', constants: { N } } });
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
  const shared = await matmulRate(src.matmul);
  const registers = await matmulRate(src.matmulReg);
  const bytes = Math.min(copyMiB * 2 ** 20, 2 ** 20 * Math.floor(limits.maxBufferSize / 2 ** 20));
  const from = device.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_SRC });
  const to = device.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_DST });
  const copies = await rate(async (k) => {
    const enc = device.createCommandEncoder();
    for (let i = 0; i < k; i++) enc.copyBufferToBuffer(from, 0, to, 0, bytes);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  }, 4096);
  const kernelBytes = Math.min(bytes, 2 ** 20 * Math.floor(limits.maxStorageBufferBindingSize / 2 ** 20));
  const a = device.createBuffer({ size: kernelBytes, usage: GPUBufferUsage.STORAGE }), b = device.createBuffer({ size: kernelBytes, usage: GPUBufferUsage.STORAGE });
  const copyPipe = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: src.copy }), entryPoint: 'main', constants: { WORDS4: kernelBytes / 16 } } });
  const copyBg = device.createBindGroup({ layout: copyPipe.getBindGroupLayout(0), entries: [a, b].map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const groups4 = Math.min(limits.maxComputeWorkgroupsPerDimension, Math.ceil(kernelBytes / 16 / 256 / 8));
  const kernelCopies = await rate(async (k) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(copyPipe);
    pass.setBindGroup(0, copyBg);
    for (let i = 0; i < k; i++) pass.dispatchWorkgroups(groups4);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  }, 4096);
  device.destroy();
  const gf = (r: number) => (r * 2 * N * N * N) / 1e9;
  return { fma: (fmaRate * groups * 256 * iters * 16) / 1e9, matmulShared: gf(shared), matmulRegisters: gf(registers), matmul: gf(Math.max(shared, registers)),
    copy: Math.max(copies * 2 * bytes, kernelCopies * 2 * kernelBytes), copyKernel: kernelCopies * 2 * kernelBytes, copyBuffer: copies * 2 * bytes,
  };
}

export interface Counters {
  K: number;
  recordEvery: number;
  hotLoop: { dispatchesPerIteration: number; yPassesPerIteration: number; submits: number; iterationsPerSubmit: number; readbacks: number };
  recordedRun: { dispatchesPerIteration: number; yPassesPerIteration: number; submitsPerIteration: number; readbacks: number };
}

/**
 * Hardware-independent counters on a small instance (the counts do not depend on the sizes): the hot loop
 * (`advance(K)`) and a recorded session of K iterations recording every 64.
 */
export async function counters(gpu: GPU, shaders: ShaderSources, K = 1024): Promise<Counters> {
  const every = 64;
  const inst = buildNodeInstance(parseExperiment({
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'factorization', rank: 4, generate: { seed: 1, n: 32, m: 64, trueRank: 4 } },
    network: { topology: 'ring', J: 8, weights: 'metropolis', lazy: true },
    algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: K, recordEvery: every },
    init: { seed: 2, scale: 0.1 },
  }));
  const hot = await GpuEngine.create({ gpu, shaders });
  await hot.load(inst);
  await hot.advance(K);
  await hot.sync();
  const h = { ...hot.counters };
  hot.destroy();
  const rec = await GpuEngine.create({ gpu, shaders });
  await runSession(rec, inst, { snapshotEveryMs: Infinity });
  const c = { ...rec.counters };
  rec.destroy();
  return {
    K, recordEvery: every,
    hotLoop: { dispatchesPerIteration: h.dispatches / K, yPassesPerIteration: h.yPasses / K, submits: h.submits, iterationsPerSubmit: K / h.submits, readbacks: h.readbacks },
    recordedRun: { dispatchesPerIteration: c.dispatches / K, yPassesPerIteration: c.yPasses / K, submitsPerIteration: c.submits / K, readbacks: c.readbacks },
  };
}
