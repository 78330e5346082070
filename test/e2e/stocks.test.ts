// The stock case study in the app (SPEC §7.10), in headless Chromium on the Vite dev server: ?preset=stocks
// runs (its comparison run without events first), both peaks claims hold, and the HMF view draws the
// heterogeneity index over the market index with the 4 largest windows labelled by day — the planted events;
// the real example (?preset=stocks-vega) draws dates and says what 5 tickers limit; a bad price file is
// refused naming the cell. Screenshots: test-results/stocks.png, test-results/stocks-vega.png.
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { labBrowser, openLab, runStatus } from '../support/chromium';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

describe('the stock case study in the app', () => {
  it('?preset=stocks: both claims hold and the index chart labels the 4 largest windows, all planted events', async () => {
    const { page, errors } = await openLab(lab, '?preset=stocks&engine=cpu');
    const items = page.getByTestId('claims').locator('li');
    await items.first().waitFor();
    expect(await items.count()).toBe(2);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => items.evaluateAll((li) => li.map((e) => e.getAttribute('data-status'))), { timeout: 240_000 }).toEqual(['holds', 'holds']);
    expect(await runStatus(page)).toMatch(/Completed 200 rounds/);
    expect(await items.first().locator('.measured').textContent()).toMatch(/^4 of the 4 largest windows of the heterogeneity index are among the 4 event windows/);
    const view = page.getByRole('region', { name: 'heterogeneity index' });
    await view.waitFor();
    const rows = view.getByTestId('stock-peaks').locator('tbody tr');
    expect(await rows.count()).toBe(4);
    expect(await rows.locator('td:last-child').allTextContents()).toEqual(['yes', 'yes', 'yes', 'yes']);
    // the chart: the index per day and per window over the market index, 4 labelled peaks, 4 shaded event windows
    const chart = view.getByRole('img', { name: /heterogeneity index over time/ });
    await expect.poll(() => chart.locator('.annotation-text').count(), { timeout: 30_000 }).toBe(4);
    const labels = await chart.locator('.annotation-text').allTextContents();
    expect(labels.map((t) => t.replace(/day \d+/, 'day N'))).toEqual(['1: day N', '2: day N', '3: day N', '4: day N']);
    expect(await chart.locator('.scatterlayer .trace').count()).toBe(3);
    expect(await chart.locator('.ytitle, .y2title').allTextContents()).toEqual(['heterogeneity index', 'index price']);
    // each label's day lies in the window the table lists at that rank
    const windows = await rows.locator('td:nth-child(2)').allTextContents();
    labels.forEach((t, k) => {
      const day = Number(/day (\d+)/.exec(t)![1]);
      const [a, b] = /days (\d+)–(\d+)/.exec(windows[k])!.slice(1).map(Number);
      expect(day).toBeGreaterThanOrEqual(a);
      expect(day).toBeLessThanOrEqual(b);
    });
    await view.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/stocks.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('?preset=stocks-vega: dates on the axis, the S&P 500 underneath, and the note on what 5 tickers limit', async () => {
    const { page, errors } = await openLab(lab, '?preset=stocks-vega&engine=cpu');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => runStatus(page), { timeout: 120_000 }).toMatch(/Completed 300 rounds/);
    const view = page.getByRole('region', { name: 'heterogeneity index' });
    await view.waitFor();
    expect(await view.getByTestId('few-stocks').textContent()).toMatch(/Only 5 stocks: .* weakly determined/);
    const chart = view.getByRole('img', { name: /heterogeneity index over time/ });
    await expect.poll(() => chart.locator('.annotation-text').count(), { timeout: 30_000 }).toBe(5);
    for (const t of await chart.locator('.annotation-text').allTextContents()) expect(t).toMatch(/^\d: 20\d\d-\d\d-01$/);
    expect(await chart.locator('.legendtext').allTextContents()).toContain('S&P 500');
    await view.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/stocks-vega.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('your prices: a long CSV becomes the document, and a bad cell is refused with its row and column', async () => {
    const { page } = await openLab(lab, '?preset=stocks');
    const input = page.getByLabel('your prices (CSV)');
    await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('date,A,B\n2020-01-01,1,2\n2020-01-02,x,2\n') });
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/row 3, column 2 \(A\): "x" is not a price/);
    const rows = ['symbol,date,price'];
    for (let d = 1; d <= 28; d++) for (const [s, p] of [['A', 10 + (d % 3)], ['B', 20 + (d % 5)], ['C', 5 + (d % 2)]] as const) rows.push(`${s},2021-02-${String(d).padStart(2, '0')},${p}`);
    await input.setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await expect.poll(() => page.locator('.about h2').textContent()).toMatch(/Your prices: mine\.csv/);
    await expect.poll(() => page.getByLabel('window (rows)').inputValue()).toBe('6');
    await page.close();
  }, 60_000);
});
