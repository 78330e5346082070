/**
 * An HMF document with algorithm "hae" → a MethodInstance: HAE (Algorithm 2 of [H], src/core/hae.ts) on the
 * same sources Algorithm 1 reads (a planted model, given sources, the video, ratings clusters). The
 * instance's `problem` is an HmfSetup (so the lab's HMF views and the hmf kind's code find the sources where
 * they always are) with the HAE problem beside it under `hae`; the engines only call the method's closures.
 *
 * Settings (document `algorithm`): η = `stepsize` (AdamW's learning rate; a number — the step rule of
 * Algorithm 1 does not apply), rounds = `iterations`, and `hae`: hidden widths, activation, groups k, β₁, β₂,
 * ε, weight decay λ (src/core/document.ts HaeOptionsSchema, with the defaults of PyTorch's AdamW where the
 * paper gives none). The embedding length r is `problem.sharedRank`, which must equal `uniqueRank` (the
 * decoder reads the sum of the two embeddings; problems/hae-check.ts).
 *
 * The metrics row: objective = Σᵢ‖P_Ω^train(Mᵢ − Net_V(·))‖² (Algorithm 2's loss, no ½; also the row's
 * distributed objective and optimality gap, against 0), gradientNorm = ‖∇ of that sum‖, feasibility = the
 * group orthogonality maxᵢ,ⱼ‖F(Emb_g)ᵀF(Emb_l)‖ after deflation (HMF's maxᵢ‖U_gᵀU_(i),l‖ for the networks),
 * trainRmse and, where sources hold test entries, testRmse and the mean-value baseline's baselineRmse
 * (the rows HMF records on the same sources). consensusError and imbalance are 0 (the server's
 * average makes the shared weights common; nothing is balanced).
 */
import type { BuildDoc, ExperimentDoc, Tensor } from './document';
import { DocumentError } from './document';
import type { HaeOptions } from './hae-options';
import { type HaeKernels, type HaeLayout, type HaeProblem, type HaeState, haeKernels, haeLayout, haeMetrics, haeRound, haeStart } from './hae';
import { type HmfSetup, hmfLayout } from './hmf';
import type { HmfData } from './hmf-model';
import type { Instance, MethodInstanceParts } from './instance';
import type { MetricsRow } from './metrics';
import { Rng, childSeed } from './rng';

/** Defaults of the `hae` options where the document leaves them out (PyTorch's AdamW for β₁, β₂, ε, λ). */
export const HAE_DEFAULTS: Required<HaeOptions> = { hidden: [32], activation: 'relu', groups: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 };

export interface HaeSetup extends HmfSetup {
  hae: { problem: HaeProblem; layout: HaeLayout };
}

/** The HAE part of an instance, or null when it is not an HAE run. */
export function haeOf(inst: Instance): HaeSetup['hae'] | null {
  const p = inst.problem as Partial<HaeSetup>;
  return p.kind === 'hmf' && p.hae ? p.hae : null;
}

