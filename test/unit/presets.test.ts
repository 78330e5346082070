import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { decodeUrl } from '../../src/state/url';
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { preset } from './helpers';

const ids = readdirSync(new URL('../../public/presets/', import.meta.url)).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.slice(0, -5));
interface Item { id: string; link: string; title: string; variants?: { label: string; link: string }[] }
const index = JSON.parse(readFileSync(new URL('../../public/presets/index.json', import.meta.url), 'utf8')) as Record<string, Item[]>;

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

describe('the gallery (public/presets/index.json)', () => {
  const items = Object.values(index).flat().flatMap((it) => [it, ...(it.variants ?? []).map((v) => ({ id: `${it.id} ${v.label}`, link: v.link, title: v.label }))]);
  it('lists every preset file', () => {
    for (const id of ids) expect(items.some((it) => it.link.includes(`preset=${id}`))).toBe(true);
  });
  it.each(items)('$id: its link opens with nothing ignored', async ({ link }) => {
    const { ignored } = await decodeUrl(link, async (id) => (ids.includes(id) ? preset(id) : null));
    expect(ignored).toEqual([]);
  });
});
