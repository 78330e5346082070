/**
 * Experiment document → Instance: everything a run needs, built deterministically (same document, same
 * numbers, on any machine). Errors that only show while building (a random graph that never connects,
 * a step rule with ω ≥ ½) become `DocumentError`s naming the field, like schema errors.
 */
import { DgdLocal, type State } from './dgd';
import { DocumentError, type Tensor } from './document';
import type { Experiment } from './experiment';
import { buildHmfInstance, hmfStateToTensors } from './hmf-build';
import type { AnyProblem, Instance } from './instance';
import { type Mat, fromArray, identity, spectralNorm } from './linalg';
import { buildGraph, lazy as lazyMix, mixingMatrix, omega as omegaOf } from './network';
import {
  type NodeObjective, factorizationAllShared, factorizationCentral, factorizationLocal, leastSquares,
} from './objectives';
import {
  equalPartition, factorizationProblem, leastSquaresProblem, plantedY, randomLeastSquares,
} from './problem';
import { Rng, childSeed } from './rng';

export { type AnyProblem, type FactorProblem, type Instance, dataScale, isFactorProblem } from './instance';
import { saddleState } from './saddle';
import {
  type MeasuredProblem, MeasuredError, completionProblem, measuredObjective, plantedRpca, rpcaProblem, sensingProblem, sparseBound,
} from './measured';

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

function measuredProblem(e: Experiment, J: number): MeasuredProblem {
  const p = e.problem;
  const split = (m: number) => (e.algorithm.name === 'gd' ? [m] : ('partition' in p && p.partition) || equalPartition(m, J));
  const lambda = ('lambda' in p && p.lambda) || 0;
  try {
    if (p.kind === 'sensing') {
      const g = p.generate;
      return sensingProblem({
        seed: g.seed, n: g.n, m: g.m, r: p.rank, trueRank: g.trueRank ?? p.rank, partition: split(g.m), lambda,
        measurements: g.measurements, split: !!g.split, normalize: !!g.normalize, noise: g.noise ?? 0,
      });
    }
    if (p.kind === 'completion') {
      const truth = p.generate ? plantedY({ ...p.generate, noise: 0, trueRank: p.generate.trueRank ?? p.rank }) : null;
      const M = p.M ? fromArray(p.M.shape[0], p.M.shape[1], p.M.data) : plantedY({ ...p.generate!, trueRank: p.generate!.trueRank ?? p.rank });
      const mask = p.mask ? Uint8Array.from(p.mask.data) : null;
      const observed = mask ? mask.reduce((a, b) => a + b, 0) / mask.length : 0;
      return completionProblem({
        n: M.rows, m: M.cols, r: p.rank, partition: split(M.cols), lambda, M, truth, mask,
        pObs: p.pObs ?? observed, maskSeed: p.maskSeed ?? p.generate?.seed ?? 0, incoherence: p.incoherence ?? null,
      });
    }
    if (p.kind === 'rpca') {
      if (p.generate) {
        const g = p.generate;
        const d = plantedRpca({ seed: g.seed, n: g.n, m: g.m, trueRank: g.trueRank ?? p.rank, corruption: g.corruption, values: g.values });
        return rpcaProblem({
          n: g.n, m: g.m, r: p.rank, partition: split(g.m), lambda, M: d.M, truth: d.truth, Sstar: d.S,
          alpha: p.alpha ?? g.corruption, gamma: p.gamma, bound: p.bound ?? d.bound,
        });
      }
      const M = fromArray(p.M!.shape[0], p.M!.shape[1], p.M!.data);
      return rpcaProblem({
        n: M.rows, m: M.cols, r: p.rank, partition: split(M.cols), lambda, M, truth: null, Sstar: null,
        alpha: p.alpha!, gamma: p.gamma, bound: p.bound ?? sparseBound(M, p.rank),
      });
    }
  } catch (err) {
    if (err instanceof MeasuredError) throw new DocumentError(err.field, err.message);
    throw err;
  }
  throw new DocumentError('problem.kind', `unknown kind "${p.kind}"`);
}

