/**
 * The scalar toy of SPEC §4.3 ([S] Example I.1), float64 and import-light (no DOM, no GPU):
 *
 *   g(u, v) = ½(1 − uv)²                          (4.3)     "plain"
 *   g̃(u, v) = g + (μ_b/4)(u² − v²)²               (4.4)     "balanced"
 *
 * with their gradients, Hessians and critical points; gradient-descent trajectories; the stable manifold
 * u + v = 0 of the saddle (exact for both, SPEC §4.3); the saddle-escape study (iterations near the
 * saddle grow like log(1/δ)/log(1 + η), R2); the distributed toy (J scalar nodes of DGD+LOCAL, built with
 * the lab's own experiment document); the landscape grid the Landscape view draws; and the view's
 * parameters (the object the store and the URL hold).
 */
import * as z from 'zod';
import { buildNodeInstance, makeAlgorithm } from './build';
import { type ExperimentInput, firstIssue, parseExperiment } from './experiment';
import { cos, hypot, ln, log10, log1p, sin } from './fmath';
import { Rng, childSeed } from './rng';
import { type CriticalType, type Point, type Sym2, finite } from './toys/kind';
import { TOYS, TOY_NAMES, toyFor } from './toys/registry';

export type { Point, Sym2 } from './toys/kind';
export { hyperbolaBranches } from './toys/uv';

/**
 * The toys are listed in src/core/toys/registry.ts: plain g = ½(1 − uv)² (4.3); balanced
 * g̃ = g + (μ_b/4)(u² − v²)² (4.4); symmetric f(u) = ‖uuᵀ − diag(1, σ₂)‖²_F for u = (u, v) ∈ ℝ²
 * (Ge–Jin–Zheng §4's framework in two dimensions; src/core/problems/symmetric/toy.ts). The second argument
 * of the functions below is the toy's parameter: μ_b, or σ₂ ∈ (0, 1) for the symmetric toy (none for g).
 */
export type ToyKind = string;

export function toyValue(kind: ToyKind, p: number, u: number, v: number): number {
  return toyFor(kind).value(p, u, v);
}

/** ∇g = (uv − 1)(v, u); ∇g̃ adds μ_b(u² − v²)(u, −v) (4.3, 4.4); ∇f = 4(‖u‖²u − Σu). */
export function toyGradient(kind: ToyKind, p: number, u: number, v: number): Point {
  return toyFor(kind).gradient(p, u, v);
}

export function toyHessian(kind: ToyKind, p: number, u: number, v: number): Sym2 {
  return toyFor(kind).hessian(p, u, v);
}

/** Eigenvalues (ascending) and unit eigenvectors of a symmetric 2×2 matrix. */
export function eigSym2(H: Sym2): { values: Point; vectors: [Point, Point] } {
  const mean = (H.uu + H.vv) / 2, rad = hypot((H.uu - H.vv) / 2, H.uv);
  const values: Point = [mean - rad, mean + rad];
  const vec = (l: number): Point => {
    const a: Point = [H.uv, l - H.uu], b: Point = [l - H.vv, H.uv];
    const w = hypot(a[0], a[1]) >= hypot(b[0], b[1]) ? a : b, n = hypot(w[0], w[1]);
    return n > 0 ? [w[0] / n, w[1] / n] : l === values[0] ? [1, 0] : [0, 1];
  };
  return { values, vectors: [vec(values[0]), vec(values[1])] };
}

export interface CriticalPoint {
  u: number;
  v: number;
  type: CriticalType;
  value: number;
  hessian: Sym2;
  /** ascending */
  eigenvalues: Point;
}

function critical(kind: ToyKind, p: number, u: number, v: number, type: CriticalType): CriticalPoint {
  const hessian = toyHessian(kind, p, u, v);
  return { u, v, type, value: toyValue(kind, p, u, v), hessian, eigenvalues: eigSym2(hessian).values };
}

/**
 * The isolated critical points with their Hessians: for g and g̃ the strict saddle (0, 0) (eigenvalues
 * ±1), for g̃ with μ_b > 0 also the minima ±(1, 1) (eigenvalues 4μ_b and 2) — the minima of g are the
 * hyperbola uv = 1 (`hyperbolaPoint`, `hyperbolaBranches`); for the symmetric toy the origin (a local
 * maximum), the strict saddles ±√σ₂e₂ and the global minima ±e₁.
 */
