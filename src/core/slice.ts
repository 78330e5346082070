/**
 * Landscape slices of real problems: the objective being descended (g of 1.6; f for centralized GD) on
 * the plane z₀ + a·d₁ + b·d₂ through an iterate z₀, for three choices of (d₁, d₂):
 *
 *   random     two random directions, normalised per factor (each block Uʲ, Vⱼ scaled to the norm of the
 *              iterate's block, so a = 1 is a move as large as the factor itself)
 *   consensus  d₁ moves every copy Uʲ together (and the private blocks), d₂ is the disagreement xʲ − x̄
 *              (a random zero-mean one when the copies agree); needs J ≥ 2
 *   hessian    the two lowest eigenvectors of the Hessian (Lanczos): at a strict saddle, d₁ is the escape
 *              direction (SPEC §4.2 C-d)
 *
 * Every factorization objective is a polynomial of degree ≤ 4 in the factors, so on the plane it is an
 * exact bivariate quartic φ(a, b) = Σ_{p+q≤4} c_pq aᵖ b^q (15 coefficients; index p+q=d, q ↦ d(d+1)/2 + q).
 * Two routes compute them:
 *
 * - analytic (objectives with `planeQuartic`; the factorization ones use quartic.ts `factorQuartic`): with U = Σₛ cₛUₛ, V = Σₜ cₜVₜ (c₀ = 1, c₁ = a,
 *   c₂ = b), ‖UVᵀ − Y‖² = Σ cₛcₜcₛ′cₜ′⟨UₛᵀUₛ′, VₜᵀVₜ′⟩ − 2Σ cₛcₜ⟨Uₛ, YVₜ⟩ + ‖Y‖²: r×r Gram matrices and one
 *   pass over Y (Y·[V₀ V₁ V₂]). The penalty of (1.6) is an exact quadratic from inner products of the
 *   copies' differences. This is "a few passes over the data".
 * - stencil (any other objective): φ on a 5×5 tensor stencil {−1, −½, 0, ½, 1}²·s, fitted by least squares
 *   in the scaled variables (a/s, b/s) — exact for any polynomial of degree ≤ 4 and well conditioned; six
 *   points off the stencil check the fit, and an objective that is not such a polynomial there is reported,
 *   not drawn wrong (brute force, `sliceBruteForce`, remains for those).
 *
 * After that any grid costs 15 multiply-adds per point. `sliceBruteForce` evaluates g at every grid point
 * and stays as the check.
 */
import type { Instance } from './build';
import { curvatureAt } from './curvature';
import type { DgdLocal, State } from './dgd';
import { DocumentError } from './experiment';
import { Matrix, pseudoInverse } from 'ml-matrix';
import { hypot, powInt } from './fmath';
import { QUARTIC_TERMS, evaluateQuartic, qIndex } from './quartic';
import { Rng, childSeed } from './rng';

export { QUARTIC_TERMS, evaluateQuartic, qIndex };

export const PLANES = ['random', 'consensus', 'hessian'] as const;
export type PlaneKind = (typeof PLANES)[number];

export interface Plane {
  kind: PlaneKind;
  origin: State;
  d1: State;
  d2: State;
  /** axis names for people */
  labels: [string, string];
}

export interface SliceSpec {
  a: [number, number];
  b: [number, number];
  na: number;
  nb: number;
}

export interface Slice {
  spec: SliceSpec;
  /** φ at (aᵢ, bⱼ), row-major [nb][na] (row j is bⱼ, column i is aᵢ) */
  value: Float64Array;
  coefficients: Float64Array;
  method: 'analytic' | 'stencil';
}

export function gridAxis([lo, hi]: [number, number], n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
}

export function checkSliceSpec(s: SliceSpec): void {
  for (const [k, n] of [['na', s.na], ['nb', s.nb]] as const) {
    if (!Number.isInteger(n) || n < 2 || n > 4096) throw new RangeError(`${k} must be an integer in 2 … 4096, got ${n}`);
  }
  for (const k of ['a', 'b'] as const) {
    const [lo, hi] = s[k];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(hi > lo)) throw new RangeError(`range ${k} must be finite with low < high, got [${lo}, ${hi}]`);
  }
}

