// Time each kernel of the hot loop on its own (npm run bench -- is the real benchmark; this is a tool).
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { GpuEngine } from '../../src/gpu/families/factor';
import { nodeGpu } from '../../src/gpu/node';
import { loadShaderSources } from '../../src/gpu/shaders-node';

const [J, n, mj, r] = (process.argv[2] ?? '64,512,128,16').split(',').map(Number);
const g = await nodeGpu();
const e = await GpuEngine.create({ gpu: g.gpu, shaders: loadShaderSources() });
const inst = buildInstance(parseExperiment({
  format: 'lowrank-lab/experiment', version: 1,
  problem: { kind: 'factorization', rank: r, generate: { seed: 1, n, m: J * mj, trueRank: r } },
  network: { topology: 'ring', J, weights: 'metropolis', lazy: true },
  algorithm: { name: 'dgd-local', stepsize: 1e-6, iterations: 0 }, init: { seed: 2, scale: 0.1 },
}));
await e.load(inst);
const x = e as unknown as { res: { pipes: Record<string, GPUComputePipeline>; bindGroups: GPUBindGroup[] }; dev: { device: GPUDevice }; L: { dispatch: Record<string, [number, number]> } };
const device = x.dev.device;
for (const [name, disp] of [['grams', 'grams'], ['step', 'step'], ['vUpdate', 'vUpdate']] as const) {
  const run = async (k: number) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setBindGroup(0, x.res.bindGroups[0]);
    pass.setPipeline(x.res.pipes[name]);
    for (let i = 0; i < k; i++) pass.dispatchWorkgroups(...x.L.dispatch[disp]);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await run(1);
  const t0 = performance.now();
  await run(4);
  console.log(name, ((performance.now() - t0) / 4).toFixed(1), 'ms');
}
e.destroy();
g.release();
