/**
 * The whole lab state in the URL query (TensorFlow Playground style): one declarative table of
 * parameters, each with its key, where it lives in the state, how to parse and print it. Versioned
 * (`v=1`). Decoding applies the parameters one by one on top of the base (a preset or the defaults) and
 * keeps a parameter only if the document still validates, so a bad link always opens a working lab, with
 * a notice that lists what was ignored and why.
 */
import { ALGORITHMS, type ExperimentInput, TOPOLOGIES, WEIGHT_RULES, parseExperiment } from '../core/experiment';
import { PAGE_BUDGET, checkBudget } from '../core/budget';
import { DEFAULT_EXPERIMENT, switchKind } from './defaults';
import { type SweepInput, axisText, parseAxisText } from '../core/sweep-schema';
import { KINDS, KIND_NAMES, NODE_ALGORITHMS, kindOf } from '../core/problems/registry';
import type { LinkDoc, LinkParam } from '../core/problems/link';
import { type LandscapeParams, LandscapeParamsSchema, defaultDistributedToy, defaultLandscapeParams } from '../core/toy';
import { TOYS, TOY_NAMES } from '../core/toys/registry';
import { defaultRecordEvery } from '../core/document';

export const URL_VERSION = 1;
export const BACKENDS = ['auto', 'cpu', 'webgpu'] as const;
export const VIEWS = ['run', 'landscape', 'gallery', 'sweep', 'start'] as const;

/**
 * A bare link (no query at all) opens the first-visit view (src/ui/StartView.tsx): R3, the preset whose
 * figure it plays, at a pace the eye can follow (R3's 10 000 iterations in about 8 s).
 */
export const FIRST_VISIT = { preset: 'r3', view: 'start', speed: 1250 } as const;

/** The one parameter of a link to data kept in this browser (src/state/upload-store.ts): `?upload=<id>&view=…`. */
export const UPLOAD_PARAM = 'upload';

/**
 * What a link may hold (README, "Using the lab"). Every preset's and gallery link is under 400 characters
 * and its longest list has 12 entries; a longer link or list is refused, with a notice, before anything
 * else is parsed, so no link can keep the page from opening.
 */
/** the query string (after "?"), in characters; a longer link is not read at all */
export const MAX_LINK_LENGTH = 8192;
/** entries in one value, separated by "," or ";" (hide, also, part, a sweep's values, landscape starts) */
export const MAX_LIST_ENTRIES = 256;
/** a notice quotes at most this many characters of a value, then "… (N characters)" */
export const QUOTE_LENGTH = 60;
/** a notice is one line of at most this many characters (the longest reason, the list of sweepable parameters, is about 600) */
export const MAX_NOTICE_LENGTH = 800;
/** at most this many notices; the last then says how many more there were */
export const MAX_NOTICES = 20;

const grouped = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
// control characters, line and paragraph separators and bidirectional controls: written as \uXXXX in a
// notice, so a value can neither break its line nor reorder the text around it
const UNSAFE = /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const safeChar = (ch: string) => (UNSAFE.test(ch) ? `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}` : ch);

/** A value as a notice quotes it: at most `max` characters, then an ellipsis and its full length. */
export function quote(v: string, max = QUOTE_LENGTH): string {
  let out = '';
  for (const ch of v) {
    const c = safeChar(ch);
    if (out.length + c.length > max) return `${out}… (${grouped(v.length)} characters)`;
    out += c;
  }
  return out;
}

/** A reason's quoted values ("…") shortened like `quote` (messages from the schema repeat the value). */
const shortQuotes = (why: string) => why.replace(/"([^"]{61,})"/g, (_, v: string) => `"${quote(v)}"`);

/** One notice line: unsafe characters escaped, at most MAX_NOTICE_LENGTH characters. */
function noticeLine(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = safeChar(ch);
    if (out.length + c.length > MAX_NOTICE_LENGTH - 1) return `${out}…`;
    out += c;
  }
  return out;
}

/** The part of the lab state a link carries. */
export interface LinkState {
  experiment: ExperimentInput;
  preset: string | null;
  backend: (typeof BACKENDS)[number];
  /** the CPU engine's products: the WebAssembly kernels, or the plain TypeScript path they are checked against */
  kernels: 'wasm' | 'js';
  tolerance: number;
  speed: number;
  view: (typeof VIEWS)[number];
  /** controls hidden by the link (a teacher's simplified page) */
  hide: string[];
  /** runs shown first, kept on the charts, for comparison: algorithm names or key=value overrides */
  also: string[];
  /** the landscape view's settings (src/core/toy.ts) */
  landscape: LandscapeParams;
}

