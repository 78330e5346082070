/**
 * Claims (the document's `claims`, document.ts ClaimSchema) checked against the runs' recorded traces:
 * the same function for `lowrank-lab check`, `npm test` (every preset's claims) and the app's list under
 * the description. A claim reads one or two recorded values — a metric of a run at a point of its trace,
 * or an outcome of a cell of the document's sweep over its seeds — and compares them; it holds, fails, or
 * cannot be checked on these traces (a document mistake: a metric the run does not record, an iteration
 * between records, a cell the sweep does not have), which the CLI reports as a malformed file.
 */
import {
  CELL_NUMBER_METRICS, type CellSide, type CellSpreadMetric, type Claim, type ClaimAt, type ClaimMetric, type ClaimRelation, type ClaimSeries, MAIN_RUN, type PeaksClaim, isCellClaim,
} from './document';
import type { OptionalTraceKey, TraceKey } from './metrics';
import { type WindowSeries, topIndices } from './stocks';

// the claim schema lists the metrics itself (document.ts is a leaf); both lists must name the same keys
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameMetrics: Same<ClaimMetric, TraceKey | OptionalTraceKey | 'curvature'> = true;
void sameMetrics;

/** "plateau": over the records of the last `window` of the run's iterations (at least `records`), max − min ≤ spread·max |value| */
export const PLATEAU = { window: 0.1, spread: 0.01, records: 3 } as const;
/** the relative tolerance of "≈" when a claim gives none */
export const DEFAULT_TOLERANCE = 0.01;

/** What a claim reads of one run: its trace (null where JSON wrote a non-finite number), how it stopped, its verdict. */
export interface ClaimRun {
  trace: { iteration: readonly number[] } & Partial<Record<ClaimMetric, readonly (number | null)[]>>;
  stop: { reason: string; iteration: number } | null;
  verdict?: { kind: string };
  /** the series recorded at the run's end, one value per window (HMF's stock case study: the heterogeneity index) */
  series?: Partial<Record<ClaimSeries, WindowSeries>>;
}

export type ClaimStatus = 'holds' | 'fails' | 'pending' | 'error';

export interface ClaimResult {
  claim: Claim;
  status: ClaimStatus;
  /** what was measured, and how it compares: "objective on its plateau (iterations 9000–10000) = 7.38e-25 < 1e-20" */
  detail: string;
  /** the measured value (a comparison: the left side), when there is one */
  value?: number;
}

/** A value along a sweep's axis (sweep-schema.ts SweepValue). */
type AxisValue = number | string;

/** What a claim about cells reads of a sweep (src/core/sweep.ts: the plan's axes and the aggregated CellOutcomes). */
export interface ClaimSweep {
  x: { param: string; label: string; values: readonly AxisValue[] };
  y: { param: string; label: string; values: readonly AxisValue[] } | null;
  cells: readonly ClaimSweepCell[];
}
export type ClaimSweepCell = {
  xi: number;
  yi: number;
  trials: number;
  successRate: number;
  divergedRate: number;
  omega: number | null;
  bound: number | null;
} & { [K in CellSpreadMetric]: { median: number; min: number; max: number } | null };

/** The index of `v` in an axis's values (numbers equal to 10⁻⁹ relative: a range's points as written in a CSV), or −1. */
export function axisIndex(values: readonly AxisValue[], v: AxisValue): number {
  const exact = values.indexOf(v);
  if (exact >= 0 || typeof v !== 'number') return exact;
  return values.findIndex((w) => typeof w === 'number' && Math.abs(w - v) <= 1e-9 * Math.max(Math.abs(w), Math.abs(v)));
}

/** The runs a claim reads (a claim about the sweep's cells: none). */
export function claimRuns(c: Claim): string[] {
  if (isCellClaim(c)) return [];
  if ('left' in c) return [...new Set([c.left.run, c.right.run])];
  return [c.run];
}

/** Whether any claim reads the sweep's cells (then `check` runs the document's sweep). */
export const readsSweep = (claims: readonly Claim[]): boolean => claims.some(isCellClaim);

