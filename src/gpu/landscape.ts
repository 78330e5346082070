/**
 * The toy landscape on the GPU (shaders/landscape.wgsl): a toy's value and log10(g + ε) on an nu × nv grid,
 * one invocation per grid point; the toys' WGSL functions come from src/core/toys/registry.ts. Same spec and result layout as evaluateGridCpu (src/core/toy.ts), in
 * float32. The WGSL arrives as a string (the app: src/gpu/landscape-shader.ts, Vite `?raw`; Node: read
 * from disk), so this module runs in both. Pipelines are cached per device and per source text.
 */
import { type Grid, type GridSpec, checkGridSpec } from '../core/toy';
import { wgslName } from '../core/toys/kind';
import { TOYS, toyIndex } from '../core/toys/registry';

/** The Params struct of landscape.wgsl, field by field (each 4 bytes): the one table both sides follow. */
export const PARAMS_FIELDS = [
  ['u0', 'f32'], ['du', 'f32'], ['v0', 'f32'], ['dv', 'f32'],
  ['nu', 'u32'], ['nv', 'u32'], ['kind', 'u32'], ['mub', 'f32'],
  ['eps', 'f32'], ['_pad0', 'u32'], ['_pad1', 'u32'], ['_pad2', 'u32'],
] as const;
export type ParamsField = (typeof PARAMS_FIELDS)[number][0];

export const WORKGROUP = 8;

/** The uniform's bytes for `spec` (du, dv as in gridCoords: (last − first)/(n − 1)). */
export function paramsBytes(spec: GridSpec): ArrayBuffer {
  const values: Record<ParamsField, number> = {
    u0: spec.u[0], du: (spec.u[1] - spec.u[0]) / (spec.nu - 1),
    v0: spec.v[0], dv: (spec.v[1] - spec.v[0]) / (spec.nv - 1),
    nu: spec.nu, nv: spec.nv, kind: toyIndex(spec.kind), mub: spec.mub, eps: spec.eps,
    _pad0: 0, _pad1: 0, _pad2: 0,
  };
  const buf = new ArrayBuffer(4 * PARAMS_FIELDS.length), view = new DataView(buf);
  PARAMS_FIELDS.forEach(([name, type], k) => {
    if (type === 'f32') view.setFloat32(4 * k, values[name], true);
    else view.setUint32(4 * k, values[name], true);
  });
  return buf;
}

/** Workgroups along u and v. */
export function dispatchShape(spec: Pick<GridSpec, 'nu' | 'nv'>): [number, number] {
  return [Math.ceil(spec.nu / WORKGROUP), Math.ceil(spec.nv / WORKGROUP)];
}

/**
 * landscape.wgsl with every toy's function and `toy_g(kind, u, v, p)`, the switch on the toy's index that
 * the kernel calls.
 */
export function withToys(source: string): string {
  const cases = TOYS.map((t, k) => `    case ${k}u: { return ${wgslName(t)}(u, v, p); }`).join('\n');
  return [
    source,
    ...TOYS.map((t) => t.wgsl),
    `fn toy_g(kind: u32, u: f32, v: f32, p: f32) -> f32 {\n  switch kind {\n${cases}\n    default: { return 0.0; }\n  }\n}`,
  ].join('\n\n');
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** The landscape pass: its pipeline (cached per device and landscape.wgsl's text), and what one evaluation records. */
export class LandscapeKernel {
  readonly pipeline: GPUComputePipeline;

  constructor(readonly device: GPUDevice, source: string) {
    let cache = pipelines.get(device);
    if (!cache) pipelines.set(device, (cache = new Map()));
    let p = cache.get(source);
    if (!p) {
      const module = device.createShaderModule({ label: 'LandscapeKernel.module', code: withToys(source) });
      p = device.createComputePipeline({ label: 'LandscapeKernel.pipeline', layout: 'auto', compute: { module, entryPoint: 'landscape' } });
      cache.set(source, p);
    }
    this.pipeline = p;
  }

  /** Records the dispatch that fills `out` ([2][nv][nu] f32) from `params` (written from paramsBytes). */
  encode(encoder: GPUCommandEncoder, params: GPUBuffer, out: GPUBuffer, spec: GridSpec): void {
    const bindGroup = this.device.createBindGroup({
      label: 'LandscapeKernel.bindGroup',
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: params } }, { binding: 1, resource: { buffer: out } }],
    });
    const pass = encoder.beginComputePass({ label: 'LandscapeKernel.pass' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(...dispatchShape(spec));
    pass.end();
  }
}

/**
 * Evaluates the grid on `device` and reads it back (one dispatch, one readback). Buffers live for this
 * call only; validation and out-of-memory errors are caught in error scopes and thrown.
 */
export async function evaluateGridGpu(device: GPUDevice, spec: GridSpec, source: string): Promise<Grid> {
  checkGridSpec(spec);
  const count = spec.nu * spec.nv, bytes = 8 * count;
  const lim = device.limits;
  if (bytes > lim.maxStorageBufferBindingSize || bytes > lim.maxBufferSize) {
    throw new RangeError(`a ${spec.nu}×${spec.nv} grid needs ${bytes} bytes, above this device's storage limit ${Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize)}`);
  }
  if (Math.max(...dispatchShape(spec)) > lim.maxComputeWorkgroupsPerDimension) {
    throw new RangeError(`a ${spec.nu}×${spec.nv} grid needs more than ${lim.maxComputeWorkgroupsPerDimension} workgroups along one axis`);
  }
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const kernel = new LandscapeKernel(device, source);
  const U = GPUBufferUsage;
  const params = device.createBuffer({ label: 'evaluateGridGpu.params', size: 4 * PARAMS_FIELDS.length, usage: U.UNIFORM | U.COPY_DST });
  const out = device.createBuffer({ label: 'evaluateGridGpu.out', size: bytes, usage: U.STORAGE | U.COPY_SRC });
  const readback = device.createBuffer({ label: 'evaluateGridGpu.readback', size: bytes, usage: U.MAP_READ | U.COPY_DST });
  let popped = false;
  try {
    device.queue.writeBuffer(params, 0, paramsBytes(spec));
    const encoder = device.createCommandEncoder({ label: 'evaluateGridGpu.encoder' });
    kernel.encode(encoder, params, out, spec);
    encoder.copyBufferToBuffer(out, 0, readback, 0, bytes);
    device.queue.submit([encoder.finish()]);
    popped = true;
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    const err = validation ?? oom;
    if (err) throw new Error(`landscape kernel: ${err.message}`);
    await readback.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    return { spec, value: all.subarray(0, count), log: all.subarray(count) };
  } finally {
    if (!popped) {
      void device.popErrorScope();
      void device.popErrorScope();
    }
    params.destroy();
    out.destroy();
    readback.destroy();
  }
}
