/**
 * The resource budget of a document, from its sizes alone, before anything is built: the bytes of the
 * largest arrays the build and the run allocate (Y and its node blocks, masks, the sensing operators 𝒜ⱼ,
 * W, the J copies of U, V, HMF sources, video frames, SVD work for σ₁ and f⋆ …) and the floating-point
 * operations of setting up (the build, the singular values it needs, the bounds measured at the start and
 * the first record) and of one iteration. A document past the budget is refused with one line naming the
 * field, the figure and the largest size that fits (`checkBudget`), so no entry point — CLI, page, link,
 * sweep cell — ever starts an allocation that cannot finish or a set-up that runs for minutes.
 *
 * The model follows the code (src/core/build.ts, problem.ts, measured.ts, network.ts, hmf-build.ts,
 * video.ts, theory.ts, the CPU engine and the session), array by array; `test/unit/budget.test.ts` builds
 * instances and checks the figures against the typed arrays they actually hold. Pure functions of the
 * parsed document: no DOM, no Node, plain arithmetic (no Math.log & co., which differ across browsers).
 */
import { DocumentError, type Experiment } from './experiment';
import { LARGE_MATRIX } from './linalg';
import type { SweepPlan } from './sweep';
import { type SweepValue, sweepParam } from './sweep-schema';

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

type Kind = Experiment['problem']['kind'];
type Alg = Experiment['algorithm']['name'];

/** What the cost depends on: the document reduced to numbers and switches. */
export interface Sizes {
  kind: Kind;
  alg: Alg;
  /** where the data comes from */
  source: 'generate' | 'given' | 'video' | 'sources';
  n: number;
  m: number;
  /** rank of the factors */
  r: number;
  /** rank of the planted model */
  trueRank: number;
  /** nodes of the network (1 without one) */
  J: number;
  topology: string | null;
  /** nonzeros of an explicit W or adjacency (diagonal included), when given */
  nnzGiven: number | null;
  p: number;
  tau: number;
  /** the largest block of an explicit partition */
  partitionMax: number | null;
  noise: boolean;
  /** the step is the practical rule (σ₁ or ‖Aⱼ‖₂ at build time) */
  rule: boolean;
  lambda: boolean;
  measurements: number;
  split: boolean;
  incoherence: boolean;
  maskGiven: boolean;
  boundGiven: boolean;
  /** least squares */
  d: number;
  rows: number;
  /** HMF: sources, rows, the widest source, ranks */
  N: number;
  n1: number;
  n2: number;
  r1: number;
  r2: number;
  orthogonal: boolean;
  missing: boolean;
  truthKnown: boolean;
  correction: boolean;
  /** the video demo's frames, height and width */
  F: number;
  H: number;
  W: number;
  /** init.saddle with a nonempty set (a partial SVD of Y) */
  saddle: boolean;
  curvature: boolean;
  iterations: number;
  recordEvery: number;
  /** numbers of an explicit start (init U, V or x) written out in the document: held as parsed */
  docInit: number;
}

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
  const p = e.problem as Record<string, unknown> & { kind: Kind };
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
    noise: Number(g.noise ?? 0) > 0, rule: typeof a.stepsize !== 'number', lambda: Number(p.lambda ?? 0) > 0,
    measurements: 0, split: false, incoherence: !!p.incoherence, maskGiven: !!p.mask, boundGiven: p.bound !== undefined,
    d: 1, rows: 1, N: 1, n1: 1, n2: 1, r1: 1, r2: 1, orthogonal: g.factors !== 'gaussian', missing: false, truthKnown: false,
    correction: a.correction ?? true, F: 0, H: 0, W: 0,
    saddle: !!init.saddle && init.saddle.set.length > 0, curvature: a.curvatureEvery !== undefined,
    iterations: a.iterations, recordEvery: a.recordEvery ?? Math.max(1, Math.ceil(a.iterations / 1000)),
    docInit: count(init.U) + count(init.V) + count(init.x),
  };
  if (p.kind === 'hmf') {
    s.r1 = p.sharedRank as number;
    s.r2 = p.uniqueRank as number;
    const v = p.video as { frames: number; height: number; width: number; missing: number; data?: { shape: number[] } } | undefined;
    const sources = p.sources as { M: { shape: number[] }; mask?: { shape: number[]; data: readonly number[] }; shared?: TensorLike; unique?: TensorLike }[] | undefined;
    if (p.generate) {
      s.N = g.N as number;
      s.n1 = g.n1 as number;
      s.n2 = g.n2 as number;
      s.missing = Number(g.missing ?? 0) > 0;
      s.truthKnown = true;
      s.m = s.N * s.n2;
    } else if (v) {
      s.source = 'video';
      [s.F, s.H, s.W] = v.data ? v.data.shape : [v.frames, v.height, v.width];
      s.N = s.F;
      s.n1 = Math.floor(s.H / 7) * Math.floor(s.W / 7);
      s.n2 = 49;
      s.missing = v.missing > 0;
      s.truthKnown = !v.data;
      s.m = s.N * s.n2;
    } else if (sources) {
      s.source = 'sources';
      s.N = sources.length;
      s.n1 = sources[0].M.shape[0];
      s.n2 = Math.max(...sources.map((x) => x.M.shape[1]));
      s.m = sources.reduce((t, x) => t + x.M.shape[1], 0);
      s.missing = sources.some((x) => !!x.mask);
      s.truthKnown = sources.every((x) => !!x.shared && !!x.unique);
    }
    s.n = s.n1;
    s.r = Math.min(s.r1 + s.r2, s.n1, s.m);
    return s;
  }
  if (p.kind === 'least-squares') {
    const A = p.A as { shape: number[] } | undefined;
    if (A) {
      s.source = 'given';
      [s.J, s.rows, s.d] = A.shape;
    } else {
      s.d = g.d as number;
      s.rows = g.rows as number;
    }
    return s;
  }
  s.r = p.rank as number;
  const data = (p.Y ?? p.M) as { shape: number[] } | undefined;
  if (data) {
    s.source = 'given';
    [s.n, s.m] = data.shape;
    s.trueRank = s.r;
  } else {
    s.n = g.n as number;
    s.m = g.m as number;
    s.trueRank = (g.trueRank as number | undefined) ?? s.r;
  }
  if (p.kind === 'sensing') {
    s.measurements = g.measurements as number;
    s.split = !!g.split;
  }
  return s;
}

