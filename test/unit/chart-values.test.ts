/** Negative values on a log chart are drawn as |value| with a note, not dropped (issue 14: the noisy optimality gap vanished). */
import { describe, expect, it } from 'vitest';
import { NEGATIVE_NOTE, chartValues } from '../../src/ui/chart-values';

describe('chart values', () => {
  it('a log chart draws |value| for negative values and says so; zeros and non-finite values are gaps', () => {
    const { y, negative } = chartValues([4, -2, 0, NaN, Infinity, undefined, 1e-30], 2);
    expect(y).toEqual([2, 1, null, null, null, null, 5e-31]);
    expect(negative).toBe(true);
    expect(NEGATIVE_NOTE).toMatch(/\|value\|/);
  });

  it('all positive: no note; a linear chart keeps signs and zeros', () => {
    expect(chartValues([3, 1], 1).negative).toBe(false);
    expect(chartValues([-3, 0, 2], 1, true)).toEqual({ y: [-3, 0, 2], negative: false });
  });
});
