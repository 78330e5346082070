// The stock case study (SPEC §7.10, src/core/stocks*.ts, price-csv.ts): the model market is the same for
// the same seed and moves the planted stocks on the planted days; prices become standardised windows of
// returns with masks where prices are missing; the loader reads wide and long CSVs and names bad cells; the
// heterogeneity index is Σ|U_lV_lᵀ| per day over observed entries; the peaks claim holds, fails and refuses.
import { describe, expect, it } from 'vitest';
import { type ClaimRun, evaluateClaims } from '../../src/core/claims';
import { checkRuns } from '../../src/core/compare';
import { DataError } from '../../src/core/data';
import type { Claim } from '../../src/core/document';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { hmfProblem } from '../../src/core/hmf-build';
import { isoDate, parseIndexCsv, parsePriceCsv, pricesSection } from '../../src/core/price-csv';
import { heterogeneityIndex, priceSources, topIndices } from '../../src/core/stocks';
import { MARKET_SCALES, type MarketSpec, plantedMarket } from '../../src/core/stocks-model';
import { cli, docFolder, instance } from './helpers';

const spec: MarketSpec = { seed: 5, stocks: 40, days: 300, window: 20, sectors: 3, events: 3, eventDays: 2, eventShare: 0.5, eventSize: 4 };

describe('the model market', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = plantedMarket(spec), b = plantedMarket(spec), c = plantedMarket({ ...spec, seed: 6 });
    expect(Array.from(a.prices)).toEqual(Array.from(b.prices));
    expect(a.events).toEqual(b.events);
    expect(Array.from(a.prices)).not.toEqual(Array.from(c.prices));
  });

  it('has positive prices, an index at 100 on the first date that is the mean of the relative prices', () => {
    const m = plantedMarket(spec);
    expect(m.prices.every((p) => p > 0)).toBe(true);
    expect(m.index[0]).toBeCloseTo(100, 12);
    const t = 123, n = spec.stocks;
    let rel = 0;
    for (let s = 0; s < n; s++) rel += m.prices[t * n + s] / m.prices[s];
    expect(m.index[t]).toBeCloseTo((100 * rel) / n, 10);
  });

  it('plants each event inside one window, in distinct non-adjacent windows, on the planted share of the stocks', () => {
    const m = plantedMarket(spec);
    expect(m.events).toHaveLength(3);
    const windows = m.events.map((e) => Math.floor(e.start / spec.window));
    for (const e of m.events) {
      expect(Math.floor((e.start + e.days - 1) / spec.window)).toBe(Math.floor(e.start / spec.window));
      expect(e.stocks).toHaveLength(20);
    }
    const sorted = [...windows].sort((x, y) => x - y);
    for (let k = 1; k < sorted.length; k++) expect(sorted[k] - sorted[k - 1]).toBeGreaterThanOrEqual(2);
  });

  it('moves the event stocks down on the event days, far beyond their noise, and leaves the others alone', () => {
    const m = plantedMarket(spec), n = spec.stocks;
    const ret = (t: number, s: number) => m.prices[(t + 1) * n + s] / m.prices[t * n + s] - 1;
    for (const e of m.events) {
      for (let t = e.start; t < e.start + e.days; t++) {
        const hit = e.stocks, rest = Array.from({ length: n }, (_, s) => s).filter((s) => !hit.includes(s));
        const mean = (ss: number[]) => ss.reduce((a, s) => a + ret(t, s), 0) / ss.length;
        // the loading averages −(0.5 + E|ξ|) ≈ −1.3: the gap is about 1.3·eventSize·σ_ε; noise of the means ≈ σ_ε/√10
        expect(mean(hit) - mean(rest)).toBeLessThan(-0.8 * spec.eventSize * MARKET_SCALES.idio);
      }
    }
    // with eventSize 0 the same days show no such gap
    const q = plantedMarket({ ...spec, eventSize: 0 });
    const e = m.events[0], t = e.start;
    const r0 = (s: number) => q.prices[(t + 1) * n + s] / q.prices[t * n + s] - 1;
    const gap = e.stocks.reduce((a, s) => a + r0(s), 0) / e.stocks.length - Array.from({ length: n }, (_, s) => s).filter((s) => !e.stocks.includes(s)).reduce((a, s) => a + r0(s), 0) / (n - e.stocks.length);
    expect(Math.abs(gap)).toBeLessThan(0.8 * spec.eventSize * MARKET_SCALES.idio);
  });
});

