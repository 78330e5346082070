/**
 * The stock case study of [H] §6.3 (SPEC §7.10): a table of prices (dates × tickers) → HMF sources, and
 * the heterogeneity index of a fitted iterate.
 *
 * What [H] says and what is chosen here where it is silent:
 * - Sources (P, §6.3): "a time window of 30 days to group the stock prices into different batches", each
 *   Mᵢ ∈ ℝ^{214×30}: rows are stocks, columns the days of window i. The windows do not overlap and the days
 *   after the last full window are dropped (Repo: stockprocess.py, df2data).
 * - Returns, not prices (P, Fig. 3's caption: "the heterogeneity index of 214 stock returns"; §6.3's text
 *   says "prices"): r_t = p_{t+1}/p_t − 1, one per pair of consecutive dates, so T dates give T − 1 days.
 * - Normalisation (Prop; [H] and its code are silent, the code reads a prepared CSV): each stock's returns
 *   minus their mean, divided by their standard deviation, over all its observed days — every stock on one
 *   scale (a volatile stock would otherwise own the unique part) — and all divided by √(n·w), so that
 *   ‖Mᵢ‖_F ≈ 1 and σ₁(Mᵢ) = O(1) like the planted models' (with β pulling U_g and U_(i),l to orthonormal
 *   columns, a start of scale 0.01–0.1 and η of order 1 then work on any data; on the returns' own scale
 *   the escape from the small start takes thousands of rounds). The index is reported in units of the
 *   standardised returns (×√(n·w) again). `standardize: false` keeps raw returns.
 * - Missing prices (Prop): a return is observed when both its prices are; the others are masked entries of
 *   Mᵢ (the loss ℓ_pse of SPEC §7.2), and the index sums the observed entries only.
 * - Heterogeneity index (P, §6.3): "the column-wise ℓ₁ norm of the signal matrix U_(i),lV_(i),lᵀ for each
 *   i"; the authors' code sums |U_(i),lV_(i),lᵀ| over the rows (stocks) of every column (day), giving one
 *   value per day, concatenated over the windows (Repo: main.py, stock). Here: h_t = Σ_s |(U_(i),lV_(i),lᵀ)_{s,t}|
 *   per day, and per window the mean of its days' values (the windows the peaks are counted in).
 * - Ranks (Repo): the code uses r₁ = r₂ = 10 for 214 stocks; the document sets them.
 */
import { DocumentError } from './document';
import type { HmfData, HmfSource } from './hmf-model';

/** A price table: `prices[t·n + s]` is ticker s on date t; NaN where missing. */
export interface PriceTable {
  /** one label per date (ISO dates for real data; absent for the model market, whose days are numbered) */
  dates?: string[];
  tickers: string[];
  prices: Float64Array;
  /** the market index, one price per date, drawn under the heterogeneity index */
  index?: { name: string; prices: number[] };
}

/** What the stock view and the peaks claims need beside the sources. */
export interface StockSetup {
  tickers: string[];
  /** the window, in days */
  window: number;
  /** the date of each return day (the later of its two prices), when the data has dates */
  dates?: string[];
  /** the return days of the sources: N·window */
  days: number;
  /** Mᵢ holds the returns divided by this (√(n·w) when standardised, else 1); the index is in units of the returns */
  scale: number;
  /** the market index at each return day (its price at the later date), when given */
  index?: { name: string; prices: number[] };
  /** per window: whether a planted event lies in it (the model market only) */
  events?: boolean[];
  /** each planted event's first day and length (the model market only) */
  eventDays?: { start: number; days: number }[];
}

/** A series of windows, what a peaks claim reads: a value per window, and which windows hold a planted event. */
export interface WindowSeries {
  values: number[];
  /** one label per window (its first and last day or date) */
  labels: string[];
  events?: boolean[];
}

/** The index of a fitted iterate: one value per day (h_t) and per window (the mean of its days). */
export interface HeterogeneityIndex extends WindowSeries {
  daily: number[];
}

/** Label of window i: its first and last day (dates when known, else "days a–b" counted from 1). */
export function windowLabel(s: Pick<StockSetup, 'dates' | 'window'>, i: number): string {
  const a = i * s.window, b = a + s.window - 1;
  return s.dates ? `${s.dates[a]} … ${s.dates[b]}` : `days ${a + 1}–${b + 1}`;
}

export interface StockSourcesOptions {
  window: number;
  standardize: boolean;
}

