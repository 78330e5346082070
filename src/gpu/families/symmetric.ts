/**
 * The WebGPU engine for the symmetric PSD kinds (X = UUᵀ; src/core/problems/symmetric), float32, behind
 * the Engine seam: centralized GD (J = 1) and classical DGD (J nodes, each a copy Uʲ, no private block).
 * Every node is one row of the dispatch grid (node index = the y dimension), so an iteration is 2
 * dispatches for completion (sym_g_completion, sym_step) and 3 for sensing (sym_sense_res, sym_sense_g,
 * sym_step) and RPCA (sym_rpca_residual, sym_rpca_g, sym_step), whatever J is (shaders/symmetric.wgsl).
 * The data (P_Ω(M) and the mask, the sensing operators and b, or Mₒ) stay resident on the GPU.
 *
 * Runs: 'sym-completion' (with or without the incoherence regulariser Q), 'sym-sensing' and 'sym-rpca'
 * (each node's row/column top-k projection by rank counting, ties to the smaller index as in
 * projection.ts), with gd and dgd; anything else throws GpuUnsupportedError.
 *
 * Metrics: the iterate (J·n·r floats, never the data) is read back and measured by the float64 code of
 * src/core (computeMetrics + the kind's `measure`), as HmfGpuEngine does, so the GPU's numbers are checked
 * by the same formulas as the reference's.
 */
import { type Instance, type NodeInstance, makeAlgorithm } from '../../core/build';
import type { State } from '../../core/dgd';
import { computeMetrics, type MetricsRow } from '../../core/metrics';
import { type Engine, GpuUnsupportedError, nodeInstance } from '../../core/engine-api';
import type { SymmetricProblem } from '../../core/problems/symmetric/problem';
import { projectionBudgets } from '../../core/problems/symmetric/projection';
import type { AcquiredDevice } from '../device';
import { DeviceHolder } from '../device-holder';
import { packUniform, wgslStruct } from '../uniforms';
import type { DeviceLimits } from '../layout';

export interface SymmetricGpuOptions {
  gpu: GPU | undefined;
  /** shaders/symmetric.wgsl */
  shader: string;
  /** iterations encoded into one command buffer */
  itersPerSubmit?: number;
  limits?: Partial<DeviceLimits>;
}

export const SYMMETRIC_GPU_KINDS = ['sym-completion', 'sym-sensing', 'sym-rpca'] as const;
type SupportedProblem = Extract<SymmetricProblem, { kind: (typeof SYMMETRIC_GPU_KINDS)[number] }>;

export interface SymmetricGpuLayout {
  kind: SupportedProblem['kind'];
  n: number;
  r: number;
  J: number;
  /** J·n·r: the iterate */
  stateWords: number;
  dataWords: number;
  /** G (J×n×n) and the sensing residuals (p) */
  workWords: number;
  /** sensing: the largest per-node number of measurements (the x extent of sym_sense_res) */
  maxMeas: number;
  /** sensing: where b starts in data (after A) */
  resOff: number;
}

function supported(inst: Instance): SupportedProblem {
  const p = nodeInstance(inst, 'the symmetric WebGPU engine').problem;
  if (!('kind' in p) || !(SYMMETRIC_GPU_KINDS as readonly string[]).includes(p.kind)) {
    const k = 'kind' in p ? String(p.kind) : 'this problem';
    throw new GpuUnsupportedError(`the symmetric WebGPU engine runs sym-completion, sym-sensing and sym-rpca; "${k}" runs on the CPU engine`);
  }
  const alg = inst.experiment.algorithm as { name: string; perturb?: unknown };
  if (alg.name !== 'gd' && alg.name !== 'dgd') throw new GpuUnsupportedError(`the symmetric WebGPU engine runs gd and dgd, not "${alg.name}"`);
  if (alg.perturb) throw new GpuUnsupportedError('the symmetric WebGPU engine does not run perturbed gradient descent (algorithm.perturb); use the CPU engine');
  return p as SupportedProblem;
}