export function criticalPoints(kind: ToyKind, p: number): CriticalPoint[] {
  return toyFor(kind).criticalPoints(p).map((c) => critical(kind, p, c.u, c.v, c.type));
}

/** The global minimum (t, 1/t) of g: eigenvalues 0 (along the hyperbola) and t² + t⁻². */
export function hyperbolaPoint(t: number): CriticalPoint {
  return critical('plain', 0, t, 1 / t, 'minimum');
}

/**
 * The stable manifold of the saddles, clipped to the box: the line u + v = 0 of g and g̃ (plain, balanced);
 * the axis u = 0 of the symmetric toy (GD from any point on it ends at a saddle ±√σ₂e₂); null when it misses the box.
 */
export function stableManifold(uRange: Point, vRange: Point = uRange, kind: ToyKind = 'plain'): [Point, Point] | null {
  return toyFor(kind).stableManifold(uRange, vRange);
}

/** Distance |u + v|/√2 of each point from the stable manifold (the coordinate s/√2 of SPEC 4.5–4.6). */
export function manifoldDistance(points: readonly Point[]): number[] {
  return points.map(([u, v]) => Math.abs(u + v) * Math.SQRT1_2);
}

/** One GD step z − η∇g(z). */
export function gdStep(kind: ToyKind, mub: number, eta: number, [u, v]: Point): Point {
  const [gu, gv] = toyGradient(kind, mub, u, v);
  return [u - eta * gu, v - eta * gv];
}

export type StopReason = 'converged to a minimum' | 'converged to the saddle' | 'converged to the maximum' | 'diverged' | 'max iterations';

export interface Trajectory {
  /** z₀ … z_K */
  points: Point[];
  /** g(z₀) … g(z_K) */
  losses: number[];
  stop: StopReason;
  /** K, the number of GD steps taken */
  iterations: number;
}

/** A converged point whose Hessian has an eigenvalue below −SADDLE_CURVATURE is the saddle. */
const SADDLE_CURVATURE = 0.1;

/** |u| or |v| beyond this counts as divergence. */
export const DIVERGENCE_BOUND = 1e6;

/**
 * Gradient descent from `start` until ‖∇g‖ ≤ tol (then classified by the Hessian's smallest eigenvalue:
 * clearly negative, −1 in fact, means the saddle), a coordinate leaves ±DIVERGENCE_BOUND or turns non-finite, or maxIter steps.
 */
export function gdTrajectory(kind: ToyKind, mub: number, eta: number, start: Point, maxIter = 5000, tol = 1e-8): Trajectory {
  let p: Point = [start[0], start[1]];
  const points: Point[] = [p], losses = [toyValue(kind, mub, ...p)];
  const done = (stop: StopReason): Trajectory => ({ points, losses, stop, iterations: points.length - 1 });
  for (let k = 0; ; k++) {
    if (!p.every((x) => Number.isFinite(x) && Math.abs(x) <= DIVERGENCE_BOUND)) return done('diverged');
    const [gu, gv] = toyGradient(kind, mub, ...p);
    if (hypot(gu, gv) <= tol) {
      // the saddle's smallest eigenvalue is −1; near the hyperbola it is ≈ 0 of either sign (g is flat along it)
      const [lo, hi] = eigSym2(toyHessian(kind, mub, ...p)).values;
      return done(hi < -SADDLE_CURVATURE ? 'converged to the maximum' : lo < -SADDLE_CURVATURE ? 'converged to the saddle' : 'converged to a minimum');
    }
    if (k === maxIter) return done('max iterations');
    p = [p[0] - eta * gu, p[1] - eta * gv];
    points.push(p);
    losses.push(toyValue(kind, mub, ...p));
  }
}

// ---------------------------------------------------------------------------------------------------
// Saddle escape (R2)

export const ESCAPE_DELTAS = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];

export interface LinearFit { slope: number; intercept: number; r2: number }

/** Least-squares line y ≈ slope·x + intercept, with the coefficient of determination R². */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = x.length, mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1 };
}

export interface EscapeRun {
  delta: number;
  start: Point;
  /** iterations k with ‖z_k‖ < ρ */
  nearSaddle: number;
  trajectory: Trajectory;
}

export interface EscapeStudy {
  kind: ToyKind;
  mub: number;
  eta: number;
  /** distance of the start from the saddle along the stable direction (1, −1)/√2 */
  d0: number;
  /** radius of the ball around the saddle in which iterations are counted */
  rho: number;
  runs: EscapeRun[];
  /** nearSaddle ≈ slope·ln(1/δ) + intercept, fitted over the runs */
  fit: LinearFit;
  /** the linearised prediction (below): slope 1/ln(1 + η) per unit of ln(1/δ) */
  theory: { slope: number; intercept: number };
  /** the start (d0/√2)(1, −1) exactly on the stable manifold: converges to the saddle */
  onManifold: Trajectory;
}

