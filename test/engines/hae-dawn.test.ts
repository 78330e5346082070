// The HAE WebGPU engine in Node through Dawn (SwiftShader here). No adapter is a failure, never a skip.
import { afterAll, beforeAll } from 'vitest';
import { HaeGpuEngine } from '../../src/gpu/families/hae';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { shaderSources } from '../../src/gpu/shaders';
import { haeEngineSuite } from './hae-suite';

let g: NodeGpu;
beforeAll(async () => {
  g = await nodeGpu();
});
afterAll(() => g.release());

haeEngineSuite({ name: 'HAE WebGPU engine (Dawn, Node)', create: () => HaeGpuEngine.create({ gpu: g.gpu, shader: shaderSources.hae! }) });
