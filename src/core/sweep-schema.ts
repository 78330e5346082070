/**
 * The `sweep` field of an experiment document: one or two parameters of the experiment given as a list
 * of values or a range, and a number of seeds per cell. A sweep is a grid of plain experiments (the base
 * document with the parameter values set, see src/core/sweep.ts); this module only holds its form, so
 * the experiment schema can include it without a cycle.
 *
 * Which parameters can be swept is one table, SWEEP_PARAMS: a path into the experiment document, a label,
 * and how a value is written there. A new problem kind adds its rows (e.g. a sampling rate) and nothing
 * else changes.
 *
 * One axis is not a path: `run` takes the names of the document's runs ("main" and its `compare` runs), and a
 * cell on it is that run's document (the base with the run's merge patch, compare.ts). That makes a method an
 * axis with each method's own settings — HMF against JIVE and perPCA over the missing ratio, each with its
 * own rounds, records and step (public/presets/sweep-table2-baselines.json) — with nothing new in the
 * document's form: the patches are the comparison runs the app already shows and validates.
 */
import * as z from 'zod';
import { exp, ln } from './fmath';
import { mergePatch } from './merge-patch';
import { KINDS, isNodeKind, kindOf } from './problems/registry';

export interface SweepParam {
  /** the path into the experiment document, as written in `sweep.x.param` */
  path: string;
  /** axis label in the app and the CSV's header */
  label: string;
  integer: boolean;
  /** a parameter with named values (e.g. the algorithm): the values it takes; lists only, no ranges */
  choices?: readonly string[];
  /** write the value into a copy of the document (the copy is a plain object) */
  set(doc: Record<string, unknown>, value: SweepValue): void;
  /** the parameter is a step size: the theory bound of SPEC §3 can be drawn against it */
  step?: 'mu' | 'c';
  /** true: kinds run as DGD+LOCAL on node objectives only (a network, a single rank); unset: every experiment */
  node?: boolean;
  /** the kinds whose own parameter it is (src/core/problems: a kind's `sweep` list) */
  only?: readonly string[];
  /** the `run` axis: its values name the document's runs (experiment.ts checks them), `set` applies that run's patch */
  run?: true;
}

/** A value along an axis: a number, or a name for a parameter with choices. */
export type SweepValue = number | string;

type Obj = Record<string, unknown>;
const at = (doc: Obj, ...keys: string[]): Obj => {
  let o = doc;
  for (const k of keys) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Obj;
  }
  return o;
};
const field = (path: string, label: string, integer: boolean, node?: boolean): SweepParam => {
  const keys = path.split('.');
  const last = keys.pop()!;
  return { path, label, integer, ...(node ? { node } : {}), set: (doc, v) => { at(doc, ...keys)[last] = v; } };
};

/** The name of the document's own run (document.ts MAIN_RUN; a literal here, so this module stays free of the document's schema). */
export const MAIN_RUN_NAME = 'main';
/**
 * The `run` axis: the cell becomes the run `v` of the document — "main" as it is, a comparison run with its
 * patch applied — and loses the `compare` list (a cell is one plain run). The document must still hold its
 * `compare` list when this is set (sweep.ts keeps it in the plan's base for a run axis, and sets it first).
 */
function setRun(doc: Obj, v: SweepValue): void {
  const runs = (Array.isArray(doc.compare) ? doc.compare : []) as { name?: unknown; patch?: unknown }[];
  delete doc.compare;
  if (v === MAIN_RUN_NAME) return;
  const run = runs.find((r) => r.name === v);
  if (!run) throw new Error(`"${String(v)}" names no run of the document; the runs are ${[MAIN_RUN_NAME, ...runs.map((r) => String(r.name))].map((n) => `"${n}"`).join(', ')}`);
  const patched = mergePatch(doc, run.patch ?? {}) as Obj;
  for (const k of Object.keys(doc)) if (!(k in patched)) delete doc[k];
  Object.assign(doc, patched);
}

/**
 * Write a cell's axis values into a copy of the base document: a `run` value first (its patch sets the run's
 * own settings), then the others, so the swept value wins over a patch that sets the same field.
 */
export function setCellValues(doc: Obj, values: readonly (readonly [string, SweepValue])[]): void {
  const ordered = [...values].sort((a, b) => Number(!!sweepParam(b[0])?.run) - Number(!!sweepParam(a[0])?.run));
  for (const [param, v] of ordered) sweepParam(param)!.set(doc, v);
}

