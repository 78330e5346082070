/**
 * Heterogeneous matrix factorization (SPEC §7, [H]): N sources Mᵢ sharing a factor U_g, each with its own
 * U_(i),l orthogonal to it, fitted by Algorithm 1 (a server averages U_g every round). Data: a planted model,
 * given sources, or the video demo (one frame per source, 7×7 patches as rows).
 *
 * Its rivals in Table 2 of [H], JIVE and perPCA, run as algorithms of this kind (algorithm.name "jive",
 * "perpca"; src/core/hmf-baselines.ts), on the CPU engine only.
 *
 * Its cross-checks: sources with different row counts, r₁ + r₂ > n₁, a source with no observed entry,
 * masks that are not 0/1, options that belong to another algorithm (β and the correction switch are
 * Algorithm 1's: JIVE and perPCA refuse them, as every algorithm refuses another's options).
 */
import { B, NORMAL, type Sizes, UNIFORM, plural, sigma1 } from '../cost-model';
import { ALGORITHM_LABELS, type CheckContext, type Fail } from '../document';
import { buildHmfInstance } from '../hmf-build';
import { PATCH } from '../video';
import { type HmfProblemConfig, HmfSchema } from './hmf-schema';
import { defineOwnKind } from './kind';
import { field } from './link';
import { checkRatings } from './ratings-schema';
import { checkHae } from './hae-check';

export { type HmfProblemConfig, HmfSchema } from './hmf-schema';


/** How each algorithm of the kind starts, for the messages that refuse an explicit start. */
const STARTS: Record<string, string> = {
  hmf: 'HMF starts from init.seed and init.scale (scale·N(0, 1) entries)',
  jive: 'JIVE starts from A = 0 (its first sweep) and reads no start',
  perpca: 'perPCA starts from random orthonormal bases drawn from init.seed',
  hae: 'HAE starts from uniform weights drawn from init.seed (src/core/hae.ts)',
};

/** Algorithm 1's options, which JIVE and perPCA refuse (as every algorithm refuses another's options). */
const HMF_ONLY = {
  beta: 'the weight β of the regulariser in (7.2)',
  correction: 'the correction step (7.5)',
} as const;

