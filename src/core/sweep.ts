/**
 * Sweeps: a grid of experiments over one or two parameters, several seeds per cell (the `sweep` field,
 * src/core/sweep-schema.ts). This module is the engine-free part: which plain experiment each cell and
 * seed is (`cellDocument`, also what "open this cell" loads in the app), the outcome of one trial from
 * its recorded rows, the aggregation over seeds (median, spread, success rate) and the CSV.
 *
 * Outcomes of a trial (recorded at 0, every recordEvery and at the last iteration, like a run):
 * the final objective, consensus error and optimality gap (and, for planted sensing / completion / RPCA,
 * the recovery error ‖UVᵀ − X⋆‖²); the first recorded iteration at which the optimality gap is at most
 * tolerance·‖Y‖² (least squares: tolerance) — for a planted sensing / completion / RPCA problem the
 * recovery error at most tolerance·‖X⋆‖², since fitting the observed entries is not recovering the
 * matrix; whether a metric turned non-finite (diverged, the run stops there). A trial succeeds when it
 * reached the tolerance and did not diverge.
 */
import { type CsvCell, toCsv } from './csv';
import type { Instance } from './build';
import { dataScale, isNodeInstance, kindOfProblem, practicalLipschitz } from './build';
import { DocumentError, type Experiment, type ExperimentInput, parseExperiment } from './experiment';
import { norm2 } from './linalg';
import { type MetricsRow, isFiniteRow } from './metrics';
import { type Sweep, type SweepAxis, type SweepValue, axisValues, setCellValues, sweepParam } from './sweep-schema';
import { kindOf } from './problems/registry';
import { omegaStepBound } from './theory';

export interface SweepPlan {
  base: Experiment;
  sweep: Sweep;
  x: { param: string; label: string; values: SweepValue[] };
  y: { param: string; label: string; values: SweepValue[] } | null;
  /** cells in row-major order: cell = yi·nx + xi */
  cells: number;
  seeds: number;
  trials: number;
}

function axisPlan(a: SweepAxis, name: 'x' | 'y') {
  const values = axisValues(a);
  const seen = new Set<SweepValue>();
  for (const v of values) {
    if (seen.has(v)) throw new DocumentError(`sweep.${name}.range`, `gives the value ${v} twice (${a.param} takes integers); use fewer steps or a list of values`);
    seen.add(v);
  }
  return { param: a.param, label: sweepParam(a.param)!.label, values };
}

/**
 * The sweep of a validated experiment, with every axis value checked against the base document: each
 * value is set alone and the document validated, so an inadmissible value is named with the reason.
 */
export function planSweep(e: Experiment): SweepPlan {
  if (!e.sweep) throw new DocumentError('sweep', 'the document has no sweep; add "sweep": { "x": { "param": …, "values": […] }, "seeds": … }');
  const sweep = e.sweep;
  const x = axisPlan(sweep.x, 'x');
  const y = sweep.y ? axisPlan(sweep.y, 'y') : null;
  const base = stripSweep(e);
  for (const [name, axis] of [['x', x], ['y', y]] as const) {
    if (!axis) continue;
    axis.values.forEach((v, i) => {
      const doc = structuredClone(base) as Record<string, unknown>;
      setCellValues(doc, [[axis.param, v]]);
      // (a cell is one plain run: with a run axis the base holds the runs' list, which no cell carries)
      delete doc.compare;
      try {
        parseExperiment(doc);
      } catch (err) {
        throw new DocumentError(`sweep.${name}.values[${i}]`, `${axis.param} = ${v}: ${(err as DocumentError).message}`);
      }
    });
  }
  const cells = x.values.length * (y?.values.length ?? 1);
  return { base, sweep, x, y, cells, seeds: sweep.seeds, trials: cells * sweep.seeds };
}

/**
 * A cell's base: the document without its sweep and claims, and without the comparison runs a sweep does not
 * run — unless an axis is `run`, whose cells are those runs (sweep-schema.ts; setting it removes the list).
 */
function stripSweep(e: Experiment): Experiment {
  const { sweep, compare, claims: _claims, ...rest } = e;
  const runAxis = [sweep?.x, sweep?.y].some((a) => a && sweepParam(a.param)?.run);
  return structuredClone(runAxis && compare ? { ...rest, compare } : rest) as Experiment;
}

/**
 * The plain experiment of cell (xi, yi), seed k: the base with the parameter values set and k added to
 * the data seed and the initial seed (the network's seed stays, so a row of the grid shares its graph).
 */