export const DEFAULT_LINK: LinkState = {
  experiment: DEFAULT_EXPERIMENT, preset: null, backend: 'auto', kernels: 'wasm', tolerance: 0, speed: 0, view: 'run', hide: [], also: [],
  landscape: defaultLandscapeParams,
};

type ProblemKind = ExperimentInput['problem']['kind'];
const onlyText = (kinds: readonly string[]) => kinds.join(' / ');

type Kind = 'int' | 'num' | 'bool' | 'str' | 'list' | 'numlist' | 'nums' | { enum: readonly string[] };

interface Param {
  key: string;
  kind: Kind;
  /** which problem kinds the parameter belongs to (omitted: any) */
  only?: readonly string[];
  /** a network parameter: not carried for kinds without a network */
  network?: boolean;
  get(s: LinkState): unknown;
  set(s: LinkState, v: unknown): void;
  /** left out of a link the lab writes */
  skip?(s: LinkState): boolean;
  /** the value the lab uses for a field the document leaves out (see LinkParam.fill) */
  fill?(s: LinkState): unknown;
}

const clone = <T>(x: T): T => structuredClone(x);
/** Algorithms a run can be compared with on the same problem (`also=`); HMF has its own problem kind. */
const COMPARABLE: readonly string[] = NODE_ALGORITHMS;
const prob = (s: LinkState) => s.experiment.problem as Record<string, unknown>;
// Reading a parameter must not change the document (a centralized run has no network object, and an
// empty one would not validate): with `create` false these return a throwaway object when absent.
const net = (s: LinkState, create = true) => {
  if (!create) return (s.experiment.network ?? {}) as Record<string, unknown>;
  s.experiment.network ??= {};
  return s.experiment.network as Record<string, unknown>;
};
const alg = (s: LinkState) => s.experiment.algorithm as Record<string, unknown>;
const init = (s: LinkState, create = true) => {
  if (!create) return (s.experiment.init ?? {}) as Record<string, unknown>;
  s.experiment.init ??= {};
  return s.experiment.init as Record<string, unknown>;
};
const field = (obj: (s: LinkState, create?: boolean) => Record<string, unknown>, name: string) => ({
  get: (s: LinkState) => obj(s, false)[name],
  set: (s: LinkState, v: unknown) => {
    obj(s)[name] = v;
  },
});

/** A kind's link parameter on the link state. */
const onState = (p: LinkParam, only: string[]): Param => ({
  key: p.key, kind: p.kind, only,
  get: (s) => p.get(s.experiment as LinkDoc),
  set: (s, v) => p.set(s.experiment as LinkDoc, v),
  ...(p.skip ? { skip: (s: LinkState) => p.skip!(s.experiment as LinkDoc) } : {}),
  ...(p.fill ? { fill: (s: LinkState) => p.fill!(s.experiment as LinkDoc) } : {}),
});

/** The kinds' parameters, each key once, belonging to the kinds that list it. */
function kindParams(): Param[] {
  const byKey = new Map<string, { p: LinkParam; only: string[] }>();
  for (const k of KINDS) {
    for (const p of k.link) {
      const seen = byKey.get(p.key);
      if (seen) seen.only.push(k.kind);
      else byKey.set(p.key, { p, only: [k.kind] });
    }
  }
  return [...byKey.values()].map(({ p, only }) => onState(p, only));
}

