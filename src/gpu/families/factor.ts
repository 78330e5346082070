/**
 * The WebGPU engine: the same Engine seam as the CPU reference, running DGD+LOCAL, classical DGD and
 * centralized GD on factorization problems as WGSL kernels, every node (and every trial of a batch) in
 * the same dispatches; matrix sensing, completion and robust PCA run through measured.ts on the
 * same buffers and bind groups. Per iteration: 3 dispatches (grams, factor_step, v_update), one pass over Y, no
 * readback; iterations are encoded `itersPerSubmit` to a command buffer. `metrics()` is one extra pass
 * over Y plus two small reductions and one readback of OUT_WORDS floats per trial.
 *
 * Device loss: the engine notices (device.lost or a failed map) and throws DeviceLostError; the Session
 * calls `recover()` (a new device, the instance uploaded again) and `restore()`s its last snapshot.
 */
import type { Instance, NodeInstance } from '../../core/build';
import type { State } from '../../core/dgd';
import type { MetricsRow } from '../../core/metrics';
import { type MeasuredObjective, supportMismatch } from '../../core/measured';
import type { FactorizationProblem } from '../../core/problem';
import { type Engine, GpuUnsupportedError, nodeInstance } from '../../core/engine-api';
import type { AcquiredDevice } from '../device';
import { DeviceHolder } from '../device-holder';
import { type KernelVariant, type ShaderSources, bindGroupLayout, pipeline } from '../kernels';
import {
  type DeviceLimits, type Layout, type TrialSpec, OUT_WORDS, buildTables, checkLimits, computeLayout, iterationBytes, paramsWords,
} from '../layout';
import {
  type MeasuredPipes, type MeasuredPlan, encodeMeasuredIteration, encodeMeasuredMetrics, isMeasured, measuredPlan,
} from './measured';

export interface GpuEngineOptions {
  gpu: GPU | undefined;
  shaders: ShaderSources;
  /** iterations encoded into one command buffer (≥ 64 keeps submits rare) */
  itersPerSubmit?: number;
  /** tighter limits than the device's (to test the limit errors on a large-limit adapter) */
  limits?: Partial<DeviceLimits>;
  /**
   * Benchmarks only: encode just these kernels of each factorization iteration, to time them one by one
   * (the GPU kit's per-kernel figures). The iterate is then meaningless.
   */
  only?: readonly FactorKernel[];
}

export type FactorKernel = 'grams' | 'step' | 'vUpdate';

/** Rows of r values → rows of rp values (zero columns appended), and back. */
function pad(a: Float32Array, r: number, rp: number): Float32Array {
  if (r === rp) return a;
  const rows = a.length / r, out = new Float32Array(rows * rp);
  for (let i = 0; i < rows; i++) out.set(a.subarray(i * r, (i + 1) * r), i * rp);
  return out;
}

function unpad(a: Float32Array, r: number, rp: number): Float32Array {
  if (r === rp) return a;
  const rows = a.length / rp, out = new Float32Array(rows * r);
  for (let i = 0; i < rows; i++) out.set(a.subarray(i * rp, i * rp + r), i * r);
  return out;
}

/**
 * The pipeline layout over the shared bind group layout, and the two bind groups an iteration alternates
 * between (U and V read from one buffer of each pair and written to the other, then swapped).
 */