/** Every run the claims read ("main" first). */
export function runsNeeded(claims: readonly Claim[]): string[] {
  const names = new Set(claims.flatMap(claimRuns));
  return [...names].sort((a, b) => (a === MAIN_RUN ? -1 : b === MAIN_RUN ? 1 : 0));
}

/** Numbers as people read them: `digits` significant digits (default 3), exponent notation outside [10⁻³, 10⁵). */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(digits)));
  return v.toExponential(digits - 1).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/** Digits enough to see a difference of `tolerance` (relative): 4 for 1 %, 8 for 10⁻⁶. */
function digitsFor(tolerance: number): number {
  let d = 4;
  for (let t = tolerance; t < 0.01 && d < 12; t *= 10) d++;
  return d;
}

class ClaimError extends Error {}

/** a recorded value and where it was read; `why` when there is none to compare (the claim fails) */
interface Picked { value: number; where: string; why?: string }

const runLabel = (run: string) => (run === MAIN_RUN ? '' : ` (${run})`);

/** The value of `metric` in `run` at `at`; throws ClaimError for what the traces cannot answer, returns NaN-valued picks for what fails. */
function pick(runs: ReadonlyMap<string, ClaimRun>, side: { metric: ClaimMetric; run: string; at: ClaimAt }): Picked | 'pending' {
  const run = runs.get(side.run);
  // a claim reads finished runs only (the app evaluates while runs go on)
  if (!run || !run.stop) return 'pending';
  const its = run.trace.iteration;
  const raw = run.trace[side.metric];
  if (!raw) throw new ClaimError(`the run "${side.run}" records no ${side.metric}`);
  const name = `${side.metric}${runLabel(side.run)}`;
  if (!its.length) return { value: NaN, where: name, why: 'nothing recorded' };
  // λ_min is recorded only every curvatureEvery (null / NaN between): read the records that have it
  const sparse = side.metric === 'curvature';
  const values = raw.map((v) => (v === null ? NaN : v));
  const idx = values.map((_, i) => i).filter((i) => !sparse || Number.isFinite(values[i]));
  if (!idx.length) return { value: NaN, where: name, why: 'nothing recorded' };
  const at = side.at;
  const lastIt = its[idx[idx.length - 1]];
  if (at === 'last') return { value: values[idx[idx.length - 1]], where: `${name} at the end (iteration ${lastIt})` };
  if (at === 'min' || at === 'max') {
    let best = idx[0];
    for (const i of idx) {
      if (!Number.isFinite(values[i])) return { value: NaN, where: `${name} at its ${at === 'min' ? 'smallest' : 'largest'}`, why: `not finite at iteration ${its[i]}` };
      if (at === 'min' ? values[i] < values[best] : values[i] > values[best]) best = i;
    }
    return { value: values[best], where: `${name} at its ${at === 'min' ? 'smallest' : 'largest'} (iteration ${its[best]})` };
  }
  if (at === 'plateau') {
    const from = lastIt - PLATEAU.window * lastIt;
    const tail = idx.filter((i) => its[i] >= from);
    if (tail.length < PLATEAU.records) throw new ClaimError(`"plateau" needs at least ${PLATEAU.records} records of ${side.metric} in the last ${100 * PLATEAU.window} % of the run; record more often (algorithm.recordEvery)`);
    const vs = tail.map((i) => values[i]);
    const last = vs[vs.length - 1];
    const where = `${name} on its plateau (iterations ${its[tail[0]]}–${lastIt})`;
    if (!vs.every(Number.isFinite)) return { value: NaN, where, why: 'not finite' };
    const hi = Math.max(...vs), lo = Math.min(...vs);
    const scale = Math.max(Math.abs(hi), Math.abs(lo));
    const spread = scale === 0 ? 0 : (hi - lo) / scale;
    if (spread > PLATEAU.spread) return { value: last, where, why: `no plateau: it still changes by ${formatNumber(100 * spread)} % there (a plateau: at most ${100 * PLATEAU.spread} %); last value ${formatNumber(last)}` };
    return { value: last, where };
  }
  if ('firstBelow' in at) {
    // an iteration, not a value: the first record at or below the level (escape.ts: f ≤ level)
    const level = at.firstBelow;
    const where = `the iteration at which ${name} first falls to ${formatNumber(level, 6)} or below`;
    const first = idx.find((i) => values[i] <= level);
    if (first === undefined) {
      const finite = idx.filter((i) => Number.isFinite(values[i]));
      const low = finite.length ? finite.reduce((a, i) => (values[i] < values[a] ? i : a)) : -1;
      return { value: NaN, where, why: `it never does in the ${lastIt} iterations recorded${low >= 0 ? ` (its smallest: ${formatNumber(values[low])} at iteration ${its[low]})` : ''}${run.stop.reason === 'completed' ? '' : `; the run stopped at iteration ${lastIt} (${run.stop.reason})`}` };
    }
    const every = idx.length > 1 ? its[idx[1]] - its[idx[0]] : 0;
    return { value: its[first], where: every > 1 ? `${where} (recorded every ${every})` : where };
  }
  const k = at.iteration;
  const i = its.indexOf(k);
  if (i >= 0 && (!sparse || Number.isFinite(values[i]))) return { value: values[i], where: `${name} at iteration ${k}` };
  if (i >= 0) throw new ClaimError(`${side.metric} of the run "${side.run}" is not recorded at iteration ${k} (algorithm.curvatureEvery)`);
  const end = its[its.length - 1];
  // a run that stopped early (diverged) never reached k: the claim fails; an iteration between records is the document's mistake
  if (k > end && run.stop && run.stop.reason !== 'completed') return { value: NaN, where: `${name} at iteration ${k}`, why: `the run stopped at iteration ${end} (${run.stop.reason})` };
  if (k > end) throw new ClaimError(`iteration ${k} is past the end of the run "${side.run}" (iteration ${end})`);
  throw new ClaimError(`iteration ${k} is not a record of the run "${side.run}" (${its.length > 1 ? `records at ${its[0]}, ${its[1]}, … ${end}` : `one record, at ${end}`}); choose a recorded iteration or set algorithm.recordEvery`);
}