// ------------------------------------------------------------------------------------------ the cost

/** Bytes of one float64. */
const B = 8;
/** Operations one random draw costs, as measured against plain arithmetic (about 7·10⁶ normals a second). */
const NORMAL = 50;
const UNIFORM = 10;
/** A neighbour entry {i, w} of DgdLocal's lists: a small object and its slot (JavaScript objects, not typed arrays). */
const NEIGHBOUR_BYTES = 40;
/** Operations one number of a new array costs to allocate, fill and copy (measured: Float64Array.from, zero-fill, stacking). */
const PER_NUMBER = 10;
/** A number of a result document: its JavaScript array entry and its JSON text. */
const RESULT_BYTES = 24;

/** What a refusal names: the field, its sizes in words, and the sizes it may shrink to fit (first that can). */
interface Subject {
  field: string;
  what: string;
  knobs: Knob[];
}

interface Knob {
  key: 'n' | 'm' | 'J' | 'r' | 'measurements' | 'd' | 'rows' | 'N' | 'n1' | 'n2' | 'F' | 'H' | 'W' | 'r1' | 'r2';
  /** how the message calls it */
  label: string;
  /** the smallest value the document allows */
  min(s: Sizes): number;
  /** the other sizes it is quoted with ("with n = 65536") */
  with?(s: Sizes): string;
}

export type PartKind = 'instance' | 'engine' | 'document' | 'transient';

