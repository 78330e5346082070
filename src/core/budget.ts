/**
 * The resource budget of a document, from its sizes alone, before anything is built: the bytes of the
 * largest arrays the build and the run allocate (Y and its node blocks, masks, the sensing operators 𝒜ⱼ,
 * W, the J copies of U, V, HMF sources, video frames, SVD work for σ₁ and f⋆ …) and the floating-point
 * operations of setting up (the build, the singular values it needs, the bounds measured at the start and
 * the first record) and of one iteration. A document past the budget is refused with one line naming the
 * field, the figure and the largest size that fits (`checkBudget`), so no entry point — CLI, page, link,
 * sweep cell — ever starts an allocation that cannot finish or a set-up that runs for minutes.
 *
 * The model follows the code array by array: each problem kind states its data's arrays and work
 * (its `budget`, src/core/problems), this module adds the network, the iterate and the session's; `test/unit/budget.test.ts` builds
 * instances and checks the figures against the typed arrays they actually hold. Pure functions of the
 * parsed document: no DOM, no Node, plain arithmetic (no Math.log & co., which differ across browsers).
 */
import {
  B, type CostPart, type Knob, Ledger, NEIGHBOUR_BYTES, PER_NUMBER, RESULT_BYTES, type Sizes, type Subject, type SubjectId,
  type WorkPart,
} from './cost-model';
import { DocumentError, type Experiment } from './experiment';
import { isNodeKind, kindOf } from './problems/registry';
import type { SweepPlan } from './sweep';
import { type SweepValue, setCellValues } from './sweep-schema';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/**
 * Floating-point operations a document may take before its first iteration (the build, σ's, the bounds
 * measured at the start, the first record): about 20–50 s of one core at the 0.4–1 GFLOP/s the float64
 * core reaches in plain JavaScript, so validate and the start of a run never take minutes.
 */
export const WORK_CAP = 2e10;

/** `validate` builds the instance (to print μ, ω and the step-size bounds) only when setting up costs at most this; otherwise it describes the sizes. */
export const VALIDATE_BUILD_FLOPS = 1e9;

export interface Budget {
  /** bytes the arrays of one run may take at their peak */
  bytes: number;
  /** floating-point operations before the first iteration */
  flops: number;
  /** where the budget comes from, quoted in a refusal after the figure (e.g. "set by --max-memory") */
  hint?: string;
}

/** The page: about 1 GiB of working set (a browser tab's worker runs out well before a machine does). */
export const PAGE_BUDGET: Budget = { bytes: GiB, flops: WORK_CAP, hint: 'in the page; the CLI allows more' };

/** The CLI's default memory budget: 8 GiB, or half the machine's memory when that is less. */
export const CLI_MAX_MEMORY = 8 * GiB;

export function cliBudget(maxMemory: number | undefined, totalMemory: number): Budget {
  return { bytes: maxMemory ?? Math.min(CLI_MAX_MEMORY, Math.floor(totalMemory / 2)), flops: WORK_CAP, hint: 'set by --max-memory' };
}

// ------------------------------------------------------------------------------------------ the sizes

export type { CostPart, PartKind, Sizes, WorkPart } from './cost-model';

const prod = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
type TensorLike = { shape: number[]; data: readonly number[] } | undefined;
const count = (t: TensorLike) => (t ? prod(t.shape) : 0);

const nonzeroCount = new WeakMap<object, number>();

/** Nonzeros of an explicit J×J W or adjacency, diagonal included (the neighbour lists DgdLocal keeps); counted once per matrix. */
function nonzeros(t: { shape: number[]; data: readonly number[] }): number {
  const J = t.shape[0];
  if (t.data.length !== J * J) return J * J;
  let k = nonzeroCount.get(t);
  if (k === undefined) {
    k = 0;
    for (let i = 0; i < J; i++) for (let j = 0; j < J; j++) if (i === j || t.data[i * J + j] !== 0) k++;
    nonzeroCount.set(t, k);
  }
  return k;
}

