/**
 * What a built experiment is (build.ts makes it; engines, metrics and the session read it): the document,
 * the problem, the mixing matrix, the resolved step and the start. A leaf of types, so the modules that
 * build and the modules that read instances do not import each other.
 */
import type { DgdLocal, State } from './dgd';
import type { MetricsRow } from './metrics';
import type { ExperimentDoc, Tensor } from './document';
import type { HmfSetup } from './hmf';
import { type Mat, norm2 } from './linalg';
import type { MeasuredProblem } from './measured';
import type { NodeObjective } from './objectives';
import type { Problem } from './problem';
import type { SymmetricProblem } from './problems/symmetric/problem';

export interface Instance {
  /** the validated document (experiment.ts's `Experiment`; typed here by the parts all kinds share) */
  experiment: ExperimentDoc;
  problem: AnyProblem;
  /** the mixing matrix W̃ the algorithm uses ([1] for centralized GD) */
  W: Mat;
  omega: number;
  /** the resolved step size μ */
  stepsize: number;
  iterations: number;
  recordEvery: number;
  objective: NodeObjective;
  init: State;
  /** the iterate in the document's matrix form (the problem kind's `tensors`) */
  tensors(z: State): Record<string, Tensor>;
  /** the problem kind's metrics, written into the common row (core/metrics.ts computeMetrics) */
  measure?(alg: DgdLocal, z: State, row: MetricsRow): void;
  /** HMF runs (SPEC §7): the sources and parameters; the fields above describe the stacked data */
  hmf?: HmfSetup;
}

export type AnyProblem = Problem | MeasuredProblem | SymmetricProblem;

/** Problems with factors U (n×r) and V (m×r) of a data matrix Y split by columns. */
export type FactorProblem = Extract<AnyProblem, { Y: Mat; n: number; m: number; r: number }>;

export function isFactorProblem(p: AnyProblem): p is FactorProblem {
  return 'Y' in p && 'r' in p;
}

/** ‖Y‖²: the scale tolerances and the f32 floor are relative to (the data, X⋆ for sensing, M⋆ for the symmetric kinds) */
export function dataScale(p: AnyProblem): number {
  if (isFactorProblem(p)) return norm2(p.Y.data);
  return 'truth' in p && p.truth ? norm2(p.truth.data) : 1;
}

/** What a kind with its own method (HMF) builds; build.ts adds the document. */
export type InstanceParts = Omit<Instance, 'experiment'>;
