/**
 * An experiment document for the stock case study ([H] §6.3, SPEC §7.10) on prices you bring: a CSV of
 * dates × tickers (date,AAPL,MSFT,… one row a date) or of symbol,date,price rows, and optionally a market
 * index (date,price) drawn under the heterogeneity index — read by the same loader as the page's upload
 * (src/core/price-csv.ts):
 *
 *   npx tsx scripts/prices-doc.ts prices.csv [--index index.csv] [--window 30] [--r1 5] [--r2 2] > stocks-mine.json
 *   npm run cli -- run stocks-mine.json --out result.json   (result.series.heterogeneity: the index per day and per window)
 *
 * The run's settings are public/presets/stocks.json's (β, the step rule, the start); r₂ defaults to the
 * preset's 1 and r₁ to its 5, or a quarter of the tickers when there are fewer than 20. Real prices plant no events, so the document
 * states no claims.
 */
import { readFileSync } from 'node:fs';
import { defaultWindow, parseIndexCsv, parsePriceCsv, pricesSection } from '../src/core/price-csv';
import { DataError } from '../src/core/data';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const usage = 'usage: npx tsx scripts/prices-doc.ts prices.csv [--index index.csv] [--window W] [--r1 N] [--r2 N] > doc.json\n';
const indexFile = opt('--index'), windowArg = opt('--window'), r1Arg = opt('--r1'), r2Arg = opt('--r2');
const [file] = args;
if (!file || args.length > 1) {
  process.stderr.write(usage);
  process.exit(2);
}
try {
  const t = parsePriceCsv(readFileSync(file, 'utf8'));
  const window = windowArg === undefined ? defaultWindow(t.dates.length) : Number(windowArg);
  const preset = JSON.parse(readFileSync(new URL('../public/presets/stocks.json', import.meta.url), 'utf8'));
  const n = t.tickers.length;
  // the preset's r₁ = 5 is for 200 stocks: a quarter of the tickers at most, so few tickers keep rows to spare
  const r1 = r1Arg === undefined ? Math.max(1, Math.min(preset.problem.sharedRank, Math.floor(n / 4))) : Number(r1Arg);
  const r2 = r2Arg === undefined ? preset.problem.uniqueRank : Number(r2Arg);
  const index = indexFile ? { name: indexFile.replace(/^.*[\\/]/, '').replace(/\.(csv|tsv|txt)$/i, ''), prices: parseIndexCsv(readFileSync(indexFile, 'utf8'), t.dates) } : undefined;
  const doc = {
    format: 'lowrank-lab/experiment', version: 1,
    title: `Stocks: ${file.replace(/^.*[\\/]/, '')}`,
    description: `${n} tickers over ${t.dates.length} dates (${t.dates[0]} … ${t.dates[t.dates.length - 1]}): returns, each stock standardised, in windows of ${window} rows; the heterogeneity index of [H] §6.3 per window.`,
    problem: { kind: 'hmf', sharedRank: r1, uniqueRank: r2, prices: pricesSection(t, window, index) },
    algorithm: preset.algorithm,
    init: preset.init,
  };
  process.stdout.write(`${JSON.stringify(doc)}\n`);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  if (!(err instanceof DataError) && !code) throw err;
  process.stderr.write(`error: ${code ? `cannot read ${(err as NodeJS.ErrnoException).path ?? file}: ${code}` : `${file}: ${(err as Error).message}`}\n`);
  process.exit(2);
}