function checkHmf(p: HmfProblemConfig, ctx: CheckContext, fail: Fail): void {
  const e = ctx;
  const alg = e.algorithm.name, label = ALGORITHM_LABELS[alg];
  // (an empty network object, or one with only the defaulted weights/lazy, describes no network)
  if (e.network && Object.keys(e.network).some((k) => k !== 'weights' && k !== 'lazy')) {
    return fail(['network'], alg === 'hmf' ? 'HMF averages U_g through a server each round; leave out "network"' : `${label} runs on the sources themselves, with no network; leave out "network"`);
  }
  for (const k of ['curvatureEvery', 'perturb'] as const) {
    if (e.algorithm[k] !== undefined) return fail(['algorithm', k], `is for the gradient methods on node objectives; ${label} does not use it`);
  }
  if (alg !== 'hmf') {
    for (const k of ['beta', 'correction'] as const) {
      if (e.algorithm[k] !== undefined) return fail(['algorithm', k], `is an option of HMF's Algorithm 1 (${HMF_ONLY[k]}); ${label} does not use it: leave it out (in a comparison run's patch, "${k}": null)`);
    }
  }
  if (checkHae(p, ctx, fail)) return;
  if (e.init.saddle) return fail(['init', 'saddle'], `is for factorization problems; ${STARTS[alg]}`);
  if (e.init.U || e.init.V || e.init.x) return fail(['init', e.init.U ? 'U' : e.init.V ? 'V' : 'x'], `${STARTS[alg]}; explicit starts are not read`);
  const given = [p.generate && 'generate', p.sources && 'sources', p.video && 'video', p.ratings && 'ratings', p.stocks && 'stocks', p.prices && 'prices'].filter(Boolean);
  if (given.length !== 1) return fail(['problem'], 'give exactly one of "generate" (a planted model), "sources" (data), "ratings" (rating prediction), "video", "stocks" (a model market) or "prices" (daily prices)');
  const r1 = p.sharedRank, r2 = p.uniqueRank;
  const tooMany = (n1: number) => fail(['problem', 'uniqueRank'], `sharedRank + uniqueRank = ${r1} + ${r2} = ${r1 + r2} exceeds n1 = ${n1}; U_g and U_(i),l must fit side by side in ℝ^n1`);
  let n1: number;
  if (p.generate) {
    const g = p.generate;
    n1 = g.n1;
    if (r1 + r2 > n1) return tooMany(n1);
    if ((g.factors ?? 'orthogonal') === 'orthogonal' && g.n2 < r1 + r2) {
      return fail(['problem', 'generate', 'n2'], `is ${g.n2} but the planted model with "orthogonal" factors needs n2 ≥ sharedRank + uniqueRank = ${r1 + r2} (V_(i),l orthonormal and orthogonal to V_(i),g)`);
    }
    if (Math.round(g.missing * g.n1 * g.n2) >= g.n1 * g.n2) return fail(['problem', 'generate', 'missing'], `removes all ${g.n1 * g.n2} entries of each source; every source needs at least one observed entry`);
  } else if (p.ratings) {
    const users = checkRatings(p.ratings, ['problem', 'ratings'], fail);
    if (users === null) return;
    n1 = users;
  } else if (p.sources) {
    n1 = -1;
    for (let i = 0; i < p.sources.length; i++) {
      const s = p.sources[i];
      const at = (...k: (string | number)[]) => ['problem', 'sources', i, ...k];
      if (s.M.shape.length !== 2) return fail(at('M', 'shape'), `must be [n1, n2], got [${s.M.shape.join(', ')}]`);
      const [rows, cols] = s.M.shape;
      if (rows < 1 || cols < 1) return fail(at('M', 'shape'), `needs n1, n2 ≥ 1, got [${rows}, ${cols}]`);
      if (i === 0) n1 = rows;
      else if (rows !== n1) return fail(at('M', 'shape'), `has ${rows} rows but source 0 has ${n1}; every source needs the same n1 (rows)`);
      for (const key of ['mask', 'shared', 'unique'] as const) {
        const t = s[key];
        if (t && (t.shape.length !== 2 || t.shape[0] !== rows || t.shape[1] !== cols)) return fail(at(key, 'shape'), `must be [${rows}, ${cols}] like M, got [${t.shape.join(', ')}]`);
      }
      if ((s.shared === undefined) !== (s.unique === undefined)) return fail(at(s.shared ? 'unique' : 'shared'), 'give both true parts (shared and unique) or neither');
      if (s.mask) {
        if (s.mask.data.some((v) => v !== 0 && v !== 1)) return fail(at('mask'), 'entries must be 0 (missing) or 1 (observed)');
        if (!s.mask.data.some((v) => v === 1)) return fail(at('mask'), `observes no entry of source ${i}; every source needs at least one observed entry`);
      }
    }
  } else if (p.stocks) {
    const st = p.stocks, at = (k: string) => ['problem', 'stocks', k];
    n1 = st.stocks;
    const windows = Math.floor(st.days / st.window);
    if (windows < 2) return fail(at('days'), `${st.days} days hold ${windows === 1 ? 'one window' : 'no full window'} of ${st.window} days; the heterogeneity index compares windows, so give days ≥ ${2 * st.window}`);
    if (st.eventDays > st.window) return fail(at('eventDays'), `is ${st.eventDays} but an event must fit in one window of ${st.window} days`);
    if (st.events > Math.ceil(windows / 2)) return fail(at('events'), `is ${st.events} but ${windows} windows hold at most ${Math.ceil(windows / 2)} events with no two in the same or adjacent windows`);
  } else if (p.prices) {
    const pr = p.prices, at = (...k: (string | number)[]) => ['problem', 'prices', ...k];
    if (pr.data.shape.length !== 2) return fail(at('data', 'shape'), `must be [dates, tickers], got [${pr.data.shape.join(', ')}]`);
    const [T, n] = pr.data.shape;
    if (n !== pr.tickers.length) return fail(at('data', 'shape'), `has ${n} columns but tickers lists ${pr.tickers.length}; one column per ticker`);
    const dup = pr.tickers.find((t, i) => pr.tickers.indexOf(t) !== i);
    if (dup !== undefined) return fail(at('tickers'), `names ${JSON.stringify(dup)} twice`);
    if (pr.dates) {
      if (pr.dates.length !== T) return fail(at('dates'), `lists ${pr.dates.length} dates but data has ${T} rows; one date per row`);
      const k = pr.dates.findIndex((d, i) => i > 0 && !(pr.dates![i - 1] < d));
      if (k > 0) return fail(at('dates', k), `${JSON.stringify(pr.dates[k])} does not come after ${JSON.stringify(pr.dates[k - 1])}; dates must ascend (ISO dates, YYYY-MM-DD)`);
    }
    if (pr.mask) {
      if (pr.mask.shape.length !== 2 || pr.mask.shape[0] !== T || pr.mask.shape[1] !== n) return fail(at('mask', 'shape'), `must be [${T}, ${n}] like data, got [${pr.mask.shape.join(', ')}]`);
      if (pr.mask.data.some((v) => v !== 0 && v !== 1)) return fail(at('mask'), 'entries must be 0 (missing) or 1 (observed)');
    }
    const bad = pr.data.data.findIndex((v, k) => !(v > 0) && (!pr.mask || pr.mask.data[k] === 1));
    if (bad >= 0) return fail(at('data'), `${pr.tickers[bad % n]} on ${pr.dates ? pr.dates[Math.floor(bad / n)] : `row ${Math.floor(bad / n) + 1}`} is ${pr.data.data[bad]}; prices must be positive (mark a missing one 0 in mask)`);
    if (pr.index && pr.index.prices.length !== T) return fail(at('index', 'prices'), `lists ${pr.index.prices.length} prices but data has ${T} dates; one index price per date`);
    const windows = Math.floor((T - 1) / pr.window);
    if (windows < 2) return fail(at('window'), `${T} dates give ${T - 1} daily returns, ${windows === 1 ? 'one window' : 'no full window'} of ${pr.window}; the heterogeneity index compares windows, so use a window ≤ ${Math.floor((T - 1) / 2)}`);
    n1 = n;
  } else {
    const v = p.video!;
    let h = v.height, w = v.width;
    if (v.data) {
      if (v.data.shape.length !== 3) return fail(['problem', 'video', 'data', 'shape'], `must be [frames, height, width], got [${v.data.shape.join(', ')}]`);
      const [F, hh, ww] = v.data.shape;
      if (F < 2) return fail(['problem', 'video', 'data', 'shape'], `holds ${F} frame; HMF needs at least 2 (one source per frame)`);
      h = hh;
      w = ww;
    }
    if (h < PATCH || w < PATCH) return fail(['problem', 'video', v.data ? 'data' : 'height'], `frames of ${h}×${w} hold no ${PATCH}×${PATCH} patch`);
    n1 = Math.floor(h / PATCH) * Math.floor(w / PATCH);
    if (Math.round(v.missing * PATCH * PATCH * n1) >= PATCH * PATCH * n1) return fail(['problem', 'video', 'missing'], 'removes every pixel; every frame needs at least one observed pixel');
  }
  if (r1 + r2 > n1) return tooMany(n1);
}

