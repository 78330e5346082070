/**
 * The 2-D symmetric toy f(u) = ‖uuᵀ − diag(σ₁, σ₂)‖²_F ([G] Lemma 13 with n = 2, r = 1): gradient and
 * Hessian against finite differences, the five critical points and their Hessian eigenvalues (closed form,
 * ml-matrix's eigensolver, finite differences), and numerical searches: Newton's method on ∇f = 0 from a grid
 * finds exactly these five points; gradient descent from a grid ends only at the minima ±√σ₁ e₁, except
 * from the stable manifold {u₁ = 0} of the saddles.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, symEig } from '../../src/core/linalg';
import {
  type Vec2, eigenvalues2, symToyCriticalPoints, symToyExpectedEigenvalues, symToyGradient, symToyHessian, symToyValue,
} from '../../src/core/problems/symmetric';

const S1 = 3, S2 = 1;

function fdGrad(u: Vec2, h = 1e-6): Vec2 {
  const f = (a: number, b: number) => symToyValue(S1, S2, [a, b]);
  return [(f(u[0] + h, u[1]) - f(u[0] - h, u[1])) / (2 * h), (f(u[0], u[1] + h) - f(u[0], u[1] - h)) / (2 * h)];
}

function fdHess(u: Vec2, h = 1e-5): [number, number, number, number] {
  const gp0 = symToyGradient(S1, S2, [u[0] + h, u[1]]), gm0 = symToyGradient(S1, S2, [u[0] - h, u[1]]);
  const gp1 = symToyGradient(S1, S2, [u[0], u[1] + h]), gm1 = symToyGradient(S1, S2, [u[0], u[1] - h]);
  return [(gp0[0] - gm0[0]) / (2 * h), (gp1[0] - gm1[0]) / (2 * h), (gp0[1] - gm0[1]) / (2 * h), (gp1[1] - gm1[1]) / (2 * h)];
}

describe('value, gradient and Hessian', () => {
  it('f = ‖uuᵀ − Σ‖² by the definition', () => {
    const u: Vec2 = [0.7, -1.3];
    const E = [u[0] * u[0] - S1, u[0] * u[1], u[1] * u[0], u[1] * u[1] - S2];
    expect(symToyValue(S1, S2, u)).toBeCloseTo(E.reduce((a, v) => a + v * v, 0), 14);
  });

  it.each([[0.3, -0.2], [1.5, 0.9], [-2, 1.1], [0.01, 2.5]] as Vec2[])('at (%s, %s) they match finite differences', (a, b) => {
    const u: Vec2 = [a, b];
    const g = symToyGradient(S1, S2, u), F = fdGrad(u);
    expect(Math.hypot(g[0] - F[0], g[1] - F[1])).toBeLessThan(1e-7 * Math.max(1, Math.hypot(...g)));
    const H = symToyHessian(S1, S2, u), D = fdHess(u);
    const err = Math.hypot(H.a11 - D[0], H.a12 - D[1], H.a12 - D[2], H.a22 - D[3]);
    expect(err).toBeLessThan(1e-6 * Math.max(1, Math.hypot(H.a11, H.a12, H.a22)));
  });
});

describe('the critical points', () => {
  const pts = symToyCriticalPoints(S1, S2);
  const want = symToyExpectedEigenvalues(S1, S2);

  it('are the origin (max), ±√σ₂ e₂ (saddles), ±√σ₁ e₁ (minima), with ∇f = 0', () => {
    expect(pts.map((p) => p.type)).toEqual(['maximum', 'saddle', 'saddle', 'minimum', 'minimum']);
    expect(pts.map((p) => p.u)).toEqual([[0, 0], [0, Math.sqrt(S2)], [0, -Math.sqrt(S2)], [Math.sqrt(S1), 0], [-Math.sqrt(S1), 0]]);
    for (const p of pts) {
      const g = symToyGradient(S1, S2, p.u);
      expect(Math.hypot(...g)).toBeLessThan(1e-14);
    }
  });

  it('values σ₁² + σ₂², σ₁², σ₂² (the minimum is the best rank-1 fit, not 0)', () => {
    expect(pts.map((p) => p.value)).toEqual([S1 * S1 + S2 * S2, S1 * S1, S1 * S1, S2 * S2, S2 * S2].map((v) => expect.closeTo(v, 12)));
  });

  it('Hessian eigenvalues −4σ₁, −4σ₂ | −4(σ₁ − σ₂), 8σ₂ | 4(σ₁ − σ₂), 8σ₁, three ways', () => {
    expect(want).toEqual({ maximum: [-12, -4], saddle: [-8, 8], minimum: [8, 24] });
    for (const p of pts) {
      const w = want[p.type];
      expect(p.eigenvalues[0]).toBeCloseTo(w[0], 12);
      expect(p.eigenvalues[1]).toBeCloseTo(w[1], 12);
      const ml = symEig(fromArray(2, 2, [p.hessian.a11, p.hessian.a12, p.hessian.a12, p.hessian.a22])).values;
      expect(ml[0]).toBeCloseTo(w[0], 10);
      expect(ml[1]).toBeCloseTo(w[1], 10);
      const D = fdHess(p.u);
      const fd = eigenvalues2({ a11: D[0], a12: (D[1] + D[2]) / 2, a22: D[3] });
      expect(fd[0]).toBeCloseTo(w[0], 5);
      expect(fd[1]).toBeCloseTo(w[1], 5);
      // the type follows from the signs
      const type = w[1] < 0 ? 'maximum' : w[0] < 0 ? 'saddle' : 'minimum';
      expect(p.type).toBe(type);
    }
  });

  it('needs σ₁ > σ₂ > 0', () => {
    expect(() => symToyCriticalPoints(1, 1)).toThrow(/σ₁ > σ₂ > 0/);
    expect(() => symToyCriticalPoints(2, 0)).toThrow(/σ₁ > σ₂ > 0/);
  });
});

/** A grid on [−2.4, 2.4]² with spacing 0.3, the axes included. */
const grid: Vec2[] = [];
for (let a = -8; a <= 8; a++) for (let b = -8; b <= 8; b++) grid.push([0.3 * a, 0.3 * b]);