/**
 * Starts z₀ = (d0/√2)(1, −1) + (δ/√2)(1, 1), at distance δ from the stable manifold u + v = 0, and counts
 * the GD iterations spent in the ball ‖z‖ < ρ. We take ρ = d0 = 1: the start sits on the ball's edge, so
 * every δ ≤ 0.1 enters it at once and the count is the whole passage by the saddle (a smaller ρ, say 0.1,
 * is never entered by the δ = 0.1 run, which breaks the log law at its first point).
 *
 * Theory (SPEC 4.6): in the coordinates a = (u + v)/√2 (unstable, Hessian eigenvalue −1) and
 * b = (u − v)/√2 (stable, +1), near the saddle a_{k+1} ≈ (1 + η)a_k and b_{k+1} ≈ (1 − η)b_k, so the run
 * leaves the ball when δ(1 + η)^k ≈ ρ: nearSaddle ≈ ln(ρ/δ)/ln(1 + η) − ln(d0/ρ)/(−ln(1 − η)) (the
 * second term, the time to enter, is 0 for ρ = d0). Nonlinear terms (uv ≠ 0 near the ball's edge) shift
 * the count by a δ-independent amount, not the slope.
 */
export function saddleEscape(
  kind: ToyKind, mub: number, eta: number, deltas: readonly number[] = ESCAPE_DELTAS,
  opts: { d0?: number; rho?: number; maxIter?: number } = {},
): EscapeStudy {
  const d0 = opts.d0 ?? 1, rho = opts.rho ?? 1, maxIter = opts.maxIter ?? 20000;
  const s = Math.SQRT1_2;
  const runs = deltas.map((delta): EscapeRun => {
    const start: Point = [s * (d0 + delta), s * (delta - d0)];
    // tol far below the closest approach (≈ √(2δ·d0)), so no run stops at the saddle by mistake
    const trajectory = gdTrajectory(kind, mub, eta, start, maxIter, 1e-12);
    const nearSaddle = trajectory.points.filter(([u, v]) => hypot(u, v) < rho).length;
    return { delta, start, nearSaddle, trajectory };
  });
  const slope = 1 / log1p(eta);
  return {
    kind, mub, eta, d0, rho, runs,
    fit: linearFit(runs.map((r) => ln(1 / r.delta)), runs.map((r) => r.nearSaddle)),
    theory: { slope, intercept: ln(rho) * slope - ln(d0 / rho) / -log1p(-eta) },
    onManifold: gdTrajectory(kind, mub, eta, [s * d0, -s * d0], maxIter, 1e-10),
  };
}

// ---------------------------------------------------------------------------------------------------
// The distributed toy: J scalar nodes, node j holds a copy uʲ and a private vⱼ with fⱼ = (uʲvⱼ − yⱼ)².

export const TOY_TOPOLOGIES = ['ring', 'path', 'star', 'complete'] as const;

const point = z.tuple([finite, finite]);

export const DistributedToySchema = z.strictObject({
  J: z.number().int('J must be an integer').min(2, 'J must be at least 2').max(16, 'J must be at most 16'),
  /** yⱼ, one per node */
  y: z.array(finite),
  topology: z.enum(TOY_TOPOLOGIES),
  /** μ of DGD+LOCAL; fⱼ is un-halved, so μ = η/2 moves like GD on ½(uv − y)² with step η */
  stepsize: finite.pipe(z.number().positive('stepsize must be > 0').max(1, 'stepsize must be at most 1')),
  iterations: z.number().int().min(1).max(20000),
  /** nodes start at start + spread·N(0, I), drawn from `seed` */
  start: point,
  spread: finite.pipe(z.number().nonnegative()),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
}).refine((d) => d.y.length === d.J, { path: ['y'], message: 'needs one target yⱼ per node (J of them)' });
export type DistributedToy = z.infer<typeof DistributedToySchema>;

export const defaultDistributedToy: DistributedToy = {
  J: 8, y: Array(8).fill(1), topology: 'ring', stepsize: 0.05, iterations: 600, start: [1.5, -0.9], spread: 0.5, seed: 1,
};

