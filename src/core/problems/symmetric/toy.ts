/**
 * The 2-D symmetric toy: f(u) = ‖uuᵀ − Σ‖²_F for u ∈ ℝ², Σ = diag(σ₁, σ₂), σ₁ > σ₂ > 0 — the smallest
 * instance of [G] Lemma 13 (f(U) = ‖UUᵀ − A‖²_F, A PSD, here n = 2, r = 1), the symmetric cousin of the
 * scalar toy of SPEC §4.3. Un-halved, like Lemma 13.
 *
 * Derivation (by hand). With E = uuᵀ − Σ (symmetric), f = ‖E‖² and
 *   df = 2⟨E, du uᵀ + u duᵀ⟩ = 4⟨Eu, du⟩,   so   ∇f = 4Eu = 4(‖u‖² u − Σu);
 *   d∇f = 4(2uuᵀ du + ‖u‖² du − Σ du),      so   ∇²f = 4(‖u‖² I + 2uuᵀ − Σ).
 * Critical points: ‖u‖² u = Σu, i.e. u = 0 or u an eigenvector of Σ with eigenvalue ‖u‖²:
 *   u = 0:          ∇²f = −4Σ = diag(−4σ₁, −4σ₂)                      → local maximum,  f = σ₁² + σ₂²
 *   u = ±√σ₂ e₂:    ∇²f = 4(σ₂I + 2σ₂e₂e₂ᵀ − Σ) = diag(−4(σ₁ − σ₂), 8σ₂) → strict saddle,  f = σ₁²
 *   u = ±√σ₁ e₁:    ∇²f = 4(σ₁I + 2σ₁e₁e₁ᵀ − Σ) = diag(8σ₁, 4(σ₁ − σ₂))  → global minimum, f = σ₂²
 * (f = σ₂² > 0 at the minimum: rank uuᵀ = 1 < rank Σ, and √σ₁ e₁ gives the best rank-1 fit, Eckart–Young.)
 * These five are all: σ₁ ≠ σ₂ leaves no other eigenvectors.
 */
import * as z from 'zod';
import { hypot } from '../../fmath';
import { type Toy, finite, fmt } from '../../toys/kind';

export type Vec2 = [number, number];
/** A symmetric 2×2 matrix [[a11, a12], [a12, a22]]. */
export interface SymMat2 { a11: number; a12: number; a22: number }

function check(s1: number, s2: number): void {
  if (!(Number.isFinite(s1) && Number.isFinite(s2) && s1 > s2 && s2 > 0)) {
    throw new RangeError(`the symmetric toy needs σ₁ > σ₂ > 0, got σ₁ = ${s1}, σ₂ = ${s2}`);
  }
}

export function symToyValue(s1: number, s2: number, u: Vec2): number {
  const [x, y] = u;
  const e11 = x * x - s1, e12 = x * y, e22 = y * y - s2;
  return e11 * e11 + 2 * e12 * e12 + e22 * e22;
}

/** ∇f = 4(‖u‖²u − Σu). */
export function symToyGradient(s1: number, s2: number, u: Vec2): Vec2 {
  const [x, y] = u, q = x * x + y * y;
  return [4 * (q - s1) * x, 4 * (q - s2) * y];
}

/** ∇²f = 4(‖u‖² I + 2uuᵀ − Σ). */
export function symToyHessian(s1: number, s2: number, u: Vec2): SymMat2 {
  const [x, y] = u, q = x * x + y * y;
  return { a11: 4 * (q + 2 * x * x - s1), a12: 8 * x * y, a22: 4 * (q + 2 * y * y - s2) };
}

/** Eigenvalues of a symmetric 2×2 matrix, ascending. */
export function eigenvalues2(H: SymMat2): Vec2 {
  const mean = (H.a11 + H.a22) / 2, rad = hypot((H.a11 - H.a22) / 2, H.a12);
  return [mean - rad, mean + rad];
}

export interface SymToyCritical {
  u: Vec2;
  type: 'maximum' | 'saddle' | 'minimum';
  value: number;
  hessian: SymMat2;
  /** ascending */
  eigenvalues: Vec2;
}

