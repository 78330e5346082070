/**
 * Pipelines of the factorization kernels. The WGSL of a kernel is `const R: u32 = <r>u;` + common.wgsl +
 * the kernel's file (the one-line substitution STYLE allows); boolean variants are WGSL `override`s.
 * The measured-problem kernels (sensing, completion, RPCA) also get measured_common.wgsl after common.wgsl.
 * Pipelines are cached per device under a key that names every specialisation.
 */
export interface ShaderSources {
  common: string;
  grams: string;
  factorStep: string;
  vUpdate: string;
  reduce: string;
  measuredCommon: string;
  measuredResidual: string;
  measuredStep: string;
  measuredReduce: string;
  /**
   * Every other file of shaders/ by the camelCase of its name: a one-file GPU family's under the family's
   * name (hmf.wgsl for src/gpu/families/hmf.ts, symmetric.wgsl for families/symmetric.ts)
   */
  [file: string]: string | undefined;
}

export type MeasuredKernelName = 'm_product' | 'm_sense_apply' | 'm_sense_adjoint' | 'm_complete_residual' | 'm_rpca_residual'
  | 'm_rpca_threshold' | 'm_rpca_apply' | 'm_u_step' | 'm_v_step' | 'm_data' | 'm_finalize';
export type KernelName = 'grams' | 'factor_step' | 'v_update' | 'consensus' | 'finalize' | MeasuredKernelName;

export interface KernelVariant {
  name: KernelName;
  r: number;
  constants?: Record<string, boolean>;
}

const FILE: Record<KernelName, keyof ShaderSources> = {
  grams: 'grams', factor_step: 'factorStep', v_update: 'vUpdate', consensus: 'reduce', finalize: 'reduce',
  m_product: 'measuredResidual', m_sense_apply: 'measuredResidual', m_sense_adjoint: 'measuredResidual',
  m_complete_residual: 'measuredResidual', m_rpca_residual: 'measuredResidual', m_rpca_threshold: 'measuredResidual',
  m_rpca_apply: 'measuredResidual', m_u_step: 'measuredStep', m_v_step: 'measuredStep', m_data: 'measuredReduce',
  m_finalize: 'measuredReduce',
};

export function kernelSource(src: ShaderSources, name: KernelName, r: number): string {
  const measured = name.startsWith('m_') ? `${src.measuredCommon}\n` : '';
  return `const R: u32 = ${r}u;\n${src.common}\n${measured}${src[FILE[name]]}`;
}

export function variantKey(v: KernelVariant): string {
  const c = Object.entries(v.constants ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, b]) => `${k}=${b}`).join(',');
  return `${v.name}|r=${v.r}|${c}`;
}

const caches = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** The one bind group layout all kernels share (bindings listed in shaders/common.wgsl). */
export function bindGroupLayout(device: GPUDevice): GPUBindGroupLayout {
  const storage = (type: GPUBufferBindingType): GPUBindGroupLayoutEntry['buffer'] => ({ type });
  const C = GPUShaderStage.COMPUTE;
  return device.createBindGroupLayout({
    label: 'factor.bindGroupLayout',
    entries: [
      { binding: 0, visibility: C, buffer: { type: 'uniform' } },
      { binding: 1, visibility: C, buffer: storage('read-only-storage') },
      { binding: 2, visibility: C, buffer: storage('read-only-storage') },
      { binding: 3, visibility: C, buffer: storage('storage') },
      { binding: 4, visibility: C, buffer: storage('read-only-storage') },
      { binding: 5, visibility: C, buffer: storage('storage') },
      { binding: 6, visibility: C, buffer: storage('storage') },
      { binding: 7, visibility: C, buffer: storage('read-only-storage') },
      { binding: 8, visibility: C, buffer: storage('storage') },
    ],
  });
}

export function pipeline(device: GPUDevice, layout: GPUPipelineLayout, src: ShaderSources, v: KernelVariant): GPUComputePipeline {
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = new Map()));
  const key = variantKey(v);
  let p = cache.get(key);
  if (!p) {
    const module = device.createShaderModule({ label: `factor.${key}`, code: kernelSource(src, v.name, v.r) });
    p = device.createComputePipeline({
      label: `factor.${key}`,
      layout,
      compute: { module, entryPoint: v.name, constants: Object.fromEntries(Object.entries(v.constants ?? {}).map(([k, b]) => [k, b ? 1 : 0])) },
    });
    cache.set(key, p);
  }
  return p;
}
