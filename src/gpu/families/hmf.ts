/**
 * The WebGPU engine for HMF (SPEC §7, Algorithm 1), float32, behind the same Engine seam as the float64
 * reference (src/core/hmf.ts). Every source is one row of the dispatch grid (source index = the y
 * dimension), so a round is 6 dispatches (gram_g, grams_l, residual, grad_u, grad_v, average) plus 5 for
 * the correction step (gram_g, grams_l, rmat, correct_u, correct_v), whatever N is. The residual is
 * computed once a round and the gradients read it; factor rows are zero-padded to multiples of 4 and
 * read as vec4, a thread computing a 4 × 4 block (shaders/hmf.wgsl). The r₁×r₁ inverse of (7.5) is a
 * Gauss–Jordan in workgroup memory, so r₁ ≤ 32.
 *
 * Metrics: the iterate (the factors, never the data) is read back and measured by the float64 code of
 * src/core, so the GPU's numbers are checked by the same formulas as the reference's.
 */
import { type Instance, isNodeInstance } from '../../core/build';
import type { State } from '../../core/dgd';
import type { HmfSetup } from '../../core/hmf-build';
import { hmfMetricsRow } from '../../core/hmf-build';
import type { MetricsRow } from '../../core/metrics';
import type { Engine } from '../../core/engine-api';
import type { AcquiredDevice } from '../device';
import { DeviceHolder } from '../device-holder';
import { packUniform, wgslStruct } from '../uniforms';
import { GpuUnsupportedError } from '../../core/engine-api';
import type { DeviceLimits } from '../layout';

export const HMF_MAX_R1 = 32;

export interface HmfGpuOptions {
  gpu: GPU | undefined;
  /** shaders/hmf.wgsl */
  shader: string;
  /** rounds encoded into one command buffer */
  roundsPerSubmit?: number;
  limits?: Partial<DeviceLimits>;
}

/** Offsets (in f32 words) of the iterate and work buffers, and the checks against the device's limits. */
export interface HmfGpuLayout {
  N: number;
  n1: number;
  n2max: number;
  r1: number;
  r2: number;
  /** r₁ and r₂ rounded up to multiples of 4: the rows of every factor are that wide (zero-padded), so the
   * kernels read them as vec4 */
  r1p: number;
  r2p: number;
  m: number;
  offVg: number;
  offUl: number;
  offVl: number;
  stateWords: number;
  dataWords: number;
  /** where the masks start in data; 0 when every entry is observed (no mask is uploaded) */
  maskOff: number;
  /** E: the residual, at the offsets of M in data */
  work: { Gg: number; Ginv: number; C: number; Dl: number; R: number; E: number; words: number };
}

export function hmfGpuLayout(s: HmfSetup): HmfGpuLayout {
  const { data, params: p } = s;
  const N = data.sources.length, n1 = data.n1, r1p = 4 * Math.ceil(p.r1 / 4), r2p = 4 * Math.ceil(p.r2 / 4);
  const m = data.sources.reduce((a, x) => a + x.n2, 0);
  const offVg = n1 * r1p, offUl = offVg + m * r1p, offVl = offUl + N * n1 * r2p;
  const mWords = n1 * m;
  const Gg = N * n1 * r1p, Ginv = Gg + r1p * r1p, C = Ginv + r1p * r1p, Dl = C + N * r1p * r2p, R = Dl + N * r2p * r2p, E = R + N * r1p * r2p;
  return {
    N, n1, n2max: Math.max(...data.sources.map((x) => x.n2)), r1: p.r1, r2: p.r2, r1p, r2p, m, offVg, offUl, offVl, stateWords: offVl + m * r2p,
    ...(data.sources.some((x) => x.mask) ? { dataWords: 2 * mWords, maskOff: mWords } : { dataWords: mWords, maskOff: 0 }), work: { Gg, Ginv, C, Dl, R, E, words: E + mWords },
  };
}

