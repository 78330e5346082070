/**
 * What a problem kind is: everything the lab knows about one kind of problem, in one object that the
 * registry (registry.ts) lists. Shared code (the experiment schema, links, sweeps, the CLI, the UI) asks
 * the registry and never names a kind; adding a kind is its file plus one line in the registry.
 *
 * A kind module imports only leaf modules (document.ts, linear algebra, RNG, objectives, its own model),
 * never experiment.ts or the registry: that keeps the import graph free of cycles.
 */
import type * as z from 'zod';
import type { NodeKindBudget, OwnKindBudget } from '../cost-model';
import type { DgdLocal, State } from '../dgd';
import type {
  AlgorithmConfigInput, AlgorithmName, BuildDoc, CheckContext, ExperimentDoc, Fail, InitConfigInput, Tensor,
} from '../document';
import type { MethodInstanceParts, NodeProblem } from '../instance';
import type { MetricsRow } from '../metrics';
import type { NodeObjective } from '../objectives';
import type { LinkParam } from './link';
import type { Verdict } from '../step-bounds';

/** Which WebGPU kernel family runs the kind (src/gpu); null: the CPU engine only. */
export type GpuFamily = 'factor' | 'measured' | 'hmf' | 'symmetric' | null;

interface KindCommon<S extends z.ZodObject> {
  /** the value of `problem.kind` */
  readonly kind: string;
  /** how the lab names it in sentences ("robust PCA") */
  readonly label: string;
  /** its name in the problem menu, and one sentence on what it is */
  readonly title: string;
  readonly help: string;
  /** the data matrix's name in labels ("Y", "X⋆", "M"), for kinds with one */
  readonly dataName?: string;
  /** chart titles of its own for metrics (trace keys), where the lab's name other matrices */
  readonly metricTitles?: Partial<Record<string, string>>;
  /** L̂ of the practical step rule as the settings show it, before anything is built */
  readonly lhat?: string;
  /** the `problem` section's schema: a strict object whose `kind` is the literal above */
  readonly schema: S;
  /** the algorithms that run it, the first being the default */
  readonly algorithms: readonly AlgorithmName[];
  /** a sentence for an algorithm it refuses, when the generic one would not say why */
  readonly refuse?: Partial<Record<AlgorithmName, string>>;
  /** algorithm options only this kind's algorithm reads (others refuse them) */
  readonly algorithmOptions?: readonly string[];
  /** false: the kind has no network of nodes (HMF's server averages); its check handles `network` itself */
  readonly usesNetwork: boolean;
  /** the GPU family that runs it */
  readonly gpuFamily: GpuFamily;
  /** what the problem switch starts it from: small, fast and (planted) recoverable */
  readonly defaults: z.input<S>;
  /** its link parameters (key=value in the page address), src/state/url.ts */
  readonly link: readonly LinkParam[];
  /** the algorithm and start a switch to it begins with, when the lab's defaults do not suit it (HMF) */
  readonly run?: { algorithm: AlgorithmConfigInput; init: InitConfigInput };
  /** parameters a sweep may vary that only this kind has (src/core/sweep-schema.ts adds the common ones) */
  readonly sweep?: readonly { path: string; label: string; integer: boolean }[];
  /** a second sweep axis the Sweep tab offers first for this kind */
  readonly sweepY?: { param: string; values: number[] };
  /** what a sweep's success measures for this problem section, and what it is relative to (the Sweep tab's words) */
  success?(problem: { generate?: unknown }): [string, string];
  /** the update rule of `algorithm` on this kind, as TeX, and what it does, in words (the run view's "What is running") */
  explain?(algorithm: string): { tex: string; words: string };
  /** it starts at partial-SVD critical points plus δ (`init.saddle`, SPEC §4.2 C-d) */
  readonly saddles?: boolean;
  /** outcomes a sweep summarises over seeds for this kind only (HMF's errors (7.6), (7.7)) */
  readonly sweepOutcomes?: readonly string[];
  /** what one step is called in traces and messages (HMF: "round") */
  readonly step?: 'round';
  /** cross-field checks (sizes against sizes, the start against the algorithm's layout); fields passed their types */
  check(problem: z.infer<S>, ctx: CheckContext, fail: Fail): void;
}

