// The gallery picture of a preset (src/core/picture.ts): the first claimed metric of each claimed run, log
// scale, main run solid and on top; values that a log scale cannot show are left out.
import { describe, expect, it } from 'vitest';
import type { ClaimRun, ClaimSweep } from '../../src/core/claims';
import type { Claim } from '../../src/core/document';
import { claimsPicture, pictureMetric, sweepPicture, sweepPictureMetric } from '../../src/core/picture';

const run = (iteration: number[], objective: number[]) => ({ trace: { iteration, objective }, stop: { reason: 'completed', iteration: 0, message: '' } } as unknown as ClaimRun);

describe('claimsPicture', () => {
  it('draws each run on one log scale: 10⁰ at the top, 10⁻⁴ at the bottom, the main run last and solid', () => {
    const runs = new Map([['main', run([0, 50, 100], [1, 1e-2, 1e-4])], ['dgd', run([0, 100], [1, 0])]]);
    const svg = claimsPicture('objective', runs, ['main', 'dgd']);
    const paths = [...svg.matchAll(/<path d="([^"]+)"[^>]*stroke="([^"]+)"([^>]*)\/>/g)];
    expect(paths.map((p) => p[1])).toEqual(['M6.0 6.0', 'M6.0 6.0L120.0 48.0L234.0 90.0']); // dgd's 0 is left out
    expect(paths[1][3]).not.toContain('dasharray');
    expect(paths[0][3]).toContain('dasharray');
    expect(svg).toContain('aria-label="objective against the iteration (log scale), 2 runs"');
    expect(claimsPicture('objective', runs, ['main', 'dgd'])).toBe(svg);
  });

  it('the metric is the first one a claim reads', () => {
    const claims = [{ text: 'a', outcome: 'completed' }, { text: 'b', left: { metric: 'consensusError', run: 'main', at: 'last' }, relation: '<', right: { metric: 'objective', run: 'main', at: 'last' } }] as unknown as Claim[];
    expect(pictureMetric(claims)).toBe('consensusError');
    expect(pictureMetric([])).toBe('objective');
    // λ_min has a sign: a log scale cannot draw it, the next metric is drawn
    expect(pictureMetric([{ text: 'c', metric: 'curvature', run: 'main', at: 'last', relation: '<', value: 0 }, ...claims] as unknown as Claim[])).toBe('consensusError');
  });
});

describe('sweepPicture', () => {
  const spread = (median: number) => ({ median, min: median, max: median });
  const cell = (xi: number, yi: number, v: number | null) => ({ xi, yi, trials: 2, successRate: 1, divergedRate: v === null ? 1 : 0, omega: null, bound: null, consensusError: v === null ? null : spread(v) });
  const sweep = { x: { param: 'algorithm.stepsize', label: 'μ', values: [1, 2] }, y: { param: 'network.p', label: 'p', values: [0.3, 0.6] },
    cells: [cell(0, 0, 1e-10), cell(1, 0, 1e-5), cell(0, 1, 1), cell(1, 1, null)] } as unknown as ClaimSweep;
  it('a cell per (x, y), y upwards, coloured from light (the smallest median) to dark (the largest), grey where every seed diverged', () => {
    const svg = sweepPicture('consensusError', sweep);
    const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="[\d.]+" fill="([^"]+)"\/>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), fill: m[3] }));
    expect(rects).toHaveLength(4);
    const [a, b, c, d] = rects;
    expect(a.fill).toBe('#ffffcc'); // 10⁻¹⁰: the smallest, lightest
    expect(c.fill).toBe('#0c2c84'); // 1: the largest, darkest
    expect(b.fill).not.toBe(a.fill);
    expect(d.fill).toBe('#d9d9d9'); // diverged: no value
    expect([a.x < b.x, c.y < a.y]).toEqual([true, true]); // x across, y up
    expect(sweepPicture('consensusError', sweep)).toBe(svg);
  });
  it('colours by the first outcome over seeds the claims read (not a one-number metric such as the bound)', () => {
    const claims = [{ metric: 'bound' }, { metric: 'successRate' }, { left: { metric: 'relativeGap' } }, { metric: 'consensusError' }] as unknown as Claim[];
    expect(sweepPictureMetric(claims)).toBe('relativeGap');
    expect(sweepPictureMetric([])).toBe('objective');
  });
});
