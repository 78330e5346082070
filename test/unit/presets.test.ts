import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { preset } from './helpers';

const ids = readdirSync(new URL('../../public/presets/', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));

describe('shipped presets', () => {
  it('include the reproductions this build supports', () => {
    expect(ids).toEqual(expect.arrayContaining(['r3', 'r4']));
  });
  it.each(ids)('%s validates, builds and has a title and a description', (id) => {
    const doc = parseExperiment(preset(id));
    expect(doc.title?.length).toBeGreaterThan(10);
    expect(doc.description?.length).toBeGreaterThan(40);
    expect(() => buildInstance(doc)).not.toThrow();
  });
});
