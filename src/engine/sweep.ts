/**
 * Running a sweep (src/core/sweep.ts): every cell × seed is a trial; trials of the same shape (n, r,
 * partition, algorithm family, iterations, record cadence) run as one batch on the WebGPU engine — the
 * trial index is a dispatch dimension, so a batch costs the same 3 dispatches per iteration as one run —
 * in chunks as large as the device limits and a memory budget allow. The CPU engine runs the trials one
 * after another (it is the float64 reference a GPU sweep is checked against), and so does HMF's WebGPU
 * engine, which has no trial dimension.
 *
 * Each trial records at 0, every recordEvery and at its last iteration, like a Session; a trial whose
 * metrics turn non-finite has diverged and stops there (on the GPU it is carried along but ignored). A
 * chunk stops early once all of its trials diverged. Progress (runs done, fraction of the work, time
 * left) is reported after every record; the signal cancels between records.
 */
import { type AnyProblem, type Instance, buildInstance, buildProblem, isNodeInstance } from '../core/build';
import { type Experiment, parseExperiment } from '../core/experiment';
import { kindOf } from '../core/problems/registry';
import type { MetricsRow } from '../core/metrics';
import { type CellOutcome, type SweepPlan, type TrialOutcome, TrialTracker, aggregate, cellDocument } from '../core/sweep';
import { GpuEngine } from '../gpu/families/factor';
import { type ShaderSources } from '../gpu/kernels';
import type { Layout } from '../gpu/layout';
import { type BackendPreference, chooseEngine } from './backend';
import { CpuEngine } from './cpu';
import { DeviceLostError, type Engine, type EngineKind } from './engine';

/** Trials of one shape advanced together. */
export interface BatchEngine {
  readonly kind: EngineKind;
  /** largest prefix of `insts` (all of one shape) that fits one batch; ≥ 1, or throws naming the limit */
  fit(insts: Instance[]): number;
  load(insts: Instance[]): Promise<void>;
  /** advance the trials still `alive` by k iterations */
  advance(k: number, alive: boolean[]): Promise<void>;
  metrics(alive: boolean[]): Promise<(MetricsRow | null)[]>;
  /** after a DeviceLostError: a new device (the chunk is then loaded and run again) */
  recover?(): Promise<void>;
  destroy(): void;
}

/** Device losses a sweep recovers from (a new device, the interrupted chunk run again) before it gives up. */
export const MAX_SWEEP_RECOVERIES = 3;

/**
 * Trials one after another on one engine: the float64 reference (the default), or an engine without a
 * trial dimension (HMF's WebGPU engine). A batch is one trial.
 */
export class OneByOne implements BatchEngine {
  readonly kind: EngineKind;
  readonly recover?: () => Promise<void>;

  constructor(private readonly engine: Engine = new CpuEngine()) {
    this.kind = engine.kind;
    if (engine.recover) this.recover = () => engine.recover!();
  }

  fit(): number {
    return 1;
  }

  async load(insts: Instance[]): Promise<void> {
    if (insts.length !== 1) throw new RangeError(`OneByOne runs one trial at a time, got ${insts.length}`);
    await this.engine.load(insts[0]);
  }

  async advance(k: number, alive: boolean[]): Promise<void> {
    if (alive[0]) await this.engine.advance(k);
  }

  async metrics(alive: boolean[]): Promise<(MetricsRow | null)[]> {
    return [alive[0] ? await this.engine.metrics() : null];
  }

  destroy(): void {
    this.engine.destroy();
  }
}

/** Device memory a batch may take (all its buffers together). */
export const GPU_BATCH_BYTES = 256 * 2 ** 20;

/** The WebGPU engine with all trials of a chunk in one batch (GpuEngine.loadBatch). */
export class GpuBatch implements BatchEngine {
  readonly kind = 'webgpu' as const;
  constructor(readonly engine: GpuEngine, private readonly maxBytes = GPU_BATCH_BYTES) {}

