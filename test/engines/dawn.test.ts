// The WebGPU engine in Node through Dawn (SwiftShader on the project's machines). No adapter is a
// failure, never a skip: CI must not pass without running these.
import { afterAll, beforeAll } from 'vitest';
import { GpuEngine } from '../../src/gpu/families/factor';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { shaderSources } from '../../src/gpu/shaders';
import { engineSuite } from './suite';

let g: NodeGpu;
beforeAll(async () => {
  g = await nodeGpu();
});
afterAll(() => g.release());

engineSuite({ name: 'WebGPU engine (Dawn, Node)', create: () => GpuEngine.create({ gpu: g.gpu, shaders: shaderSources }) });