export interface CostPart {
  /** what the arrays hold, e.g. "Y", "W (J×J)" */
  label: string;
  bytes: number;
  /**
   * instance: held by the built Instance; engine: by the engine, the session and the page while it runs;
   * document: the numbers written in the document; transient: the largest temporary of one step of the
   * build or of a record (only the largest transient counts towards the peak)
   */
  kind: PartKind;
  /** JavaScript arrays or objects rather than typed arrays (the document's numbers, neighbour lists, rows for the page) */
  plain?: boolean;
  subject: SubjectId;
}

export interface WorkPart {
  label: string;
  flops: number;
  subject: SubjectId;
}

type SubjectId = 'data' | 'network' | 'iterate' | 'operator' | 'normal' | 'sources';

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

function svd(a: number, b: number): { bytes: number; flops: number } {
  // ml-matrix's SVD (rows ≥ cols, transposed otherwise) with both factors: the input's copies, the factors
  // and their reordered copies live at once; the operations as measured (~24·R·C² for R×C)
  const R = Math.max(a, b), C = Math.min(a, b);
  return { bytes: B * (4 * R * C + 2 * C * C), flops: 24 * R * C * C };
}

/** All singular values (linalg.singularValuesFast): a full SVD when small, else √eig of the smaller Gram matrix. */
function sigmas(a: number, b: number): { bytes: number; flops: number } {
  if (a * b <= LARGE_MATRIX) return svd(a, b);
  const k = Math.min(a, b), M = Math.max(a, b);
  // the Gram matrix, ml-matrix's copy and eigenvectors, and ours
  return { bytes: B * 4 * k * k, flops: 2 * k * k * M + 10 * k * k * k };
}

