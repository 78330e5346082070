// HAE (Algorithm 2 of [H]) trained on the WebGPU engine inside the app (headless Chromium, SwiftShader): the
// hae preset with engine=webgpu runs its comparison runs and then HAE, whose run bar shows a progress bar of
// rounds that advances while it trains and is full at the end, with the training loss and the test RMSE.
import { expect, it } from 'vitest';
import { labBrowser } from '../support/chromium';

const lab = labBrowser();

it('?preset=hae with engine=webgpu trains HAE on the WebGPU engine with a progress bar, and shows its test RMSE', async () => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${lab.url}/?preset=hae&engine=webgpu`);
  // HMF's settings name the method
  await expect.poll(() => page.locator('select#ctl-alg').inputValue()).toBe('hae');
  expect(await page.locator('select#ctl-alg option:checked').textContent()).toBe('HAE (Algorithm 2)');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const bar = page.getByRole('progressbar', { name: 'rounds done' });
  const text = page.getByTestId('run-progress-text');
  // HAE's own run (the comparison runs go first): the bar is part-way at some record before the end
  const seen: number[] = [];
  await expect.poll(async () => {
    const t = (await text.textContent()) ?? '';
    const m = /round (\d+) of 600 · train loss/.exec(t);
    if (m) seen.push(Number(m[1]));
    return seen.some((k) => k > 0 && k < 600) && /Completed 600 rounds/.test((await page.getByRole('status').first().textContent()) ?? '');
  }, { timeout: 240_000, interval: 100 }).toBe(true);
  expect(Number(await bar.getAttribute('value'))).toBe(600);
  expect(Number(await bar.getAttribute('max'))).toBe(600);
  expect(await text.textContent()).toMatch(/^round 600 of 600 · train loss \d\.\d{4}e[+-]\d+ · test RMSE 0\.\d{4}$/);
  await expect.poll(() => page.getByTestId('engine-note').textContent()).toMatch(/^HAE WebGPU engine \(float32\)/);
  // the latest row: the test RMSE the preset's claims read (0.789 on the float64 engine), to float32's digits
  const head = await page.locator('table.latest th').allTextContents();
  const cells = (await page.getByTestId('latest-row').locator('td').allTextContents()).map(Number);
  const row = Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  expect(row['test RMSE']).toBeGreaterThan(0.78);
  expect(row['test RMSE']).toBeLessThan(0.80);
  expect(errors).toEqual([]);
  await page.close();
}, 300_000);

it('HAE\'s network options have fields in HMF\'s settings, with the defaults, and ride in the link', async () => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${lab.url}/?preset=hae&view=run&engine=cpu`);
  // the preset's linear networks: no hidden layer, no activation
  await expect.poll(() => page.locator('#ctl-hhid').inputValue()).toBe('');
  expect(await page.locator('#ctl-hact').inputValue()).toBe('none');
  await page.locator('#ctl-hhid').fill('8');
  await page.locator('#ctl-hhid').press('Enter');
  await page.locator('#ctl-hact').selectOption('relu');
  await expect.poll(() => page.url()).toMatch(/hhid=8&hact=relu/);
  // Algorithm 1 has no such options: the fields go with the method
  await page.locator('#ctl-alg').selectOption('hmf');
  await expect.poll(() => page.locator('#ctl-hhid').count()).toBe(0);
  expect(page.url()).not.toMatch(/hhid=|hact=/);
  // a new HAE run starts from the defaults a document without options gets (one ReLU layer of 32)
  await page.locator('#ctl-alg').selectOption('hae');
  await expect.poll(() => page.locator('#ctl-hhid').inputValue()).toBe('32');
  expect(await page.locator('#ctl-hact').inputValue()).toBe('relu');
  await page.screenshot({ path: 'test-results/hae-options.png', fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});
