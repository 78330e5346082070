/**
 * Why a run diverged, in a sentence a user can act on. The step size is blamed only when it is outside the
 * bound the theory gives; otherwise the value that took the iterate out of the region where that bound
 * holds is named: data too large for the engine's floats, a start far from the data's scale (init scale),
 * a balancing weight λ or HMF's β whose curvature the bound does not count, a perturbation radius that
 * kicks the iterate out of it. When none of them is out of range, the message says plainly that the step
 * size is not the cause. Runs only once a run has diverged, so it may measure (a few dozen gradients).
 */
import { type Instance, kindOfProblem, practicalLipschitz } from '../core/build';
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
  return dataOverflow(inst, ctx.kind ?? 'cpu') ?? (inst.hmf ? hmfAdvice(inst, ctx) : dgdAdvice(inst, ctx));
}

/** The data's entries are not finite, or their squares sum past what the engine's floats hold. */
function dataOverflow(inst: Instance, kind: EngineKind): string | null {
  const p = inst.problem;
  // HMF's stacked sources M = [M₁ … M_N] (its instance's problem); a node kind names its own data
  const { name, arrays } = inst.hmf ? { name: 'M', arrays: inst.hmf.data.sources.map((s) => s.M) } : kindOfProblem(p).data(p);
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
  const floats = kind === 'webgpu' ? 'float32 (the WebGPU engine)' : 'float64';
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
  return `init scale ${num(i.scale ?? (inst.hmf ? 0.01 : 0.1))}`;
}

function dgdAdvice(inst: Instance, ctx: DivergenceContext): string {
  const p = inst.problem, mu = inst.stepsize, omega = inst.omega;
  const mus = `μ = ${num(mu)}`;
  const scale = kindOfProblem(p).scale?.(p);
  const factor = scale !== undefined;
  // the scale of the solution's factor entries: ‖U⋆‖²_F = Σσₖ ≤ rσ₁ spread over n·r entries
  const solutionScale = scale ? Math.sqrt(scale.sigma1 / scale.n) : NaN;
  const advise = factor ? `; the solution's factors have entries of about √(σ₁/n) = ${num(solutionScale)}` : '';
  if (ctx.iteration === 0) {
    const floats = ctx.kind === 'webgpu' ? 'float32 (the WebGPU engine)' : 'float64';
    return `The start is out of range: at ${startName(inst)} the objective overflows ${floats}. Start smaller${advise}. The step size is not the cause (no step was taken).`;
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

function hmfAdvice(inst: Instance, ctx: DivergenceContext): string {
  const h = inst.hmf!;
  const { eta, beta } = h.params;
  const n1 = h.data.n1;
  if (ctx.iteration === 0) {
    const floats = ctx.kind === 'webgpu' ? 'float32 (the WebGPU engine)' : 'float64';
    return `The start is out of range: at ${startName(inst)} the objective overflows ${floats}. Start smaller (the default init scale is 0.01). The step size is not the cause (no step was taken).`;
  }
  // η·maxᵢ‖Mᵢ‖₂² ≤ c with c ≤ 0.5: the rule c/maxᵢ‖Mᵢ‖₂² the step rule offers
  let s1 = 0;
  for (const s of h.data.sources) s1 = Math.max(s1, normEstimate(s.M, n1, s.n2));
  const bound = 0.5 / (s1 * s1);
  const etas = `η = ${num(eta)}`;
  if (eta > bound * (1 + 1e-9)) {
    return `${etas} is too large for this data: above 0.5/maxᵢ‖Mᵢ‖₂² = ${num(bound)} (maxᵢ‖Mᵢ‖₂ = ${num(s1)}). Try a smaller step (e.g. the rule c/maxᵢ‖Mᵢ‖₂² with c ≤ 0.5).`;
  }
  const inside = `${etas} is within 0.5/maxᵢ‖Mᵢ‖₂² = ${num(bound)}, so the step size is not the cause`;
  // the regulariser (β/2)‖UᵀU − I‖² has curvature about 4β at orthonormal factors
  if (eta * 4 * beta >= 1) return `${inside}: β = ${num(beta)} is too large — the regulariser's curvature, about 4β = ${num(4 * beta)}, is beyond 1/η = ${num(1 / eta)}. Use β ≤ ${num(1 / (4 * eta))}.`;
  // the curvature of ½‖UVᵀ − M‖² in U is ‖V‖₂²: the largest block of the start bounds it
  const L = h.layout;
  let R2 = 0;
  const block = (a: Float64Array, from: number, len: number) => {
    let t = 0;
    for (let k = from; k < from + len; k++) t += a[k] * a[k];
    R2 = Math.max(R2, t);
  };
  block(inst.init.X, 0, inst.init.X.length);
  h.data.sources.forEach((s, i) => {
    block(inst.init.Y, L.vg[i], s.n2 * h.params.r1);
    block(inst.init.Y, L.ul[i], n1 * h.params.r2);
    block(inst.init.Y, L.vl[i], s.n2 * h.params.r2);
  });
  if (eta * R2 >= 1) return `${inside}: ${startName(inst)} is too large — the start's factors have ‖·‖² up to ${num(R2)}, so the curvature there is beyond 1/η = ${num(1 / eta)}. Start smaller (the default init scale is 0.01).`;
  return `${etas} is within 0.5/maxᵢ‖Mᵢ‖₂² = ${num(bound)}, so by that rule the step size is not the cause; nor are β = ${num(beta)}, the start or the data's scale. The rule is an estimate, not a guarantee: if nothing else changed, try a smaller η.`;
}

/**
 * ‖M‖₂ of a row-major rows×cols matrix from below, by 60 power iterations on MᵀM from a fixed start: a
 * few milliseconds where a full SVD of each of a hundred sources takes seconds; for the message only.
 */
function normEstimate(M: Float64Array, rows: number, cols: number): number {
  let v = new Float64Array(cols).map((_, j) => 1 + (j % 7) / 7);
  let s = 0;
  for (let it = 0; it < 60; it++) {
    let nv = 0;
    for (const x of v) nv += x * x;
    nv = Math.sqrt(nv);
    if (!(nv > 0)) return s;
    const u = new Float64Array(rows);
    for (let a = 0; a < rows; a++) {
      let t = 0;
      for (let b = 0; b < cols; b++) t += M[a * cols + b] * v[b];
      u[a] = t / nv;
    }
    let nu = 0;
    for (const x of u) nu += x * x;
    s = Math.sqrt(nu); // ‖M v̂‖ with v̂ = v/‖v‖
    const w = new Float64Array(cols);
    for (let a = 0; a < rows; a++) for (let b = 0; b < cols; b++) w[b] += M[a * cols + b] * u[a];
    v = w;
  }
  return s;
}