/** σ₁ (linalg.topSingularValue): a full SVD when small, else up to 300 power iterations. */
function sigma1(a: number, b: number): { bytes: number; flops: number } {
  if (a * b <= LARGE_MATRIX) return svd(a, b);
  return { bytes: B * 4 * (a + b), flops: 300 * 4 * a * b };
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

/** ⌈log₂ x⌉ for x ≥ 1, by halving (comparison sorts). */
function log2(x: number): number {
  let k = 0;
  for (let v = 1; v < x; v *= 2) k++;
  return k;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function subjects(s: Sizes): Record<SubjectId, Subject> {
  const nodes = s.alg === 'gd' ? 1 : s.J;
  const mMin = (x: Sizes) => Math.max(x.alg === 'gd' ? 1 : x.J, x.r, x.trueRank);
  const nMin = (x: Sizes) => Math.max(x.r, x.trueRank);
  const given = s.source === 'given';
  const dataField = s.kind === 'factorization' ? 'Y' : 'M';
  let data: Subject;
  switch (s.kind) {
    case 'least-squares':
      data = {
        field: given ? 'problem.A' : 'problem.generate', what: `d = ${s.d}, rows = ${s.rows}${s.J > 1 ? ` on each of ${s.J} nodes` : ''}`,
        knobs: [
          { key: 'rows', label: 'rows', min: () => 1, with: (x) => `d = ${x.d}` },
          { key: 'd', label: 'd', min: () => 1, with: (x) => `rows = ${x.rows}` },
        ],
      };
      break;
    case 'hmf':
      data = s.source === 'video'
        ? {
          field: 'problem.video', what: `${plural(s.F, 'frame')} of ${s.H}×${s.W}`,
          knobs: [
            { key: 'F', label: 'number of frames', min: () => 2, with: (x) => `${x.H}×${x.W} frames` },
            { key: 'H', label: 'height', min: () => 7, with: (x) => `${x.F} frames ${x.W} wide` },
          ],
        }
        : {
          field: s.source === 'sources' ? 'problem.sources' : 'problem.generate', what: `N = ${s.N}, n1 = ${s.n1}, n2 = ${s.n2}`,
          knobs: [
            { key: 'N', label: 'N', min: () => 1, with: (x) => `n1 = ${x.n1}, n2 = ${x.n2}` },
            { key: 'n2', label: 'n2', min: (x) => (x.orthogonal ? x.r1 + x.r2 : 1), with: (x) => `N = ${x.N}, n1 = ${x.n1}` },
            { key: 'n1', label: 'n1', min: (x) => x.r1 + x.r2, with: (x) => `N = ${x.N}, n2 = ${x.n2}` },
          ],
        };
      break;
    default:
      data = {
        field: given ? `problem.${dataField}` : 'problem.generate',
        what: `${given ? `${dataField} of ` : ''}n = ${s.n}, m = ${s.m}${s.kind === 'sensing' ? `, ${s.measurements} measurements${s.split ? ' in all' : ' per node'}` : ''}`,
        knobs: [
          { key: 'm', label: 'm', min: mMin, with: (x) => `n = ${x.n}` },
          { key: 'n', label: 'n', min: nMin, with: (x) => `m = ${x.m}` },
        ],
      };
  }
  const network: Subject = {
    field: s.topology === null ? 'network.W' : 'network.J', what: `J = ${s.J}${s.topology ? ` (${s.topology})` : ''}`,
    knobs: [{ key: 'J', label: 'J', min: () => 1 }],
  };
  const iterate: Subject = s.kind === 'hmf'
    ? { ...data }
    : {
      field: nodes > 1 ? 'network.J' : 'problem.rank',
      what: s.kind === 'least-squares' ? `J = ${nodes} copies of x ∈ ℝ^${s.d}` : `J = ${nodes} copies of U (${s.n}×${s.r}) and V (${s.m}×${s.r})`,
      knobs: [
        ...(nodes > 1 ? [{ key: 'J' as const, label: 'J', min: () => 1, with: (x: Sizes) => `rank ${x.r}` }] : []),
        ...(s.kind !== 'least-squares' ? [{ key: 'r' as const, label: 'rank', min: () => 1, with: (x: Sizes) => `J = ${x.alg === 'gd' ? 1 : x.J}` }] : []),
      ],
    };
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

/** The cost of a document with these sizes. */
export function costOfSizes(s: Sizes): Cost {
  const parts: CostPart[] = [];
  const setup: WorkPart[] = [];
  const hold = (label: string, bytes: number, subject: SubjectId, kind: PartKind = 'instance', plain = kind === 'document') => {
    if (bytes > 0) parts.push({ label, bytes, kind, subject, ...(plain ? { plain } : {}) });
  };
  const temp = (label: string, bytes: number, subject: SubjectId) => hold(label, bytes, subject, 'transient');
  const work = (label: string, flops: number, subject: SubjectId) => {
    if (flops > 0) setup.push({ label, flops, subject });
  };
  const { n, m, r, kind, alg } = s;
  const nm = n * m;
  const networked = alg !== 'gd' && alg !== 'hmf';
  const nodes = networked ? s.J : 1;
  const maxBlock = alg === 'gd' ? m : s.partitionMax !== null ? Math.min(s.partitionMax, m) : Math.ceil(m / Math.max(1, nodes));
  const nnz = networked ? nonzerosOf(s) : 1;
  // the document's own numbers, held as parsed (the instance keeps the document)
  if (s.nnzGiven !== null) hold('W written in the document', s.J * s.J * B, 'network', 'document');
  hold('the start written in the document', s.docInit * B, 'iterate', 'document');
  const docData = s.source === 'given'
    ? (kind === 'least-squares' ? s.J * s.rows * (s.d + 1) : nm * (s.maskGiven ? 2 : 1))
    : s.source === 'sources' ? n * m * (1 + (s.missing ? 1 : 0) + (s.truthKnown ? 2 : 0))
      : s.source === 'video' && !s.truthKnown ? s.F * s.H * s.W : 0;
  hold('the data written in the document', docData * B, kind === 'hmf' ? 'sources' : 'data', 'document');

  // --- the data
  /** Y = U⋆V⋆ᵀ (+ noise): the planted model of problem.ts */
  const planted = (label: string, noise: boolean) => {
    hold(label, nm * B, 'data');
    temp('U⋆ and V⋆ as drawn', 2 * (n + m) * s.trueRank * B, 'data');
    work(`drawing ${label}`, NORMAL * (n + m) * s.trueRank + 2 * nm * s.trueRank + (noise ? NORMAL * nm : 0), 'data');
  };
  /** the data term's gradient over all nodes (flops of one iteration, before the mixing), and one record's */
  let gradient: number, record: number;
  if (kind === 'factorization') {
    if (s.source === 'given') hold('Y', nm * B, 'data');
    else planted('Y', s.noise);
    hold('the node blocks of Y', nm * B, 'data');
    const s1 = sigma1(n, m), all = sigmas(n, m);
    if (s.rule) {
      temp('σ₁(Y) for the step rule', s1.bytes, 'data');
      work('σ₁(Y) for the step rule', s1.flops, 'data');
    }
    temp('the singular values of Y (f⋆ of the optimality gap, ‖Y‖_* of the bounds)', all.bytes, 'data');
    work('the singular values of Y (f⋆ of the optimality gap, ‖Y‖_* of the bounds)', all.flops, 'data');
    if (s.saddle) {
      const sv = svd(n, m);
      temp('the SVD of Y for the saddle start', sv.bytes, 'data');
      work('the SVD of Y for the saddle start', sv.flops, 'data');
    }
    gradient = 6 * nm * r + (s.lambda ? 4 * r * r * (nodes * n + m) : 0);
    record = 8 * nm * r + 2 * nm;
  } else if (kind === 'completion') {
    if (s.source === 'given') hold('M', nm * B, 'data');
    else {
      planted('X⋆ (the truth)', false);
      planted('M', s.noise);
    }
    hold(s.maskGiven ? 'the mask Ω' : 'the mask Ω (Bernoulli draws)', nm, 'data');
    if (!s.maskGiven) work('drawing the mask Ω', UNIFORM * nm, 'data');
    hold('P_Ω(M)', nm * B, 'data');
    const sv = s.incoherence ? svd(n, m) : sigma1(n, m);
    const what = s.incoherence ? 'the SVD of P_Ω(M)/p (σ₁, κ, ν of the incoherence term)' : 'σ₁(P_Ω(M)/p)';
    temp(`P_Ω(M)/p and ${what}`, nm * B + sv.bytes, 'data');
    work(what, sv.flops, 'data');
    hold('the objective’s buffers (2 n·mⱼ)', 2 * n * maxBlock * B, 'data', 'engine');
    gradient = 6 * nm * r + 4 * nm + (s.lambda ? 4 * r * r * (nodes * n + m) : 0);
    record = 14 * nm * r + 4 * nm;
  } else if (kind === 'rpca') {
    if (s.source === 'given') {
      hold('Mₒ', nm * B, 'data');
      if (!s.boundGiven) {
        const sv = svd(n, m);
        temp('the SVD of Mₒ for the bound b', sv.bytes, 'data');
        work('the SVD of Mₒ for the bound b', sv.flops, 'data');
      }
    } else {
      planted('M⋆ (the truth)', false);
      hold('S⋆ and Mₒ = M⋆ + S⋆', 2 * nm * B, 'data');
      const sv = svd(n, m);
      temp('the SVD of M⋆ for the bound b', sv.bytes + m * B, 'data');
      work('the SVD of M⋆ for the bound b', sv.flops + 2 * UNIFORM * nm, 'data');
    }
    const s1 = sigma1(n, m);
    temp('σ₁(Mₒ)', s1.bytes, 'data');
    work('σ₁(Mₒ)', s1.flops, 'data');
    hold('the objective’s buffers (4 n·mⱼ)', 4 * n * maxBlock * B, 'data', 'engine');
    gradient = 6 * nm * r + 8 * nm + 3 * nm * (log2(n) + log2(maxBlock)) + (s.lambda ? 4 * r * r * (nodes * n + m) : 0);
    record = 16 * nm * r + 3 * nm * (log2(n) + log2(maxBlock));
    temp('the sparse estimates of a record', nm * B, 'data');
  } else if (kind === 'sensing') {
    planted('X⋆ (the truth)', false);
    const perNode = s.split ? Math.ceil(s.measurements / nodes) : s.measurements;
    const entries = perNode * nm;
    hold('𝒜ⱼ, the measurement operators (rows × n·mⱼ per node)', entries * B, 'operator');
    hold('b', perNode * nodes * B, 'operator');
    temp('one node’s operator as drawn', perNode * n * maxBlock * B, 'operator');
    work('drawing 𝒜 and b = 𝒜(X⋆)', (NORMAL + 2) * entries, 'operator');
    const s1 = sigma1(n, m);
    temp('σ₁(X⋆)', s1.bytes, 'data');
    work('σ₁(X⋆)', s1.flops, 'data');
    hold('the objective’s buffers (2 n·mⱼ)', 2 * n * maxBlock * B, 'data', 'engine');
    gradient = 4 * entries + 6 * nm * r + (s.lambda ? 4 * r * r * (nodes * n + m) : 0);
    record = 8 * entries + 12 * nm * r;
  } else if (kind === 'least-squares') {
    const { d, rows } = s;
    const J = s.J;
    const entries = J * rows * d;
    hold('A (J × rows × d)', entries * B, 'data');
    hold('b', J * rows * B, 'data');
    temp('one node’s A as drawn or sliced', rows * d * B * 2, 'data');
    if (s.source !== 'given') work('drawing A and b', NORMAL * J * rows * (d + 1), 'data');
    const sv = svd(d, d);
    temp('the normal equations (d × d, in several copies) and their SVD solve', 6 * d * d * B + sv.bytes, 'normal');
    work('the normal equations Σ AⱼᵀAⱼ and their SVD solve', 2 * entries * d + sv.flops, 'normal');
    const sa = svd(rows, d);
    temp('the SVD of one Aⱼ (‖Aⱼ‖₂ for L̂)', sa.bytes, 'data');
    work('‖Aⱼ‖₂ of every node (an SVD each)', J * sa.flops, 'data');
    gradient = 4 * entries;
    record = 3 * 4 * entries;
  } else {
    // --- HMF (src/core/hmf-model.ts, video.ts, hmf-build.ts)
    const { N, n1, n2, r1, r2 } = s;
    const entries = n1 * m;
    if (s.source === 'generate') {
      if (s.orthogonal) {
        temp('Q (n₁×n₁, orthonormalised)', n1 * n1 * B, 'sources');
        work('orthonormalising Q (n₁×n₁)', NORMAL * n1 * n1 + 4 * n1 * n1 * n1, 'sources');
      } else work('drawing and deflating the bases', NORMAL * n1 * (r1 + N * r2) + 4 * N * n1 * r1 * r2, 'sources');
      hold('the true bases', (n1 * r1 + N * n1 * r2) * B, 'sources');
      hold('the sources Mᵢ and their true shared and unique parts', 3 * entries * B, 'sources');
      work('the sources UV ᵀ', N * (2 * n1 * n2 * (r1 + r2) + NORMAL * n2 * (r1 + r2)) + (s.noise ? NORMAL * entries : 0), 'sources');
      work('θ̂ (500 power iterations)', 2500 * N * n1 * r2, 'sources');
      temp('θ̂’s orthonormal bases', N * n1 * r2 * B, 'sources');
    } else if (s.source === 'video') {
      const P = s.H * s.W;
      hold('the clip’s frames', (s.F + (s.truthKnown ? 1 : 0)) * P * B, 'sources');
      if (s.truthKnown) work('drawing the clip', 200 * P + 2 * s.F * P, 'sources');
      hold(s.truthKnown ? 'the frames as 7×7 patches (Mᵢ) and their true foreground' : 'the frames as 7×7 patches (Mᵢ)', (s.truthKnown ? 2 : 1) * entries * B + n1 * 49 * B, 'sources');
      temp('one frame’s patches and shuffled pixel indices', n1 * 49 * (B + 4), 'sources');
    } else {
      hold('the sources Mᵢ (and their true parts when given)', (s.truthKnown ? 3 : 1) * entries * B, 'sources');
    }
    if (s.missing) {
      hold('the masks', entries, 'sources');
      work('drawing the masks', UNIFORM * entries, 'sources');
      temp('one mask’s shuffled indices', n1 * n2 * 4, 'sources');
    }
    temp('the stacked data [M₁ … M_N] as built', entries * B, 'sources');
    hold('the stacked data (n₁ × Σn₂) and its blocks', 2 * entries * B, 'sources');
    work('stacking the data', 3 * entries, 'sources');
    if (s.rule) {
      const s1 = sigma1(n1, n2);
      temp('σ₁(Mᵢ) for the step rule', s1.bytes, 'sources');
      work('σ₁(Mᵢ) of every source for the step rule', N * s1.flops, 'sources');
    }
    hold('W (N×N, the server’s average)', N * N * B, 'sources');
    temp('W as built', N * N * B, 'sources');
    const L = N * (n2 * (r1 + r2) + n1 * r2);
    hold('the initial iterate', (n1 * r1 + L) * B, 'iterate');
    hold('the engine’s and session’s copies of the iterate', 3 * (n1 * r1 + L) * B, 'iterate', 'engine');
    // the CPU engine builds DgdLocal for the stacked problem even for HMF (it never steps it)
    hold('the CPU engine’s DGD buffers (N × n₁ × r)', (N * n1 * r + n2 * r) * B, 'sources', 'engine');
    hold('the CPU engine’s neighbour lists (N²)', N * N * NEIGHBOUR_BYTES, 'sources', 'engine', true);
    const round = N * (6 * n1 * n2 * (r1 + r2) + 2 * n1 * (r1 + r2) * (r1 + r2)) + (s.correction ? N * 4 * (n1 + n2) * r1 * r2 : 0);
    temp('the gradients of one round', (L + N * n1 * r1) * B, 'iterate');
    if (s.truthKnown) temp('the reconstructions of a record (shared and unique parts of every source)', 2 * entries * B, 'sources');
    if (s.source === 'video') temp('the video view’s frames', 2 * entries * B, 'sources');
    work('correcting the initial iterate', s.correction ? N * 4 * (n1 + n2) * r1 * r2 : 0, 'iterate');
    work('the first record', round + (s.truthKnown ? 2 * N * n1 * n2 * (r1 + r2) : 0), 'iterate');
    const records = Math.ceil(s.iterations / s.recordEvery) + 1;
    const flops = setup.reduce((t, w) => t + w.flops, 0);
    return finish(parts, setup, flops, round, flops + s.iterations * round + records * round, s);
  }

  // --- the network
  if (networked) {
    const J = s.J;
    hold('W (J×J)', J * J * B, 'network');
    hold('W as rows for the network view (the page)', J * J * B, 'network', 'engine', true);
    temp('the graph and W before the lazy step (J×J each)', (s.topology === 'random-threshold' ? 3 : 2) * J * J * B, 'network');
    work('the graph and its weights (a few passes over J×J)', 20 * J * J, 'network');
    hold('the neighbour lists of the mixing step (nonzeros of W)', nnz * NEIGHBOUR_BYTES, 'network', 'engine', true);
  }

  // --- the iterate: J copies of the shared part, the private blocks
  const shared = kind === 'least-squares' ? s.d : (alg === 'dgd' ? n + m : n) * r;
  const local = kind === 'least-squares' || alg === 'dgd' ? 0 : m * r;
  const I = nodes * shared + local;
  hold('the initial iterate (the J copies of U, and V)', I * B, 'iterate');
  // the session's snapshot, the engine's state, DgdLocal's next copies and gradient buffers
  hold('the engine’s and session’s copies of the iterate', (2 * I + nodes * shared + shared + maxBlock * r) * B, 'iterate', 'engine');
  temp('the random start as drawn (typed and plain copies)', 2 * I * B, 'iterate');
  temp('the gradient and averages of a record', 2 * I * B, 'iterate');
  temp('the result document’s iterate', I * RESULT_BYTES, 'iterate');
  const mixing = networked ? 2 * nnz * shared + 3 * I : 3 * I;
  const iteration = gradient + mixing;
  record += 5 * nnz * shared + 6 * I + (kind === 'least-squares' ? 0 : 2 * r * r * (n + m));
  // the bounds measured at the start (theory.localLipschitz: power iteration on finite-difference Hessian products)
  const sampled = nodes * shared * (kind === 'least-squares' ? 1 : maxBlock) > 5e6 && nodes > 8;
  const lip = (sampled ? 30 : 60) * 2 * (sampled ? (gradient * 8) / nodes : gradient) + (sampled ? 30 : 60) * 30 * (shared + maxBlock * r);
  const gradSubject: SubjectId = kind === 'sensing' ? 'operator' : 'data';
  work('L measured at the start (power iteration on the gradients)', lip, gradSubject);
  temp('the vectors of that power iteration', 12 * (shared + maxBlock * r) * B, 'iterate');
  work('the first record', record, gradSubject);
  if (s.curvature) {
    const k = Math.min(I, 200);
    temp('the Lanczos vectors of λ_min (up to 200 iterate-sized)', k * I * B, 'iterate');
    work('λ_min at the first record (Lanczos)', k * (2 * gradient + 4 * nnz * shared) + 4 * k * k * I, 'iterate');
  }
  const setupFlops = setup.reduce((t, w) => t + w.flops, 0);
  const records = Math.ceil(s.iterations / s.recordEvery) + 1;
  return finish(parts, setup, setupFlops, iteration, setupFlops + s.iterations * iteration + records * record, s);
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
  if (s.kind === 'hmf') {
    const L = s.N * (s.n2 * (s.r1 + s.r2) + s.n1 * s.r2) + s.n1 * s.r1;
    return { result: L + trace, materialize: s.n1 * s.m * (1 + (s.missing ? 1 : 0) + (s.truthKnown ? 2 : 0)) };
  }
  const nodes = s.alg === 'gd' ? 1 : s.J;
  const I = s.kind === 'least-squares' ? nodes * s.d : nodes * (s.alg === 'dgd' ? s.n + s.m : s.n) * s.r + (s.alg === 'dgd' ? 0 : s.m * s.r);
  const nm = s.n * s.m;
  // sensing keeps its generator: its operators are n·m·p numbers
  const data = s.kind === 'factorization' || s.kind === 'rpca' ? nm : s.kind === 'completion' ? 2 * nm : s.kind === 'least-squares' ? s.J * s.rows * (s.d + 1) : 0;
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
  return `about ${formatBytes(c.bytes)} at the peak; ${formatFlops(c.flops)} flops to set up (build, bounds, first record), `
    + `${formatFlops(c.iterationFlops)} per ${c.sizes.kind === 'hmf' ? 'round' : 'iteration'}, ${formatFlops(c.totalFlops)} for the whole run of ${it} ${c.sizes.kind === 'hmf' ? 'rounds' : 'iterations'}`;
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
  if (t.kind === 'hmf') {
    if (t.source === 'video') {
      t.N = t.F;
      t.n1 = Math.floor(t.H / 7) * Math.floor(t.W / 7);
    }
    t.n = t.n1;
    t.m = t.N * t.n2;
    t.r = Math.min(t.r1 + t.r2, t.n1, t.m);
  }
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
      for (const [param, v] of values) sweepParam(param)!.set(doc, v);
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
