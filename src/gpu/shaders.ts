/**
 * The WGSL sources, bundled by Vite (`?raw`) for the app, the worker and the tests: every file of shaders/
 * under the camelCase of its name (factor_step.wgsl → factorStep), as src/gpu/shaders-node.ts reads them
 * from disk in Node (test/unit/shader-sources checks that the two agree).
 */
import type { ShaderSources } from './kernels';

const files = import.meta.glob<string>('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true });
const camel = (path: string) => path.replace(/^.*\//, '').replace(/\.wgsl$/, '').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export const shaderSources = Object.fromEntries(Object.entries(files).map(([path, source]) => [camel(path), source])) as unknown as ShaderSources;