const axisText = (v: AxisValue) => (typeof v === 'number' ? formatNumber(v) : v);
const cellValues = (values: readonly AxisValue[]) => values.map((v) => JSON.stringify(v)).join(', ');

/** The outcome `side.metric` of a cell of the sweep, over its seeds (`stat`); throws ClaimError for what the sweep cannot answer. */
function pickCell(sweep: ClaimSweep | null | undefined, side: CellSide): Picked | 'pending' {
  if (!sweep) return 'pending';
  const xi = axisIndex(sweep.x.values, side.cell.x);
  if (xi < 0) throw new ClaimError(`${JSON.stringify(side.cell.x)} is not a value of the sweep's x axis (${sweep.x.param}): ${cellValues(sweep.x.values)}`);
  let yi = 0;
  if (sweep.y) {
    if (side.cell.y === undefined) throw new ClaimError(`the cell needs "y": a value of ${sweep.y.param}`);
    yi = axisIndex(sweep.y.values, side.cell.y);
    if (yi < 0) throw new ClaimError(`${JSON.stringify(side.cell.y)} is not a value of the sweep's y axis (${sweep.y.param}): ${cellValues(sweep.y.values)}`);
  } else if (side.cell.y !== undefined) throw new ClaimError('the sweep has no y axis; name the cell by x alone');
  const at = `${sweep.x.label} = ${axisText(sweep.x.values[xi])}${sweep.y ? `, ${sweep.y.label} = ${axisText(sweep.y.values[yi])}` : ''}`;
  // a cancelled sweep lacks cells: their claims wait for a full one
  const cell = sweep.cells.find((c) => c.xi === xi && c.yi === yi);
  if (!cell) return 'pending';
  const m = side.metric;
  if ((CELL_NUMBER_METRICS as readonly string[]).includes(m)) {
    const v = cell[m as (typeof CELL_NUMBER_METRICS)[number]];
    if (v === null) throw new ClaimError(`the runs of this sweep have no ${m} (a network's ω and the bound of SPEC (3.2) are a DGD+LOCAL run's)`);
    const rate = m === 'successRate' || m === 'divergedRate';
    return { value: v, where: `${m} at ${at}${rate ? ` (${cell.trials} seed${cell.trials === 1 ? '' : 's'})` : ''}` };
  }
  const stat = side.stat ?? 'median';
  const kept = Math.round(cell.trials * (1 - cell.divergedRate));
  const over = kept === cell.trials ? `${cell.trials} seed${cell.trials === 1 ? '' : 's'}` : `the ${kept} of ${cell.trials} seeds that did not diverge`;
  const where = `${m} at ${at} (${stat} over ${m === 'iterationsToTolerance' ? 'the seeds that reached the tolerance' : over})`;
  const spread = cell[m as CellSpreadMetric];
  if (!spread) {
    if (cell.divergedRate === 1) return { value: NaN, where, why: 'every seed diverged' };
    if (m === 'iterationsToTolerance') return { value: NaN, where, why: 'no seed reached the tolerance' };
    throw new ClaimError(`the runs of this sweep record no ${m}${m === 'consensusError' ? ' (HMF has no consensus to measure)' : m === 'relativeError' ? ' (only a planted sensing, completion or RPCA problem has a matrix to recover)' : m.endsWith('Error') ? ' (only a planted HMF problem records it)' : ''}`);
  }
  return { value: spread[stat], where };
}

