// Saddles in the run view, in headless Chromium: R6's curvature trace goes negative near the origin and
// ends ≥ 0 with a "global minimum" verdict; a landscape slice renders with the run's path projected on it.
// Screenshots: test-results/curvature-r6.png, test-results/slice.png.
import { expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { labBrowser, openLab, runStatus } from '../support/chromium';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

const open = (query = '') => openLab(lab, query);
type PlotEl = { data: Record<string, unknown>[] };
const status = runStatus;

it('R6: the curvature trace appears, negative near the saddle and ≥ 0 at the end, with the verdict', async () => {
  const { page, errors } = await open('?preset=r6&K=5000&engine=cpu');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/Completed 5000 iterations/);
  const chart = page.getByRole('region', { name: 'curvature trace' });
  await chart.locator('.js-plotly-plot .scatterlayer .trace').first().waitFor({ timeout: 30_000 });
  // the drawn values, read back from the plotly element
  const ys = await chart.locator('.js-plotly-plot').first().evaluate((el) => (el as unknown as PlotEl).data[0].y as number[]);
  expect(ys.length).toBeGreaterThan(10);
  expect(ys[0]).toBeLessThan(-1);
  expect(Math.min(...ys.slice(0, 3))).toBeLessThan(0);
  expect(ys[ys.length - 1]).toBeGreaterThanOrEqual(-1e-8);
  await expect.poll(() => chart.locator('.curv-verdict').textContent(), { timeout: 30_000 }).toMatch(/^Global minimum — ‖∇‖ = .*λ_min = /);
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/curvature-r6.png', fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

it('a landscape slice renders at the current iterate with the projected trajectory; the range redraws it', async () => {
  const { page, errors } = await open('?preset=lifted&K=3000&engine=cpu');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/Completed 3000 iterations/);
  const panel = page.getByRole('region', { name: 'landscape slice' });
  await panel.getByLabel('plane').selectOption('hessian');
  await panel.getByLabel('resolution').selectOption('128');
  await panel.getByRole('button', { name: 'Slice at the current iterate' }).click();
  const plot = panel.locator('.js-plotly-plot').first();
  await plot.locator('.scatterlayer .trace').first().waitFor({ timeout: 60_000 });
  const traces = await plot.evaluate((el) => (el as unknown as PlotEl).data.map((d) => ({ type: d.type as string, name: d.name as string, n: ((d.x as number[] | undefined) ?? []).length })));
  expect(traces[0]).toMatchObject({ type: 'contour', n: 128 });
  const path = traces.find((t) => t.name === 'the run, projected')!;
  expect(path.n).toBeGreaterThan(10);
  // the path ends at the plane's origin, the current iterate
  const end = await plot.evaluate((el) => {
    const d = (el as unknown as PlotEl).data.find((t) => t.name === 'the run, projected')!;
    const x = d.x as number[], y = d.y as number[];
    return [x[x.length - 1], y[y.length - 1]];
  });
  expect(Math.hypot(end[0], end[1])).toBeLessThan(1e-6);
  expect(await panel.locator('.help').last().textContent()).toMatch(/Exact quartic from one pass over the data \(128×128 in \d+ ms\)/);
  await page.screenshot({ path: 'test-results/slice.png', fullPage: true });
  // a new range re-evaluates the quartic in the page: the axis follows at once
  await panel.getByLabel('range').fill('0.25');
  await expect.poll(() => plot.evaluate((el) => ((el as unknown as PlotEl).data[0].x as number[])[0]), { timeout: 10_000 }).toBeCloseTo(-0.25, 10);
  expect(errors).toEqual([]);
  await page.close();
});

it('at a saddle of f, the Hessian plane shows the escape direction: g falls along a, rises along b', async () => {
  const { page, errors } = await open('?preset=saddle&K=100&engine=cpu');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/Completed 100 iterations/);
  const panel = page.getByRole('region', { name: 'landscape slice' });
  await panel.getByLabel('plane').selectOption('hessian');
  await panel.getByLabel('range').fill('0.1');
  await panel.getByRole('button', { name: 'Slice at the current iterate' }).click();
  const plot = panel.locator('.js-plotly-plot').first();
  await plot.locator('.scatterlayer .trace').first().waitFor({ timeout: 60_000 });
  // log₁₀ g along the axes through the centre: lower at the ends of a (escape), higher at the ends of b
  const z = await plot.evaluate((el) => (el as unknown as PlotEl).data[0].z as number[][]);
  const n = z.length, mid = (n - 1) / 2;
  const centre = z[Math.floor(mid)][Math.floor(mid)];
  expect(Math.min(z[Math.floor(mid)][0], z[Math.floor(mid)][n - 1])).toBeLessThan(centre);
  expect(Math.min(z[0][Math.floor(mid)], z[n - 1][Math.floor(mid)])).toBeGreaterThan(centre);
  expect(await plot.evaluate((el) => String((el as unknown as { layout: { xaxis: { title: { text: string } } } }).layout.xaxis.title.text))).toMatch(/eigenvector of λ₁ = -/);
  await page.screenshot({ path: 'test-results/slice-saddle.png', fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});