export function symmetricGpuLayout(inst: Instance): SymmetricGpuLayout {
  const p = supported(inst);
  const { n, r } = p, J = p.partition.length, nn = n * n;
  if (p.kind === 'sym-completion') {
    return { kind: p.kind, n, r, J, stateWords: J * n * r, dataWords: 2 * nn, workWords: J * nn, maxMeas: 0, resOff: 0 };
  }
  if (p.kind === 'sym-rpca') return { kind: p.kind, n, r, J, stateWords: J * n * r, dataWords: nn, workWords: 2 * J * nn, maxMeas: 0, resOff: 0 };
  const total = p.A.reduce((a, m) => a + m.rows, 0);
  return {
    kind: p.kind, n, r, J, stateWords: J * n * r, dataWords: total * nn + total, workWords: J * nn + total,
    maxMeas: Math.max(...p.A.map((m) => m.rows)), resOff: total * nn,
  };
}

/** A clear error when the problem does not fit this engine or this device. */
export function checkSymmetricLimits(L: SymmetricGpuLayout, limits: DeviceLimits): void {
  const biggest = 4 * Math.max(L.dataWords, L.stateWords, L.workWords);
  const cap = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (biggest > cap) {
    throw new GpuUnsupportedError(`the symmetric problem needs a ${(biggest / 2 ** 20).toFixed(1)} MiB buffer, above this device's limit of ${(cap / 2 ** 20).toFixed(1)} MiB; use the CPU engine`);
  }
  const groups = Math.max(...symmetricDispatches(L).map(([, x]) => x), L.J);
  if (groups > limits.maxComputeWorkgroupsPerDimension) {
    throw new GpuUnsupportedError(`the symmetric dispatch needs ${groups} workgroups in one dimension, above this device's ${limits.maxComputeWorkgroupsPerDimension}`);
  }
}

type Kernel = 'sym_g_completion' | 'sym_sense_res' | 'sym_sense_g' | 'sym_rpca_residual' | 'sym_rpca_g' | 'sym_step';
const KERNELS: Kernel[] = ['sym_g_completion', 'sym_sense_res', 'sym_sense_g', 'sym_rpca_residual', 'sym_rpca_g', 'sym_step'];
type Dispatch = [Kernel, number, number];

/** One iteration's dispatches, in order, as [kernel, workgroups in x, in y = J] (shaders/symmetric.wgsl). */
export function symmetricDispatches(L: SymmetricGpuLayout): Dispatch[] {
  const g64 = (v: number) => Math.max(1, Math.ceil(v / 64));
  const nn = L.n * L.n, step: Dispatch = ['sym_step', g64(L.n * L.r), L.J];
  if (L.kind === 'sym-completion') return [['sym_g_completion', g64(nn), L.J], step];
  if (L.kind === 'sym-rpca') return [['sym_rpca_residual', g64(nn), L.J], ['sym_rpca_g', g64(nn), L.J], step];
  return [['sym_sense_res', g64(L.maxMeas), L.J], ['sym_sense_g', g64(nn), L.J], step];
}

interface Resources {
  buffers: Record<'params' | 'tables' | 'data' | 'W' | 'S0' | 'S1' | 'work', GPUBuffer>;
  /** [0]: S0 → S1, [1]: S1 → S0 */
  bindGroups: [GPUBindGroup, GPUBindGroup];
  pipes: Record<Kernel, GPUComputePipeline>;
}

export class SymmetricGpuEngine extends DeviceHolder<Resources> implements Engine {
  readonly kind = 'webgpu' as const;
  /** dispatches, submits and readbacks so far (hardware-independent counters) */
  readonly counters = { iterations: 0, dispatches: 0, submits: 0, readbacks: 0 };
  private inst: NodeInstance | null = null;
  private L: SymmetricGpuLayout | null = null;
  private dispatches: Dispatch[] = [];
  private cur = 0;
  private iteration = 0;

  private constructor(private readonly opts: SymmetricGpuOptions) {
    super({ name: 'SymmetricGpuEngine', label: 'lowrank-lab-symmetric', kernels: 'symmetric kernels', gpu: opts.gpu, limits: opts.limits });
  }

