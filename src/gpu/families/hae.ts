/**
 * The WebGPU engine for HAE (Algorithm 2 of [H], SPEC §7.10), float32, behind the same Engine seam as the
 * float64 reference (src/core/hae.ts). The columns of all sources side by side are one dispatch dimension,
 * so a round is the same dispatches whatever N is: per encoder layer one forward (the shared and the unique
 * encoders together), the deflation, per decoder layer one forward, the loss's gradient, then per layer the
 * weights' gradients (every node's, z = source) and the gradient on its input, the deflation's backward,
 * AdamW with the server's average, and the powers β₁ᵗ, β₂ᵗ (shaders/hae.wgsl).
 *
 * HaeRoundPass owns the pipelines (one per layer and kernel: a layer's sizes and offsets are WGSL
 * `override`s) and records a round; HaeGpuEngine owns the device, the buffers and the submits.
 *
 * Metrics: the iterate is read back and measured by the float64 code of src/core (haeMetricsRow), so the
 * GPU's numbers are checked by the same formulas as the reference's.
 */
import type { Instance } from '../../core/build';
import type { State } from '../../core/dgd';
import { GpuUnsupportedError } from '../../core/engine-api';
import type { Engine } from '../../core/engine-api';
import type { HaeLayout, HaeProblem } from '../../core/hae';
import { haeMetricsRow, haeOf } from '../../core/hae-build';
import type { MetricsRow } from '../../core/metrics';
import type { AcquiredDevice } from '../device';
import { DeviceHolder } from '../device-holder';
import type { DeviceLimits } from '../layout';
import { packUniform, wgslStruct } from '../uniforms';

/** k ≤ 4: the deflation keeps k × k matrices in per-thread arrays of 16 (shaders/hae.wgsl). */
export const HAE_MAX_GROUPS = 4;

export interface HaeGpuOptions {
  gpu: GPU | undefined;
  /** shaders/hae.wgsl */
  shader: string;
  /** rounds encoded into one command buffer */
  roundsPerSubmit?: number;
  limits?: Partial<DeviceLimits>;
}

/** Offsets (f32 words) into the activation buffer `act` (see shaders/hae.wgsl), all width × m. */
export interface HaeActLayout {
  /** pre-activations of encoder layer l (the shared encoder's, then the unique encoders', each enc[l+1] × m) */
  encPre: number[];
  /** gradients on them */
  encGrad: number[];
  decPre: number[];
  decGrad: number[];
  EG: number;
  ED: number;
  Z: number;
  CW: number;
  DZ: number;
  DEMB: number;
  OUT: number;
  DOUT: number;
  words: number;
}

export function haeActLayout(L: HaeLayout, m: number, k: number): HaeActLayout {
  let o = 0;
  const take = (words: number) => {
    const at = o;
    o += words;
    return at;
  };
  const Le = L.enc.length - 1, Ld = L.dec.length - 1, r = L.enc[Le];
  const encPre = L.enc.slice(1).map((w) => take(2 * w * m));
  const encGrad = L.enc.slice(1).map((w) => take(2 * w * m));
  const decPre = L.dec.slice(1).map((w) => take(w * m));
  const decGrad = L.dec.slice(1).map((w) => take(w * m));
  const ED = take(r * m), Z = take(r * m), CW = take(2 * k * k * m), DZ = take(r * m);
  return { encPre, encGrad, decPre, decGrad, EG: encPre[Le - 1], ED, Z, CW, DZ, DEMB: encGrad[Le - 1], OUT: decPre[Ld - 1], DOUT: decGrad[Ld - 1], words: o };
}

type Kernel = 'dense_forward' | 'dense_input' | 'dense_weights' | 'deflate' | 'deflate_back' | 'loss_grad' | 'adam' | 'powers';

/** One dispatch of a round: the kernel, its override constants, and its workgroups in x, y, z. */
export interface HaeDispatch {
  kernel: Kernel;
  constants: Record<string, number>;
  groups: [number, number, number];
}

