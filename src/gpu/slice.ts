/**
 * A landscape slice's grid on the GPU (shaders/slice.wgsl): the quartic of 15 coefficients at every grid
 * point, float32, one dispatch and one readback. Same spec and layout as quarticGrid (src/core/slice.ts).
 */
import { type SliceSpec, checkSliceSpec } from '../core/slice';

/** The Params struct of slice.wgsl, field by field (4 bytes each). */
export const SLICE_PARAMS = [['a0', 'f32'], ['da', 'f32'], ['b0', 'f32'], ['db', 'f32'], ['na', 'u32'], ['nb', 'u32'], ['_pad0', 'u32'], ['_pad1', 'u32']] as const;

export function sliceParamsBytes(spec: SliceSpec): ArrayBuffer {
  const v: Record<string, number> = {
    a0: spec.a[0], da: (spec.a[1] - spec.a[0]) / (spec.na - 1), b0: spec.b[0], db: (spec.b[1] - spec.b[0]) / (spec.nb - 1),
    na: spec.na, nb: spec.nb, _pad0: 0, _pad1: 0,
  };
  const buf = new ArrayBuffer(4 * SLICE_PARAMS.length), view = new DataView(buf);
  SLICE_PARAMS.forEach(([name, type], k) => {
    if (type === 'f32') view.setFloat32(4 * k, v[name], true);
    else view.setUint32(4 * k, v[name], true);
  });
  return buf;
}

export async function quarticGridGpu(device: GPUDevice, source: string, coefficients: ArrayLike<number>, spec: SliceSpec): Promise<Float32Array> {
  checkSliceSpec(spec);
  const count = spec.na * spec.nb, bytes = 4 * count;
  const U = GPUBufferUsage;
  const params = device.createBuffer({ label: 'quarticGridGpu.params', size: 4 * SLICE_PARAMS.length, usage: U.UNIFORM | U.COPY_DST });
  const coef = device.createBuffer({ label: 'quarticGridGpu.coef', size: 60, usage: U.STORAGE | U.COPY_DST });
  const out = device.createBuffer({ label: 'quarticGridGpu.out', size: bytes, usage: U.STORAGE | U.COPY_SRC });
  const readback = device.createBuffer({ label: 'quarticGridGpu.readback', size: bytes, usage: U.MAP_READ | U.COPY_DST });
  try {
    device.pushErrorScope('validation');
    device.queue.writeBuffer(params, 0, sliceParamsBytes(spec));
    device.queue.writeBuffer(coef, 0, Float32Array.from(coefficients));
    const module = device.createShaderModule({ label: 'quarticGridGpu.module', code: source });
    const pipe = device.createComputePipeline({ label: 'quarticGridGpu.pipeline', layout: 'auto', compute: { module, entryPoint: 'slice_grid' } });
    const bg = device.createBindGroup({ label: 'quarticGridGpu.bindGroup', layout: pipe.getBindGroupLayout(0), entries: [params, coef, out].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const enc = device.createCommandEncoder({ label: 'quarticGridGpu.encoder' });
    const pass = enc.beginComputePass({ label: 'quarticGridGpu.pass' });
    pass.setPipeline(pipe);
    pass.setBindGroup(0, bg);
    pass.dispatchWorkgroups(Math.ceil(spec.na / 8), Math.ceil(spec.nb / 8));
    pass.end();
    enc.copyBufferToBuffer(out, 0, readback, 0, bytes);
    device.queue.submit([enc.finish()]);
    const err = await device.popErrorScope();
    if (err) throw new Error(`slice kernel: ${err.message}`);
    await readback.mapAsync(GPUMapMode.READ);
    const r = new Float32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    return r;
  } finally {
    params.destroy();
    coef.destroy();
    out.destroy();
    readback.destroy();
  }
}
