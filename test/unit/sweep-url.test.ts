// Sweeps travel in links like everything else: sx / sy (param:values), sn (seeds), stol (tolerance).
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK, type LinkState, decodeUrl, encodeUrl } from '../../src/state/url';
import { preset } from './helpers';

const presets = async (id: string) => (id === 'sweep-dgd-local-step-omega' ? preset(id) : null);

describe('sweep links', () => {
  it('a sweep round-trips: encode → decode gives the same sweep and nothing is ignored', async () => {
    const s: LinkState = structuredClone(DEFAULT_LINK);
    s.experiment.sweep = {
      x: { param: 'algorithm.stepsize', range: { from: 1e-5, to: 0.01, steps: 7, scale: 'log' } },
      y: { param: 'network.p', values: [0.25, 0.5, 1] },
      seeds: 3, tolerance: 1e-6,
    };
    s.view = 'sweep';
    const q = encodeUrl(s);
    expect(q).toMatch(/sx=algorithm\.stepsize:0\.00001\.\.0\.01:7:log/);
    expect(q).toMatch(/sy=network\.p:0\.25,0\.5,1/);
    const { state, ignored } = await decodeUrl(q, presets);
    expect(ignored).toEqual([]);
    expect(state.experiment.sweep).toEqual(s.experiment.sweep);
    expect(state.view).toBe('sweep');
  });

  it('the sweep preset opens from its gallery link with its sweep', async () => {
    const { state, ignored } = await decodeUrl('?preset=sweep-dgd-local-step-omega&view=sweep', presets);
    expect(ignored).toEqual([]);
    expect(state.experiment.sweep).toEqual(preset('sweep-dgd-local-step-omega').sweep);
    const again = await decodeUrl(encodeUrl(state), presets);
    expect(again.ignored).toEqual([]);
    expect(again.state.experiment).toEqual(state.experiment);
  });

  it('a link to a sweep without a view opens the sweep view; an explicit view is kept', async () => {
    expect((await decodeUrl('?preset=sweep-dgd-local-step-omega', presets)).state.view).toBe('sweep');
    expect((await decodeUrl('?preset=sweep-dgd-local-step-omega&view=run', presets)).state.view).toBe('run');
    expect((await decodeUrl('?sx=network.p:0.5,1', presets)).state.view).toBe('sweep');
    expect((await decodeUrl('?K=500', presets)).state.view).toBe('run');
  });

  it('a bad sweep parameter is ignored with the reason; the rest of the link still works', async () => {
    const cases: [string, RegExp][] = [
      ['sx=network.weights:1,2', /^sx=network\.weights:1,2: sweep\.x\.param: "network\.weights" cannot be swept/],
      ['sx=network.p', /^sx=network\.p: must be param:values/],
      ['sx=network.p:0.2,,1', /^sx=network\.p:0\.2,,1: "0\.2,,1" is neither a list of numbers/],
      ['sy=network.p:0.5', /^sy=network\.p:0\.5: needs a sweep over x first \(sx\)/],
      ['sx=network.p:0.5&sn=0', /^sn=0: sweep\.seeds: seeds must be at least 1/],
      ['stol=1e-6', /^stol=1e-6: needs a sweep \(sx\)/],
    ];
    for (const [q, message] of cases) {
      const { state, ignored } = await decodeUrl(`?${q}&K=500`, presets);
      expect(ignored).toHaveLength(1);
      expect(ignored[0]).toMatch(message);
      expect(state.experiment.algorithm.iterations).toBe(500);
    }
  });
});

describe('removing what a sweep preset has survives its link', () => {
  const loader = async (id: string) => preset(id);
  it('a preset sweep without its y axis stays one-dimensional; without its sweep it has none', async () => {
    const opened = (await decodeUrl('?preset=sweep-dgd-local-step-omega', loader)).state;
    const oneD = structuredClone(opened);
    delete (oneD.experiment.sweep as { y?: unknown }).y;
    const q1 = encodeUrl(oneD);
    expect(q1).toMatch(/[?&]?sy=none(&|$)/);
    const back1 = await decodeUrl(q1, loader);
    expect(back1.ignored).toEqual([]);
    expect(back1.state.experiment.sweep).toEqual(oneD.experiment.sweep);

    const none = structuredClone(opened);
    delete none.experiment.sweep;
    const q2 = encodeUrl(none);
    expect(q2).toMatch(/(^|&)sx=none(&|$)/);
    expect(q2).not.toMatch(/sy=|sn=|stol=/);
    const back2 = await decodeUrl(q2, loader);
    expect(back2.ignored).toEqual([]);
    expect(back2.state.experiment.sweep).toBeUndefined();
    expect(back2.state.view).toBe('sweep'); // the view was written: the Sweep tab, which offers to add a sweep
  });

  it('a link without a preset and without a sweep carries no sweep keys', () => {
    expect(encodeUrl(structuredClone(DEFAULT_LINK))).not.toMatch(/sx=|sy=|sn=|stol=/);
  });
});
