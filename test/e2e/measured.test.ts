// Sensing, completion and robust PCA in the app (headless Chromium): each preset opens, runs and its
// errors fall; the problem switch shows each problem's own settings; impossible settings say why;
// a CSV with missing cells is completed.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { labBrowser, openLab, runStatus } from '../support/chromium';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

const open = (query = '') => openLab(lab, query);

const status = runStatus;
/** The latest-metrics table as { header: value }. */
async function latest(page: Page): Promise<Record<string, number>> {
  await page.getByTestId('latest-row').waitFor({ timeout: 60_000 });
  const head = await page.locator('table.latest th').allTextContents();
  const cells = (await page.getByTestId('latest-row').locator('td').allTextContents()).map(Number);
  return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
}

describe('the new problems run from their presets', () => {
  it.each([
    // centralized GD: objective, fitting error, optimality error, ‖∇f‖ (no consensus charts); RPCA + support mismatch
    { id: 'r12', K: 1500, charts: 4, opt: 1e-12 },
    { id: 'r13', K: 1500, charts: 4, opt: 1e-12 },
    { id: 'r14', K: 1500, charts: 5, opt: 1e-12 },
  ])('$id: opens, runs, the fitting and optimality errors fall', async ({ id, K, charts, opt }) => {
    const { page, errors } = await open(`?preset=${id}&K=${K}&engine=cpu`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(new RegExp(`Completed ${K} iterations`));
    const row = await latest(page);
    expect(row['optimality error']).toBeLessThan(opt);
    expect(row['fitting error']).toBeLessThan(1e-12);
    if (id === 'r14') expect(row['support mismatch']).toBe(0);
    await expect.poll(() => page.locator('.chart .js-plotly-plot').count(), { timeout: 30_000 }).toBe(charts);
    await page.screenshot({ path: `test-results/${id}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('settings', () => {
  it('the problem switch shows each problem’s own settings, and they reach the link', async () => {
    const { page, errors } = await open('?view=run');
    await page.locator('#ctl-kind').selectOption('sensing');
    await page.locator('#ctl-meas').waitFor();
    expect(await page.locator('#ctl-pobs').count()).toBe(0);
    await page.locator('#ctl-kind').selectOption('completion');
    await page.locator('#ctl-pobs').fill('0.4');
    await page.locator('#ctl-pobs').blur();
    await page.locator('#ctl-lam').fill('0.5');
    await page.locator('#ctl-lam').blur();
    await expect.poll(() => page.url()).toMatch(/kind=completion.*pobs=0\.4/);
    expect(page.url()).toMatch(/lam=0\.5/);
    // the algorithm list offers no classical DGD for a measured problem
    expect(await page.locator('#ctl-alg option').allTextContents()).toEqual(['DGD+LOCAL', 'centralized GD']);
    await page.locator('#ctl-kind').selectOption('rpca');
    await page.locator('#ctl-corr').waitFor();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(/Completed \d+ iterations/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a centralized preset shows no network; choosing DGD+LOCAL gives it one and the run works', async () => {
    const { page, errors } = await open('?preset=r12&K=300');
    await page.getByTestId('no-network').waitFor();
    expect(await page.locator('#ctl-J').count()).toBe(0);
    await page.locator('#ctl-alg').selectOption('dgd-local');
    await expect.poll(() => page.locator('#ctl-J').inputValue()).toBe('10');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(/Completed 300 iterations/);
    expect(page.url()).toMatch(/alg=dgd-local.*J=10|J=10.*alg=dgd-local/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each([
    ['?kind=completion&pobs=1.5', /pobs=1\.5: .*pObs must be in \(0, 1\]/],
    ['?kind=rpca&corr=1', /corr=1: .*corruption must be in \[0, 1\)/],
    ['?kind=sensing&meas=0', /meas=0: .*measurements must be at least 1 per node/],
    ['?kind=sensing&lam=-1', /lam=-1: .*lambda must be ≥ 0/],
    ['?kind=completion&r=500', /r=500: .*rank: is 500 but must be at most min\(n, m\)/],
  ])('a link with an impossible setting (%s) opens a working lab and says what was ignored', async (query, message) => {
    const { page, errors } = await open(query);
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(message);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(/Completed \d+ iterations/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an impossible value typed into the form stops the run with the field named, and nothing is lost', async () => {
    const { page } = await open('?kind=completion');
    await page.locator('#ctl-pobs').fill('0');
    await page.locator('#ctl-pobs').blur();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.locator('.runbar .error, [role="alert"]').first().textContent(), { timeout: 30_000 }).toMatch(/pObs must be in \(0, 1\]/);
    // the other settings are still there; fixing the value runs
    expect(await page.locator('#ctl-kind').inputValue()).toBe('completion');
    await page.locator('#ctl-pobs').fill('0.5');
    await page.locator('#ctl-pobs').blur();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(/Completed \d+ iterations/);
    await page.close();
  });

  it('a CSV with missing cells is completed; a node that observes nothing is named, and fewer nodes fix it', async () => {
    const { page, errors } = await open('?view=run');
    // a 12×16 table of rank ≤ 2; a quarter of the cells empty or NA, scattered
    const csv = (missing: (i: number, j: number) => boolean) => Array.from({ length: 12 }, (_, i) => Array.from({ length: 16 }, (_, j) => {
      if (missing(i, j)) return (i + j) % 2 ? '' : 'NA';
      return String((i + 1) * (j % 5 + 1) + (i % 3) * (j % 4));
    }).join(',')).join('\n');
    await page.locator('#ctl-upload').setInputFiles({ name: 'gaps.csv', mimeType: 'text/csv', buffer: Buffer.from(csv((i, j) => (i * 7 + j * 3) % 4 === 1)) });
    await expect.poll(() => page.locator('.about h2').textContent()).toBe('Uploaded: gaps.csv');
    expect(await page.locator('.about').textContent()).toMatch(/144 of 192 entries observed \(75\.0 %\)/);
    expect(await page.locator('#ctl-kind').inputValue()).toBe('completion');
    // 16 columns over 10 nodes is one or two columns a node: complete it centrally
    await page.locator('#ctl-alg').selectOption('gd');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(/Completed \d+ iterations/);
    const row = await latest(page);
    expect(row['fitting error']).toBeLessThan(0.1); // from ~6·10⁴ at the start
    await page.locator('#ctl-alg').selectOption('dgd-local');
    // two of every four columns missing entirely: with 8 nodes of two columns some node's block is all missing
    await page.locator('#ctl-upload').setInputFiles({ name: 'columns.csv', mimeType: 'text/csv', buffer: Buffer.from(csv((_i, j) => j % 4 >= 2)) });
    await expect.poll(() => page.locator('.about h2').textContent()).toBe('Uploaded: columns.csv');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/problem\.mask: node \d+ observes no entry of its 12×\d block/);
    await page.locator('#ctl-J').fill('2');
    await page.locator('#ctl-J').blur();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(/Completed \d+ iterations/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an uploaded CSV with gaps completes with the defaults (DGD+LOCAL, λ = 0), and the completed matrix downloads in float64', async () => {
    const { page, errors } = await open('?view=run');
    // rank 2, two terms of the same size; a quarter of the cells missing
    const value = (i: number, j: number) => (1 + (i % 4)) * (1 + (j % 3)) + (1 + ((i * 5) % 7)) * (3 - (j % 5));
    const missing = (i: number, j: number) => (i * 7 + j * 3) % 4 === 1;
    const text = Array.from({ length: 12 }, (_, i) => Array.from({ length: 16 }, (_, j) => (missing(i, j) ? '' : String(value(i, j)))).join(',')).join('\n');
    await page.locator('#ctl-upload').setInputFiles({ name: 'gaps.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await expect.poll(() => page.locator('.about h2').textContent()).toBe('Uploaded: gaps.csv');
    expect(await page.locator('#ctl-alg').inputValue()).toBe('dgd-local');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/Completed \d+ iterations/);
    // from 1.4·10⁴ at the start (with λ = 0.5, the old default, DGD+LOCAL ends at 262, 2 % of it: measured with the CLI)
    expect((await latest(page))['fitting error']).toBeLessThan(1);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Completed matrix ŪVᵀ (CSV)' }).click()]);
    const rows = readFileSync(await dl.path(), 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
    expect([rows.length, rows[0].length]).toEqual([12, 16]);
    // every entry, the missing ones too, is the rank-2 matrix's (it is recovered, not only fitted)
    let worst = 0, top = 0;
    rows.forEach((row, i) => row.forEach((v, j) => {
      worst = Math.max(worst, Math.abs(v - value(i, j)));
      top = Math.max(top, Math.abs(value(i, j)));
    }));
    expect(worst / top).toBeLessThan(1e-2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
