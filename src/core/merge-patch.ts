/**
 * JSON merge patch (RFC 7396), the form of a comparison run's settings (compare.ts) and of a cell on a sweep's
 * `run` axis (sweep-schema.ts): objects merge key by key, null removes the key, anything else (arrays
 * included) replaces. Its own module so the sweep's schema can use it without importing the document's.
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
