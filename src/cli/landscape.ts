/**
 * `lowrank-lab landscape FILE`: the objective being descended on a 2-D plane through an iterate of the run
 * (src/core/slice.ts), as a grid, with the run's path projected on the plane. `--at end` (default) runs the
 * experiment on the float64 CPU engine first; `--at start` slices at the initial iterate. `--check` also
 * evaluates the grid by brute force and reports the largest relative difference.
 *
 * Output (`"format": "lowrank-lab/landscape"`): the plane and its axis labels, the grid spec
 * (a, b ranges, na, nb), the 15 quartic coefficients (index of aᵖb^q: d(d+1)/2 + q, d = p + q), the values
 * row-major [nb][na], the projected trajectory, and the timing.
 */
import { type Instance, isNodeInstance } from '../core/build';
import { DocumentError } from '../core/experiment';
import { PLANES, type PlaneKind } from '../core/slice';
import { CpuEngine } from '../engine/cpu';
import { type PathPoint, runWithPath } from '../engine/path';
import { type SliceResult, noSlice, sliceOfRun } from '../engine/slice-run';

export const SLICE_OPTIONS = ['--plane', '--res', '--range', '--at', '--seed'];

export interface SliceArgs {
  plane: PlaneKind;
  res: number;
  range: number;
  at: 'start' | 'end';
  seed: number;
  check: boolean;
}

/** Option values → SliceArgs; a bad value is a DocumentError naming the option. */
export function parseSliceArgs(o: Record<string, string>): SliceArgs {
  const plane = (o.plane ?? 'random') as PlaneKind;
  if (!PLANES.includes(plane)) throw new DocumentError('--plane', `"${o.plane}" is not a plane; use ${PLANES.join(', ')}`);
  const res = Number(o.res ?? 256);
  if (!Number.isInteger(res) || res < 2 || res > 4096) throw new DocumentError('--res', `must be an integer in 2 … 4096, got ${o.res}`);
  const range = Number(o.range ?? 1);
  if (!(range > 0) || !Number.isFinite(range)) throw new DocumentError('--range', `must be a positive number, got ${o.range}`);
  const at = (o.at ?? 'end') as 'start' | 'end';
  if (at !== 'start' && at !== 'end') throw new DocumentError('--at', `must be "start" or "end", got "${o.at}"`);
  const seed = Number(o.seed ?? 0);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new DocumentError('--seed', `must be a non-negative integer, got ${o.seed}`);
  return { plane, res, range, at, seed, check: o.check === 'yes' };
}

export type LandscapeDocument = Omit<SliceResult, 'value'> & {
  format: 'lowrank-lab/landscape';
  version: 1;
  value: number[];
};

export async function landscapeDocument(inst: Instance, a: SliceArgs): Promise<LandscapeDocument> {
  if (!isNodeInstance(inst)) throw new DocumentError('problem.kind', noSlice(inst));
  let path: PathPoint[];
  let at: PathPoint;
  if (a.at === 'start') {
    at = { iteration: 0, state: inst.init };
    path = [at];
  } else {
    const engine = new CpuEngine();
    await engine.load(inst);
    ({ path } = await runWithPath(engine, inst));
    engine.destroy();
    at = path[path.length - 1];
  }
  const spec = { a: [-a.range, a.range] as [number, number], b: [-a.range, a.range] as [number, number], na: a.res, nb: a.res };
  const s = sliceOfRun(inst, at, path, a.plane, spec, { seed: a.seed, check: a.check });
  return { format: 'lowrank-lab/landscape', version: 1, ...s, value: Array.from(s.value) };
}