/** A clear error when the problem does not fit this engine or this device. */
export function checkHmfLimits(L: HmfGpuLayout, limits: DeviceLimits): void {
  if (L.r1 > HMF_MAX_R1) throw new GpuUnsupportedError(`sharedRank r1 = ${L.r1}: the WebGPU engine inverts U_gᵀU_g in workgroup memory and handles r1 ≤ ${HMF_MAX_R1}; use the CPU engine`);
  const biggest = Math.max(L.dataWords, L.stateWords, L.work.words) * 4;
  if (biggest > Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize)) {
    throw new GpuUnsupportedError(`the HMF data needs a ${(biggest / 2 ** 20).toFixed(1)} MiB buffer, above this device's limit of ${(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / 2 ** 20).toFixed(1)} MiB; use the CPU engine or fewer sources`);
  }
  const d = hmfDispatches(L);
  const groups = Math.max(...[...d.step, ...d.correction].map(([, x]) => x), L.N);
  if (groups > limits.maxComputeWorkgroupsPerDimension || L.N > limits.maxComputeWorkgroupsPerDimension) {
    throw new GpuUnsupportedError(`the HMF dispatch needs ${groups} workgroups in one dimension, above this device's ${limits.maxComputeWorkgroupsPerDimension}`);
  }
}

/** Rows of width r (row-major) ⇄ rows of width rp ≥ r (zero-padded). */
function padRows(src: ArrayLike<number>, rows: number, r: number, rp: number, out: Float32Array, at: number): void {
  for (let a = 0; a < rows; a++) for (let k = 0; k < r; k++) out[at + a * rp + k] = src[a * r + k];
}
function unpadRows(g: Float32Array, at: number, rows: number, r: number, rp: number, out: Float64Array, to: number): void {
  for (let a = 0; a < rows; a++) for (let k = 0; k < r; k++) out[to + a * r + k] = g[at + a * rp + k];
}

/** CPU State (src/core/hmf.ts layout) ⇄ the GPU iterate [U_g | V_g | U_l | V_l], rows zero-padded to r1p / r2p. */
export function packHmfState(s: HmfSetup, L: HmfGpuLayout, z: State): Float32Array {
  const out = new Float32Array(L.stateWords);
  padRows(z.X, L.n1, L.r1, L.r1p, out, 0);
  let row = 0;
  s.data.sources.forEach((src, i) => {
    padRows(z.Y.subarray(s.layout.vg[i]), src.n2, L.r1, L.r1p, out, L.offVg + row * L.r1p);
    padRows(z.Y.subarray(s.layout.ul[i]), L.n1, L.r2, L.r2p, out, L.offUl + i * L.n1 * L.r2p);
    padRows(z.Y.subarray(s.layout.vl[i]), src.n2, L.r2, L.r2p, out, L.offVl + row * L.r2p);
    row += src.n2;
  });
  return out;
}

export function unpackHmfState(s: HmfSetup, L: HmfGpuLayout, g: Float32Array): State {
  const X = new Float64Array(L.n1 * L.r1);
  unpadRows(g, 0, L.n1, L.r1, L.r1p, X, 0);
  const Y = new Float64Array(s.layout.length);
  let row = 0;
  s.data.sources.forEach((src, i) => {
    unpadRows(g, L.offVg + row * L.r1p, src.n2, L.r1, L.r1p, Y, s.layout.vg[i]);
    unpadRows(g, L.offUl + i * L.n1 * L.r2p, L.n1, L.r2, L.r2p, Y, s.layout.ul[i]);
    unpadRows(g, L.offVl + row * L.r2p, src.n2, L.r2, L.r2p, Y, s.layout.vl[i]);
    row += src.n2;
  });
  return { X, Y };
}

type Dispatch = [Kernel, number, number];

/**
 * A round's dispatches, in order, as [kernel, workgroups in x, in y] (see shaders/hmf.wgsl): the step
 * (sIn → sOut) and the correction (back). The residual and gradient kernels give a thread a 4 × 4 block:
 * 4 rows × 4 columns of the residual, 4 rows × one vec4 of columns of a gradient.
 */