/** The document's sizes (a parsed document, or a sweep cell of one). */
export function sizesOf(e: Experiment): Sizes {
  const p = e.problem as Record<string, unknown> & { kind: string };
  const g = (p.generate ?? {}) as Record<string, number | boolean | string | undefined>;
  const net = e.network;
  const a = e.algorithm;
  const init = e.init ?? {};
  const J = !net ? 1 : net.W ? net.W.shape[0] : net.topology === 'adjacency' && net.adjacency ? net.adjacency.shape[0] : net.J ?? 1;
  const s: Sizes = {
    kind: p.kind, alg: a.name, source: 'generate', n: 1, m: 1, r: 1, trueRank: 1, J,
    topology: net?.W ? null : net?.topology ?? null,
    nnzGiven: net?.W ? nonzeros(net.W) : net?.topology === 'adjacency' && net.adjacency ? nonzeros(net.adjacency) : null,
    p: net?.p ?? 1, tau: net?.tau ?? 0.5,
    partitionMax: Array.isArray(p.partition) ? Math.max(...(p.partition as number[])) : null,
    noise: Number(g.noise ?? 0) > 0, rule: typeof a.stepsize !== 'number', lambda: Number(p.lambda ?? 0) > 0, lambdaValue: Number(p.lambda ?? 0),
    measurements: 0, split: false, incoherence: !!p.incoherence, maskGiven: !!p.mask, boundGiven: p.bound !== undefined,
    d: 1, rows: 1, N: 1, n1: 1, n2: 1, r1: 1, r2: 1, orthogonal: g.factors !== 'gaussian', missing: false, truthKnown: false,
    correction: a.correction ?? true, F: 0, H: 0, W: 0,
    saddle: !!init.saddle && init.saddle.set.length > 0, curvature: a.curvatureEvery !== undefined,
    iterations: a.iterations, recordEvery: a.recordEvery ?? Math.max(1, Math.ceil(a.iterations / 1000)),
    docInit: count(init.U) + count(init.V) + count(init.x),
  };
  kindOf(p.kind)!.budget.sizes(p as never, s);
  return s;
}

// ------------------------------------------------------------------------------------------ the cost

export interface Cost {
  /** the peak: everything held plus the largest transient */
  bytes: number;
  /** held while the run goes on (instance, engine, document) */
  held: number;
  /** floating-point operations before the first iteration: the build, σ's, the bounds at the start, the first record */
  flops: number;
  /** of one iteration (HMF: one round) */
  iterationFlops: number;
  /** of the whole run: set-up, the iterations and their records */
  totalFlops: number;
  parts: CostPart[];
  /** what setting up does, with its operations */
  setup: WorkPart[];
  sizes: Sizes;
}

/** Nonzeros of W̃ (diagonal included): the mixing step's work and DgdLocal's neighbour lists. */
function nonzerosOf(s: Sizes): number {
  const J = s.J;
  if (s.nnzGiven !== null) return s.nnzGiven;
  switch (s.topology) {
    case 'ring':
      return J <= 2 ? J * J : 3 * J;
    case 'path':
    case 'star':
      return Math.max(1, 3 * J - 2);
    case 'grid':
    case 'torus':
      return 5 * J;
    case 'erdos-renyi':
      return J + s.p * J * (J - 1);
    case 'random-threshold':
      return J + (1 - s.tau) * J * (J - 1);
    default:
      return J * J;
  }
}

