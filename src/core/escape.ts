/**
 * The saddle-escape study on a real problem (SPEC §4.2 C-d, R6): start at a partial-SVD critical point
 * plus a perturbation of size δ, for several δ, and measure how long the loss stays on the saddle's plateau.
 *
 * Escape time: the first iteration at which f has fallen half-way from the saddle's level
 * f_S = ‖Y‖² − Σᵢ∈S σᵢ² to the optimum min f = Σ_{k>r} σₖ². Near the saddle the component along the escape
 * eigenvector grows by (1 + μ|λ_min|) per GD step, so the escape time is ≈ ln(1/δ)/ln(1 + μ|λ_min|) plus a
 * δ-independent constant: linear in ln(1/δ), the same law as the scalar toy (toy.ts `saddleEscape`).
 */
import { buildNodeInstance, makeAlgorithm } from './build';
import type { Experiment } from './experiment';
import { ln, log1p } from './fmath';
import { norm2 } from './linalg';
import { Perturber } from './perturb';
import { type LinearFit, linearFit } from './toy';

export interface EscapeRunResult {
  delta: number;
  /** first iteration with f ≤ (f_S + min f)/2; null when the run never got there */
  escape: number | null;
  /** f at every iteration (index = iteration), thinned to at most `keep` points by the caller's choice */
  objective: number[];
}

export interface EscapeStudyResult {
  fSaddle: number;
  fStar: number;
  /** the theoretical λ_min = −2(σₖ − σₗ) of ∇²f at the saddle (−2σ₁ at the origin) */
  lambdaMin: number;
  stepsize: number;
  runs: EscapeRunResult[];
  /** escape ≈ slope·ln(1/δ) + intercept over the runs that escaped */
  fit: LinearFit | null;
  /** 1/ln(1 + μ|λ_min|), the linearised GD prediction for the slope */
  theorySlope: number;
}

export const ESCAPE_STUDY_DELTAS = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10];

/** The theoretical λ_min(∇²f) at the partial-SVD point of S (SPEC C-d); 0 when S = {1 … r} (the minimum). */
export function partialSvdLambdaMin(sigma: Float64Array, set: readonly number[]): number {
  if (set.length === 0) return -2 * sigma[0];
  const kept = new Set(set.map((i) => i - 1));
  let out = -1;
  for (let k = 0; k < sigma.length; k++) if (!kept.has(k)) { out = k; break; }
  const smallestKept = Math.min(...set.map((i) => sigma[i - 1]));
  if (out < 0 || sigma[out] <= smallestKept) return 0;
  return -2 * (sigma[out] - smallestKept);
}

/** Runs `exp` (which must have init.saddle) once per δ, on the float64 CPU path. */
export function escapeStudy(exp: Experiment, deltas: readonly number[] = ESCAPE_STUDY_DELTAS): EscapeStudyResult {
  const saddle = exp.init.saddle;
  if (!saddle) throw new RangeError('escapeStudy needs a document with init.saddle');
  let fSaddle = 0, fStar = 0, lambdaMin = 0, stepsize = 0;
  const runs = deltas.map((delta): EscapeRunResult => {
    const inst = buildNodeInstance({ ...exp, init: { ...exp.init, saddle: { ...saddle, delta } } });
    const p = inst.problem;
    if (p.kind !== 'factorization') throw new RangeError('escapeStudy needs a factorization problem');
    fSaddle = norm2(p.Y.data) - saddle.set.reduce((a, i) => a + p.sigma[i - 1] * p.sigma[i - 1], 0);
    fStar = p.fStar;
    lambdaMin = partialSvdLambdaMin(p.sigma, saddle.set);
    stepsize = inst.stepsize;
    const alg = makeAlgorithm(inst);
    const kick = exp.algorithm.perturb ? new Perturber(alg, exp.algorithm.perturb) : null;
    const z = { X: inst.init.X.slice(), Y: inst.init.Y.slice() };
    const level = (fSaddle + fStar) / 2;
    const objective: number[] = [];
    let escape: number | null = null;
    for (let k = 0; k <= inst.iterations; k++) {
      kick?.before(z, k);
      const f = k < inst.iterations ? alg.step(z) : alg.objective(z);
      objective.push(f);
      if (escape === null && f <= level) escape = k;
      if (escape !== null && k >= 2 * escape + 20) break;
    }
    return { delta, escape, objective };
  });
  const ok = runs.filter((r) => r.escape !== null);
  return {
    fSaddle, fStar, lambdaMin, stepsize, runs,
    fit: ok.length >= 2 ? linearFit(ok.map((r) => ln(1 / r.delta)), ok.map((r) => r.escape!)) : null,
    theorySlope: 1 / log1p(stepsize * Math.abs(lambdaMin)),
  };
}
