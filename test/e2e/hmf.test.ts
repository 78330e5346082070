// HMF in the app (SPEC §7), in headless Chromium on the Vite dev server: the R15 preset runs and its
// errors fall; the video demo separates background from moving objects and shows frames, both
// reconstructions and PSNR. Screenshots go to test-results/hmf-*.png for a person to look at.
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { labBrowser, openLab, runStatus } from '../support/chromium';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

const open = (query = '') => openLab(lab, query);

const status = runStatus;
const hmfRow = async (page: Page) => (await page.getByTestId('hmf-row').locator('td').allTextContents()).map(Number);

describe('HMF in the app', () => {
  it('R15 opens with the HMF settings, runs on the CPU engine, and the shared, unique and subspace errors fall', async () => {
    const { page, errors } = await open('?preset=r15&K=150&rec=10&engine=cpu');
    await expect.poll(() => page.getByLabel('shared rank r₁').inputValue()).toBe('3');
    expect(await page.getByLabel('correction step').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 120_000 }).toMatch(/Completed 150 rounds/);
    const [round, shared, unique, subspace, feasibility] = await hmfRow(page);
    expect(round).toBe(150);
    // the planted model starts at shared = unique = 300 (100 sources × rank 3, unit singular values)
    expect(shared).toBeLessThan(1e-3);
    expect(unique).toBeLessThan(1e-3);
    expect(subspace).toBeLessThan(1e-8);
    expect(feasibility).toBeLessThan(1e-12);
    await expect(page.getByTestId('misalignment').textContent()).resolves.toMatch(/\) = 0\.9400 /); // 300 unique columns over 55 of Q's: at most 6 of the 100 sources share one, θ̂ = 1 − 6/100
    await expect.poll(() => page.locator('.chart .js-plotly-plot').count(), { timeout: 30_000 }).toBe(5);
    // the charts count rounds, as the status does
    expect(await page.locator('.chart .js-plotly-plot .xtitle').allTextContents()).toEqual(Array(5).fill('round'));
    await page.screenshot({ path: 'test-results/hmf-r15.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('the video demo shows corrupted frames, the background and foreground, and a background PSNR far above the baseline', async () => {
    const { page, errors } = await open('?preset=r17&K=100&rec=20&engine=cpu');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 170_000 }).toMatch(/Completed 100 rounds/);
    const video = page.getByRole('region', { name: 'video separation' });
    await video.waitFor();
    expect(await video.locator('canvas').count()).toBe(25); // 5 frames × (frame, background, foreground, 2 truths)
    const cells = async (id: string) => (await page.getByTestId(id).locator('td').allTextContents()).map(Number);
    const [, bgPsnr] = await cells('bg-score');
    const baseline = Number((await video.locator('tr', { hasText: 'corrupted frames as background' }).locator('td').nth(1).textContent()));
    expect(bgPsnr).toBeGreaterThan(baseline + 8);
    await page.screenshot({ path: 'test-results/hmf-video.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('the problem switch goes to HMF and back, and the link follows', async () => {
    const { page, errors } = await open('?view=run');
    await page.getByLabel('problem').selectOption('hmf');
    await expect.poll(() => page.getByLabel('shared rank r₁').inputValue()).toBe('3');
    await expect.poll(() => page.url()).toMatch(/kind=hmf.*r1=3&r2=3&hN=100/);
    await page.getByLabel('problem').selectOption('factorization');
    await expect.poll(() => page.getByLabel('nodes J').inputValue()).toBe('10');
    await expect.poll(() => page.url()).toMatch(/kind=factorization/);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('the method menu runs a rival of Table 2 (JIVE) on the same sources: β and the correction go, the link follows, the CPU engine says why', async () => {
    const { page, errors } = await open('?preset=r16&K=20');
    await page.getByLabel('method').selectOption('jive');
    await expect.poll(() => page.url()).toMatch(/[?&]alg=jive(&|$)/);
    expect(await page.getByLabel('β').count()).toBe(0);
    expect(await page.getByLabel('correction step').count()).toBe(0);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 90_000 }).toMatch(/Completed 20 rounds|Completed 20 iterations/);
    expect(await page.getByTestId('engine-note').textContent()).toMatch(/CPU/);
    // and back: Algorithm 1's settings return
    await page.getByLabel('method').selectOption('hmf');
    await expect.poll(() => page.getByLabel('β').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('an uploaded sequence with frames of different sizes is refused, naming the frame', async () => {
    const { page } = await open('?preset=r17');
    const png = (w: number, h: number) => page.evaluate(`(async () => { const c = new OffscreenCanvas(${w}, ${h}); c.getContext('2d').fillRect(0, 0, 3, 3); const b = await c.convertToBlob(); return Array.from(new Uint8Array(await b.arrayBuffer())); })()`) as Promise<number[]>;
    const files = [
      { name: 'f1.png', mimeType: 'image/png', buffer: Buffer.from(await png(28, 21)) },
      { name: 'f2.png', mimeType: 'image/png', buffer: Buffer.from(await png(28, 21)) },
      { name: 'f3.png', mimeType: 'image/png', buffer: Buffer.from(await png(35, 21)) },
    ];
    await page.getByLabel('your frames (images)').setInputFiles(files);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/frame 3 \(f3\.png\) is 35×21 but frame 1 \(f1\.png\) is 28×21; every frame must have the same size/);
    await page.getByLabel('your frames (images)').setInputFiles(files.slice(0, 2));
    await expect.poll(() => page.locator('.about h2').textContent()).toMatch(/Your sequence: 2 frames/);
    await page.close();
  }, 60_000);
});