function subjects(s: Sizes): Record<SubjectId, Subject> {
  const nodes = s.alg === 'gd' ? 1 : s.J;
  const kind = kindOf(s.kind)!;
  const data = kind.budget.data(s);
  const network: Subject = {
    field: s.topology === null ? 'network.W' : 'network.J', what: `J = ${s.J}${s.topology ? ` (${s.topology})` : ''}`,
    knobs: [{ key: 'J', label: 'J', min: () => 1 }],
  };
  let iterate: Subject = { ...data };
  if (isNodeKind(kind)) {
    const shape = kind.budget.iterate(s, nodes);
    iterate = {
      field: nodes > 1 ? 'network.J' : 'problem.rank',
      what: shape.what,
      knobs: [
        ...(nodes > 1 ? [{ key: 'J' as const, label: 'J', min: () => 1, with: (x: Sizes) => `rank ${x.r}` }] : []),
        ...(shape.rankKnob ? [{ key: 'r' as const, label: 'rank', min: () => 1, with: (x: Sizes) => `J = ${x.alg === 'gd' ? 1 : x.J}` }] : []),
      ],
    };
  }
  const operator: Subject = {
    field: 'problem.generate.measurements', what: `${s.measurements} measurements${s.split ? ' in all' : ' per node'} of ${s.n}×${s.m}`,
    knobs: [
      { key: 'measurements', label: 'measurements', min: (x) => (x.split ? Math.max(1, x.alg === 'gd' ? 1 : x.J) : 1), with: (x) => `n = ${x.n}, m = ${x.m}` },
      ...data.knobs,
    ],
  };
  const normal: Subject = { ...data, knobs: [...data.knobs].reverse() };
  return { data, network, iterate, operator, normal, sources: data };
}

/** The cost of a document with these sizes: the kind's data (its `budget`), the network, the iterate, the session. */
export function costOfSizes(s: Sizes): Cost {
  const l = new Ledger(s);
  const kind = kindOf(s.kind)!;
  // the document's own numbers, held as parsed (the instance keeps the document)
  if (s.nnzGiven !== null) l.hold('W written in the document', s.J * s.J * B, 'network', 'document');
  l.hold('the start written in the document', s.docInit * B, 'iterate', 'document');
  l.hold('the data written in the document', kind.budget.written(s) * B, 'data', 'document');
  if (!isNodeKind(kind)) {
    const own = kind.budget.cost(l);
    const flops = l.setup.reduce((t, w) => t + w.flops, 0);
    return finish(l.parts, l.setup, flops, own.iteration, own.total, s);
  }
  const { m, r, alg } = s;
  const networked = alg !== 'gd';
  const nodes = networked ? s.J : 1;
  const maxBlock = alg === 'gd' ? m : s.partitionMax !== null ? Math.min(s.partitionMax, m) : Math.ceil(m / Math.max(1, nodes));
  const nnz = networked ? nonzerosOf(s) : 1;
  // --- the data
  const step = kind.budget.cost(l, { nodes, maxBlock, nnz });
  const gradient = step.gradient;
  let record = step.record;

  // --- the network
  if (networked) {
    const J = s.J;
    l.hold('W (J×J)', J * J * B, 'network');
    l.hold('W as rows for the network view (the page)', J * J * B, 'network', 'engine', true);
    l.temp('the graph and W before the lazy step (J×J each)', (s.topology === 'random-threshold' ? 3 : 2) * J * J * B, 'network');
    l.work('the graph and its weights (a few passes over J×J)', 20 * J * J, 'network');
    l.hold('the neighbour lists of the mixing step (nonzeros of W)', nnz * NEIGHBOUR_BYTES, 'network', 'engine', true);
  }

  // --- the iterate: J copies of the shared part, the private blocks
  const { shared, local, rankKnob } = kind.budget.iterate(s, nodes);
  const I = nodes * shared + local;
  l.hold('the initial iterate (the J copies of U, and V)', I * B, 'iterate');
  // the session's snapshot, the engine's state, DgdLocal's next copies and gradient buffers
  l.hold('the engine’s and session’s copies of the iterate', (2 * I + nodes * shared + shared + maxBlock * r) * B, 'iterate', 'engine');
  l.temp('the random start as drawn (typed and plain copies)', 2 * I * B, 'iterate');
  l.temp('the gradient and averages of a record', 2 * I * B, 'iterate');
  l.temp('the result document’s iterate', I * RESULT_BYTES, 'iterate');
  const mixing = networked ? 2 * nnz * shared + 3 * I : 3 * I;
  const iteration = gradient + mixing;
  // the factors' balance ‖ŪᵀŪ − VᵀV‖ of a record (kinds with a rank)
  record += 5 * nnz * shared + 6 * I + (rankKnob ? 2 * r * r * (s.n + m) : 0);
  // the bounds measured at the start (theory.localLipschitz: power iteration on finite-difference Hessian products)
  const sampled = nodes * shared * (rankKnob ? maxBlock : 1) > 5e6 && nodes > 8;
  const lip = (sampled ? 30 : 60) * 2 * (sampled ? (gradient * 8) / nodes : gradient) + (sampled ? 30 : 60) * 30 * (shared + maxBlock * r);
  const gradSubject: SubjectId = s.measurements > 0 ? 'operator' : 'data';
  l.work('L measured at the start (power iteration on the gradients)', lip, gradSubject);
  l.temp('the vectors of that power iteration', 12 * (shared + maxBlock * r) * B, 'iterate');
  l.work('the first record', record, gradSubject);
  if (s.curvature) {
    const k = Math.min(I, 200);
    l.temp('the Lanczos vectors of λ_min (up to 200 iterate-sized)', k * I * B, 'iterate');
    l.work('λ_min at the first record (Lanczos)', k * (2 * gradient + 4 * nnz * shared) + 4 * k * k * I, 'iterate');
  }
  const setupFlops = l.setup.reduce((t, w) => t + w.flops, 0);
  const records = Math.ceil(s.iterations / s.recordEvery) + 1;
  return finish(l.parts, l.setup, setupFlops, iteration, setupFlops + s.iterations * iteration + records * record, s);
}