/** left relation right (both finite); "≈" within tolerance·|right|. */
export function relationHolds(rel: ClaimRelation, left: number, right: number, tolerance = DEFAULT_TOLERANCE): boolean {
  if (!Number.isFinite(left) || !Number.isFinite(right)) return false;
  switch (rel) {
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
    case '≈': return Math.abs(left - right) <= tolerance * Math.abs(right);
  }
}

const relText = (rel: ClaimRelation, tolerance: number | undefined) => (rel === '≈' ? `≈ (within ${formatNumber(100 * (tolerance ?? DEFAULT_TOLERANCE), 2)} %)` : rel.replace('<=', '≤').replace('>=', '≥'));

/**
 * A peaks claim: of the `top` largest windows of the run's series, how many are event windows, against
 * atLeast (default: all) and atMost. Throws ClaimError for what the run cannot answer.
 */
function evaluatePeaks(c: PeaksClaim, run: ClaimRun): ClaimResult {
  if (run.stop!.reason === 'diverged') return { claim: c, status: 'fails', detail: `the run${runLabel(c.run)} diverged at iteration ${run.stop!.iteration}: no index to read` };
  const s = run.series?.[c.peaks];
  if (!s) throw new ClaimError(`the run "${c.run}" records no ${c.peaks} index (HMF on stock prices records it)`);
  if (!s.events) throw new ClaimError(`the data of the run "${c.run}" marks no event windows (only the model market, problem.stocks, plants events)`);
  if (c.top > s.values.length) throw new ClaimError(`top is ${c.top} but the run has ${s.values.length} windows`);
  if (s.values.some((v) => !Number.isFinite(v))) return { claim: c, status: 'fails', detail: `the ${c.peaks} index${runLabel(c.run)} is not finite` };
  const top = topIndices(s.values, c.top);
  const hits = top.filter((i) => s.events![i]).length;
  const atLeast = c.atLeast ?? (c.atMost === undefined ? c.top : 0);
  const ok = hits >= atLeast && (c.atMost === undefined || hits <= c.atMost);
  const events = s.events.filter(Boolean).length;
  const listed = top.map((i) => `${s.labels[i]} ${formatNumber(s.values[i])}${s.events![i] ? ' (event)' : ''}`).join('; ');
  const outside = s.values.map((v, i) => (s.events![i] ? -Infinity : v)).reduce((a, v) => Math.max(a, v), -Infinity);
  const need = c.atMost === undefined ? `at least ${atLeast}` : c.atLeast === undefined ? `at most ${c.atMost}` : `${atLeast} to ${c.atMost}`;
  return {
    claim: c, status: ok ? 'holds' : 'fails', value: hits,
    detail: `${hits} of the ${c.top} largest windows of the ${c.peaks} index${runLabel(c.run)} are among the ${events} event windows (${need} claimed): ${listed}`
      + (Number.isFinite(outside) ? `; the largest outside the events: ${formatNumber(outside)}` : ''),
  };
}

