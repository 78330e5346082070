/**
 * The run loop on top of an Engine: record metrics at iteration 0, every `recordEvery` and at the last
 * iteration; advance in between with no readback; stop at the iteration cap or on divergence (a metric
 * that turns NaN/±Inf), saying why in words a user can act on.
 */
import { type Instance, practicalLipschitz, stateToTensors } from '../core/build';
import type { State } from '../core/dgd';
import { type MetricsRow, isFiniteRow } from '../core/metrics';
import { type ResultDocument, type Stop, type Trace, emptyTrace, pushRow } from '../core/result';
import { DeviceLostError, type Engine } from './engine';

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
  /** keep a snapshot of the iterate at most this often (ms; 0 = at every record) to resume after device loss */
  snapshotEveryMs?: number;
  /** the device was lost and the run resumes from `iteration`; rows recorded after it are recorded again */
  onRewind?: (iteration: number, reason: string) => void;
}

const MAX_RECOVERIES = 3;

export async function runSession(engine: Engine, inst: Instance, opts: SessionOptions = {}): Promise<RunOutcome> {
  await engine.load(inst);
  const trace = emptyTrace();
  const K = inst.iterations;
  const snapshotEvery = opts.snapshotEveryMs ?? 2000;
  let snap: { state: State; iteration: number } = { state: { X: inst.init.X.slice(), Y: inst.init.Y.slice() }, iteration: 0 };
  let snapTime = Date.now();
  let recoveries = 0;
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
  /** Run `body`; on device loss, recover, rewind to the last snapshot and return false. */
  const guarded = async (body: () => Promise<boolean>): Promise<boolean | 'rewound'> => {
    try {
      return await body();
    } catch (err) {
      if (!(err instanceof DeviceLostError) || !engine.recover || recoveries >= MAX_RECOVERIES) throw err;
      recoveries++;
      await engine.recover();
      await engine.restore(snap.state, snap.iteration);
      while (trace.iteration.length && trace.iteration[trace.iteration.length - 1] > snap.iteration) {
        for (const key of Object.keys(trace) as (keyof Trace)[]) trace[key].pop();
      }
      it = snap.iteration;
      opts.onRewind?.(snap.iteration, err.message);
      return 'rewound';
    }
  };
  let first: boolean | 'rewound';
  do first = await guarded(record); while (first === 'rewound');
  const end: { state: State | null } = { state: null };
  while (first && end.state === null) {
    while (it < K) {
      if (opts.signal?.aborted) {
        stop = { reason: 'cancelled', iteration: it, message: `Cancelled at iteration ${it}.` };
        break;
      }
      const k = Math.min(inst.recordEvery, K - it);
      const ok = await guarded(async () => {
        await engine.advance(k);
        it += k;
        return record();
      });
      if (ok === 'rewound') continue;
      if (!ok) break;
      if (Date.now() - snapTime >= snapshotEvery && it < K) {
        const r = await guarded(async () => {
          snap = await engine.snapshot();
          return true;
        });
        if (r === 'rewound') continue;
        snapTime = Date.now();
      }
      await opts.breathe?.();
    }
    await guarded(async () => {
      end.state = (await engine.snapshot()).state;
      return true;
    });
  }
  if (!first) end.state = (await engine.snapshot()).state;
  return {
    trace,
    stop: stop ?? { reason: 'completed', iteration: K, message: `Completed ${K} iterations.` },
    final: end.state!,
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