/** Returns, standardised per stock, cut into windows of `window` days: the sources Mᵢ (stocks × days). */
export function priceSources(table: PriceTable, o: StockSourcesOptions, where = 'problem'): { data: HmfData; stocks: StockSetup } {
  const n = table.tickers.length, T = table.prices.length / n;
  const w = o.window;
  const D = T - 1;
  const N = Math.floor(D / w);
  if (N < 2) throw new DocumentError(where, `${T} dates give ${D} daily returns, ${N === 1 ? 'one window' : 'no full window'} of ${w} days; the heterogeneity index compares windows, so give at least ${2 * w + 1} dates or a shorter window`);
  const R = new Float64Array(D * n), seen = new Uint8Array(D * n);
  for (let t = 0; t < D; t++) {
    for (let s = 0; s < n; s++) {
      const a = table.prices[t * n + s], b = table.prices[(t + 1) * n + s];
      if (Number.isFinite(a) && Number.isFinite(b) && a > 0) {
        R[t * n + s] = b / a - 1;
        seen[t * n + s] = 1;
      }
    }
  }
  const used = N * w;
  // standardised windows have ‖Mᵢ‖_F ≈ √(n·w): divided by that, every σ₁(Mᵢ) is O(1), like the planted models'
  const scale = o.standardize ? Math.sqrt(n * w) : 1;
  for (let s = 0; s < n; s++) {
    let k = 0, mean = 0;
    for (let t = 0; t < used; t++) if (seen[t * n + s]) { k++; mean += R[t * n + s]; }
    if (k < 2) throw new DocumentError(where, `${table.tickers[s]} has ${k} observed daily return${k === 1 ? '' : 's'} in the ${used} days used; every ticker needs at least 2 (two consecutive prices each)`);
    mean /= k;
    let v = 0;
    for (let t = 0; t < used; t++) if (seen[t * n + s]) { const d = R[t * n + s] - mean; v += d * d; }
    const sd = Math.sqrt(v / (k - 1));
    if (!(sd > 0)) throw new DocumentError(where, `${table.tickers[s]}'s returns are all equal (a constant price?); there is nothing to factor — leave it out`);
    if (o.standardize) for (let t = 0; t < used; t++) if (seen[t * n + s]) R[t * n + s] = (R[t * n + s] - mean) / (sd * scale);
  }
  const sources: HmfSource[] = [];
  for (let i = 0; i < N; i++) {
    const M = new Float64Array(n * w);
    let mask: Uint8Array | null = null;
    for (let s = 0; s < n; s++) {
      for (let c = 0; c < w; c++) {
        const t = i * w + c;
        if (seen[t * n + s]) M[s * w + c] = R[t * n + s];
        else (mask ??= new Uint8Array(n * w).fill(1))[s * w + c] = 0;
      }
    }
    if (mask && !mask.some((x) => x === 1)) throw new DocumentError(where, `window ${i + 1} (${windowLabel({ dates: table.dates?.slice(1), window: w }, i)}) has no observed return; every window needs one`);
    sources.push({ M, n2: w, mask });
  }
  const stocks: StockSetup = { tickers: table.tickers, window: w, days: used, scale };
  if (table.dates) stocks.dates = table.dates.slice(1, used + 1);
  if (table.index) stocks.index = { name: table.index.name, prices: table.index.prices.slice(1, used + 1) };
  return { data: { n1: n, sources }, stocks };
}

/**
 * The heterogeneity index of an iterate ([H] §6.3): per day h_t = Σ_s |(U_(i),lV_(i),lᵀ)_{s,t}| over the
 * observed entries of window i's column t, and per window the mean of its days. float64, from the iterate
 * alone — the CPU engine's, or a GPU engine's snapshot read back — so both engines serve the same index.
 */
export function heterogeneityIndex(data: HmfData, r2: number, L: { ul: number[]; vl: number[] }, z: { Y: Float64Array }, s: StockSetup): HeterogeneityIndex {
  const { n1 } = data;
  const daily: number[] = [], values: number[] = [], labels: string[] = [];
  data.sources.forEach((src, i) => {
    const ul = L.ul[i], vl = L.vl[i], w = src.n2;
    let total = 0;
    for (let c = 0; c < w; c++) {
      let h = 0;
      for (let a = 0; a < n1; a++) {
        if (src.mask && !src.mask[a * w + c]) continue;
        let x = 0;
        for (let k = 0; k < r2; k++) x += z.Y[ul + a * r2 + k] * z.Y[vl + c * r2 + k];
        h += Math.abs(x);
      }
      h *= s.scale;
      daily.push(h);
      total += h;
    }
    values.push(total / w);
    labels.push(windowLabel(s, i));
  });
  return { daily, values, labels, ...(s.events ? { events: s.events } : {}) };
}

/** The `k` largest values' indices, largest first (ties: the earlier window first). */
export function topIndices(values: readonly number[], k: number): number[] {
  return values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b).slice(0, k);
}

/** What one row of a price table spans, from its dates (the mean gap): "day", "week" or "month"; "day" without dates. */
export function rowUnit(dates: readonly string[] | undefined): 'day' | 'week' | 'month' {
  if (!dates || dates.length < 2) return 'day';
  const gap = (Date.parse(dates[dates.length - 1]) - Date.parse(dates[0])) / (86_400_000 * (dates.length - 1));
  return gap >= 25 ? 'month' : gap >= 5 ? 'week' : 'day';
}