export function buildHaeInstance(
  data: HmfData, r: number, e: BuildDoc, base: Omit<HmfSetup, 'params' | 'layout' | 'data' | 'kind'>,
  materialize: (exp: ExperimentDoc, setup: HmfSetup) => ExperimentDoc,
): MethodInstanceParts {
  const given: HaeOptions = (e.algorithm as { hae?: HaeOptions }).hae ?? {};
  const o = {
    hidden: given.hidden ?? HAE_DEFAULTS.hidden, activation: given.activation ?? HAE_DEFAULTS.activation, groups: given.groups ?? HAE_DEFAULTS.groups,
    beta1: given.beta1 ?? HAE_DEFAULTS.beta1, beta2: given.beta2 ?? HAE_DEFAULTS.beta2, epsilon: given.epsilon ?? HAE_DEFAULTS.epsilon,
    weightDecay: given.weightDecay ?? HAE_DEFAULTS.weightDecay,
  };
  const st = e.algorithm.stepsize;
  if (typeof st !== 'number') throw new DocumentError('algorithm.stepsize', 'HAE takes AdamW\'s learning rate η as a number (e.g. 0.003); the step rule c/maxᵢ‖Mᵢ‖₂² is Algorithm 1\'s');
  const N = data.sources.length;
  const problem: HaeProblem = {
    arch: { d: data.n1, r, k: o.groups, hidden: o.hidden, activation: o.activation },
    opt: { lr: st, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, weightDecay: o.weightDecay },
    sources: data.sources.map((s) => ({ X: s.M, n: s.n2, mask: s.mask, ...(s.test ? { test: s.test } : {}) })),
  };
  const layout = haeLayout(problem.arch, N);
  const seed = e.init.seed ?? 0;
  const stream = (name: string) => {
    const g = new Rng(childSeed(seed, name));
    return () => g.uniform();
  };
  const init = haeStart(layout, stream('hae-shared'), (i) => stream(`hae-unique-${i}`));
  const setup: HaeSetup = {
    ...base, kind: 'hmf', data, params: { r1: r, r2: r, beta: 0, eta: st, correction: false }, layout: hmfLayout(data, r, r),
    hae: { problem, layout },
  };
  let scale = 0;
  for (const s of data.sources) for (const x of s.M) scale += x * x;
  const iterations = e.algorithm.iterations;
  return {
    problem: setup,
    omega: (N - 1) / N, stepsize: st, iterations,
    recordEvery: e.algorithm.recordEvery ?? Math.max(1, Math.ceil(iterations / 1000)),
    init,
    tensors: (z) => haeTensors(layout, z),
    method: {
      step: (z) => haeRound(problem, layout, z),
      metrics: (z, iteration) => haeMetricsRow(problem, layout, z, iteration),
      // the same rounds and rows with the dense layers' products on the kernels: the same bits (src/core/hae.ts)
      withProducts: (k) => {
        const kp = haeKernels(k);
        return { step: (z) => haeRound(problem, layout, z, kp), metrics: (z, iteration) => haeMetricsRow(problem, layout, z, iteration, kp) };
      },
      resolved: { fStar: 0, J: N },
      data: { name: 'M', arrays: data.sources.map((s) => s.M) },
      scale,
      advice: (ctx) => (ctx.iteration === 0
        ? `The start is out of range: the loss overflows ${ctx.floats} before any step (the data's scale is the cause; rescale it to entries of order 1).`
        : `AdamW moves every weight by about η = ${st} a round whatever the gradient's size, so only an η far above the weights' scale (about 1/√fan_in), or a column whose shared embedding vectors became linearly dependent (F(Emb_g)ᵀF(Emb_g) singular in the deflation), makes a round non-finite; try a smaller η or fewer groups k.`),
      initScale: 1,
      summary: () => haeSummary(problem),
      materialize: (exp) => materialize(exp, setup) as typeof exp,
    },
  };
}

/** The session's row at an iterate (see the file comment). */
export function haeMetricsRow(prob: HaeProblem, L: HaeLayout, z: HaeState, iteration: number, kp?: HaeKernels): MetricsRow {
  const m = haeMetrics(prob, L, z, kp);
  const row: MetricsRow = {
    iteration, objective: m.loss, consensusError: 0, distributedObjective: m.loss, optimalityGap: m.loss,
    gradientNorm: m.gradientNorm, imbalance: 0, feasibility: m.groupOrthogonality, trainRmse: m.trainRmse,
  };
  if (m.testRmse !== undefined) row.testRmse = m.testRmse;
  if (m.baselineRmse !== undefined) row.baselineRmse = m.baselineRmse;
  return row;
}

/** The networks' weights in document form: the shared encoder, the decoder, and the unique encoders stacked [N, ·]. */
function haeTensors(L: HaeLayout, z: HaeState): Record<string, Tensor> {
  return {
    sharedEncoder: { shape: [L.Pg], data: Array.from(z.X.subarray(0, L.Pg)) },
    decoder: { shape: [L.Pv], data: Array.from(z.X.subarray(L.Pg, L.Pg + L.Pv)) },
    uniqueEncoders: { shape: [L.N, L.Pg], data: Array.from(z.Y.subarray(0, L.N * L.Pg)) },
  };
}

function haeSummary(p: HaeProblem): string {
  const { arch: a, opt: o, sources } = p;
  const n2 = [...new Set(sources.map((s) => s.n))].join('/');
  const train = sources.reduce((t, s) => t + (s.mask ? s.mask.reduce((x, v) => x + v, 0) : s.X.length), 0);
  const test = sources.reduce((t, s) => t + (s.test ? s.test.index.length : 0), 0);
  const widths = [a.d, ...a.hidden, a.r].join('→');
  return `hae: N = ${sources.length} sources of ${a.d}×${n2}, ${train} training entries${test ? `, ${test} held out` : ''}; `
    + `encoders ${widths} (${a.activation === 'relu' ? 'ReLU' : 'linear'}), embedding r = ${a.r} folded into k = ${a.k} groups of ${a.r / a.k}; `
    + `AdamW η = ${o.lr}, β₁ = ${o.beta1}, β₂ = ${o.beta2}, ε = ${o.epsilon}, λ = ${o.weightDecay}`;
}
