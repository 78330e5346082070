/**
 * The curvature trace and the end-of-run verdict, for any engine: the iterate is read with `snapshot()`
 * (a copy on the CPU engine, one readback on the GPU) and λ_min of the Hessian of the descended objective
 * is computed in float64 by Lanczos on the analytic Hessian–vector products (src/core/curvature.ts). It
 * costs up to ~100 products per record, so it runs only when the document asks (algorithm.curvatureEvery).
 */
import { type Instance, type NodeInstance, isNodeInstance, makeAlgorithm } from '../core/build';
import { curvatureAt, type Verdict, verdictAt } from '../core/curvature';
import type { DgdLocal, State } from '../core/dgd';
import { type MetricsRow, isFiniteRow } from '../core/metrics';
import type { Engine } from './engine';

const algs = new WeakMap<NodeInstance, DgdLocal>();
function algFor(inst: NodeInstance): DgdLocal {
  let a = algs.get(inst);
  if (!a) algs.set(inst, (a = makeAlgorithm(inst)));
  return a;
}

/** Whether the record at `iteration` carries a curvature value. */
export function wantsCurvature(inst: Instance, iteration: number): boolean {
  const every = inst.experiment.algorithm.curvatureEvery;
  return every !== undefined && (iteration % every === 0 || iteration >= inst.iterations);
}

/** Sets row.curvature (NaN at records curvatureEvery skips) when the document asks for curvature. */
export async function curvatureOfRow(engine: Engine, inst: Instance, row: MetricsRow): Promise<void> {
  // (a kind with its own method refuses curvatureEvery when it is checked)
  if (inst.experiment.algorithm.curvatureEvery === undefined || !isNodeInstance(inst)) return;
  // a row that is no longer finite (the run diverged) has no curvature: no readback, no Lanczos on NaN
  if (!wantsCurvature(inst, row.iteration) || !isFiniteRow(row)) {
    row.curvature = NaN;
    return;
  }
  const alg = algFor(inst);
  if (!alg.hasHessian) {
    row.curvature = NaN;
    return;
  }
  const { state } = await engine.snapshot();
  row.curvature = curvatureAt(alg, state, { maxIter: 100, tol: 1e-8 }).min;
}

/** The verdict at the final iterate; a float32 (WebGPU) iterate is judged with float32-sized thresholds. */
export function finalVerdict(inst: Instance, z: State, kind: Engine['kind'] = 'cpu'): Verdict | undefined {
  if (!isNodeInstance(inst)) return undefined;
  const alg = algFor(inst);
  if (!alg.hasHessian) return undefined;
  const gap = alg.objective(z) - inst.problem.fStar;
  return verdictAt(inst, alg, z, gap, kind === 'webgpu' ? 1e-4 : 1e-6);
}