  static async create(opts: SymmetricGpuOptions): Promise<SymmetricGpuEngine> {
    const e = new SymmetricGpuEngine(opts);
    await e.acquire();
    return e;
  }

  /** Throws what load() would throw (GpuUnsupportedError) without uploading anything. */
  check(inst: Instance): void {
    checkSymmetricLimits(symmetricGpuLayout(inst), this.limits);
  }

  private loaded(): { dev: AcquiredDevice; res: Resources; L: SymmetricGpuLayout; inst: NodeInstance } {
    const dev = this.need();
    if (!this.res || !this.L || !this.inst) throw new Error('SymmetricGpuEngine: load() a symmetric instance first');
    return { dev, res: this.res, L: this.L, inst: this.inst };
  }

  async load(instance: Instance): Promise<void> {
    const dev = this.need();
    const L = symmetricGpuLayout(instance);
    checkSymmetricLimits(L, this.limits);
    this.releaseResources();
    this.inst = nodeInstance(instance, 'the symmetric WebGPU engine');
    this.L = L;
    this.res = await this.validated((device) => this.createResources(device, L, this.inst!));
    this.dispatches = symmetricDispatches(L);
    this.cur = 0;
    dev.device.queue.writeBuffer(this.res.buffers.S0, 0, Float32Array.from(instance.init.X));
    this.iteration = 0;
  }

