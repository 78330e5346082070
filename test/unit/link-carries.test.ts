// Importing a document: the address bar follows it when a link can carry its settings (issue 14: a reload
// lost every import), and a document with data no link parameter sets is said to be uploaded data.
import { describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../src/core/experiment';
import { importExperiment } from '../../src/state/actions';
import { labStore } from '../../src/state/store';
import { linkCarries } from '../../src/state/url';
import { factorizationDoc, preset } from './helpers';

describe('linkCarries', () => {
  it('a preset’s settings travel in a link; its words do not, and are named', async () => {
    const r = await linkCarries(preset('r3'));
    expect(r.carried).toBe(true);
    expect(r.words).toEqual(expect.arrayContaining(['title', 'description', 'claims']));
  });

  it('a generated document with changed settings travels whole', async () => {
    const doc = factorizationDoc({ n: 12, m: 20, rank: 2, J: 4, alg: 'dgd', iterations: 77, topology: 'star' });
    expect(await linkCarries(doc)).toEqual({ carried: true, words: [] });
  });

  it('inline data, or a given start, does not travel', async () => {
    const data = { ...factorizationDoc({ n: 2, m: 3, rank: 1, J: 1 }), problem: { kind: 'factorization', rank: 1, Y: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] } } } as ExperimentInput;
    expect((await linkCarries(data)).carried).toBe(false);
  });

  it('importExperiment: the store follows the link when it can, and keeps the upload mark when it cannot', async () => {
    const doc = factorizationDoc({ n: 12, m: 20, rank: 2, J: 4, iterations: 77 });
    const pending = importExperiment(doc, 'mine.json');
    expect(labStore.getState().experiment).toBe(doc);
    expect(await pending).toEqual({ carried: true, words: [] });
    expect(labStore.getState().upload).toBeNull();
    const data = { ...doc, problem: { kind: 'factorization', rank: 1, Y: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] } }, network: { topology: 'ring', J: 1, weights: 'metropolis', lazy: true } } as ExperimentInput;
    expect((await importExperiment(data, 'data.json')).carried).toBe(false);
    expect(labStore.getState().upload).toEqual({ name: 'data.json' });
  });
});
