// Sensing, completion and RPCA on the WebGPU engine inside the app (headless Chromium, SwiftShader): with
// engine=webgpu the worker runs them on the GPU, says so, and the errors fall to the float32 floor.
import { expect, it } from 'vitest';
import { labBrowser } from '../support/chromium';

const lab = labBrowser();

it.each([
  { id: 'r12', K: 600, opt: 1e-6 },
  { id: 'r14', K: 600, opt: 1e-2 },
])('$id with engine=webgpu runs on the WebGPU engine and its optimality error falls', async ({ id, K, opt }) => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${lab.url}/?preset=${id}&K=${K}&engine=webgpu`);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 120_000 }).toMatch(new RegExp(`Completed ${K} iterations`));
  await expect.poll(() => page.getByTestId('engine-note').textContent()).toMatch(/^WebGPU engine \(float32\)/);
  const head = await page.locator('table.latest th').allTextContents();
  const cells = (await page.getByTestId('latest-row').locator('td').allTextContents()).map(Number);
  const row = Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  expect(row['optimality error']).toBeLessThan(opt);
  if (id === 'r14') expect(row['support mismatch']).toBe(0);
  expect(errors).toEqual([]);
  await page.close();
});
