/**
 * The result document (`"format": "lowrank-lab/result"`): the experiment it ran, the backend, the trace
 * recorded at iteration 0, every `recordEvery` and at the last iteration, and the final iterate.
 */
import type { Verdict } from './curvature';
import type { Experiment, Tensor } from './experiment';
import { type MetricsRow, OPTIONAL_TRACE_KEYS, type OptionalTraceKey, TRACE_KEYS, type TraceKey } from './metrics';

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
}

/** JSON cannot hold NaN or ±Infinity: a diverged trace writes them as null. */
export function resultToJson(doc: ResultDocument): string {
  return JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}