function finish(parts: CostPart[], setup: WorkPart[], flops: number, iterationFlops: number, totalFlops: number, sizes: Sizes): Cost {
  // every array built is allocated, filled and mostly copied once: memory traffic the operations above do not count
  const built = parts.filter((p) => p.kind !== 'document');
  if (built.length) {
    const alloc = (PER_NUMBER * built.reduce((t, p) => t + p.bytes, 0)) / B;
    const top = built.reduce((a, p) => (p.bytes > a.bytes ? p : a));
    setup.push({ label: 'allocating and filling the arrays', flops: alloc, subject: top.subject });
    flops += alloc;
    totalFlops += alloc;
  }
  const held = parts.filter((p) => p.kind !== 'transient').reduce((t, p) => t + p.bytes, 0);
  const peak = parts.filter((p) => p.kind === 'transient').reduce((t, p) => Math.max(t, p.bytes), 0);
  return { bytes: held + peak, held, flops, iterationFlops, totalFlops, parts, setup, sizes };
}

/** The cost of a parsed experiment document (its sweep, if any, aside: see `checkSweepBudget`). */
export function estimateCost(e: Experiment): Cost {
  return costOfSizes(sizesOf(e));
}

// ------------------------------------------------------------------------------------------ output

/** Numbers the CLI writes as one JSON text: `run`'s result document (the final iterate and the trace) and `materialize`'s explicit document. */
export function outputNumbers(s: Sizes): { result: number; materialize: number } {
  const trace = 14 * (Math.ceil(s.iterations / s.recordEvery) + 1);
  const kind = kindOf(s.kind)!;
  const data = kind.budget.materialized(s);
  if (!isNodeKind(kind)) return { result: kind.budget.iterateNumbers(s) + trace, materialize: data };
  const nodes = s.alg === 'gd' ? 1 : s.J;
  const { shared, local } = kind.budget.iterate(s, nodes);
  const I = nodes * shared + local;
  return { result: I + trace, materialize: data + (s.alg === 'gd' ? 0 : s.J * s.J) + I };
}

/** Characters of JSON per number written (a float64 at full precision and its separator). */
const JSON_CHARS = 22;

/**
 * Refuses a command whose output would not fit one JavaScript string of `maxChars` characters (Node's
 * buffer.constants.MAX_STRING_LENGTH): decided before the run, so no long run ends unable to write its result.
 */
