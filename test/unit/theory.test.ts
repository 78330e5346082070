import { describe, expect, it } from 'vitest';
import { CONSTANTS, ballConstants, localLipschitz, omegaStepBound, rhoStepBound, theoryReport } from '../../src/core/theory';
import { singularValues, fromArray, matmulTN } from '../../src/core/linalg';
import { factorizationDoc, nodeInstance, preset } from './helpers';

describe('step-size theory (SPEC §3)', () => {
  it('(3.7) constants follow from c: a = 148 + 32c, b = 2c, for both versions of the paper', () => {
    for (const src of ['N', 'A'] as const) {
      const { a, b, c } = CONSTANTS[src];
      expect(a).toBeCloseTo(148 + 32 * c, 12);
      expect(b).toBeCloseTo(2 * c, 12);
    }
    expect(CONSTANTS.N.a).toBeCloseTo(477.06, 2);
    expect(CONSTANTS.A.b).toBeCloseTo(16.566, 3);
  });

  it('the bracket of (3.7) is smallest at ρ² = √(b/a)‖Y‖, where it equals (34 + 2√(ab))‖Y‖ (232.1‖Y‖ for [N])', () => {
    const y = 3.7, omega = 0.25;
    const { a, b } = CONSTANTS.N;
    const rho = Math.sqrt(Math.sqrt(b / a) * y);
    const best = rhoStepBound(omega, [y], rho, 'N');
    expect((1 - 2 * omega) / best / y).toBeCloseTo(34 + 2 * Math.sqrt(a * b), 10);
    expect(34 + 2 * Math.sqrt(a * b)).toBeCloseTo(232.1, 1);
    for (const f of [0.5, 0.9, 1.1, 2]) expect(rhoStepBound(omega, [y], rho * f, 'N')).toBeLessThan(best);
    // [N] is the more conservative version
    expect(rhoStepBound(omega, [y], rho, 'N')).toBeLessThan(rhoStepBound(omega, [y], rho, 'A'));
  });

  it('(3.2) has no admissible step once ω ≥ ½', () => {
    expect(omegaStepBound(0.5, 1)).toBe(0);
    expect(omegaStepBound(0.6, 1)).toBeLessThan(0);
    expect(ballConstants(2, 1)).toEqual({ L0: 32 + 8, L1: 32 + 16, L2: 20 + 4 });
  });

  it('the local Lipschitz estimate of least squares is maxⱼ‖Aⱼ‖₂² (= λ_max(AⱼᵀAⱼ))', () => {
    const inst = nodeInstance(preset('r4'));
    if (inst.problem.kind !== 'least-squares') throw new Error('r4 is least squares');
    const exact = Math.max(...inst.problem.A.map((A) => singularValues(A)[0] ** 2));
    expect(localLipschitz(inst, inst.init)).toBeCloseTo(exact, 6);
  });

  it('the local Lipschitz estimate at U = 0, V = 0 is 2σ₁(Yⱼ), the Hessian norm of ‖UVⱼᵀ − Yⱼ‖² there', () => {
    const inst = nodeInstance({ ...factorizationDoc({ n: 5, m: 6, rank: 2, J: 1, alg: 'gd' }), init: { scale: 0 } });
    if (inst.problem.kind !== 'factorization') throw new Error('factorization');
    // ∇²f(0)[(D_U, D_V)] = −2(Y D_V, Yᵀ D_U): eigenvalues ±2σₖ(Y)
    const Y = inst.problem.Y;
    const s1 = Math.sqrt(Math.max(...singularValues(fromArray(6, 6, matmulTN(Y, Y).data))));
    expect(localLipschitz(inst, inst.init, 200)).toBeCloseTo(2 * s1, 5);
  });

  it('reports verdicts for R3: practical bound satisfied, certified (3.7) bounds orders of magnitude smaller', () => {
    const inst = nodeInstance(preset('r3'));
    const rep = theoryReport(inst);
    const byName = (s: string) => rep.verdicts.find((v) => v.name.includes(s))!;
    expect(byName('practical').ok).toBe(true);
    expect(byName('[N]').ok).toBe(false);
    expect(byName('[N]').bound).toBeLessThan(inst.stepsize / 100);
    expect(byName('[N]').bound).toBeLessThan(byName('[A]').bound);
    expect(rep.verdicts.some((v) => v.at)).toBe(false);
  });

  it('a step exactly on a bound (the practical rule with c = 1) is "at" it: neither inside the strict condition nor above it', () => {
    const doc = preset('r3') as { algorithm: { stepsize: unknown } };
    doc.algorithm.stepsize = { rule: 'practical', c: 1 };
    const practical = (d: unknown) => theoryReport(nodeInstance(d as never)).verdicts.find((v) => v.name.includes('practical'))!;
    expect(practical(doc)).toMatchObject({ at: true, ok: false });
    doc.algorithm.stepsize = { rule: 'practical', c: 1 - 1e-9 };
    expect(practical(doc)).toMatchObject({ at: false, ok: true });
    doc.algorithm.stepsize = { rule: 'practical', c: 1 + 1e-9 };
    expect(practical(doc)).toMatchObject({ at: false, ok: false });
  });
});
