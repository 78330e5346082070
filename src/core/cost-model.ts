/**
 * The pieces of the resource model (budget.ts) that the problem kinds use to state their own costs: the
 * document's sizes, the constants measured against plain arithmetic, the cost of the linear algebra the
 * builders call, and a ledger that records what is held, what is temporary and what set-up works. A leaf:
 * the kinds (src/core/problems) import it, budget.ts composes their figures with the network's and the
 * iterate's.
 */
import type { AlgorithmName } from './document';
import { LARGE_MATRIX } from './linalg';

/** What the cost depends on: the document reduced to numbers and switches. */
export interface Sizes {
  kind: string;
  alg: AlgorithmName;
  /** where the data comes from */
  source: 'generate' | 'given' | 'video' | 'sources' | 'stocks' | 'prices';
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
  /** the balancing weight itself (0: off) */
  lambdaValue: number;
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

/** Bytes of one float64. */
export const B = 8;
/** Operations one random draw costs, as measured against plain arithmetic (about 7·10⁶ normals a second). */
export const NORMAL = 50;
export const UNIFORM = 10;
/** A neighbour entry {i, w} of DgdLocal's lists: a small object and its slot (JavaScript objects, not typed arrays). */
export const NEIGHBOUR_BYTES = 40;
/** Operations one number of a new array costs to allocate, fill and copy (measured: Float64Array.from, zero-fill, stacking). */
export const PER_NUMBER = 10;
/** A number of a result document: its JavaScript array entry and its JSON text. */
export const RESULT_BYTES = 24;

/** What a refusal names: the field, its sizes in words, and the sizes it may shrink to fit (first that can). */
export interface Subject {
  field: string;
  what: string;
  knobs: Knob[];
}

export interface Knob {
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

export type SubjectId = 'data' | 'network' | 'iterate' | 'operator' | 'normal' | 'sources';

export function svd(a: number, b: number): { bytes: number; flops: number } {
  // ml-matrix's SVD (rows ≥ cols, transposed otherwise) with both factors: the input's copies, the factors
  // and their reordered copies live at once; the operations as measured (~24·R·C² for R×C)
  const R = Math.max(a, b), C = Math.min(a, b);
  return { bytes: B * (4 * R * C + 2 * C * C), flops: 24 * R * C * C };
}

/** All singular values (linalg.singularValuesFast): a full SVD when small, else √eig of the smaller Gram matrix. */
export function sigmas(a: number, b: number): { bytes: number; flops: number } {
  if (a * b <= LARGE_MATRIX) return svd(a, b);
  const k = Math.min(a, b), M = Math.max(a, b);
  // the Gram matrix, ml-matrix's copy and eigenvectors, and ours
  return { bytes: B * 4 * k * k, flops: 2 * k * k * M + 10 * k * k * k };
}

/** σ₁ (linalg.topSingularValue): a full SVD when small, else up to 300 power iterations. */
export function sigma1(a: number, b: number): { bytes: number; flops: number } {
  if (a * b <= LARGE_MATRIX) return svd(a, b);
  return { bytes: B * 4 * (a + b), flops: 300 * 4 * a * b };
}

/** ⌈log₂ x⌉ for x ≥ 1, by halving (comparison sorts). */
export function log2(x: number): number {
  let k = 0;
  for (let v = 1; v < x; v *= 2) k++;
  return k;
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where a kind writes its arrays and set-up work (budget.ts sums them). */
export class Ledger {
  readonly parts: CostPart[] = [];
  readonly setup: WorkPart[] = [];
  constructor(readonly s: Sizes) {}
  hold(label: string, bytes: number, subject: SubjectId, kind: PartKind = 'instance', plain = kind === 'document'): void {
    if (bytes > 0) this.parts.push({ label, bytes, kind, subject, ...(plain ? { plain } : {}) });
  }
  temp(label: string, bytes: number, subject: SubjectId): void {
    this.hold(label, bytes, subject, 'transient');
  }
  work(label: string, flops: number, subject: SubjectId): void {
    if (flops > 0) this.setup.push({ label, flops, subject });
  }
  /** Y = U⋆V⋆ᵀ (+ noise): the planted model of problem.ts, n×m of rank trueRank */
  planted(label: string, noise: boolean): void {
    const { n, m, trueRank } = this.s;
    this.hold(label, n * m * B, 'data');
    this.temp('U⋆ and V⋆ as drawn', 2 * (n + m) * trueRank * B, 'data');
    this.work(`drawing ${label}`, NORMAL * (n + m) * trueRank + 2 * n * m * trueRank + (noise ? NORMAL * n * m : 0), 'data');
  }
}

/** What a node kind's data costs per step: the data term's gradient over all nodes and one record's work. */
export interface StepCost {
  gradient: number;
  record: number;
}

/** A node kind's iterate: lengths of one node's shared variable and of all private ones, in words for refusals. */
export interface IterateShape {
  shared: number;
  local: number;
  /** "J = 4 copies of U (30×3) and V (100×3)" */
  what: string;
  /** whether the rank is a knob that shrinks it */
  rankKnob: boolean;
}

/** The budget hooks every problem kind gives (see src/core/problems/kind.ts). */
export interface KindBudget<Section> {
  /** fills the kind's fields of the sizes from its problem section */
  sizes(problem: Section, s: Sizes): void;
  /** what a refusal about the data names: the field, its sizes in words, the sizes that shrink it */
  data(s: Sizes): Subject;
  /** the sizes in a phrase for `validate` when it does not build ("sensing (20×30, rank 3)") */
  describe(s: Sizes): string;
  /** what only the built instance tells, for `validate` when it does not build */
  resolvedLater?: string;
  /** numbers of data written in the document itself (held as parsed) */
  written(s: Sizes): number;
  /** numbers `materialize` writes for the data */
  materialized(s: Sizes): number;
  /** the sizes that follow from a changed one (HMF's stacked width from N) */
  adjust?(s: Sizes): void;
}

/** A node kind's budget: its data's arrays, set-up and step costs; the network and the iterate are common. */
export interface NodeKindBudget<Section> extends KindBudget<Section> {
  /** nnz: the nonzeros of W̃ (1 without a network) */
  cost(l: Ledger, c: { nodes: number; maxBlock: number; nnz: number }): StepCost;
  iterate(s: Sizes, nodes: number): IterateShape;
}

/** A kind with its own method (HMF) states its whole cost: one round's flops and the whole run's. */
export interface OwnKindBudget<Section> extends KindBudget<Section> {
  cost(l: Ledger): { iteration: number; total: number };
  /** numbers of the final iterate in a result document */
  iterateNumbers(s: Sizes): number;
}
