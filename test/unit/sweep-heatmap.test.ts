// The phase diagram's numbers (src/ui/sweep/heatmap.ts): the grid of an outcome, where a value falls
// between cells, and the bound (1 − 2ω)/L̂ as a curve in cell coordinates.
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/core/experiment';
import type { CellOutcome } from '../../src/core/sweep';
import { planSweep } from '../../src/core/sweep';
import { axisPosition, boundCurve, cellValue, grid } from '../../src/ui/sweep/heatmap';
import { factorizationDoc } from './helpers';

const plan = (sweep: unknown) => planSweep(parseExperiment({ ...factorizationDoc({ n: 6, m: 8, rank: 2, J: 4 }), sweep }));
const cell = (xi: number, yi: number, nx: number, bound: number, gap: number | null, certifiedBound: number | null = null): CellOutcome => ({
  cell: yi * nx + xi, xi, yi, x: 0, y: 0, trials: 1, stepsize: 0, omega: 0, bound, certifiedBound,
  objective: null, consensusError: null, optimalityGap: null, relativeGap: gap === null ? null : { median: gap, min: gap, max: gap, mean: gap, std: null }, relativeError: null, sharedError: null, uniqueError: null, subspaceError: null,
  iterationsToTolerance: null, successRate: gap === null ? 0 : 1, divergedRate: gap === null ? 1 : 0,
});

describe('phase diagram helpers', () => {
  it('axis positions: cells at 0 … n−1, log interpolation for positive values, extrapolated beyond', () => {
    expect(axisPosition([1e-4, 1e-3, 1e-2], 1e-3)).toBeCloseTo(1, 12);
    expect(axisPosition([1e-4, 1e-3, 1e-2], Math.sqrt(1e-4 * 1e-3))).toBeCloseTo(0.5, 12);
    expect(axisPosition([1e-4, 1e-3, 1e-2], 1e-1)).toBeCloseTo(3, 12);
    expect(axisPosition([-1, 0, 1], 0.5)).toBeCloseTo(1.5, 12);
    expect(axisPosition([3, 2, 1], Math.sqrt(6))).toBeCloseTo(0.5, 12);
    expect(axisPosition([5], 7)).toBe(0);
  });

  it('the grid holds log₁₀ of the median (null where every seed diverged); rates as they are', () => {
    const p = plan({ x: { param: 'algorithm.stepsize', values: [1e-3, 1e-2] }, y: { param: 'network.p', values: [0.5, 1] } });
    const cells = [cell(0, 0, 2, 1, 1e-6), cell(1, 0, 2, 1, null), cell(0, 1, 2, 1, 1e-8)];
    expect(grid(p, cells, 'relativeGap')).toEqual([[-6, null], [-8, null]]);
    expect(grid(p, cells, 'divergedRate')).toEqual([[0, 1], [0, null]]);
    expect(cellValue(cell(0, 0, 2, 1, 0), 'relativeGap')).toBe(-300);
  });

  it('the bound is drawn along the step-size axis, one point per row (median), spanning the grid', () => {
    const p = plan({ x: { param: 'algorithm.stepsize', values: [1e-4, 1e-3, 1e-2] }, y: { param: 'network.p', values: [0.5, 1] } });
    const cells = [0, 1, 2].flatMap((xi) => [cell(xi, 0, 3, 1e-3, 1), cell(xi, 1, 3, 1e-2, 1)]);
    const c = boundCurve(p, cells)!;
    expect(c.stepAxis).toBe('x');
    expect(c.x.map((v) => Number(v.toFixed(9)))).toEqual([1, 1, 2, 2]);
    expect(c.y).toEqual([-0.5, 0, 1, 1.5]);
    // swapped axes: the curve runs along y
    const q = plan({ x: { param: 'network.p', values: [0.5, 1] }, y: { param: 'algorithm.stepsize', values: [1e-4, 1e-3, 1e-2] } });
    const d = boundCurve(q, [0, 1, 2].flatMap((yi) => [cell(0, yi, 2, 1e-3, 1), cell(1, yi, 2, 1e-2, 1)]))!;
    expect(d.stepAxis).toBe('y');
    expect(d.x).toEqual([-0.5, 0, 1, 1.5]);
    // the step factor c: the bound is c = 1 whatever ω is
    const r = plan({ x: { param: 'algorithm.stepsize.c', values: [0.5, 1, 2] } });
    const e = boundCurve(r, [0, 1, 2].map((xi) => cell(xi, 0, 3, 123, 1)))!;
    expect(e).toEqual({ x: [1, 1], y: [-0.5, 0.5], stepAxis: 'x' });
    // HMF's cells have no bound (its c is η = c/maxᵢ‖Mᵢ‖₂², not SPEC §3's): no line, even for c
    expect(boundCurve(r, [0, 1, 2].map((xi) => ({ ...cell(xi, 0, 3, 1, 1), bound: null })))).toBeNull();
    // the certified bound, in μ and (divided by the practical bound) in c
    const f = boundCurve(p, [0, 1, 2].flatMap((xi) => [cell(xi, 0, 3, 1e-3, 1, 1e-4), cell(xi, 1, 3, 1e-2, 1, 1e-3)]), 'certified')!;
    expect(f.x.map((v) => Number(v.toFixed(9)))).toEqual([0, 0, 1, 1]);
    const g = boundCurve(r, [0, 1, 2].map((xi) => cell(xi, 0, 3, 4, 1, 2)), 'certified')!;
    expect(g.x.map((v) => Number(v.toFixed(9)))).toEqual([0, 0]); // c = 2/4 = 0.5, the first column
    expect(boundCurve(p, [cell(0, 0, 3, 1e-3, 1)], 'certified')).toBeNull();
    // no step-size axis, no curve
    expect(boundCurve(plan({ x: { param: 'network.p', values: [0.5, 1] } }), [cell(0, 0, 2, 1, 1)])).toBeNull();
  });
});
