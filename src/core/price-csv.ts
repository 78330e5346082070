/**
 * Daily prices a user brings, for the stock case study (SPEC §7.10, src/core/stocks.ts): a CSV of dates ×
 * tickers, in either of the two shapes price files come in —
 *   wide:  date,AAPL,MSFT,…      one row per date, one column per ticker
 *   long:  symbol,date,price     one row per (ticker, date), as vega-datasets' stocks.csv
 * (the long shape is told by a column named symbol or ticker; its price column may be called price, close,
 * adj close, adjclose or value). Dates are ISO (2008-09-15, 2008/09/15) or written out (Sep 15 2008,
 * 15 Sep 2008); rows may come in any order and are sorted by date. An empty, NA or NaN price is missing:
 * the returns that need it are masked (HMF fits the observed entries). A price must be positive.
 *
 * A market index (date,price — e.g. vega-datasets' sp500.csv) can come as a second file; it is only drawn,
 * at the table's dates (a date it lacks takes its latest earlier price).
 *
 * Every error is a DataError naming the row (counted from 1, the header included) and the cell.
 */
import { DataError, csvRecords } from './data';

export interface PriceCsv {
  /** ISO dates, ascending */
  dates: string[];
  tickers: string[];
  /** dates × tickers, row-major; NaN where missing */
  prices: Float64Array;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MISSING = /^(|na|n\/a|nan|null|\?|-)$/i;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** at most this many prices (the sources hold as many returns) */
export const MAX_PRICES = 2_000_000;

const pad = (x: number, k = 2) => String(x).padStart(k, '0');
const quote = (cell: string): string => JSON.stringify(cell.length > 40 ? `${cell.slice(0, 37)}...` : cell);

/** An ISO date (YYYY-MM-DD) from the spellings above, or null. */
export function isoDate(cell: string): string | null {
  const c = cell.trim();
  let y: number, m: number, d: number;
  let r = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$/.exec(c);
  if (r) [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})$/.exec(c))) [y, m, d] = [Number(r[3]), MONTHS.indexOf(r[1].toLowerCase()) + 1, Number(r[2])];
  else if ((r = /^(\d{1,2}) ([A-Za-z]{3})[a-z]*\.?,? (\d{4})$/.exec(c))) [y, m, d] = [Number(r[3]), MONTHS.indexOf(r[2].toLowerCase()) + 1, Number(r[1])];
  else return null;
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function price(cell: string, where: string): number {
  const c = cell.trim();
  if (MISSING.test(c)) return NaN;
  if (!NUMBER.test(c)) throw new DataError(`${where}: ${quote(cell)} is not a price${/^\d+,\d+$/.test(c) ? ' (decimal commas are not supported; write a point)' : ''}`);
  const v = Number(c);
  if (!(v > 0) || !Number.isFinite(v)) throw new DataError(`${where}: ${quote(cell)} is not a positive price; a return needs prices above 0 (leave the cell empty if it is missing)`);
  return v;
}

function dateOf(cell: string, where: string): string {
  const d = isoDate(cell);
  if (!d) throw new DataError(`${where}: ${quote(cell)} is not a date; write 2008-09-15, 2008/09/15, Sep 15 2008 or 15 Sep 2008`);
  return d;
}

const norm = (h: string) => h.trim().toLowerCase().replace(/[\s_]+/g, ' ');
const SYMBOL = ['symbol', 'ticker'];
const DATE = ['date', 'day', 'time', 'timestamp'];
const PRICE = ['price', 'adj close', 'adjclose', 'close', 'value'];

/** Parse a price CSV (wide or long, see the file comment). */
export function parsePriceCsv(text: string): PriceCsv {
  const records = csvRecords(text);
  if (records.length < 2) throw new DataError('a price file needs a header row and at least one row of prices');
  const head = records[0].cells.map(norm);
  const width = head.length;
  for (const rec of records) {
    if (rec.cells.length !== width) throw new DataError(`row ${rec.line} has ${rec.cells.length} cells, the header has ${width}`);
  }
  const sym = head.findIndex((h) => SYMBOL.includes(h));
  return sym >= 0 ? parseLong(records, head, sym) : parseWide(records);
}

function parseWide(records: { line: number; cells: string[] }[]): PriceCsv {
  const tickers = records[0].cells.slice(1).map((c) => c.trim());
  if (!tickers.length) throw new DataError('the header names no ticker: expected date,TICKER1,TICKER2,… (wide) or symbol,date,price (long)');
  const dup = tickers.find((t, i) => tickers.indexOf(t) !== i);
  if (dup !== undefined) throw new DataError(`the header names ${quote(dup)} twice; every ticker needs its own column`);
  const empty = tickers.findIndex((t) => t === '');
  if (empty >= 0) throw new DataError(`row 1, column ${empty + 2} names no ticker`);
  const rows = records.slice(1);
  if (rows.length * tickers.length > MAX_PRICES) throw new DataError(`${rows.length} dates × ${tickers.length} tickers is more than ${MAX_PRICES} prices`);
  const byDate = new Map<string, { line: number; p: number[] }>();
  for (const r of rows) {
    const d = dateOf(r.cells[0], `row ${r.line}, column 1`);
    const prev = byDate.get(d);
    if (prev) throw new DataError(`row ${r.line}: the date ${d} is also on row ${prev.line}; give each date once`);
    byDate.set(d, { line: r.line, p: r.cells.slice(1).map((c, j) => price(c, `row ${r.line}, column ${j + 2} (${tickers[j]})`)) });
  }
  const dates = [...byDate.keys()].sort();
  const n = tickers.length;
  const prices = new Float64Array(dates.length * n);
  dates.forEach((d, t) => prices.set(byDate.get(d)!.p, t * n));
  return finish({ dates, tickers, prices });
}

