/**
 * An HMF experiment document → a MethodInstance (SPEC §7): `problem` is the HMF problem itself (the
 * sources, the parameters, the layout of the iterate, the planted model's misalignment θ̂), `stepsize` is η,
 * ω is that of the server's average (1/N)·11ᵀ, and `method` holds the closures the engines, the session
 * and the worker call: a round of Algorithm 1, the metrics row, the video view's images, the divergence advice.
 * With algorithm "jive" or "perpca" the round is one of HMF's rivals (src/core/hmf-baselines.ts) on the same
 * sources and iterate layout, with β = 0 so that the recorded objective is the fit on the observed entries.
 */
import { type Instance, type MethodInstanceParts, isNodeInstance } from './instance';
import { type BuildDoc, DocumentError, type ExperimentDoc, type Tensor, defaultRecordEvery } from './document';
import type { HmfProblemConfig } from './problems/hmf-schema';
import { type HmfData, applyMask, plantedHmf } from './hmf-model';
import { type HmfParams, type HmfSetup, type HmfState, type ResidualPass, correct, hmfLayout, hmfMetrics, hmfRound, kernelResidualPass, misalignment } from './hmf';
import { jiveStart, jiveSweep, perpcaRound, perpcaStart } from './hmf-baselines';
import { buildHaeInstance } from './hae-build';
import { hmfImages } from './hmf-images';
import { topSingularValue } from './linalg';
import type { MetricsRow } from './metrics';
import { ratingsHmfData } from './ratings-build';
import { Rng, childSeed } from './rng';
import { type PriceTable, type StockSetup, heterogeneityIndex, priceSources } from './stocks';
import { plantedMarket } from './stocks-model';
import { type Clip, clipToHmf, makeClip } from './video';

export type { HmfSetup } from './hmf';

export const HMF_DEFAULTS = { beta: 0.1, initScale: 0.01 } as const;