export function hmfDispatches(L: HmfGpuLayout): { step: Dispatch[]; correction: Dispatch[] } {
  const g64 = (n: number) => Math.ceil(n / 64), q = (n: number) => Math.ceil(n / 4);
  const c1 = L.r1p / 4, c2 = L.r2p / 4;
  const grams: Dispatch[] = [['hmf_gram_g', 1, 1], ['hmf_grams_l', g64(c1 * c2 + c2 * c2), L.N]];
  return {
    step: [
      ...grams, ['hmf_residual', g64(q(L.n1) * q(L.n2max)), L.N],
      ['hmf_grad_u', g64(q(L.n1) * (c1 + c2)), L.N], ['hmf_grad_v', g64(q(L.n2max) * (c1 + c2)), L.N], ['hmf_average', g64(L.n1 * L.r1p), 1],
    ],
    correction: [...grams, ['hmf_rmat', g64(L.N * L.r1p * L.r2p), 1], ['hmf_correct_u', g64(q(L.n1) * c2), L.N], ['hmf_correct_v', g64(q(L.n2max) * c1), L.N]],
  };
}

type Kernel = 'hmf_gram_g' | 'hmf_grams_l' | 'hmf_residual' | 'hmf_grad_u' | 'hmf_grad_v' | 'hmf_average' | 'hmf_rmat' | 'hmf_correct_u' | 'hmf_correct_v';
const KERNELS: Kernel[] = ['hmf_gram_g', 'hmf_grams_l', 'hmf_residual', 'hmf_grad_u', 'hmf_grad_v', 'hmf_average', 'hmf_rmat', 'hmf_correct_u', 'hmf_correct_v'];

interface Resources {
  buffers: Record<'params' | 'tables' | 'data' | 'S0' | 'S1' | 'work', GPUBuffer>;
  /** [0]: S0 → S1, [1]: S1 → S0 */
  bindGroups: [GPUBindGroup, GPUBindGroup];
  pipes: Record<Kernel, GPUComputePipeline>;
}

/**
 * Why the HMF WebGPU engine does not run an instance's algorithm, or null: it runs Algorithm 1 only; JIVE
 * and perPCA (src/core/hmf-baselines.ts: truncated SVDs, polar retractions) run on the CPU engine.
 */
export function hmfGpuRefusal(instance: Instance): string | null {
  const alg = instance.experiment.algorithm.name;
  if (alg === 'hmf') return null;
  const name = alg === 'jive' ? 'JIVE' : alg === 'perpca' ? 'perPCA' : `"${alg}"`;
  return `the HMF WebGPU engine runs HMF's Algorithm 1 only; ${name} (a rival of Table 2) runs in float64 on the CPU engine`;
}

/** The HMF problem of an instance; any other instance, or another algorithm on it, is refused. */
function hmfOf(instance: Instance): HmfSetup {
  if (isNodeInstance(instance) || instance.problem.kind !== 'hmf') throw new GpuUnsupportedError('the HMF WebGPU engine runs HMF experiments only');
  const refused = hmfGpuRefusal(instance);
  if (refused) throw new GpuUnsupportedError(refused);
  return instance.problem;
}

export class HmfGpuEngine extends DeviceHolder<Resources> implements Engine {
  readonly kind = 'webgpu' as const;
  /** dispatches, submits and readbacks so far (hardware-independent counters) */
  readonly counters = { rounds: 0, dispatches: 0, submits: 0, readbacks: 0 };
  private inst: Instance | null = null;
  private L: HmfGpuLayout | null = null;
  /** the loaded instance's round (hmfDispatches) */
  private dispatches: ReturnType<typeof hmfDispatches> | null = null;
  /** which state buffer holds the current iterate */
  private cur = 0;
  private iteration = 0;

  private constructor(private readonly opts: HmfGpuOptions) {
    super({ name: 'HmfGpuEngine', label: 'lowrank-lab-hmf', kernels: 'HMF kernels', gpu: opts.gpu, limits: opts.limits });
  }

  static async create(opts: HmfGpuOptions): Promise<HmfGpuEngine> {
    const e = new HmfGpuEngine(opts);
    await e.acquire();
    return e;
  }

