/**
 * The phase diagram's numbers, without React or plotly: one outcome of every cell as a grid, the axis
 * positions of values, and the theory bound of SPEC §3 as a curve in grid coordinates. Cells sit at
 * integer positions (0 … n−1) with the values as tick labels, so uneven or log-spaced values get equal
 * cells; a bound between two values is placed by interpolating (in log space when all values are > 0).
 */
import type { CellOutcome, SweepPlan } from '../../core/sweep';
import { sweepParam } from '../../core/sweep-schema';

export const OUTCOMES = {
  relativeGap: { label: 'optimality gap / ‖Y‖² (median, log₁₀)', log: true },
  consensusError: { label: 'consensus error (median, log₁₀)', log: true },
  relativeError: { label: 'recovery error ‖UVᵀ − X⋆‖²/‖X⋆‖² (median, log₁₀)', log: true },
  sharedError: { label: 'HMF shared error Σᵢ‖U_gV_(i),gᵀ − truth‖² (median, log₁₀)', log: true },
  uniqueError: { label: 'HMF unique error Σᵢ‖U_(i),lV_(i),lᵀ − truth‖² (median, log₁₀)', log: true },
  subspaceError: { label: 'HMF subspace error (7.7) (median, log₁₀)', log: true },
  objective: { label: 'final objective (median, log₁₀)', log: true },
  iterationsToTolerance: { label: 'iterations to tolerance (median)', log: false },
  successRate: { label: 'success rate (reached the tolerance)', log: false },
  divergedRate: { label: 'diverged (fraction of seeds)', log: false },
} as const;
export type OutcomeKey = keyof typeof OUTCOMES;

/** The outcome of a cell as a number for the colour scale (null: no value — all seeds diverged, or not run). */
export function cellValue(c: CellOutcome, key: OutcomeKey): number | null {
  if (key === 'successRate' || key === 'divergedRate') return c[key];
  const s = c[key];
  if (!s) return null;
  if (!OUTCOMES[key].log) return s.median;
  // a gap can round to ≤ 0 at the float floor: show it at the floor of the scale
  return Math.log10(Math.max(s.median, 1e-300));
}

/** Outcomes that only some problems have (consensus: not HMF; recovery: planted measured problems; HMF errors). */
const OPTIONAL_OUTCOMES = new Set<OutcomeKey>(['consensusError', 'relativeError', 'sharedError', 'uniqueError', 'subspaceError']);

/** The outcomes worth a colour scale for these cells: every general one, and the optional ones some cell has. */
export function availableOutcomes(cells: CellOutcome[]): OutcomeKey[] {
  return (Object.keys(OUTCOMES) as OutcomeKey[]).filter((k) => !OPTIONAL_OUTCOMES.has(k) || cells.some((c) => cellValue(c, k) !== null));
}

/**
 * A one-parameter sweep as a curve: per x, the outcome's median and its spread over the seeds (min, max),
 * as values (a log outcome floored at 1e-300 for its log axis); null where no seed gives a value.
 */
export function lineSeries(plan: SweepPlan, cells: CellOutcome[], key: OutcomeKey): { median: (number | null)[]; lo: (number | null)[]; hi: (number | null)[] } {
  const n = plan.x.values.length;
  const out = { median: new Array<number | null>(n).fill(null), lo: new Array<number | null>(n).fill(null), hi: new Array<number | null>(n).fill(null) };
  const f = (v: number) => (OUTCOMES[key].log ? Math.max(v, 1e-300) : v);
  for (const c of cells) {
    if (c.yi !== 0) continue;
    if (key === 'successRate' || key === 'divergedRate') {
      out.median[c.xi] = out.lo[c.xi] = out.hi[c.xi] = c[key];
      continue;
    }
    const s = c[key];
    if (!s) continue;
    out.median[c.xi] = f(s.median);
    out.lo[c.xi] = f(s.min);
    out.hi[c.xi] = f(s.max);
  }
  return out;
}