/** Where each layer's W starts inside its network's parameters. */
function weightOffsets(widths: number[]): number[] {
  const out: number[] = [];
  for (let l = 0, p = 0; l + 1 < widths.length; l++) {
    out.push(p);
    p += widths[l + 1] * widths[l] + widths[l + 1];
  }
  return out;
}

/** A round's dispatches in order (see the file comment); the workgroups have 64 threads but `powers`' one. */
export function haeDispatches(prob: HaeProblem, L: HaeLayout, m: number): HaeDispatch[] {
  const A = haeActLayout(L, m, prob.arch.k);
  const relu = prob.arch.activation === 'relu' ? 1 : 0;
  const g = (threads: number) => Math.ceil(threads / 64);
  const N = L.N, enc = L.enc, dec = L.dec, Le = enc.length - 1, Ld = dec.length - 1;
  const ew = weightOffsets(enc), dw = weightOffsets(dec);
  const out: HaeDispatch[] = [];
  const encLayer = (l: number) => ({
    FIN: enc[l], FOUT: enc[l + 1], W_OFF: ew[l], NET0: 0, IN_DATA: l === 0 ? 1 : 0, IN_RELU: l > 0 ? relu : 0,
    IN_OFF: l > 0 ? A.encPre[l - 1] : 0, IN_STRIDE: enc[l] * m, OUT_STRIDE: enc[l + 1] * m,
  });
  const decLayer = (l: number) => ({
    FIN: dec[l], FOUT: dec[l + 1], W_OFF: dw[l], NET0: 2, IN_DATA: 0, IN_RELU: l > 0 ? relu : 0,
    IN_OFF: l > 0 ? A.decPre[l - 1] : A.Z, IN_STRIDE: 0, OUT_STRIDE: 0,
  });
  const defl = { EG: A.EG, ED: A.ED, Z: A.Z, CW: A.CW, DZ: A.DZ, DEMB: A.DEMB };
  for (let l = 0; l < Le; l++) out.push({ kernel: 'dense_forward', constants: { ...encLayer(l), OUT_OFF: A.encPre[l] }, groups: [g(enc[l + 1] * m), 2, 1] });
  out.push({ kernel: 'deflate', constants: defl, groups: [g(m), 1, 1] });
  for (let l = 0; l < Ld; l++) out.push({ kernel: 'dense_forward', constants: { ...decLayer(l), OUT_OFF: A.decPre[l] }, groups: [g(dec[l + 1] * m), 1, 1] });
  out.push({ kernel: 'loss_grad', constants: { OUT: A.OUT, DOUT: A.DOUT }, groups: [g(prob.arch.d * m), 1, 1] });
  for (let l = Ld - 1; l >= 0; l--) {
    const c = { ...decLayer(l), OUT_OFF: A.decGrad[l] };
    out.push({ kernel: 'dense_weights', constants: c, groups: [g(dec[l + 1] * (dec[l] + 1)), 1, N] });
    out.push({ kernel: 'dense_input', constants: { ...c, DIN_OFF: l > 0 ? A.decGrad[l - 1] : A.DZ }, groups: [g(dec[l] * m), 1, 1] });
  }
  out.push({ kernel: 'deflate_back', constants: defl, groups: [g(m), 1, 1] });
  for (let l = Le - 1; l >= 0; l--) {
    const c = { ...encLayer(l), OUT_OFF: A.encGrad[l] };
    out.push({ kernel: 'dense_weights', constants: c, groups: [g(enc[l + 1] * (enc[l] + 1)), 2, N] });
    if (l > 0) out.push({ kernel: 'dense_input', constants: { ...c, DIN_OFF: A.encGrad[l - 1] }, groups: [g(enc[l] * m), 2, 1] });
  }
  out.push({ kernel: 'adam', constants: {}, groups: [g(L.Pg + L.Pv + N * L.Pg), 1, 1] });
  out.push({ kernel: 'powers', constants: {}, groups: [1, 1, 1] });
  return out;
}