/** The grid of a quartic: 15 multiply-adds per point, no data. */
export function quarticGrid(c: ArrayLike<number>, spec: SliceSpec): Float64Array {
  checkSliceSpec(spec);
  const A = gridAxis(spec.a, spec.na), B = gridAxis(spec.b, spec.nb);
  const out = new Float64Array(spec.na * spec.nb);
  // per row b: collapse to a univariate quartic in a, then Horner
  const e = new Float64Array(5);
  for (let j = 0; j < spec.nb; j++) {
    const b = B[j];
    for (let p = 0; p <= 4; p++) {
      let inner = 0;
      for (let q = 4 - p; q >= 0; q--) inner = inner * b + c[qIndex(p, q)];
      e[p] = inner;
    }
    const row = j * spec.na;
    for (let i = 0; i < spec.na; i++) {
      const a = A[i];
      out[row + i] = (((e[4] * a + e[3]) * a + e[2]) * a + e[1]) * a + e[0];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Planes

function zerosLike(z: State): State {
  return { X: new Float64Array(z.X.length), Y: new Float64Array(z.Y.length) };
}

function nrm(v: Float64Array, from = 0, to = v.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** Blocks [start, end) of X and Y that count as one factor each (per node: Uʲ, V⁽ʲ⁾ or Vⱼ, or xʲ). */
function factorBlocks(inst: Instance, alg: DgdLocal): { key: 'X' | 'Y'; from: number; to: number; rows: number }[] {
  const p = inst.problem;
  const { J, sharedLen: s } = alg.obj;
  const out: { key: 'X' | 'Y'; from: number; to: number; rows: number }[] = [];
  for (let j = 0; j < J; j++) {
    if (p.kind === 'factorization' && inst.experiment.algorithm.name === 'dgd') {
      const nr = p.n * p.r;
      out.push({ key: 'X', from: j * s, to: j * s + nr, rows: p.n }, { key: 'X', from: j * s + nr, to: (j + 1) * s, rows: p.m });
    } else out.push({ key: 'X', from: j * s, to: (j + 1) * s, rows: p.kind === 'factorization' ? p.n : s });
    const len = alg.obj.localLen[j];
    if (len) out.push({ key: 'Y', from: alg.yOffsets[j], to: alg.yOffsets[j] + len, rows: p.kind === 'factorization' ? len / p.r : len });
  }
  return out;
}

/** Scales every factor block of d to the norm of the same block of z (a fallback size where z's block is 0). */
function normalisePerFactor(inst: Instance, alg: DgdLocal, z: State, d: State): void {
  const p = inst.problem;
  const total = normOf(z);
  for (const blk of factorBlocks(inst, alg)) {
    const zn = nrm(z[blk.key], blk.from, blk.to), dn = nrm(d[blk.key], blk.from, blk.to);
    if (dn === 0) continue;
    // at the origin: the size of a balanced factor of the best rank-r fit, ‖U‖² ≈ rσ₁/2, shared by rows
    // (σ₁ is computed only then: on a large Y it costs far more than the slice)
    const fallback = () => (p.kind === 'factorization' ? Math.sqrt((p.r * p.sigma1 * blk.rows) / (2 * Math.max(p.n, p.m))) : 1);
    const target = zn > 1e-12 * total ? zn : fallback();
    for (let i = blk.from; i < blk.to; i++) d[blk.key][i] *= target / dn;
  }
}

function normOf(z: State): number {
  return hypot(nrm(z.X), nrm(z.Y));
}

export function slicePlane(inst: Instance, alg: DgdLocal, z: State, kind: PlaneKind, seed = 0): Plane {
  const origin = { X: z.X.slice(), Y: z.Y.slice() };
  const rng = new Rng(childSeed(seed, `slice-${kind}`));
  const { J, sharedLen: s } = alg.obj;
  if (kind === 'random') {
    const d1 = { X: rng.normals(z.X.length), Y: rng.normals(z.Y.length) };
    const d2 = { X: rng.normals(z.X.length), Y: rng.normals(z.Y.length) };
    normalisePerFactor(inst, alg, z, d1);
    normalisePerFactor(inst, alg, z, d2);
    return { kind, origin, d1, d2, labels: ['random direction 1', 'random direction 2'] };
  }
  if (kind === 'consensus') {
    if (J < 2) throw new DocumentError('plane', 'the consensus plane needs a distributed run (J ≥ 2 nodes); use "random" or "hessian"');
    const shared = rng.normals(s);
    const d1 = { X: new Float64Array(z.X.length), Y: rng.normals(z.Y.length) };
    for (let j = 0; j < J; j++) d1.X.set(shared, j * s);
    normalisePerFactor(inst, alg, { X: averaged(z.X, J, s), Y: z.Y }, d1);
    const d2 = zerosLike(z);
    const avg = averaged(z.X, J, s);
    for (let i = 0; i < z.X.length; i++) d2.X[i] = z.X[i] - avg[i];
    if (nrm(d2.X) <= 1e-9 * Math.max(nrm(avg), Number.MIN_VALUE)) {
      const r = rng.normals(z.X.length);
      const m = averaged(r, J, s);
      for (let i = 0; i < r.length; i++) d2.X[i] = r[i] - m[i];
    }
    const k = normOf(d1) / nrm(d2.X);
    for (let i = 0; i < d2.X.length; i++) d2.X[i] *= k;
    return { kind, origin, d1, d2, labels: ['consensus (every copy together)', 'disagreement (xʲ − x̄)'] };
  }
  if (!alg.hasHessian) throw new DocumentError('plane', 'the Hessian plane needs curvature, and this objective has no Hessian–vector product');
  const c = curvatureAt(alg, z, { maxIter: 150, tol: 1e-9, vectors: 2, seed });
  const N = z.X.length + z.Y.length;
  let size = normOf(z);
  if (!(size > 0)) size = inst.problem.kind === 'factorization' ? Math.sqrt(inst.problem.r * inst.problem.sigma1) : 1;
  const asState = (v: Float64Array): State => {
    const w = v.map((x) => x * size);
    return { X: w.subarray(0, z.X.length), Y: w.subarray(z.X.length, N) };
  };
  return {
    kind, origin, d1: asState(c.vectors[0]), d2: asState(c.vectors[1] ?? c.vectors[0]),
    labels: [`eigenvector of λ₁ = ${c.values[0].toPrecision(3)}`, `eigenvector of λ₂ = ${(c.values[1] ?? NaN).toPrecision(3)}`],
  };
}

function averaged(X: Float64Array, J: number, s: number): Float64Array {
  const avg = new Float64Array(s);
  for (let j = 0; j < J; j++) for (let k = 0; k < s; k++) avg[k] += X[j * s + k] / J;
  const out = new Float64Array(X.length);
  for (let j = 0; j < J; j++) out.set(avg, j * s);
  return out;
}

/** (a, b) of the orthogonal projection of z − z₀ onto span(d₁, d₂). */
export function projectOnPlane(plane: Plane, z: State): [number, number] {
  const { origin: o, d1, d2 } = plane;
  let g11 = 0, g12 = 0, g22 = 0, r1 = 0, r2 = 0;
  for (const key of ['X', 'Y'] as const) {
    const a = d1[key], b = d2[key], zz = z[key], oo = o[key];
    for (let i = 0; i < a.length; i++) {
      const w = zz[i] - oo[i];
      g11 += a[i] * a[i]; g12 += a[i] * b[i]; g22 += b[i] * b[i];
      r1 += a[i] * w; r2 += b[i] * w;
    }
  }
  const det = g11 * g22 - g12 * g12;
  return [(g22 * r1 - g12 * r2) / det, (g11 * r2 - g12 * r1) / det];
}

// ---------------------------------------------------------------------------------------------------
// Coefficients

/** φ(a, b) = g(z₀ + a d₁ + b d₂), evaluated directly. */
export function planeValue(alg: DgdLocal, plane: Plane, a: number, b: number, buf?: State): number {
  const w = buf ?? zerosLike(plane.origin);
  for (const key of ['X', 'Y'] as const) {
    const o = plane.origin[key], x = plane.d1[key], y = plane.d2[key], out = w[key];
    for (let i = 0; i < o.length; i++) out[i] = o[i] + a * x[i] + b * y[i];
  }
  return alg.distributedObjective(w);
}

const STENCIL = [-1, -0.5, 0, 0.5, 1];
let stencilPinv: Matrix | null = null;
function stencilPseudoInverse(): Matrix {
  if (stencilPinv) return stencilPinv;
  const rows: number[][] = [];
  for (const b of STENCIL) for (const a of STENCIL) rows.push(QUARTIC_TERMS.map(([p, q]) => powInt(a, p) * powInt(b, q)));
  return (stencilPinv = pseudoInverse(new Matrix(rows)));
}

/** Coefficients from 25 evaluations on the scaled stencil (any objective of degree ≤ 4 in z). */
export function stencilQuartic(phi: (a: number, b: number) => number, scale: number): { c: Float64Array; check: number } {
  const vals: number[] = [];
  for (const b of STENCIL) for (const a of STENCIL) vals.push(phi(a * scale, b * scale));
  const P = stencilPseudoInverse();
  const c = new Float64Array(15);
  for (let k = 0; k < 15; k++) {
    let s = 0;
    for (let t = 0; t < vals.length; t++) s += P.get(k, t) * vals[t];
    const [p, q] = QUARTIC_TERMS[k];
    c[k] = s / powInt(scale, p + q);
  }
  // points off the stencil: a polynomial of degree ≤ 4 is reproduced to rounding; a piecewise or
  // non-polynomial objective (robust PCA, an active incoherence term) shows up as a mismatch
  const probes: [number, number][] = [[0.3, -0.7], [-0.85, 0.15], [0.65, 0.9], [-0.2, -0.35], [0.95, -0.95], [-0.6, 0.7]];
  let check = 0;
  const mag = Math.max(...vals.map(Math.abs), Number.MIN_VALUE);
  for (const [pa, pb] of probes) {
    const ref = phi(pa * scale, pb * scale), fit = evaluateQuartic(c, pa * scale, pb * scale);
    check = Math.max(check, Math.abs(ref - fit) / Math.max(mag, Math.abs(ref)));
  }
  return { c, check };
}

/** The penalty Σⱼ Σᵢ wⱼᵢ‖xʲ − xⁱ‖² on the plane (exact quadratic), accumulated into `c`. */
function penaltyQuadratic(alg: DgdLocal, plane: Plane, c: Float64Array): void {
  const { J, sharedLen: s } = alg.obj;
  for (let j = 0; j < J; j++) {
    for (const { i, w } of alg.neighbours[j]) {
      if (i === j) continue;
      const wji = w / (4 * alg.mu);
      let d00 = 0, d01 = 0, d02 = 0, d11 = 0, d12 = 0, d22 = 0;
      for (let k = 0; k < s; k++) {
        const e0 = plane.origin.X[j * s + k] - plane.origin.X[i * s + k];
        const e1 = plane.d1.X[j * s + k] - plane.d1.X[i * s + k];
        const e2 = plane.d2.X[j * s + k] - plane.d2.X[i * s + k];
        d00 += e0 * e0; d01 += e0 * e1; d02 += e0 * e2; d11 += e1 * e1; d12 += e1 * e2; d22 += e2 * e2;
      }
      c[qIndex(0, 0)] += wji * d00;
      c[qIndex(1, 0)] += 2 * wji * d01;
      c[qIndex(0, 1)] += 2 * wji * d02;
      c[qIndex(2, 0)] += wji * d11;
      c[qIndex(1, 1)] += 2 * wji * d12;
      c[qIndex(0, 2)] += wji * d22;
    }
  }
}

/** The 15 coefficients of φ on the plane: analytic for factorization problems, the stencil otherwise. */
export function quarticCoefficients(alg: DgdLocal, plane: Plane, scale = 1): { c: Float64Array; method: 'analytic' | 'stencil' } {
  const obj = alg.obj;
  if (obj.planeQuartic) {
    const c = new Float64Array(15);
    const { J, sharedLen: s } = obj;
    const x = (st: State, j: number) => st.X.subarray(j * s, (j + 1) * s);
    const y = (st: State, j: number) => st.Y.subarray(alg.yOffsets[j], alg.yOffsets[j] + obj.localLen[j]);
    for (let j = 0; j < J; j++) {
      obj.planeQuartic(j, [x(plane.origin, j), x(plane.d1, j), x(plane.d2, j)], [y(plane.origin, j), y(plane.d1, j), y(plane.d2, j)], c);
    }
    penaltyQuadratic(alg, plane, c);
    return { c, method: 'analytic' };
  }
  const buf = zerosLike(plane.origin);
  const { c, check } = stencilQuartic((a, b) => planeValue(alg, plane, a, b, buf), scale);
  if (!(check <= 1e-8)) throw new RangeError(`this objective is not a polynomial of degree ≤ 4 on the plane (stencil check ${check.toExponential(2)}); use the brute-force slice`);
  return { c, method: 'stencil' };
}

export function computeSlice(alg: DgdLocal, plane: Plane, spec: SliceSpec): Slice {
  checkSliceSpec(spec);
  const scale = Math.max(Math.abs(spec.a[0]), Math.abs(spec.a[1]), Math.abs(spec.b[0]), Math.abs(spec.b[1]));
  const { c, method } = quarticCoefficients(alg, plane, scale);
  return { spec, value: quarticGrid(c, spec), coefficients: c, method };
}

/** The check: g at every grid point, one full evaluation each. */
export function sliceBruteForce(alg: DgdLocal, plane: Plane, spec: SliceSpec): Float64Array {
  checkSliceSpec(spec);
  const A = gridAxis(spec.a, spec.na), B = gridAxis(spec.b, spec.nb);
  const out = new Float64Array(spec.na * spec.nb);
  const buf = zerosLike(plane.origin);
  for (let j = 0; j < spec.nb; j++) for (let i = 0; i < spec.na; i++) out[j * spec.na + i] = planeValue(alg, plane, A[i], B[j], buf);
  return out;
}
