/**
 * Step-size theory of SPEC §3: the bound (3.2) μ < (1 − 2ω)/L for globally/locally Lipschitz gradients,
 * and the matrix-factorization bound (3.7) with the constants of both versions of the paper, [A]
 * (arXiv 2018) and [N] (NeurIPS 2019, the default). Every figure carries its source so the UI and the
 * CLI can label it.
 */
import { type Instance, practicalLipschitz } from './build';
import type { State } from './dgd';
import { sin } from './fmath';
import { norm2 } from './linalg';

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

/**
 * Largest |eigenvalue| of ∇²fⱼ at (xʲ, yⱼ), maximised over nodes: the local Lipschitz constant of the
 * node gradients at this iterate. Power iteration on Hessian–vector products taken as central
 * differences of the analytic gradient (exact up to O(h²) for these polynomial objectives).
 */
export function localLipschitz(inst: Instance, z: State, iterations = 60, maxNodes = Infinity): number {
  const obj = inst.objective;
  const s = obj.sharedLen;
  let best = 0;
  let yOff = 0;
  for (let j = 0; j < Math.min(obj.J, maxNodes); j++) {
    const ly = obj.localLen[j];
    const x = z.X.slice(j * s, (j + 1) * s);
    const y = z.Y.slice(yOff, yOff + ly);
    yOff += ly;
    const dim = s + ly;
    let v = new Float64Array(dim).map((_, i) => sin(1 + i * 0.7) + 0.1); // deterministic start
    let lambda = 0;
    const gx = new Float64Array(s), gy = new Float64Array(ly);
    const grad = (xx: Float64Array, yy: Float64Array) => {
      obj.evaluate(j, xx, yy, gx, gy);
      return Float64Array.from([...gx, ...gy]);
    };
    const scaleZ = Math.sqrt(norm2(x) + norm2(y)) + 1;
    for (let it = 0; it < iterations; it++) {
      const nv = Math.sqrt(norm2(v));
      if (nv === 0) break;
      v = v.map((t) => t / nv);
      const h = 1e-5 * scaleZ;
      const xp = x.map((t, i) => t + h * v[i]), yp = y.map((t, i) => t + h * v[s + i]);
      const xm = x.map((t, i) => t - h * v[i]), ym = y.map((t, i) => t - h * v[s + i]);
      const gp = grad(xp, yp), gm = grad(xm, ym);
      const Hv = gp.map((t, i) => (t - gm[i]) / (2 * h));
      lambda = Math.sqrt(norm2(Hv));
      v = Hv;
    }
    best = Math.max(best, lambda);
  }
  return best;
}

const SAMPLE_NODES = 8;

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
function judge(v: Verdict, mu: number): void {
  v.at = v.bound > 0 && Math.abs(mu - v.bound) <= 1e-12 * v.bound;
  v.ok = v.bound > 0 && mu < v.bound && !v.at;
}

export interface TheoryReport {
  omega: number;
  oneMinus2Omega: number;
  rho: number;
  /** L̂ = 6σ₁(Y) (SPEC §3.4) */
  practicalL: number;
  /** measured at the initial iterate (power iteration) */
  localL: number;
  /** L₂ of (3.6) on B_{2ρ}: maxⱼ 20ρ² + 2‖Yⱼ‖_F */
  ballL: number;
  verdicts: Verdict[];
}

/**
 * Every bound against the run's μ. ρ defaults to 1.05·max(‖z⁰‖, √((J+1)‖Y‖_*)): the start and a balanced
 * solution, whose squared norm is (J+1)‖Y‖_* (SPEC §3.4), must both lie in B_ρ.
 */
export function theoryReport(inst: Instance, rho?: number): TheoryReport {
  const p = inst.problem;
  const mu = inst.stepsize;
  const omega = inst.omega;
  // measuring every node of a large problem would take seconds: then the first SAMPLE_NODES only
  const work = inst.init.X.length * (inst.problem.kind !== 'least-squares' ? Math.max(...inst.problem.partition) : 1);
  const sampled = work > 5e6 && inst.objective.J > SAMPLE_NODES;
  const localL = localLipschitz(inst, inst.init, sampled ? 30 : 60, sampled ? SAMPLE_NODES : Infinity);
  const atStart = sampled ? `(3.2) with L measured at the start (${SAMPLE_NODES} of ${inst.objective.J} nodes)` : '(3.2) with L measured at the start';
  if (p.kind === 'sensing' || p.kind === 'completion' || p.kind === 'rpca') {
    const L = practicalLipschitz(p);
    const what = p.kind === 'sensing' ? `3${p.normalized ? '' : 'p'}σ₁(X⋆)` : p.kind === 'completion' ? '3σ₁(P_Ω(M)/p)' : '3σ₁(Mₒ)';
    const verdicts: Verdict[] = [
      { name: `(3.2) with L̂ = ${what}, practical`, source: 'SPEC §3.4, §5.5', bound: omegaStepBound(omega, L), ok: false },
      { name: atStart, source: 'Prop. 2.1', bound: omegaStepBound(omega, localL), ok: false },
    ];
    for (const v of verdicts) judge(v, mu);
    return { omega, oneMinus2Omega: 1 - 2 * omega, rho: NaN, practicalL: L, localL, ballL: NaN, verdicts };
  }
  if (p.kind !== 'factorization') {
    const L = practicalLipschitz(p); // maxⱼ‖Aⱼ‖₂²: the exact Lipschitz constant of ∇fⱼ here
    const v: Verdict = { name: '(3.2) μ < (1 − 2ω)/L, L = maxⱼ‖Aⱼ‖₂²', source: 'Prop. 2.1', bound: omegaStepBound(omega, L), ok: false };
    judge(v, mu);
    return { omega, oneMinus2Omega: 1 - 2 * omega, rho: NaN, practicalL: L, localL, ballL: L, verdicts: [v] };
  }
  const blockNorms = p.blocks.map((Y) => Math.sqrt(norm2(Y.data)));
  const nuclear = p.sigma.reduce((a, b) => a + b, 0);  // ‖Y‖_*
  const z0 = Math.sqrt(norm2(inst.init.X) + norm2(inst.init.Y));
  const r = rho ?? 1.05 * Math.max(z0, Math.sqrt((inst.objective.J + 1) * nuclear));
  const practicalL = 6 * p.sigma1;
  const ballL = Math.max(...blockNorms.map((y) => ballConstants(y, r).L2));
  const verdicts: Verdict[] = [
    { name: '(3.2) with L̂ = 6σ₁(Y), practical', source: 'SPEC §3.4', bound: omegaStepBound(omega, practicalL), ok: false },
    { name: atStart, source: 'Prop. 2.1', bound: omegaStepBound(omega, localL), ok: false },
    { name: '(3.2) with L₂ of (3.6) on B₂ρ', source: 'Prop. 2.1, eq. 3.6', bound: omegaStepBound(omega, ballL), ok: false },
    { name: '(3.7) certified, [N] constants', source: CONSTANTS.N.label, bound: rhoStepBound(omega, blockNorms, r, 'N'), ok: false },
    { name: '(3.7) certified, [A] constants', source: CONSTANTS.A.label, bound: rhoStepBound(omega, blockNorms, r, 'A'), ok: false },
  ];
  for (const v of verdicts) judge(v, mu);
  return { omega, oneMinus2Omega: 1 - 2 * omega, rho: r, practicalL, localL, ballL, verdicts };
}