/** Every parameter a link can carry, in the order they are applied. */
export const PARAMS: Param[] = [
  { key: 'kind', kind: { enum: KIND_NAMES }, get: (s) => prob(s).kind, set: (s, v) => {
    if (prob(s).kind === v) return;
    s.experiment = switchKind(s.experiment, kindOf(v as string)!);
  } },
  // each kind's own parameters (src/core/problems/<kind>.ts), in registry order; one key, one meaning
  ...kindParams(),
  { key: 'J', kind: 'int', ...field(net, 'J'), network: true },
  { key: 'topo', kind: { enum: TOPOLOGIES.filter((t) => t !== 'adjacency') }, ...field(net, 'topology'), network: true },
  { key: 'p', kind: 'num', ...field(net, 'p'), network: true },
  { key: 'tau', kind: 'num', ...field(net, 'tau'), network: true },
  { key: 'gr', kind: 'int', ...field(net, 'rows'), network: true },
  { key: 'gc', kind: 'int', ...field(net, 'cols'), network: true },
  { key: 'nseed', kind: 'int', ...field(net, 'seed'), network: true },
  { key: 'w', kind: { enum: WEIGHT_RULES }, ...field(net, 'weights'), network: true },
  { key: 'lazy', kind: 'bool', ...field(net, 'lazy'), network: true },
  { key: 'alg', kind: { enum: ALGORITHMS }, ...field(alg, 'name') },
  // μ: a number, or "c0.5" for the practical rule c·(1 − 2ω)/L̂
  { key: 'mu', kind: 'str', get: (s) => {
    const v = s.experiment.algorithm.stepsize;
    return typeof v === 'number' ? String(v) : `c${v.c}`;
  }, set: (s, v) => {
    const t = String(v);
    const x = Number(t.startsWith('c') ? t.slice(1) : t);
    if (!Number.isFinite(x)) throw new Error('is neither a number nor c<number> (the practical rule)');
    s.experiment.algorithm.stepsize = t.startsWith('c') ? { rule: 'practical', c: x } : x;
  } },
  { key: 'K', kind: 'int', ...field(alg, 'iterations') },
  { key: 'rec', kind: 'int', ...field(alg, 'recordEvery'), fill: (s) => defaultRecordEvery(alg(s).iterations as number) },
  { key: 'iseed', kind: 'int', ...field(init, 'seed') },
  { key: 'iscale', kind: 'num', ...field(init, 'scale') },
  { key: 'engine', kind: { enum: BACKENDS }, get: (s) => s.backend, set: (s, v) => { s.backend = v as LinkState['backend']; } },
  { key: 'kernels', kind: { enum: ['wasm', 'js'] }, get: (s) => s.kernels, set: (s, v) => { s.kernels = v as LinkState['kernels']; } },
  { key: 'tol', kind: 'num', get: (s) => s.tolerance, set: (s, v) => {
    if ((v as number) < 0) throw new Error('must be ≥ 0');
    s.tolerance = v as number;
  } },
  { key: 'speed', kind: 'num', get: (s) => s.speed, set: (s, v) => {
    if ((v as number) < 0) throw new Error('must be ≥ 0 (0 = as fast as possible)');
    s.speed = v as number;
  } },
  { key: 'view', kind: { enum: VIEWS }, get: (s) => s.view, set: (s, v) => { s.view = v as LinkState['view']; } },
  // unknown ids are dropped once the link is read (decodeUrl), each entry on its own
  { key: 'hide', kind: 'list', get: (s) => s.hide, set: (s, v) => { s.hide = v as string[]; } },
  // runs shown first for comparison: an algorithm name, or key=value overriding one parameter; each entry
  // is checked against the experiment the whole link opens (decodeUrl), and dropped alone when it does not fit
  { key: 'also', kind: 'list', get: (s) => s.also, set: (s, v) => { s.also = v as string[]; } },
];

/** What `hide=` can hide: the controls (src/ui, `<Control id>`) and the panels and tabs the UI checks. */
export const HIDE_IDS: readonly string[] = [
  'n', 'm', 'tr', 'noise', 'seed', 'r', 'd', 'rows', 'J', 'topo', 'p', 'w', 'lazy', 'nseed', 'alg', 'mu', 'K', 'rec',
  'iscale', 'engine', 'speed', 'tol', 'kind', 'lam', 'meas', 'msplit', 'mnorm', 'pobs', 'q', 'qa', 'qw', 'corr', 'gamma',
  'start', 'sset', 'sdelta', 'scons', 'kick', 'kradius', 'kthr', 'kwait', 'cev',
  'r1', 'r2', 'hN', 'hn1', 'hn2', 'hnoise', 'hmiss', 'hseed', 'vframes', 'vblobs', 'vmiss', 'vseed', 'beta', 'hcorr', 'hhid', 'hact', 'hk', 'hwd',
  'sstocks', 'sdays', 'swin', 'sevents', 'ssize', 'sseed', 'pwin', 'kernels',
  'upload', 'vupload', 'pupload', 'rupload', 'settings', 'network', 'theory', 'explain', 'intro', 'saddles', ...VIEWS.map((v) => `tab-${v}`),
];
const HIDE_SET = new Set(HIDE_IDS);