describe('numerical search', () => {
  it("Newton's method on ∇f = 0 from a grid finds exactly the five critical points", () => {
    const found: Vec2[] = [];
    for (const u0 of grid) {
      let u: Vec2 = [u0[0], u0[1]];
      for (let it = 0; it < 100; it++) {
        const g = symToyGradient(S1, S2, u), H = symToyHessian(S1, S2, u);
        const det = H.a11 * H.a22 - H.a12 * H.a12;
        if (Math.abs(det) < 1e-300) break;
        u = [u[0] - (H.a22 * g[0] - H.a12 * g[1]) / det, u[1] - (-H.a12 * g[0] + H.a11 * g[1]) / det];
      }
      if (Math.hypot(...symToyGradient(S1, S2, u)) > 1e-10 || !Number.isFinite(u[0])) continue;
      if (!found.some((v) => Math.hypot(v[0] - u[0], v[1] - u[1]) < 1e-8)) found.push(u);
    }
    expect(found.length).toBe(5);
    for (const p of symToyCriticalPoints(S1, S2)) {
      expect(found.some((v) => Math.hypot(v[0] - p.u[0], v[1] - p.u[1]) < 1e-10)).toBe(true);
    }
  });

  it('gradient descent ends at ±√σ₁ e₁ (the sign of u₁ kept) from every start off the u₂-axis, and at the saddle ±√σ₂ e₂ on it', () => {
    // ‖∇²f‖ ≤ 4(3‖u‖² + σ₁) ≤ 4(3·11.52 + 3) < 151 on the grid's disc, so μ = 0.005 is stable
    const mu = 0.005;
    let minima = 0, saddles = 0;
    for (const u0 of grid) {
      if (u0[0] === 0 && u0[1] === 0) continue; // the maximum is a fixed point
      const u: Vec2 = [u0[0], u0[1]];
      for (let it = 0; it < 3000; it++) {
        const g = symToyGradient(S1, S2, u);
        u[0] -= mu * g[0];
        u[1] -= mu * g[1];
      }
      if (u0[0] !== 0) {
        expect(Math.hypot(u[0] - Math.sign(u0[0]) * Math.sqrt(S1), u[1])).toBeLessThan(1e-9);
        minima++;
      } else {
        // u₁ = 0 stays 0 (∂f/∂u₁ = 4(‖u‖² − σ₁)u₁): the line is the saddles' stable manifold
        expect(Math.hypot(u[0], u[1] - Math.sign(u0[1]) * Math.sqrt(S2))).toBeLessThan(1e-9);
        saddles++;
      }
    }
    expect(minima).toBe(17 * 16);
    expect(saddles).toBe(16);
  });

  it('a start a hair off the stable manifold escapes the saddle to a minimum', () => {
    const u: Vec2 = [1e-8, 1];
    for (let it = 0; it < 6000; it++) {
      const g = symToyGradient(S1, S2, u);
      u[0] -= 0.005 * g[0];
      u[1] -= 0.005 * g[1];
    }
    expect(Math.hypot(u[0] - Math.sqrt(S1), u[1])).toBeLessThan(1e-9);
  });
});