/** Every parameter a sweep may vary. */
export const SWEEP_PARAMS: SweepParam[] = [
  { path: 'algorithm.stepsize', label: 'step size μ', integer: false, step: 'mu', set: (doc, v) => { at(doc, 'algorithm').stepsize = v; } },
  { path: 'algorithm.stepsize.c', label: 'step factor c (μ = c(1 − 2ω)/L̂; HMF: η = c/maxᵢ‖Mᵢ‖₂²)', integer: false, step: 'c', set: (doc, v) => { at(doc, 'algorithm').stepsize = { rule: 'practical', c: v }; } },
  { ...field('algorithm.name', 'algorithm', false, true), choices: ['dgd-local', 'dgd', 'gd'] },
  field('algorithm.iterations', 'iterations K', true),
  field('network.p', 'edge probability p', false, true),
  field('network.J', 'nodes J', true, true),
  field('network.tau', 'threshold τ', false, true),
  field('network.seed', 'network seed', true, true),
  field('problem.rank', 'rank r', true, true),
  field('problem.lambda', 'balancing weight λ', false, true),
  field('problem.pObs', 'sampling rate p', false, true),
  field('problem.generate.measurements', 'measurements', true, true),
  field('problem.generate.corruption', 'corruption α', false, true),
  field('problem.generate.noise', 'noise σ', false, true),
  field('problem.generate.trueRank', 'true rank r*', true, true),
  field('problem.generate.n', 'rows n', true, true),
  field('problem.generate.m', 'columns m', true, true),
  field('problem.generate.seed', 'data seed', true),
  field('init.scale', 'initial scale', false),
  field('init.seed', 'initial seed', true),
  { path: 'run', label: 'run (method)', integer: false, run: true, set: setRun },
];

// each kind's own parameters (a kind's `sweep` list, src/core/problems), once per path
for (const k of KINDS) {
  for (const q of k.sweep ?? []) {
    const seen = SWEEP_PARAMS.find((p) => p.path === q.path);
    if (seen) seen.only = [...(seen.only ?? []), k.kind];
    else SWEEP_PARAMS.push({ ...field(q.path, q.label, q.integer), only: [k.kind] });
  }
}

export const sweepParam = (path: string): SweepParam | undefined => SWEEP_PARAMS.find((p) => p.path === path);

/** The parameters that apply to an experiment of this problem kind: the common ones, the node kinds' (network, rank, …) for node kinds, and its own. */
export const sweepParamsFor = (kind: string): SweepParam[] => {
  const k = kindOf(kind);
  const node = !!k && isNodeKind(k);
  return SWEEP_PARAMS.filter((p) => (p.only ? p.only.includes(kind) : p.node === undefined || p.node === node));
};

/** At most this many cells (x values × y values), and seeds per cell. */
export const MAX_CELLS = 4096;
export const MAX_SEEDS = 64;

const num = z.number({ error: (iss) => (typeof iss.input === 'number' ? `is ${iss.input}; must be finite` : 'must be a number') });

const RangeSchema = z.strictObject({
  from: num,
  to: num,
  steps: z.number({ error: 'steps must be a number' }).min(2, 'steps must be at least 2').max(MAX_CELLS, `steps must be at most ${MAX_CELLS}`).int('steps must be an integer'),
  scale: z.enum(['linear', 'log'], { error: 'scale must be "linear" or "log"' }).default('linear'),
}).superRefine((r, ctx) => {
  if (r.scale === 'log' && !(r.from > 0 && r.to > 0)) ctx.addIssue({ code: 'custom', path: ['from'], message: `a log range needs from, to > 0, got from = ${r.from}, to = ${r.to}` });
  if (r.from === r.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `equals from (${r.from}); a range needs two different ends` });
});

export const AxisSchema = z.strictObject({
  param: z.string({ error: 'param must be a string naming a sweepable parameter' }).refine((p) => !!sweepParam(p), {
    error: (iss) => `"${String(iss.input)}" cannot be swept; sweepable parameters: ${SWEEP_PARAMS.map((p) => p.path).join(', ')}`,
  }),
  values: z.array(z.union([num, z.string()], { error: 'must be a number (or a name, for a parameter with choices)' })).min(1, 'values must list at least one value').optional(),
  range: RangeSchema.optional(),
}).superRefine((a, ctx) => {
  if (!!a.values === !!a.range) ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of "values" (a list) or "range" ({from, to, steps, scale})' });
  const p = sweepParam(a.param);
  if (p?.run) {
    // which names the document has is checked with its compare list (experiment.ts)
    const bad = a.values?.findIndex((v) => typeof v !== 'string') ?? -1;
    if (bad >= 0) ctx.addIssue({ code: 'custom', path: ['values', bad], message: `is ${JSON.stringify(a.values![bad])}; the run axis takes the names of the document's runs ("${MAIN_RUN_NAME}" and the names in "compare")` });
    if (a.range) ctx.addIssue({ code: 'custom', path: ['range'], message: `the run axis takes the names of the document's runs; list them in "values" ("${MAIN_RUN_NAME}" and the names in "compare")` });
  } else if (p?.choices) {
    const bad = a.values?.findIndex((v) => !p.choices!.includes(String(v))) ?? -1;
    if (bad >= 0) ctx.addIssue({ code: 'custom', path: ['values', bad], message: `${JSON.stringify(a.values![bad])} is not one of ${p.choices.join(', ')}` });
    if (a.range) ctx.addIssue({ code: 'custom', path: ['range'], message: `${a.param} takes named values; list them in "values"` });
  } else if (p) {
    const bad = a.values?.findIndex((v) => typeof v !== 'number') ?? -1;
    if (bad >= 0) ctx.addIssue({ code: 'custom', path: ['values', bad], message: 'must be a number' });
    else if (p.integer && a.values?.some((v) => !Number.isInteger(v))) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `${a.param} takes integers, got ${a.values.find((v) => !Number.isInteger(v))}` });
    }
  }
  if (a.values && new Set(a.values).size !== a.values.length) ctx.addIssue({ code: 'custom', path: ['values'], message: 'lists a value twice' });
});
export type SweepAxis = z.infer<typeof AxisSchema>;