describe('prices → windows of returns', () => {
  // 3 tickers × 8 dates; B misses its price on date 3 (two returns), C is flat but for one move
  const P = [
    [10, 20, 5], [11, 21, 5], [12, NaN, 5], [11, 22, 5.5], [13, 21, 5.5], [12, 23, 5.5], [14, 22, 5.5], [13, 24, 5.5],
  ];
  const table = { tickers: ['A', 'B', 'C'], prices: Float64Array.from(P.flat()), dates: Array.from({ length: 8 }, (_, t) => `2020-01-0${t + 1}`) };

  it('makes floor((T − 1)/w) windows of stocks × days, drops the tail, masks the returns a missing price breaks', () => {
    const { data, stocks } = priceSources(table, { window: 3, standardize: false });
    expect(data.sources).toHaveLength(2); // 7 returns, windows of 3: days 1–6, day 7 dropped
    expect(data.n1).toBe(3);
    expect(stocks.dates).toEqual(['2020-01-02', '2020-01-03', '2020-01-04', '2020-01-05', '2020-01-06', '2020-01-07']);
    const M0 = data.sources[0];
    // raw returns: A on day 1 = 11/10 − 1; B's returns on days 2 and 3 need the missing price
    expect(M0.M[0 * 3 + 0]).toBeCloseTo(0.1, 15);
    expect(Array.from(M0.mask!)).toEqual([1, 1, 1, 1, 0, 0, 1, 1, 1]);
    expect(data.sources[1].mask).toBeNull();
  });

  it('standardises each stock over its observed returns and scales by √(n·w)', () => {
    const { data, stocks } = priceSources(table, { window: 3, standardize: true });
    expect(stocks.scale).toBeCloseTo(3, 15);
    for (let s = 0; s < 3; s++) {
      const xs: number[] = [];
      data.sources.forEach((src) => { for (let c = 0; c < 3; c++) if (!src.mask || src.mask[s * 3 + c]) xs.push(src.M[s * 3 + c] * stocks.scale); });
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (xs.length - 1));
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(sd).toBeCloseTo(1, 12);
    }
  });

  it('refuses too few dates for two windows, and a ticker whose price never moves', () => {
    expect(() => priceSources(table, { window: 4, standardize: true })).toThrow(/7 daily returns, one window of 4 days.*at least 9 dates/);
    const flat = { tickers: ['A', 'F'], prices: Float64Array.from(P.flatMap((r) => [r[0], 7])) };
    expect(() => priceSources(flat, { window: 3, standardize: true })).toThrow(/F's returns are all equal/);
  });
});

