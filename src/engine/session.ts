/**
 * The run loop on top of an Engine: record metrics at iteration 0, every `recordEvery` and at the last
 * iteration; advance in between with no readback; stop at the iteration cap, when a tolerance is reached
 * or on divergence (a metric that turns NaN/±Inf), saying why in words a user can act on. Keeps a
 * snapshot of the iterate every few seconds (at every record on the CPU engine, where it is a copy) and,
 * when a GPU device is lost, recovers the engine and resumes from it.
 *
 * Divergence is seen at a record, but reported at the first iteration whose metrics are not finite: the
 * session restores its last snapshot, advances to the last record in one go and then replays one
 * iteration at a time (at most 64 metric readbacks, once per run: a wider window between records is
 * halved first), and records the last finite row and the first non-finite one. The hot loop between
 * records stays free of checks.
 *
 * `Session` is driven step by step (the app's worker: play, pause, single step, reset); `runSession`
 * runs one to completion (the CLI and the tests).
 */
import { type Instance, dataScale, isFactorProblem, isNodeInstance, practicalLipschitz, stateToTensors } from '../core/build';
import type { RunSeries } from '../core/instance';
import { omegaStepBound } from '../core/step-bounds';
import type { State } from '../core/dgd';
import type { Experiment } from '../core/experiment';
import { type MetricsRow, isFiniteRow } from '../core/metrics';
import { type ResultDocument, type Stop, type Trace, emptyTrace, pushRow } from '../core/result';
import { type Verdict } from '../core/curvature';
import { kindOf } from '../core/problems/registry';
import { curvatureOfRow, finalVerdict } from './curvature';
import { type DivergenceContext, divergenceAdvice as adviceFor } from './divergence';
import { DeviceLostError, type Engine } from './engine';

export interface RunOutcome {
  trace: Trace;
  stop: Stop;
  final: State;
  /** when algorithm.curvatureEvery is set */
  verdict?: Verdict;
  /** the kind's series over its data at the final iterate (HMF on stock prices: the heterogeneity index) */
  series?: RunSeries;
}

export interface SessionOptions {
  signal?: AbortSignal;
  /** called with every recorded row, e.g. to stream it to the UI */
  onRow?: (row: MetricsRow) => void;
  /** awaited after every record: lets a worker's event loop deliver messages between chunks */
  breathe?: () => Promise<void>;
  /** keep a snapshot of the iterate at most this often (ms; 0 = at every record) to resume after device loss */
  snapshotEveryMs?: number;
  /** the device was lost and the run resumes from `iteration`; rows recorded after it are recorded again */
  onRewind?: (iteration: number, reason: string) => void;
  /** stop once the optimality gap falls to tolerance·‖Y‖² (factorization) or tolerance (least squares) */
  tolerance?: number;
}

const MAX_RECOVERIES = 3;
/** After a divergence, windows up to this many iterations are replayed one by one; wider ones are halved first. */
const REPLAY_STEPS = 64;

/** What to change after a divergence: the step size only when it is outside the theory's bound (src/engine/divergence.ts). */
export function divergenceAdvice(inst: Instance, ctx: DivergenceContext = {}): string {
  return adviceFor(inst, ctx);
}

export class Session {
  readonly trace: Trace = emptyTrace();
  stop: Stop | null = null;
  private it = 0;
  private snap: { state: State; iteration: number };
  private snapTime = Date.now();
  private recoveries = 0;
  private readonly scale: number;

  /** what one step is called in messages: "iteration", or the kind's own word (HMF: "round") */
  private readonly stepWord: string;
  /** the distributed objective at the last RECENT records */
  private recent: number[] = [];
  /** ‖∇‖ at iteration 0, what "still far from zero" is measured against */
  private gradient0 = NaN;

  constructor(readonly engine: Engine, readonly inst: Instance, private readonly opts: SessionOptions = {}) {
    this.stepWord = kindOf(inst.experiment.problem.kind)?.step ?? 'iteration';
    this.snap = { state: { X: inst.init.X.slice(), Y: inst.init.Y.slice() }, iteration: 0 };
    this.scale = dataScale(inst);
  }

  get iteration(): number {
    return this.it;
  }

  get done(): boolean {
    return this.stop !== null;
  }

  /** Upload the instance and record iteration 0. */
  async start(): Promise<void> {
    await this.engine.load(this.inst);
    this.it = 0;
    await this.guarded(() => this.record());
  }

  private push(row: MetricsRow): void {
    pushRow(this.trace, row);
    this.opts.onRow?.(row);
  }