export const SweepSchema = z.strictObject({
  x: AxisSchema,
  y: AxisSchema.optional(),
  /** trials per cell; trial k adds k to the data seed and the initial seed */
  seeds: z.number({ error: 'seeds must be a number' }).min(1, 'seeds must be at least 1').max(MAX_SEEDS, `seeds must be at most ${MAX_SEEDS}`).int('seeds must be an integer').default(1),
  /** a run succeeds when its optimality gap falls to tolerance·‖Y‖² (least squares: tolerance) */
  tolerance: num.pipe(z.number().positive('tolerance must be > 0')).default(1e-8),
}).superRefine((s, ctx) => {
  if (s.y && s.y.param === s.x.param) ctx.addIssue({ code: 'custom', path: ['y', 'param'], message: `is the same parameter as x (${s.x.param}); sweep two different parameters` });
  const count = (a: SweepAxis) => a.values?.length ?? a.range?.steps ?? 1;
  const cells = count(s.x) * (s.y ? count(s.y) : 1);
  if (cells > MAX_CELLS) ctx.addIssue({ code: 'custom', path: [], message: `has ${count(s.x)}${s.y ? ` × ${count(s.y)}` : ''} = ${cells} cells, more than the ${MAX_CELLS} a sweep may have` });
});
export type Sweep = z.infer<typeof SweepSchema>;
export type SweepInput = z.input<typeof SweepSchema>;

/** The values along an axis: the list, or the range's points (log: geometric), integers rounded. */
export function axisValues(a: SweepAxis): SweepValue[] {
  if (a.values) return a.values.slice();
  const { from, to, steps, scale } = a.range!;
  const p = sweepParam(a.param)!;
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = i / (steps - 1);
    const v = scale === 'log' ? exp(ln(from) + t * (ln(to) - ln(from))) : from + t * (to - from);
    out.push(p.integer ? Math.round(v) : Number(v.toPrecision(12)));
  }
  return out;
}

/**
 * An axis's values as one short text (links, the app's input): a list `0.2,0.35,0.5` or a range
 * `from..to:steps[:log]`, e.g. `3e-5..0.1:8:log`.
 */
export function axisText(a: SweepInput['x']): string {
  if (a.range) return `${a.range.from}..${a.range.to}:${a.range.steps}${a.range.scale === 'log' ? ':log' : ''}`;
  return (a.values ?? []).join(',');
}

/** The inverse of axisText; throws an Error saying what the text should look like. */
export function parseAxisText(param: string, text: string): SweepInput['x'] {
  const t = text.trim();
  const range = /^([^.:]+(?:\.[^.:]+)?)\.\.([^:]+):(\d+)(?::(log|linear))?$/.exec(t);
  if (range) {
    const [from, to, steps] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (![from, to].every(Number.isFinite)) throw new Error(`"${t}": the ends of a range must be numbers`);
    return { param, range: { from, to, steps, scale: (range[4] as 'log' | 'linear' | undefined) ?? 'linear' } };
  }
  if (sweepParam(param)?.choices || sweepParam(param)?.run) return { param, values: t === '' ? [] : t.split(',').map((s) => s.trim()) };
  const parts = t === '' ? [] : t.split(',');
  const values = parts.map((s) => Number(s.trim()));
  if (values.some((v, i) => !Number.isFinite(v) || parts[i].trim() === '')) {
    throw new Error(`"${t}" is neither a list of numbers (0.2,0.35,0.5) nor a range (from..to:steps or from..to:steps:log)`);
  }
  return { param, values };
}
