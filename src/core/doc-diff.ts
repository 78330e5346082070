/**
 * What an experiment document changes against another — a preset it started from: the settings that
 * differ, by path, in document order. Both documents are compared as parsed (defaults filled in), so a
 * field written out with its default value is no change, nor is an optional setting written out as
 * 0 / false where the other leaves it out (λ, noise, a missing fraction: off either way). A list or
 * tensor that differs is one change. Title, description and the data's source and licence are words
 * about the preset, not settings, and are left out.
 */
import { parseExperiment } from './experiment';
import { type SweepAxis, axisText } from './sweep-schema';

export interface DocChange {
  path: string;
  before: unknown;
  after: unknown;
}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !('shape' in v && 'data' in v);
/** a sweep axis ({ param, values | range }) is one setting, compared and shown whole */
const isAxis = (v: unknown): v is SweepAxis => isPlain(v) && typeof v.param === 'string';
const SKIP = new Set(['title', 'description', 'source', 'licence', 'format', 'version']);

function walk(a: unknown, b: unknown, path: string, out: DocChange[]): void {
  if (isPlain(a) && isPlain(b) && !isAxis(a) && !isAxis(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) if (!(path === '' && SKIP.has(k))) walk(a[k], b[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (a === b) return;
  // an optional setting left out is off: λ, noise, a missing fraction written as 0 (or a flag as false) is no change
  if ((a === undefined && (b === 0 || b === false)) || (b === undefined && (a === 0 || a === false))) return;
  if (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b)) return;
  out.push({ path, before: a, after: b });
}

/** The changes from `before` to `after`; null when either is not a valid experiment (nothing to compare). */
export function documentChanges(before: unknown, after: unknown): DocChange[] | null {
  let a: unknown, b: unknown;
  try {
    a = parseExperiment(before);
    b = parseExperiment(after);
  } catch {
    return null;
  }
  const out: DocChange[] = [];
  walk(a, b, '', out);
  return out;
}

const show = (v: unknown): string => {
  if (v === undefined) return 'unset';
  if (typeof v === 'number') return String(Number(v.toPrecision(6)));
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length <= 6 && v.every((x) => typeof x !== 'object') ? `[${v.join(', ')}]` : `a list of ${v.length}`;
  if (isAxis(v)) return `${v.param} ${axisText(v)}`;
  if (isPlain(v)) return JSON.stringify(v).length <= 40 ? JSON.stringify(v) : 'settings';
  return 'data';
};

/** "problem.generate.N 100 → 6" */
export function changeText(c: DocChange): string {
  return `${c.path} ${show(c.before)} → ${show(c.after)}`;
}
