/**
 * The scalar toy of SPEC §4.3 ([S] Example I.1), float64:
 *
 *   g(u, v) = ½(1 − uv)²                          (4.3)     "plain"
 *   g̃(u, v) = g + (μ_b/4)(u² − v²)²               (4.4)     "balanced"
 *
 * with gradients, Hessians, critical points, the hyperbola of minima uv = 1 and the saddle's stable
 * manifold u + v = 0 (exact for both, SPEC §4.3).
 */
import * as z from 'zod';
import { exp, ln } from '../fmath';
import { type Point, type Sym2, type Toy, finite, fmt } from './kind';

/** ∇g = (uv − 1)(v, u); ∇g̃ adds μ_b(u² − v²)(u, −v) (4.3, 4.4); m = μ_b, 0 for g. */
const value = (m: number, u: number, v: number) => {
  const e = 1 - u * v, c = u * u - v * v;
  return 0.5 * e * e + (m / 4) * c * c;
};
const gradient = (m: number, u: number, v: number): Point => {
  const e = u * v - 1, c = u * u - v * v;
  return [e * v + m * c * u, e * u - m * c * v];
};
const hessian = (m: number, u: number, v: number): Sym2 =>
  ({ uu: v * v + m * (3 * u * u - v * v), uv: 2 * u * v - 1 - 2 * m * u * v, vv: u * u + m * (3 * v * v - u * u) });

/** Both branches of uv = 1 as polylines covering the square [lo, hi]² (plots clip the ends). */
export function hyperbolaBranches(range: Point, samples = 200): Point[][] {
  const R = Math.max(Math.abs(range[0]), Math.abs(range[1]), 1e-9);
  return [1, -1].map((sign) => Array.from({ length: samples }, (_, k) => {
    const t = sign * exp(-ln(R) + (2 * ln(R) * k) / (samples - 1));
    return [t, 1 / t] as Point;
  }));
}

/** The line u + v = 0 clipped to the box. */
function antiDiagonal(uRange: Point, vRange: Point): [Point, Point] | null {
  const a = Math.max(uRange[0], -vRange[1]), b = Math.min(uRange[1], -vRange[0]);
  return a <= b ? [[a, -a], [b, -b]] : null;
}

const common = {
  heading: 'Landscape of the scalar toy',
  symbol: 'g',
  stableManifold: antiDiagonal,
  escape: true,
} as const;

const MANIFOLD = { manifold: 'stable manifold u + v = 0', manifoldWhere: 'the dashed line u + v = 0', minimumCurve: 'global minima: uv = 1' };

export const plainToy: Toy = {
  ...common,
  name: 'plain',
  label: 'plain g',
  title: 'g = ½(1 − uv)²: minima on the whole hyperbola uv = 1',
  lead: 'The simplest factorization problem, 1 ≈ u·v: its minima are the whole hyperbola uv = 1 and the origin is a '
    + 'saddle. Click the chart to start gradient descent anywhere; starts on the dashed line get stuck at the saddle, '
    + 'all others escape to a minimum.',
  objectiveName: () => 'g(u, v) = ½(1 − uv)²',
  value: (_p, u, v) => value(0, u, v),
  gradient: (_p, u, v) => gradient(0, u, v),
  hessian: (_p, u, v) => hessian(0, u, v),
  /** the strict saddle (0, 0), eigenvalues ±1; the minima are the hyperbola (minimumCurves) */
  criticalPoints: () => [{ u: 0, v: 0, type: 'saddle' }],
  minimumCurves: (_p, range) => hyperbolaBranches(range),
  names: { saddle: 'saddle (0, 0)', minimum: 'global minima', maximum: 'local maximum', ...MANIFOLD },
  legend: () => [
    { role: 'minimum-curve', label: 'global minima: the hyperbola uv = 1' },
    { role: 'saddle', label: 'saddle (0, 0)' },
    { role: 'manifold', label: 'stable manifold u + v = 0' },
  ],
  wgsl: `fn toy_plain(u: f32, v: f32, p: f32) -> f32 {
  let e = 1.0 - u * v;
  return 0.5 * e * e;
}`,
};

export const balancedToy: Toy = {
  ...common,
  name: 'balanced',
  label: 'balanced g̃',
  title: 'g̃ = g + (μ_b/4)(u² − v²)²: minima only at ±(1, 1)',
  lead: 'The scalar toy with the balancing term, g̃ = ½(1 − uv)² + (μ_b/4)(u² − v²)²: for μ_b > 0 its minima are only '
    + '±(1, 1), and the origin is still a saddle. Click the chart to start gradient descent anywhere; starts on the '
    + 'dashed line get stuck at the saddle, all others escape to a minimum.',
  param: {
    field: 'mub', urlKey: 'lmub', symbol: 'μ_b', aria: 'μ_b (balancing weight)', min: 0, max: 0.5, step: 1 / 128,
    title: "Weight μ_b of the balancing term (u² − v²)²; SPEC's figure uses 1/16",
    /** μ_b of g̃ (SPEC's figure: 1/16) */
    schema: finite.pipe(z.number().min(0, 'mub must be ≥ 0').max(1, 'mub must be at most 1')).default(1 / 16),
  },
  objectiveName: (p) => `g̃ = ½(1 − uv)² + (μ_b/4)(u² − v²)², μ_b = ${fmt(p)}`,
  value,
  gradient,
  hessian,
  /** the strict saddle (0, 0) (eigenvalues ±1) and, for μ_b > 0, the minima ±(1, 1) (eigenvalues 4μ_b and 2) */
  criticalPoints: (p) => [
    { u: 0, v: 0, type: 'saddle' },
    ...(p > 0 ? [{ u: 1, v: 1, type: 'minimum' as const }, { u: -1, v: -1, type: 'minimum' as const }] : []),
  ],
  minimumCurves: (p, range) => (p === 0 ? hyperbolaBranches(range) : []),
  names: { saddle: 'saddle (0, 0)', minimum: 'global minima ±(1, 1)', maximum: 'local maximum', ...MANIFOLD },
  legend: (p) => [
    p === 0 ? { role: 'minimum-curve', label: 'global minima: the hyperbola uv = 1' } : { role: 'minimum', label: 'global minima ±(1, 1)' },
    { role: 'saddle', label: 'saddle (0, 0)' },
    { role: 'manifold', label: 'stable manifold u + v = 0' },
  ],
  wgsl: `fn toy_balanced(u: f32, v: f32, p: f32) -> f32 {
  let e = 1.0 - u * v;
  let c = u * u - v * v;
  return 0.5 * e * e + 0.25 * p * c * c;
}`,
};
