/** The WGSL sources, bundled by Vite (`?raw`) for the app, the worker and the tests. */
import common from '../../shaders/common.wgsl?raw';
import grams from '../../shaders/grams.wgsl?raw';
import factorStep from '../../shaders/factor_step.wgsl?raw';
import vUpdate from '../../shaders/v_update.wgsl?raw';
import reduce from '../../shaders/reduce.wgsl?raw';
import hmf from '../../shaders/hmf.wgsl?raw';
import type { ShaderSources } from './kernels';

export const shaderSources: ShaderSources = { common, grams, factorStep, vUpdate, reduce, hmf };
