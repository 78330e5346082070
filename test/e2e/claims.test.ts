// A preset's claims in the app, in headless Chromium: neutral marks before a run, the comparison runs the
// document names run first and stay on the charts, then ✓ with the measured value under each claim.
// Screenshots: test-results/claims-before.png (the list before a run) and claims.png (after).
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { labBrowser, openLab, runStatus } from '../support/chromium';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

describe('claims under the description', () => {
  it('?preset=sparse: pending before Run; the comparison runs, then the run; every claim ✓ with what was measured', async () => {
    const { page, errors } = await openLab(lab, '?preset=sparse');
    const claims = page.getByTestId('claims');
    await claims.waitFor();
    const items = claims.locator('li');
    expect(await items.count()).toBe(4);
    expect(await items.evaluateAll((li) => li.map((e) => e.getAttribute('data-status')))).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(await claims.textContent()).toMatch(/checked when the run finishes/);
    await claims.screenshot({ path: 'test-results/claims-before.png' });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => items.evaluateAll((li) => li.map((e) => e.getAttribute('data-status'))), { timeout: 120_000 }).toEqual(['holds', 'holds', 'holds', 'holds']);
    expect(await runStatus(page)).toMatch(/Completed 4000 iterations/);
    expect(await claims.locator('.claims-head').textContent()).toBe('Claims: 4 of 4 hold');
    expect(await items.first().locator('.measured').textContent()).toMatch(/^consensusError at iteration 1000 = \S+ > consensusError \(complete\) at iteration 1000 = \S+ \(ratio \S+\)$/);
    // the two comparison runs and the run itself are on the charts
    expect(await page.locator('.chart .js-plotly-plot').first().locator('.scatterlayer .trace').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: 'test-results/claims.png', fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('a run cut short by the link marks the claims it cannot answer with "?" and the reason', async () => {
    const { page, errors } = await openLab(lab, '?preset=sparse&K=1500');
    const items = page.getByTestId('claims').locator('li');
    await items.first().waitFor();
    expect(await items.evaluateAll((li) => li.map((e) => e.getAttribute('data-status')))).toEqual(['pending', 'error', 'pending', 'error']);
    expect(await items.nth(1).locator('.measured').textContent()).toMatch(/not checkable on these settings: is 2000, past the 1500 iterations/);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => items.evaluateAll((li) => li.map((e) => e.getAttribute('data-status'))), { timeout: 120_000 }).toEqual(['holds', 'error', 'holds', 'error']);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('?preset=sym-toy: all ten claims of the symmetric toy hold in the app, on diag(1, ¼) as the settings say', async () => {
    const { page, errors } = await openLab(lab, '?preset=sym-toy');
    const items = page.getByTestId('claims').locator('li');
    await items.first().waitFor();
    expect(await items.count()).toBe(10);
    expect(await page.getByTestId('spectrum').textContent()).toMatch(/M⋆ = diag\(1, 0\.25\), 2 × 2/);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => items.evaluateAll((li) => li.map((e) => e.getAttribute('data-status'))), { timeout: 120_000 }).toEqual(Array(10).fill('holds'));
    expect(await page.getByTestId('claims').locator('.claims-head').textContent()).toBe('Claims: 10 of 10 hold');
    await page.screenshot({ path: 'test-results/sym-toy.png', fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
