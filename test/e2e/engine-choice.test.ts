// The page runs experiments in a worker on the engine the user picks; on a software adapter "auto"
// picks the CPU engine and says why, and WebGPU can be forced. Headless Chromium, SwiftShader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { launchChromium, startVite } from '../support/chromium';

let browser: Browser, server: ViteDevServer, url: string;
beforeAll(async () => {
  ({ server, url } = await startVite());
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  await page.getByRole('button', { name: 'Run' }).waitFor();
  return { page, errors };
}

describe('engine choice in the app', () => {
  it('auto on a software adapter runs on the CPU engine and says why', async () => {
    const { page, errors } = await open();
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByTestId('engine-note').textContent(), { timeout: 60_000 }).toMatch(/software emulation, slower here than the float64 CPU engine/);
    await page.getByText(/Completed 10000 iterations/).waitFor({ timeout: 120_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('WebGPU can be forced: the run streams metrics from the GPU engine in the worker', async () => {
    const { page, errors } = await open();
    await page.getByLabel('Engine').selectOption('webgpu');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByTestId('engine-note').textContent(), { timeout: 60_000 }).toMatch(/^WebGPU engine \(float32\) on .*software adapter, chosen explicitly/);
    await expect.poll(() => page.locator('.status').textContent(), { timeout: 60_000 }).toMatch(/iteration [1-9]\d*/);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/run-webgpu.png' });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText(/Cancelled at iteration \d+/).waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