function pingPong(device: GPUDevice, buffers: Resources['buffers'], label: string): { layout: GPUPipelineLayout; bindGroups: [GPUBindGroup, GPUBindGroup] } {
  const bgl = bindGroupLayout(device);
  const layout = device.createPipelineLayout({ label, bindGroupLayouts: [bgl] });
  const bg = (uIn: GPUBuffer, uOut: GPUBuffer, vIn: GPUBuffer, vOut: GPUBuffer, name: string) => device.createBindGroup({
    label: `GpuEngine.${name}`,
    layout: bgl,
    entries: [buffers.params, buffers.Y, uIn, uOut, vIn, vOut, buffers.P, buffers.tables, buffers.scratch]
      .map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  return { layout, bindGroups: [bg(buffers.U0, buffers.U1, buffers.V0, buffers.V1, 'bindGroup0'), bg(buffers.U1, buffers.U0, buffers.V1, buffers.V0, 'bindGroup1')] };
}

/** The buffers of a batch of T trials, sized in f32 words (Y holds the data: Y blocks, or 𝒜, masks, M). */
function createBuffers(device: GPUDevice, words: Record<'Y' | 'U' | 'V' | 'P' | 'tables' | 'scratch', number>, T: number): Resources['buffers'] {
  const S = GPUBufferUsage.STORAGE, D = GPUBufferUsage.COPY_DST, Src = GPUBufferUsage.COPY_SRC;
  const mk = (label: string, n: number, usage: number) =>
    device.createBuffer({ label: `GpuEngine.${label}`, size: Math.max(16, 4 * n), usage });
  return {
    params: mk('params', 16, GPUBufferUsage.UNIFORM | D),
    Y: mk('Y', words.Y, S | D),
    U0: mk('U0', words.U, S | D | Src),
    U1: mk('U1', words.U, S | D | Src),
    V0: mk('V0', words.V, S | D | Src),
    V1: mk('V1', words.V, S | D | Src),
    P: mk('P', words.P, S),
    tables: mk('tables', words.tables, S | D),
    scratch: mk('scratch', words.scratch, S | Src),
    readback: mk('readback', T * OUT_WORDS, GPUBufferUsage.MAP_READ | D),
  };
}

export { GpuUnsupportedError };

/** Counters that do not depend on the hardware (README, benchmarks). */
export interface GpuCounters {
  iterations: number;
  dispatches: number;
  submits: number;
  readbacks: number;
  /** passes over the whole data Y (each slot's block read once = one pass) */
  yPasses: number;
  /** bytes the factorization iterations moved, by the model of layout.ts iterationBytes (0 for the measured problems) */
  bytes: number;
}

type FactorPipes = Record<'grams' | 'step' | 'stepM' | 'vUpdate' | 'vUpdateM' | 'consU' | 'consV' | 'finalize', GPUComputePipeline>;

/** A loaded batch: factorization (its pipelines) or sensing / completion / RPCA (their plan and kernels). */
type Resources = {
  buffers: Record<'params' | 'Y' | 'U0' | 'U1' | 'V0' | 'V1' | 'P' | 'tables' | 'scratch' | 'readback', GPUBuffer>;
  bindGroups: [GPUBindGroup, GPUBindGroup];
} & ({ pipes: FactorPipes; measured: null } | { pipes: null; measured: { plan: MeasuredPlan; pipes: MeasuredPipes } });

/** A batch as the device will hold it (GpuEngine.plan). */
export type BatchPlan =
  | { instances: NodeInstance[]; L: Layout; measured: MeasuredPlan; trials?: undefined }
  | { instances: NodeInstance[]; L: Layout; measured?: undefined; trials: TrialSpec[] };

export class GpuEngine extends DeviceHolder<Resources> implements Engine {
  readonly kind = 'webgpu' as const;
  readonly counters: GpuCounters = { iterations: 0, dispatches: 0, submits: 0, readbacks: 0, yPasses: 0, bytes: 0 };
  private insts: NodeInstance[] = [];
  private L: Layout | null = null;
  private parity = 0;
  private iteration = 0;
  private readonly itersPerSubmit: number;

  private constructor(private readonly opts: GpuEngineOptions) {
    super({ name: 'GpuEngine', label: 'lowrank-lab', kernels: 'kernels', gpu: opts.gpu, limits: opts.limits });
    this.itersPerSubmit = Math.max(1, opts.itersPerSubmit ?? 256);
  }

  /** Acquire a device (throws NoAdapterError without one). */
  static async create(opts: GpuEngineOptions): Promise<GpuEngine> {
    const e = new GpuEngine(opts);
    await e.acquire();
    return e;
  }

  get layout(): Layout | null {
    return this.L;
  }

  private loaded(): { dev: AcquiredDevice; res: Resources; L: Layout } {
    const dev = this.need();
    if (!this.res || !this.L) throw new Error('GpuEngine: load() an instance first');
    return { dev, res: this.res, L: this.L };
  }

  async load(instance: Instance): Promise<void> {
    await this.loadBatch([instance]);
  }

  /**
   * The plan of a batch — its node instances, buffer layout and (factorization) trial tables, or the measured
   * family's plan — computed once from the instances and the device limits; check, loadBatch and a sweep's
   * chunking (src/engine/sweep.ts) all use it. Throws GpuUnsupportedError, GpuLimitError or RangeError (a
   * batch of mixed sizes). `pack = false` skips packing the measured data (a limits check only).
   */
  plan(all: Instance[], pack = true): BatchPlan {
    const instances = all.map((i) => nodeInstance(i, 'the WebGPU engine'));
    const first = instances[0];
    if (!first) throw new RangeError('a batch needs at least one instance');
    if (isMeasured(first.problem)) {
      const measured = measuredPlan(instances, this.limits, pack);
      return { instances, L: measured.L, measured };
    }
    const trials: TrialSpec[] = instances.map((inst) => {
      const p = inst.problem;
      if (p.kind !== 'factorization') throw new GpuUnsupportedError(`the WebGPU engine runs factorization, sensing, completion and robust PCA; "${p.kind}" runs on the CPU engine`);
      return { blocks: p.blocks, W: inst.W, mu: inst.stepsize, lambda: p.lambda };
    });
    const p0 = first.problem as FactorizationProblem;
    const classical = first.experiment.algorithm.name === 'dgd';
    for (const inst of instances) {
      const p = inst.problem as FactorizationProblem;
      if (p.n !== p0.n || p.r !== p0.r || p.partition.join() !== p0.partition.join() || (inst.experiment.algorithm.name === 'dgd') !== classical) {
        throw new RangeError('every trial of a batch needs the same n, r, partition and algorithm family');
      }
    }
    const L = computeLayout({ n: p0.n, r: p0.r, partition: p0.partition, classical, trials });
    checkLimits(L, this.limits);
    return { instances, L, trials };
  }

  /**
   * Throws what load() would throw for these trials (GpuUnsupportedError, GpuLimitError, RangeError)
   * without uploading anything: the engine choice falls back to the CPU on it.
   */
  check(all: Instance[]): void {
    this.plan(all, false);
  }

  /** T trials of the same sizes, advanced together (trial index as a dispatch dimension). */
  async loadBatch(all: Instance[]): Promise<void> {
    const plan = this.plan(all);
    this.releaseResources();
    this.insts = plan.instances;
    this.L = plan.L;
    this.res = await this.validated((device) => (plan.measured ? this.createMeasuredResources(device, plan.measured) : this.createResources(device, plan.L, plan.trials)));
    this.parity = 0;
    this.writeStates(plan.instances.map((i) => i.init));
    this.iteration = 0;
  }

  /**
   * The buffers of a batch filled with its parameters, tables and data, the two bind groups, and its
   * pipelines (`kernels` builds them with a kernel-variant → pipeline function over the shared layout).
   */
  private createBatch<P>(device: GPUDevice, words: Parameters<typeof createBuffers>[1], T: number,
    fill: { params: Uint32Array; tables: Uint32Array; data: Float32Array }, r: number,
    kernels: (k: (v: Omit<KernelVariant, 'r'>) => GPUComputePipeline) => P): { buffers: Resources['buffers']; bindGroups: Resources['bindGroups']; pipes: P } {
    const buffers = createBuffers(device, words, T);
    device.queue.writeBuffer(buffers.params, 0, fill.params);
    device.queue.writeBuffer(buffers.tables, 0, fill.tables);
    device.queue.writeBuffer(buffers.Y, 0, fill.data);
    const { layout, bindGroups } = pingPong(device, buffers, 'GpuEngine.pipelineLayout');
    const pipes = kernels((v) => pipeline(device, layout, this.opts.shaders, { ...v, r }));
    return { buffers, bindGroups, pipes };
  }

  private createResources(device: GPUDevice, L: Layout, trials: TrialSpec[]): Resources {
    // Y: each distinct data set once, node blocks in order (n×mⱼ row-major each)
    const Y = new Float32Array(L.words.Y);
    const seen = new Set<number>();
    trials.forEach((t, ti) => {
      const y = L.yIndex[ti];
      if (seen.has(y)) return;
      seen.add(y);
      t.blocks.forEach((B, j) => Y.set(B.data, y * L.n * L.m + L.n * L.offsets[j]));
    });
    const mix = L.classical;
    const batch = this.createBatch(device, L.words, L.T, { params: paramsWords(L), tables: buildTables(L, trials), data: Y }, L.rp, (k): FactorPipes => ({
      grams: k({ name: 'grams' }),
      step: k({ name: 'factor_step', constants: { METRICS: false } }),
      stepM: k({ name: 'factor_step', constants: { METRICS: true } }),
      vUpdate: k({ name: 'v_update', constants: { METRICS: false, MIX_V: mix } }),
      vUpdateM: k({ name: 'v_update', constants: { METRICS: true, MIX_V: mix } }),
      consU: k({ name: 'consensus', constants: { ON_V: false } }),
      consV: k({ name: 'consensus', constants: { ON_V: true } }),
      finalize: k({ name: 'finalize', constants: { MIX_V: mix } }),
    }));
    return { ...batch, measured: null };
  }

  /** Buffers, bind groups and pipelines of a measured batch (the factorization's bind group layout, P unused). */
  private createMeasuredResources(device: GPUDevice, plan: MeasuredPlan): Resources {
    const L = plan.L;
    const Q_ON = plan.q;
    const batch = this.createBatch(device, { ...L.words, P: 4, tables: plan.tables.length }, L.T, { params: plan.params, tables: plan.tables, data: plan.data! }, L.rp, (k): MeasuredPipes => ({
      grams: k({ name: 'grams' }),
      consensus: k({ name: 'consensus', constants: { ON_V: false } }),
      product: k({ name: 'm_product' }),
      senseApply: k({ name: 'm_sense_apply' }),
      senseAdjoint: k({ name: 'm_sense_adjoint' }),
      completeResidual: k({ name: 'm_complete_residual' }),
      rpcaResidual: k({ name: 'm_rpca_residual' }),
      rpcaThreshold: k({ name: 'm_rpca_threshold' }),
      rpcaApply: k({ name: 'm_rpca_apply' }),
      uStep: k({ name: 'm_u_step', constants: { METRICS: false, Q_ON } }),
      uStepM: k({ name: 'm_u_step', constants: { METRICS: true, Q_ON } }),
      vStep: k({ name: 'm_v_step', constants: { METRICS: false, Q_ON } }),
      vStepM: k({ name: 'm_v_step', constants: { METRICS: true, Q_ON } }),
      data: k({ name: 'm_data' }),
      finalize: k({ name: 'm_finalize' }),
    }));
    return { buffers: batch.buffers, bindGroups: batch.bindGroups, pipes: null, measured: { plan, pipes: batch.pipes } };
  }

  /** Encode iterations into `pass`: grams, factor_step, v_update per iteration, swapping the U/V buffers. */
  private encodeIterations(pass: GPUComputePassEncoder, res: Resources, L: Layout, k: number): void {
    if (res.measured) {
      for (let it = 0; it < k; it++) {
        pass.setBindGroup(0, res.bindGroups[this.parity]);
        this.counters.dispatches += encodeMeasuredIteration(pass, res.measured.plan, res.measured.pipes);
        this.parity ^= 1;
      }
      this.counters.yPasses += k;
      this.counters.iterations += k;
      return;
    }
    const d = L.dispatch;
    const only = this.opts.only;
    const on = (kernel: FactorKernel) => !only || only.includes(kernel);
    for (let it = 0; it < k; it++) {
      pass.setBindGroup(0, res.bindGroups[this.parity]);
      if (on('grams')) {
        pass.setPipeline(res.pipes.grams);
        pass.dispatchWorkgroups(...d.grams);
      }
      if (on('step')) {
        pass.setPipeline(res.pipes.step);
        pass.dispatchWorkgroups(...d.step);
      }
      if (on('vUpdate')) {
        pass.setPipeline(res.pipes.vUpdate);
        pass.dispatchWorkgroups(...d.vUpdate);
      }
      this.parity ^= 1;
    }
    this.counters.dispatches += (only?.length ?? 3) * k;
    this.counters.yPasses += k;
    this.counters.bytes += k * iterationBytes(L);
    this.counters.iterations += k;
  }

  async advance(iterations: number): Promise<void> {
    const { dev, res, L } = this.loaded();
    const device = dev.device;
    for (let done = 0; done < iterations; done += this.itersPerSubmit) {
      const k = Math.min(this.itersPerSubmit, iterations - done);
      const enc = device.createCommandEncoder({ label: 'GpuEngine.advance' });
      const pass = enc.beginComputePass({ label: 'GpuEngine.iterations' });
      this.encodeIterations(pass, res, L, k);
      pass.end();
      device.queue.submit([enc.finish()]);
      this.counters.submits++;
    }
    this.iteration += iterations;
  }

  /** Resolves when everything submitted so far has run (for timing; the session never needs it). */
  async sync(): Promise<void> {
    await this.need().device.queue.onSubmittedWorkDone();
  }

  async metrics(): Promise<MetricsRow> {
    return (await this.metricsBatch())[0];
  }

  /** The metrics of every trial at the current iterate: one submit, one readback of T·OUT_WORDS floats. */
  async metricsBatch(): Promise<MetricsRow[]> {
    const { dev, res, L } = this.loaded();
    const device = dev.device;
    const enc = device.createCommandEncoder({ label: 'GpuEngine.metrics' });
    const pass = enc.beginComputePass({ label: 'GpuEngine.metricsPass' });
    pass.setBindGroup(0, res.bindGroups[this.parity]);
    this.counters.dispatches += res.measured ? encodeMeasuredMetrics(pass, res.measured.plan, res.measured.pipes) : this.encodeFactorMetrics(pass, res.pipes, L);
    pass.end();
    enc.copyBufferToBuffer(res.buffers.scratch, 4 * L.scratch.outOff, res.buffers.readback, 0, 4 * L.T * OUT_WORDS);
    device.queue.submit([enc.finish()]);
    this.counters.yPasses += 1;
    this.counters.submits++;
    this.counters.readbacks++;
    const out = await this.mapRead(res.buffers.readback, 'reading results', L.T * OUT_WORDS);
    if (res.measured) return this.measuredRows(out);
    return this.insts.map((inst, t) => {
      const o = t * OUT_WORDS;
      return {
        iteration: this.iteration,
        objective: out[o],
        consensusError: out[o + 1],
        distributedObjective: out[o + 2],
        optimalityGap: out[o] - inst.problem.fStar,
        gradientNorm: out[o + 3],
        imbalance: out[o + 4],
      };
    });
  }

  /** The factorization metrics into `pass`: one more pass over Y with METRICS on, the consensus, the sums. Returns the dispatches. */
  private encodeFactorMetrics(pass: GPUComputePassEncoder, pipes: FactorPipes, L: Layout): number {
    const d = L.dispatch;
    const run = (p: GPUComputePipeline, shape: Layout['dispatch']['grams']) => {
      pass.setPipeline(p);
      pass.dispatchWorkgroups(...shape);
    };
    run(pipes.grams, d.grams);
    run(pipes.stepM, d.step);
    run(pipes.vUpdateM, d.vUpdate);
    run(pipes.consU, d.consensusU);
    if (L.classical) run(pipes.consV, d.consensusV);
    run(pipes.finalize, d.finalize);
    return L.classical ? 6 : 5;
  }

  /** Metric rows of a measured batch; planted RPCA's support mismatch from a snapshot, on the CPU. */
  private async measuredRows(out: Float32Array): Promise<MetricsRow[]> {
    const needSupport = this.insts.some((i) => i.problem.kind === 'rpca' && i.problem.Sstar);
    const states = needSupport ? (await this.snapshotBatch()).states : null;
    return this.insts.map((inst, t) => {
      const o = t * OUT_WORDS;
      const p = inst.problem;
      const row: MetricsRow = {
        iteration: this.iteration,
        objective: out[o],
        consensusError: out[o + 1],
        distributedObjective: out[o + 2],
        optimalityGap: out[o] - p.fStar,
        gradientNorm: out[o + 3],
        imbalance: out[o + 4],
        fittingError: out[o + 5],
      };
      if (isMeasured(p) && p.truth) row.optimalityError = out[o + 6];
      if (states && p.kind === 'rpca' && p.Sstar) {
        const obj = inst.objective as MeasuredObjective;
        const z = states[t], s = obj.sharedLen;
        const blocks = p.partition.map((mj, j) =>
          obj.sparse!(j, z.X.subarray(j * s, (j + 1) * s), z.Y.subarray(p.offsets[j] * p.r, (p.offsets[j] + mj) * p.r)));
        row.supportMismatch = supportMismatch(p, blocks);
      }
      return row;
    });
  }


  async snapshot(): Promise<{ state: State; iteration: number }> {
    const { states, iteration } = await this.snapshotBatch();
    return { state: states[0], iteration };
  }

  /** The full iterate of every trial, in the CPU engine's State layout (float32 values, widened). */
  async snapshotBatch(): Promise<{ states: State[]; iteration: number }> {
    const { dev, res, L } = this.loaded();
    const device = dev.device;
    const [U, V] = this.parity === 0 ? [res.buffers.U0, res.buffers.V0] : [res.buffers.U1, res.buffers.V1];
    const staging = device.createBuffer({ label: 'GpuEngine.snapshot', size: 4 * (L.words.U + L.words.V), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder({ label: 'GpuEngine.snapshot' });
    enc.copyBufferToBuffer(U, 0, staging, 0, 4 * L.words.U);
    enc.copyBufferToBuffer(V, 0, staging, 4 * L.words.U, 4 * L.words.V);
    device.queue.submit([enc.finish()]);
    this.counters.submits++;
    this.counters.readbacks++;
    let data: Float32Array;
    try {
      data = await this.mapRead(staging, 'reading the iterate', L.words.U + L.words.V);
    } finally {
      staging.destroy();
    }
    const { n, m, r, rp, J } = L;
    const u = unpad(data.subarray(0, L.words.U), r, rp), v = unpad(data.subarray(L.words.U), r, rp);
    const states = this.insts.map((_, t): State => {
      if (!L.classical) {
        return {
          X: Float64Array.from(u.subarray(t * J * n * r, (t + 1) * J * n * r)),
          Y: Float64Array.from(v.subarray(t * m * r, (t + 1) * m * r)),
        };
      }
      const s = (n + m) * r;
      const X = new Float64Array(J * s);
      for (let j = 0; j < J; j++) {
        const slot = t * J + j;
        X.set(u.subarray(slot * n * r, (slot + 1) * n * r), j * s);
        X.set(v.subarray(slot * m * r, (slot + 1) * m * r), j * s + n * r);
      }
      return { X, Y: new Float64Array(0) };
    });
    return { states, iteration: this.iteration };
  }

  async restore(state: State, iteration: number): Promise<void> {
    await this.restoreBatch([state], iteration);
  }

  async restoreBatch(states: State[], iteration: number): Promise<void> {
    this.loaded();
    if (states.length !== this.insts.length) throw new RangeError(`restore: ${states.length} states for ${this.insts.length} trials`);
    this.writeStates(states);
    this.iteration = iteration;
  }

  /** Upload iterates (CPU State layout) into the current U/V buffers. */
  private writeStates(states: State[]): void {
    const { dev, res, L } = this.loaded();
    const { n, m, r, J } = L;
    const U = new Float32Array((L.words.U / L.rp) * r), V = new Float32Array((L.words.V / L.rp) * r);
    states.forEach((z, t) => {
      if (!L.classical) {
        if (z.X.length !== J * n * r || z.Y.length !== m * r) throw new RangeError('restore: iterate does not match the loaded instance');
        U.set(z.X, t * J * n * r);
        V.set(z.Y, t * m * r);
        return;
      }
      const s = (n + m) * r;
      if (z.X.length !== J * s) throw new RangeError('restore: iterate does not match the loaded instance');
      for (let j = 0; j < J; j++) {
        const slot = t * J + j;
        U.set(z.X.subarray(j * s, j * s + n * r), slot * n * r);
        V.set(z.X.subarray(j * s + n * r, (j + 1) * s), slot * m * r);
      }
    });
    const [bu, bv] = this.parity === 0 ? [res.buffers.U0, res.buffers.V0] : [res.buffers.U1, res.buffers.V1];
    dev.device.queue.writeBuffer(bu, 0, pad(U, r, L.rp));
    dev.device.queue.writeBuffer(bv, 0, pad(V, r, L.rp));
  }

  protected async reload(): Promise<void> {
    if (this.insts.length) await this.loadBatch(this.insts);
  }
}