/** The five critical points (derivation in the file comment): the origin, ±√σ₂ e₂, ±√σ₁ e₁. */
export function symToyCriticalPoints(s1: number, s2: number): SymToyCritical[] {
  check(s1, s2);
  const at = (u: Vec2, type: SymToyCritical['type']): SymToyCritical => {
    const hessian = symToyHessian(s1, s2, u);
    return { u, type, value: symToyValue(s1, s2, u), hessian, eigenvalues: eigenvalues2(hessian) };
  };
  const a = Math.sqrt(s1), b = Math.sqrt(s2);
  return [
    at([0, 0], 'maximum'),
    at([0, b], 'saddle'), at([0, -b], 'saddle'),
    at([a, 0], 'minimum'), at([-a, 0], 'minimum'),
  ];
}

/** The closed-form eigenvalues of the derivation, ascending, for checking: origin, saddles, minima. */
export function symToyExpectedEigenvalues(s1: number, s2: number): { maximum: Vec2; saddle: Vec2; minimum: Vec2 } {
  check(s1, s2);
  return {
    maximum: [-4 * s1, -4 * s2],
    saddle: [-4 * (s1 - s2), 8 * s2],
    minimum: [4 * (s1 - s2), 8 * s1], // 4(σ₁ − σ₂) < 8σ₁ since σ₂ > 0
  };
}

/** The toy in the Landscape view (src/core/toys/registry.ts), σ₁ = 1 and σ₂ its parameter. */
export const symmetricToy: Toy = {
  name: 'symmetric',
  label: 'symmetric f(u)',
  title: 'f(u) = ‖uuᵀ − diag(1, σ₂)‖² for u ∈ ℝ²: a local maximum at 0, strict saddles ±√σ₂e₂, global minima ±e₁, and no other critical point',
  heading: 'Landscape of the symmetric toy',
  lead: 'The smallest symmetric factorization problem, uuᵀ ≈ diag(1, σ₂) with u ∈ ℝ² (Ge–Jin–Zheng §4): the origin '
    + 'is a local maximum, ±√σ₂e₂ are strict saddles, ±e₁ are the global minima, and there is no other critical '
    + 'point — no spurious local minimum. Click the chart to start gradient descent anywhere; starts on the '
    + 'dashed axis u₁ = 0 end at a saddle, all others at a global minimum.',
  symbol: 'f',
  param: {
    field: 'sigma2', urlKey: 'lsig2', symbol: 'σ₂', aria: 'σ₂ (second eigenvalue)', min: 0.05, max: 0.95, step: 0.05,
    title: 'σ₂ of diag(1, σ₂): the saddles sit at ±√σ₂ e₂, the minima at ±e₁',
    schema: finite.pipe(z.number().gt(0, 'sigma2 must be in (0, 1)').lt(1, 'sigma2 must be in (0, 1)')).default(0.5),
  },
  objectiveName: (s2) => `f(u) = ‖uuᵀ − diag(1, σ₂)‖², σ₂ = ${fmt(s2)}`,
  value: (s2, u, v) => symToyValue(1, s2, [u, v]),
  gradient: (s2, u, v) => symToyGradient(1, s2, [u, v]),
  hessian: (s2, u, v) => {
    const H = symToyHessian(1, s2, [u, v]);
    return { uu: H.a11, uv: H.a12, vv: H.a22 };
  },
  criticalPoints: (s2) => symToyCriticalPoints(1, s2).map((c) => ({ u: c.u[0], v: c.u[1], type: c.type })),
  /** the axis u₁ = 0: GD from any point on it stays on it and ends at a saddle ±√σ₂e₂ (or at 0) */
  stableManifold: (uRange, vRange) => (uRange[0] <= 0 && uRange[1] >= 0 ? [[0, vRange[0]], [0, vRange[1]]] : null),
  names: { saddle: 'strict saddle', minimum: 'global minimum', maximum: 'local maximum', manifold: 'stable manifold u₁ = 0', manifoldWhere: 'the dashed axis u₁ = 0' },
  legend: (s2) => [
    { role: 'minimum', label: 'global minima ±e₁' },
    { role: 'saddle', label: `strict saddles ±√σ₂ e₂ = (0, ±${fmt(Math.sqrt(s2))})` },
    { role: 'maximum', label: 'local maximum 0' },
    { role: 'manifold', label: 'stable manifold of the saddles: the axis u₁ = 0' },
  ],
  escape: false,
  // f = (u² − 1)² + 2u²v² + (v² − σ₂)²
  wgsl: `fn toy_symmetric(u: f32, v: f32, p: f32) -> f32 {
  let a = u * u - 1.0;
  let b = v * v - p;
  let x = u * v;
  return a * a + 2.0 * x * x + b * b;
}`,
};