export function checkOutput(c: Cost, output: 'result' | 'materialize', maxChars: number): void {
  const numbers = outputNumbers(c.sizes)[output];
  if (numbers * JSON_CHARS <= maxChars) return;
  const subject = subjects(c.sizes)[output === 'result' ? 'iterate' : 'data'];
  const json = `about ${formatBytes(numbers * JSON_CHARS)} of JSON, more than one JavaScript string holds (${formatBytes(maxChars)})`;
  throw new DocumentError(subject.field, output === 'result'
    ? `${subject.what}: the result document would hold about ${formatFlops(numbers)} numbers (the final iterate), ${json}; make the iterate smaller`
    : `${subject.what}: the explicit document would hold about ${formatFlops(numbers)} numbers, ${json}; the generating document already reproduces the data`);
}

// ------------------------------------------------------------------------------------------ words

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** 7.7·10¹¹ (two significant digits; plain below 10⁴). */
export function formatFlops(x: number): string {
  if (x < 1e4) return String(Math.round(x));
  const [mant, exp] = x.toExponential(1).split('e');
  const sup = String(Number(exp)).split('').map((c) => SUPERSCRIPT[Number(c)]).join('');
  return `${mant.endsWith('.0') ? mant.slice(0, -2) : mant}·10${sup}`;
}

/** 512 GiB, 1.5 GiB, 640 MiB (binary units). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes, u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = v >= 10 || u === 0 ? String(Math.round(v)) : String(Number(v.toPrecision(2)));
  return `${text} ${units[u]}`;
}

/** "2G", "512M", "1.5GiB", "800000000" → bytes (K, M, G, T are powers of 1024); throws a sentence when it cannot. */
export function parseSize(text: string): number {
  const t = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  const scale: Record<string, number> = { '': 1, k: KiB, m: MiB, g: GiB, t: 1024 * GiB };
  const bytes = t ? Math.floor(Number(t[1]) * scale[t[2].toLowerCase()]) : NaN;
  if (!(bytes >= 1) || !Number.isFinite(bytes)) throw new RangeError(`"${text}" is not a size; give e.g. 2G, 512M or 1.5G (powers of 1024)`);
  return bytes;
}

/** One line for `validate`: the peak memory and the work, from the sizes. */
export function describeCost(c: Cost): string {
  const it = c.sizes.iterations;
  const step = kindOf(c.sizes.kind)!.step ?? 'iteration';
  return `about ${formatBytes(c.bytes)} at the peak; ${formatFlops(c.flops)} flops to set up (build, bounds, first record), `
    + `${formatFlops(c.iterationFlops)} per ${step}, ${formatFlops(c.totalFlops)} for the whole run of ${it} ${step}s`;
}

// ------------------------------------------------------------------------------------------ the check

const fits = (c: Cost, b: Budget) => c.bytes <= b.bytes && c.flops <= b.flops;

