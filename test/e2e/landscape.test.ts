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
