// The HMF WebGPU engine in Node through Dawn (SwiftShader here). No adapter is a failure, never a skip.
import { afterAll, beforeAll } from 'vitest';
import { HmfGpuEngine } from '../../src/gpu/families/hmf';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { shaderSources } from '../../src/gpu/shaders';
import { hmfEngineSuite } from './hmf-suite';

let g: NodeGpu;
beforeAll(async () => {
  g = await nodeGpu();
});
afterAll(() => g.release());

hmfEngineSuite({ name: 'HMF WebGPU engine (Dawn, Node)', create: () => HmfGpuEngine.create({ gpu: g.gpu, shader: shaderSources.hmf! }) });
