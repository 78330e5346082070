/**
 * The claims under a preset's description (src/core/claims.ts), against the runs on screen: the last Run's
 * own run and the comparison runs it started, once each has stopped. Before that every claim is pending
 * (a neutral mark); a claim the edited experiment cannot answer (an iteration past its end, a comparison
 * run it no longer allows) says why instead of a verdict. The claims about a sweep's cells are checked the
 * same way on the Sweep tab's finished sweep (sweepClaimsView).
 */
import { type ClaimResult, type ClaimRun, evaluateClaims } from '../core/claims';
import { claimMisfit, compareDocument } from '../core/compare';
import { type Claim, MAIN_RUN, isCellClaim } from '../core/document';
import { type Experiment, type ExperimentInput, parseExperiment } from '../core/experiment';
import type { MetricsRow } from '../core/metrics';
import type { CellOutcome, SweepPlan } from '../core/sweep';
import { parseDocument } from './parsed';
import type { RunRecord } from './store';

/** A run's rows as the columns of a trace (a metric no row has is left out). */
export function rowsToTrace(rows: readonly MetricsRow[]): ClaimRun['trace'] {
  const trace: Record<string, number[]> = { iteration: rows.map((r) => r.iteration) };
  const keys = new Set(rows.flatMap((r) => Object.keys(r)));
  keys.delete('iteration');
  for (const k of keys) trace[k] = rows.map((r) => (r as unknown as Record<string, number | undefined>)[k] ?? NaN);
  return trace as unknown as ClaimRun['trace'];
}

/** The runs of the last Run by claim name ("main" and the comparison runs), from the records on screen. */
export function claimRunsOf(runs: readonly RunRecord[]): Map<string, ClaimRun> {
  const out = new Map<string, ClaimRun>();
  const batch = Math.max(-1, ...runs.map((r) => r.batch ?? -1));
  for (const r of runs) {
    if (r.batch !== batch || r.claimRun === undefined) continue;
    // the stock case study's index: the run's last extras, drawn from the final iterate once it stopped
    const heterogeneity = r.extras?.heterogeneity;
    out.set(r.claimRun, { trace: rowsToTrace(r.rows), stop: r.stop, ...(r.verdict ? { verdict: r.verdict } : {}), ...(heterogeneity ? { series: { heterogeneity } } : {}) });
  }
  return out;
}

export interface ClaimsView {
  results: ClaimResult[];
  /** no run of this experiment yet: every mark is neutral */
  idle: boolean;
}

/** The document's runs by name that validate (a comparison run the edited experiment no longer allows is left out). */
function runDocuments(exp: Experiment): Map<string, Experiment> {
  const docs = new Map<string, Experiment>([[MAIN_RUN, exp]]);
  for (const run of exp.compare ?? []) {
    try {
      docs.set(run.name, parseExperiment(compareDocument(exp, run)));
    } catch {
      // claimMisfit says "not available" for the claims that read it
    }
  }
  return docs;
}

/**
 * The claims of `doc` (the last Run's document, or the experiment when nothing has run), evaluated on the
 * last Run's records; null when the document has none or does not validate.
 */
export function claimsView(doc: ExperimentInput, runs: readonly RunRecord[]): ClaimsView | null {
  const p = parseDocument(doc);
  if (!p.ok) return null;
  const exp = p.exp;
  // the claims about the sweep's cells are the Sweep tab's (sweepClaimsView)
  const claims = (exp.claims ?? []).filter((c) => !isCellClaim(c));
  if (!claims.length) return null;
  const docs = runDocuments(exp);
  const records = claimRunsOf(runs);
  const evaluated = evaluateClaims(claims, records);
  const results = evaluated.map((r, i): ClaimResult => {
    const misfit = claimMisfit(claims[i] as Claim, docs);
    return misfit ? { claim: r.claim, status: 'error', detail: `not checkable on these settings: ${misfit.message}` } : r;
  });
  return { results, idle: records.size === 0 };
}

/**
 * The claims of `doc` about its sweep's cells, on a finished sweep's result (null: none yet, or one for
 * other settings or cancelled — every claim pending); null when the document has none or does not validate.
 */
export function sweepClaimsView(doc: ExperimentInput, result: { plan: Pick<SweepPlan, 'x' | 'y'>; cells: readonly CellOutcome[]; cancelled: boolean } | null): ClaimsView | null {
  const p = parseDocument(doc);
  if (!p.ok) return null;
  const claims = (p.exp.claims ?? []).filter(isCellClaim);
  if (!claims.length) return null;
  const finished = result && !result.cancelled ? { x: result.plan.x, y: result.plan.y, cells: result.cells } : null;
  const docs = new Map([[MAIN_RUN, p.exp]]);
  const results = evaluateClaims(claims, new Map(), finished).map((r, i): ClaimResult => {
    const misfit = claimMisfit(claims[i], docs);
    return misfit ? { claim: r.claim, status: 'error', detail: `not checkable on these settings: ${misfit.message}` } : r;
  });
  return { results, idle: !finished };
}
