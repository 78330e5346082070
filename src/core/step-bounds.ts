/**
 * Step-size bounds of SPEC §3 as plain functions: (3.2) μ < (1 − 2ω)/L for globally/locally Lipschitz
 * gradients, the matrix-factorization bounds (3.6)–(3.7) with the constants of both versions of the paper,
 * [A] (arXiv 2018) and [N] (NeurIPS 2019, the default), and the verdict of a step against a bound. A leaf:
 * the problem kinds build their theory panels from it, theory.ts assembles the report.
 */

export type Source = 'N' | 'A';

/** (3.7)'s constants: a = 20 + 128 + 32c, b = 2c, from the window-function constant c of (3.5). */
export const CONSTANTS: Record<Source, { a: number; b: number; c: number; label: string }> = {
  N: { a: 276 + 64 * Math.PI, b: 8 + 4 * Math.PI, c: 4 + 2 * Math.PI, label: 'Zhu et al., NeurIPS 2019 (Thm 3.2)' },
  A: { a: 212 + 64 * Math.PI, b: 4 + 4 * Math.PI, c: 2 + 2 * Math.PI, label: 'Zhu et al., arXiv 1811.03129 (Thm 9)' },
};

/** (3.2): μ < (1 − 2ω)/L. Non-positive when ω ≥ ½: then no fixed step is covered. */
export function omegaStepBound(omega: number, L: number): number {
  return (1 - 2 * omega) / L;
}

/** (3.6): bounds on |fⱼ|, ‖∇fⱼ‖, ‖∇²fⱼ‖₂ over B_{2ρ} for fⱼ = ‖UVⱼᵀ − Yⱼ‖², given ‖Yⱼ‖_F. */
export function ballConstants(normYj: number, rho: number): { L0: number; L1: number; L2: number } {
  const rho2 = rho * rho;
  return {
    L0: 32 * (rho2 * rho2) + 2 * (normYj * normYj),
    L1: 32 * (rho2 * rho) + 8 * rho * normYj,
    L2: 20 * rho2 + 2 * normYj,
  };
}

/** (3.7): μ < (1 − 2ω) / maxⱼ [a ρ² + 34‖Yⱼ‖_F + (b/ρ²)‖Yⱼ‖²_F]. */
export function rhoStepBound(omega: number, blockNorms: number[], rho: number, source: Source): number {
  const { a, b } = CONSTANTS[source];
  const rho2 = rho * rho;
  const worst = Math.max(...blockNorms.map((y) => a * rho2 + 34 * y + (b / rho2) * (y * y)));
  return (1 - 2 * omega) / worst;
}



export interface Verdict {
  name: string;
  source: string;
  bound: number;
  /** μ < bound (the conditions are strict) */
  ok: boolean;
  /** μ equals the bound up to rounding (the practical rule with c = 1 lands exactly on it): neither side */
  at?: boolean;
}

/** ok and at of a verdict for step μ. */
export function judge(v: Verdict, mu: number): void {
  v.at = v.bound > 0 && Math.abs(mu - v.bound) <= 1e-12 * v.bound;
  v.ok = v.bound > 0 && mu < v.bound && !v.at;
}
