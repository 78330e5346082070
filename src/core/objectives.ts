/**
 * Node objectives fⱼ(xʲ, yⱼ) of the template (1.5): x is shared (each node keeps a copy xʲ), yⱼ is private.
 * Every algorithm of the lab is DGD+LOCAL (1.9) on one of these forms:
 *
 * | algorithm        | form                       | shared xʲ            | private yⱼ |
 * |------------------|----------------------------|----------------------|------------|
 * | DGD+LOCAL        | `factorizationLocal`       | vec Uʲ               | vec Vⱼ     |
 * | classical DGD    | `factorizationAllShared`   | (vec Uʲ, vec V⁽ʲ⁾)   | —          |
 * | centralized GD   | `factorizationLocal` J = 1 | vec U                | vec V      |
 * | DGD, least sq.   | `leastSquares`             | xʲ                   | —          |
 *
 * With no private block, (1.9) is classical DGD (1.12); with J = 1 and W̃ = [1] it is plain gradient descent.
 * Factorization objectives are un-halved, fⱼ = ‖UVⱼᵀ − Yⱼ‖²_F (SPEC §1.1), so gradients carry a 2, plus the
 * optional node-local balancing term (λ/4)‖UʲᵀUʲ − VⱼᵀVⱼ‖² (SPEC §5.4; λ = 0 by default);
 * least squares is fⱼ = ½‖Aⱼx − bⱼ‖² (SPEC §1.5).
 */
import type { Mat } from './linalg';
import { balancingTerm } from './balancing';
import { type FactorTerm, KernelMats, type Products, gramFactorTerm } from './kernels';
import { factorQuartic } from './quartic';
import type { FactorizationProblem, LeastSquaresProblem } from './problem';

export interface NodeObjective {
  readonly J: number;
  /** length of the shared variable xʲ (same on every node) */
  readonly sharedLen: number;
  /** length of the private variable yⱼ of each node (0 when there is none) */
  readonly localLen: readonly number[];
  /**
   * fⱼ(x, y). When gx / gy are given, the gradients ∇ₓfⱼ and ∇ᵧfⱼ are written into them (overwriting).
   */
  evaluate(j: number, x: Float64Array, y: Float64Array, gx?: Float64Array, gy?: Float64Array): number;
  /**
   * The Hessian–vector product ∇²fⱼ(x, y)[(dx, dy)], written into (outx, outy) (overwriting); analytic.
   * Optional: without it the lab reports curvature (λ_min, Lanczos) as unavailable for the objective.
   */
  hessianVector?(j: number, x: Float64Array, y: Float64Array, dx: Float64Array, dy: Float64Array, outx: Float64Array, outy: Float64Array): void;
  /**
   * Optional, for landscape slices: adds to `c` the 15 coefficients of the quartic fⱼ(x₀ + a x₁ + b x₂,
   * y₀ + a y₁ + b y₂) (index order of quartic.ts). Without it slices fit the quartic from evaluations.
   */
  planeQuartic?(j: number, x: Plane3, y: Plane3, c: Float64Array): void;
  /**
   * Optional: the same objective with its gradients computed on the WebAssembly products (kernels.ts) — equal up
   * to rounding, bounded by test. Without it the CPU engine runs the objective as it is.
   */
  withProducts?(products: Products): NodeObjective;
  /**
   * Set by DGD+LOCAL's split of the factorization (one column block per node, fⱼ = ‖UVⱼᵀ − Yⱼ‖² + balancing):
   * the problem, so the CPU engine can run its nodes on several threads (factor-threads.ts).
   */
  readonly localFactor?: FactorizationProblem;
}

/** (origin, direction 1, direction 2) of one variable on a slice plane. */
export type Plane3 = [Float64Array, Float64Array, Float64Array];

/**
 * ∇²‖UVᵀ − Y‖²[(dU, dV)] = (2(D V + E dV), 2(Dᵀ U + Eᵀ dU)) with E = UVᵀ − Y and D = dU Vᵀ + U dVᵀ: the
 * derivative of the gradients 2EV, 2EᵀU of (1.2) along (dU, dV). One pass over Y; E and D entry by entry.
 */
function factorHessianVector(
  n: number, mj: number, r: number,
  U: Float64Array, V: Float64Array, Y: Mat, dU: Float64Array, dV: Float64Array, oU: Float64Array, oV: Float64Array,
): void {
  oU.fill(0);
  oV.fill(0);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < mj; c++) {
      let e = -Y.data[i * mj + c], d = 0;
      for (let k = 0; k < r; k++) {
        e += U[i * r + k] * V[c * r + k];
        d += dU[i * r + k] * V[c * r + k] + U[i * r + k] * dV[c * r + k];
      }
      for (let k = 0; k < r; k++) {
        oU[i * r + k] += 2 * (d * V[c * r + k] + e * dV[c * r + k]);
        oV[c * r + k] += 2 * (d * U[i * r + k] + e * dU[i * r + k]);
      }
    }
  }
}

