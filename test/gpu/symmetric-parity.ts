// Shared by test/gpu/symmetric.test.ts (Dawn in Node) and test/gpu/symmetric-chromium.test.ts (headless
// Chromium): the cases, the trace of an engine and its comparison with the float64 CPU engine's trace.
import { expect } from 'vitest';
import type { Instance } from '../../src/core/build';
import type { State } from '../../src/core/dgd';
import type { Engine } from '../../src/core/engine-api';
import type { ExperimentInput } from '../../src/core/experiment';
import { norm2 } from '../../src/core/linalg';
import type { MetricsRow } from '../../src/core/metrics';
import type { SymmetricProblem } from '../../src/core/problems/symmetric/problem';
import { normTolerance, squaredNormTolerance } from '../engines/tolerance';

export const K = 60, EVERY = 10;

export function doc(problem: object, J: number, mu?: number): ExperimentInput {
  return {
    format: 'lowrank-lab/experiment', version: 1, problem,
    ...(J > 1 ? { network: { topology: 'ring', J, seed: 5, weights: 'metropolis', lazy: true } } : {}),
    algorithm: { name: J > 1 ? 'dgd' : 'gd', stepsize: mu ?? { rule: 'practical', c: 0.5 }, iterations: K },
    init: { seed: 1, scale: 0.5 },
  } as ExperimentInput;
}

export const PROBLEMS: Record<string, object> = {
  completion: { kind: 'sym-completion', rank: 2, pObs: 0.5, generate: { seed: 3, n: 20 } },
  'completion + Q': { kind: 'sym-completion', rank: 2, pObs: 0.5, incoherence: { alpha: 0.3, weight: 1 }, generate: { seed: 3, n: 20 } },
  sensing: { kind: 'sym-sensing', rank: 2, generate: { seed: 3, n: 8, measurements: 120, split: true } },
  rpca: { kind: 'sym-rpca', rank: 2, generate: { seed: 3, n: 16, corruption: 0.1 } },
};
/** RPCA runs distributed on J = 2 (its per-node n×mⱼ projection), the others on a ring of 4 */
export const NODES: Record<string, number> = { completion: 4, 'completion + Q': 4, sensing: 4, rpca: 2 };

export interface Trace { rows: MetricsRow[]; states: State[] }

export async function trace(e: Engine, inst: Instance): Promise<Trace> {
  await e.load(inst);
  const rows: MetricsRow[] = [], states: State[] = [];
  for (let k = 0; ; k += EVERY) {
    rows.push(await e.metrics());
    states.push((await e.snapshot()).state);
    if (k >= K) break;
    await e.advance(EVERY);
  }
  e.destroy();
  return { rows, states };
}

const fro = (a: ArrayLike<number>) => Math.sqrt(norm2(Float64Array.from(a)));

/**
 * Worst |gpu − cpu| / tolerance over the trace. Error model (test/engines/tolerance.ts): L = the longest
 * dot product of one iteration (completion n + r; sensing n² (⟨Aₖ, X⟩) or pⱼ (Σ rₖAₖ), + r); sizes are
 * read from the float64 iterate: ‖z‖, sX = max‖Uʲ‖² + ‖M⋆‖ (entries of X − M), and for the data term the
 * residual's size (completion sX; sensing max‖Aₖ‖·sX·√pⱼ).
 */
export function compare(inst: Instance, ref: Trace, got: Trace): { worst: number; where: string; rel: Record<string, number> } {
  const p = inst.problem as SymmetricProblem;
  const J = p.partition.length, nr = p.n * p.r, mu = inst.stepsize;
  const sensing = p.kind === 'sym-sensing';
  const maxRows = sensing ? Math.max(...p.A.map((A) => A.rows)) : 0;
  const L = (sensing ? Math.max(p.n * p.n, maxRows) : p.n) + p.r;
  const Mstar = fro(p.truth.data) + (p.kind === 'sym-rpca' ? fro(p.M.data) : 0);
  const aMax = sensing ? Math.max(...p.A.map((A) => { let m = 0; for (let k = 0; k < A.rows; k++) m = Math.max(m, fro(A.data.subarray(k * A.cols, (k + 1) * A.cols))); return m; })) : 1;
  const w = p.kind === 'sym-completion' ? 1 / (2 * p.pObs) : sensing ? 1 / (2 * p.total) : 0.5;
  const curv = 2 * w * (sensing ? aMax * aMax * maxRows : 1);
  let worst = 0, where = '';
  const rel: Record<string, number> = {};
  const check = (what: string, k: number, want: number, have: number, tol: number) => {
    const ratio = Math.abs(have - want) / tol;
    const r = Math.abs(have - want) / Math.max(Math.abs(want), 1e-300);
    rel[what] = Math.max(rel[what] ?? 0, r);
    if (!(ratio <= worst)) {
      worst = Number.isNaN(ratio) ? Infinity : ratio;
      where = `${what} at iteration ${k}: expected ${want}, got ${have}, tolerance ${tol.toExponential(2)}`;
    }
  };
  ref.rows.forEach((want, i) => {
    const have = got.rows[i], k = want.iteration, z = ref.states[i].X;
    expect(have.iteration).toBe(k);
    const zs = fro(z);
    let u2 = 0;
    for (let j = 0; j < J; j++) u2 = Math.max(u2, norm2(z.subarray(j * nr, (j + 1) * nr)));
    const sX = u2 + Mstar;
    const eSize = sensing ? aMax * sX * Math.sqrt(maxRows) : sX;
    const fit = want.fittingError!;
    const dataTol = J * w * squaredNormTolerance({ L, k, q: fit / w, size: eSize });
    const extraTol = 4 * normTolerance({ L, k, size: Math.abs(want.objective - fit) });
    check('objective', k, want.objective, have.objective, dataTol + extraTol);
    check('fittingError', k, fit, have.fittingError!, dataTol);
    check('optimalityGap', k, want.optimalityGap, have.optimalityGap, dataTol + extraTol);
    if (want.supportMismatch !== undefined) check('supportMismatch', k, want.supportMismatch, have.supportMismatch!, 1e-12);
    check('optimalityError', k, want.optimalityError!, have.optimalityError!, squaredNormTolerance({ L, k, q: want.optimalityError!, size: sX }));
    check('consensusError', k, want.consensusError, have.consensusError, squaredNormTolerance({ L, k, q: want.consensusError, size: zs }) + 1e-30);
    const pen = want.distributedObjective - want.objective;
    check('distributedObjective', k, want.distributedObjective, have.distributedObjective,
      dataTol + extraTol + squaredNormTolerance({ L, k, q: 4 * mu * pen, size: 2 * zs }) / (4 * mu));
    const gradSize = curv * sX * Math.sqrt(u2) * J + (J > 1 ? zs / mu : 0) + Math.abs(want.objective - fit) * 4 * p.n;
    check('gradientNorm', k, want.gradientNorm, have.gradientNorm, normTolerance({ L, k, size: gradSize }));
  });
  const a = ref.states.at(-1)!.X, b = got.states.at(-1)!.X;
  check('final iterate', K, 0, fro(a.map((v, i) => v - b[i])), normTolerance({ L, k: K, size: fro(a) }));
  rel['final iterate'] = fro(a.map((v, i) => v - b[i])) / fro(a);
  return { worst, where, rel };
}

export const fmt = (rel: Record<string, number>) => Object.entries(rel).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ');

