/**
 * Step-size theory of SPEC §3: the bound (3.2) μ < (1 − 2ω)/L for globally/locally Lipschitz gradients,
 * and the matrix-factorization bound (3.7) with the constants of both versions of the paper, [A]
 * (arXiv 2018) and [N] (NeurIPS 2019, the default). Every figure carries its source so the UI and the
 * CLI can label it.
 */
import { type NodeInstance, kindOfProblem } from './build';
import type { State } from './dgd';
import { sin } from './fmath';
import { norm2 } from './linalg';
import { type Verdict, judge, omegaStepBound } from './step-bounds';

export { CONSTANTS, type Source, type Verdict, ballConstants, omegaStepBound, rhoStepBound } from './step-bounds';

/**
 * Largest |eigenvalue| of ∇²fⱼ at (xʲ, yⱼ), maximised over nodes: the local Lipschitz constant of the
 * node gradients at this iterate. Power iteration on Hessian–vector products taken as central
 * differences of the analytic gradient (exact up to O(h²) for these polynomial objectives).
 */
export function localLipschitz(inst: NodeInstance, z: State, iterations = 60, maxNodes = Infinity): number {
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
export function theoryReport(inst: NodeInstance, rho?: number): TheoryReport {
  const p = inst.problem;
  const mu = inst.stepsize;
  const omega = inst.omega;
  // measuring every node of a large problem would take seconds: then the first SAMPLE_NODES only
  const work = inst.init.X.length * ('partition' in p ? Math.max(...p.partition) : 1);
  const sampled = work > 5e6 && inst.objective.J > SAMPLE_NODES;
  const localL = localLipschitz(inst, inst.init, sampled ? 30 : 60, sampled ? SAMPLE_NODES : Infinity);
  const atStart = sampled ? `(3.2) with L measured at the start (${SAMPLE_NODES} of ${inst.objective.J} nodes)` : '(3.2) with L measured at the start';
  const kind = kindOfProblem(p);
  const L = kind.lipschitz(p);
  const practical: Verdict = { name: `(3.2) with L̂ = ${L.formula}, practical`, source: L.source, bound: omegaStepBound(omega, L.value), ok: false };
  const start: Verdict = { name: atStart, source: 'Prop. 2.1', bound: omegaStepBound(omega, localL), ok: false };
  const own = kind.theory?.(p, { omega, J: inst.objective.J, init: inst.init, rho, lipschitz: L.value, practical, atStart: start });
  const verdicts = own?.verdicts ?? [practical, start];
  for (const v of verdicts) judge(v, mu);
  return { omega, oneMinus2Omega: 1 - 2 * omega, rho: own?.rho ?? NaN, practicalL: L.value, localL, ballL: own?.ballL ?? NaN, verdicts };
}
