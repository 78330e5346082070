// A sweep preset's claims about its cells on the Sweep tab, in headless Chromium: neutral marks before the
// sweep, ✓ with what was measured once it has finished; the run view's list under the description leaves
// them out (there is no single run to check them on). Screenshot: test-results/sweep-claims.png.
import { expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { labBrowser, openLab } from '../support/chromium';
import { preset } from '../unit/helpers';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

it('?preset=sweep-dgd-vs-dgd-local: the cells\' claims are pending before the sweep and all hold after it', async () => {
  const { page, errors } = await openLab(lab, '?preset=sweep-dgd-vs-dgd-local&view=sweep&engine=cpu');
  const n = (preset('sweep-dgd-vs-dgd-local') as { claims: unknown[] }).claims.length;
  const claims = page.getByTestId('sweep-claims');
  await claims.waitFor({ timeout: 30_000 });
  const items = claims.locator('li');
  expect(await items.count()).toBe(n);
  expect(new Set(await items.evaluateAll((li) => li.map((e) => e.getAttribute('data-status'))))).toEqual(new Set(['pending']));
  expect(await claims.locator('.claims-head').textContent()).toBe('Claims — checked when the sweep finishes');
  expect(await page.getByTestId('claims').count()).toBe(0);
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect.poll(() => claims.locator('.claims-head').textContent(), { timeout: 120_000 }).toBe(`Claims: ${n} of ${n} hold`);
  expect(await page.getByTestId('sweep-progress-text').textContent()).toMatch(/^28 \/ 28 runs, 100 % — done in/);
  expect(await items.nth(1).locator('.measured').textContent()).toMatch(/^consensusError at step size μ = 3e-4, algorithm = dgd-local \(max over 2 seeds\) = \S+ < 1e-4 × consensusError at step size μ = 3e-4, algorithm = dgd \(min over 2 seeds\) = \S+ \(ratio \S+\)$/);
  await page.screenshot({ path: 'test-results/sweep-claims.png', fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});
