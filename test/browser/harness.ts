// Exposes the WebGPU engines (factorization and measured problems: GpuEngine; HMF: HmfGpuEngine; HAE:
// HaeGpuEngine) to the Node test runner (test/engines/chromium-proxy.ts), which drives them through
// page.evaluate. The page
// builds each instance from the experiment document, exactly as the app.
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import type { Engine } from '../../src/engine/engine';
import { GpuEngine } from '../../src/gpu/families/factor';
import { HaeGpuEngine } from '../../src/gpu/families/hae';
import { HmfGpuEngine } from '../../src/gpu/families/hmf';
import { shaderSources } from '../../src/gpu/shaders';

type PageEngine = Engine & { adapter: unknown };
const engines = new Map<number, PageEngine>();
let next = 1;

const lab = {
  async create(kind: 'factor' | 'hmf' | 'hae'): Promise<number> {
    const gpu = navigator.gpu;
    engines.set(next, kind === 'hmf'
      ? await HmfGpuEngine.create({ gpu, shader: shaderSources.hmf! })
      : kind === 'hae' ? await HaeGpuEngine.create({ gpu, shader: shaderSources.hae! })
        : await GpuEngine.create({ gpu, shaders: shaderSources }));
    return next++;
  },
  /** HAE's work buffers after the last round (HaeGpuEngine.readWork), for its parity suite */
  readWork: async (id: number, which: 'act' | 'grad') => Array.from(await (engines.get(id) as HaeGpuEngine).readWork(which)),
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
