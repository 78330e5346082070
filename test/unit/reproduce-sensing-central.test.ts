/**
 * R10 (SPEC §5.5, [S] Fig. 2a,b) from the shipped presets: centralized matrix sensing, m = 50, n = 40,
 * r = 5, p = 3·max(m, n)·r = 750 Gaussian measurements, η = 1/(3pσ₁(X⋆)). Every balancing weight reaches
 * the global optimum (the slower tail of larger λ is in the README figures).
 */
import { describe, expect, it } from 'vitest';
import { instance, iterationsTo, preset } from './helpers';

describe('R10: centralized sensing reaches the global optimum for every λ', () => {
  const files = ['r10', 'r10-lambda-1e-4', 'r10-lambda-1e-3', 'r10-lambda-1e-2', 'r10-lambda-1e-1'];

  it.each(files)('%s: optimality error ‖UVᵀ − X⋆‖² < 1e-10 within the preset’s iterations', (id) => {
    const doc = preset(id);
    const inst = instance(doc);
    expect(inst.problem.kind).toBe('sensing');
    if (inst.problem.kind !== 'sensing') return;
    expect([inst.problem.A[0].rows, inst.problem.A[0].cols]).toEqual([750, 2000]);
    // SPEC §5.5's step, η = 1/(3pσ₁(X⋆))
    expect(inst.stepsize * 3 * 750 * inst.problem.sigma1).toBeCloseTo(1, 12);
    const r = iterationsTo(doc, 1e-10, doc.algorithm.iterations);
    expect(r.opt).toBeLessThan(1e-10);
    expect(r.fit).toBeLessThan(1e-8);
  });
});
