/**
 * The result document (`"format": "lowrank-lab/result"`): the experiment it ran, the backend, the trace
 * recorded at iteration 0, every `recordEvery` and at the last iteration, and the final iterate.
 */
import type { Verdict } from './curvature';
import type { Experiment, Tensor } from './experiment';
import { type MetricsRow, OPTIONAL_TRACE_KEYS, type OptionalTraceKey, TRACE_KEYS, type TraceKey } from './metrics';
import type { RunSeries } from './instance';
import { toCsv } from './csv';

export type Trace = { iteration: number[] } & Record<TraceKey, number[]> & Partial<Record<OptionalTraceKey, number[]>> & {
  /** λ_min of the Hessian at each record (algorithm.curvatureEvery; null in JSON where it was skipped) */
  curvature?: number[];
};

export function emptyTrace(): Trace {
  const t = { iteration: [] as number[] } as Trace;
  for (const k of TRACE_KEYS) t[k] = [];
  return t;
}

export function pushRow(t: Trace, row: MetricsRow): void {
  t.iteration.push(row.iteration);
  for (const k of TRACE_KEYS) t[k].push(row[k]);
  for (const k of OPTIONAL_TRACE_KEYS) {
    const v = row[k];
    if (v !== undefined) (t[k] ??= []).push(v);
  }
  if (row.curvature !== undefined) (t.curvature ??= []).push(row.curvature);
}

export type StopReason = 'completed' | 'tolerance' | 'diverged' | 'cancelled';

export interface Stop {
  reason: StopReason;
  iteration: number;
  /** one sentence for people: why the run stopped, and what to try for a divergence */
  message: string;
}

export interface ResultDocument {
  format: 'lowrank-lab/result';
  version: 1;
  experiment: Experiment;
  backend: string;
  /** the WebGPU adapter that ran it, when one did */
  adapter?: { vendor: string; architecture: string; description: string; software: boolean };
  /** figures the run resolved from the document (e.g. μ from a step rule) */
  resolved: { stepsize: number; omega: number; fStar: number; J: number; misalignment?: number };
  stop: Stop;
  trace: Trace;
  final: Record<string, Tensor>;
  /** at the final iterate, when algorithm.curvatureEvery is set: minimum / strict saddle / not converged (SPEC §4.1) */
  verdict?: Verdict;
  /** series over the data at the final iterate (HMF on stock prices: the heterogeneity index per day and per window) */
  series?: RunSeries;
}

/** JSON cannot hold NaN or ±Infinity: a diverged trace writes them as null. */
export function resultToJson(doc: ResultDocument): string {
  return JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

/**
 * The matrix a run's factors make, ŪV̄ᵀ (Ū, V̄ the averages over the nodes of a per-node factor; a factor
 * held once is itself), in float64 from a result's `final` iterate; null when the iterate has no U and V.
 * For completion it is the completed matrix, for a factorization the rank-r approximation.
 */
export function productOfFactors(final: Record<string, Tensor>): { rows: number; cols: number; data: Float64Array } | null {
  const mean = (t: Tensor | undefined): { rows: number; r: number; data: Float64Array } | null => {
    if (!t || (t.shape.length !== 2 && t.shape.length !== 3)) return null;
    const [J, rows, r] = t.shape.length === 3 ? t.shape : [1, ...t.shape];
    const data = new Float64Array(rows * r);
    for (let j = 0; j < J; j++) for (let k = 0; k < rows * r; k++) data[k] += t.data[j * rows * r + k] / J;
    return { rows, r, data };
  };
  const U = mean(final.U), V = mean(final.V);
  if (!U || !V || U.r !== V.r) return null;
  const out = new Float64Array(U.rows * V.rows);
  for (let i = 0; i < U.rows; i++) {
    for (let c = 0; c < V.rows; c++) {
      let v = 0;
      for (let k = 0; k < U.r; k++) v += U.data[i * U.r + k] * V.data[c * U.r + k];
      out[i * V.rows + c] = v;
    }
  }
  return { rows: U.rows, cols: V.rows, data: out };
}

/** A matrix as CSV: one line per row, every digit of each number. */
export function matrixCsv(m: { rows: number; cols: number; data: ArrayLike<number> }): string {
  return toCsv(Array.from({ length: m.rows }, (_, i) => Array.from({ length: m.cols }, (_, c) => m.data[i * m.cols + c])));
}
