/**
 * The [G] proposals of SPEC §8 (R12–R14) from the shipped presets, in float64: sensing under RIP from many
 * random starts, completion above and below its sampling threshold, robust PCA with exact support recovery.
 * The regimes (sizes, p, corruption fraction) are the presets'; the README lists what each achieves.
 */
import { describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../src/core/experiment';
import { computeMetrics } from '../../src/core/metrics';
import { norm2 } from '../../src/core/linalg';
import { nodeInstance, iterationsTo, makeAlgorithm, preset } from './helpers';

const relative = (doc: ExperimentInput) => {
  const p = nodeInstance(doc).problem;
  return p.kind !== 'least-squares' && 'truth' in p && p.truth ? norm2(p.truth.data) : NaN;
};

describe('R12: sensing under RIP (20×20, rank 2, p = 400, 𝒜/√p)', () => {
  const base = preset('r12');
  const scale = relative(base);
  it.each([0.5, 0])('λ = %s: every one of 8 random starts recovers UVᵀ = M⋆ (relative error < 1e-10)', (lambda) => {
    for (let seed = 1; seed <= 8; seed++) {
      const doc = { ...base, problem: { ...base.problem, lambda }, init: { seed, scale: 1 } } as ExperimentInput;
      const r = iterationsTo(doc, 1e-10 * scale, base.algorithm.iterations);
      expect(r.opt / scale, `start ${seed}`).toBeLessThan(1e-10);
    }
  });
  it('with far too few measurements (p = 40 < the 78 degrees of freedom) recovery fails', () => {
    const doc = { ...base, problem: { ...base.problem, generate: { ...(base.problem as { generate: object }).generate, measurements: 40 } } } as ExperimentInput;
    const r = iterationsTo(doc, 0, 1500);
    expect(r.fit).toBeLessThan(0.05 * iterationsTo(doc, 0, 0).fit); // it fits the measurements …
    expect(r.opt / scale).toBeGreaterThan(1e-2); // … but not the matrix
  });
});

describe('R13: matrix completion (100×100, rank 3)', () => {
  const scale = relative(preset('r13'));
  it.each(['r13', 'r13-q'])('%s: 20 per cent observed, the whole matrix is recovered (relative error < 1e-12)', (id) => {
    const doc = preset(id);
    const r = iterationsTo(doc, 1e-12 * scale, doc.algorithm.iterations);
    expect(r.opt / scale).toBeLessThan(1e-12);
  });
  it('10 % observed is below the threshold here: the observed entries are fit, the others are not', () => {
    const base = preset('r13');
    const r = iterationsTo({ ...base, problem: { ...base.problem, pObs: 0.1 } } as ExperimentInput, 0, 3000);
    expect(r.opt / scale).toBeGreaterThan(1e-2);
  });
  it('distributed over 5 nodes with λ = 0: exact consensus and recovery', () => {
    const doc = preset('r13-distributed');
    const r = iterationsTo(doc, 1e-6 * scale, doc.algorithm.iterations);
    expect(r.opt / scale).toBeLessThan(1e-6);
    expect(r.consensus / scale).toBeLessThan(1e-10);
  });
});

describe('R14: robust PCA (100×100, rank 3, 5 % corrupted, γ = 2)', () => {
  it('recovers M⋆ and exactly the support of S⋆', () => {
    const doc = preset('r14');
    const inst = nodeInstance(doc);
    const alg = makeAlgorithm(inst);
    const z = { X: inst.init.X.slice(), Y: inst.init.Y.slice() };
    const first = computeMetrics(inst, alg, z, 0);
    expect(first.supportMismatch).toBeGreaterThan(0.1); // at the start the projection picks wrong entries
    for (let k = 0; k < doc.algorithm.iterations; k++) alg.step(z);
    const last = computeMetrics(inst, alg, z, doc.algorithm.iterations);
    const scale = relative(doc);
    expect(last.optimalityError! / scale).toBeLessThan(1e-20);
    expect(last.supportMismatch).toBe(0);
  });
});
