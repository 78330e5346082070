/**
 * Why a run diverged, in a sentence a user can act on. The step size is blamed only when it is outside the
 * bound the theory gives; otherwise the value that took the iterate out of the region where that bound
 * holds is named: data too large for the engine's floats, a start far from the data's scale (init scale),
 * a balancing weight λ or HMF's β whose curvature the bound does not count, a perturbation radius that
 * kicks the iterate out of it. When none of them is out of range, the message says plainly that the step
 * size is not the cause. Runs only once a run has diverged, so it may measure (a few dozen gradients).
 */
import { type Instance, type NodeInstance, isNodeInstance, kindOfProblem, practicalLipschitz } from '../core/build';
import { localLipschitz } from '../core/theory';
import type { EngineKind } from './engine';

export interface DivergenceContext {
  /** the engine that ran: its floats are float32 on 'webgpu' */
  kind?: EngineKind;
  /** the first iteration whose metrics are not finite (0: the start itself) */
  iteration?: number;
}

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

const num = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : x > 0 ? '∞' : String(x));

export function divergenceAdvice(inst: Instance, ctx: DivergenceContext = {}): string {
  const overflow = dataOverflow(inst, ctx.kind ?? 'cpu');
  if (overflow) return overflow;
  if (isNodeInstance(inst)) return dgdAdvice(inst, ctx);
  return inst.method.advice({ floats: floatsOf(ctx.kind), iteration: ctx.iteration, start: startName(inst) });
}

const floatsOf = (kind: EngineKind | undefined) => (kind === 'webgpu' ? 'float32 (the WebGPU engine)' : 'float64');

/** The data's entries are not finite, or their squares sum past what the engine's floats hold. */
function dataOverflow(inst: Instance, kind: EngineKind): string | null {
  // each kind names its own data
  const { name, arrays } = isNodeInstance(inst) ? kindOfProblem(inst.problem).data(inst.problem) : inst.method.data;
  let sum = 0, max = 0, finite = true;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!Number.isFinite(v)) finite = false;
      else {
        sum += v * v;
        max = Math.max(max, Math.abs(v));
      }
    }
  }
  const floats = floatsOf(kind);
  if (!finite) return `The data ${name} hold entries that are not finite (NaN or ±∞), so no iterate has a finite objective; fix the data — the step size is not the cause.`;
  const limit = kind === 'webgpu' ? FLOAT32_MAX : Number.MAX_VALUE;
  // the objective ‖UVᵀ − Y‖² is about ‖Y‖² at the start and stays within a few times it on the way
  if (!(sum <= limit / 64)) {
    return `The data overflow ${floats}: ‖${name}‖² = ${num(sum)} (largest |entry| ${num(max)}) is beyond what its numbers hold (${num(limit)}), so the objective cannot be computed. Rescale the data (e.g. divide by its largest entry); the step size is not the cause.`;
  }
  return null;
}

/** The start, in the document's words. */
function startName(inst: Instance): string {
  const i = inst.experiment.init;
  if (i.U || i.V || i.x) return 'the given initial iterate (init)';
  if (i.saddle) return `the saddle start (init.saddle, δ = ${num(i.saddle.delta)})`;
  return `init scale ${num(i.scale ?? (isNodeInstance(inst) ? 0.1 : inst.method.initScale))}`;
}

function dgdAdvice(inst: NodeInstance, ctx: DivergenceContext): string {
  const p = inst.problem, mu = inst.stepsize, omega = inst.omega;
  const mus = `μ = ${num(mu)}`;
  const scale = kindOfProblem(p).scale?.(p);
  const factor = scale !== undefined;
  // the scale of the solution's factor entries: ‖U⋆‖²_F = Σσₖ ≤ rσ₁ spread over n·r entries
  const solutionScale = scale ? Math.sqrt(scale.sigma1 / scale.n) : NaN;
  const advise = factor ? `; the solution's factors have entries of about √(σ₁/n) = ${num(solutionScale)}` : '';
  if (ctx.iteration === 0) {
    return `The start is out of range: at ${startName(inst)} the objective overflows ${floatsOf(ctx.kind)}. Start smaller${advise}. The step size is not the cause (no step was taken).`;
  }
  const gap = 1 - 2 * omega;
  if (!(gap > 0)) return `${mus} may be too large: ω = ${omega.toFixed(3)} ≥ 1/2, so no fixed step is covered by the theory; use lazy weights. Try a smaller step size.`;
  const L = practicalLipschitz(p);
  const bound = gap / L;
  const ws = `ω = ${omega.toFixed(3)}`;
  if (mu > bound * (1 + 1e-9)) return `${mus} is too large: the practical bound (1 − 2ω)/L̂ is ${num(bound)} (${ws}). Try a smaller step size.`;
  const inside = `${mus} is within the practical bound (1 − 2ω)/L̂ = ${num(bound)} (${ws}), so the step size is not the cause`;
  const lambda = scale ? scale.lambda : 0;
  // the balancing term (λ/4)‖UᵀU − VᵀV‖² adds curvature 4λσ₁ at the solution's scale, which L̂ does not count
  if (scale && lambda > 0 && mu * 4 * lambda * scale.sigma1 >= gap) {
    return `${inside}: λ = ${num(lambda)} is too large — the balancing term adds curvature of about 4λσ₁ = ${num(4 * lambda * scale.sigma1)}, beyond (1 − 2ω)/μ = ${num(gap / mu)}, which L̂ does not count. Use λ ≤ ${num(gap / (4 * mu * scale.sigma1))} or scale μ down with it.`;
  }
  // a kick of radius ρ puts the iterate where the curvature is about 2ρ²(1 + 2λ)
  const perturb = inst.experiment.algorithm.perturb;
  if (perturb && mu * 2 * perturb.radius * perturb.radius * (1 + 2 * lambda) >= gap) {
    const rho = perturb.radius;
    return `${inside}: the perturbation radius ${num(rho)} is too large — a kick moves the iterate to where the curvature is about 2ρ² = ${num(2 * rho * rho)}, beyond (1 − 2ω)/μ = ${num(gap / mu)}. Use a radius well below √((1 − 2ω)/(2μ)) = ${num(Math.sqrt(gap / (2 * mu)))}${scale ? ` (the solution's scale is √σ₁ = ${num(Math.sqrt(scale.sigma1))})` : ''}.`;
  }
  // a start far from the data's scale: the curvature there exceeds what the bound assumes
  const L0 = localLipschitz(inst, inst.init, 30, 8);
  if (!(mu * L0 < gap)) {
    return `${inside}: ${startName(inst)} is too large — at the start the curvature is L(z⁰) = ${num(L0)}, so μ exceeds (1 − 2ω)/L(z⁰) = ${num(gap / L0)}. Start at the data's scale${advise}.`;
  }
  return `${mus} is within the practical bound (1 − 2ω)/L̂ = ${num(bound)} (${ws}), so by the theory the step size is not the cause; nor is the start (L(z⁰) = ${num(L0)} is within (1 − 2ω)/μ = ${num(gap / mu)})${lambda ? `, λ = ${num(lambda)}` : ''} or the data's scale. L̂ is an estimate, not a guarantee: if nothing else changed, try a smaller μ.`;
}
