/** The WGSL sources read from disk, for the Node CLI (which runs without Vite). */
import { readFileSync } from 'node:fs';
import type { ShaderSources } from './kernels';

const read = (name: string) => readFileSync(new URL(`../../shaders/${name}.wgsl`, import.meta.url), 'utf8');

export function loadShaderSources(): ShaderSources {
  return {
    common: read('common'), grams: read('grams'), factorStep: read('factor_step'), vUpdate: read('v_update'), reduce: read('reduce'),
    hmf: read('hmf'), symmetric: read('symmetric'), measuredCommon: read('measured_common'), measuredResidual: read('measured_residual'), measuredStep: read('measured_step'),
    measuredReduce: read('measured_reduce'),
  };
}