export const hmf = defineOwnKind({
  kind: 'hmf',
  label: 'HMF',
  title: 'heterogeneous MF (HMF)',
  help: 'HMF (SPEC §7): N sources share U_g, each has its own U_(i),l orthogonal to it; a server averages U_g every round.',
  schema: HmfSchema,
  // HMF's Algorithm 1, and its rivals of Table 2 (src/core/hmf-baselines.ts), CPU only
  algorithms: ['hmf', 'jive', 'perpca', 'hae'],
  algorithmOptions: ['beta', 'correction', 'hae'],
  usesNetwork: false,
  gpuFamily: 'hmf',
  // the planted Fig. 1 model at n₁ = 60 (preset r15)
  defaults: { kind: 'hmf', sharedRank: 3, uniqueRank: 3, generate: { seed: 1, N: 100, n1: 60, n2: 100 } },
  step: 'round',
  // the run a switch to HMF starts with (no network: a server averages U_g)
  run: {
    algorithm: { name: 'hmf', stepsize: 0.2, iterations: 500, recordEvery: 5, beta: 0.1 },
    init: { seed: 1, scale: 0.01 },
  },
  sweep: [
    { path: 'algorithm.beta', label: 'regulariser β', integer: false },
    { path: 'problem.sharedRank', label: 'shared rank r₁', integer: true },
    { path: 'problem.uniqueRank', label: 'unique rank r₂', integer: true },
    { path: 'problem.generate.N', label: 'sources N', integer: true },
    { path: 'problem.generate.n1', label: 'rows n₁', integer: true },
    { path: 'problem.generate.n2', label: 'columns n₂ per source', integer: true },
    { path: 'problem.generate.missing', label: 'missing fraction', integer: false },
  ],
  sweepY: { param: 'algorithm.beta', values: [0, 0.05, 0.1] },
  sweepOutcomes: ['sharedError', 'uniqueError', 'subspaceError'],
  success: () => ['objective Σᵢf̃ᵢ', '‖M‖²'],
  explain: (algorithm) => (algorithm === 'hae' ? {
    tex: String.raw`\begin{aligned}&E_g = \mathrm{Net}_{U_g}(M_i^{\rm obs}),\quad E_l = \mathrm{Net}_{U_{(i),l}}(M_i^{\rm obs}) - F^{-1}\big(\mathrm{Proj}(F(E_g), F(\cdot))\big)\\ &\theta^{(i)} \leftarrow \mathrm{AdamW}\big(\|P_{\Omega_i}(M_i - \mathrm{Net}_V(E_g + E_l))\|^2\big),\qquad U_g, V \leftarrow \tfrac1N \textstyle\sum_i (\cdot)^{(i)}\end{aligned}`,
    words: 'Heterogeneous auto-encoders (Algorithm 2 of [H]): a shared encoder and each source’s own encoder map every column of the zero-filled Mᵢ to r-vectors; the unique one is deflated against the shared one group by group (F folds an r-vector into k vectors of r/k), the decoder reads their sum, and every source takes an AdamW step on its masked loss ‖P_Ω(Mᵢ − Net_V(·))‖²; a server averages the shared encoder and the decoder. The step μ shown is AdamW’s η.',
  } : algorithm === 'jive' ? {
    tex: String.raw`\begin{aligned}&[J_1 \cdots J_N] \leftarrow \operatorname{SVD}_{r_1}\big([M_1 - A_1, \dots, M_N - A_N]\big) = U_g[V_{1,g} \cdots V_{N,g}]^\top\\ &A_i \leftarrow \operatorname{SVD}_{r_2}\big((I - U_gU_g^\top)(M_i - J_i)\big) = U_{i,l}V_{i,l}^\top\end{aligned}`,
    words: 'JIVE (Lock et al. 2013), one of HMF’s rivals in Table 2: alternate truncated SVDs — the joint part from all sources with their individual parts removed, then each source’s individual part from what the joint part leaves, projected off the joint column space U_g (so U_(i),l ⟂ U_g). Missing entries are zeros; no step size is used. The objective shown is the fit on the observed entries.',
  } : algorithm === 'perpca' ? {
    tex: String.raw`\begin{aligned}&[U_g^{(i)}\; U_{i,l}] \leftarrow \operatorname{polar}\big(W_i + \eta\, M_iM_i^\top W_i\big),\quad W_i = [U_g\; U_{i,l}]\\ &U_g \leftarrow \operatorname{polar}\big(\tfrac1N \textstyle\sum_i U_g^{(i)}\big),\qquad U_{i,l} \leftarrow \operatorname{polar}\big((I - U_gU_g^\top)U_{i,l}\big)\end{aligned}`,
    words: 'perPCA (Shi & Kontar 2024), one of HMF’s rivals in Table 2: each source takes a gradient-ascent step on tr(WᵀMᵢMᵢᵀW) for its orthonormal [U_g U_(i),l] and retracts it onto orthonormal columns; a server averages the copies of U_g and retracts; each U_(i),l is then made orthogonal to U_g. The V’s are the PCA coefficients MᵢᵀU. Missing entries are zeros. The step μ shown is η.',
  } : {
    tex: String.raw`\begin{aligned}&U_{i,l} \leftarrow U_{i,l} - U_g R_i,\quad V_{i,g} \leftarrow V_{i,g} + V_{i,l} R_i^\top,\quad R_i = (U_g^\top U_g)^{-1} U_g^\top U_{i,l}\\ &(U_g^{(i)}, V_{i,g}, U_{i,l}, V_{i,l}) \leftarrow (\cdot) - \eta\,\nabla \tilde f_i,\qquad U_g \leftarrow \tfrac1N \textstyle\sum_i U_g^{(i)}\end{aligned}`,
    words: 'Heterogeneous matrix factorization (SPEC §7, Algorithm 1): each source first corrects its unique factor U_(i),l to be orthogonal to the shared U_g (this changes no fit), then takes a gradient step on all four blocks of f̃ᵢ = ½‖P_Ω(Mᵢ − U_gV_(i),gᵀ − U_(i),lV_(i),lᵀ)‖² + β terms; a server averages the N copies of U_g. The step μ shown is η.',
  }),
  link: [
    field('r1', 'int', 'problem', 'sharedRank'),
    field('r2', 'int', 'problem', 'uniqueRank'),
    field('hN', 'int', 'problem', 'generate.N'),
    field('hn1', 'int', 'problem', 'generate.n1'),
    field('hn2', 'int', 'problem', 'generate.n2'),
    field('hnoise', 'num', 'problem', 'generate.noise'),
    field('hmiss', 'num', 'problem', 'generate.missing'),
    field('hseed', 'int', 'problem', 'generate.seed'),
    field('vframes', 'int', 'problem', 'video.frames'),
    field('vblobs', 'int', 'problem', 'video.blobs'),
    field('vmiss', 'num', 'problem', 'video.missing'),
    field('vseed', 'int', 'problem', 'video.seed'),
    field('rk', 'int', 'problem', 'ratings.clusters'),
    field('rtest', 'num', 'problem', 'ratings.testFraction'),
    field('rsplit', 'int', 'problem', 'ratings.seed'),
    field('rseed', 'int', 'problem', 'ratings.synthetic.seed'),
    field('rusers', 'int', 'problem', 'ratings.synthetic.users'),
    field('rmovies', 'int', 'problem', 'ratings.synthetic.movies'),
    field('rgenres', 'int', 'problem', 'ratings.synthetic.genres'),
    field('rdens', 'num', 'problem', 'ratings.synthetic.density'),
    field('rnoise', 'num', 'problem', 'ratings.synthetic.noise'),
    field('sseed', 'int', 'problem', 'stocks.seed'),
    field('sstocks', 'int', 'problem', 'stocks.stocks'),
    field('sdays', 'int', 'problem', 'stocks.days'),
    field('swin', 'int', 'problem', 'stocks.window'),
    field('sevents', 'int', 'problem', 'stocks.events'),
    field('ssize', 'num', 'problem', 'stocks.eventSize'),
    field('pwin', 'int', 'problem', 'prices.window'),
    field('beta', 'num', 'algorithm', 'beta'),
    field('hcorr', 'bool', 'algorithm', 'correction'),
    // HAE's networks (algorithm.hae, src/core/hae-options.ts): hidden widths ("" = linear), σ, the groups k, AdamW's λ
    {
      key: 'hhid', kind: 'str',
      get: (d) => ((d.algorithm as { hae?: { hidden?: number[] } }).hae?.hidden)?.join(','),
      set: (d, v) => {
        const t = String(v).trim();
        const widths = t === '' ? [] : t.split(',').map(Number);
        if (widths.some((w) => !Number.isInteger(w))) throw new Error('must be layer widths separated by commas (e.g. 32 or 32,16; empty: linear networks)');
        const a = d.algorithm as { hae?: object };
        a.hae = { ...(a.hae ?? {}), hidden: widths };
      },
    },
    field('hact', { enum: ['relu', 'none'] }, 'algorithm', 'hae.activation'),
    field('hk', 'int', 'algorithm', 'hae.groups'),
    field('hwd', 'num', 'algorithm', 'hae.weightDecay'),
  ],
  budget: {
    sizes(p, s) {
      s.r1 = p.sharedRank;
      s.r2 = p.uniqueRank;
      const v = p.video;
      if (p.generate) {
        const g = p.generate;
        s.N = g.N;
        s.n1 = g.n1;
        s.n2 = g.n2;
        s.missing = g.missing > 0;
        s.truthKnown = true;
      } else if (v) {
        s.source = 'video';
        [s.F, s.H, s.W] = v.data ? v.data.shape : [v.frames, v.height, v.width];
        s.missing = v.missing > 0;
        s.truthKnown = !v.data;
      } else if (p.stocks) {
        // the model market (src/core/stocks-model.ts): windows of returns, stocks as rows
        const st = p.stocks;
        s.source = 'stocks';
        s.N = Math.floor(st.days / st.window);
        s.n1 = st.stocks;
        s.n2 = st.window;
        s.missing = false;
        s.truthKnown = false;
      } else if (p.prices) {
        const pr = p.prices, [T, n] = pr.data.shape;
        s.source = 'prices';
        s.N = Math.floor((T - 1) / pr.window);
        s.n1 = n;
        s.n2 = pr.window;
        s.missing = !!pr.mask;
        s.truthKnown = false;
      } else if (p.ratings) {
        // rating prediction: one source per genre cluster, users as rows; the widest cluster is at most all movies
        const r = p.ratings, g = r.given;
        s.source = 'sources';
        s.N = r.clusters;
        s.m = r.synthetic ? r.synthetic.movies : g!.genres.shape[0];
        s.n1 = r.synthetic ? r.synthetic.users : g!.ratings.data.reduce((a, x, k) => (k % 3 === 0 ? Math.max(a, x) : a), 1);
        s.n2 = s.m;
        s.missing = true;
        s.truthKnown = false;
      } else if (p.sources) {
        const sources = p.sources;
        s.source = 'sources';
        s.N = sources.length;
        s.n1 = sources[0].M.shape[0];
        s.n2 = Math.max(...sources.map((x) => x.M.shape[1]));
        s.m = sources.reduce((t, x) => t + x.M.shape[1], 0);
        s.missing = sources.some((x) => !!x.mask);
        s.truthKnown = sources.every((x) => !!x.shared && !!x.unique);
      }
      if (s.source === 'video') {
        s.N = s.F;
        s.n1 = Math.floor(s.H / PATCH) * Math.floor(s.W / PATCH);
        s.n2 = PATCH * PATCH;
      }
      if (s.source !== 'sources') s.m = s.N * s.n2;
      s.n = s.n1;
      s.r = Math.min(s.r1 + s.r2, s.n1, s.m);
    },
    adjust: hmfAdjust,
    describe: (s) => `hmf: N = ${s.N} sources of ${s.n1}×${s.n2}, r1 = ${s.r1}, r2 = ${s.r2}`,
    resolvedLater: 'η and θ̂ are',
    data: (s) => (s.source === 'video'
      ? {
        field: 'problem.video', what: `${plural(s.F, 'frame')} of ${s.H}×${s.W}`,
        knobs: [
          { key: 'F', label: 'number of frames', min: () => 2, with: (x) => `${x.H}×${x.W} frames` },
          { key: 'H', label: 'height', min: () => 7, with: (x) => `${x.F} frames ${x.W} wide` },
        ],
      }
      : s.source === 'stocks' || s.source === 'prices' ? {
        field: `problem.${s.source}`, what: `${s.n1} stocks, ${plural(s.N, 'window')} of ${s.n2} days`,
        knobs: [
          { key: 'N', label: 'number of windows (days / window)', min: () => 2, with: (x) => `${x.n1} stocks, windows of ${x.n2} days` },
          { key: 'n1', label: 'stocks', min: (x) => x.r1 + x.r2, with: (x) => `${plural(x.N, 'window')} of ${x.n2} days` },
        ],
      }
      : {
        field: s.source === 'sources' ? 'problem.sources' : 'problem.generate', what: `N = ${s.N}, n1 = ${s.n1}, n2 = ${s.n2}`,
        knobs: [
          { key: 'N', label: 'N', min: () => 1, with: (x) => `n1 = ${x.n1}, n2 = ${x.n2}` },
          { key: 'n2', label: 'n2', min: (x) => (x.orthogonal ? x.r1 + x.r2 : 1), with: (x) => `N = ${x.N}, n1 = ${x.n1}` },
          { key: 'n1', label: 'n1', min: (x) => x.r1 + x.r2, with: (x) => `N = ${x.N}, n2 = ${x.n2}` },
        ],
      }),
    written: (s) => (s.source === 'sources' ? s.n * s.m * (1 + (s.missing ? 1 : 0) + (s.truthKnown ? 2 : 0))
      : s.source === 'prices' ? s.n1 * (s.m + 1) * (s.missing ? 2 : 1)
      : s.source === 'video' && !s.truthKnown ? s.F * s.H * s.W : 0),
    materialized: (s) => s.n1 * s.m * (1 + (s.missing ? 1 : 0) + (s.truthKnown ? 2 : 0)),
    iterateNumbers: (s) => s.N * (s.n2 * (s.r1 + s.r2) + s.n1 * s.r2) + s.n1 * s.r1,
    // src/core/hmf-model.ts, video.ts, hmf-build.ts
    cost(l) {
      const s = l.s, { N, n1, n2, r1, r2, m } = s;
      const entries = n1 * m;
      if (s.source === 'generate') {
        if (s.orthogonal) {
          l.temp('Q (n₁×n₁, orthonormalised)', n1 * n1 * B, 'sources');
          l.work('orthonormalising Q (n₁×n₁)', NORMAL * n1 * n1 + 4 * n1 * n1 * n1, 'sources');
        } else l.work('drawing and deflating the bases', NORMAL * n1 * (r1 + N * r2) + 4 * N * n1 * r1 * r2, 'sources');
        l.hold('the true bases', (n1 * r1 + N * n1 * r2) * B, 'sources');
        l.hold('the sources Mᵢ and their true shared and unique parts', 3 * entries * B, 'sources');
        l.work('the sources UV ᵀ', N * (2 * n1 * n2 * (r1 + r2) + NORMAL * n2 * (r1 + r2)) + (s.noise ? NORMAL * entries : 0), 'sources');
        l.work('θ̂ (500 power iterations)', 2500 * N * n1 * r2, 'sources');
        l.temp('θ̂’s orthonormal bases', N * n1 * r2 * B, 'sources');
      } else if (s.source === 'video') {
        const P = s.H * s.W;
        l.hold('the clip’s frames', (s.F + (s.truthKnown ? 1 : 0)) * P * B, 'sources');
        if (s.truthKnown) l.work('drawing the clip', 200 * P + 2 * s.F * P, 'sources');
        l.hold(s.truthKnown ? 'the frames as 7×7 patches (Mᵢ) and their true foreground' : 'the frames as 7×7 patches (Mᵢ)', (s.truthKnown ? 2 : 1) * entries * B + n1 * 49 * B, 'sources');
        l.temp('one frame’s patches and shuffled pixel indices', n1 * 49 * (B + 4), 'sources');
      } else {
        if (s.source === 'stocks') {
          l.work('drawing the model market’s returns and prices', NORMAL * entries + 8 * entries, 'sources');
          l.temp('the model market’s prices', entries * B, 'sources');
        }
        if (s.source === 'stocks' || s.source === 'prices') l.temp('the returns', 2 * entries * B, 'sources');
        l.hold('the sources Mᵢ (and their true parts when given)', (s.truthKnown ? 3 : 1) * entries * B, 'sources');
      }
      if (s.missing) {
        l.hold('the masks', entries, 'sources');
        l.work('drawing the masks', UNIFORM * entries, 'sources');
        l.temp('one mask’s shuffled indices', n1 * n2 * 4, 'sources');
      }
      if (s.rule) {
        const s1 = sigma1(n1, n2);
        l.temp('σ₁(Mᵢ) for the step rule', s1.bytes, 'sources');
        l.work('σ₁(Mᵢ) of every source for the step rule', N * s1.flops, 'sources');
      }
      const L = N * (n2 * (r1 + r2) + n1 * r2);
      l.hold('the initial iterate', (n1 * r1 + L) * B, 'iterate');
      l.hold('the engine’s and session’s copies of the iterate', 3 * (n1 * r1 + L) * B, 'iterate', 'engine');
      // the CPU engine's WebAssembly kernels: Algorithm 1's residual pass (hmf.ts kernelResidualPass), one source's
      // residual and factors; HAE's dense layers (hae.ts haeKernels) keep every source's input, then one layer's
      // activations and gradients (32 wide by default)
      const kernelScratch = s.alg === 'hae' ? entries + 8 * 32 * n2 + 4 * 32 * n1 : n1 * n2 + 3 * (n1 + n2) * (r1 + r2);
      if (s.alg === 'hmf' || s.alg === 'hae') l.hold('the products’ scratch in the CPU engine’s kernel memory (from the first step)', kernelScratch * B + 65536, 'iterate', 'engine', true);
      // JIVE: the joint n₁×n₁ Gram matrix and one eigen-decomposition, then per source the smaller Gram
      // matrix of its individual part (n₂×n₂ when n₂ < n₁) and its eigen-decomposition (hmf-baselines.ts);
      // perPCA: MᵢᵀW and Mᵢ(·) per source. An eigen-decomposition of order n costs about 10n³ (measured).
      const k = r1 + r2, eig = (n: number) => 10 * n * n * n;
      const individual = n2 < n1 ? n2 * n2 * n1 + eig(n2) + 2 * n1 * n2 * r2 : n1 * n1 * n2 + n1 * n1 * r1 + eig(n1);
      // HAE: forward, backward through the deflation and the weights' gradients, about 6 multiply-adds per
      // weight and column, for two encoders d→32→r and the decoder r→32→d (the default width; src/core/hae.ts)
      const hae = N * n2 * 6 * (2 * (n1 * 32 + 32 * r1) + 32 * r1 + 32 * n1);
      const round = s.alg === 'hae' ? hae : s.alg === 'jive' ? N * (n1 * n1 * n2 + n1 * n2 * (8 * r1 + 4 * r2) + individual) + eig(n1)
        : s.alg === 'perpca' ? N * (6 * n1 * n2 * k + 4 * n1 * k * k + 4 * n1 * r1 * r2 + 2 * eig(k))
          : N * (6 * n1 * n2 * (r1 + r2) + 2 * n1 * (r1 + r2) * (r1 + r2)) + (s.correction ? N * 4 * (n1 + n2) * r1 * r2 : 0);
      if (s.alg === 'jive') l.temp('JIVE’s residuals Mᵢ − Aᵢ of one sweep', entries * B, 'iterate');
      l.temp('the gradients of one round', (L + N * n1 * r1) * B, 'iterate');
      if (s.truthKnown) l.temp('the reconstructions of a record (shared and unique parts of every source)', 2 * entries * B, 'sources');
      if (s.source === 'video') l.temp('the video view’s frames', 2 * entries * B, 'sources');
      l.work(s.alg === 'jive' ? 'JIVE’s start (its first sweep)' : 'correcting the initial iterate', s.alg === 'jive' ? round : s.correction ? N * 4 * (n1 + n2) * r1 * r2 : 0, 'iterate');
      l.work('the first record', round + (s.truthKnown ? 2 * N * n1 * n2 * (r1 + r2) : 0), 'iterate');
      const records = Math.ceil(s.iterations / s.recordEvery) + 1;
      const setup = l.setup.reduce((t, w) => t + w.flops, 0);
      return { iteration: round, total: setup + s.iterations * round + records * round };
    },
  },
  check: checkHmf,
  instance: buildHmfInstance,
});

/** The sizes that follow from changed ones (a refusal's search): the video's sources and patches, the stacked width. */
function hmfAdjust(s: Sizes): void {
  if (s.source === 'video') {
    s.N = s.F;
    s.n1 = Math.floor(s.H / PATCH) * Math.floor(s.W / PATCH);
  }
  s.n = s.n1;
  s.m = s.N * s.n2;
  s.r = Math.min(s.r1 + s.r2, s.n1, s.m);
}