export function cellDocument(plan: SweepPlan, xi: number, yi: number, k = 0): ExperimentInput {
  const doc = structuredClone(plan.base) as Record<string, unknown> & ExperimentInput;
  setCellValues(doc, plan.y ? [[plan.x.param, plan.x.values[xi]], [plan.y.param, plan.y.values[yi]]] : [[plan.x.param, plan.x.values[xi]]]);
  if (k > 0) {
    const gen = (doc.problem as { generate?: { seed: number } }).generate;
    if (gen) gen.seed += k;
    doc.init = { ...(doc.init ?? {}), seed: ((doc.init as { seed?: number } | undefined)?.seed ?? 0) + k };
  }
  return doc;
}

/** What one trial ended with. */
export interface TrialOutcome {
  cell: number;
  seed: number;
  /** the resolved step size μ (HMF: η), ω, and the practical bound (1 − 2ω)/L̂ of SPEC (3.2)/§3.4 (HMF: null) */
  stepsize: number;
  omega: number | null;
  bound: number | null;
  /** factorization: the certified bound (3.7), [N] constants, ρ as in the run view's theory bar; else null */
  certifiedBound: number | null;
  /** the last recorded row (at divergence: the non-finite one) */
  final: MetricsRow;
  /** ‖Y‖² (factorization) or 1: what the relative gap is relative to */
  scale: number;
  /** ‖X⋆‖² of a planted sensing / completion / RPCA problem (what the recovery error is relative to), else null */
  truthScale: number | null;
  iterationsToTolerance: number | null;
  diverged: boolean;
}

/** Follows one trial's recorded rows; `done` once it diverged. Same rules as a Session's records. */
export class TrialTracker {
  final: MetricsRow | null = null;
  iterationsToTolerance: number | null = null;
  diverged = false;
  readonly scale: number;
  readonly truthScale: number | null;

  constructor(readonly inst: Instance, readonly cell: number, readonly seed: number, private readonly tolerance: number) {
    this.scale = dataScale(inst);
    const truth = 'truth' in inst.problem ? inst.problem.truth : null;
    this.truthScale = truth ? norm2(truth.data) : null;
  }

  get done(): boolean {
    return this.diverged;
  }

  record(row: MetricsRow): void {
    if (this.diverged) return;
    this.final = row;
    if (!isFiniteRow(row)) {
      this.diverged = true;
      return;
    }
    const reached = this.truthScale !== null && row.optimalityError !== undefined
      ? row.optimalityError <= this.tolerance * this.truthScale
      : row.optimalityGap <= this.tolerance * this.scale;
    if (this.iterationsToTolerance === null && reached) this.iterationsToTolerance = row.iteration;
  }

  outcome(): TrialOutcome {
    const inst = this.inst;
    // a kind with its own method (HMF) has no network: no ω, no (3.2)
    const node = isNodeInstance(inst);
    return {
      cell: this.cell, seed: this.seed, stepsize: inst.stepsize, omega: node ? inst.omega : null,
      bound: node ? omegaStepBound(inst.omega, practicalLipschitz(inst.problem)) : null,
      certifiedBound: certifiedBound(inst),
      final: this.final!, scale: this.scale, truthScale: this.truthScale, iterationsToTolerance: this.iterationsToTolerance, diverged: this.diverged,
    };
  }
}

/**
 * The step size the theory certifies at the start, for kinds that have such a bound (the factorization's
 * (3.7) with [N]'s constants at the same ρ as theoryReport); null otherwise.
 */
export function certifiedBound(inst: Instance): number | null {
  if (!isNodeInstance(inst)) return null;
  const kind = kindOfProblem(inst.problem);
  return kind.certified ? kind.certified(inst.problem, inst.omega, inst.objective.J, inst.init) : null;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** the mean over the seeds (summed in seed order), and their sample standard deviation (n − 1; null for one seed) */
  mean: number;
  std: number | null;
}

export interface CellOutcome {
  cell: number;
  xi: number;
  yi: number;
  x: SweepValue;
  y: SweepValue | null;
  /** trials run (fewer than the seeds when the sweep was cancelled) */
  trials: number;
  stepsize: number;
  omega: number | null;
  bound: number | null;
  certifiedBound: number | null;
  /** over the seeds that did not diverge (null when all did) */
  objective: Spread | null;
  /** null for HMF (the server's average makes U_g common by construction) */
  consensusError: Spread | null;
  optimalityGap: Spread | null;
  /** optimality gap / ‖Y‖² */
  relativeGap: Spread | null;
  /** planted sensing / completion / RPCA: ‖UVᵀ − X⋆‖² / ‖X⋆‖² (null otherwise) */
  relativeError: Spread | null;
  /** planted HMF (SPEC 7.6, 7.7): the shared and unique errors and the subspace error (null otherwise) */
  sharedError: Spread | null;
  uniqueError: Spread | null;
  subspaceError: Spread | null;
  /** over the seeds that reached the tolerance */
  iterationsToTolerance: Spread | null;
  successRate: number;
  divergedRate: number;
}

