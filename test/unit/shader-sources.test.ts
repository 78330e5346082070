import { describe, expect, it } from 'vitest';
import { shaderSources } from '../../src/gpu/shaders';
import { loadShaderSources } from '../../src/gpu/shaders-node';

describe('WGSL sources', () => {
  it('Node reads the same WGSL the app bundles, under the same keys', () => {
    const node = loadShaderSources() as unknown as Record<string, string>;
    const keys = Object.keys(shaderSources);
    expect(keys.length).toBeGreaterThanOrEqual(11);
    for (const k of keys) {
      expect(node[k], k).toBeTypeOf('string');
      expect(node[k], k).toBe((shaderSources as unknown as Record<string, string>)[k]);
    }
  });
});
