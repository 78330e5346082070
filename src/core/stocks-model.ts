/**
 * A model market for the stock case study of [H] §6.3 (SPEC §7.10): daily returns of `stocks` stocks over
 * `days` trading days from a market factor, a few sector factors and idiosyncratic noise, with planted
 * events — short runs of days on which a large share of the stocks gets an extra common move along a
 * direction that is in neither factor (a crash that hits stocks by amounts their betas do not predict).
 * Prices follow from the returns by products, p_{t+1} = p_t·(1 + r_t) (no exp), and the market index is
 * the equal-weighted average of the prices, each relative to its first, ×100.
 *
 * The model (Prop; [H] shows real prices only):
 *   r_{s,t} = β_s·f_t + γ_s·g_{k(s),t} + σ_ε·ε_{s,t} + Σ_e [t ∈ days(e)]·a·σ_ε·ℓ_{e,s}
 * with f_t ~ N(μ_f, σ_f²) the market, g_{k,t} ~ N(0, σ_g²) the sector k(s) of stock s, ε ~ N(0, 1),
 * β_s ∈ [0.6, 1.4], γ_s ∈ [0.5, 1], and for event e: ℓ_{e,s} = −(0.5 + |ξ_{e,s}|), ξ ~ N(0, 1), on a subset of
 * round(eventShare·stocks) stocks drawn afresh per event (0 elsewhere), a = eventSize. Each event lies in one
 * window of `window` days (its days do not cross a window's edge) and no two events share or touch a window,
 * so "the event windows" are exactly `events` windows. Everything draws from sub-streams of `seed`.
 */
import { Rng, childSeed } from './rng';

export interface MarketSpec {
  seed: number;
  stocks: number;
  /** trading days of returns; the prices span days + 1 dates */
  days: number;
  /** the window of the case study, in days (the events are placed window by window) */
  window: number;
  sectors: number;
  events: number;
  /** consecutive days of one event */
  eventDays: number;
  /** the share of the stocks an event moves */
  eventShare: number;
  /** the event's daily move in units of the idiosyncratic σ_ε (times the loading ℓ, about −1.3 on average) */
  eventSize: number;
}

/** Daily return scales (fractions): the market's drift and volatility, the sectors', the idiosyncratic one. */
export const MARKET_SCALES = { drift: 3e-4, market: 0.01, sector: 0.006, idio: 0.012 } as const;

export interface Market {
  stocks: number;
  /** days + 1 */
  dates: number;
  /** prices, dates × stocks row-major */
  prices: Float64Array;
  /** the equal-weighted index, one per date (100 at the first) */
  index: Float64Array;
  /** the sector of each stock */
  sector: Int32Array;
  /** each event's first return day (0-based) and its stocks */
  events: { start: number; days: number; stocks: number[] }[];
}

/** `k` distinct windows out of `n`, no two adjacent (k ≤ ⌈n/2⌉ is checked by the schema's cross-check). */
function spreadWindows(rng: Rng, n: number, k: number): number[] {
  // choose k of n − k + 1 slots, then spread them: slot j of the sorted choice becomes slot + j (a gap after each)
  const slots = n - k + 1;
  const idx = Array.from({ length: slots }, (_, i) => i);
  for (let t = 0; t < k; t++) {
    const j = t + rng.int(slots - t);
    [idx[t], idx[j]] = [idx[j], idx[t]];
  }
  return idx.slice(0, k).sort((a, b) => a - b).map((s, j) => s + j);
}

export function plantedMarket(spec: MarketSpec): Market {
  const { seed, stocks: n, days, window: w, sectors, events, eventDays, eventShare, eventSize } = spec;
  const S = MARKET_SCALES;
  const gL = new Rng(childSeed(seed, 'stocks-loadings'));
  const gF = new Rng(childSeed(seed, 'stocks-factors'));
  const gE = new Rng(childSeed(seed, 'stocks-noise'));
  const gV = new Rng(childSeed(seed, 'stocks-events'));
  const beta = new Float64Array(n), gamma = new Float64Array(n), sector = new Int32Array(n), p0 = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    beta[s] = 0.6 + 0.8 * gL.uniform();
    gamma[s] = 0.5 + 0.5 * gL.uniform();
    sector[s] = gL.int(sectors);
    p0[s] = 20 + 80 * gL.uniform();
  }
  // the events: windows, start days inside them, stocks and loadings
  const windows = Math.floor(days / w);
  const planted = spreadWindows(gV, windows, events).map((win) => {
    const start = win * w + gV.int(w - eventDays + 1);
    const idx = Array.from({ length: n }, (_, i) => i);
    const k = Math.round(eventShare * n);
    for (let t = 0; t < k; t++) {
      const j = t + gV.int(n - t);
      [idx[t], idx[j]] = [idx[j], idx[t]];
    }
    const chosen = idx.slice(0, k).sort((a, b) => a - b);
    const load = new Float64Array(n);
    for (const s of chosen) load[s] = -(0.5 + Math.abs(gV.normal()));
    return { start, days: eventDays, stocks: chosen, load };
  });
  const prices = new Float64Array((days + 1) * n);
  prices.set(p0, 0);
  const g = new Float64Array(sectors);
  for (let t = 0; t < days; t++) {
    const f = S.drift + S.market * gF.normal();
    for (let k = 0; k < sectors; k++) g[k] = S.sector * gF.normal();
    for (let s = 0; s < n; s++) {
      let r = beta[s] * f + gamma[s] * g[sector[s]] + S.idio * gE.normal();
      for (const e of planted) if (t >= e.start && t < e.start + e.days) r += eventSize * S.idio * e.load[s];
      // a return below −100 % would make a price negative: a model this mild never gets near, but keep prices positive
      prices[(t + 1) * n + s] = prices[t * n + s] * (1 + Math.max(r, -0.95));
    }
  }
  const index = new Float64Array(days + 1);
  for (let t = 0; t <= days; t++) {
    let a = 0;
    for (let s = 0; s < n; s++) a += prices[t * n + s] / p0[s];
    index[t] = (100 * a) / n;
  }
  return { stocks: n, dates: days + 1, prices, index, sector, events: planted.map(({ start, days: d, stocks }) => ({ start, days: d, stocks })) };
}
