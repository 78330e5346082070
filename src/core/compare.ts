/**
 * Comparison runs (the document's `compare` list, document.ts CompareRunSchema): the document's own run
 * with a JSON merge patch (RFC 7396) applied to its settings. Plain JSON in, plain JSON out: the patched
 * document is validated by the experiment schema like any other (experiment.ts does, for every entry).
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7396: objects merge key by key, null removes the key, anything else (arrays included) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The name every document's own run has in claims. */
export const MAIN_RUN = 'main';

/**
 * The document of one comparison run: `doc` with the run's patch applied, and without what belongs to the
 * document as a whole (its claims, comparison runs and sweep).
 */
export function compareDocument<D extends object>(doc: D, run: { patch: Record<string, unknown> }): D {
  const { claims: _claims, compare: _compare, sweep: _sweep, ...rest } = doc as Record<string, unknown>;
  return mergePatch(rest, run.patch) as D;
}

/** The documents of every run a document names: its own ("main") first, then each comparison run. */
export function runDocuments<D extends { compare?: readonly { name: string; patch: Record<string, unknown> }[] }>(doc: D): { name: string; doc: D }[] {
  return [{ name: MAIN_RUN, doc }, ...(doc.compare ?? []).map((run) => ({ name: run.name, doc: compareDocument(doc, run) }))];
}
