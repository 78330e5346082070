/**
 * The HMF parity checks without a test runner (SPEC §7): the cases, the trace of an engine and its
 * comparison with the float64 CPU reference under the error model of tolerance.ts. hmf-suite.ts (vitest)
 * and the GPU kit (test/kit) run the same checks.
 */
import type { Instance } from '../../src/core/build';
import { hmfProblem } from '../../src/core/hmf-build';
import type { State } from '../../src/core/dgd';
import type { ExperimentInput } from '../../src/core/experiment';
import { norm2 } from '../../src/core/linalg';
import type { MetricsRow } from '../../src/core/metrics';
import type { Engine } from '../../src/engine/engine';
import { normTolerance, squaredNormTolerance } from './tolerance';

const t = (rows: number, cols: number, f: (k: number) => number) => ({ shape: [rows, cols], data: Array.from({ length: rows * cols }, (_, k) => f(k)) });

export const hmfCases: { name: string; doc: ExperimentInput }[] = [
  {
    name: 'planted, N = 6, 16×10, r₁ = 2, r₂ = 3, 20 % missing, correction on',
    doc: { format: 'lowrank-lab/experiment', version: 1, problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 3, generate: { seed: 3, N: 6, n1: 16, n2: 10, missing: 0.2 } }, algorithm: { name: 'hmf', stepsize: 0.2, iterations: 60, recordEvery: 20, beta: 0.1 }, init: { seed: 2, scale: 0.1 } },
  },
  {
    name: 'explicit sources of different widths (7, 12, 9) with a mask, correction off',
    doc: {
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 2, sources: [7, 12, 9].map((w, i) => ({ M: t(11, w, (k) => Math.sin(0.7 * k + i) + 0.3 * Math.cos(0.13 * k * (i + 1))), mask: t(11, w, (k) => ((k * 7 + i) % 5 === 0 ? 0 : 1)) })) },
      algorithm: { name: 'hmf', stepsize: 0.05, iterations: 60, recordEvery: 20, beta: 0.2, correction: false }, init: { seed: 5, scale: 0.2 },
    },
  },
  {
    // ranks over one vec4 (the kernels' chunks), sizes that are not multiples of 4 (their 4 × 4 blocks),
    // every entry observed (no masks uploaded)
    name: 'planted, N = 3, 13×11, r₁ = 5, r₂ = 6, nothing missing',
    doc: { format: 'lowrank-lab/experiment', version: 1, problem: { kind: 'hmf', sharedRank: 5, uniqueRank: 6, generate: { seed: 7, N: 3, n1: 13, n2: 11 } }, algorithm: { name: 'hmf', stepsize: 0.1, iterations: 60, recordEvery: 20, beta: 0.1 }, init: { seed: 4, scale: 0.1 } },
  },
  {
    // rating prediction ([H] §6.4): genre clusters of unequal widths, the training entries as masks, the
    // test RMSE on held-out entries (measured from the read-back factors)
    name: 'synthetic ratings, 14 users × 18 movies in 3 genre clusters, 20 % held out',
    doc: {
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 1, ratings: { synthetic: { seed: 2, users: 14, movies: 18, genres: 3, density: 0.5 }, clusters: 3, testFraction: 0.2, seed: 1 } },
      algorithm: { name: 'hmf', stepsize: 0.01, iterations: 60, recordEvery: 20, beta: 0.1 }, init: { seed: 3, scale: 0.1 },
    },
  },
];

export async function hmfTrace(engine: Engine, inst: Instance): Promise<{ rows: MetricsRow[]; states: State[] }> {
  await engine.load(inst);
  const rows: MetricsRow[] = [], states: State[] = [];
  for (let k = 0; ; k += inst.recordEvery) {
    rows.push(await engine.metrics());
    states.push((await engine.snapshot()).state);
    if (k >= inst.iterations) break;
    await engine.advance(inst.recordEvery);
  }
  return { rows, states };
}

/** Worst |got − want| / tolerance over the recorded metrics and iterates. */
export function hmfCompare(inst: Instance, ref: { rows: MetricsRow[]; states: State[] }, got: { rows: MetricsRow[]; states: State[] }): { worst: number; where: string } {
  const h = hmfProblem(inst);
  const L = Math.max(h.data.n1, ...h.data.sources.map((s) => s.n2)) + h.params.r1 + h.params.r2;
  const Msize = Math.sqrt(h.data.sources.reduce((a, s) => a + norm2(s.M), 0));
  let worst = 0, where = '';
  const check = (what: string, k: number, want: number, have: number, tol: number) => {
    const ratio = Math.abs(have - want) / tol;
    if (!(ratio <= worst)) {
      worst = Number.isNaN(ratio) ? Infinity : ratio;
      where = `${what} at round ${k}: expected ${want}, got ${have}, tolerance ${tol.toExponential(2)}`;
    }
  };
  ref.rows.forEach((w, i) => {
    const g = got.rows[i];
    const k = w.iteration;
    if (g === undefined || g.iteration !== k) {
      worst = Infinity;
      where = `record ${i}: expected round ${k}, got ${g?.iteration}`;
      return;
    }
    const z = ref.states[i];
    const zs = Math.sqrt(norm2(z.X) + norm2(z.Y));
    const fit = zs * zs + Msize;
    check('objective', k, w.objective, g.objective, squaredNormTolerance({ L, k, q: w.objective, size: fit }));
    for (const key of ['sharedError', 'uniqueError'] as const) {
      if (w[key] !== undefined) check(key, k, w[key]!, g[key]!, squaredNormTolerance({ L, k, q: w[key]!, size: fit }));
    }
    if (w.subspaceError !== undefined) check('subspaceError', k, w.subspaceError, g.subspaceError!, normTolerance({ L, k, size: 4 * Math.max(1, zs * zs) }));
    check('feasibility', k, w.feasibility!, g.feasibility!, normTolerance({ L, k, size: zs * zs }));
    // an RMSE moves by at most the largest error of a prediction u·vᵀ: two products of perturbed factors
    for (const key of ['testRmse', 'trainRmse'] as const) {
      if (w[key] !== undefined) check(key, k, w[key]!, g[key]!, 2 * normTolerance({ L, k, size: zs * zs }));
    }
    // the baseline reads the data alone, which both engines measure in float64
    if (w.baselineRmse !== undefined) check('baselineRmse', k, w.baselineRmse, g.baselineRmse!, 1e-15 * w.baselineRmse);
    const dz = Math.sqrt(norm2(got.states[i].X.map((v, j) => v - z.X[j])) + norm2(got.states[i].Y.map((v, j) => v - z.Y[j])));
    check('iterate', k, 0, dz, normTolerance({ L, k, size: zs }));
  });
  return { worst, where };
}

