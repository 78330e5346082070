/**
 * The network view's colour scale is fixed per run (relative to ‖Ū‖; issue 14: auto-ranged, it drew exact consensus red, and
 * after a divergence the nodes went grey as if never measured).
 */
import { describe, expect, it } from 'vitest';
import { DECADES, nodeScale, scaleColour } from '../../src/ui/NetworkView';

const lightest = scaleColour(0), darkest = scaleColour(1);

describe('node colours', () => {
  it('nodes at consensus (1e-14 against ‖Ū‖ = 2) are drawn light, not red', () => {
    const s = nodeScale([1e-14, 3e-15, 2e-14], 2)!;
    expect(s.domain).toEqual([1 - DECADES, 1]);
    // within the scale's first step, #ffffcc → #ffeda0: the green channel stays ≥ 237 (red has ~26)
    const green = (c: string) => Number(c.match(/\d+/g)![1]);
    for (const v of [1e-14, 3e-15, 2e-14]) expect(green(s.colour(v))).toBeGreaterThanOrEqual(237);
    expect(s.colour(1e-18)).toBe(lightest);
    // the start's disagreement sits near the top, a middle value in the middle
    expect(s.colour(2)).not.toBe(lightest);
    expect(s.colour(1e-5)).toBe(scaleColour((-5 - (1 - DECADES)) / DECADES));
  });

  it('a diverged node (NaN, ∞) is the darkest, not grey; a node not yet measured is grey', () => {
    const s = nodeScale([NaN, Infinity, 1], 5)!;
    expect(s.colour(NaN)).toBe(darkest);
    expect(s.colour(Infinity)).toBe(darkest);
    expect(s.colour(undefined)).not.toBe(darkest);
    expect(nodeScale(null, undefined)).toBeNull();
    // a run that diverged at once, before any finite value
    expect(nodeScale([NaN, NaN], undefined)!.colour(NaN)).toBe(darkest);
  });

  it('all nodes exactly at the average: the lightest colour', () => {
    expect(nodeScale([0, 0, 0], undefined)!.colour(0)).toBe(lightest);
  });
});
