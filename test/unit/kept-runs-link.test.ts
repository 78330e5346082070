// Runs kept for comparison travel in the link (issue 14: "Keep for comparison" runs were in neither the
// address bar nor "Copy link"): each becomes an `also` entry against the experiment — the algorithm's name
// or the differing link parameters — and the link opens them again; one a link cannot say is left out.
import { describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../src/core/experiment';
import { type LabState, type RunRecord, keptEntries, labStore, linkState } from '../../src/state/store';
import { alsoDocument, alsoEntry, decodeUrl, encodeUrl } from '../../src/state/url';
import { parseExperiment } from '../../src/core/experiment';
import { preset } from './helpers';

const same = (a: ExperimentInput, b: ExperimentInput) => {
  const strip = (d: ExperimentInput) => {
    const { title: _t, description: _d, claims: _c, compare: _k, ...rest } = parseExperiment(d) as Record<string, unknown>;
    return rest;
  };
  expect(strip(a)).toEqual(strip(b));
};

describe('alsoEntry', () => {
  const base = preset('r3');
  it('an algorithm alone is its name; several settings are key=value joined by |, and give the run back', () => {
    expect(alsoEntry(base, { ...base, algorithm: { ...base.algorithm, name: 'dgd' } })).toBe('dgd');
    const other = structuredClone(base) as ExperimentInput & { network: { topology: string } };
    other.network.topology = 'complete';
    other.algorithm.iterations = 500;
    const entry = alsoEntry(base, other)!;
    expect(entry.split('|').sort()).toEqual(['K=500', 'topo=complete']);
    same(alsoDocument(base, entry), other);
  });

  it('the experiment itself is "", data no link sets is null', () => {
    expect(alsoEntry(base, structuredClone(base))).toBe('');
    const data = { ...base, problem: { kind: 'factorization', rank: 1, Y: { shape: [2, 10], data: Array.from({ length: 20 }, (_, i) => i) } } } as ExperimentInput;
    expect(alsoEntry(base, data)).toBeNull();
  });
});

describe('the link of a page with kept runs', () => {
  it('carries the kept runs it can say, and opens them as comparison runs', async () => {
    const base = preset('r3');
    const run = (experiment: ExperimentInput, patch: Partial<RunRecord> = {}) => ({ id: Math.random(), experiment, pinned: true, ...patch } as unknown as RunRecord);
    const ring = structuredClone(base) as ExperimentInput & { network: { topology: string } };
    ring.network.topology = 'complete';
    const data = { ...base, problem: { kind: 'factorization', rank: 1, Y: { shape: [2, 10], data: Array.from({ length: 20 }, (_, i) => i) } } } as ExperimentInput;
    labStore.setState({ experiment: base, preset: null, also: ['gd'], runs: [
      run(ring), run({ ...base, algorithm: { ...base.algorithm, name: 'dgd' } }), run(data),
      run(base, { claimRun: 'main' }), // the document's own run: not a kept run
      run(structuredClone(base)), // the experiment itself
    ] });
    const s = labStore.getState() as LabState;
    expect(keptEntries(s)).toEqual(['topo=complete', 'dgd', null, '']);
    expect(linkState(s).also).toEqual(['gd', 'topo=complete', 'dgd']);
    const { state, ignored } = await decodeUrl(encodeUrl(linkState(s)), async () => null);
    expect(ignored).toEqual([]);
    expect(state.also).toEqual(['gd', 'topo=complete', 'dgd']);
    same(alsoDocument(state.experiment, 'topo=complete'), ring);
  });
});
