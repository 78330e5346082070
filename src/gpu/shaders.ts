/** The WGSL sources, bundled by Vite (`?raw`) for the app, the worker and the tests. */
import common from '../../shaders/common.wgsl?raw';
import grams from '../../shaders/grams.wgsl?raw';
import factorStep from '../../shaders/factor_step.wgsl?raw';
import vUpdate from '../../shaders/v_update.wgsl?raw';
import reduce from '../../shaders/reduce.wgsl?raw';
import hmf from '../../shaders/hmf.wgsl?raw';
import symmetric from '../../shaders/symmetric.wgsl?raw';
import measuredCommon from '../../shaders/measured_common.wgsl?raw';
import measuredResidual from '../../shaders/measured_residual.wgsl?raw';
import measuredStep from '../../shaders/measured_step.wgsl?raw';
import measuredReduce from '../../shaders/measured_reduce.wgsl?raw';
import type { ShaderSources } from './kernels';

export const shaderSources: ShaderSources = {
  common, grams, factorStep, vUpdate, reduce, hmf, symmetric, measuredCommon, measuredResidual, measuredStep, measuredReduce,
};
