/**
 * The Hessian–vector product of g on the GPU (shaders/hvp.wgsl), float32, for DGD+LOCAL and centralized
 * GD on factorization problems, and Lanczos driven by it (src/core/lanczos.ts runs on the CPU, each
 * product is one submit and one readback). Y, the node table and the coupling w̃ⱼᵢ/μ are uploaded once;
 * `apply` writes (U, V) and (dU, dV), dispatches hvp_u and hvp_v and reads (out_U, out_V) back.
 * The WGSL arrives as a string (the app: src/gpu/curvature-shaders.ts, Vite `?raw`; Node: from disk).
 */
import type { NodeInstance } from '../../core/build';
import type { State } from '../../core/dgd';
import { Lanczos, type LanczosOptions, type LanczosResult } from '../../core/lanczos';

export const HVP_WORKGROUP = 64;
export const HVP_MAX_R = 64;

/** The node table of hvp.wgsl: [J][3] (first V row, mⱼ, offset of Yⱼ), then the node of every V row. */
export function hvpNodeTable(partition: readonly number[], n: number): Uint32Array {
  const J = partition.length, m = partition.reduce((a, b) => a + b, 0);
  const t = new Uint32Array(3 * J + m);
  let row = 0, y = 0;
  partition.forEach((mj, j) => {
    t.set([row, mj, y], 3 * j);
    for (let c = 0; c < mj; c++) t[3 * J + row + c] = j;
    row += mj;
    y += n * mj;
  });
  return t;
}

export class GpuHvp {
  private readonly buffers: GPUBuffer[] = [];
  private readonly X: GPUBuffer;
  private readonly V: GPUBuffer;
  private readonly out: GPUBuffer;
  private readonly readback: GPUBuffer;
  private readonly bindGroup: GPUBindGroup;
  private readonly pipes: { u: GPUComputePipeline; v: GPUComputePipeline };
  readonly n: number;
  readonly r: number;
  readonly J: number;
  readonly m: number;

  constructor(readonly device: GPUDevice, source: string, inst: NodeInstance) {
    const p = inst.problem;
    const alg = inst.experiment.algorithm.name;
    if (p.kind !== 'factorization' || alg === 'dgd') throw new RangeError('the GPU Hessian–vector product covers DGD+LOCAL and centralized GD on factorization problems');
    if (p.r > HVP_MAX_R) throw new RangeError(`the GPU Hessian–vector product needs r ≤ ${HVP_MAX_R}, got ${p.r}`);
    const { n, r, m } = p;
    const J = inst.objective.J;
    this.n = n; this.r = r; this.J = J; this.m = m;
    const partition = alg === 'gd' ? [m] : p.partition;
    const blocks = alg === 'gd' ? [p.Y] : p.blocks;
    const U = GPUBufferUsage;
    const make = (label: string, size: number, usage: number) => {
      const b = device.createBuffer({ label: `GpuHvp.${label}`, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
      this.buffers.push(b);
      return b;
    };
    const params = make('params', 16, U.UNIFORM | U.COPY_DST);
    device.queue.writeBuffer(params, 0, new Uint32Array([n, r, J, m]));
    const table = hvpNodeTable(partition, n);
    const nodes = make('nodes', table.byteLength, U.STORAGE | U.COPY_DST);
    device.queue.writeBuffer(nodes, 0, table);
    const yAll = new Float32Array(n * m);
    let o = 0;
    for (const b of blocks) {
      yAll.set(b.data, o);
      o += b.data.length;
    }
    const Y = make('Y', yAll.byteLength, U.STORAGE | U.COPY_DST);
    device.queue.writeBuffer(Y, 0, yAll);
    const c = new Float32Array(J * J);
    for (let j = 0; j < J; j++) for (let i = 0; i < J; i++) if (i !== j) c[j * J + i] = inst.W.data[j * J + i] / inst.stepsize;
    const coup = make('coup', c.byteLength, U.STORAGE | U.COPY_DST);
    device.queue.writeBuffer(coup, 0, c);
    this.X = make('X', 8 * J * n * r, U.STORAGE | U.COPY_DST);
    this.V = make('V', 8 * m * r, U.STORAGE | U.COPY_DST);
    const outBytes = 4 * (J * n * r + m * r);
    this.out = make('out', outBytes, U.STORAGE | U.COPY_SRC);
    this.readback = make('readback', outBytes, U.MAP_READ | U.COPY_DST);
    const module = device.createShaderModule({ label: 'GpuHvp.module', code: source });
    const layout = device.createBindGroupLayout({
      label: 'GpuHvp.bindGroupLayout',
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        ...[1, 2, 3, 4, 5].map((binding) => ({ binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'read-only-storage' as const } })),
        { binding: 6, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'storage' } },
      ],
    });
    const pl = device.createPipelineLayout({ label: 'GpuHvp.pipelineLayout', bindGroupLayouts: [layout] });
    this.pipes = {
      u: device.createComputePipeline({ label: 'GpuHvp.hvp_u', layout: pl, compute: { module, entryPoint: 'hvp_u' } }),
      v: device.createComputePipeline({ label: 'GpuHvp.hvp_v', layout: pl, compute: { module, entryPoint: 'hvp_v' } }),
    };
    this.bindGroup = device.createBindGroup({
      label: 'GpuHvp.bindGroup', layout,
      entries: [params, nodes, Y, this.X, this.V, coup, this.out].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /** ∇²g(z)[dz] in float32, read back as float64 arrays in the layout of State. */
  async apply(z: State, dz: State): Promise<State> {
    const { device } = this;
    const nrJ = this.J * this.n * this.r, mr = this.m * this.r;
    const x = new Float32Array(2 * nrJ), v = new Float32Array(2 * mr);
    x.set(z.X);
    x.set(dz.X, nrJ);
    v.set(z.Y);
    v.set(dz.Y, mr);
    device.queue.writeBuffer(this.X, 0, x);
    device.queue.writeBuffer(this.V, 0, v);
    device.pushErrorScope('validation');
    const enc = device.createCommandEncoder({ label: 'GpuHvp.encoder' });
    const pass = enc.beginComputePass({ label: 'GpuHvp.pass' });
    pass.setBindGroup(0, this.bindGroup);
    pass.setPipeline(this.pipes.u);
    pass.dispatchWorkgroups(Math.ceil(this.n / HVP_WORKGROUP), this.J);
    pass.setPipeline(this.pipes.v);
    pass.dispatchWorkgroups(Math.ceil(this.m / HVP_WORKGROUP));
    pass.end();
    enc.copyBufferToBuffer(this.out, 0, this.readback, 0, 4 * (nrJ + mr));
    device.queue.submit([enc.finish()]);
    const err = await device.popErrorScope();
    if (err) throw new Error(`hvp kernel: ${err.message}`);
    await this.readback.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    return { X: Float64Array.from(all.subarray(0, nrJ)), Y: Float64Array.from(all.subarray(nrJ)) };
  }

  /** λ_min / λ_max of ∇²g(z) by Lanczos (float64 on the CPU) on GPU products. */
  async lanczos(z: State, opts: LanczosOptions = {}): Promise<LanczosResult> {
    const xLen = z.X.length, N = xLen + z.Y.length;
    const lz = new Lanczos(N, opts);
    while (!lz.done) {
      const q = lz.q;
      const h = await this.apply(z, { X: q.subarray(0, xLen), Y: q.subarray(xLen) });
      const w = new Float64Array(N);
      w.set(h.X);
      w.set(h.Y, xLen);
      lz.push(w);
    }
    return lz.result();
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
  }
}