  fit(insts: Instance[]): number {
    const fits = (T: number) => {
      // the family's own plan of the batch (the same one check and loadBatch use)
      let L: Layout;
      try {
        L = this.engine.plan(insts.slice(0, T), false).L;
      } catch (err) {
        if (T === 1) throw err;
        return false;
      }
      const w = L.words;
      return T === 1 || 4 * (w.Y + 2 * w.U + 2 * w.V + w.P + w.tables + w.scratch) <= this.maxBytes;
    };
    let lo = 1, hi = insts.length;
    if (fits(hi)) return hi;
    fits(1); // throws when not even one trial fits
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  load(insts: Instance[]): Promise<void> {
    return this.engine.loadBatch(insts);
  }

  advance(k: number): Promise<void> {
    return this.engine.advance(k);
  }

  metrics(): Promise<MetricsRow[]> {
    return this.engine.metricsBatch();
  }

  recover(): Promise<void> {
    return this.engine.recover();
  }

  destroy(): void {
    this.engine.destroy();
  }
}

export interface SweepProgress {
  runsDone: number;
  runs: number;
  /** of the work (trial-iterations), 0 … 1 */
  fraction: number;
  elapsedMs: number;
  /** time left at the rate so far (null before there is a rate) */
  etaMs: number | null;
}

export interface SweepOptions {
  signal?: AbortSignal;
  onProgress?: (p: SweepProgress) => void;
  /** awaited after every record (a worker lets messages in there) */
  breathe?: () => Promise<void>;
  /** trials built and handed to the engine at once (GPU default 512; the device limits may split further) */
  maxBatch?: number;
  /** run only the trials t with t mod count = index (one of `count` workers); the parts merge with mergeSweeps */
  shard?: { index: number; count: number };
}

export interface SweepResult {
  plan: SweepPlan;
  backend: EngineKind;
  trials: TrialOutcome[];
  cells: CellOutcome[];
  cancelled: boolean;
  elapsedMs: number;
  /** batches loaded (one per chunk, and one more per chunk run again after a device loss) */
  batches: number;
  /** device losses recovered from (each interrupted chunk was run again on a new device) */
  recoveries: number;
}

/** Which data a trial's problem is built from: cells that agree on it share one Problem (and one copy of Y on a GPU). */
function problemKey(e: Experiment): string {
  const net = e.network;
  const J = net?.W?.shape[0] ?? net?.adjacency?.shape[0] ?? net?.J ?? 1;
  return JSON.stringify([e.problem, J, e.algorithm.name === 'gd']);
}

function shapeKey(inst: Instance): string {
  const p = inst.problem;
  const a = inst.experiment.algorithm;
  const size = !isNodeInstance(inst) ? [p.kind, inst.init.X.length, inst.init.Y.length]
    : kindOf(p.kind)?.gpuFamily === 'factor' && 'blocks' in p ? [p.n, p.r, p.partition.join('.')]
      : [p.kind, inst.objective.J, inst.objective.sharedLen, inst.objective.localLen.join('.')];
  return [...size, a.name === 'dgd' ? 'classical' : 'local', inst.iterations, inst.recordEvery].join('|');
}

export async function runSweep(plan: SweepPlan, engine: BatchEngine, opts: SweepOptions = {}): Promise<SweepResult> {
  const t0 = performance.now();
  const nx = plan.x.values.length;
  const shard = opts.shard ?? { index: 0, count: 1 };
  if (!(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new RangeError(`shard ${shard.index} of ${shard.count}: needs 0 ≤ index < count`);
  }
  const mine = (t: number) => t % shard.count === shard.index;
  let runs = 0;
  for (let t = 0; t < plan.trials; t++) if (mine(t)) runs++;
  const maxBatch = Math.max(1, opts.maxBatch ?? (engine.kind === 'webgpu' ? 512 : 1));
  const docs = (t: number) => {
    const cell = Math.floor(t / plan.seeds), k = t % plan.seeds;
    return { cell, k, doc: parseExperiment(cellDocument(plan, cell % nx, Math.floor(cell / nx), k)) };
  };
  // the work, for progress: Σ iterations over this shard's trials
  let work = 0;
  for (let cell = 0; cell < plan.cells; cell++) {
    const K = docs(cell * plan.seeds).doc.algorithm.iterations;
    for (let k = 0; k < plan.seeds; k++) if (mine(cell * plan.seeds + k)) work += Math.max(K, 1);
  }
  let workDone = 0, runsDone = 0, batches = 0, recoveries = 0, cancelled = false;
  const outcomes: TrialOutcome[] = [];
  // the fraction shown never steps back: a chunk run again after a device loss holds it until it passes
  let shown = 0;
  const progress = () => {
    const elapsedMs = performance.now() - t0;
    const fraction = shown = Math.max(shown, work ? Math.min(1, workDone / work) : 1);
    opts.onProgress?.({ runsDone, runs, fraction, elapsedMs, etaMs: fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : null });
  };

  // A device lost in the middle of a chunk: a new device, and the chunk from its start with fresh trackers
  // (its trials are short, and re-running them gives the numbers an uninterrupted chunk gives).
  const runChunk = async (trackers: TrialTracker[]): Promise<void> => {
    for (;;) {
      const before = workDone;
      try {
        return await runChunkOnce(trackers);
      } catch (err) {
        if (!(err instanceof DeviceLostError) || !engine.recover || recoveries >= MAX_SWEEP_RECOVERIES) throw err;
        recoveries++;
        workDone = before;
        await engine.recover();
        trackers = trackers.map((t) => new TrialTracker(t.inst, t.cell, t.seed, plan.sweep.tolerance));
      }
    }
  };

  const runChunkOnce = async (trackers: TrialTracker[]): Promise<void> => {
    const insts = trackers.map((t) => t.inst);
    const { iterations: K, recordEvery: every } = insts[0];
    await engine.load(insts);
    batches++;
    const alive = trackers.map(() => true);
    const record = async () => {
      const rows = await engine.metrics(alive);
      trackers.forEach((t, i) => {
        if (!alive[i]) return;
        t.record(rows[i]!);
        if (t.done) alive[i] = false;
      });
    };
    await record();
    let it = 0;
    while (it < K && alive.some(Boolean)) {
      if (opts.signal?.aborted) {
        cancelled = true;
        return;
      }
      const n = Math.min(every - (it % every), K - it);
      await engine.advance(n, alive);
      it += n;
      await record();
      workDone += n * insts.length;
      progress();
      await opts.breathe?.();
    }
    workDone += (K - it) * insts.length + (K === 0 ? insts.length : 0);
    runsDone += insts.length;
    for (const t of trackers) outcomes.push(t.outcome());
    progress();
  };

  const flush = async (group: TrialTracker[]) => {
    while (group.length && !cancelled) {
      const T = engine.fit(group.map((t) => t.inst));
      await runChunk(group.splice(0, T));
    }
  };

  const problems = new Map<string, AnyProblem>();
  const groups = new Map<string, TrialTracker[]>();
  try {
    progress();
    for (let t = 0; t < plan.trials && !cancelled; t++) {
      if (!mine(t)) continue;
      if (opts.signal?.aborted) {
        cancelled = true;
        break;
      }
      const { cell, k, doc } = docs(t);
      const pk = problemKey(doc);
      let problem = problems.get(pk);
      if (!problem) {
        if (problems.size > 64) problems.clear();
        problem = buildProblem(doc);
        problems.set(pk, problem);
      }
      const inst = buildInstance(doc, problem);
      const key = shapeKey(inst);
      const group = groups.get(key) ?? [];
      groups.set(key, group);
      group.push(new TrialTracker(inst, cell, k, plan.sweep.tolerance));
      if (group.length >= maxBatch) await flush(group);
    }
    for (const group of groups.values()) if (!cancelled) await flush(group);
  } finally {
    engine.destroy();
  }
  outcomes.sort((a, b) => a.cell - b.cell || a.seed - b.seed);
  return { plan, backend: engine.kind, trials: outcomes, cells: aggregate(plan, outcomes), cancelled, elapsedMs: performance.now() - t0, batches, recoveries };
}

/** The parts of a sharded sweep (runSweep with shard i of n, for every i) as one result. */
export function mergeSweeps(parts: SweepResult[]): SweepResult {
  const first = parts[0];
  if (!first) throw new RangeError('mergeSweeps needs at least one part');
  const trials = parts.flatMap((p) => p.trials).sort((a, b) => a.cell - b.cell || a.seed - b.seed);
  const sum = (f: (p: SweepResult) => number) => parts.reduce((a, p) => a + f(p), 0);
  return {
    plan: first.plan, backend: first.backend, trials, cells: aggregate(first.plan, trials), cancelled: parts.some((p) => p.cancelled),
    elapsedMs: Math.max(...parts.map((p) => p.elapsedMs)), batches: sum((p) => p.batches), recoveries: sum((p) => p.recoveries),
  };
}

/** The progress of a sharded sweep from its parts' (null: a part not started yet, counted as nothing done). */
export function mergeProgress(parts: (SweepProgress | null)[], runs: number): SweepProgress {
  const done = parts.reduce((a, p) => a + (p ? p.fraction * p.runs : 0), 0);
  const fraction = runs ? Math.min(1, done / runs) : 1;
  const elapsedMs = Math.max(0, ...parts.map((p) => p?.elapsedMs ?? 0));
  return {
    runsDone: parts.reduce((a, p) => a + (p?.runsDone ?? 0), 0), runs, fraction, elapsedMs,
    etaMs: fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : null,
  };
}

/**
 * The engine for a sweep, as for a run (src/engine/backend.ts): the WebGPU engine batched when chosen
 * (or `auto` on a hardware GPU), the CPU engine otherwise, with the reason.
 */
export async function sweepEngine(plan: SweepPlan, opts: { prefer: BackendPreference; gpu: GPU | undefined; shaders: ShaderSources }): Promise<{ engine: BatchEngine; reason: string }> {
  const first = buildInstance(parseExperiment(cellDocument(plan, 0, 0, 0)));
  const choice = await chooseEngine({ ...opts, instance: first });
  if (choice.engine instanceof GpuEngine) return { engine: new GpuBatch(choice.engine), reason: `${choice.reason} Trials of the same sizes run as one batch.` };
  if (choice.engine.kind === 'webgpu') return { engine: new OneByOne(choice.engine), reason: `${choice.reason} Its trials run one after another (this engine has no trial dimension).` };
  return { engine: new OneByOne(choice.engine), reason: choice.reason };
}