/** Why an `also` entry cannot run beside this experiment, or null when it can. */
export function alsoProblem(doc: ExperimentInput, entry: string): string | null {
  if (!COMPARABLE.includes(entry) && !entry.includes('=')) return `"${quote(entry)}" is not an algorithm (${COMPARABLE.join(', ')}) nor key=value`;
  try {
    const why = valid(alsoDocument(doc, entry));
    return why === null ? null : `"${quote(entry)}": ${shortQuotes(why)}`;
  } catch (err) {
    return `"${quote(entry)}": ${shortQuotes((err as Error).message)}`;
  }
}

/** The experiment with one more parameter applied (for `also` entries); throws on a bad key or value. */
export function withParam(doc: ExperimentInput, key: string, raw: string): ExperimentInput {
  const p = PARAMS.find((x) => x.key === key);
  if (!p || ['engine', 'tol', 'speed', 'view', 'hide', 'also'].includes(key)) throw new Error(`${key} is not an experiment parameter`);
  const st: LinkState = { ...structuredClone(DEFAULT_LINK), experiment: structuredClone(doc) };
  p.set(st, parseValue(p.kind, raw));
  return st.experiment;
}

/** The document of one `also` entry: an algorithm's name, or key=value, or several key=value joined by "|". */
export function alsoDocument(doc: ExperimentInput, entry: string): ExperimentInput {
  if ((ALGORITHMS as readonly string[]).includes(entry)) return { ...doc, algorithm: { ...doc.algorithm, name: entry as ExperimentInput['algorithm']['name'] } };
  return entry.split('|').reduce((d, part) => {
    const i = part.indexOf('=');
    if (i < 0) throw new Error(`"${quote(part)}" is not an algorithm nor key=value`);
    return withParam(d, part.slice(0, i), part.slice(i + 1));
  }, doc);
}

/**
 * The `also` entry that turns `base` into `other` (a run kept for comparison, carried by links): the
 * algorithm's name, or the link parameters that differ as key=value|key=value; null when no entry gives
 * `other`'s settings exactly (data, a start, a list value); '' when nothing differs.
 */
export function alsoEntry(base: ExperimentInput, other: ExperimentInput): string | null {
  const a: LinkState = { ...clone(DEFAULT_LINK), experiment: base }, b: LinkState = { ...clone(DEFAULT_LINK), experiment: other };
  const parts: string[] = [];
  for (const p of PARAMS) {
    const va = p.get(a), vb = p.get(b);
    if (JSON.stringify(va) === JSON.stringify(vb)) continue;
    if (vb === undefined) return null;
    const text = printValue(p.kind, vb);
    if (/[,;|]/.test(text)) return null;
    parts.push(`${p.key}=${text}`);
  }
  if (!parts.length) return '';
  const entry = parts.length === 1 && parts[0].startsWith('alg=') ? parts[0].slice(4) : parts.join('|');
  try {
    return settingsKey(alsoDocument(base, entry)) === settingsKey(other) ? entry : null;
  } catch {
    return null;
  }
}

/** A landscape parameter: read and write one field, validated by the landscape's own schema. */
function lfield(name: string): Pick<Param, 'get' | 'set'> {
  const [top, sub] = name.split('.') as [string, string | undefined];
  return {
    get: (s) => (sub ? (s.landscape.distributed as Record<string, unknown> | null)?.[sub] : s.landscape[top]),
    set: (s, v) => {
      const next = structuredClone(s.landscape) as Record<string, unknown>;
      if (sub) {
        const d = { ...(next.distributed as Record<string, unknown> | null ?? defaultDistributedToy), [sub]: v };
        if (sub === 'J' && (d.y as number[]).length !== v) d.y = Array.from({ length: v as number }, () => 1);
        next.distributed = d;
      } else next[top] = v;
      const r = LandscapeParamsSchema.safeParse(next);
      if (!r.success) throw new Error(r.error.issues[0].message);
      s.landscape = r.data;
    },
  };
}

const pairs = (xs: [number, number][]) => xs.map(([u, v]) => `${u}:${v}`).join(';');