function evaluateOne(c: Claim, runs: ReadonlyMap<string, ClaimRun>, sweep: ClaimSweep | null | undefined): ClaimResult {
  const side = (s: CellSide | Parameters<typeof pick>[1]) => ('cell' in s ? pickCell(sweep, s) : pick(runs, s));
  const waiting = isCellClaim(c) ? 'waiting for the sweep to finish' : null;
  try {
    if ('outcome' in c || 'verdict' in c || 'peaks' in c) {
      const run = runs.get(c.run);
      if (!run || !run.stop) return { claim: c, status: 'pending', detail: `the run "${c.run}" has not finished` };
      if ('peaks' in c) return evaluatePeaks(c, run);
      if ('outcome' in c) {
        const ok = run.stop.reason === c.outcome;
        return { claim: c, status: ok ? 'holds' : 'fails', detail: `the run${runLabel(c.run)} stopped: ${run.stop.reason} at iteration ${run.stop.iteration}${ok ? '' : `, not ${c.outcome}`}` };
      }
      if (!run.verdict) return { claim: c, status: 'fails', detail: `the run${runLabel(c.run)} has no verdict (${run.stop.reason} at iteration ${run.stop.iteration})` };
      const ok = run.verdict.kind === c.verdict;
      return { claim: c, status: ok ? 'holds' : 'fails', detail: `the verdict${runLabel(c.run)} is ${run.verdict.kind}${ok ? '' : `, not ${c.verdict}`}` };
    }
    if ('left' in c) {
      const l = side(c.left), r = side(c.right);
      if (l === 'pending' || r === 'pending') return { claim: c, status: 'pending', detail: waiting ?? 'waiting for the runs to finish' };
      const missing = [l, r].find((x) => x.why);
      if (missing) return { claim: c, status: 'fails', detail: `${missing.where}: ${missing.why}` };
      const ok = relationHolds(c.relation, l.value, c.factor * r.value, c.tolerance);
      const n = (v: number) => formatNumber(v, c.relation === '≈' ? digitsFor(c.tolerance ?? DEFAULT_TOLERANCE) : 3);
      const factor = c.factor === 1 ? '' : `${formatNumber(c.factor)} × `;
      const ratio = Number.isFinite(l.value / r.value) && r.value !== 0 ? ` (ratio ${formatNumber(l.value / r.value)})` : '';
      return { claim: c, status: ok ? 'holds' : 'fails', value: l.value,
        detail: `${l.where} = ${n(l.value)} ${ok ? '' : 'is not '}${relText(c.relation, c.tolerance)} ${factor}${r.where} = ${n(r.value)}${ratio}` };
    }
    const p = side(c);
    if (p === 'pending') return { claim: c, status: 'pending', detail: 'cell' in c ? 'waiting for the sweep to finish' : `waiting for the run "${c.run}" to finish` };
    if (p.why) return { claim: c, status: 'fails', ...(Number.isFinite(p.value) ? { value: p.value } : {}), detail: `${p.where}: ${p.why}` };
    const ok = relationHolds(c.relation, p.value, c.value, c.tolerance);
    const n = (v: number) => formatNumber(v, c.relation === '≈' ? digitsFor(c.tolerance ?? DEFAULT_TOLERANCE) : 3);
    return { claim: c, status: ok ? 'holds' : 'fails', value: p.value, detail: `${p.where} = ${n(p.value)} ${ok ? '' : 'is not '}${relText(c.relation, c.tolerance)} ${n(c.value)}` };
  } catch (err) {
    if (err instanceof ClaimError) return { claim: c, status: 'error', detail: err.message };
    throw err;
  }
}

/**
 * Each claim against the runs by name ("main" and the comparison runs) and the cells of the document's
 * sweep; a run not in `runs`, or no `sweep`, leaves the claims that read it pending.
 */
export function evaluateClaims(claims: readonly Claim[], runs: ReadonlyMap<string, ClaimRun>, sweep?: ClaimSweep | null): ClaimResult[] {
  return claims.map((c) => evaluateOne(c, runs, sweep));
}

export const STATUS_MARK: Record<ClaimStatus, string> = { holds: '✓', fails: '✗', pending: '○', error: '?' };
