/**
 * `algorithm.hae`: the settings of HAE (Algorithm 2 of [H], src/core/hae.ts) that the paper leaves to the
 * user — the networks' hidden widths and activation, the number of groups k of the fold F, and AdamW's
 * β₁, β₂, ε and decoupled weight decay λ (the regulariser R(i) of Algorithm 2). η is `algorithm.stepsize`,
 * the rounds `algorithm.iterations`, the embedding length r `problem.sharedRank`. A leaf (zod only), so that
 * document.ts can put it in the algorithm's schema.
 */
import * as z from 'zod';

const num = (what: string) => z.number({ error: (iss) => (typeof iss.input === 'number' ? `${what} is ${iss.input}; it must be finite` : `${what} must be a number`) });
const whole = (what: string, min: number, max: number) => num(what).int(`${what} must be an integer`).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`);
const beta = (what: string) => num(what).min(0, `${what} must be in [0, 1)`).lt(1, `${what} must be in [0, 1)`);

export const HAE_ACTIVATIONS = ['relu', 'none'] as const;

export const HaeOptionsSchema = z.strictObject({
  /** widths of the encoders' hidden layers, input side first; the decoder mirrors them (default [32]) */
  hidden: z.array(whole('every hidden width', 1, 4096), { error: 'hidden must be a list of layer widths, e.g. [32]' })
    .max(4, 'hidden lists at most 4 layers').optional(),
  /** σ after every layer but the last of each network: ReLU (max(0, x)) or none (default relu) */
  activation: z.enum(HAE_ACTIVATIONS, { error: 'activation must be "relu" or "none"' }).optional(),
  /** k: the fold F cuts an embedding into k vectors of length r/k (default 1) */
  groups: whole('groups', 1, 64).optional(),
  /** AdamW's β₁, β₂ (defaults 0.9, 0.999) */
  beta1: beta('beta1').optional(),
  beta2: beta('beta2').optional(),
  /** AdamW's ε (default 1e-8) */
  epsilon: num('epsilon').positive('epsilon must be > 0').optional(),
  /** AdamW's decoupled weight decay λ (default 0.01) */
  weightDecay: num('weightDecay').nonnegative('weightDecay must be ≥ 0').optional(),
}, { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown HAE option ${iss.keys.map((k) => `"${k}"`).join(', ')}; the options are hidden, activation, groups, beta1, beta2, epsilon, weightDecay` : undefined) });
export type HaeOptions = z.infer<typeof HaeOptionsSchema>;