/** The largest value of one knob that fits (the others fixed), or null when not even its smallest does. */
function largestFitting(s: Sizes, knob: Knob, budget: Budget): number | null {
  const cur = s[knob.key];
  const at = (v: number) => fits(costOfSizes(adjust(s, knob.key, v)), budget);
  let lo = Math.max(1, knob.min(s));
  if (lo >= cur || !at(lo)) return null;
  let hi = cur; // does not fit
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (at(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The sizes with one of them changed (and what follows from it: HMF's stacked width, the video's patches). */
function adjust(s: Sizes, key: Knob['key'], v: number): Sizes {
  const t = { ...s, [key]: v };
  kindOf(t.kind)!.budget.adjust?.(t);
  if (key === 'm' && t.partitionMax !== null) t.partitionMax = Math.min(t.partitionMax, v);
  return t;
}

/** The refusal for a cost past the budget (null when it fits). */
export function refusal(c: Cost, budget: Budget): DocumentError | null {
  if (fits(c, budget)) return null;
  const s = c.sizes;
  const subs = subjects(s);
  const memory = c.bytes > budget.bytes;
  let subject: Subject, figure: string;
  if (memory) {
    const held = c.parts.filter((p) => p.kind !== 'transient');
    const peak = c.parts.filter((p) => p.kind === 'transient').reduce<CostPart | null>((a, p) => (!a || p.bytes > a.bytes ? p : a), null);
    const top = [...held, ...(peak ? [peak] : [])].reduce((a, p) => (p.bytes > a.bytes ? p : a));
    subject = subs[top.subject];
    const alone = top.bytes < c.bytes ? ` (${top.label} alone ${formatBytes(top.bytes)})` : ` (${top.label})`;
    figure = `needs about ${formatBytes(c.bytes)}${alone}; the memory budget is ${formatBytes(budget.bytes)}${budget.hint ? ` (${budget.hint})` : ''}`;
  } else {
    const top = c.setup.reduce((a, w) => (w.flops > a.flops ? w : a));
    subject = subs[top.subject];
    figure = `needs about ${formatFlops(c.flops)} floating-point operations before its first iteration (${top.label}: ${formatFlops(top.flops)}); the work cap is ${formatFlops(budget.flops)} (under a minute of one core)`;
  }
  let fit = '';
  for (const k of subject.knobs) {
    const v = largestFitting(s, k, budget);
    if (v === null) continue;
    fit = ` — the largest ${k.label} that fits${k.with ? ` with ${k.with(s)}` : ''} is ${v}`;
    // a memory refusal whose answer the work cap lowers says so
    const byMemory = memory ? largestFitting(s, k, { bytes: budget.bytes, flops: Infinity }) : null;
    if (byMemory !== null && byMemory > v) fit += ` (the memory alone allows ${byMemory}; the work cap of ${formatFlops(budget.flops)} flops before the first iteration lowers it)`;
    break;
  }
  if (!fit) fit = ' — no smaller size of this field fits on its own; make the problem smaller';
  return new DocumentError(subject.field, `${subject.what} ${figure}${fit}`);
}

/** Throws a DocumentError (one line: the field, the figure, the largest size that fits) when the document is past the budget; returns its cost. */
export function checkBudget(e: Experiment, budget: Budget): Cost {
  const c = estimateCost(e);
  const why = refusal(c, budget);
  if (why) throw why;
  return c;
}

// ------------------------------------------------------------------------------------------ sweeps

type Obj = Record<string, unknown>;

/** A copy of the document in which the matrices ({shape, data}) are shared, not copied: a sweep parameter never writes into one. */
function copyAroundTensors(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(copyAroundTensors);
  if (x === null || typeof x !== 'object') return x;
  const o = x as Obj;
  if (Array.isArray(o.shape) && Array.isArray(o.data)) return o;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, copyAroundTensors(v)]));
}

export interface SweepCost {
  /** the cell past the budget, or the costliest cell */
  cost: Cost;
  xi: number;
  yi: number;
}

/**
 * The costliest cell of a sweep (by memory, then by set-up work); every cell is sized from the plan's
 * values, not built. Throws the refusal of the first cell past the budget, naming the cell.
 */
export function checkSweepBudget(plan: SweepPlan, budget: Budget): SweepCost {
  const base = plan.base as unknown as Obj;
  const nx = plan.x.values.length, ny = plan.y?.values.length ?? 1;
  let worst: SweepCost | null = null;
  for (let yi = 0; yi < ny; yi++) {
    for (let xi = 0; xi < nx; xi++) {
      const doc = copyAroundTensors(base) as Obj;
      const values: [string, SweepValue][] = [[plan.x.param, plan.x.values[xi]]];
      if (plan.y) values.push([plan.y.param, plan.y.values[yi]]);
      setCellValues(doc, values);
      const cost = estimateCost(doc as unknown as Experiment);
      const why = refusal(cost, budget);
      if (why) {
        const cell = values.map(([param, v]) => `${param} = ${v}`).join(', ');
        throw new DocumentError('sweep', `the cell ${cell}: ${why.message}`);
      }
      if (!worst || cost.bytes > worst.cost.bytes || (cost.bytes === worst.cost.bytes && cost.flops > worst.cost.flops)) worst = { cost, xi, yi };
    }
  }
  return worst!;
}

/** How many cells may run at once (workers, or trials of a GPU batch) in the memory budget: at most `wanted`, at least 1. */
export function parallelInBudget(cell: Cost, budget: Budget, wanted: number): number {
  return Math.max(1, Math.min(wanted, Math.floor(budget.bytes / Math.max(1, cell.bytes))));
}