PARAMS.push(
  { key: 'lk', kind: { enum: TOY_NAMES }, ...lfield('kind') },
  // each toy's parameter (lmub, lsig2, …), src/core/toys/registry.ts
  ...TOYS.flatMap((t): Param[] => (t.param ? [{ key: t.param.urlKey, kind: 'num', ...lfield(t.param.field) }] : [])),
  { key: 'leta', kind: 'num', ...lfield('eta') },
  { key: 'lrange', kind: 'nums', ...lfield('range') },
  { key: 'lres', kind: 'int', ...lfield('resolution') },
  { key: 'liter', kind: 'int', ...lfield('maxIter') },
  { key: 'lview', kind: { enum: ['heatmap', 'contour', 'surface'] }, ...lfield('view') },
  { key: 'lfield', kind: 'bool', ...lfield('showField') },
  // GD starts as u:v;u:v…
  { key: 'ls', kind: 'str', get: (s) => (s.landscape.starts.length ? pairs(s.landscape.starts) : undefined), set: (s, v) => {
    const pts = String(v).split(';').filter(Boolean).map((t) => t.split(':').map(Number));
    if (pts.some((p) => p.length !== 2 || !p.every(Number.isFinite))) throw new Error('must be u:v pairs separated by ;');
    lfield('starts').set(s, pts);
  } },
  { key: 'ldJ', kind: 'int', ...lfield('distributed.J') },
  { key: 'ldtopo', kind: { enum: ['ring', 'path', 'star', 'complete'] }, ...lfield('distributed.topology') },
  { key: 'ldmu', kind: 'num', ...lfield('distributed.stepsize') },
  { key: 'ldK', kind: 'int', ...lfield('distributed.iterations') },
  { key: 'ldy', kind: 'nums', ...lfield('distributed.y') },
  { key: 'ldspread', kind: 'num', ...lfield('distributed.spread') },
  { key: 'ldseed', kind: 'int', ...lfield('distributed.seed') },
);

// perturbed GD and the curvature trace (src/core/perturb.ts, curvature.ts)
const perturb = (s: LinkState) => alg(s).perturb as { radius: number; threshold: number; wait?: number; seed?: number } | undefined;
PARAMS.push(
  { key: 'cev', kind: 'int', ...field(alg, 'curvatureEvery') },
  // perturbed GD: the kick radius (0 turns it off), the gradient threshold and the wait between kicks
  { key: 'kick', kind: 'num', get: (s) => perturb(s)?.radius, set: (s, v) => {
    if (v === 0) delete alg(s).perturb;
    else alg(s).perturb = { threshold: 1e-3, wait: 50, seed: 0, ...perturb(s), radius: v };
  } },
  { key: 'kthr', kind: 'num', get: (s) => perturb(s)?.threshold, set: (s, v) => {
    const p = perturb(s);
    if (!p) throw new Error('needs perturbed GD (kick)');
    p.threshold = v as number;
  } },
  { key: 'kwait', kind: 'int', get: (s) => perturb(s)?.wait, set: (s, v) => {
    const p = perturb(s);
    if (!p) throw new Error('needs perturbed GD (kick)');
    p.wait = v as number;
  } },
);

/**
 * A sweep axis as `param:values`, values a list (0.2,0.5) or a range (3e-5..0.1:8:log); src/core/sweep-schema.ts.
 * `none`: no such axis — written where the link's preset may have one (its y of a sweep, its sweep), so
 * removing it survives the link.
 */
const sweepAxis = (axis: 'x' | 'y'): Pick<Param, 'get' | 'set'> => ({
  get: (s) => {
    const a = s.experiment.sweep?.[axis];
    if (a) return `${a.param}:${axisText(a)}`;
    return (axis === 'y' ? s.experiment.sweep : s.preset) ? 'none' : undefined;
  },
  set: (s, v) => {
    const t = String(v);
    if (t === 'none') {
      if (axis === 'x') delete s.experiment.sweep;
      else if (s.experiment.sweep) s.experiment.sweep = Object.fromEntries(Object.entries(s.experiment.sweep).filter(([k]) => k !== 'y')) as SweepInput;
      return;
    }
    const i = t.indexOf(':');
    if (i < 1) throw new Error('must be param:values, e.g. network.p:0.2,0.5 or algorithm.stepsize:1e-5..1e-2:8:log');
    const a = parseAxisText(t.slice(0, i), t.slice(i + 1));
    if (axis === 'y' && !s.experiment.sweep) throw new Error('needs a sweep over x first (sx)');
    s.experiment.sweep = { ...(s.experiment.sweep ?? { seeds: 1 }), [axis]: a } as SweepInput;
  },
});
const sweepField = (name: 'seeds' | 'tolerance'): Pick<Param, 'get' | 'set'> => ({
  get: (s) => s.experiment.sweep?.[name],
  set: (s, v) => {
    if (!s.experiment.sweep) throw new Error('needs a sweep (sx)');
    s.experiment.sweep = { ...s.experiment.sweep, [name]: v };
  },
});

