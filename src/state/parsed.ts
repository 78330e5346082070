/**
 * The one parse of a document. Link, file and form input is parsed at the edge into a typed `Experiment`;
 * the store keeps it beside the raw document (`LabState.parsed`, src/state/store.ts), runs and sweeps
 * carry it to the workers, and nothing inside parses that document again.
 *
 * Parses are remembered for frozen documents only: the store freezes the document it holds (`hold`), so
 * that object can never change under its parse; every edit works on a copy (src/state/actions.ts
 * `editExperiment`). A document that is not frozen is parsed each time it is asked about.
 */
import { type Experiment, type ExperimentInput, parseExperiment } from '../core/experiment';

export type Parsed = { ok: true; exp: Experiment } | { ok: false; error: Error };

const parses = new WeakMap<object, Parsed>();

/** The document's parse: the typed experiment, or the error that says what is wrong. */
export function parseDocument(doc: ExperimentInput): Parsed {
  let p = parses.get(doc);
  if (!p) {
    try {
      p = { ok: true, exp: parseExperiment(doc) };
    } catch (err) {
      p = { ok: false, error: err as Error };
    }
    if (Object.isFrozen(doc)) parses.set(doc, p);
  }
  return p;
}

/** Freeze a document the lab holds, all the way down (arrays of numbers in one step), and parse it once. */
export function hold(doc: ExperimentInput): Parsed {
  deepFreeze(doc);
  return parseDocument(doc);
}

function deepFreeze(x: unknown): void {
  // a typed array cannot be frozen (its elements stay writable); documents hold plain arrays, so none is expected
  if (typeof x !== 'object' || x === null || Object.isFrozen(x) || ArrayBuffer.isView(x)) return;
  Object.freeze(x);
  if (Array.isArray(x)) {
    if (x.length && typeof x[0] !== 'object') return; // numbers, strings: nothing inside to freeze
    x.forEach(deepFreeze);
  } else Object.values(x).forEach(deepFreeze);
}

/** The typed experiment of a document, or its error thrown. */
export function experimentOf(doc: ExperimentInput): Experiment {
  const p = parseDocument(doc);
  if (!p.ok) throw p.error;
  return p.exp;
}