/** z[yi][xi] for plotly's heatmap (null where there is no value). */
export function grid(plan: SweepPlan, cells: CellOutcome[], key: OutcomeKey): (number | null)[][] {
  const nx = plan.x.values.length, ny = plan.y?.values.length ?? 1;
  const z = Array.from({ length: ny }, () => new Array<number | null>(nx).fill(null));
  for (const c of cells) z[c.yi][c.xi] = cellValue(c, key);
  return z;
}

/** Position of `v` on an axis whose cells hold `values` (fractional between cells, extrapolated beyond). */
export function axisPosition(values: number[], v: number): number {
  if (values.length === 1) return 0;
  const log = values.every((x) => x > 0) && v > 0;
  const f = (x: number) => (log ? Math.log(x) : x);
  const t = values.map(f), u = f(v);
  const inc = t[t.length - 1] > t[0];
  let i = 0;
  while (i < t.length - 2 && (inc ? u > t[i + 1] : u < t[i + 1])) i++;
  return i + (u - t[i]) / (t[i + 1] - t[i]);
}

/**
 * The bound μ < (1 − 2ω)/L̂ (SPEC 3.2 with L̂ = 6σ₁, §3.4) when one axis is a step size: for every
 * value of the other axis, where the bound falls on the step axis (median over that row's cells; for
 * the step factor c the bound is c = 1). Null when no axis is a step size.
 */
export function boundCurve(plan: SweepPlan, cells: CellOutcome[], which: 'practical' | 'certified' = 'practical'): { x: number[]; y: number[]; stepAxis: 'x' | 'y' } | null {
  const sx = sweepParam(plan.x.param)?.step, sy = plan.y ? sweepParam(plan.y.param)?.step : undefined;
  const stepAxis = sx ? 'x' : sy ? 'y' : null;
  if (!stepAxis) return null;
  const step = stepAxis === 'x' ? plan.x : plan.y!;
  const kind = stepAxis === 'x' ? sx : sy;
  const other = stepAxis === 'x' ? plan.y : plan.x;
  const n = other?.values.length ?? 1;
  const along: number[] = [], at: number[] = [];
  for (let o = 0; o < n; o++) {
    const row = cells.filter((c) => (stepAxis === 'x' ? c.yi : c.xi) === o);
    if (!row.length) continue;
    // in units of the axis: μ, or c = μ/((1 − 2ω)/L̂) (the practical bound is c = 1)
    // HMF has no such bound (c.bound null): no line
    const of = (c: CellOutcome) => (c.bound === null ? NaN : which === 'practical' ? (kind === 'c' ? 1 : c.bound) : (c.certifiedBound ?? NaN) / (kind === 'c' ? c.bound : 1));
    const bounds = row.map(of).filter((b) => b > 0).sort((a, b) => a - b);
    if (!bounds.length) continue;
    const bound = bounds[bounds.length >> 1];
    along.push(axisPosition(step.values as number[], bound)); // a step-size axis holds numbers
    at.push(o);
  }
  if (!along.length) return null;
  // a 1-D sweep or a single row: a straight line across the whole grid
  if (along.length === 1) {
    along.push(along[0]);
    at.splice(0, 1, -0.5, 0.5);
  } else {
    // extend to the grid's edges so the line spans every row
    along.unshift(along[0]);
    at.unshift(at[0] - 0.5);
    along.push(along[along.length - 1]);
    at.push(at[at.length - 1] + 0.5);
  }
  return stepAxis === 'x' ? { x: along, y: at, stepAxis } : { x: at, y: along, stepAxis };
}

/** A cell's number in hover text and the table: 3 digits, exponent outside [1e-3, 1e5); — for none. */
export const fmt = (v: number | string | null | undefined) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(2));

/** Short tick text for a value. */
export function tick(v: number | string): string {
  if (typeof v === 'string') return v;
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(1);
}