/** ‖UVᵀ − Y‖² and its gradients 2EV, 2EᵀU with E = UVᵀ − Y, written into gU / gV when given. */
const factorTerm: FactorTerm = function factorTerm(
  n: number, mj: number, r: number,
  U: Float64Array, V: Float64Array, Y: Mat,
  gU?: Float64Array, gV?: Float64Array,
): number {
  if (gU) gU.fill(0);
  if (gV) gV.fill(0);
  let val = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < mj; c++) {
      let e = -Y.data[i * mj + c];
      for (let k = 0; k < r; k++) e += U[i * r + k] * V[c * r + k];
      val += e * e;
      if (gU) for (let k = 0; k < r; k++) gU[i * r + k] += 2 * e * V[c * r + k];
      if (gV) for (let k = 0; k < r; k++) gV[c * r + k] += 2 * e * U[i * r + k];
    }
  }
  return val;
};

/**
 * Adds ∇²b[(dU, dV)] of the balancing term b = (λ/4)‖UᵀU − VᵀV‖² (∇b = (λUD, −λVD), D = UᵀU − VᵀV):
 * (λ(dU D + U dD), −λ(dV D + V dD)) with dD = dUᵀU + UᵀdU − dVᵀV − VᵀdV.
 */
function balancingHessianVector(
  lambda: number, n: number, mj: number, r: number,
  U: Float64Array, V: Float64Array, dU: Float64Array, dV: Float64Array, oU: Float64Array, oV: Float64Array,
): void {
  if (lambda === 0) return;
  const D = new Float64Array(r * r), dD = new Float64Array(r * r);
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      let d = 0, e = 0;
      for (let i = 0; i < n; i++) {
        d += U[i * r + a] * U[i * r + b];
        e += dU[i * r + a] * U[i * r + b] + U[i * r + a] * dU[i * r + b];
      }
      for (let i = 0; i < mj; i++) {
        d -= V[i * r + a] * V[i * r + b];
        e -= dV[i * r + a] * V[i * r + b] + V[i * r + a] * dV[i * r + b];
      }
      D[a * r + b] = d;
      dD[a * r + b] = e;
    }
  }
  const add = (s: number, X: Float64Array, dX: Float64Array, rows: number, out: Float64Array) => {
    for (let i = 0; i < rows; i++) {
      for (let c = 0; c < r; c++) {
        let t = 0;
        for (let a = 0; a < r; a++) t += dX[i * r + a] * D[a * r + c] + X[i * r + a] * dD[a * r + c];
        out[i * r + c] += s * t;
      }
    }
  };
  add(lambda, U, dU, n, oU);
  add(-lambda, V, dV, mj, oV);
}

/** DGD+LOCAL's split (1.4): node j holds Uʲ (shared) and Vⱼ (private). */
export function factorizationLocal(p: FactorizationProblem, term = factorTerm): NodeObjective {
  const { n, r } = p;
  return {
    J: p.partition.length,
    sharedLen: n * r,
    localLen: p.partition.map((mj) => mj * r),
    evaluate: (j, x, y, gx, gy) => term(n, p.partition[j], r, x, y, p.blocks[j], gx, gy)
      + balancingTerm(p.lambda, n, p.partition[j], r, x, y, gx, gy),
    withProducts: (k) => factorizationLocal(p, gramFactorTerm(k, factorTerm)),
    localFactor: p,
    hessianVector: (j, x, y, dx, dy, ox, oy) => {
      factorHessianVector(n, p.partition[j], r, x, y, p.blocks[j], dx, dy, ox, oy);
      balancingHessianVector(p.lambda, n, p.partition[j], r, x, y, dx, dy, ox, oy);
    },
    planeQuartic: (j, x, y, c) => factorQuartic(n, p.partition[j], r, p.blocks[j].data, x, y, c, p.lambda),
  };
}

/**
 * Classical DGD applied to (1.4) (SPEC §1.5): node j holds copies of U and of the whole V ∈ ℝᵐˣʳ;
 * fⱼ = ‖U(SⱼV)ᵀ − Yⱼ‖² reads only block j's rows of V, so its V-gradient lives in those rows.
 * Shared layout: [vec U (n·r) | vec V (m·r)].
 */
