// The Compare methods table in the app, in headless Chromium on the Vite dev server: the ratings preset
// (HMF beside matrix completion at ranks 5 and 15, cut to 200 iterations by the link) runs, the table
// has one row per method with its last recorded RMSEs, and its CSV button downloads those rows — the
// main run's test RMSE equal, every digit, to the last row of the run's own Trace CSV. The run bar's and
// the HMF panel's tables of latest values export through the same writer. Screenshot: test-results/compare-methods.png.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { labBrowser, openLab, runStatus } from '../support/chromium';
import { parseCsv } from '../support/csv';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

/** The file a click on `name` downloads, as text. */
async function downloaded(page: Page, name: string): Promise<{ file: string; text: string }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
  return { file: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

describe('Compare methods', () => {
  it('?preset=ratings: one row per method as the runs finish, a caption, and a CSV of those rows', async () => {
    const { page, errors } = await openLab(lab, '?preset=ratings&K=200&rec=50&engine=cpu');
    // nothing to compare before a Run
    expect(await page.getByTestId('compare-table').count()).toBe(0);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const table = page.getByTestId('compare-table');
    const rows = table.locator('tbody tr');
    // from the first run on, every method has its row (the ones still queued wait)
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(() => rows.evaluateAll((tr) => tr.map((e) => e.getAttribute('data-status'))), { timeout: 120_000 }).toEqual(['completed', 'completed', 'completed']);
    expect(await runStatus(page)).toMatch(/Completed 200 rounds/);
    expect(await rows.locator('th').allTextContents()).toEqual(['main', 'completion, rank 5', 'completion, rank 15']);
    expect(await table.locator('thead th').allTextContents()).toEqual(['run', 'algorithm', 'status', 'iteration', 'test RMSE', 'train RMSE', 'baseline RMSE', 'objective', 'feasibility']);
    expect(await rows.nth(0).locator('td').first().textContent()).toBe('HMF (Algorithm 1)');
    expect(await rows.nth(1).locator('td').first().textContent()).toBe('centralized GD');
    expect(await page.getByTestId('compare-caption').textContent()).toBe('Each value is the last one its run recorded, at the iteration in the "iteration" column; an empty cell: the run does not record that metric.');

    const csv = await downloaded(page, 'the comparison table as CSV');
    expect(csv.file).toBe('lowrank-lab-compare.csv');
    const cells = parseCsv(csv.text);
    expect(cells[0]).toEqual(['run', 'algorithm', 'status', 'iteration', 'testRmse', 'trainRmse', 'baselineRmse', 'objective', 'feasibility']);
    expect(cells.slice(1).map((r) => r.slice(0, 4))).toEqual([
      ['main', 'hmf', 'completed', '200'], ['completion, rank 5', 'gd', 'completed', '200'], ['completion, rank 15', 'gd', 'completed', '200'],
    ]);
    // completion records no feasibility: an empty field, not 0
    expect(cells[2][8]).toBe('');
    expect(Number(cells[1][8])).toBeLessThan(1e-10);
    // what the table shows is the CSV's number to 4 digits
    const shown = await rows.nth(1).locator('td').nth(3).textContent();
    expect(shown).toBe(Number(cells[2][4]).toPrecision(4));
    // the main run's test RMSE, every digit, is the last row of its own trace (the active run's Trace CSV)
    await page.locator('details.io').evaluate((d) => { (d as HTMLDetailsElement).open = true; });
    const trace = parseCsv((await downloaded(page, 'Trace CSV')).text);
    const last = trace.at(-1)!;
    expect(last[0]).toBe('200');
    expect(cells[1][4]).toBe(last[trace[0].indexOf('testRmse')]);
    expect(Number(cells[1][4])).toBeGreaterThan(0.5);
    expect(Number(cells[1][4])).toBeLessThan(Number(cells[1][6]));

    // the rating panel's table exports through the same writer
    const ratings = parseCsv((await downloaded(page, 'the rating prediction RMSE as CSV')).text);
    expect(ratings[0]).toEqual(['round', 'test (held out)', 'train', 'baseline: mean rating']);
    expect(ratings[1][1]).toBe(cells[1][4]);
    // and so do the latest-values tables of the run bar and the HMF panel: the last record, every digit
    const latest = parseCsv((await downloaded(page, 'the latest recorded metrics as CSV')).text);
    expect(latest[0].slice(0, 2)).toEqual(['iteration', 'objective']);
    expect(latest[1].slice(0, 2)).toEqual(['200', last[trace[0].indexOf('objective')]]);
    const hmf = parseCsv((await downloaded(page, 'the latest HMF metrics as CSV')).text);
    expect(hmf[0][0]).toBe('round');
    expect(hmf[1][hmf[0].indexOf('feasibility')]).toBe(last[trace[0].indexOf('feasibility')]);

    await page.getByRole('region', { name: 'runs side by side' }).screenshot({ path: 'test-results/compare-methods.png' });
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
