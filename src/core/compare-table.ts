/**
 * The "Compare methods" table: a document's own run and its comparison runs (the `compare` list) side by
 * side, one row per run, one column per metric the runs record — each value the last one its run recorded,
 * at the iteration (HMF: round) in the row's own column. The app shows it under the charts, the CLI's
 * `run` prints it after the runs; both export it through the one CSV writer (src/core/csv.ts).
 */
import type { CsvCell } from './csv';
import type { MetricsRow, OptionalTraceKey, TraceKey } from './metrics';
import { isNodeKind, kindOf, onNetwork, ownAlgorithm } from './problems/registry';

export type CompareMetric = TraceKey | OptionalTraceKey;

/** A run as the table reads it: its name ("main" or the comparison run's), problem kind, algorithm, recorded series and how it stopped. */
export interface CompareRunInput {
  name: string;
  kind: string;
  algorithm: string;
  /** the recorded series, aligned with `iteration`; a series a run lacks, or a null / undefined entry, is not recorded */
  trace: { iteration: readonly number[] } & Partial<Record<CompareMetric, readonly (number | null | undefined)[]>>;
  /** null: not finished (running, paused), or not started (no records yet) */
  stop: { reason: string } | null;
}

export interface CompareColumn { key: CompareMetric; label: string }

export interface CompareRow {
  name: string;
  algorithm: string;
  /** how the run stopped (completed, tolerance, diverged, cancelled), else unfinished (running or paused), or waiting before its first record */
  status: string;
  /** the iteration of the run's last record, which every value of the row was read at; null before any */
  iteration: number | null;
  /** one per column; null: the run does not record that metric (an empty cell, never 0) */
  values: (number | null)[];
}

export interface CompareTable {
  /** what one step is called: "iteration", or HMF's "round" */
  step: string;
  columns: CompareColumn[];
  rows: CompareRow[];
}

/** The columns for a comparison of HMF-kind runs (rating prediction, planted truth), in this order, each when some run records it. */
const OWN_COLUMNS: CompareColumn[] = [
  { key: 'testRmse', label: 'test RMSE' },
  { key: 'trainRmse', label: 'train RMSE' },
  { key: 'baselineRmse', label: 'baseline RMSE' },
  { key: 'subspaceError', label: 'subspace error' },
  { key: 'sharedError', label: 'shared error' },
  { key: 'uniqueError', label: 'unique error' },
  { key: 'objective', label: 'objective' },
  { key: 'feasibility', label: 'feasibility' },
];

/** The columns for runs of the node kinds (factorization, sensing, completion, RPCA, least squares). */
const NODE_COLUMNS: CompareColumn[] = [
  { key: 'objective', label: 'objective' },
  { key: 'optimalityGap', label: 'optimality gap' },
  { key: 'consensusError', label: 'consensus error' },
  { key: 'gradientNorm', label: 'gradient norm' },
  { key: 'fittingError', label: 'fitting error' },
  { key: 'optimalityError', label: 'optimality error' },
  { key: 'supportMismatch', label: 'support mismatch' },
  { key: 'testRmse', label: 'test RMSE' },
  { key: 'trainRmse', label: 'train RMSE' },
];

/**
 * Whether a run's series for `key` means something for it: consensus only on a network (centralized GD and
 * HMF record 0), the optimality gap neither for HMF's methods (their optimum is taken as 0: it repeats the
 * objective) nor where a fitting error is recorded (the measured problems: its minimum is 0 too).
 */
function meaningful(key: CompareMetric, run: CompareRunInput): boolean {
  if (key === 'consensusError') return onNetwork(run.algorithm);
  if (key === 'optimalityGap') return !ownAlgorithm(run.algorithm) && !run.trace.fittingError?.length;
  return true;
}

