/**
 * Actions of the sweep view: run the experiment's sweep in the sweep worker (progress, time left,
 * cancel), edit the sweep, and open one cell as a plain run in the run view.
 *
 * On the CPU engine the trials are split over one worker per core (at most 8): the first worker picks the
 * engine like a run does; when it is the CPU's, it runs shard 0 and the page starts the other shards in
 * more workers, then merges their results (mergeSweeps: the same cells as one worker gives). A GPU sweep
 * stays in the one worker that holds the device.
 */
import type { Experiment, ExperimentInput } from '../core/experiment';
import { experimentOf } from './parsed';
import { PAGE_BUDGET, type SweepCost, checkSweepBudget, parallelInBudget } from '../core/budget';
import { cellDocument, planSweep } from '../core/sweep';
import type { SweepInput } from '../core/sweep-schema';
import type { FromSweepWorker, ToSweepWorker } from '../engine/protocol';
import { type SweepProgress, type SweepResult, mergeProgress, mergeSweeps } from '../engine/sweep';
import { editExperiment, run } from './actions';
import { type SweepRun, labStore } from './store';
import { keepSweep, keptSweep, sweepKey } from './sweep-store';

const workers: Worker[] = [];
let nextId = 1;
const get = () => labStore.getState();
const setRun = (patch: Partial<SweepRun>) => labStore.setState((s) => ({ sweepRun: { ...s.sweepRun, ...patch } }));

/** The parts of the current sweep: one per worker that runs a shard of it. */
let parts: {
  count: number; runs: number; document: ExperimentInput; experiment: Experiment; cancelled: boolean; failed: boolean;
  progress: (SweepProgress | null)[]; results: (SweepResult | null)[];
} | null = null;

/** Workers for a CPU sweep: one per core, at most 8, never more than the trials. */
export function cpuWorkers(trials: number, cores = navigator.hardwareConcurrency || 1): number {
  return Math.max(1, Math.min(8, cores, trials));
}

