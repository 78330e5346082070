/**
 * An HMF experiment document → Instance (SPEC §7). The Instance keeps its usual fields so the session,
 * the CLI and the app need no second code path: `problem` is the factorization of the stacked data
 * M = [M₁ … M_N] (n₁ × Σn₂,ᵢ, missing entries 0) split by source, `W` is the server's averaging (1/N)·11ᵀ
 * and `stepsize` is η. What HMF itself needs sits in `hmf`: the sources, the parameters, the layout of the
 * iterate and the planted model's misalignment θ̂.
 */
import type { Instance, InstanceParts } from './instance';
import { type BuildDoc, DocumentError, type ExperimentDoc, type Tensor } from './document';
import type { HmfProblemConfig } from './problems/hmf-schema';
import { type HmfData, applyMask, plantedHmf } from './hmf-model';
import { type HmfParams, type HmfSetup, type HmfState, correct, hmfLayout, hmfMetrics, misalignment } from './hmf';
import { fromArray, topSingularValue } from './linalg';
import type { MetricsRow } from './metrics';
import { factorizationLocal } from './objectives';
import { factorizationProblem } from './problem';
import { Rng, childSeed } from './rng';
import { type Clip, clipToHmf, makeClip } from './video';

export type { HmfSetup } from './hmf';

export const HMF_DEFAULTS = { beta: 0.1, initScale: 0.01 } as const;

function hmfData(p: HmfProblemConfig): { data: HmfData; video?: HmfSetup['video'] } {
  if (p.generate) {
    const g = p.generate;
    return { data: plantedHmf({ ...g, r1: p.sharedRank, r2: p.uniqueRank }) };
  }
  if (p.video) {
    const v = p.video;
    let clip: Clip;
    if (v.data) {
      const [F, h, w] = v.data.shape;
      clip = { height: h, width: w, frames: Array.from({ length: F }, (_, t) => Float64Array.from(v.data!.data.slice(t * h * w, (t + 1) * h * w))) };
    } else clip = makeClip(v);
    return { data: clipToHmf(clip, v.missing, v.seed), video: { height: clip.height, width: clip.width, clip } };
  }
  const sources = p.sources!.map((s) => {
    const n2 = s.M.shape[1];
    const M = Float64Array.from(s.M.data);
    const mask = s.mask && s.mask.data.some((x) => x === 0) ? Uint8Array.from(s.mask.data) : null;
    applyMask(M, mask);
    return { M, n2, mask, shared: s.shared && Float64Array.from(s.shared.data), unique: s.unique && Float64Array.from(s.unique.data) };
  });
  return { data: { n1: p.sources![0].M.shape[0], sources } };
}

export function buildHmfInstance(p: HmfProblemConfig, e: BuildDoc): InstanceParts {
  const { data, video } = hmfData(p);
  const { n1, sources } = data;
  const N = sources.length;
  const r1 = p.sharedRank, r2 = p.uniqueRank;
  // stacked M = [M₁ … M_N]
  const m = sources.reduce((a, s) => a + s.n2, 0);
  const Y = new Float64Array(n1 * m);
  let off = 0;
  for (const s of sources) {
    for (let a = 0; a < n1; a++) for (let b = 0; b < s.n2; b++) Y[a * m + off + b] = s.M[a * s.n2 + b];
    off += s.n2;
  }
  const problem = factorizationProblem(fromArray(n1, m, Y), Math.min(r1 + r2, n1, m), sources.map((s) => s.n2));
  const st = e.algorithm.stepsize;
  let eta: number;
  if (typeof st === 'number') eta = st;
  else {
    // η = c / maxᵢ ‖Mᵢ‖₂² (the loss carries ½, so ‖Mᵢ‖₂² bounds the fit's curvature in each factor)
    const s1 = Math.max(...problem.blocks.map((B) => topSingularValue(B)));
    eta = st.c / (s1 * s1);
    if (!(eta > 0) || !Number.isFinite(eta)) {
      throw new DocumentError('algorithm.stepsize', `the rule c/maxᵢ‖Mᵢ‖₂² gives η = ${eta} (maxᵢ‖Mᵢ‖₂ = ${s1.toPrecision(3)}): `
        + 'the data is zero, or its scale is beyond float64\'s range for this rule; rescale the data (e.g. to entries of order 1) or give η explicitly');
    }
  }
  const params: HmfParams = { r1, r2, beta: e.algorithm.beta ?? HMF_DEFAULTS.beta, eta, correction: e.algorithm.correction ?? true };
  const layout = hmfLayout(data, r1, r2);
  const seed = e.init.seed ?? 0, scale = e.init.scale ?? HMF_DEFAULTS.initScale;
  const init: HmfState = {
    X: new Rng(childSeed(seed, 'hmf-Ug')).normals(n1 * r1, scale),
    Y: new Rng(childSeed(seed, 'hmf-local')).normals(layout.length, scale),
  };
  if (params.correction) {
    try {
      correct(data, params, layout, init); // round 1's correction (see src/core/hmf.ts)
    } catch (err) {
      throw new DocumentError('init.scale', `${(err as Error).message}`);
    }
  }
  const W = fromArray(N, N, new Float64Array(N * N).fill(1 / N));
  const iterations = e.algorithm.iterations;
  const setup: HmfSetup = {
    data, params, layout, video,
    misalignment: data.bases ? misalignment(data.bases.unique, n1, data.bases.r2) : undefined,
  };
  return {
    problem, W, omega: (N - 1) / N, stepsize: eta, iterations,
    recordEvery: e.algorithm.recordEvery ?? Math.max(1, Math.ceil(iterations / 1000)),
    objective: factorizationLocal(problem),
    init,
    tensors: (z) => hmfStateToTensors(setup, z),
    hmf: setup,
  };
}