  private async record(): Promise<boolean> {
    const row = await this.engine.metrics();
    if (!isFiniteRow(row)) {
      const first = await this.firstNonFinite(row);
      await curvatureOfRow(this.engine, this.inst, first);
      this.push(first);
      this.it = first.iteration;
      const advice = divergenceAdvice(this.inst, { kind: this.engine.kind, iteration: first.iteration });
      this.stop = { reason: 'diverged', iteration: first.iteration, message: `Diverged at ${this.stepWord} ${first.iteration}: the metrics are no longer finite. ${advice}` };
      return false;
    }
    await curvatureOfRow(this.engine, this.inst, row);
    this.push(row);
    this.recent = [...this.recent.slice(-(RECENT - 1)), row.distributedObjective];
    const tol = this.opts.tolerance;
    if (tol && tol > 0 && row.optimalityGap <= tol * this.scale) {
      const what = isFactorProblem(this.inst.problem) ? `${tol.toExponential(1)}·‖Y‖²` : tol.toExponential(1);
      this.stop = { reason: 'tolerance', iteration: row.iteration, message: `Tolerance reached at ${this.stepWord} ${row.iteration}: the optimality gap ${row.optimalityGap.toExponential(2)} is below ${what}.` };
      return false;
    }
    if (row.iteration === 0) this.gradient0 = row.gradientNorm;
    if (row.iteration >= this.inst.iterations) {
      const unsettled = this.unsettled(row);
      this.stop = { reason: 'completed', iteration: row.iteration, message: `Completed ${this.inst.iterations} ${this.stepWord}s${unsettled ? ` without converging: ${unsettled}` : '.'}` };
      return false;
    }
    return true;
  }

  /**
   * Why a run that used all its iterations has not converged, when its step is the reason: the gradient is
   * still far from zero (above 10⁻⁶ of its start, 10⁻³ in float32), μ is above the practical bound
   * (1 − 2ω)/L̂, and the objective went up between two of the last RECENT records — a step that oscillates
   * without overflowing. Null otherwise (a slow run, one within the bound, or a kind with its own method).
   */
  private unsettled(row: MetricsRow): string | null {
    const inst = this.inst;
    if (!isNodeInstance(inst) || !(this.gradient0 > 0)) return null;
    const rel = this.engine.kind === 'webgpu' ? 1e-3 : 1e-6;
    if (!(row.gradientNorm > rel * Math.max(1, this.gradient0))) return null;
    const bound = omegaStepBound(inst.omega, practicalLipschitz(inst.problem));
    if (!(bound > 0) || !(inst.stepsize > bound)) return null;
    // a run still going down, only slowly, is not oscillating: the step is not shown to be the reason
    const r = this.recent;
    if (!r.some((v, k) => k > 0 && v > r[k - 1] * (1 + 1e-12))) return null;
    return `the gradient norm is still ${row.gradientNorm.toPrecision(3)} (${(row.gradientNorm / this.gradient0).toPrecision(2)} of its start), `
      + `and μ = ${inst.stepsize.toPrecision(3)} is above the practical bound (1 − 2ω)/L̂ = ${bound.toPrecision(3)}, where the iterates oscillate. Try a smaller step size.`;
  }

  /**
   * The metrics at `bad` are not finite: find the first iteration whose are. From the last snapshot (taken
   * after a finite record) the engine advances to the last record in one go; a window wider than
   * REPLAY_STEPS is first halved (probe the middle: finite → it becomes the start, with one readback of
   * the iterate; not finite → back to the start), then the rest is stepped one iteration at a time with
   * the metrics read after each. The last finite row is recorded (the charts then reach the divergence)
   * and the engine is left at the first non-finite iterate. Halving assumes an iterate that has turned
   * non-finite stays so (it does: NaN and ∞ propagate); a replay that stays finite (an engine that is not
   * deterministic) keeps `bad`.
   */
  private async firstNonFinite(bad: MetricsRow): Promise<MetricsRow> {
    const from = this.trace.iteration[this.trace.iteration.length - 1];
    const snap = this.snap;
    if (from === undefined || bad.iteration - from <= 1 || snap.iteration > from) return bad;
    await this.engine.restore(snap.state, snap.iteration);
    if (from > snap.iteration) await this.engine.advance(from - snap.iteration);
    let lo = from, hi = bad.iteration;
    let start: State | null = from === snap.iteration ? snap.state : null;
    let last: MetricsRow | null = null;
    while (hi - lo > REPLAY_STEPS) {
      start ??= (await this.engine.snapshot()).state;
      const mid = lo + Math.floor((hi - lo) / 2);
      await this.engine.advance(mid - lo);
      const row = await this.engine.metrics();
      if (isFiniteRow(row)) {
        await curvatureOfRow(this.engine, this.inst, row);
        [lo, last, start] = [mid, row, null];
      } else {
        hi = mid;
        await this.engine.restore(start, lo);
      }
    }
    for (let it = lo + 1; it <= hi; it++) {
      await this.engine.advance(1);
      const row = await this.engine.metrics();
      if (!isFiniteRow(row)) {
        if (last) this.push(last);
        return row;
      }
      await curvatureOfRow(this.engine, this.inst, row);
      last = row;
    }
    return bad;
  }

