/**
 * A run that keeps its path: the iterate at every record (thinned to at most `maxPoints` by dropping every
 * other one when full), so a landscape slice can draw the trajectory projected on its plane. Used by the
 * CLI's `landscape` command; the app's worker keeps the same list while it runs.
 */
import type { Instance } from '../core/build';
import type { State } from '../core/dgd';
import type { Engine } from './engine';
import { type RunOutcome, Session } from './session';

export interface PathPoint {
  iteration: number;
  state: State;
}

/** Appends `p`, halving the list (keeping the first and every other point) when it exceeds `max`. */
export function keepPoint(path: PathPoint[], p: PathPoint, max: number): void {
  path.push(p);
  if (path.length > max) {
    const kept = path.filter((_, i) => i % 2 === 0 || i === path.length - 1);
    path.length = 0;
    path.push(...kept);
  }
}

export async function runWithPath(engine: Engine, inst: Instance, maxPoints = 400): Promise<{ outcome: RunOutcome; path: PathPoint[] }> {
  const s = new Session(engine, inst);
  await s.start();
  const path: PathPoint[] = [];
  keepPoint(path, await engine.snapshot(), maxPoints);
  while (await s.step(inst.recordEvery - (s.iteration % inst.recordEvery))) keepPoint(path, await engine.snapshot(), maxPoints);
  const last = await engine.snapshot();
  if (path[path.length - 1].iteration !== last.iteration) keepPoint(path, last, maxPoints);
  return { outcome: { trace: s.trace, stop: s.stop!, final: last.state }, path };
}