/**
 * The session's row for an HMF iterate. objective = distributedObjective = Σᵢf̃ᵢ (7.2); consensusError = 0
 * (the server's average makes U_g common by construction); optimalityGap = Σᵢf̃ᵢ − 0, exact for noiseless
 * fully representable data (f̃ = 0 at the planted factors with orthonormal bases) and an upper bound
 * otherwise; imbalance = ‖U_gᵀU_g − I‖ (SPEC §7.5's orthonormality); plus the HMF metrics.
 */
export function hmfMetricsRow(s: HmfSetup, z: HmfState, iteration: number): MetricsRow {
  const m = hmfMetrics(s.data, s.params, s.layout, z);
  const row: MetricsRow = {
    iteration, objective: m.objective, consensusError: 0, distributedObjective: m.objective, optimalityGap: m.objective,
    gradientNorm: m.gradientNorm, imbalance: m.orthonormality, feasibility: m.feasibility,
  };
  if (m.sharedError !== undefined) row.sharedError = m.sharedError;
  if (m.uniqueError !== undefined) row.uniqueError = m.uniqueError;
  if (m.subspaceError !== undefined) row.subspaceError = m.subspaceError;
  return row;
}

/**
 * The iterate in document form: `Ug` [n₁, r₁]; per source `Vg`, `Ul`, `Vl` stacked as [N, n₂, r₁],
 * [N, n₁, r₂], [N, n₂, r₂] (when every n₂,ᵢ is equal; otherwise flat [Σn₂,ᵢ, r] for the V's).
 */
export function hmfStateToTensors(s: HmfSetup, z: HmfState): Record<string, Tensor> {
  const { data, layout: L, params } = s;
  const { r1, r2 } = params;
  const N = data.sources.length, n1 = data.n1;
  const vg: number[] = [], ul: number[] = [], vl: number[] = [];
  data.sources.forEach((src, i) => {
    vg.push(...z.Y.subarray(L.vg[i], L.vg[i] + src.n2 * r1));
    ul.push(...z.Y.subarray(L.ul[i], L.ul[i] + n1 * r2));
    vl.push(...z.Y.subarray(L.vl[i], L.vl[i] + src.n2 * r2));
  });
  const equal = data.sources.every((src) => src.n2 === data.sources[0].n2);
  const m = data.sources.reduce((a, src) => a + src.n2, 0);
  const n2 = data.sources[0].n2;
  return {
    Ug: { shape: [n1, r1], data: Array.from(z.X) },
    Vg: { shape: equal ? [N, n2, r1] : [m, r1], data: vg },
    Ul: { shape: [N, n1, r2], data: ul },
    Vl: { shape: equal ? [N, n2, r2] : [m, r2], data: vl },
  };
}

/** One line for `validate`: sizes, ranks, η, β, correction and θ̂. */
export function hmfSummary(inst: Instance): string {
  const h = inst.hmf!;
  const { data, params: p } = h;
  const n2 = [...new Set(data.sources.map((s) => s.n2))].join('/');
  const observed = data.sources.reduce((a, s) => a + (s.mask ? s.mask.reduce((x, v) => x + v, 0) : s.M.length), 0);
  const total = data.sources.reduce((a, s) => a + s.M.length, 0);
  const theta = h.misalignment !== undefined ? `, misalignment θ̂ = ${h.misalignment.toFixed(4)}` : '';
  return `hmf: N = ${data.sources.length} sources of ${data.n1}×${n2}, r1 = ${p.r1}, r2 = ${p.r2}, ${((100 * (total - observed)) / total).toFixed(1)} % missing; `
    + `η = ${p.eta.toPrecision(4)}, β = ${p.beta}, correction ${p.correction ? 'on' : 'off'}${theta}`;
}

/** The same HMF experiment with the sources written out (data, masks and the true parts when known). */
export function materializeHmf<E extends ExperimentDoc>(exp: E, inst: Instance): E {
  const h = inst.hmf!;
  const { n1 } = h.data;
  const sources = h.data.sources.map((s) => {
    const t = (d: ArrayLike<number>): Tensor => ({ shape: [n1, s.n2], data: Array.from(d) });
    return {
      M: t(s.M),
      ...(s.mask ? { mask: t(s.mask) } : {}),
      ...(s.shared && s.unique ? { shared: t(s.shared), unique: t(s.unique) } : {}),
    };
  });
  const p = exp.problem as HmfProblemConfig;
  return {
    ...exp,
    problem: { kind: 'hmf', sharedRank: p.sharedRank, uniqueRank: p.uniqueRank, sources },
    algorithm: { ...exp.algorithm, stepsize: inst.stepsize, recordEvery: inst.recordEvery },
  };
}
