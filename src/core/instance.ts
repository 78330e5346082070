/**
 * What a built experiment is (build.ts makes it; engines, metrics and the session read it): the document,
 * the problem, the mixing matrix, the resolved step and the start. A leaf of types, so the modules that
 * build and the modules that read instances do not import each other.
 */
import type { DgdLocal, State } from './dgd';
import type { MetricsRow } from './metrics';
import type { ExperimentDoc, Tensor } from './document';
import type { HmfSetup } from './hmf';
import type { HmfImages } from './hmf-images';
import { type Mat, norm2 } from './linalg';
import type { MeasuredProblem } from './measured';
import type { NodeObjective } from './objectives';
import type { Problem } from './problem';
import type { SymmetricProblem } from './problems/symmetric/problem';
import type { HeterogeneityIndex, StockSetup } from './stocks';
import type { Products } from './kernels';

interface InstanceCommon {
  /** the validated document (experiment.ts's `Experiment`; typed here by the parts all kinds share) */
  experiment: ExperimentDoc;
  /** ω of the mixing (or averaging) matrix */
  omega: number;
  /** the resolved step size μ (HMF: η) */
  stepsize: number;
  iterations: number;
  recordEvery: number;
  init: State;
  /** the iterate in the document's matrix form (the problem kind's `tensors`) */
  tensors(z: State): Record<string, Tensor>;
}

/** A run of DGD+LOCAL (1.9) on node objectives (classical DGD and centralized GD included). */
export interface NodeInstance extends InstanceCommon {
  problem: NodeProblem;
  /** the mixing matrix W̃ the algorithm uses ([1] for centralized GD) */
  W: Mat;
  objective: NodeObjective;
  /** the problem kind's metrics, written into the common row (core/metrics.ts computeMetrics) */
  measure?(alg: DgdLocal, z: State, row: MetricsRow): void;
}

/** What the run view shows beside the charts for a kind with its own method (HMF's video and θ̂). */
export interface MethodExtras {
  /** HMF's video demo: frames, background and foreground reconstructions, MSE / PSNR (src/core/hmf-images.ts) */
  images?: HmfImages;
  /** HMF: θ̂ = 1 − λ_max((1/N)Σᵢ P_{U_{i,l}⋆}) of the planted unique factors (SPEC §7.5), when known */
  misalignment?: number;
  /** HMF's stock case study (src/core/stocks.ts): the data's days, index and events, and the heterogeneity index at z */
  stocks?: StockSetup;
  heterogeneity?: HeterogeneityIndex;
}

/** What a run records at its end beside its trace: series over its data (the stock case study's heterogeneity index, one value per window). */
export interface RunSeries {
  heterogeneity?: HeterogeneityIndex;
}

/**
 * How a kind with its own method (HMF: a server, rounds) runs: the kind builds these closures over its
 * problem, and the engines, the session and the worker call them without knowing the kind.
 */
export interface Method {
  /** one step (a round) of the method, in place */
  step(z: State): void;
  /** the session's row at z */
  metrics(z: State, iteration: number): MetricsRow;
  /**
   * Optional: the same step and rows with the float64 products on the WebAssembly kernels (src/core/kernels.ts),
   * equal to these up to the bound the kind states (HMF's: the same bits). The CPU engine uses them when it has kernels.
   */
  withProducts?(products: Products): Pick<Method, 'step' | 'metrics'>;
  /** the run view's extras at z */
  extras?(z: State): MethodExtras;
  /** the series the run records at its end (peaks claims read them), from the final iterate */
  series?(z: State): RunSeries;
  /** numbers the result document reports beside μ and ω: f⋆ of the optimality gap, nodes (sources) and, when known, θ̂ */
  resolved: { fStar: number; J: number; misalignment?: number };
  /** the data as the document names it, for messages about its scale */
  data: { name: string; arrays: ArrayLike<number>[] };
  /** ‖data‖²: what tolerances and the float32 floor are relative to */
  scale: number;
  /** why a run diverged, in a sentence (engine/divergence.ts words the shared parts) */
  advice(ctx: { floats: string; iteration?: number; start: string }): string;
  /** the start's scale when the document gives none */
  initScale: number;
  /** one line for `validate` */
  summary(): string;
  /** the document with everything generated written out (the same run, no generator needed) */
  materialize<E extends ExperimentDoc>(exp: E): E;
}

/** A run of a kind with its own method (HMF, Algorithm 1 of SPEC §7). */
export interface MethodInstance extends InstanceCommon {
  problem: MethodProblem;
  method: Method;
}

export type Instance = NodeInstance | MethodInstance;

export const isNodeInstance = (inst: Instance): inst is NodeInstance => 'objective' in inst;

/** The problems DGD+LOCAL runs on node objectives. */
export type NodeProblem = Problem | MeasuredProblem | SymmetricProblem;
/** The problems of kinds with their own method. */
export type MethodProblem = HmfSetup;
export type AnyProblem = NodeProblem | MethodProblem;

/** Problems with factors U (n×r) and V (m×r) of a data matrix Y split by columns. */
export type FactorProblem = Extract<NodeProblem, { Y: Mat; n: number; m: number; r: number }>;

export function isFactorProblem(p: AnyProblem): p is FactorProblem {
  return 'Y' in p && 'r' in p;
}

/** ‖Y‖²: the scale tolerances and the f32 floor are relative to (the data, X⋆ for sensing, M⋆ for the symmetric kinds, Σᵢ‖Mᵢ‖² for HMF) */
export function dataScale(inst: Instance): number {
  if (!isNodeInstance(inst)) return inst.method.scale;
  const p = inst.problem;
  if (isFactorProblem(p)) return norm2(p.Y.data);
  return 'truth' in p && p.truth ? norm2(p.truth.data) : 1;
}

/** What a kind with its own method (HMF) builds; build.ts adds the document. */
export type MethodInstanceParts = Omit<MethodInstance, 'experiment'>;