export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function spread(xs: number[]): Spread | null {
  if (!xs.length) return null;
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), mean, std: xs.length > 1 ? Math.sqrt(ss / (xs.length - 1)) : null };
}
const medianOrNull = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? median(v) : null;
};

/** Aggregate the trials of each cell (cells with no trial yet are left out). */
export function aggregate(plan: SweepPlan, trials: TrialOutcome[]): CellOutcome[] {
  const byCell = new Map<number, TrialOutcome[]>();
  for (const t of trials) {
    if (!byCell.has(t.cell)) byCell.set(t.cell, []);
    byCell.get(t.cell)!.push(t);
  }
  const nx = plan.x.values.length;
  return [...byCell.keys()].sort((a, b) => a - b).map((cell) => {
    const ts = byCell.get(cell)!.sort((a, b) => a.seed - b.seed);
    const ok = ts.filter((t) => !t.diverged);
    const xi = cell % nx, yi = Math.floor(cell / nx);
    return {
      cell, xi, yi, x: plan.x.values[xi], y: plan.y ? plan.y.values[yi] : null, trials: ts.length,
      stepsize: median(ts.map((t) => t.stepsize)), omega: medianOrNull(ts.map((t) => t.omega)), bound: medianOrNull(ts.map((t) => t.bound)),
      certifiedBound: ts.every((t) => t.certifiedBound !== null) ? median(ts.map((t) => t.certifiedBound!)) : null,
      objective: spread(ok.map((t) => t.final.objective)),
      consensusError: spread(ok.flatMap((t) => (t.omega === null ? [] : [t.final.consensusError]))),
      optimalityGap: spread(ok.map((t) => t.final.optimalityGap)),
      relativeGap: spread(ok.map((t) => t.final.optimalityGap / t.scale)),
      relativeError: spread(ok.flatMap((t) => (t.truthScale && t.final.optimalityError !== undefined ? [t.final.optimalityError / t.truthScale] : []))),
      sharedError: spread(ok.flatMap((t) => (t.final.sharedError === undefined ? [] : [t.final.sharedError]))),
      uniqueError: spread(ok.flatMap((t) => (t.final.uniqueError === undefined ? [] : [t.final.uniqueError]))),
      subspaceError: spread(ok.flatMap((t) => (t.final.subspaceError === undefined ? [] : [t.final.subspaceError]))),
      iterationsToTolerance: spread(ok.flatMap((t) => (t.iterationsToTolerance === null ? [] : [t.iterationsToTolerance]))),
      successRate: ts.filter((t) => !t.diverged && t.iterationsToTolerance !== null).length / ts.length,
      divergedRate: ts.filter((t) => t.diverged).length / ts.length,
    };
  });
}

const SPREAD_KEYS = ['objective', 'consensusError', 'optimalityGap', 'relativeGap', 'relativeError', 'iterationsToTolerance'] as const;
type OwnSpreadKey = 'sharedError' | 'uniqueError' | 'subspaceError';

/** The outcomes with a spread over seeds, in CSV order (HMF sweeps add their errors (7.6), (7.7)). */
function spreadKeys(plan: SweepPlan): readonly (typeof SPREAD_KEYS[number] | OwnSpreadKey)[] {
  return [...SPREAD_KEYS, ...(kindOf(plan.base.problem.kind)?.sweepOutcomes ?? []) as OwnSpreadKey[]];
}

/** The CSV column names: the swept parameters, then the outcomes. */
export function csvHeader(plan: SweepPlan): string[] {
  return [
    plan.x.param, ...(plan.y ? [plan.y.param] : []), 'trials', 'stepsize', 'omega', 'bound', 'certifiedBound',
    ...spreadKeys(plan).flatMap((k) => [`${k}_median`, `${k}_min`, `${k}_max`, `${k}_mean`, `${k}_std`]),
    'successRate', 'divergedRate',
  ];
}

/** One row per cell; empty fields where no seed gives a value. */
export function sweepCsv(plan: SweepPlan, cells: CellOutcome[]): string {
  // through the lab's one writer (null and absent as empty fields): a run axis's values are run names, which
  // may hold a comma or a quote
  return toCsv([
    csvHeader(plan),
    ...cells.map((c): CsvCell[] => [
      c.x, ...(plan.y ? [c.y] : []), c.trials, c.stepsize, c.omega, c.bound, c.certifiedBound,
      ...spreadKeys(plan).flatMap((k) => [c[k]?.median, c[k]?.min, c[k]?.max, c[k]?.mean, c[k]?.std]),
      c.successRate, c.divergedRate,
    ]),
  ]);
}