PARAMS.push(
  { key: 'sx', kind: 'str', ...sweepAxis('x') },
  { key: 'sy', kind: 'str', ...sweepAxis('y') },
  { key: 'sn', kind: 'int', ...sweepField('seeds') },
  { key: 'stol', kind: 'num', ...sweepField('tolerance') },
);


const KNOWN = new Set(['v', 'preset', ...PARAMS.map((p) => p.key)]);

// -0 would be written back as 0: read it as 0, so a link and the link the lab writes for it agree
const noNegZero = (x: number) => (x === 0 ? 0 : x);

function parseValue(kind: Kind, raw: string): unknown {
  if (typeof kind === 'object') {
    if (!kind.enum.includes(raw)) throw new Error(`must be one of ${kind.enum.join(', ')}`);
    return raw;
  }
  switch (kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw)) throw new Error('is not an integer');
      return noNegZero(Number(raw));
    }
    case 'num': {
      const x = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(x)) throw new Error('is not a finite number');
      return noNegZero(x);
    }
    case 'bool': {
      if (raw !== '0' && raw !== '1') throw new Error('must be 0 or 1');
      return raw === '1';
    }
    case 'list':
      return raw === '' ? [] : raw.split(',');
    case 'numlist': {
      const xs = raw.split(',').map((t) => noNegZero(Number(t)));
      if (xs.some((x) => !Number.isInteger(x))) throw new Error('must be integers separated by commas');
      return xs;
    }
    case 'nums': {
      const xs = raw.split(',').map((t) => noNegZero(Number(t)));
      if (raw === '' || xs.some((x) => !Number.isFinite(x))) throw new Error('must be numbers separated by commas');
      return xs;
    }
    default:
      return raw;
  }
}

