// The canvas chart drawn while a run streams writes its log-axis labels as plotly does once the run stops
// (exponentformat 'power'), so the labels do not change style at the end (issue 14).
import { describe, expect, it } from 'vitest';
import { powerLabel } from '../../src/ui/plots/LiveChart';

describe('powerLabel', () => {
  it('writes 10^e with superscripts, 1 and 10 plainly', () => {
    expect([-16, -5, -1, 0, 1, 2, 12].map(powerLabel)).toEqual(['10⁻¹⁶', '10⁻⁵', '10⁻¹', '1', '10', '10²', '10¹²']);
  });
});