  private loaded(): { dev: AcquiredDevice; res: Resources; L: HmfGpuLayout; setup: HmfSetup } {
    const dev = this.need();
    if (!this.res || !this.L || !this.inst) throw new Error('HmfGpuEngine: load() an HMF instance first');
    return { dev, res: this.res, L: this.L, setup: hmfOf(this.inst) };
  }

  /** Throws what load() would throw (GpuUnsupportedError) without uploading anything. */
  check(instance: Instance): void {
    checkHmfLimits(hmfGpuLayout(hmfOf(instance)), this.limits);
  }

  async load(instance: Instance): Promise<void> {
    const dev = this.need();
    const s = hmfOf(instance);
    const L = hmfGpuLayout(s);
    checkHmfLimits(L, this.limits);
    this.releaseResources();
    this.inst = instance;
    this.L = L;
    this.res = await this.validated((device) => this.createResources(device, L, s));
    this.dispatches = hmfDispatches(L);
    this.cur = 0;
    dev.device.queue.writeBuffer(this.res.buffers.S0, 0, packHmfState(s, L, instance.init));
    this.iteration = 0;
  }

  private createResources(device: GPUDevice, L: HmfGpuLayout, s: HmfSetup): Resources {
    const S = GPUBufferUsage.STORAGE, D = GPUBufferUsage.COPY_DST, Src = GPUBufferUsage.COPY_SRC;
    const mk = (label: string, bytes: number, usage: number) => device.createBuffer({ label: `HmfGpuEngine.${label}`, size: Math.max(16, bytes), usage });
    const buffers: Resources['buffers'] = {
      params: mk('params', 64, GPUBufferUsage.UNIFORM | D),
      tables: mk('tables', 16 * L.N, S | D),
      data: mk('data', 4 * L.dataWords, S | D),
      S0: mk('S0', 4 * L.stateWords, S | D | Src),
      S1: mk('S1', 4 * L.stateWords, S | D | Src),
      work: mk('work', 4 * L.work.words, S),
    };
    const p = s.params;
    // the Params struct of shaders/hmf.wgsl, field by field
    const u = packUniform(wgslStruct(this.opts.shader, 'Params'), {
      N: L.N, n1: L.n1, n2max: L.n2max, maskOff: L.maskOff, eta: p.eta, beta: p.beta, invN: 1 / L.N,
      offVg: L.offVg, offUl: L.offUl, offVl: L.offVl,
      wGg: L.work.Gg, wGinv: L.work.Ginv, wC: L.work.C, wDl: L.work.Dl, wR: L.work.R, wE: L.work.E,
    });
    device.queue.writeBuffer(buffers.params, 0, u);
    const tables = new Uint32Array(4 * L.N);
    const dataW = new Float32Array(L.dataWords);
    let mOff = 0, row = 0;
    s.data.sources.forEach((src, i) => {
      tables.set([mOff, src.n2, row, 0], 4 * i);
      dataW.set(src.M, mOff);
      // masks only when something is missing somewhere (maskOff > 0); a source without one observes all
      if (L.maskOff && src.mask) dataW.set(src.mask, L.maskOff + mOff);
      else if (L.maskOff) dataW.fill(1, L.maskOff + mOff, L.maskOff + mOff + src.M.length);
      mOff += src.M.length;
      row += src.n2;
    });
    device.queue.writeBuffer(buffers.tables, 0, tables);
    device.queue.writeBuffer(buffers.data, 0, dataW);
    const bgl = device.createBindGroupLayout({
      label: 'HmfGpuEngine.bindGroupLayout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        ...([1, 2, 3, 6] as const).map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' as const } })),
        ...([4, 5] as const).map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' as const } })),
      ],
    });
    const layout = device.createPipelineLayout({ label: 'HmfGpuEngine.pipelineLayout', bindGroupLayouts: [bgl] });
    const module = device.createShaderModule({ label: `HmfGpuEngine.module r1=${L.r1} r2=${L.r2}`, code: hmfKernelSource(this.opts.shader, L) });
    const pipes = Object.fromEntries(KERNELS.map((k) => [k, device.createComputePipeline({ label: `HmfGpuEngine.${k}`, layout, compute: { module, entryPoint: k } })])) as Resources['pipes'];
    const bg = (a: GPUBuffer, b: GPUBuffer, label: string) => device.createBindGroup({
      label: `HmfGpuEngine.${label}`, layout: bgl,
      // binding 6: the iterate again, read as vec4 rows
      entries: [buffers.params, buffers.tables, buffers.data, a, b, buffers.work, a].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return { buffers, bindGroups: [bg(buffers.S0, buffers.S1, 'S0toS1'), bg(buffers.S1, buffers.S0, 'S1toS0')], pipes };
  }

  /** One round into `pass`: the step (sIn → sOut), then with the correction step on the correction (back). */
  private encodeRound(pass: GPUComputePassEncoder, res: Resources, correction: boolean): void {
    const { step, correction: back } = this.dispatches!;
    for (const part of correction ? [step, back] : [step]) {
      pass.setBindGroup(0, res.bindGroups[this.cur]);
      for (const [k, x, y] of part) {
        pass.setPipeline(res.pipes[k]);
        pass.dispatchWorkgroups(x, y);
      }
      this.counters.dispatches += part.length;
      this.cur ^= 1;
    }
  }

  async advance(rounds: number): Promise<void> {
    const { dev, res, setup } = this.loaded();
    const per = Math.max(1, this.opts.roundsPerSubmit ?? 64);
    for (let done = 0; done < rounds; done += per) {
      const k = Math.min(per, rounds - done);
      const enc = dev.device.createCommandEncoder({ label: 'HmfGpuEngine.advance' });
      const pass = enc.beginComputePass({ label: 'HmfGpuEngine.rounds' });
      for (let t = 0; t < k; t++) this.encodeRound(pass, res, setup.params.correction);
      pass.end();
      dev.device.queue.submit([enc.finish()]);
      this.counters.submits++;
    }
    this.counters.rounds += rounds;
    this.iteration += rounds;
  }

  async metrics(): Promise<MetricsRow> {
    const { state, iteration } = await this.snapshot();
    return hmfMetricsRow(this.loaded().setup, state, iteration);
  }

  async snapshot(): Promise<{ state: State; iteration: number }> {
    const { dev, res, L, setup } = this.loaded();
    const device = dev.device;
    const staging = device.createBuffer({ label: 'HmfGpuEngine.snapshot', size: 4 * L.stateWords, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder({ label: 'HmfGpuEngine.snapshot' });
    enc.copyBufferToBuffer(this.cur === 0 ? res.buffers.S0 : res.buffers.S1, 0, staging, 0, 4 * L.stateWords);
    device.queue.submit([enc.finish()]);
    this.counters.submits++;
    this.counters.readbacks++;
    try {
      const g = await this.mapRead(staging, 'reading the iterate');
      return { state: unpackHmfState(setup, L, g), iteration: this.iteration };
    } finally {
      staging.destroy();
    }
  }

  async restore(state: State, iteration: number): Promise<void> {
    const { dev, res, L, setup } = this.loaded();
    if (state.X.length !== L.n1 * L.r1 || state.Y.length !== setup.layout.length) throw new RangeError('restore: iterate does not match the loaded instance');
    dev.device.queue.writeBuffer(this.cur === 0 ? res.buffers.S0 : res.buffers.S1, 0, packHmfState(setup, L, state));
    this.iteration = iteration;
  }

  protected async reload(): Promise<void> {
    if (this.inst) await this.load(this.inst);
  }
}

/** The WGSL of the HMF kernels: the ranks as constants (the one-line substitution STYLE allows) + shaders/hmf.wgsl. */
export function hmfKernelSource(shader: string, L: Pick<HmfGpuLayout, 'r1' | 'r1p' | 'r2p'>): string {
  return `const R1: u32 = ${L.r1p}u;\nconst R2: u32 = ${L.r2p}u;\nconst G1: u32 = ${L.r1}u;\n${shader}`;
}
