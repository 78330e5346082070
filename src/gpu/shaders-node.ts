/**
 * The WGSL sources read from disk, for the Node CLI (which runs without Vite): every file of shaders/ under
 * the camelCase of its name (factor_step.wgsl → factorStep), the keys src/gpu/shaders.ts bundles. Files only
 * Node reads (hvp.wgsl, landscape.wgsl, slice.wgsl) come along under their names too.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { ShaderSources } from './kernels';

const DIR = new URL('../../shaders/', import.meta.url);
const camel = (file: string) => file.replace(/\.wgsl$/, '').replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function loadShaderSources(): ShaderSources {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.wgsl'));
  return Object.fromEntries(files.map((f) => [camel(f), readFileSync(new URL(f, DIR), 'utf8')])) as unknown as ShaderSources;
}