function printValue(kind: Kind, v: unknown): string {
  if (kind === 'bool') return v ? '1' : '0';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

/**
 * Does the document validate? (schema and cross-field checks, and the page's budget of memory and work
 * from the sizes, src/core/budget.ts; random-graph connectivity is checked at run time)
 */
export function valid(doc: ExperimentInput): string | null {
  try {
    checkBudget(parseExperiment(doc), PAGE_BUDGET);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export interface Decoded {
  state: LinkState;
  /** one line per parameter that was ignored, with the reason */
  ignored: string[];
}

/**
 * Query string → state. `presets` resolves a preset id to its document (null when there is none).
 * A preset's document is the base; the other parameters apply on top of it.
 *
 * Hostile links open a working lab too: a link over MAX_LINK_LENGTH is not read, a value with more than
 * MAX_LIST_ENTRIES entries is refused before it is parsed, a key given twice keeps its first value, unknown
 * `hide=` ids and `also=` runs that do not fit the experiment are dropped one by one; each notice is one
 * line that quotes at most QUOTE_LENGTH characters of a value, and there are at most MAX_NOTICES.
 */
export async function decodeUrl(search: string, presets: (id: string) => Promise<ExperimentInput | null>): Promise<Decoded> {
  const text = search.startsWith('?') ? search.slice(1) : search;
  const state = clone(DEFAULT_LINK);
  if (text.length > MAX_LINK_LENGTH) {
    return { state, ignored: [`the link is ${grouped(text.length)} characters long, more than the ${grouped(MAX_LINK_LENGTH)} a link may have; none of it was used`] };
  }
  const q = new URLSearchParams(text);
  // the first value of each key is the one used (later ones are named in a notice)
  const first = new Map<string, string>();
  const times = new Map<string, number>();
  for (const [key, value] of q) {
    if (!first.has(key)) first.set(key, value);
    times.set(key, (times.get(key) ?? 0) + 1);
  }
  if (!first.size) return decodeUrl(`preset=${FIRST_VISIT.preset}&view=${FIRST_VISIT.view}&speed=${FIRST_VISIT.speed}`, presets);
  const head: string[] = [], ignored: string[] = [], tail: string[] = [];
  const v = first.get('v');
  if (v !== undefined && v !== String(URL_VERSION)) head.push(`v=${quote(v)}: this lab reads version ${URL_VERSION} links; the rest was read as version ${URL_VERSION}`);
  const presetId = first.get('preset');
  if (presetId !== undefined) {
    const doc = /^[a-z0-9-]{1,100}$/i.test(presetId) ? await presets(presetId).catch(() => null) : null;
    if (doc && valid(doc) === null) {
      state.experiment = clone(doc);
      state.preset = presetId;
    } else head.push(`preset=${quote(presetId)}: there is no such preset`);
  }
  const unknown = [...first.keys()].filter((key) => !KNOWN.has(key));
  for (const key of unknown.slice(0, 5)) tail.push(`${key === '' ? '(a key with no name)' : quote(key)}: not a parameter of this lab`);
  if (unknown.length > 5) tail.push(`and ${grouped(unknown.length - 5)} more keys that are not parameters of this lab`);
  const repeated = [...times].filter(([key, n]) => n > 1 && KNOWN.has(key));
  for (const [key, n] of repeated.slice(0, 5)) {
    tail.push(`${key}: given ${grouped(n)} times; the first value (${key}=${quote(first.get(key)!)}) was used, the other${n > 2 ? 's' : ''} ignored`);
  }
  if (repeated.length > 5) tail.push(`and ${grouped(repeated.length - 5)} more keys given more than once; the first value of each was used`);
  // Parse each value; then apply them, retrying the ones that fail until nothing changes, since some
  // only validate together (a partition and the J it is for, a grid topology and its rows × cols).
  let pending: { p: Param; raw: string; value: unknown; why: string }[] = [];
  for (const p of PARAMS) {
    const raw = first.get(p.key);
    if (raw === undefined) continue;
    const entries = raw.split(/[,;]/, MAX_LIST_ENTRIES + 2).length;
    if (entries > MAX_LIST_ENTRIES) {
      const count = raw.split(/[,;]/).length;
      ignored.push(`${p.key}=${quote(raw)}: has ${grouped(count)} entries, more than the ${MAX_LIST_ENTRIES} a list in a link may have`);
      continue;
    }
    try {
      pending.push({ p, raw, value: parseValue(p.kind, raw), why: '' });
    } catch (err) {
      ignored.push(`${p.key}=${quote(raw)}: ${shortQuotes((err as Error).message)}`);
    }
  }
  for (let progress = true; progress && pending.length;) {
    progress = false;
    const left: typeof pending = [];
    for (const item of pending) {
      const { p } = item;
      if (p.only && !p.only.includes((state.experiment.problem as { kind: ProblemKind }).kind)) {
        left.push({ ...item, why: `applies to ${onlyText(p.only)} problems only` });
        continue;
      }
      const before = clone(state);
      try {
        p.set(state, item.value);
        item.why = valid(state.experiment) ?? '';
        // a kind without a network (HMF's server average) carries no network setting, even one its document
        // tolerates (weights, lazy), so a link and the link the lab writes for it agree
        const current = kindOf((state.experiment.problem as { kind: ProblemKind }).kind);
        if (!item.why && p.network && current && !current.usesNetwork) item.why = `the ${current.label} problem has no network; leave out network settings`;
      } catch (err) {
        item.why = (err as Error).message;
      }
      if (item.why) {
        Object.assign(state, before);
        left.push(item);
      } else progress = true;
    }
    pending = left;
  }
  // what is left may validate only all at once (HAE's r₁ and r₂ must be equal: neither changes alone)
  const together = pending.filter(({ p }) => !p.network && (!p.only || p.only.includes((state.experiment.problem as { kind: ProblemKind }).kind)));
  if (together.length > 1) {
    const before = clone(state);
    // (a value its own parameter refuses stays out, with its reason)
    const applied = together.filter(({ p, value }) => {
      try {
        p.set(state, value);
        return true;
      } catch {
        return false;
      }
    });
    if (applied.length > 1 && valid(state.experiment) === null) pending = pending.filter((item) => !applied.includes(item));
    else Object.assign(state, before);
  }
  for (const { p, raw, why } of pending) ignored.push(`${p.key}=${quote(raw)}: ${shortQuotes(why)}`);
  // hide: ids no control or panel has are dropped (the rest are kept)
  const strange = state.hide.filter((id) => !HIDE_SET.has(id));
  if (strange.length) {
    state.hide = state.hide.filter((id) => HIDE_SET.has(id));
    const named = strange.slice(0, 5).map((id) => (id === '' ? '(empty)' : quote(id, 30))).join(', ');
    ignored.push(`hide=${quote(first.get('hide')!)}: ignored ${strange.length === 1 ? 'an id that is' : `${grouped(strange.length)} ids that are`} not a control or panel of this lab: ${named}${strange.length > 5 ? ', …' : ''}`);
  }
  // also: each comparison run must be a valid experiment beside the one the link opens; one that is not
  // is dropped (and the link's own run still starts)
  state.also = state.also.filter((entry) => {
    const why = alsoProblem(state.experiment, entry);
    if (why !== null) ignored.push(`also=${quote(first.get('also')!)}: ${why}`);
    return why === null;
  });
  // a link to a sweep without a view (a bare ?preset=sweep-…) opens the sweep, not an empty run view
  if (first.get('view') === undefined && state.experiment.sweep) state.view = 'sweep';
  return { state, ignored: notices([...head, ...ignored, ...tail]) };
}

/** The notices as shown: one line each, no two the same, at most MAX_NOTICES. */
function notices(lines: string[]): string[] {
  const out = [...new Set(lines.map(noticeLine))];
  if (out.length <= MAX_NOTICES) return out;
  return [...out.slice(0, MAX_NOTICES - 1), `and ${grouped(out.length - MAX_NOTICES + 1)} more parts of this link that could not be used`];
}

/**
 * A document's settings as one string, to compare: the typed experiment without its words, each field
 * left to the lab's rule filled with the value the rule gives (what a link writes for it). Throws when
 * the document does not validate.
 */
function settingsKey(input: ExperimentInput): string {
  const st: LinkState = { ...clone(DEFAULT_LINK), experiment: clone(input) };
  for (const p of PARAMS) {
    if (!p.fill || p.get(st) !== undefined || (p.only && !p.only.includes((input.problem as { kind: string }).kind))) continue;
    const v = p.fill(st);
    if (v !== undefined) p.set(st, v);
  }
  const e = { ...(parseExperiment(st.experiment) as Record<string, unknown>) };
  for (const w of WORDS) delete e[w];
  return JSON.stringify(e);
}

/** Parts of a document that are words about it, not settings: links never carry them. */
export const WORDS = ['title', 'description', 'claims', 'compare', 'source', 'licence'] as const;

/**
 * Can a link carry this document? It can when the link the lab writes for it opens the same settings
 * (every part of the typed experiment but its words); then `words` lists the words the link leaves behind.
 * It cannot when the document holds what no link parameter sets — data, a mask, frames, a start.
 */
export async function linkCarries(doc: ExperimentInput): Promise<{ carried: boolean; words: string[] }> {
  const words = WORDS.filter((w) => (doc as Record<string, unknown>)[w] !== undefined);
  try {
    const { state } = await decodeUrl(encodeUrl({ ...clone(DEFAULT_LINK), experiment: doc }), async () => null);
    return { carried: settingsKey(state.experiment) === settingsKey(doc), words };
  } catch {
    return { carried: false, words };
  }
}

/** State → query string (without "?"), every parameter written so a link is complete on its own. */
export function encodeUrl(s: LinkState): string {
  // every getter only reads (see `field`), so the store's state is encoded as it is
  const q = new URLSearchParams();
  q.set('v', String(URL_VERSION));
  if (s.preset) q.set('preset', s.preset);
  const kind = kindOf((s.experiment.problem as { kind: ProblemKind }).kind)!;
  // what a link without a preset starts from: the default document, switched to this kind (as `kind=` does)
  let start: LinkState | null = null;
  const base = () => (start ??= { ...clone(DEFAULT_LINK), experiment: switchKind(DEFAULT_EXPERIMENT, kind) });
  for (const p of PARAMS) {
    if (p.only && !p.only.includes(kind.kind)) continue;
    if (p.network && !kind.usesNetwork) continue;
    if (p.skip?.(s)) continue;
    // a field the document leaves out: a link without a preset starts from the default document, which
    // may set it, so the value the lab uses is written instead of nothing
    const v = p.get(s) ?? (!s.preset && p.fill && p.get(base()) !== undefined ? p.fill(s) : undefined);
    if (v === undefined || (Array.isArray(v) && !v.length && p.key !== 'part')) continue;
    if (p.key === 'part' && !Array.isArray(v)) continue;
    // landscape settings only when they differ from the defaults (keeps run-view links short)
    if (/^l|^ld/.test(p.key) && p.key !== 'lazy' && JSON.stringify(v) === JSON.stringify(p.get(DEFAULT_LINK))) continue;
    q.set(p.key, printValue(p.kind, v));
  }
  return q.toString().replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%3B/g, ';');
}
