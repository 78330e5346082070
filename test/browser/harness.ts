// Exposes the WebGPU engines (factorization and measured problems: GpuEngine; HMF: HmfGpuEngine) to the
// Node test runner (test/engines/chromium-proxy.ts), which drives them through page.evaluate. The page
// builds each instance from the experiment document, exactly as the app.
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import type { Engine } from '../../src/engine/engine';
import { GpuEngine } from '../../src/gpu/families/factor';
import { HmfGpuEngine } from '../../src/gpu/families/hmf';
import { shaderSources } from '../../src/gpu/shaders';

type PageEngine = Engine & { adapter: unknown };
const engines = new Map<number, PageEngine>();
let next = 1;

const lab = {
  async create(kind: 'factor' | 'hmf'): Promise<number> {
    const gpu = navigator.gpu;
    engines.set(next, kind === 'hmf'
      ? await HmfGpuEngine.create({ gpu, shader: shaderSources.hmf! })
      : await GpuEngine.create({ gpu, shaders: shaderSources }));
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

(window as unknown as { lab: typeof lab }).lab = lab;
document.title = 'ready';