function send(i: number, msg: ToSweepWorker): void {
  while (workers.length <= i) {
    const w = new Worker(new URL('../engine/sweep-worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (ev: MessageEvent<FromSweepWorker>) => onWorker(ev.data);
    w.onerror = (ev) => {
      if (parts) parts.failed = true;
      setRun({ status: 'error', error: `The sweep worker failed: ${ev.message}` });
    };
    workers.push(w);
  }
  workers[i].postMessage(msg);
}

function onWorker(m: FromSweepWorker): void {
  const r = get().sweepRun;
  if (m.sweepId !== r.id || !parts || parts.failed) return;
  switch (m.type) {
    case 'sweep-started':
      if (m.part !== 0) break;
      // not split (a GPU batches every trial), or cancelled before the other shards started: part 0 is all
      if (!m.sharded || parts.cancelled) parts.count = 1;
      setRun({
        status: 'running', engine: m.engine,
        reason: parts.count > 1 ? `${m.reason} Its runs are split over ${parts.count} workers (one per core).` : m.reason,
        progress: { runsDone: 0, runs: m.runs, fraction: 0, elapsedMs: 0, etaMs: null },
      });
      // the first worker chose the CPU engine: the other shards in workers of their own
      for (let i = 1; i < parts.count; i++) send(i, { type: 'sweep', sweepId: m.sweepId, experiment: parts.experiment, backend: 'cpu', kernels: get().kernels, cpuShard: { index: i, count: parts.count } });
      break;
    case 'sweep-progress':
      parts.progress[m.part] = m.progress;
      setRun({ progress: mergeProgress(parts.progress.slice(0, parts.count), parts.runs) });
      break;
    case 'sweep-done': {
      parts.results[m.part] = m.result;
      if (!m.result.cancelled) parts.progress[m.part] = { runsDone: m.result.trials.length, runs: m.result.trials.length, fraction: 1, elapsedMs: m.result.elapsedMs, etaMs: 0 };
      const done = parts.results.slice(0, parts.count);
      if (done.every((x) => x !== null)) {
        const result = mergeSweeps(done as SweepResult[]);
        setRun({ status: result.cancelled ? 'cancelled' : 'done', result, progress: mergeProgress(parts.progress.slice(0, parts.count), parts.runs) });
        // a finished sweep survives a reload (a cancelled one is not the sweep the document describes)
        if (!result.cancelled) void keepSweep(parts.document, result);
      }
      break;
    }
    case 'sweep-error':
      // one part failed: the others stop too (what they send after this is ignored)
      parts.failed = true;
      for (let i = 0; i < parts.count; i++) if (i !== m.part) send(i, { type: 'cancel', sweepId: m.sweepId });
      setRun({ status: 'error', error: m.message });
      break;
  }
}

/** Run the experiment's sweep (validated first: an error is shown, nothing starts). */
export function runSweep(): void {
  const s = get();
  let runs: number, worst: SweepCost, experiment: Experiment;
  try {
    experiment = experimentOf(s.experiment);
    const plan = planSweep(experiment);
    runs = plan.trials;
    // every cell sized before the sweep starts: the costliest past the page's budget is refused
    worst = checkSweepBudget(plan, PAGE_BUDGET);
  } catch (err) {
    setRun({ status: 'error', error: (err as Error).message, result: null, progress: null });
    return;
  }
  // a sweep still running (in any of the workers) gives way to this one
  const prev = s.sweepRun;
  if (prev.status === 'running' || prev.status === 'starting') workers.forEach((_, i) => send(i, { type: 'cancel', sweepId: prev.id }));
  const id = nextId++;
  // workers run a cell each at once: as many as the page's memory budget holds
  const count = s.backend === 'webgpu' ? 1 : parallelInBudget(worst.cost, PAGE_BUDGET, cpuWorkers(runs));
  parts = { count, runs, document: s.experiment, experiment, cancelled: false, failed: false, progress: new Array(count).fill(null), results: new Array(count).fill(null) };
  labStore.setState({ sweepRun: { id, status: 'starting', engine: null, reason: '', progress: null, result: null, error: null, kept: null, docKey: sweepKey(s.experiment) } });
  send(0, { type: 'sweep', sweepId: id, experiment, backend: s.backend, kernels: s.kernels, cpuShard: count > 1 ? { index: 0, count } : undefined });
}

/** Show this document's sweep as kept in the browser, when nothing has run since the page opened. */
export async function restoreKeptSweep(): Promise<void> {
  const doc = get().experiment;
  if (!doc.sweep || get().sweepRun.status !== 'idle') return;
  const kept = await keptSweep(doc);
  // still the same document, and still nothing run
  if (!kept || get().experiment !== doc || get().sweepRun.status !== 'idle') return;
  setRun({ status: 'done', engine: kept.result.backend, result: kept.result, kept: kept.savedAt, progress: null, docKey: kept.key });
}

export function cancelSweep(): void {
  const r = get().sweepRun;
  if (!parts || (r.status !== 'running' && r.status !== 'starting')) return;
  parts.cancelled = true;
  // the workers this sweep has started (the other shards start only once part 0 has)
  const started = r.status === 'running' ? parts.count : 1;
  for (let i = 0; i < started; i++) send(i, { type: 'cancel', sweepId: r.id });
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
  const s = get();
  labStore.setState({
    experiment: doc, preset: null, upload: null, view: 'run', error: null,
    sweepOrigin: { experiment: s.experiment, preset: s.preset, presetDoc: s.presetDoc, cellTitle: doc.title! },
  });
  run();
}

/** Back from an opened cell to the whole sweep (its document, preset and result), in the Sweep tab. */
export function backToSweep(): void {
  const o = get().sweepOrigin;
  if (!o) return;
  labStore.setState({ experiment: o.experiment, preset: o.preset, presetDoc: o.presetDoc, view: 'sweep', sweepOrigin: null, error: null });
}
