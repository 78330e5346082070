/**
 * Comparison runs (the document's `compare` list, document.ts CompareRunSchema): the document's own run
 * with a JSON merge patch (RFC 7396) applied to its settings, validated as an experiment of its own. And
 * the checks of a document's claims against its runs' settings (`checkRuns`): what `validate` and `check`
 * refuse as malformed, and what the app marks as not checkable for an experiment changed from its preset.
 */
import { axisIndex } from './claims';
import { type CellClaim, type Claim, DocumentError, MAIN_RUN, isCellClaim } from './document';
import { type Experiment, parseExperiment } from './experiment';
import { mergePatch } from './merge-patch';
import { type Sweep, axisValues } from './sweep-schema';

export { MAIN_RUN } from './document';
export { mergePatch } from './merge-patch';

/**
 * The document of one comparison run: `doc` with the run's patch applied, and without what belongs to the
 * document as a whole (its claims, comparison runs and sweep).
 */
export function compareDocument<D extends object>(doc: D, run: { patch: Record<string, unknown> }): D {
  const { claims: _claims, compare: _compare, sweep: _sweep, ...rest } = doc as Record<string, unknown>;
  return mergePatch(rest, run.patch) as D;
}

/** The runs of a validated document by name, "main" first, each validated; a comparison run that is not a valid experiment throws, with its path. */
export function runDocuments(exp: Experiment): Map<string, Experiment> {
  const runs = new Map<string, Experiment>([[MAIN_RUN, exp]]);
  for (const [i, run] of (exp.compare ?? []).entries()) {
    try {
      runs.set(run.name, parseExperiment(compareDocument(exp, run)));
    } catch (err) {
      if (!(err instanceof DocumentError)) throw err;
      throw new DocumentError(`compare[${i}].patch`, `the run "${run.name}" is not a valid experiment: ${err.message}`);
    }
  }
  return runs;
}

/** Why claim `c` cannot be checked on these runs' settings (with the path under claims[i]), or null. */
export function claimMisfit(c: Claim, runs: ReadonlyMap<string, Experiment>): { path: string; message: string } | null {
  if (isCellClaim(c)) return cellMisfit(c, runs.get(MAIN_RUN)?.sweep);
  const sides = 'left' in c ? [{ ...c.left, path: '.left' }, { ...c.right, path: '.right' }]
    : [{ run: c.run, path: '', ...('metric' in c ? { metric: c.metric, at: c.at } : {}) }];
  for (const side of sides) {
    const doc = runs.get(side.run);
    if (!doc) return { path: `${side.path}.run`, message: `the run "${side.run}" is not available` };
    if ('peaks' in c) {
      // the index is HMF's on stock prices: a problem with a model market or given prices
      const p = doc.problem as { stocks?: unknown; prices?: unknown };
      if (!(p.stocks || p.prices)) return { path: '.peaks', message: `the run "${side.run}" records no heterogeneity index; it is HMF's on stock prices (problem.stocks or problem.prices)` };
    }
    if ((side.metric === 'curvature' || 'verdict' in c) && !doc.algorithm.curvatureEvery) {
      return { path: `${side.path}.${side.metric ? 'metric' : 'verdict'}`, message: `the run "${side.run}" records no curvature; set algorithm.curvatureEvery` };
    }
    const at = side.at;
    if (typeof at === 'object' && 'iteration' in at && at.iteration > doc.algorithm.iterations) {
      return { path: `${side.path}.at.iteration`, message: `is ${at.iteration}, past the ${doc.algorithm.iterations} iterations of the run "${side.run}"` };
    }
  }
  return null;
}

/** Why a claim about the sweep's cells names no cell of `sweep` (with the path under claims[i]), or null. */
function cellMisfit(c: CellClaim, sweep: Sweep | undefined): { path: string; message: string } | null {
  if (!sweep) return { path: '', message: 'is about a cell of a sweep, and the document has no sweep' };
  const sides = 'left' in c ? [{ ...c.left, path: '.left' }, { ...c.right, path: '.right' }] : [{ ...c, path: '' }];
  for (const side of sides) {
    for (const [name, axis] of [['x', sweep.x], ['y', sweep.y]] as const) {
      const v = side.cell[name];
      const path = `${side.path}.cell.${name}`;
      if (!axis) {
        if (v !== undefined) return { path, message: 'the sweep has no y axis; name the cell by x alone' };
        continue;
      }
      if (v === undefined) return { path: `${side.path}.cell`, message: `needs "${name}": a value of ${axis.param}` };
      const values = axisValues(axis);
      if (axisIndex(values, v) < 0) return { path, message: `is ${JSON.stringify(v)}, not a value of the sweep's ${name} axis (${axis.param}): ${values.map((w) => JSON.stringify(w)).join(', ')}` };
    }
  }
  return null;
}

/**
 * A validated document's comparison runs and claims against its settings: every comparison run is a valid
 * experiment, and each claim reads a run that records its metric at its iteration (as far as the settings
 * tell: a metric the problem kind does not record is found when the claim is evaluated). Throws a
 * DocumentError naming the field; returns the runs by name.
 */
export function checkRuns(exp: Experiment): Map<string, Experiment> {
  const runs = runDocuments(exp);
  for (const [i, c] of (exp.claims ?? []).entries()) {
    const misfit = claimMisfit(c, runs);
    if (misfit) throw new DocumentError(`claims[${i}]${misfit.path}`, misfit.message);
  }
  return runs;
}
