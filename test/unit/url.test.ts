import { describe, expect, it } from 'vitest';
import { buildNodeInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { DEFAULT_LINK, type LinkState, alsoDocument, decodeUrl, encodeUrl } from '../../src/state/url';
import { preset } from './helpers';

const presets = async (id: string) => (['r3', 'r4'].includes(id) ? preset(id) : null);
const roundTrip = async (s: LinkState) => decodeUrl(encodeUrl(s), presets);

describe('URL state', () => {
  it('an empty query opens the first-visit view: R3 as published, at a visible pace', async () => {
    const { state, ignored } = await decodeUrl('', presets);
    expect(ignored).toEqual([]);
    expect({ view: state.view, preset: state.preset, speed: state.speed }).toEqual({ view: 'start', preset: 'r3', speed: 1250 });
    expect(state.experiment).toEqual(preset('r3'));
    // every other part of the link is the default lab's
    expect({ ...state, view: 'run', preset: null, speed: 0, experiment: DEFAULT_LINK.experiment }).toEqual(DEFAULT_LINK);
  });

  it('a link with any parameter is not a first visit: ?view=run is the default lab', async () => {
    const { state, ignored } = await decodeUrl('?view=run', presets);
    expect(ignored).toEqual([]);
    expect(state).toEqual(DEFAULT_LINK);
  });

  it('every parameter round-trips: encode → decode gives the same state and the same parsed document', async () => {
    const s: LinkState = structuredClone(DEFAULT_LINK);
    s.experiment.problem = { kind: 'factorization', rank: 2, generate: { seed: 9, n: 12, m: 20, trueRank: 3, noise: 0.01 }, partition: [4, 4, 4, 8] };
    s.experiment.network = { topology: 'grid', J: 4, rows: 2, cols: 2, seed: 5, weights: 'max-degree', lazy: false };
    s.experiment.algorithm = { name: 'dgd', stepsize: 0.0012345678901234, iterations: 777, recordEvery: 7 };
    s.experiment.init = { seed: 11, scale: 0.25 };
    Object.assign(s, { backend: 'webgpu', tolerance: 1e-12, speed: 500, view: 'landscape', hide: ['network', 'engine'], also: ['dgd-local'] });
    const { state, ignored } = await roundTrip(s);
    expect(ignored).toEqual([]);
    // the same instance: data, network, step, start
    const a = buildNodeInstance(parseExperiment(state.experiment)), b = buildNodeInstance(parseExperiment(s.experiment));
    expect(a.problem.kind === 'factorization' && a.problem.Y.data).toEqual(b.problem.kind === 'factorization' && b.problem.Y.data);
    expect(a.W.data).toEqual(b.W.data);
    expect(a.stepsize).toBe(b.stepsize);
    expect(a.init).toEqual(b.init);
    expect([a.iterations, a.recordEvery, a.experiment.algorithm.name]).toEqual([b.iterations, b.recordEvery, b.experiment.algorithm.name]);
    expect({ ...state, experiment: null }).toEqual({ ...s, experiment: null });
  });

  it('a preset link rebuilds the preset, with parameters applied on top', async () => {
    const { state, ignored } = await decodeUrl('?v=1&preset=r3&K=500&mu=c0.25', presets);
    expect(ignored).toEqual([]);
    expect(state.preset).toBe('r3');
    const want = preset('r3');
    want.algorithm = { ...want.algorithm, iterations: 500, stepsize: { rule: 'practical', c: 0.25 } };
    expect(parseExperiment(state.experiment)).toEqual(parseExperiment(want));
    // and the preset's own parameters survive a round trip
    const again = await roundTrip(state);
    expect(parseExperiment(again.state.experiment)).toEqual(parseExperiment(want));
  });

  it('an HMF link refuses network settings its document would tolerate, so the lab writes back the same link', async () => {
    // found by test/unit/url-fuzz.test.ts: w= made a {weights, lazy} network the encoder never wrote back
    const { state, ignored } = await decodeUrl('?kind=hmf&w=metropolis&lazy=0', presets);
    expect(ignored).toEqual([
      'w=metropolis: the HMF problem has no network; leave out network settings',
      'lazy=0: the HMF problem has no network; leave out network settings',
    ]);
    expect(state.experiment.network).toBeUndefined();
    expect((await roundTrip(state)).state).toEqual(state);
  });

  it('a least-squares link carries its own parameters', async () => {
    const { state, ignored } = await decodeUrl('?preset=r4&d=6&rows=3&n=5', presets);
    expect(ignored).toEqual(['n=5: applies to factorization / sensing / completion / rpca / sym-sensing / sym-completion / sym-rpca problems only']);
    expect(state.experiment.problem).toMatchObject({ kind: 'least-squares', generate: { d: 6, rows: 3 } });
  });

  it('malformed parameters are ignored one by one, each with its reason, and the rest still applies', async () => {
    const { state, ignored } = await decodeUrl('?v=7&n=abc&m=-5&r=99&J=3&topo=moebius&lazy=maybe&mu=fast&tol=-1&K=12&bogus=1&preset=nope&also=adam', presets);
    expect([...ignored].sort()).toEqual([
      'v=7: this lab reads version 1 links; the rest was read as version 1',
      'preset=nope: there is no such preset',
      'bogus: not a parameter of this lab',
      'n=abc: is not an integer',
      'm=-5: problem.generate.m: m must be at least 1',
      'r=99: problem.rank: is 99 but must be at most min(n, m) = 30',
      'topo=moebius: must be one of ring, path, star, complete, grid, torus, erdos-renyi, random-threshold',
      'lazy=maybe: must be 0 or 1',
      'mu=fast: is neither a number nor c<number> (the practical rule)',
      'tol=-1: must be ≥ 0',
      'also=adam: "adam" is not an algorithm (dgd-local, dgd, gd) nor key=value',
    ].sort());
    expect(state.experiment.network).toMatchObject({ J: 3 });
    expect(state.experiment.algorithm.iterations).toBe(12);
    expect(() => parseExperiment(state.experiment)).not.toThrow();
  });

  it('comparison runs: an algorithm or a key=value override, each validated', async () => {
    const { state, ignored } = await decodeUrl('?preset=r3&also=dgd,topo=ring,mu=c0.1', presets);
    expect(ignored).toEqual([]);
    expect(state.also).toEqual(['dgd', 'topo=ring', 'mu=c0.1']);
    expect(alsoDocument(state.experiment, 'topo=ring').network).toMatchObject({ topology: 'ring', J: 10 });
    expect(alsoDocument(state.experiment, 'dgd').algorithm.name).toBe('dgd');
    expect((await decodeUrl('?also=r=500', presets)).ignored[0]).toMatch(/^also=r=500: "r=500": problem\.rank: is 500/);
  });

  it('a parameter that breaks a cross-field rule is refused, not half-applied', async () => {
    // J = 200 nodes cannot split m = 100 columns
    const { state, ignored } = await decodeUrl('?J=200', presets);
    expect(ignored[0]).toMatch(/^J=200: problem: Y has m = 100 columns, fewer than the J = 200 nodes/);
    expect(state.experiment.network).toMatchObject({ J: 10 });
  });
});

describe('encoding only reads the state', () => {
  it.each(['r12', 'saddle', 'r3'])('%s: encodeUrl leaves the document exactly as it was (no empty network or init added)', (id) => {
    const state: LinkState = { ...DEFAULT_LINK, experiment: preset(id), preset: id };
    const before = JSON.stringify(state.experiment);
    encodeUrl(state);
    expect(JSON.stringify(state.experiment)).toBe(before);
  });
});
