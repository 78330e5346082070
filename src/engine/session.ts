/**
 * The run loop on top of an Engine: record metrics at iteration 0, every `recordEvery` and at the last
 * iteration; advance in between with no readback; stop at the iteration cap or on divergence (a metric
 * that turns NaN/±Inf), saying why in words a user can act on.
 */
import { type Instance, practicalLipschitz, stateToTensors } from '../core/build';
import type { State } from '../core/dgd';
import { type MetricsRow, isFiniteRow } from '../core/metrics';
import { type ResultDocument, type Stop, type Trace, emptyTrace, pushRow } from '../core/result';
import type { Engine } from './engine';

export interface RunOutcome {
  trace: Trace;
  stop: Stop;
  final: State;
}

export function divergenceAdvice(inst: Instance): string {
  const bound = (1 - 2 * inst.omega) / practicalLipschitz(inst.problem);
  const b = bound > 0 ? `the practical bound (1 − 2ω)/L̂ is ${bound.toPrecision(3)} (ω = ${inst.omega.toFixed(3)})` : `ω = ${inst.omega.toFixed(3)} ≥ 1/2, so no fixed step is covered by the theory; use lazy weights`;
  return `μ = ${inst.stepsize.toPrecision(3)} is too large: ${b}. Try a smaller step size.`;
}

export interface SessionOptions {
  signal?: AbortSignal;
  /** called with every recorded row, e.g. to stream it to the UI */
  onRow?: (row: MetricsRow) => void;
  /** awaited after every record: lets a worker's event loop deliver a cancel between chunks */
  breathe?: () => Promise<void>;
}

export async function runSession(engine: Engine, inst: Instance, opts: SessionOptions = {}): Promise<RunOutcome> {
  await engine.load(inst);
  const trace = emptyTrace();
  const K = inst.iterations;
  let it = 0;
  let stop: Stop | null = null;
  const record = async (): Promise<boolean> => {
    const row = await engine.metrics();
    pushRow(trace, row);
    opts.onRow?.(row);
    if (!isFiniteRow(row)) {
      stop = { reason: 'diverged', iteration: row.iteration, message: `Diverged at iteration ${row.iteration}: the metrics are no longer finite. ${divergenceAdvice(inst)}` };
      return false;
    }
    return true;
  };
  if (await record()) {
    while (it < K) {
      if (opts.signal?.aborted) {
        stop = { reason: 'cancelled', iteration: it, message: `Cancelled at iteration ${it}.` };
        break;
      }
      const k = Math.min(inst.recordEvery, K - it);
      await engine.advance(k);
      it += k;
      if (!(await record())) break;
      await opts.breathe?.();
    }
  }
  const snap = await engine.snapshot();
  return {
    trace,
    stop: stop ?? { reason: 'completed', iteration: K, message: `Completed ${K} iterations.` },
    final: snap.state,
  };
}

export function resultDocument(inst: Instance, backend: string, out: RunOutcome): ResultDocument {
  return {
    format: 'lowrank-lab/result',
    version: 1,
    experiment: inst.experiment,
    backend,
    resolved: { stepsize: inst.stepsize, omega: inst.omega, fStar: inst.problem.fStar, J: inst.objective.J },
    stop: out.stop,
    trace: out.trace,
    final: stateToTensors(inst, out.final),
  };
}