/** A kind run as DGD+LOCAL (1.9) on node objectives (classical DGD and centralized GD are special cases). */
export interface NodeKind<S extends z.ZodObject = z.ZodObject, P extends NodeProblem = NodeProblem> extends KindCommon<S> {
  /** its memory and work from the sizes alone, before anything is built (budget.ts) */
  readonly budget: NodeKindBudget<z.infer<S>>;
  /** the data on the document's terms, split into `doc.nodes` column blocks (seeded: same document, same numbers) */
  build(problem: z.infer<S>, doc: BuildDoc): P;
  /** the node objective algorithm `alg` descends */
  objective(p: P, alg: AlgorithmName): NodeObjective;
  /** L̂ of the practical step rule μ = c(1 − 2ω)/L̂ (SPEC §3.4), how it is computed, and where that is from */
  lipschitz(p: P): { value: number; formula: string; source: string };
  /** its sizes in a phrase for `validate` ("30×100, rank 3, λ = 0.1") */
  describe(p: P): string;
  /** the problem section with everything generated written out: the same run, no generator needed */
  materialize(problem: z.infer<S>, p: P, alg: AlgorithmName): z.infer<S>;
  /** the data as the document names it ("Y", "M", "A and b"), for messages about its scale */
  data(p: P): { name: string; arrays: ArrayLike<number>[] };
  /** the solution's scale for advice on starts: σ₁ of the data, entries of the factor (n rows), the balancing weight */
  scale?(p: P): { sigma1: number; n: number; lambda: number };
  /**
   * The gradient's size for O(1) relative errors in the factors, which the end-of-run verdict calls zero
   * below 10⁻⁶ of (core/curvature.ts); without it the verdict uses ‖∇g(z⁰)‖.
   */
  gradientScale?(p: P): number;
  /** the initial iterate in the objective's layout */
  start(p: P, obj: NodeObjective, doc: BuildDoc): State;
  /** the iterate in the document's matrix form (result documents, exports) */
  tensors(p: P, alg: AlgorithmName, obj: NodeObjective, z: State): Record<string, Tensor>;
  /**
   * The kind's metrics at z, written into the common row (which has optimalityGap = objective − f⋆ and
   * imbalance 0): the gap at the average, the balance ‖UᵀU − VᵀV‖, fitting and recovery errors, …
   */
  measure?(p: P, alg: DgdLocal, z: State, row: MetricsRow, algorithm: AlgorithmName): void;
  /**
   * The step-size bounds the theory gives this kind (theory panel, `validate`); without it the report
   * holds the practical rule and (3.2) with L measured at the start, the two verdicts it is given.
   */
  theory?(p: P, t: TheoryInput): { verdicts: Verdict[]; rho?: number; ballL?: number };
  /** the step size a theorem certifies at this start, when the kind has one ((3.7) with [N]'s constants): sweeps draw it */
  certified?(p: P, omega: number, J: number, init: State): number;
}

export interface TheoryInput {
  omega: number;
  /** nodes of the run */
  J: number;
  init: State;
  /** the radius of the ball (3.7) is stated on, when the caller fixes it */
  rho?: number;
  /** the kind's L̂ */
  lipschitz: number;
  /** (3.2) with the kind's L̂, and with L measured at the start */
  practical: Verdict;
  atStart: Verdict;
}

/** A kind with its own method (HMF: a server, rounds, its own step rule) builds the whole instance itself. */
export interface OwnKind<S extends z.ZodObject = z.ZodObject> extends KindCommon<S> {
  readonly budget: OwnKindBudget<z.infer<S>>;
  /** the instance, its method's closures included (summary and materialize too) */
  instance(problem: z.infer<S>, doc: BuildDoc & { experiment: ExperimentDoc }): MethodInstanceParts;
}

export type ProblemKind<S extends z.ZodObject = z.ZodObject, P extends NodeProblem = NodeProblem> = NodeKind<S, P> | OwnKind<S>;

/** Whether a kind runs on node objectives (DGD+LOCAL and its special cases). */
export const isNodeKind = (k: ProblemKind): k is NodeKind => !('instance' in k);

/** A kind with its schema type kept (the registry needs it to derive the Experiment type). */
export const defineKind = <S extends z.ZodObject, P extends NodeProblem>(k: NodeKind<S, P>): NodeKind<S, P> => k;
export const defineOwnKind = <S extends z.ZodObject>(k: OwnKind<S>): OwnKind<S> => k;
