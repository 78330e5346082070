/**
 * A landscape slice of a run (src/core/slice.ts) with its path projected on the plane: what the CLI's
 * `landscape` command writes and what the app's slice panel draws. Plain data, so it crosses the worker
 * boundary as is.
 */
import { type MethodInstance, type NodeInstance, makeAlgorithm } from '../core/build';
import type { State } from '../core/dgd';
import { type PlaneKind, type SliceSpec, computeSlice, projectOnPlane, sliceBruteForce, slicePlane } from '../core/slice';
import type { PathPoint } from './path';

export interface SliceResult {
  plane: PlaneKind;
  labels: [string, string];
  /** the iteration of the iterate the plane passes through */
  iteration: number;
  spec: SliceSpec;
  coefficients: number[];
  method: 'analytic' | 'stencil';
  /** row-major [nb][na] */
  value: Float64Array;
  /** the path, projected: (a, b) on the plane, and g at the real iterate */
  trajectory: { iteration: number[]; a: number[]; b: number[]; value: number[] };
  /** ms spent on the plane, the coefficients and the grid */
  ms: number;
  /** max |quartic − brute force| / max |brute force| over the grid, when asked */
  bruteForceError?: number;
}

/** Why a run of a kind with its own method has no slice (it descends no node objective). */
export const noSlice = (inst: MethodInstance): string =>
  `a landscape slice is of the objective DGD+LOCAL descends; this ${inst.problem.kind} run has its own method (no node objective to slice)`;

export function sliceOfRun(
  inst: NodeInstance, at: { iteration: number; state: State }, path: readonly PathPoint[],
  kind: PlaneKind, spec: SliceSpec, opts: { seed?: number; check?: boolean } = {},
): SliceResult {
  const alg = makeAlgorithm(inst);
  const t0 = performance.now();
  const plane = slicePlane(inst, alg, at.state, kind, opts.seed ?? 0);
  const s = computeSlice(alg, plane, spec);
  const ms = performance.now() - t0;
  const trajectory = { iteration: [] as number[], a: [] as number[], b: [] as number[], value: [] as number[] };
  for (const p of path) {
    const [a, b] = projectOnPlane(plane, p.state);
    trajectory.iteration.push(p.iteration);
    trajectory.a.push(a);
    trajectory.b.push(b);
    trajectory.value.push(alg.distributedObjective(p.state));
  }
  const out: SliceResult = {
    plane: kind, labels: plane.labels, iteration: at.iteration, spec, coefficients: Array.from(s.coefficients),
    method: s.method, value: s.value, trajectory, ms,
  };
  if (opts.check) {
    const bf = sliceBruteForce(alg, plane, spec);
    let d = 0, m = 0;
    for (let i = 0; i < bf.length; i++) {
      d = Math.max(d, Math.abs(bf[i] - s.value[i]));
      m = Math.max(m, Math.abs(bf[i]));
    }
    out.bruteForceError = d / m;
  }
  return out;
}
