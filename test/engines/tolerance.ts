/**
 * Tolerances for float32 engines against the float64 reference, from an error model (STYLE §8, gpuweb/cts):
 * after k iterations the f32 iterate differs from the f64 one by δz ≈ c·ε₃₂·(L + k)·‖z‖, where L is the
 * longest dot product of the iteration (rounding of one step) and k counts the steps whose rounding
 * errors accumulate. A metric that is a sum of squares q = ‖E‖² moves by at most 2‖E‖δE + δE², where δE
 * is the error of E, bounded by the same model applied to its inputs. c is a safety constant, not a fit:
 * the tests also check that a 0.1 % change of μ breaks the tolerance, so it is not vacuous.
 */
export const EPS32 = 2 ** -24;
export const C_MODEL = 8;

export interface Scale {
  /** longest dot product in one iteration: max(mⱼ, n) + r */
  L: number;
  /** iterations since the start */
  k: number;
  /** the reference value of the metric, and the size of what it is a norm of */
  q: number;
  size: number;
}

/** Bound on |q_f32 − q_f64| for q = ‖E‖², with ‖E‖ = √q and E built from entries of magnitude ~size. */
export function squaredNormTolerance({ L, k, q, size }: Scale): number {
  const dE = C_MODEL * EPS32 * (L + k) * size;
  return 2 * Math.sqrt(Math.max(q, 0)) * dE + dE * dE;
}

/** Bound on |x_f32 − x_f64| for a norm-like quantity x of entries of magnitude ~size. */
export function normTolerance({ L, k, size }: Omit<Scale, 'q'>): number {
  return C_MODEL * EPS32 * (L + k) * size;
}
