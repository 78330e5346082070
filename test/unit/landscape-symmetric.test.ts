/**
 * The landscape view's symmetric toy f(u) = ‖uuᵀ − diag(1, σ₂)‖²_F for u ∈ ℝ² (src/core/toy.ts, kind
 * "symmetric"): its critical points are the origin (a local maximum), ±√σ₂e₂ (strict saddles) and ±e₁
 * (the global minima), with Hessian eigenvalues derived by hand below; gradient descent ends at a global
 * minimum from every start off the axis u₁ = 0, at a saddle from a start on it; links carry it.
 */
import { describe, expect, it } from 'vitest';
import { criticalPoints, gdTrajectory, stableManifold, toyGradient, toyValue } from '../../src/core/toy';
import { decodeUrl, encodeUrl } from '../../src/state/url';

describe('the symmetric toy in the landscape view', () => {
  it.each([0.2, 0.5, 0.8])('σ₂ = %s: five critical points, their types and Hessian eigenvalues', (s2) => {
    const crit = criticalPoints('symmetric', s2);
    const at = (u: number, v: number) => crit.find((c) => Math.abs(c.u - u) < 1e-15 && Math.abs(c.v - v) < 1e-15)!;
    expect(crit).toHaveLength(5);
    // f = (u² − 1)² + 2u²v² + (v² − σ₂)²; ∇f = 4(q − 1)u, 4(q − σ₂)v with q = u² + v²;
    // ∇²f = 4[[q + 2u² − 1, 2uv], [2uv, q + 2v² − σ₂]]
    const close = (got: number[], want: number[]) => got.forEach((g, k) => expect(g).toBeCloseTo(want[k], 12));
    expect(at(0, 0).type).toBe('maximum');
    close(at(0, 0).eigenvalues, [-4, -4 * s2]);
    for (const v of [Math.sqrt(s2), -Math.sqrt(s2)]) {
      expect(at(0, v).type).toBe('saddle');
      close(at(0, v).eigenvalues, [-4 * (1 - s2), 8 * s2]);
      expect(at(0, v).value).toBeCloseTo(1, 12); // (0 − 1)² + 0 + 0
    }
    for (const u of [1, -1]) {
      expect(at(u, 0).type).toBe('minimum');
      close(at(u, 0).eigenvalues, [4 * (1 - s2), 8]);
      expect(at(u, 0).value).toBeCloseTo(s2 * s2, 12); // the best rank-1 fit leaves σ₂²
    }
    for (const c of crit) {
      const [gu, gv] = toyGradient('symmetric', s2, c.u, c.v);
      expect(Math.hypot(gu, gv)).toBeLessThan(1e-14);
    }
  });

  it('the value and gradient agree with finite differences', () => {
    const s2 = 0.35, h = 1e-6;
    for (const [u, v] of [[0.3, -0.7], [1.2, 0.4], [-0.9, 1.5]]) {
      const [gu, gv] = toyGradient('symmetric', s2, u, v);
      expect(gu).toBeCloseTo((toyValue('symmetric', s2, u + h, v) - toyValue('symmetric', s2, u - h, v)) / (2 * h), 6);
      expect(gv).toBeCloseTo((toyValue('symmetric', s2, u, v + h) - toyValue('symmetric', s2, u, v - h)) / (2 * h), 6);
    }
  });

  it('GD from a grid of starts off the axis u₁ = 0 ends at a global minimum ±e₁; on the axis at a saddle; at 0 it is the maximum', () => {
    const s2 = 0.5, eta = 0.05;
    for (let i = -4; i <= 4; i++) {
      for (let j = -4; j <= 4; j++) {
        const start: [number, number] = [i / 2.5, j / 2.5];
        const t = gdTrajectory('symmetric', s2, eta, start, 20000);
        const [u, v] = t.points[t.points.length - 1];
        if (i === 0 && j === 0) expect(t.stop).toBe('converged to the maximum');
        else if (i === 0) {
          expect(t.stop).toBe('converged to the saddle');
          expect([u, Math.abs(v)]).toEqual([0, expect.closeTo(Math.sqrt(s2), 8)]);
        } else {
          expect(t.stop).toBe('converged to a minimum');
          expect([Math.abs(u), v]).toEqual([expect.closeTo(1, 8), expect.closeTo(0, 8)]);
          expect(Math.sign(u)).toBe(Math.sign(i));
        }
      }
    }
    expect(stableManifold([-2, 2], [-2, 2], 'symmetric')).toEqual([[0, -2], [0, 2]]);
  });

  it('a link opens it with its σ₂, and the lab writes it back', async () => {
    const { state, ignored } = await decodeUrl('?view=landscape&lk=symmetric&lsig2=0.3', async () => null);
    expect(ignored).toEqual([]);
    expect(state.landscape).toMatchObject({ kind: 'symmetric', sigma2: 0.3 });
    const again = await decodeUrl(encodeUrl(state), async () => null);
    expect(again.state.landscape).toEqual(state.landscape);
    expect((await decodeUrl('?lk=symmetric&lsig2=1', async () => null)).ignored[0]).toMatch(/^lsig2=1: .*sigma2 must be in \(0, 1\)/);
  });
});
