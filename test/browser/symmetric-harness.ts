// Exposes the symmetric PSD WebGPU engine (src/gpu/families/symmetric.ts) to the Node test runner
// (test/gpu/symmetric-chromium.test.ts), which drives it through page.evaluate, as harness.ts does for the
// other engines. The page builds each instance from the experiment document, exactly as the app.
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { SymmetricGpuEngine } from '../../src/gpu/families/symmetric';
import { shaderSources } from '../../src/gpu/shaders';

const engines = new Map<number, SymmetricGpuEngine>();
let next = 1;

const lab = {
  async create(): Promise<number> {
    engines.set(next, await SymmetricGpuEngine.create({ gpu: navigator.gpu, shader: shaderSources.symmetric! }));
    return next++;
  },
  adapter: (id: number) => engines.get(id)!.adapter,
  load: (id: number, doc: unknown) => engines.get(id)!.load(buildInstance(parseExperiment(doc))),
  advance: (id: number, k: number) => engines.get(id)!.advance(k),
  metrics: (id: number) => engines.get(id)!.metrics(),
  async snapshot(id: number) {
    const s = await engines.get(id)!.snapshot();
    return { X: Array.from(s.state.X), Y: Array.from(s.state.Y), iteration: s.iteration };
  },
  restore: (id: number, X: number[], Y: number[], iteration: number) =>
    engines.get(id)!.restore({ X: Float64Array.from(X), Y: Float64Array.from(Y) }, iteration),
  destroy(id: number) {
    engines.get(id)?.destroy();
    engines.delete(id);
  },
};

(window as unknown as { symLab: typeof lab }).symLab = lab;
document.title = 'ready';
