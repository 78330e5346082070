/**
 * Builds public/presets/stocks-vega.json, the stock case study (SPEC §7.10) on real prices, from the
 * vega-datasets package: stocks.csv (monthly prices of AAPL, AMZN, GOOG, IBM and MSFT, 2000–2010, in the
 * long symbol,date,price shape) and sp500.csv (the S&P 500's monthly close, drawn underneath):
 *
 *   npx tsx scripts/make-stocks-preset.ts
 *
 * The files go through the same loader as a user's CSV (src/core/price-csv.ts), so the preset holds the
 * prices as `problem.prices` and the app ships no CSV. test/unit/stocks-vega-preset.test.ts rebuilds it and
 * checks it equals the committed file.
 *
 * What five tickers of monthly prices limit, against [H] §6.3's 214 stocks of daily prices: a window of
 * 6 months is a 5 × 6 source, so r₁ + r₂ ≤ 5 and the split of each window into a shared and a unique part
 * rests on 30 numbers (weakly determined); 20 windows cover 10 years, one value of the index per month;
 * GOOG is listed from August 2004 only (its earlier returns are masked). The index moves with single stocks
 * (AAPL's and AMZN's swings), not with "the market".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExperimentInput } from '../src/core/experiment';
import { parseIndexCsv, parsePriceCsv, pricesSection } from '../src/core/price-csv';

const PACKAGE = new URL('../node_modules/vega-datasets/', import.meta.url);
export const OUTPUT = fileURLToPath(new URL('../public/presets/stocks-vega.json', import.meta.url));
/** months per window */
export const WINDOW = 6;

export interface VegaStocks {
  stocks: string;
  sp500: string;
  packageJson: { name: string; version: string; license: string };
}

export function readVegaStocks(): VegaStocks {
  const read = (f: string) => readFileSync(new URL(f, PACKAGE), 'utf8');
  return { stocks: read('data/stocks.csv'), sp500: read('data/sp500.csv'), packageJson: JSON.parse(read('package.json')) };
}

export function buildStocksPreset(src: VegaStocks = readVegaStocks()): ExperimentInput {
  const t = parsePriceCsv(src.stocks);
  const index = parseIndexCsv(src.sp500, t.dates);
  const prices = pricesSection(t, WINDOW, { name: 'S&P 500', prices: index });
  const { name, version, license } = src.packageJson;
  const first = t.dates[0], last = t.dates[t.dates.length - 1];
  const windows = Math.floor((t.dates.length - 1) / WINDOW);
  const goog = t.tickers.indexOf('GOOG');
  const googFrom = t.dates.find((_, d) => Number.isFinite(t.prices[d * t.tickers.length + goog]));
  return {
    format: 'lowrank-lab/experiment',
    version: 1,
    title: 'Stocks on real prices: 5 tickers, monthly, 2000–2010 (vega-datasets)',
    description:
      `The stock case study of [H] §6.3 on the only real prices this build ships: the monthly closes of ${t.tickers.join(', ')} from ${first.slice(0, 7)} to ${last.slice(0, 7)} ` +
      `(${t.dates.length} months; GOOG from ${googFrom?.slice(0, 7)} on, its earlier returns masked), with the S&P 500 underneath. Monthly returns, each stock standardised, ` +
      `cut into ${windows} windows of ${WINDOW} months: each source Mᵢ is ${t.tickers.length} × ${WINDOW}, fitted by HMF with r₁ = r₂ = 1. ` +
      `What this limits, against the paper's 214 stocks of daily prices in 30-day windows: with ${t.tickers.length} rows a window's split into a shared and a unique part ` +
      'rests on 30 numbers and is weakly determined; r₁ + r₂ cannot exceed 5; the index has one value a month and moves with single stocks ' +
      '(a swing of AAPL or AMZN) as much as with the market; and nothing is planted, so no claim can count peaks in known windows — ' +
      'read the chart, do not test it. What is checked is the fit: HMF\'s objective falls from 9.24 at the start to 1.34 ' +
      'after 300 rounds, and every U_(i),l stays orthogonal to U_g (maxᵢ‖U_gᵀU_(i),l‖ below 10⁻¹⁴ at every record). ' +
      'Bring your own daily prices with the upload under Sources.',
    source: `data/stocks.csv and data/sp500.csv from the npm package ${name} ${version}`,
    licence: `The package's licence: ${license}; its datapackage.json records no separate licence or source for these two files.`,
    problem: { kind: 'hmf', sharedRank: 1, uniqueRank: 1, prices } as ExperimentInput['problem'],
    algorithm: { name: 'hmf', stepsize: { rule: 'practical', c: 0.9 }, iterations: 300, recordEvery: 10, beta: 0.01 },
    init: { seed: 1, scale: 0.1 },
    claims: [
      { text: 'HMF\'s objective starts at 9.24 (within 1 %)', metric: 'objective', at: { iteration: 0 }, relation: '≈', value: 9.24, tolerance: 0.01 },
      { text: '… and falls to 1.34 after 300 rounds (within 1 %)', metric: 'objective', at: 'last', relation: '≈', value: 1.34, tolerance: 0.01 },
      { text: 'every U_(i),l stays orthogonal to U_g: maxᵢ‖U_gᵀU_(i),l‖ below 10⁻¹⁴ at every record', metric: 'feasibility', at: 'max', relation: '<', value: 1e-14 },
    ],
  } as ExperimentInput;
}

/** JSON with two-space indentation, the price rows one date per line. */
export function stocksPresetJson(doc: ExperimentInput): string {
  const p = (doc.problem as unknown as { prices: { data: { shape: number[]; data: number[] }; mask?: { shape: number[]; data: number[] }; dates: string[]; tickers: string[]; index: { prices: number[] } } }).prices;
  const n = p.tickers.length;
  const rows = (a: number[]) => Array.from({ length: a.length / n }, (_, d) => `        ${a.slice(d * n, (d + 1) * n).join(', ')}`).join(',\n');
  const text = JSON.stringify(doc, (key, value) => {
    if (key === 'data' && Array.isArray(value)) return value === p.data.data ? '@PRICES@' : '@MASK@';
    if (key === 'dates' || key === 'shape' || key === 'tickers' || (key === 'prices' && Array.isArray(value))) return `@INLINE@${JSON.stringify(value).replace(/,/g, ', ')}`;
    return value;
  }, 2);
  return text
    .replace('"@PRICES@"', `[\n${rows(p.data.data)}\n      ]`)
    .replace('"@MASK@"', `[\n${rows(p.mask?.data ?? [])}\n      ]`)
    .replace(/"@INLINE@(.*?)"(,?)$/gm, (_m, json: string, comma: string) => `${json.replace(/\\"/g, '"')}${comma}`) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUTPUT, stocksPresetJson(buildStocksPreset()));
  console.log(`wrote ${OUTPUT}`);
}
