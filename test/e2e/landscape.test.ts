// The landscape view as a student uses it: click the u–v landscape, watch gradient descent run from there,
// open the saddle-escape demo; the settings travel in the link.
import { expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { labBrowser } from '../support/chromium';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

it('a click on the landscape starts a gradient-descent trajectory; the escape demo shows log(1/δ) growth', async () => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${lab.url}/?view=landscape`);
  const paths = page.getByRole('list', { name: 'Gradient-descent paths' });
  await page.locator('.ls-main-chart .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
  const box = (await page.locator('.ls-main-chart .js-plotly-plot .nsewdrag').first().boundingBox())!;
  // plotly reports the hovered point on click: hover first, then click the same spot (upper right: u, v > 0)
  const x = box.x + 0.7 * box.width, y = box.y + 0.3 * box.height;
  await page.mouse.move(x - 20, y + 10);
  await page.mouse.move(x, y, { steps: 5 });
  await page.waitForTimeout(300);
  await page.mouse.click(x, y);
  await expect.poll(() => paths.locator('li').count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => paths.locator('li').first().textContent(), { timeout: 60_000 }).toMatch(/converged to a minimum after \d+ iterations/);
  await expect.poll(() => page.url()).toMatch(/ls=[-0-9.]+:[-0-9.]+/);
  await page.getByRole('button', { name: 'Run the saddle-escape demo' }).click();
  await expect.poll(() => page.getByTestId('escape-summary').textContent(), { timeout: 60_000 }).toMatch(/\S/);
  await page.screenshot({ path: 'test-results/landscape.png', fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

it('a start exactly on the stable manifold, given by the link, converges to the saddle', async () => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${lab.url}/?view=landscape&ls=0.8:-0.8`);
  const paths = page.getByRole('list', { name: 'Gradient-descent paths' });
  await expect.poll(() => paths.locator('li').first().textContent(), { timeout: 60_000 }).toMatch(/converged to the saddle/);
  await page.close();
});

/** The pixel of data point (u, v) on the landscape chart, from plotly's own axes. */
async function pixel(page: import('playwright-core').Page, u: number, v: number): Promise<[number, number]> {
  return page.evaluate(([u, v]) => {
    const gd = document.querySelector('.ls-main-chart .js-plotly-plot') as HTMLElement & { _fullLayout: { xaxis: { range: number[]; _offset: number; _length: number }; yaxis: { range: number[]; _offset: number; _length: number } } };
    const { xaxis: xa, yaxis: ya } = gd._fullLayout, r = gd.getBoundingClientRect();
    return [r.left + xa._offset + ((u - xa.range[0]) / (xa.range[1] - xa.range[0])) * xa._length, r.top + ya._offset + ((ya.range[1] - v) / (ya.range[1] - ya.range[0])) * ya._length] as [number, number];
  }, [u, v]);
}

const startsInLink = (url: string) => (new URL(url).searchParams.get('ls') ?? '').split(';').filter(Boolean).map((p) => p.split(':').map(Number));

it('a click starts exactly where it lands, even a pixel off the stable manifold; a dragged start shows its path live', async () => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${lab.url}/?view=landscape`);
  await page.locator('.ls-main-chart .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
  const paths = page.getByRole('list', { name: 'Gradient-descent paths' });
  // one pixel above the dashed line u + v = 0, halfway between two grid columns (u = 0.6 and 0.625): a
  // click snapped to the nearest plotted point would land 1.4 px away
  const perPixel = 4 / (await page.evaluate(() => (document.querySelector('.ls-main-chart .js-plotly-plot') as unknown as { _fullLayout: { xaxis: { _length: number } } })._fullLayout.xaxis._length));
  const target = [0.6125, -0.6125 + perPixel];
  const [x, y] = await pixel(page, target[0], target[1]);
  await page.mouse.click(x, y);
  await expect.poll(() => startsInLink(page.url()).length, { timeout: 30_000 }).toBe(1);
  const [[u, v]] = startsInLink(page.url());
  expect(Math.abs(u - target[0])).toBeLessThan(0.6 * perPixel);
  expect(Math.abs(v - target[1])).toBeLessThan(0.6 * perPixel);
  expect(u + v).toBeGreaterThan(0.3 * perPixel); // off the line
  await expect.poll(() => paths.locator('li').first().textContent(), { timeout: 60_000 }).toMatch(/converged to a minimum/);
  // the label keeps the digits of the start
  expect(await paths.locator('li').first().textContent()).toContain(`start (${u}, ${v})`);

  // drag that start to (−1, 1.5): the path follows during the drag, the link takes the drop
  const [tx, ty] = await pixel(page, -1, 1.5);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move((x + tx) / 2, (y + ty) / 2, { steps: 4 });
  await expect.poll(() => paths.locator('li').count()).toBe(1);
  const during = await paths.locator('li').first().textContent();
  expect(during).not.toContain(`start (${u}, ${v})`);
  expect(during).toMatch(/converged to a minimum after \d+ iterations/); // drawn whole while dragged
  await page.mouse.move(tx, ty, { steps: 4 });
  await page.mouse.up();
  await expect.poll(() => startsInLink(page.url())[0]?.[0], { timeout: 30_000 }).toBeCloseTo(-1, 1);
  const [[u2, v2]] = startsInLink(page.url());
  expect([Math.abs(u2 + 1) < perPixel, Math.abs(v2 - 1.5) < perPixel]).toEqual([true, true]);
  expect(startsInLink(page.url())).toHaveLength(1); // moved, not added
  await page.close();
});

it('a drag on the landscape away from any start zooms in (a click there still starts gradient descent)', async () => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${lab.url}/?view=landscape`);
  await page.locator('.ls-main-chart .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
  const range = () => page.evaluate(() => (document.querySelector('.ls-main-chart .js-plotly-plot') as unknown as { _fullLayout: { xaxis: { range: number[] } } })._fullLayout.xaxis.range);
  expect(await range()).toEqual([-2, 2]);
  const [x0, y0] = await pixel(page, 0.5, 0.5), [x1, y1] = await pixel(page, 1.5, 1.5);
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x1, y1, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await range())[1], { timeout: 10_000 }).toBeLessThan(1.7);
  expect(startsInLink(page.url())).toHaveLength(0); // a zoom, not a start
  // in the zoomed view a click still lands where it is: (1, 1) is now far from any grid point of the old view
  const [cx, cy] = await pixel(page, 1.0123, 0.9876);
  await page.mouse.click(cx, cy);
  await expect.poll(() => startsInLink(page.url()).length, { timeout: 30_000 }).toBe(1);
  const [[u, v]] = startsInLink(page.url());
  expect([Math.abs(u - 1.0123) < 0.005, Math.abs(v - 0.9876) < 0.005]).toEqual([true, true]);
  await page.close();
});
