// The stock case study's real example (public/presets/stocks-vega.json) is what scripts/make-stocks-preset.ts
// builds from the vega-datasets package, and holds the package's prices, with GOOG masked before it listed.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { OUTPUT, WINDOW, buildStocksPreset, readVegaStocks, stocksPresetJson } from '../../scripts/make-stocks-preset';
import { parseExperiment } from '../../src/core/experiment';
import { hmfProblem } from '../../src/core/hmf-build';
import { instance, preset } from './helpers';

const src = readVegaStocks();

describe('stocks-vega preset (real prices from vega-datasets)', () => {
  it('is exactly what scripts/make-stocks-preset.ts builds from node_modules/vega-datasets', () => {
    // If this fails after a vega-datasets update or a script change: npx tsx scripts/make-stocks-preset.ts
    expect(readFileSync(OUTPUT, 'utf8')).toBe(stocksPresetJson(buildStocksPreset(src)));
  });

  it('holds the CSV’s prices: every symbol,date,price row at its place, the rest masked', () => {
    const doc = parseExperiment(preset('stocks-vega'));
    const p = (doc.problem as unknown as { prices: { tickers: string[]; dates: string[]; data: { data: number[] }; mask: { data: number[] }; index: { prices: number[] } } }).prices;
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const iso = (d: string) => { const [m, day, y] = d.split(' '); return `${y}-${String(months.indexOf(m) + 1).padStart(2, '0')}-${day.padStart(2, '0')}`; };
    const rows = src.stocks.trim().split('\n').slice(1).map((l) => l.split(','));
    expect([...p.tickers].sort()).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    let seen = 0;
    const q = p;
    for (const [sym, date, price] of rows) {
      const k = q.dates.indexOf(iso(date)) * q.tickers.length + q.tickers.indexOf(sym);
      expect(q.data.data[k]).toBe(Number(price));
      expect(q.mask.data[k]).toBe(1);
      seen++;
    }
    // 5 tickers × 123 months, GOOG listed from 2004-08: 55 of its months have no price
    expect(q.mask.data.length - seen).toBe(55);
    expect(q.index.prices[0]).toBe(1394.46);
    expect(q.index.prices[q.index.prices.length - 1]).toBe(1140.45);
  });

  it('builds 20 windows of 6 monthly returns of 5 stocks, with the S&P 500 at each return’s month', () => {
    const h = hmfProblem(instance(preset('stocks-vega')));
    expect(h.data.sources).toHaveLength(20);
    expect(h.data.sources.every((s) => s.n2 === WINDOW)).toBe(true);
    expect(h.data.n1).toBe(5);
    expect(h.stocks!.dates![0]).toBe('2000-02-01');
    expect(h.stocks!.index!.prices[0]).toBe(1366.42);
    expect(h.stocks!.events).toBeUndefined();
  });
});