function hmfData(p: HmfProblemConfig): { data: HmfData; video?: HmfSetup['video']; stocks?: StockSetup } {
  if (p.stocks) return marketData(p.stocks);
  if (p.prices) return pricesData(p.prices);
  if (p.ratings) return ratingsHmfData(p.ratings);
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

/** The model market (SPEC §7.10): its prices through the same path as a user's (src/core/stocks.ts), its events marked by window. */
function marketData(st: NonNullable<HmfProblemConfig['stocks']>): { data: HmfData; stocks: StockSetup } {
  const m = plantedMarket(st);
  const digits = String(st.stocks).length;
  const table: PriceTable = {
    tickers: Array.from({ length: st.stocks }, (_, s) => `S${String(s + 1).padStart(digits, '0')}`),
    prices: m.prices,
    index: { name: 'the model market’s equal-weighted index', prices: Array.from(m.index) },
  };
  const { data, stocks } = priceSources(table, st, 'problem.stocks');
  const w = st.window;
  stocks.events = data.sources.map((_, i) => m.events.some((ev) => ev.start >= i * w && ev.start < (i + 1) * w));
  stocks.eventDays = m.events.map((ev) => ({ start: ev.start, days: ev.days }));
  return { data, stocks };
}

/** A user's prices (a CSV read by src/core/price-csv.ts): masked entries become missing prices. */
function pricesData(pr: NonNullable<HmfProblemConfig['prices']>): { data: HmfData; stocks: StockSetup } {
  const prices = Float64Array.from(pr.data.data, (v, k) => (pr.mask && pr.mask.data[k] === 0 ? NaN : v));
  const table: PriceTable = { tickers: pr.tickers, prices, ...(pr.dates ? { dates: pr.dates } : {}), ...(pr.index ? { index: pr.index } : {}) };
  return priceSources(table, pr, 'problem.prices');
}

export function buildHmfInstance(p: HmfProblemConfig, e: BuildDoc): MethodInstanceParts {
  const { data, video, stocks } = hmfData(p);
  // HAE (Algorithm 2 of [H]) on the same sources builds its own instance (src/core/hae-build.ts)
  if (e.algorithm.name === 'hae') {
    const every = e.algorithm.recordEvery ?? defaultRecordEvery(e.algorithm.iterations);
    return buildHaeInstance(data, p.sharedRank, e, { video, stocks }, (exp, h) => materializeHmf(exp, h, h.params.eta, every));
  }
  const { n1, sources } = data;
  const N = sources.length;
  const r1 = p.sharedRank, r2 = p.uniqueRank;
  const st = e.algorithm.stepsize;
  let eta: number;
  if (typeof st === 'number') eta = st;
  else {
    // η = c / maxᵢ ‖Mᵢ‖₂² (the loss carries ½, so ‖Mᵢ‖₂² bounds the fit's curvature in each factor)
    const s1 = Math.max(...sources.map((s) => topSingularValue({ rows: n1, cols: s.n2, data: s.M })));
    eta = st.c / (s1 * s1);
    if (!(eta > 0) || !Number.isFinite(eta)) {
      throw new DocumentError('algorithm.stepsize', `the rule c/maxᵢ‖Mᵢ‖₂² gives η = ${eta} (maxᵢ‖Mᵢ‖₂ = ${s1.toPrecision(3)}): `
        + 'the data is zero, or its scale is beyond float64\'s range for this rule; rescale the data (e.g. to entries of order 1) or give η explicitly');
    }
  }
  const alg = e.algorithm.name;
  // JIVE and perPCA (src/core/hmf-baselines.ts) fit no regulariser: their objective is the fit alone (β = 0)
  const own = alg === 'hmf';
  const params: HmfParams = { r1, r2, beta: own ? e.algorithm.beta ?? HMF_DEFAULTS.beta : 0, eta, correction: own ? e.algorithm.correction ?? true : true };
  const layout = hmfLayout(data, r1, r2);
  const seed = e.init.seed ?? 0, scale = e.init.scale ?? HMF_DEFAULTS.initScale;
  let init: HmfState;
  if (alg === 'jive') init = jiveStart(data, params, layout);
  else if (alg === 'perpca') {
    try {
      init = perpcaStart(data, params, layout, seed);
    } catch (err) {
      throw new DocumentError('init.seed', `${(err as Error).message}; try another seed`);
    }
  } else {
    init = {
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
  }
  const step = alg === 'jive' ? jiveSweep : alg === 'perpca' ? perpcaRound : hmfRound;
  const iterations = e.algorithm.iterations;
  const setup: HmfSetup = {
    kind: 'hmf', data, params, layout, video, stocks,
    misalignment: data.bases ? misalignment(data.bases.unique, n1, data.bases.r2) : undefined,
  };
  const arrays = sources.map((s) => s.M);
  const recordEvery = e.algorithm.recordEvery ?? defaultRecordEvery(iterations);
  return {
    problem: setup,
    // the server's average (1/N)·11ᵀ has ω = (N − 1)/N
    omega: (N - 1) / N, stepsize: eta, iterations,
    recordEvery,
    init,
    tensors: (z) => hmfStateToTensors(setup, z),
    method: {
      step: (z) => step(data, params, layout, z),
      metrics: (z, iteration) => hmfMetricsRow(setup, z, iteration),
      // Algorithm 1's rounds and rows with the residual pass on the kernels: the same bits (src/core/hmf.ts)
      ...(own ? {
        withProducts: (k) => {
          const rp = kernelResidualPass(k);
          return { step: (z) => hmfRound(data, params, layout, z, rp), metrics: (z, iteration) => hmfMetricsRow(setup, z, iteration, rp) };
        },
      } : {}),
      extras: (z) => ({
        images: video ? hmfImages(setup, z) : undefined, misalignment: setup.misalignment,
        ...(stocks ? { stocks, heterogeneity: heterogeneityIndex(data, r2, layout, z, stocks) } : {}),
      }),
      // the stock case study's index, recorded with the run for the peaks claims (from the iterate: any engine)
      ...(stocks ? { series: (z: HmfState) => ({ heterogeneity: heterogeneityIndex(data, r2, layout, z, stocks) }) } : {}),
      // the row's optimality gap is Σᵢf̃ᵢ − 0 (hmfMetricsRow)
      resolved: { fStar: 0, J: N, ...(setup.misalignment !== undefined ? { misalignment: setup.misalignment } : {}) },
      data: { name: 'M', arrays },
      scale: stackedNorm2(data),
      advice: (ctx) => (own ? hmfAdvice(setup, init, ctx) : baselineAdvice(alg, setup, ctx)),
      initScale: HMF_DEFAULTS.initScale,
      summary: () => hmfSummary(setup, alg),
      materialize: (exp) => materializeHmf(exp, setup, eta, recordEvery),
    },
  };
}

/** Σᵢ‖Mᵢ‖², summed row by row over the stacked [M₁ … M_N] (the order the lab's figures were always summed in). */
function stackedNorm2({ n1, sources }: HmfData): number {
  let t = 0;
  for (let a = 0; a < n1; a++) {
    for (const s of sources) for (let b = 0; b < s.n2; b++) t += s.M[a * s.n2 + b] * s.M[a * s.n2 + b];
  }
  return t;
}

const num = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : x > 0 ? '∞' : String(x));

/** Why an HMF run diverged (engine/divergence.ts has checked the data's scale): η against the rule, β, the start. */
function hmfAdvice(h: HmfSetup, init: HmfState, ctx: { floats: string; iteration?: number; start: string }): string {
  const { eta, beta } = h.params;
  const n1 = h.data.n1;
  if (ctx.iteration === 0) {
    return `The start is out of range: at ${ctx.start} the objective overflows ${ctx.floats}. Start smaller (the default init scale is 0.01). The step size is not the cause (no step was taken).`;
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
  block(init.X, 0, init.X.length);
  h.data.sources.forEach((s, i) => {
    block(init.Y, L.vg[i], s.n2 * h.params.r1);
    block(init.Y, L.ul[i], n1 * h.params.r2);
    block(init.Y, L.vl[i], s.n2 * h.params.r2);
  });
  if (eta * R2 >= 1) return `${inside}: ${ctx.start} is too large — the start's factors have ‖·‖² up to ${num(R2)}, so the curvature there is beyond 1/η = ${num(1 / eta)}. Start smaller (the default init scale is 0.01).`;
  return `${etas} is within 0.5/maxᵢ‖Mᵢ‖₂² = ${num(bound)}, so by that rule the step size is not the cause; nor are β = ${num(beta)}, the start or the data's scale. The rule is an estimate, not a guarantee: if nothing else changed, try a smaller η.`;
}

/**
 * Why a JIVE or perPCA run stopped with non-finite numbers: neither has a regulariser, and JIVE no step; the
 * data's scale has been checked by engine/divergence.ts before this is asked.
 */
function baselineAdvice(alg: string, h: HmfSetup, ctx: { floats: string; iteration?: number }): string {
  if (alg === 'jive') {
    return `JIVE's sweeps are truncated SVDs with no step size, so no setting of the run makes them overflow ${ctx.floats}; the data is the cause (rescale it to entries of order 1).`;
  }
  const eta = h.params.eta;
  return `perPCA retracts its bases onto orthonormal ones every round, so only a step η = ${num(eta)} that overflows ${ctx.floats} in η·MᵢMᵢᵀ, or a basis that lost rank, stops it; try a smaller η (e.g. the rule c/maxᵢ‖Mᵢ‖₂²) or rescale the data.`;
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

/**
 * The session's row for an HMF iterate. objective = distributedObjective = Σᵢf̃ᵢ (7.2); consensusError = 0
 * (the server's average makes U_g common by construction); optimalityGap = Σᵢf̃ᵢ − 0, exact for noiseless
 * fully representable data (f̃ = 0 at the planted factors with orthonormal bases) and an upper bound
 * otherwise; imbalance = ‖U_gᵀU_g − I‖ (SPEC §7.5's orthonormality); plus the HMF metrics.
 */
export function hmfMetricsRow(s: HmfSetup, z: HmfState, iteration: number, rp?: ResidualPass): MetricsRow {
  const m = hmfMetrics(s.data, s.params, s.layout, z, rp);
  const row: MetricsRow = {
    iteration, objective: m.objective, consensusError: 0, distributedObjective: m.objective, optimalityGap: m.objective,
    gradientNorm: m.gradientNorm, imbalance: m.orthonormality, feasibility: m.feasibility,
  };
  if (m.sharedError !== undefined) row.sharedError = m.sharedError;
  if (m.uniqueError !== undefined) row.uniqueError = m.uniqueError;
  if (m.subspaceError !== undefined) row.subspaceError = m.subspaceError;
  if (m.testRmse !== undefined) row.testRmse = m.testRmse;
  if (m.trainRmse !== undefined) row.trainRmse = m.trainRmse;
  if (m.baselineRmse !== undefined) row.baselineRmse = m.baselineRmse;
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

/** One line for `validate`: sizes, ranks, the algorithm's settings (η, β, correction) and θ̂. */
function hmfSummary(h: HmfSetup, alg: string): string {
  const { data, params: p } = h;
  const n2 = [...new Set(data.sources.map((s) => s.n2))].join('/');
  const observed = data.sources.reduce((a, s) => a + (s.mask ? s.mask.reduce((x, v) => x + v, 0) : s.M.length), 0);
  const total = data.sources.reduce((a, s) => a + s.M.length, 0);
  const theta = h.misalignment !== undefined ? `, misalignment θ̂ = ${h.misalignment.toFixed(4)}` : '';
  const test = data.sources.reduce((a, s) => a + (s.test ? s.test.index.length : 0), 0);
  const held = test > 0 ? ` (${test} of them held out for the test RMSE)` : '';
  const settings = alg === 'jive' ? 'JIVE (no step: η is not read), missing entries as zeros'
    : alg === 'perpca' ? `perPCA, η = ${p.eta.toPrecision(4)}, missing entries as zeros`
      : `η = ${p.eta.toPrecision(4)}, β = ${p.beta}, correction ${p.correction ? 'on' : 'off'}`;
  return `hmf: N = ${data.sources.length} sources of ${data.n1}×${n2}, r1 = ${p.r1}, r2 = ${p.r2}, ${((100 * (total - observed)) / total).toFixed(1)} % missing${held}; `
    + `${settings}${theta}`;
}

/** The same HMF experiment with the sources written out (data, masks and the true parts when known). */
function materializeHmf<E extends ExperimentDoc>(exp: E, h: HmfSetup, eta: number, recordEvery: number): E {
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
  // rating prediction keeps its data as given (a synthetic spec, or the ratings): the test set lives there
  if (p.ratings) return { ...exp, algorithm: { ...exp.algorithm, stepsize: eta, recordEvery } };
  return {
    ...exp,
    problem: { kind: 'hmf', sharedRank: p.sharedRank, uniqueRank: p.uniqueRank, sources },
    algorithm: { ...exp.algorithm, stepsize: eta, recordEvery },
  };
}

/** The HMF problem of an instance (tests, benchmarks); any other instance is refused. */
export function hmfProblem(inst: Instance): HmfSetup {
  if (isNodeInstance(inst) || inst.problem.kind !== 'hmf') throw new RangeError(`not an HMF instance (${inst.problem.kind})`);
  return inst.problem;
}