export function buildProblem(e: Experiment): AnyProblem {
  const p = e.problem;
  const J = networkJ(e);
  if (p.kind === 'hmf') return buildHmfInstance(e).problem;
  if (p.kind === 'sensing' || p.kind === 'completion' || p.kind === 'rpca') return measuredProblem(e, J);
  if (p.kind === 'factorization') {
    const Y = p.Y
      ? fromArray(p.Y.shape[0], p.Y.shape[1], p.Y.data)
      : plantedY({ ...p.generate!, trueRank: p.generate!.trueRank ?? p.rank });
    const partition = e.algorithm.name === 'gd' ? [Y.cols] : p.partition ?? equalPartition(Y.cols, J);
    return factorizationProblem(Y, p.rank, partition, p.lambda ?? 0);
  }
  if (p.generate) return randomLeastSquares(p.generate.seed, J, p.generate.rows, p.generate.d);
  const [Jp, rows, d] = p.A!.shape;
  const A = Array.from({ length: Jp }, (_, j) => fromArray(rows, d, p.A!.data.slice(j * rows * d, (j + 1) * rows * d)));
  const b = Array.from({ length: Jp }, (_, j) => Float64Array.from(p.b!.data.slice(j * rows, (j + 1) * rows)));
  return leastSquaresProblem(A, b);
}

export function objectiveFor(problem: AnyProblem, alg: Experiment['algorithm']['name']): NodeObjective {
  if (problem.kind === 'least-squares') return leastSquares(problem, alg === 'gd');
  if (problem.kind !== 'factorization') return measuredObjective(problem);
  if (alg === 'gd') return factorizationCentral(problem);
  return alg === 'dgd' ? factorizationAllShared(problem) : factorizationLocal(problem);
}

/**
 * L̂ of SPEC §3.4: 6σ₁(Y) for the un-halved factorization objective, maxⱼ‖Aⱼ‖₂² for least squares; for the
 * halved measured objectives 3σ₁ times the data term's curvature scale: p̄ (measurements per node, 1 with
 * 𝒜/√p) for sensing — so c = 1 gives SPEC §5.5's η = 1/(3pσ₁(X⋆)) — and 1 for completion and RPCA.
 */
export function practicalLipschitz(problem: AnyProblem): number {
  if (problem.kind === 'factorization') return 6 * problem.sigma1;
  if (problem.kind === 'sensing') {
    const rows = Math.max(...problem.A.map((A) => A.rows));
    return 3 * (problem.normalized ? 1 : rows) * problem.sigma1;
  }
  if (problem.kind !== 'least-squares') return 3 * problem.sigma1;
  return Math.max(...problem.A.map((A) => {
    const s = spectralNorm(A);
    return s * s;
  }));
}

/**
 * The initial iterate. Random starts draw U from the sub-stream "U" and V from "V", node by node in
 * row-major order, so DGD+LOCAL, classical DGD (whose first V copy equals DGD+LOCAL's V) and centralized
 * GD (U = DGD+LOCAL's U¹) start from the same numbers for the same seed.
 */
