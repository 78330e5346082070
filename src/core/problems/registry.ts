/**
 * The problem kinds of the lab, in the order the UI lists them. Everything shared (the experiment schema,
 * links, sweeps, the CLI, the UI's problem switch) iterates this list; adding a kind is its file under
 * src/core/problems and one entry here (README "Architecture").
 */
import * as z from 'zod';
import { completion } from './completion';
import { factorization } from './factorization';
import { hmf } from './hmf';
import { type ProblemKind, isNodeKind } from './kind';
import { leastSquares } from './least-squares';
import { rpca } from './rpca';
import { sensing } from './sensing';
import { symCompletion, symRpca, symSensing } from './symmetric/kinds';

export { type GpuFamily, type NodeKind, type OwnKind, type ProblemKind, isNodeKind } from './kind';

/** The `problem` section: one schema per kind, told apart by `kind`. */
export const ProblemSchema = z.discriminatedUnion('kind', [
  factorization.schema, leastSquares.schema, sensing.schema, completion.schema, rpca.schema, hmf.schema,
  symSensing.schema, symCompletion.schema, symRpca.schema,
]);
export type ProblemConfig = z.infer<typeof ProblemSchema>;
export type ProblemInput = z.input<typeof ProblemSchema>;
export type ProblemKindName = ProblemConfig['kind'];

export const KINDS: readonly ProblemKind[] = [factorization, leastSquares, sensing, completion, rpca, hmf, symSensing, symCompletion, symRpca];
export const KIND_NAMES = KINDS.map((k) => k.kind) as readonly ProblemKindName[];

/** The kind of a `problem.kind` value; undefined for a name the lab does not know. */
export function kindOf(name: string): ProblemKind | undefined {
  return KINDS.find((k) => k.kind === name);
}

/**
 * Whether an algorithm's nodes keep copies that must agree (consensus error, g, ‖∇g‖ mean something):
 * not centralized GD, and not an algorithm of a kind without a network (HMF's server average).
 */
export const onNetwork = (algorithm: string): boolean =>
  algorithm !== 'gd' && KINDS.some((k) => k.usesNetwork && (k.algorithms as readonly string[]).includes(algorithm));

/** Algorithms of the kinds with their own method (HMF's): no optimality gap, no network, no comparison runs. */
export const ownAlgorithm = (algorithm: string): boolean =>
  KINDS.some((k) => !isNodeKind(k) && (k.algorithms as readonly string[]).includes(algorithm));

/** Algorithms that run on node objectives (DGD+LOCAL and its special cases), in registry order. */
export const NODE_ALGORITHMS: readonly string[] = [...new Set(KINDS.filter(isNodeKind).flatMap((k) => k.algorithms))];