export function factorizationAllShared(p: FactorizationProblem, term = factorTerm): NodeObjective {
  const { n, m, r } = p;
  const nr = n * r;
  return {
    J: p.partition.length,
    sharedLen: nr + m * r,
    localLen: p.partition.map(() => 0),
    evaluate: (j, x, _y, gx) => {
      const mj = p.partition[j];
      const v0 = nr + p.offsets[j] * r;
      if (gx) gx.fill(0);
      const U = x.subarray(0, nr), V = x.subarray(v0, v0 + mj * r);
      const gU = gx?.subarray(0, nr), gV = gx?.subarray(v0, v0 + mj * r);
      return term(n, mj, r, U, V, p.blocks[j], gU, gV) + balancingTerm(p.lambda, n, mj, r, U, V, gU, gV);
    },
    withProducts: (k) => factorizationAllShared(p, gramFactorTerm(k, factorTerm)),
    hessianVector: (j, x, _y, dx, _dy, ox) => {
      const mj = p.partition[j];
      const v0 = nr + p.offsets[j] * r, v1 = v0 + mj * r;
      ox.fill(0);
      const U = x.subarray(0, nr), V = x.subarray(v0, v1), dU = dx.subarray(0, nr), dV = dx.subarray(v0, v1);
      const oU = ox.subarray(0, nr), oV = ox.subarray(v0, v1);
      factorHessianVector(n, mj, r, U, V, p.blocks[j], dU, dV, oU, oV);
      balancingHessianVector(p.lambda, n, mj, r, U, V, dU, dV, oU, oV);
    },
    planeQuartic: (j, x, _y, c) => {
      const v0 = nr + p.offsets[j] * r, v1 = v0 + p.partition[j] * r;
      const U = x.map((t) => t.subarray(0, nr)) as Plane3, V = x.map((t) => t.subarray(v0, v1)) as Plane3;
      factorQuartic(n, p.partition[j], r, p.blocks[j].data, U, V, c, p.lambda);
    },
  };
}

/** The centralized problem (1.1) as a single node holding U and all of V. */
export function factorizationCentral(p: FactorizationProblem, term = factorTerm): NodeObjective {
  const { n, m, r } = p;
  return {
    J: 1,
    sharedLen: n * r,
    localLen: [m * r],
    evaluate: (_j, x, y, gx, gy) => term(n, m, r, x, y, p.Y, gx, gy) + balancingTerm(p.lambda, n, m, r, x, y, gx, gy),
    withProducts: (k) => factorizationCentral(p, gramFactorTerm(k, factorTerm)),
    hessianVector: (_j, x, y, dx, dy, ox, oy) => {
      factorHessianVector(n, m, r, x, y, p.Y, dx, dy, ox, oy);
      balancingHessianVector(p.lambda, n, m, r, x, y, dx, dy, ox, oy);
    },
    planeQuartic: (_j, x, y, c) => factorQuartic(n, m, r, p.Y.data, x, y, c, p.lambda),
  };
}

/**
 * One node's ½‖Ax − b‖², its gradient Aᵀ(Ax − b) added into gx when given: the plain loop, or (leastSquaresOn)
 * the same sums on the WebAssembly kernels — residuals from −bᵢ over the row, Aᵀs from gx's entry over the rows
 * (gemmAcc): the same bits.
 */
type LsTerm = (A: Mat, b: Float64Array, x: Float64Array, gx?: Float64Array) => number;

function lsTermPlain(d: number): LsTerm {
  return (A, b, x, gx) => {
    let val = 0;
    for (let i = 0; i < A.rows; i++) {
      let s = -b[i];
      for (let k = 0; k < d; k++) s += A.data[i * d + k] * x[k];
      val += 0.5 * s * s;
      if (gx) for (let k = 0; k < d; k++) gx[k] += s * A.data[i * d + k];
    }
    return val;
  };
}

function lsTermOn(k: Products, d: number): LsTerm {
  const m = new KernelMats(k);
  return (A, b, x, gx) => {
    const s = m.residual(A, b, x.subarray(0, d));
    let val = 0;
    for (let i = 0; i < s.length; i++) val += 0.5 * s[i] * s[i];
    if (gx) m.adjoint(A, gx, true); // gx + Aᵀs, over the rows in order
    return val;
  };
}

/** fⱼ(x) = ½‖Aⱼx − bⱼ‖², ∇fⱼ = Aⱼᵀ(Aⱼx − bⱼ). `central` merges all nodes into one. */
export function leastSquares(p: LeastSquaresProblem, central = false, term: LsTerm = lsTermPlain(p.d)): NodeObjective {
  const { d } = p;
  return {
    J: central ? 1 : p.J,
    sharedLen: d,
    localLen: central ? [0] : p.A.map(() => 0),
    evaluate: (j, x, _y, gx) => {
      if (gx) gx.fill(0);
      if (!central) return term(p.A[j], p.b[j], x, gx);
      let val = 0;
      for (let i = 0; i < p.J; i++) val += term(p.A[i], p.b[i], x, gx);
      return val;
    },
    withProducts: (k) => leastSquares(p, central, lsTermOn(k, d)),
    // ∇²fⱼ = AⱼᵀAⱼ: outx = Aⱼᵀ(Aⱼ dx)
    hessianVector: (j, _x, _y, dx, _dy, ox) => {
      ox.fill(0);
      for (const A of central ? p.A : [p.A[j]]) {
        for (let i = 0; i < A.rows; i++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += A.data[i * d + k] * dx[k];
          for (let k = 0; k < d; k++) ox[k] += s * A.data[i * d + k];
        }
      }
    },
  };
}