/**
 * The distributed toy as an experiment document: the lab's factorization problem with n = r = 1, Y = yᵀ
 * (1×J) split one column per node, so DGD+LOCAL's Uʲ is uʲ and Vⱼ is vⱼ.
 */
export function distributedToyExperiment(d: DistributedToy): ExperimentInput {
  const rng = new Rng(childSeed(d.seed, 'toy'));
  const U = Array.from({ length: d.J }, () => d.start[0] + d.spread * rng.normal());
  const V = Array.from({ length: d.J }, () => d.start[1] + d.spread * rng.normal());
  return {
    format: 'lowrank-lab/experiment', version: 1,
    title: `distributed scalar toy, J = ${d.J}`,
    problem: { kind: 'factorization', rank: 1, Y: { shape: [1, d.J], data: [...d.y] }, partition: Array(d.J).fill(1) },
    network: { topology: d.topology, J: d.J, weights: 'metropolis', lazy: true },
    algorithm: { name: 'dgd-local', stepsize: d.stepsize, iterations: d.iterations },
    init: { U: { shape: [d.J, 1, 1], data: U }, V: { shape: [d.J, 1], data: V } },
  };
}

export interface DistributedToyRun {
  doc: ExperimentInput;
  /** node j's (uʲ_k, vⱼ_k), k = 0 … iterations */
  nodes: { u: number[]; v: number[] }[];
  /** Σⱼ (uʲ − ū)² per iteration */
  consensus: number[];
  /** Σⱼ fⱼ per iteration */
  objective: number[];
}

export function runDistributedToy(d: DistributedToy): DistributedToyRun {
  const doc = distributedToyExperiment(d);
  const inst = buildNodeInstance(parseExperiment(doc));
  const alg = makeAlgorithm(inst);
  const state = { X: Float64Array.from(inst.init.X), Y: Float64Array.from(inst.init.Y) };
  const nodes = Array.from({ length: d.J }, () => ({ u: [] as number[], v: [] as number[] }));
  const consensus: number[] = [], objective: number[] = [];
  for (let k = 0; k <= inst.iterations; k++) {
    nodes.forEach((n, j) => {
      n.u.push(state.X[j]);
      n.v.push(state.Y[j]);
    });
    consensus.push(alg.consensusError(state));
    objective.push(alg.objective(state));
    if (k < inst.iterations) alg.step(state);
  }
  return { doc, nodes, consensus, objective };
}

// ---------------------------------------------------------------------------------------------------
// The landscape grid (the GPU twin is src/gpu/landscape.ts)

export interface GridSpec {
  kind: ToyKind;
  mub: number;
  /** [first, last] grid coordinate along u and along v (both ends included) */
  u: Point;
  v: Point;
  /** grid points along u (columns) and along v (rows), each ≥ 2 */
  nu: number;
  nv: number;
  /** the floor ε of log10(g + ε) */
  eps: number;
}

export interface Grid {
  spec: GridSpec;
  /** g at (u_i, v_j), row-major [nv][nu] (row j = v_j, as plotly's z[y][x]) */
  value: Float32Array | Float64Array;
  /** log10(g + ε), same layout */
  log: Float32Array | Float64Array;
}

export const LANDSCAPE_EPS = 1e-3;

/** u_i = u0 + i·(u1 − u0)/(n − 1), i = 0 … n − 1 (the GPU kernel uses the same formula). */
export function gridCoords([a, b]: Point, n: number): Float64Array {
  const h = (b - a) / (n - 1);
  return Float64Array.from({ length: n }, (_, i) => a + i * h);
}

export function checkGridSpec(s: GridSpec): void {
  for (const [name, n] of [['nu', s.nu], ['nv', s.nv]] as const) {
    if (!Number.isInteger(n) || n < 2) throw new RangeError(`${name} must be an integer ≥ 2, got ${n}`);
  }
  if (![...s.u, ...s.v, s.mub, s.eps].every(Number.isFinite)) throw new RangeError('grid ranges, μ_b and ε must be finite');
  if (!(s.eps > 0)) throw new RangeError(`ε must be > 0, got ${s.eps}`);
}

export function evaluateGridCpu(spec: GridSpec): Grid {
  checkGridSpec(spec);
  const us = gridCoords(spec.u, spec.nu), vs = gridCoords(spec.v, spec.nv);
  const value = new Float64Array(spec.nu * spec.nv), log = new Float64Array(spec.nu * spec.nv);
  for (let j = 0; j < spec.nv; j++) {
    for (let i = 0; i < spec.nu; i++) {
      const g = toyValue(spec.kind, spec.mub, us[i], vs[j]);
      value[j * spec.nu + i] = g;
      log[j * spec.nu + i] = log10(g + spec.eps);
    }
  }
  return { spec, value, log };
}