/** The value of `key` at a run's last record; null when the run does not record it there. */
function lastValue(run: CompareRunInput, key: CompareMetric): number | null {
  const n = run.trace.iteration.length;
  const series = run.trace[key];
  if (!n || !series || series.length !== n || !meaningful(key, run)) return null;
  const v = series[n - 1];
  return v === null || v === undefined ? null : v;
}

/**
 * The table of `runs` (the document's own run first, then its comparison runs in the document's order).
 * Its columns are those of the first run's kind that at least one run records; a run's row reads every
 * value at its last record (a diverged run's last record holds its non-finite values, and its status says so).
 */
export function compareTable(runs: readonly CompareRunInput[]): CompareTable {
  const kind = runs.length ? kindOf(runs[0].kind) : undefined;
  if (runs.length && !kind) throw new Error(`compareTable: unknown problem kind "${runs[0].kind}"`);
  const family = kind && !isNodeKind(kind) ? OWN_COLUMNS : NODE_COLUMNS;
  const rows = runs.map((run) => ({ run, all: family.map((c) => lastValue(run, c.key)) }));
  const kept = family.map((_, j) => rows.some((r) => r.all[j] !== null));
  return {
    // HMF's rounds, when every run counts rounds; a mix (HMF beside completion) counts iterations
    step: new Set(runs.map((r) => kindOf(r.kind)?.step ?? 'iteration')).size === 1 ? kind?.step ?? 'iteration' : 'iteration',
    columns: family.filter((_, j) => kept[j]),
    rows: rows.map(({ run, all }) => {
      const n = run.trace.iteration.length;
      return {
        name: run.name,
        algorithm: run.algorithm,
        status: run.stop?.reason ?? (n ? 'unfinished' : 'waiting'),
        iteration: n ? run.trace.iteration[n - 1] : null,
        values: all.filter((_, j) => kept[j]),
      };
    }),
  };
}

/** Rows of metric records (the app's runs) as a trace: each metric a row has, aligned with the iterations (undefined where a row lacks it). */
export function traceOfRows(rows: readonly MetricsRow[]): CompareRunInput['trace'] {
  const trace: Record<string, (number | undefined)[]> = { iteration: rows.map((r) => r.iteration) };
  const keys = new Set<string>(rows.flatMap((r) => Object.keys(r)));
  keys.delete('iteration');
  for (const k of keys) trace[k] = rows.map((r) => (r as unknown as Record<string, number | undefined>)[k]);
  return trace as unknown as CompareRunInput['trace'];
}

/** The table as CSV rows: a header (run, algorithm, status, the step, the metrics' trace names), then one row per run, every digit of each value. */
export function compareCsvRows(t: CompareTable): CsvCell[][] {
  return [
    ['run', 'algorithm', 'status', t.step, ...t.columns.map((c) => c.key)],
    ...t.rows.map((r) => [r.name, r.algorithm, r.status, r.iteration, ...r.values]),
  ];
}

/** A value as the table shows it: 4 significant digits (in powers of ten below 10⁻³ and from 10⁴); a non-finite one as it is. */
export function formatCompareValue(v: number | null): string {
  if (v === null) return '';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(3) : v.toPrecision(4);
}

/** The line that says what the table's values are. */
export function compareCaption(t: CompareTable): string {
  return `Each value is the last one its run recorded, at the ${t.step} in the "${t.step}" column; an empty cell: the run does not record that metric.`;
}

/** The table as aligned plain text (the CLI's), with its caption. */
export function compareText(t: CompareTable): string {
  const head = ['run', 'algorithm', 'status', t.step, ...t.columns.map((c) => c.label)];
  // a name's line breaks or tabs would break the alignment: spaces here (the CSV keeps them, quoted)
  const body = t.rows.map((r) => [r.name.replace(/\s/g, ' '), r.algorithm, r.status, r.iteration === null ? '' : String(r.iteration), ...r.values.map(formatCompareValue)]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd();
  return [`Compare methods: ${compareCaption(t)}`, line(head), ...body.map(line)].join('\n') + '\n';
}
