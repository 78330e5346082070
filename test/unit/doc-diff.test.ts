// The "changed from the preset" note: the settings a document changes against a preset, defaults
// filled in on both sides, words (title, description) left out.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changeText, documentChanges } from '../../src/core/doc-diff';
import { decodeUrl, encodeUrl } from '../../src/state/url';
import { preset } from './helpers';

describe('documentChanges', () => {
  it('an unchanged preset, or one with its defaults written out, has no changes', () => {
    const r3 = preset('r3');
    expect(documentChanges(r3, structuredClone(r3))).toEqual([]);
    const explicit = structuredClone(r3) as { problem: { lambda?: number } };
    explicit.problem.lambda = 0;
    expect(documentChanges(r3, explicit)).toEqual([]);
  });

  it('lists each changed setting by path, in document order, and leaves the words out', () => {
    const r15 = preset('r15');
    const doc = structuredClone(r15) as { title: string; problem: { generate: { N: number; n1: number } }; algorithm: { iterations: number } };
    doc.title = 'mine';
    doc.problem.generate.N = 6;
    doc.problem.generate.n1 = 16;
    doc.algorithm.iterations = 60;
    const changes = documentChanges(r15, doc)!;
    expect(changes.map(changeText)).toEqual(['problem.generate.N 100 → 6', 'problem.generate.n1 60 → 16', 'algorithm.iterations 500 → 60']);
  });

  it('the data\'s source and licence are words too', () => {
    const e = preset('employment') as { source: string; licence: string };
    expect(documentChanges(e, { ...e, source: 'elsewhere', licence: 'other' })).toEqual([]);
  });

  it('a list that differs is one change; an invalid document compares to nothing', () => {
    const r3 = preset('r3') as { network: Record<string, unknown> };
    const doc = structuredClone(r3);
    doc.network = { ...doc.network, topology: 'ring' };
    delete doc.network.p;
    const texts = documentChanges(r3, doc)!.map(changeText);
    expect(texts).toContain('network.topology erdos-renyi → ring');
    expect(texts).toContain('network.p 0.4 → unset');
    expect(documentChanges(r3, { ...doc, algorithm: { name: 'adam' } })).toBeNull();
  });
});

describe('every preset, through its own shared link', () => {
  const ids = readdirSync(new URL('../../public/presets/', import.meta.url)).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.replace(/\.json$/, ''));
  it.each(ids)('%s: the link “Copy link” gives opens the preset with no change', async (id) => {
    const loader = async (p: string) => preset(p);
    const opened = await decodeUrl(`?preset=${id}`, loader);
    const shared = await decodeUrl(encodeUrl(opened.state), loader);
    expect(shared.ignored).toEqual([]);
    expect(documentChanges(preset(id), shared.state.experiment)).toEqual([]);
  });
});

describe('a sweep changed from its preset', () => {
  it('each axis is one change, written as in the settings', () => {
    const p = preset('sweep-dgd-local-step-omega') as { sweep: Record<string, unknown> };
    const doc = structuredClone(p);
    doc.sweep.x = { param: 'algorithm.stepsize', values: [1e-4, 1e-3] };
    delete doc.sweep.y;
    expect(documentChanges(p, doc)!.map(changeText)).toEqual([
      'sweep.x algorithm.stepsize 0.00003..0.1:8:log → algorithm.stepsize 0.0001,0.001',
      'sweep.y network.p 0.2,0.35,0.5,0.65,0.8,1 → unset',
    ]);
  });
});