describe('the price CSV loader', () => {
  it('reads wide files in any row order, with missing cells', () => {
    const t = parsePriceCsv('date,AAA,BBB\n2020-01-03,10,NA\n2020-01-02,9,5\n2020-01-06,11,6\n');
    expect(t.dates).toEqual(['2020-01-02', '2020-01-03', '2020-01-06']);
    expect(t.tickers).toEqual(['AAA', 'BBB']);
    expect(Array.from(t.prices)).toEqual([9, 5, 10, NaN, 11, 6]);
  });

  it('reads long files (symbol,date,price) with written-out dates; a pair not listed is missing', () => {
    const t = parsePriceCsv('symbol,date,price\nX,Jan 1 2000,1.5\nY,Feb 1 2000,3\nX,Feb 1 2000,2\nX,Mar 1 2000,2.5\nY,Mar 1 2000,4\n');
    expect(t.tickers).toEqual(['X', 'Y']);
    expect(t.dates).toEqual(['2000-01-01', '2000-02-01', '2000-03-01']);
    expect(Array.from(t.prices)).toEqual([1.5, NaN, 2, 3, 2.5, 4]);
    expect(pricesSection(t, 30).mask!.data).toEqual([1, 0, 1, 1, 1, 1]);
  });

  it('reads the spellings of dates it promises and nothing else', () => {
    expect(['2008-09-15', '2008/9/15', 'Sep 15 2008', 'Sep 15, 2008', '15 Sep 2008', '2008-09-15T00:00:00Z'].map(isoDate)).toEqual(Array(6).fill('2008-09-15'));
    expect(['15/09/2008', 'tomorrow', '2008-13-01', 'Foo 1 2008'].map(isoDate)).toEqual([null, null, null, null]);
  });

  it('names the row and the cell of what it refuses', () => {
    const bad = (text: string, re: RegExp) => {
      expect(() => parsePriceCsv(text)).toThrow(DataError);
      expect(() => parsePriceCsv(text)).toThrow(re);
    };
    bad('date,A\n2020-01-01,1\n2020-01-02,-3\n2020-01-03,2\n', /row 3, column 2 \(A\): "-3" is not a positive price/);
    bad('date,A\n2020-01-01,1\nsoon,2\n2020-01-03,2\n', /row 3, column 1: "soon" is not a date/);
    bad('date,A\n2020-01-01,1\n2020-01-01,2\n2020-01-03,2\n', /row 3: the date 2020-01-01 is also on row 2/);
    bad('date,A\n2020-01-01,1,2\n', /row 2 has 3 cells, the header has 2/);
    bad('date,A,A\n2020-01-01,1,2\n2020-01-02,1,2\n2020-01-03,1,2\n', /names "A" twice/);
    bad('symbol,date,price\nX,2020-01-01,1\nX,2020-01-01,2\nX,2020-01-03,2\n', /row 3: X on 2020-01-01 is also on row 2/);
    bad('symbol,when,price\nX,2020-01-01,1\n', /needs the columns symbol, date and price/);
    bad('date,A,B\n2020-01-01,1,\n2020-01-02,2,\n2020-01-03,2,NA\n', /B has no price at all/);
    bad('date,A\n2020-01-01,1,5\n', /row 2 has 3 cells/);
    bad('date,A\n2020-01-01,1\n2020-01-02,2\n', /has 2 dates/);
  });

  it('aligns an index file to the prices’ dates, carrying its latest earlier price', () => {
    const v = parseIndexCsv('date,price\n2020-01-02,100\n2020-01-06,90\n', ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-06']);
    expect(v).toEqual([100, 100, 100, 90]);
    expect(() => parseIndexCsv('date,price\n1990-01-02,100\n', ['2020-01-01'])).toThrow(/covers 1990-01-02 … 1990-01-02, none of the prices' dates/);
  });
});

const doc = (problem: Record<string, unknown>, extra: Partial<ExperimentInput> = {}): ExperimentInput => ({
  format: 'lowrank-lab/experiment', version: 1,
  problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 1, ...problem } as ExperimentInput['problem'],
  algorithm: { name: 'hmf', stepsize: 0.5, iterations: 10, recordEvery: 5, beta: 0.01 }, init: { seed: 1, scale: 0.1 }, ...extra,
});

describe('the documents', () => {
  it('refuse what cannot be windows of one market, naming the field', () => {
    const refuse = (problem: Record<string, unknown>, re: RegExp) => expect(() => parseExperiment(doc(problem))).toThrow(re);
    refuse({ stocks: { days: 50, window: 30 } }, /problem\.stocks\.days.*one window of 30 days/);
    refuse({ stocks: { days: 300, window: 30, events: 6 } }, /problem\.stocks\.events.*10 windows hold at most 5 events/);
    refuse({ stocks: { window: 5, eventDays: 6 } }, /eventDays.*fit in one window of 5 days/);
    refuse({ stocks: {}, generate: { seed: 1, N: 2, n1: 5, n2: 5 } }, /exactly one of/);
    const prices = { tickers: ['A', 'B', 'C'], data: { shape: [7, 3], data: Array(21).fill(1) }, window: 3 };
    refuse({ prices: { ...prices, tickers: ['A', 'B'] } }, /problem\.prices\.data\.shape.*3 columns but tickers lists 2/);
    refuse({ prices: { ...prices, dates: ['2020-01-02', '2020-01-01', 'c', 'd', 'e', 'f', 'g'] } }, /problem\.prices\.dates\[1\]: "2020-01-01" does not come after "2020-01-02"/);
    refuse({ prices: { ...prices, data: { shape: [7, 3], data: [...Array(20).fill(1), 0] } } }, /C on row 7 is 0; prices must be positive/);
    refuse({ prices: { ...prices, window: 4 } }, /6 daily returns, one window of 4/);
    refuse({ prices: { ...prices, index: { name: 'I', prices: [1, 2] } } }, /index\.prices.*2 prices but data has 7 dates/);
  });

  it('a peaks claim needs a run on stock prices', () => {
    const planted = doc({ generate: { seed: 1, N: 3, n1: 6, n2: 6 } }, { claims: [{ text: 't', peaks: 'heterogeneity', top: 1 } as never] });
    expect(() => checkRuns(parseExperiment(planted))).toThrow(/claims\[0\]\.peaks.*records no heterogeneity index/);
    expect(() => parseExperiment(doc({ stocks: {} }, { claims: [{ text: 't', peaks: 'heterogeneity', top: 2, atLeast: 3 } as never] }))).toThrow(/atLeast.*is 3, more than the 2 peaks/);
    expect(() => parseExperiment(doc({ stocks: {} }, { claims: [{ text: 't', peaks: 'volume', top: 2 } as never] }))).toThrow(/must be a series a run records: heterogeneity/);
  });
});

describe('the heterogeneity index', () => {
  it('is Σ_s |U_lV_lᵀ| per day over the observed entries, ×√(n·w) back to standardised units, and its window mean', () => {
    // 2 tickers, windows of 2 days: build a real instance, then set its unique factors by hand
    const prices = [[10, 10], [11, 9], [12, 10], [11, 11], [12, 10]];
    const d = doc({ sharedRank: 1, uniqueRank: 1, prices: { tickers: ['A', 'B'], dates: ['2020-01-01', '2020-01-02', '2020-01-03', '2020-01-04', '2020-01-05'], data: { shape: [5, 2], data: prices.flat() }, mask: { shape: [5, 2], data: [1, 1, 1, 1, 1, 1, 1, 0, 1, 1] }, window: 2 } });
    const inst = instance(d);
    const h = hmfProblem(inst);
    const s = h.stocks!;
    expect(s.scale).toBeCloseTo(2, 15);
    // the mask of B's price on date 4 masks B's returns on days 3 and 4 (window 2, both columns)
    expect(Array.from(h.data.sources[1].mask!)).toEqual([1, 1, 0, 0]);
    const z = { X: new Float64Array(2), Y: new Float64Array(h.layout.length) };
    const U = [[1, -2], [0.5, 3]], V = [[1, -1], [2, 0.25]]; // per window: U_l (2×1), V_l (2×1)
    [0, 1].forEach((i) => {
      z.Y.set(U[i], h.layout.ul[i]);
      z.Y.set(V[i], h.layout.vl[i]);
    });
    const idx = heterogeneityIndex(h.data, 1, h.layout, z, s);
    // window 0: U_lV_lᵀ = [[1, −1], [−2, 2]]: days |1|+|−2| = 3, |−1|+|2| = 3; window 1: [[1, 0.125], [6, 0.75]], B masked
    expect(idx.daily.map((x) => x / 2)).toEqual([3, 3, 1, 0.125]);
    expect(idx.values).toEqual([6, 1.125]);
    expect(idx.labels).toEqual(['2020-01-02 … 2020-01-03', '2020-01-04 … 2020-01-05']);
    expect(idx.events).toBeUndefined();
    // the same through the method's series (what runs record)
    if (!('method' in inst)) throw new Error('expected a method instance');
    expect(inst.method.series!(z).heterogeneity!.values).toEqual([6, 1.125]);
  });

  it('marks the model market’s event windows, exactly as many as events', () => {
    const h = hmfProblem(instance(doc({ stocks: { seed: 2, stocks: 30, days: 400, window: 20, events: 4 } })));
    expect(h.stocks!.events).toHaveLength(20);
    expect(h.stocks!.events!.filter(Boolean)).toHaveLength(4);
    expect(h.stocks!.eventDays!.map((e) => Math.floor(e.start / 20)).every((w) => h.stocks!.events![w])).toBe(true);
  });
});

describe('the peaks claim', () => {
  const series = (values: number[], events?: boolean[]): ClaimRun => ({
    trace: { iteration: [0, 10] }, stop: { reason: 'completed', iteration: 10 },
    series: { heterogeneity: { values, labels: values.map((_, i) => `w${i}`), ...(events ? { events } : {}) } },
  });
  const ev = [false, true, false, true, false, false];
  const claim = (c: Record<string, unknown>): Claim => parseExperiment(doc({ stocks: {} }, { claims: [{ text: 't', peaks: 'heterogeneity', ...c } as never] })).claims![0];
  const one = (c: Record<string, unknown>, run: ClaimRun) => evaluateClaims([claim(c)], new Map([['main', run]]))[0];

  it('holds when the top windows are event windows and fails when one is not', () => {
    expect(one({ top: 2 }, series([1, 5, 2, 4, 3, 0], ev))).toMatchObject({ status: 'holds', value: 2 });
    const miss = one({ top: 2 }, series([1, 5, 2, 3, 4, 0], ev));
    expect(miss).toMatchObject({ status: 'fails', value: 1 });
    expect(miss.detail).toMatch(/1 of the 2 largest windows .* among the 2 event windows \(at least 2 claimed\): w1 5 \(event\); w4 4; the largest outside the events: 4/);
    expect(one({ top: 3, atLeast: 2 }, series([1, 5, 2, 4, 3, 0], ev)).status).toBe('holds');
    expect(one({ top: 3, atMost: 1 }, series([1, 5, 2, 4, 3, 0], ev)).status).toBe('fails');
    expect(one({ top: 3, atMost: 1 }, series([4, 5, 2, 1, 3, 0], ev)).status).toBe('holds');
    expect(topIndices([1, 3, 3, 2], 3)).toEqual([1, 2, 3]);
  });

  it('cannot be checked without events or series, waits for an unfinished run, and fails on a diverged one', () => {
    expect(one({ top: 2 }, series([1, 2, 3, 4, 5, 6])).status).toBe('error');
    expect(one({ top: 2 }, { trace: { iteration: [0] }, stop: { reason: 'completed', iteration: 0 } }).detail).toMatch(/records no heterogeneity index/);
    expect(one({ top: 7 }, series([1, 2, 3, 4, 5, 6], ev)).detail).toMatch(/top is 7 but the run has 6 windows/);
    expect(one({ top: 2 }, { ...series([1, 5, 2, 4, 3, 0], ev), stop: null }).status).toBe('pending');
    expect(one({ top: 2 }, { ...series([1, 5, 2, 4, 3, 0], ev), stop: { reason: 'diverged', iteration: 3 } }).status).toBe('fails');
  });
});

describe('the CLI on stock prices', () => {
  it('run writes the index with the result and names the largest windows, the planted ones marked', async () => {
    const { writeDoc } = docFolder('lowrank-stocks-');
    const file = writeDoc(doc({ sharedRank: 3, uniqueRank: 1, stocks: { seed: 4, stocks: 48, days: 400, window: 20, sectors: 2, events: 3 } }, {
      algorithm: { name: 'hmf', stepsize: { rule: 'practical', c: 0.9 }, iterations: 100, recordEvery: 50, beta: 0.01 },
    }));
    const r = await cli(['run', file]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    const h = result.series.heterogeneity;
    expect(h.values).toHaveLength(20);
    expect(h.daily).toHaveLength(400);
    expect(h.events.filter(Boolean)).toHaveLength(3);
    const listed = /largest windows: (.*)\n/.exec(r.stderr)![1].split('; ');
    expect(listed).toHaveLength(5);
    expect(listed[0]).toMatch(/^days \d+–\d+ \d+\.\d+/);
    // the stderr line lists the windows in the order of their values, marking the planted ones
    const top = topIndices(h.values, 5);
    listed.forEach((t, k) => expect(t.startsWith(`${h.labels[top[k]]} `) && t.endsWith(h.events[top[k]] ? ' (event)' : String(h.values[top[k]].toPrecision(4)))).toBe(true));
  }, 60_000);
});