  private createResources(device: GPUDevice, L: SymmetricGpuLayout, inst: NodeInstance): Resources {
    const p = inst.problem as SupportedProblem;
    const S = GPUBufferUsage.STORAGE, D = GPUBufferUsage.COPY_DST, Src = GPUBufferUsage.COPY_SRC;
    const mk = (label: string, bytes: number, usage: number) => device.createBuffer({ label: `SymmetricGpuEngine.${label}`, size: Math.max(16, 4 * Math.ceil(bytes / 4)), usage });
    const buffers: Resources['buffers'] = {
      params: mk('params', 48, GPUBufferUsage.UNIFORM | D),
      tables: mk('tables', 16 * L.J, S | D),
      data: mk('data', 4 * L.dataWords, S | D),
      W: mk('W', 4 * L.J * L.J, S | D),
      S0: mk('S0', 4 * L.stateWords, S | D | Src),
      S1: mk('S1', 4 * L.stateWords, S | D | Src),
      work: mk('work', 4 * L.workWords, S),
    };
    const nn = L.n * L.n;
    // the Params struct of shaders/symmetric.wgsl, by name
    const v: Record<string, number> = {
      n: L.n, r: L.r, J: L.J, kind: L.kind === 'sym-completion' ? 0 : L.kind === 'sym-sensing' ? 1 : 2, mu: inst.stepsize,
      nn, maxMeas: L.maxMeas, resOff: L.resOff, qw: 0, qalpha: 0,
    };
    const tables = new Uint32Array(4 * L.J);
    const data = new Float32Array(L.dataWords);
    if (p.kind === 'sym-completion') {
      v.inv = 1 / p.pObs;
      v.qw = p.Q ? p.Q.lambda / L.J : 0;
      v.qalpha = p.Q ? p.Q.alpha : 0;
      for (let q = 0; q < nn; q++) {
        data[q] = p.mask[q] ? p.M.data[q] : 0;
        data[nn + q] = p.mask[q] ? 1 : 0;
      }
      p.partition.forEach((w, j) => tables.set([p.offsets[j], w, 0, 0], 4 * j));
    } else if (p.kind === 'sym-rpca') {
      v.inv = p.bound;
      data.set(p.M.data);
      p.partition.forEach((w, j) => {
        const { kRow, kCol } = projectionBudgets(L.n, w, p.alpha, p.gamma);
        tables.set([p.offsets[j], w, kRow, kCol], 4 * j);
      });
    } else {
      v.inv = 1 / p.total;
      let row = 0;
      p.A.forEach((A, j) => {
        tables.set([0, L.n, row, A.rows], 4 * j);
        data.set(A.data, row * nn);
        data.set(p.b[j], L.resOff + row);
        row += A.rows;
      });
    }
    device.queue.writeBuffer(buffers.params, 0, packUniform(wgslStruct(this.opts.shader, 'Params'), v));
    device.queue.writeBuffer(buffers.tables, 0, tables);
    device.queue.writeBuffer(buffers.data, 0, data);
    device.queue.writeBuffer(buffers.W, 0, Float32Array.from(inst.W.data));
    const bgl = device.createBindGroupLayout({
      label: 'SymmetricGpuEngine.bindGroupLayout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        ...([1, 2, 3, 4] as const).map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' as const } })),
        ...([5, 6] as const).map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' as const } })),
      ],
    });
    const layout = device.createPipelineLayout({ label: 'SymmetricGpuEngine.pipelineLayout', bindGroupLayouts: [bgl] });
    const module = device.createShaderModule({ label: 'SymmetricGpuEngine.symmetric', code: this.opts.shader });
    const pipes = Object.fromEntries(KERNELS.map((k) => [k, device.createComputePipeline({ label: `SymmetricGpuEngine.${k}`, layout, compute: { module, entryPoint: k } })])) as Resources['pipes'];
    const bg = (a: GPUBuffer, b: GPUBuffer, label: string) => device.createBindGroup({
      label: `SymmetricGpuEngine.${label}`, layout: bgl,
      entries: [buffers.params, buffers.tables, buffers.data, buffers.W, a, b, buffers.work].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return { buffers, bindGroups: [bg(buffers.S0, buffers.S1, 'S0toS1'), bg(buffers.S1, buffers.S0, 'S1toS0')], pipes };
  }

  async advance(iterations: number): Promise<void> {
    const { dev, res } = this.loaded();
    const per = Math.max(1, this.opts.itersPerSubmit ?? 64);
    for (let done = 0; done < iterations; done += per) {
      const k = Math.min(per, iterations - done);
      const enc = dev.device.createCommandEncoder({ label: 'SymmetricGpuEngine.advance' });
      const pass = enc.beginComputePass({ label: 'SymmetricGpuEngine.iterations' });
      for (let t = 0; t < k; t++) {
        pass.setBindGroup(0, res.bindGroups[this.cur]);
        for (const [kernel, x, y] of this.dispatches) {
          pass.setPipeline(res.pipes[kernel]);
          pass.dispatchWorkgroups(x, y);
        }
        this.counters.dispatches += this.dispatches.length;
        this.cur ^= 1;
      }
      pass.end();
      dev.device.queue.submit([enc.finish()]);
      this.counters.submits++;
    }
    this.counters.iterations += iterations;
    this.iteration += iterations;
  }

  async metrics(): Promise<MetricsRow> {
    const { state, iteration } = await this.snapshot();
    const inst = this.loaded().inst;
    return computeMetrics(inst, makeAlgorithm(inst), state, iteration);
  }

  async snapshot(): Promise<{ state: State; iteration: number }> {
    const { dev, res, L } = this.loaded();
    const device = dev.device;
    const staging = device.createBuffer({ label: 'SymmetricGpuEngine.snapshot', size: 4 * L.stateWords, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder({ label: 'SymmetricGpuEngine.snapshot' });
    enc.copyBufferToBuffer(this.cur === 0 ? res.buffers.S0 : res.buffers.S1, 0, staging, 0, 4 * L.stateWords);
    device.queue.submit([enc.finish()]);
    this.counters.submits++;
    this.counters.readbacks++;
    try {
      const g = await this.mapRead(staging, 'reading the iterate');
      return { state: { X: Float64Array.from(g), Y: new Float64Array(0) }, iteration: this.iteration };
    } finally {
      staging.destroy();
    }
  }

  async restore(state: State, iteration: number): Promise<void> {
    const { dev, res, L } = this.loaded();
    if (state.X.length !== L.stateWords || state.Y.length !== 0) throw new RangeError('restore: iterate does not match the loaded instance');
    dev.device.queue.writeBuffer(this.cur === 0 ? res.buffers.S0 : res.buffers.S1, 0, Float32Array.from(state.X));
    this.iteration = iteration;
  }

  protected async reload(): Promise<void> {
    if (this.inst) await this.load(this.inst);
  }
}
