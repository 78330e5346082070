/**
 * What a problem kind is: everything the lab knows about one kind of problem, in one object that the
 * registry (registry.ts) lists. Shared code (the experiment schema, links, sweeps, the CLI, the UI) asks
 * the registry and never names a kind; adding a kind is its file plus one line in the registry.
 *
 * A kind module imports only leaf modules (document.ts, linear algebra, RNG, objectives, its own model),
 * never experiment.ts or the registry: that keeps the import graph free of cycles.
 */
import type * as z from 'zod';
import type { DgdLocal, State } from '../dgd';
import type { AlgorithmName, BuildDoc, CheckContext, Fail, Tensor } from '../document';
import type { AnyProblem, Instance, InstanceParts } from '../instance';
import type { MetricsRow } from '../metrics';
import type { NodeObjective } from '../objectives';

/** Which WebGPU kernel family runs the kind (src/gpu); null: the CPU engine only. */
export type GpuFamily = 'factor' | 'measured' | 'hmf' | null;

interface KindCommon<S extends z.ZodObject> {
  /** the value of `problem.kind` */
  readonly kind: string;
  /** how the lab names it in sentences ("robust PCA") */
  readonly label: string;
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
  /** cross-field checks (sizes against sizes, the start against the algorithm's layout); fields passed their types */
  check(problem: z.infer<S>, ctx: CheckContext, fail: Fail): void;
}

/** A kind run as DGD+LOCAL (1.9) on node objectives (classical DGD and centralized GD are special cases). */
export interface NodeKind<S extends z.ZodObject = z.ZodObject, P extends AnyProblem = AnyProblem> extends KindCommon<S> {
  /** the data on the document's terms, split into `doc.nodes` column blocks (seeded: same document, same numbers) */
  build(problem: z.infer<S>, doc: BuildDoc): P;
  /** the node objective algorithm `alg` descends */
  objective(p: P, alg: AlgorithmName): NodeObjective;
  /** L̂ of the practical step rule μ = c(1 − 2ω)/L̂ (SPEC §3.4), how it is computed, and where that is from */
  lipschitz(p: P): { value: number; formula: string; source: string };
  /** the initial iterate in the objective's layout */
  start(p: P, obj: NodeObjective, doc: BuildDoc): State;
  /** the iterate in the document's matrix form (result documents, exports) */
  tensors(p: P, alg: AlgorithmName, obj: NodeObjective, z: State): Record<string, Tensor>;
  /**
   * The kind's metrics at z, written into the common row (which has optimalityGap = objective − f⋆ and
   * imbalance 0): the gap at the average, the balance ‖UᵀU − VᵀV‖, fitting and recovery errors, …
   */
  measure?(p: P, alg: DgdLocal, z: State, row: MetricsRow, algorithm: AlgorithmName): void;
}

/** A kind with its own method (HMF: a server, rounds, its own step rule) builds the whole instance itself. */
export interface OwnKind<S extends z.ZodObject = z.ZodObject> extends KindCommon<S> {
  instance(problem: z.infer<S>, doc: BuildDoc & { experiment: Instance['experiment'] }): InstanceParts;
}

export type ProblemKind<S extends z.ZodObject = z.ZodObject, P extends AnyProblem = AnyProblem> = NodeKind<S, P> | OwnKind<S>;

/** Whether a kind runs on node objectives (DGD+LOCAL and its special cases). */
export const isNodeKind = (k: ProblemKind): k is NodeKind => !('instance' in k);

/** A kind with its schema type kept (the registry needs it to derive the Experiment type). */
export const defineKind = <S extends z.ZodObject, P extends AnyProblem>(k: NodeKind<S, P>): NodeKind<S, P> => k;
export const defineOwnKind = <S extends z.ZodObject>(k: OwnKind<S>): OwnKind<S> => k;
