/**
 * What a problem kind is: everything the lab knows about one kind of problem, in one object that the
 * registry (registry.ts) lists. Shared code (the experiment schema, links, sweeps, the CLI, the UI) asks
 * the registry and never names a kind; adding a kind is its file plus one line in the registry.
 *
 * A kind module imports only leaf modules (document.ts, linear algebra, RNG, objectives, its own model),
 * never experiment.ts or the registry: that keeps the import graph free of cycles.
 */
import type * as z from 'zod';
import type { AlgorithmName, CheckContext, Fail } from '../document';

/** Which WebGPU kernel family runs the kind (src/gpu); null: the CPU engine only. */
export type GpuFamily = 'factor' | 'measured' | 'hmf' | null;

export interface ProblemKind<S extends z.ZodObject = z.ZodObject> {
  /** the value of `problem.kind` */
  readonly kind: string;
  /** how the lab names it in sentences ("matrix sensing") */
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

/** A kind with its schema type kept (the registry needs it to derive the Experiment type). */
export const defineKind = <S extends z.ZodObject>(k: ProblemKind<S>): ProblemKind<S> => k;
