/**
 * Link parameters a problem kind carries (key=value in the page address, src/state/url.ts): how each is
 * parsed and where it lives in the document. Reading never creates a field (encoding a link must not edit
 * the document); writing creates what the path needs.
 */
export type LinkValue = 'int' | 'num' | 'bool' | 'str' | 'list' | 'numlist' | 'nums' | { enum: readonly string[] };

/** The document as the link reads and writes it (the input form, before defaults). */
export interface LinkDoc {
  problem: object;
  algorithm: object;
  init?: object;
  network?: object;
}

export interface LinkParam {
  key: string;
  kind: LinkValue;
  get(doc: LinkDoc): unknown;
  set(doc: LinkDoc, v: unknown): void;
  /** left out of a link the lab writes (data given explicitly, a switch that is off) */
  skip?(doc: LinkDoc): boolean;
  /**
   * The value the lab uses when the document leaves the field out (trueRank: the rank). A link starts
   * from the default document, which may set the field; the lab then writes this value instead of nothing.
   */
  fill?(doc: LinkDoc): unknown;
}

type Obj = Record<string, unknown>;
type Section = 'problem' | 'algorithm' | 'init';

/** The object at `path` under a section: never created when reading (a throwaway {} stands in). */
function at(doc: LinkDoc, section: Section, path: readonly string[], create: boolean): Obj {
  const d = doc as unknown as Obj;
  if (create) d[section] ??= {};
  let o = (d[section] ?? {}) as Obj;
  for (const k of path) {
    if (create) o[k] ??= {};
    o = (o[k] ?? {}) as Obj;
  }
  return o;
}

/** A field of a section at a dotted path ("generate.n"), e.g. field('n', 'int', 'problem', 'generate.n'). */
export function field(key: string, kind: LinkValue, section: Section, path: string, skip?: LinkParam['skip'], fill?: LinkParam['fill']): LinkParam {
  const parts = path.split('.');
  const name = parts.pop()!;
  return {
    key, kind, ...(skip ? { skip } : {}), ...(fill ? { fill } : {}),
    get: (doc) => at(doc, section, parts, false)[name],
    set: (doc, v) => {
      at(doc, section, parts, true)[name] = v;
    },
  };
}

/** Whether the problem holds its data explicitly (a preset's or an upload's): its generator parameters are not written. */
export const givenData = (...keys: string[]) => (doc: LinkDoc): boolean => keys.some((k) => (doc.problem as Obj)[k] !== undefined);