/** The HAE run of an instance; any other instance is refused. */
function haeSetupOf(instance: Instance): { problem: HaeProblem; layout: HaeLayout } {
  const h = haeOf(instance);
  if (!h) throw new GpuUnsupportedError('the HAE WebGPU engine runs HAE (algorithm "hae") only');
  return h;
}

/** Sizes of the buffers, and a clear error when the problem does not fit this engine or this device. */
export function haeGpuSizes(prob: HaeProblem, L: HaeLayout, limits: DeviceLimits): { m: number; act: HaeActLayout; stateWords: number; dataWords: number; gradWords: number } {
  if (prob.arch.k > HAE_MAX_GROUPS) throw new GpuUnsupportedError(`groups k = ${prob.arch.k}: the HAE WebGPU engine keeps the deflation's k × k matrices in registers and handles k ≤ ${HAE_MAX_GROUPS}; use the CPU engine`);
  const m = prob.sources.reduce((a, s) => a + s.n, 0);
  const act = haeActLayout(L, m, prob.arch.k);
  const sizes = { m, act, stateWords: L.xLength + L.yLength, dataWords: 2 * prob.arch.d * m, gradWords: L.N * L.P };
  const biggest = 4 * Math.max(act.words, sizes.stateWords, sizes.dataWords, sizes.gradWords);
  const cap = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (biggest > cap) throw new GpuUnsupportedError(`the HAE activations need a ${(biggest / 2 ** 20).toFixed(1)} MiB buffer, above this device's limit of ${(cap / 2 ** 20).toFixed(1)} MiB; use the CPU engine, fewer columns or narrower layers`);
  const most = Math.max(...haeDispatches(prob, L, m).flatMap((d) => d.groups));
  if (most > limits.maxComputeWorkgroupsPerDimension) throw new GpuUnsupportedError(`the HAE dispatch needs ${most} workgroups in one dimension, above this device's ${limits.maxComputeWorkgroupsPerDimension}`);
  return sizes;
}

interface Resources {
  buffers: Record<'params' | 'cols' | 'data' | 'state' | 'act' | 'grad', GPUBuffer>;
  pass: HaeRoundPass;
}

/** The pipelines of one loaded problem and the recording of a round (one class per GPU pass, STYLE.md). */
export class HaeRoundPass {
  private readonly steps: { pipe: GPUComputePipeline; groups: [number, number, number] }[];
  private readonly bindGroup: GPUBindGroup;