function initialState(e: Experiment, problem: AnyProblem, obj: NodeObjective): State {
  const J = obj.J;
  const X = new Float64Array(J * obj.sharedLen);
  const Yl = new Float64Array(obj.localLen.reduce((a, b) => a + b, 0));
  const i = e.init;
  if (problem.kind === 'least-squares') {
    if (i.x) X.set(i.x.data);
    else if ((i.scale ?? 0.1) > 0) X.set(new Rng(childSeed(i.seed ?? 0, 'x')).normals(X.length, i.scale ?? 0.1));
    return { X, Y: Yl };
  }
  if (i.saddle && problem.kind === 'factorization') return saddleState(e, problem, obj, i.saddle);
  const { n, m, r } = problem;
  const alg = e.algorithm.name;
  let U: ArrayLike<number>, V: ArrayLike<number>;
  if (i.U && i.V) {
    U = i.U.data;
    V = i.V.data;
  } else {
    const scale = i.scale ?? 0.1;
    const seed = i.seed ?? 0;
    U = new Rng(childSeed(seed, 'U')).normals(J * n * r, scale);
    V = new Rng(childSeed(seed, 'V')).normals((alg === 'dgd' ? J : 1) * m * r, scale);
  }
  if (alg === 'dgd') {
    // shared layout per node: [vec Uʲ | vec V⁽ʲ⁾]
    const s = obj.sharedLen;
    for (let j = 0; j < J; j++) {
      X.set(Array.prototype.slice.call(U, j * n * r, (j + 1) * n * r), j * s);
      X.set(Array.prototype.slice.call(V, j * m * r, (j + 1) * m * r), j * s + n * r);
    }
  } else {
    X.set(Array.prototype.slice.call(U, 0, J * n * r));
    Yl.set(Array.prototype.slice.call(V, 0, m * r));
  }
  return { X, Y: Yl };
}

/** `problem`: an already built `buildProblem(e)` to reuse (a sweep's cells often share their data). */
export function buildInstance(e: Experiment, given?: AnyProblem): Instance {
  if (e.problem.kind === 'hmf') return buildHmfInstance(e);
  const problem = given ?? buildProblem(e);
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
    const lipschitz = practicalLipschitz(problem);
    stepsize = (s.c * (1 - 2 * omega)) / lipschitz;
    if (!(stepsize > 0) || !Number.isFinite(stepsize)) {
      throw new DocumentError('algorithm.stepsize', `the practical rule gives μ = ${stepsize} (L̂ = ${lipschitz.toPrecision(3)}): `
        + 'the data is zero, or its scale is beyond float64\'s range for this rule; rescale the data (e.g. to entries of order 1) or give μ explicitly');
    }
  }
  const objective = objectiveFor(problem, e.algorithm.name);
  if (e.algorithm.curvatureEvery !== undefined && !objective.hessianVector) {
    throw new DocumentError('algorithm.curvatureEvery', `curvature is unavailable for this ${problem.kind} objective: it has no Hessian–vector product`);
  }
  const iterations = e.algorithm.iterations;
  return {
    experiment: e, problem, W, omega, stepsize, iterations,
    recordEvery: e.algorithm.recordEvery ?? Math.max(1, Math.ceil(iterations / 1000)),
    objective,
    init: initialState(e, problem, objective),
  };
}

export function makeAlgorithm(inst: Instance): DgdLocal {
  return new DgdLocal(inst.objective, inst.W, inst.stepsize);
}

/** The iterate in the document's matrix form (U [J, n, r] / V [m, r]; classical DGD V [J, m, r]; least squares x [J, d]). */
export function stateToTensors(inst: Instance, z: State): Record<string, Tensor> {
  const p = inst.problem;
  const J = inst.objective.J;
  if (inst.hmf) return hmfStateToTensors(inst.hmf, z);
  if (p.kind === 'least-squares') {
    return { x: inst.experiment.algorithm.name === 'gd' ? { shape: [p.d], data: Array.from(z.X) } : { shape: [J, p.d], data: Array.from(z.X) } };
  }
  const { n, m, r } = p;
  const alg = inst.experiment.algorithm.name;
  if (alg === 'dgd') {
    const s = inst.objective.sharedLen;
    const U: number[] = [], V: number[] = [];
    for (let j = 0; j < J; j++) {
      U.push(...z.X.subarray(j * s, j * s + n * r));
      V.push(...z.X.subarray(j * s + n * r, (j + 1) * s));
    }
    return { U: { shape: [J, n, r], data: U }, V: { shape: [J, m, r], data: V } };
  }
  return {
    U: alg === 'gd' ? { shape: [n, r], data: Array.from(z.X) } : { shape: [J, n, r], data: Array.from(z.X) },
    V: { shape: [m, r], data: Array.from(z.Y) },
  };
}