  /** Run `body`; on device loss recover, rewind to the last snapshot and report 'rewound'. */
  private async guarded(body: () => Promise<boolean>): Promise<boolean | 'rewound'> {
    try {
      return await body();
    } catch (err) {
      if (!(err instanceof DeviceLostError) || !this.engine.recover || this.recoveries >= MAX_RECOVERIES) throw err;
      this.recoveries++;
      await this.engine.recover();
      await this.engine.restore(this.snap.state, this.snap.iteration);
      const t = this.trace;
      while (t.iteration.length && t.iteration[t.iteration.length - 1] > this.snap.iteration) {
        for (const key of Object.keys(t) as (keyof Trace)[]) t[key]?.pop();
      }
      this.it = this.snap.iteration;
      this.stop = null;
      this.opts.onRewind?.(this.snap.iteration, err.message);
      return 'rewound';
    }
  }

  /** Advance `k` iterations (capped at the run's length) and record. Returns false once the run has stopped. */
  async step(k = this.inst.recordEvery): Promise<boolean> {
    if (this.stop) return false;
    const n = Math.min(k, this.inst.iterations - this.it);
    const ok = await this.guarded(async () => {
      await this.engine.advance(n);
      this.it += n;
      return this.record();
    });
    // on the CPU engine a snapshot is a copy, cheaper than the record: then at every record (replays start there)
    if (ok === true && Date.now() - this.snapTime >= (this.opts.snapshotEveryMs ?? (this.engine.kind === 'cpu' ? 0 : 2000))) {
      const r = await this.guarded(async () => {
        this.snap = await this.engine.snapshot();
        return true;
      });
      if (r === true) this.snapTime = Date.now();
    }
    return !this.stop;
  }

  /** Run record by record until the run stops, `signal` aborts, or `until()` says to pause. */
  async run(until?: () => boolean): Promise<void> {
    while (!this.stop) {
      if (this.opts.signal?.aborted) {
        this.stop = { reason: 'cancelled', iteration: this.it, message: `Cancelled at ${this.stepWord} ${this.it}.` };
        return;
      }
      if (until?.()) return;
      // the next record lands on a multiple of recordEvery, even after single steps
      const every = this.inst.recordEvery;
      await this.step(every - (this.it % every));
      await this.opts.breathe?.();
    }
  }

  /** The final iterate (after a device loss during the read, the lost iterations are run again). */
  async final(): Promise<State> {
    for (;;) {
      let state: State | null = null;
      const r = await this.guarded(async () => {
        state = (await this.engine.snapshot()).state;
        return true;
      });
      if (r === true && state) return state;
      await this.run();
    }
  }
}

export async function runSession(engine: Engine, inst: Instance, opts: SessionOptions = {}): Promise<RunOutcome> {
  const s = new Session(engine, inst, opts);
  await s.start();
  await s.run();
  const final = await s.final();
  // a diverged run's metrics are not finite: a verdict there would be NaNs
  const verdict = inst.experiment.algorithm.curvatureEvery && s.stop!.reason !== 'diverged' ? finalVerdict(inst, final, engine.kind) : undefined;
  const series = finalSeries(inst, final, s.stop!.reason);
  return { trace: s.trace, stop: s.stop!, final, ...(verdict ? { verdict } : {}), ...(series ? { series } : {}) };
}

/** The kind's series at the final iterate (float64 from the iterate, whichever engine ran it); none after a divergence. */
export function finalSeries(inst: Instance, final: State, reason: string): RunSeries | undefined {
  return !isNodeInstance(inst) && reason !== 'diverged' ? inst.method.series?.(final) : undefined;
}

/** Records looked back on to tell an oscillating run from a slow one. */
const RECENT = 10;

export function resultDocument(inst: Instance, backend: string, out: RunOutcome): ResultDocument {
  return {
    format: 'lowrank-lab/result',
    version: 1,
    // an Instance is only ever built from a validated Experiment (core/build.ts)
    experiment: inst.experiment as Experiment,
    backend,
    resolved: { stepsize: inst.stepsize, omega: inst.omega, ...(isNodeInstance(inst) ? { fStar: inst.problem.fStar, J: inst.objective.J } : inst.method.resolved) },
    stop: out.stop,
    trace: out.trace,
    final: stateToTensors(inst, out.final),
    ...(out.verdict ? { verdict: out.verdict } : {}),
    ...(out.series ? { series: out.series } : {}),
  };
}