  constructor(device: GPUDevice, shader: string, dispatches: HaeDispatch[], buffers: Resources['buffers']) {
    const bgl = device.createBindGroupLayout({
      label: 'HaeRoundPass.bindGroupLayout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        { binding: 1, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        { binding: 2, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' } },
        ...([3, 4, 5] as const).map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' as const } })),
      ],
    });
    const layout = device.createPipelineLayout({ label: 'HaeRoundPass.pipelineLayout', bindGroupLayouts: [bgl] });
    const module = device.createShaderModule({ label: 'HaeRoundPass.module', code: shader });
    const cache = new Map<string, GPUComputePipeline>();
    this.steps = dispatches.map((d) => {
      const key = `${d.kernel}|${Object.entries(d.constants).map(([k, v]) => `${k}=${v}`).join(',')}`;
      let pipe = cache.get(key);
      if (!pipe) {
        pipe = device.createComputePipeline({ label: `HaeRoundPass.${key}`, layout, compute: { module, entryPoint: d.kernel, constants: d.constants } });
        cache.set(key, pipe);
      }
      return { pipe, groups: d.groups };
    });
    this.bindGroup = device.createBindGroup({
      label: 'HaeRoundPass.bindGroup', layout: bgl,
      entries: [buffers.params, buffers.cols, buffers.data, buffers.state, buffers.act, buffers.grad].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  get dispatchesPerRound(): number {
    return this.steps.length;
  }

  /** One round into `pass`. */
  encode(pass: GPUComputePassEncoder): void {
    pass.setBindGroup(0, this.bindGroup);
    for (const s of this.steps) {
      pass.setPipeline(s.pipe);
      pass.dispatchWorkgroups(...s.groups);
    }
  }
}

export class HaeGpuEngine extends DeviceHolder<Resources> implements Engine {
  readonly kind = 'webgpu' as const;
  /** rounds, dispatches, submits and readbacks so far (hardware-independent counters) */
  readonly counters = { rounds: 0, dispatches: 0, submits: 0, readbacks: 0 };
  private inst: Instance | null = null;
  private stateWords = 0;
  private iteration = 0;

  private constructor(private readonly opts: HaeGpuOptions) {
    super({ name: 'HaeGpuEngine', label: 'lowrank-lab-hae', kernels: 'HAE kernels', gpu: opts.gpu, limits: opts.limits });
  }

  static async create(opts: HaeGpuOptions): Promise<HaeGpuEngine> {
    const e = new HaeGpuEngine(opts);
    await e.acquire();
    return e;
  }

  /** Throws what load() would throw (GpuUnsupportedError) without uploading anything. */
  check(instance: Instance): void {
    const h = haeSetupOf(instance);
    haeGpuSizes(h.problem, h.layout, this.limits);
  }

  private loaded(): { dev: AcquiredDevice; res: Resources; h: { problem: HaeProblem; layout: HaeLayout } } {
    const dev = this.need();
    if (!this.res || !this.inst) throw new Error('HaeGpuEngine: load() an HAE instance first');
    return { dev, res: this.res, h: haeSetupOf(this.inst) };
  }

  async load(instance: Instance): Promise<void> {
    const dev = this.need();
    const h = haeSetupOf(instance);
    const sizes = haeGpuSizes(h.problem, h.layout, this.limits);
    this.releaseResources();
    this.inst = instance;
    this.stateWords = sizes.stateWords;
    this.res = await this.validated((device) => this.createResources(device, h.problem, h.layout, sizes));
    dev.device.queue.writeBuffer(this.res.buffers.state, 0, packState(instance.init));
    this.iteration = 0;
  }

  private createResources(device: GPUDevice, prob: HaeProblem, L: HaeLayout, sizes: ReturnType<typeof haeGpuSizes>): Resources {
    const S = GPUBufferUsage.STORAGE, D = GPUBufferUsage.COPY_DST, Src = GPUBufferUsage.COPY_SRC;
    const mk = (label: string, words: number, usage: number) => device.createBuffer({ label: `HaeGpuEngine.${label}`, size: Math.max(16, 4 * words), usage });
    const { m } = sizes, d = prob.arch.d, N = L.N;
    const buffers: Resources['buffers'] = {
      params: mk('params', 32, GPUBufferUsage.UNIFORM | D),
      cols: mk('cols', 2 * N + m, S | D),
      data: mk('data', sizes.dataWords, S | D),
      state: mk('state', sizes.stateWords, S | D | Src),
      // (COPY_SRC: readWork, the parity tests' view of a round)
      act: mk('act', sizes.act.words, S | Src),
      grad: mk('grad', sizes.gradWords, S | Src),
    };
    const o = prob.opt;
    // the Params struct of shaders/hae.wgsl, field by field
    device.queue.writeBuffer(buffers.params, 0, packUniform(wgslStruct(this.opts.shader, 'Params'), {
      N, m, d, r: prob.arch.r, k: prob.arch.k, Pg: L.Pg, Pv: L.Pv, P: L.P, xLen: L.xLength, yM: L.yM, yV: L.yV, yPow: L.yPow,
      lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.epsilon, wd: o.weightDecay, invN: 1 / N,
    }));
    // columns side by side: X (d × m) and the training mask (1 where a source has no mask)
    const cols = new Uint32Array(2 * N + m), dataW = new Float32Array(sizes.dataWords);
    let j0 = 0;
    prob.sources.forEach((s, i) => {
      cols[2 * i] = j0;
      cols[2 * i + 1] = s.n;
      cols.fill(i, 2 * N + j0, 2 * N + j0 + s.n);
      for (let a = 0; a < d; a++) {
        for (let j = 0; j < s.n; j++) {
          dataW[a * m + j0 + j] = s.X[a * s.n + j];
          dataW[d * m + a * m + j0 + j] = s.mask ? s.mask[a * s.n + j] : 1;
        }
      }
      j0 += s.n;
    });
    device.queue.writeBuffer(buffers.cols, 0, cols);
    device.queue.writeBuffer(buffers.data, 0, dataW);
    return { buffers, pass: new HaeRoundPass(device, this.opts.shader, haeDispatches(prob, L, m), buffers) };
  }

  async advance(rounds: number): Promise<void> {
    const { dev, res } = this.loaded();
    const per = Math.max(1, this.opts.roundsPerSubmit ?? 16);
    for (let done = 0; done < rounds; done += per) {
      const k = Math.min(per, rounds - done);
      const enc = dev.device.createCommandEncoder({ label: 'HaeGpuEngine.advance' });
      const pass = enc.beginComputePass({ label: 'HaeGpuEngine.rounds' });
      for (let t = 0; t < k; t++) res.pass.encode(pass);
      pass.end();
      dev.device.queue.submit([enc.finish()]);
      this.counters.submits++;
      this.counters.dispatches += k * res.pass.dispatchesPerRound;
    }
    this.counters.rounds += rounds;
    this.iteration += rounds;
  }

  async metrics(): Promise<MetricsRow> {
    const { state, iteration } = await this.snapshot();
    const h = this.loaded().h;
    return haeMetricsRow(h.problem, h.layout, state, iteration);
  }

  async snapshot(): Promise<{ state: State; iteration: number }> {
    const { dev, res, h } = this.loaded();
    const device = dev.device;
    const staging = device.createBuffer({ label: 'HaeGpuEngine.snapshot', size: 4 * this.stateWords, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder({ label: 'HaeGpuEngine.snapshot' });
    enc.copyBufferToBuffer(res.buffers.state, 0, staging, 0, 4 * this.stateWords);
    device.queue.submit([enc.finish()]);
    this.counters.submits++;
    this.counters.readbacks++;
    try {
      const g = await this.mapRead(staging, 'reading the iterate');
      const x = h.layout.xLength;
      return { state: { X: Float64Array.from(g.subarray(0, x)), Y: Float64Array.from(g.subarray(x)) }, iteration: this.iteration };
    } finally {
      staging.destroy();
    }
  }

  async restore(state: State, iteration: number): Promise<void> {
    const { dev, res, h } = this.loaded();
    if (state.X.length !== h.layout.xLength || state.Y.length !== h.layout.yLength) throw new RangeError('restore: iterate does not match the loaded instance');
    dev.device.queue.writeBuffer(res.buffers.state, 0, packState(state));
    this.iteration = iteration;
  }

  /**
   * A work buffer as it is now (a test hook, for the parity tests): `act` holds the last round's activations
   * and their gradients (offsets: haeActLayout), `grad` every node's gradient at that round's weights.
   */
  async readWork(which: 'act' | 'grad'): Promise<Float32Array> {
    const { dev, res } = this.loaded();
    const src = res.buffers[which], device = dev.device;
    const staging = device.createBuffer({ label: `HaeGpuEngine.read.${which}`, size: src.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder({ label: `HaeGpuEngine.read.${which}` });
    enc.copyBufferToBuffer(src, 0, staging, 0, src.size);
    device.queue.submit([enc.finish()]);
    try {
      return await this.mapRead(staging, `reading ${which}`);
    } finally {
      staging.destroy();
    }
  }

  protected async reload(): Promise<void> {
    if (this.inst) await this.load(this.inst);
  }
}

/** The reference's iterate (X, Y) as the GPU's one f32 state buffer [X | Y]. */
function packState(z: State): Float32Array {
  const out = new Float32Array(z.X.length + z.Y.length);
  out.set(z.X, 0);
  out.set(z.Y, z.X.length);
  return out;
}
