/**
 * Experiment document → Instance: everything a run needs, built deterministically (same document, same
 * numbers, on any machine) by the problem kind's hooks (src/core/problems, through the registry). Errors
 * that only show while building (a random graph that never connects, a step rule with ω ≥ ½) become
 * `DocumentError`s naming the field, like schema errors.
 */
import { DgdLocal, type State } from './dgd';
import { type BuildDoc, DocumentError, type Tensor, defaultRecordEvery } from './document';
import type { Experiment } from './experiment';
import { type AnyProblem, type Instance, type NodeInstance, type NodeProblem, isNodeInstance } from './instance';
import { type Mat, fromArray, identity } from './linalg';
import { buildGraph, lazy as lazyMix, mixingMatrix, omega as omegaOf } from './network';
import { type NodeKind, isNodeKind, kindOf } from './problems/registry';

export {
  type AnyProblem, type FactorProblem, type Instance, type MethodInstance, type NodeInstance, type NodeProblem, dataScale, isFactorProblem, isNodeInstance,
} from './instance';

function mixingFor(e: Experiment, J: number): Mat {
  const net = e.network;
  if (!net || e.algorithm.name === 'gd') return identity(1);
  if (net.W) return fromArray(J, J, net.W.data);
  let graph;
  try {
    graph = buildGraph({
      topology: net.topology!, J, rows: net.rows, cols: net.cols, p: net.p, tau: net.tau, seed: net.seed,
      adjacency: net.adjacency ? fromArray(net.adjacency.shape[0], net.adjacency.shape[1], net.adjacency.data) : undefined,
    });
  } catch (err) {
    throw new DocumentError('network', (err as Error).message);
  }
  const W = mixingMatrix(graph, net.weights, { epsilon: net.epsilon, omegaT: net.omegaT });
  return net.lazy ? lazyMix(W) : W;
}

/** Nodes the data is split over: the network's J (centralized GD ignores the split), 1 without a network. */
function networkJ(e: Experiment): number {
  const net = e.network;
  if (!net) return 1;
  if (net.W) return net.W.shape[0];
  if (net.topology === 'adjacency') return net.adjacency!.shape[0];
  return net.J!;
}

/** The kind of a validated document (the schema admits only registered kinds). */
function kindFor(e: Experiment) {
  return kindOf(e.problem.kind)!;
}

const buildDoc = (e: Experiment): BuildDoc => ({ network: e.network, algorithm: e.algorithm, init: e.init, nodes: networkJ(e) });

export function buildProblem(e: Experiment): AnyProblem {
  const kind = kindFor(e);
  if (!isNodeKind(kind)) return buildInstance(e).problem;
  return kind.build(e.problem, buildDoc(e));
}

/** The kind that built a node problem (a node problem's `kind` is its kind's name). */
export function kindOfProblem(problem: NodeProblem): NodeKind {
  const kind = kindOf(problem.kind);
  if (!kind || !isNodeKind(kind)) throw new RangeError(`no node kind "${problem.kind}"`);
  return kind;
}

export function objectiveFor(problem: NodeProblem, alg: Experiment['algorithm']['name']) {
  return kindOfProblem(problem).objective(problem, alg);
}

/** L̂ of SPEC §3.4 (see each kind's `lipschitz`). */
export function practicalLipschitz(problem: NodeProblem): number {
  return kindOfProblem(problem).lipschitz(problem).value;
}

/**
 * `problem`: an already built `buildProblem(e)` to reuse (a sweep's cells often share their data); a kind
 * with its own method builds its instance whole.
 */
export function buildInstance(e: Experiment, given?: AnyProblem): Instance {
  const kind = kindFor(e);
  const doc = buildDoc(e);
  if (!isNodeKind(kind)) return { experiment: e, ...kind.instance(e.problem, { ...doc, experiment: e }) };
  const problem = (given as NodeProblem | undefined) ?? kind.build(e.problem, doc);
  const J = e.algorithm.name === 'gd' ? 1 : networkJ(e);
  const W = mixingFor(e, J);
  const omega = omegaOf(W);
  let stepsize: number;
  const s = e.algorithm.stepsize;
  if (typeof s === 'number') stepsize = s;
  else {
    if (omega >= 0.5) {
      throw new DocumentError('algorithm.stepsize', `the practical rule c·(1 − 2ω)/L̂ needs ω < 1/2, but ω = ${omega.toPrecision(4)}; use lazy weights or give μ explicitly`);
    }
    const lipschitz = kind.lipschitz(problem).value;
    stepsize = (s.c * (1 - 2 * omega)) / lipschitz;
    if (!(stepsize > 0) || !Number.isFinite(stepsize)) {
      throw new DocumentError('algorithm.stepsize', `the practical rule gives μ = ${stepsize} (L̂ = ${lipschitz.toPrecision(3)}): `
        + 'the data is zero, or its scale is beyond float64\'s range for this rule; rescale the data (e.g. to entries of order 1) or give μ explicitly');
    }
  }
  const alg = e.algorithm.name;
  const objective = kind.objective(problem, alg);
  if (e.algorithm.curvatureEvery !== undefined && !objective.hessianVector) {
    throw new DocumentError('algorithm.curvatureEvery', `curvature is unavailable for this ${problem.kind} objective: it has no Hessian–vector product`);
  }
  const iterations = e.algorithm.iterations;
  const measure = kind.measure;
  const inst: NodeInstance = {
    experiment: e, problem, W, omega, stepsize, iterations,
    recordEvery: e.algorithm.recordEvery ?? defaultRecordEvery(iterations),
    objective,
    init: kind.start(problem, objective, doc),
    tensors: (z) => kind.tensors(problem, alg, objective, z),
    ...(measure ? { measure: (a: DgdLocal, z: State, row) => measure(problem, a, z, row, alg) } : {}),
  };
  return inst;
}

/** An instance of a node kind (the toy, the escape study, …): a kind with its own method is refused. */
export function buildNodeInstance(e: Experiment, given?: AnyProblem): NodeInstance {
  const inst = buildInstance(e, given);
  if (!isNodeInstance(inst)) throw new RangeError(`${e.problem.kind} runs its own method, not DGD+LOCAL on node objectives`);
  return inst;
}

export function makeAlgorithm(inst: NodeInstance): DgdLocal {
  return new DgdLocal(inst.objective, inst.W, inst.stepsize);
}

/** The iterate in the document's matrix form (U [J, n, r] / V [m, r]; classical DGD V [J, m, r]; least squares x [J, d]; HMF its factors). */
export function stateToTensors(inst: Instance, z: State): Record<string, Tensor> {
  return inst.tensors(z);
}
