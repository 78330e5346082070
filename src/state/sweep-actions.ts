/**
 * Actions of the sweep view: run the experiment's sweep in the sweep worker (progress, time left,
 * cancel), edit the sweep, and open one cell as a plain run in the run view.
 */
import type { ExperimentInput } from '../core/experiment';
import { parseExperiment } from '../core/experiment';
import { cellDocument } from '../core/sweep';
import type { SweepInput } from '../core/sweep-schema';
import type { FromSweepWorker, ToSweepWorker } from '../engine/protocol';
import { editExperiment, run } from './actions';
import { type SweepRun, labStore } from './store';

let worker: Worker | null = null;
let nextId = 1;
const get = () => labStore.getState();
const setRun = (patch: Partial<SweepRun>) => labStore.setState((s) => ({ sweepRun: { ...s.sweepRun, ...patch } }));

function send(msg: ToSweepWorker): void {
  if (!worker) {
    worker = new Worker(new URL('../engine/sweep-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<FromSweepWorker>) => onWorker(ev.data);
    worker.onerror = (ev) => setRun({ status: 'error', error: `The sweep worker failed: ${ev.message}` });
  }
  worker.postMessage(msg);
}

function onWorker(m: FromSweepWorker): void {
  if (m.sweepId !== get().sweepRun.id) return;
  switch (m.type) {
    case 'sweep-started':
      setRun({ status: 'running', engine: m.engine, reason: m.reason, progress: { runsDone: 0, runs: m.runs, fraction: 0, elapsedMs: 0, etaMs: null } });
      break;
    case 'sweep-progress':
      setRun({ progress: m.progress });
      break;
    case 'sweep-done':
      setRun({ status: m.result.cancelled ? 'cancelled' : 'done', result: m.result });
      break;
    case 'sweep-error':
      setRun({ status: 'error', error: m.message });
      break;
  }
}

/** Run the experiment's sweep (validated first: an error is shown, nothing starts). */
export function runSweep(): void {
  const s = get();
  try {
    parseExperiment(s.experiment);
  } catch (err) {
    setRun({ status: 'error', error: (err as Error).message, result: null, progress: null });
    return;
  }
  const id = nextId++;
  labStore.setState({ sweepRun: { id, status: 'starting', engine: null, reason: '', progress: null, result: null, error: null } });
  send({ type: 'sweep', sweepId: id, document: s.experiment, backend: s.backend });
}

export function cancelSweep(): void {
  const r = get().sweepRun;
  if (r.status === 'running' || r.status === 'starting') send({ type: 'cancel', sweepId: r.id });
}

/** Set (or with undefined, remove) the experiment's sweep. */
export function setSweep(sweep: SweepInput | undefined): void {
  editExperiment((doc) => {
    if (sweep) doc.sweep = sweep;
    else delete doc.sweep;
  });
}

/** The run of cell (xi, yi), first seed, as a plain experiment in the run view — started at once. */
export function openSweepCell(xi: number, yi: number): void {
  const result = get().sweepRun.result;
  if (!result) return;
  const doc = cellDocument(result.plan, xi, yi, 0) as ExperimentInput;
  const x = `${result.plan.x.label} = ${result.plan.x.values[xi]}`;
  const y = result.plan.y ? `, ${result.plan.y.label} = ${result.plan.y.values[yi]}` : '';
  doc.title = `Sweep cell: ${x}${y}`;
  doc.description = `One run of the sweep “${result.plan.base.title ?? "sweep"}” (its first seed of ${result.plan.seeds}). Back to the whole sweep: the Sweep tab.`;
  labStore.setState({ experiment: doc, preset: null, upload: null, view: 'run', error: null });
  run();
}