function parseLong(records: { line: number; cells: string[] }[], head: string[], sym: number): PriceCsv {
  const di = head.findIndex((h) => DATE.includes(h));
  const pi = PRICE.map((p) => head.indexOf(p)).find((i) => i >= 0) ?? -1;
  if (di < 0 || pi < 0) throw new DataError(`a long price file needs the columns symbol, date and price (or close); the header has ${records[0].cells.join(', ')}`);
  const rows = records.slice(1);
  const seen = new Map<string, number>();
  const tickers: string[] = [];
  const cells: { t: string; d: string; p: number }[] = [];
  for (const r of rows) {
    const t = r.cells[sym].trim();
    if (!t) throw new DataError(`row ${r.line}, column ${sym + 1}: the ticker is empty`);
    const d = dateOf(r.cells[di], `row ${r.line}, column ${di + 1}`);
    const key = `${t}\u0000${d}`;
    const prev = seen.get(key);
    if (prev !== undefined) throw new DataError(`row ${r.line}: ${t} on ${d} is also on row ${prev}; give each ticker's price once a date`);
    seen.set(key, r.line);
    if (!tickers.includes(t)) tickers.push(t);
    cells.push({ t, d, p: price(r.cells[pi], `row ${r.line}, column ${pi + 1} (${t})`) });
  }
  const dates = [...new Set(cells.map((c) => c.d))].sort();
  if (dates.length * tickers.length > MAX_PRICES) throw new DataError(`${dates.length} dates × ${tickers.length} tickers is more than ${MAX_PRICES} prices`);
  const n = tickers.length;
  const col = new Map(tickers.map((t, j) => [t, j]));
  const row = new Map(dates.map((d, i) => [d, i]));
  // a (ticker, date) pair the file does not list is missing, like an empty cell
  const prices = new Float64Array(dates.length * n).fill(NaN);
  for (const c of cells) prices[row.get(c.d)! * n + col.get(c.t)!] = c.p;
  return finish({ dates, tickers, prices });
}

function finish(t: PriceCsv): PriceCsv {
  if (t.dates.length < 3) throw new DataError(`the file has ${t.dates.length} date${t.dates.length === 1 ? '' : 's'}; windows of returns need many more`);
  const n = t.tickers.length;
  t.tickers.forEach((name, s) => {
    let k = 0;
    for (let d = 0; d < t.dates.length; d++) if (Number.isFinite(t.prices[d * n + s])) k++;
    if (k === 0) throw new DataError(`${name} has no price at all; leave it out`);
  });
  return t;
}

/** A market index file (date and one price column, any order of rows), at the given dates: a date it lacks takes its latest earlier price. */
export function parseIndexCsv(text: string, dates: readonly string[]): number[] {
  const records = csvRecords(text);
  const head = records[0].cells.map(norm);
  const di = head.findIndex((h) => DATE.includes(h));
  const pi = head.length === 2 && di >= 0 ? 1 - di : PRICE.map((p) => head.indexOf(p)).find((i) => i >= 0) ?? -1;
  if (di < 0 || pi < 0) throw new DataError(`an index file needs a date column and a price (or close) column; the header has ${records[0].cells.join(', ')}`);
  const pts = records.slice(1).map((r) => ({ d: dateOf(r.cells[di], `row ${r.line}, column ${di + 1}`), p: price(r.cells[pi], `row ${r.line}, column ${pi + 1}`) }))
    .filter((x) => Number.isFinite(x.p)).sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : 0));
  if (!pts.length) throw new DataError('the index file has no price');
  if (pts[0].d > dates[dates.length - 1] || pts[pts.length - 1].d < dates[0]) throw new DataError(`the index file covers ${pts[0].d} … ${pts[pts.length - 1].d}, none of the prices' dates ${dates[0]} … ${dates[dates.length - 1]}`);
  let k = 0;
  return dates.map((d) => {
    while (k + 1 < pts.length && pts[k + 1].d <= d) k++;
    return pts[k].p; // before the index's first date: its first price
  });
}

/** The `problem.prices` section of an HMF document for a parsed file (missing prices: 0 with mask 0). */
export function pricesSection(t: PriceCsv, window: number, index?: { name: string; prices: number[] }) {
  const n = t.tickers.length, T = t.dates.length;
  const missing = t.prices.some((v) => !Number.isFinite(v));
  return {
    tickers: t.tickers,
    dates: t.dates,
    data: { shape: [T, n], data: Array.from(t.prices, (v) => (Number.isFinite(v) ? v : 0)) },
    ...(missing ? { mask: { shape: [T, n], data: Array.from(t.prices, (v) => (Number.isFinite(v) ? 1 : 0)) } } : {}),
    ...(index ? { index } : {}),
    window,
  };
}

/** The window a price file gets when the user names none: 30 days ([H] §6.3), or fewer so that there are at least 4 windows. */
export function defaultWindow(dates: number): number {
  return Math.max(2, Math.min(30, Math.floor((dates - 1) / 4)));
}