/**
 * Arrows along −∇g on an n×n lattice of [lo, hi]² (directions only, all of length `len`), as one polyline
 * with null breaks: shaft, then a two-stroke head.
 */
export function gradientField(kind: ToyKind, mub: number, range: Point, n: number, len: number): { u: (number | null)[]; v: (number | null)[] } {
  const us = gridCoords([range[0] + (range[1] - range[0]) / (2 * n), range[1] - (range[1] - range[0]) / (2 * n)], n);
  const U: (number | null)[] = [], V: (number | null)[] = [];
  for (const v of us) {
    for (const u of us) {
      const [gu, gv] = toyGradient(kind, mub, u, v), m = hypot(gu, gv);
      if (!(m > 1e-12)) continue;
      const du = (-gu / m) * len, dv = (-gv / m) * len, tu = u + du / 2, tv = v + dv / 2;
      const h = 0.35; // head stroke length relative to the shaft, at ±30°
      const c = cos(Math.PI / 6) * h, s = sin(Math.PI / 6) * h;
      U.push(u - du / 2, tu, null, tu - c * du + s * dv, tu, tu - c * du - s * dv, null);
      V.push(v - dv / 2, tv, null, tv - c * dv - s * du, tv, tv - c * dv + s * du, null);
    }
  }
  return { u: U, v: V };
}

// ---------------------------------------------------------------------------------------------------
// The Landscape view's parameters: what the app's store and URL hold.

export const LANDSCAPE_VIEWS = ['heatmap', 'contour', 'surface'] as const;

const BaseParamsSchema = z.strictObject({
  /** the toy drawn (src/core/toys/registry.ts) */
  kind: z.enum(TOY_NAMES).default('plain'),
  /** GD step size η */
  eta: finite.pipe(z.number().positive('eta must be > 0').max(2, 'eta must be at most 2')).default(0.1),
  /** the square [lo, hi]² drawn */
  range: point.refine(([a, b]) => a < b, 'range must be [lo, hi] with lo < hi').default((): Point => [-2, 2]),
  /** grid points per axis */
  resolution: z.number().int().min(16).max(1024).default(161),
  /** GD starts, each one trajectory */
  starts: z.array(point).max(32, 'at most 32 starts').default(() => []),
  /** GD iterations at most per trajectory */
  maxIter: z.number().int().min(1).max(100000).default(3000),
  view: z.enum(LANDSCAPE_VIEWS).default('heatmap'),
  /** draw the −∇g direction field */
  showField: z.boolean().default(false),
  distributed: DistributedToySchema.nullable().default(null),
});

/**
 * The view's parameters: the fields above and each toy's parameter, a field of its own named by the toy
 * (`mub` of g̃, `sigma2` of the symmetric toy), kept when another toy is shown.
 */
export type LandscapeParams = z.infer<typeof BaseParamsSchema> & { readonly [toyParam: string]: unknown };

const TOY_FIELDS: Record<string, z.ZodType<number>> = Object.fromEntries(TOYS.flatMap((t) => (t.param ? [[t.param.field, t.param.schema]] : [])));

export const LandscapeParamsSchema = BaseParamsSchema.extend(TOY_FIELDS) as unknown as z.ZodType<LandscapeParams, unknown>;

export const defaultLandscapeParams: LandscapeParams = LandscapeParamsSchema.parse({});

/** Validate (and fill defaults of) a params object from the URL or the store; throws DocumentError. */
export function parseLandscapeParams(input: unknown): LandscapeParams {
  const r = LandscapeParamsSchema.safeParse(input);
  if (!r.success) throw firstIssue(r.error);
  return r.data;
}

/** The toy's parameter the functions above take: μ_b, or σ₂ for the symmetric toy; 0 for a toy without one. */
export function toyParam(p: LandscapeParams): number {
  const param = toyFor(p.kind).param;
  return param ? (p[param.field] as number) : 0;
}

/** The grid the view draws for `p`. */
export function landscapeGridSpec(p: LandscapeParams): GridSpec {
  return { kind: p.kind, mub: toyParam(p), u: p.range, v: p.range, nu: p.resolution, nv: p.resolution, eps: LANDSCAPE_EPS };
}
