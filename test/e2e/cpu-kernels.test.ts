// The page's CPU engine, in headless Chromium on the Vite dev server (which sends the COOP/COEP headers): the
// run's engine note says what it runs on — the WebAssembly kernels, a large factorization's nodes over threads
// when the page is cross-origin isolated, one thread and why otherwise — and the threaded run in the page
// ends on exactly the numbers the CLI computes on one thread.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PreviewServer, build, preview } from 'vite';
import type { Page } from 'playwright-core';
import { labBrowser, openLab, runStatus } from '../support/chromium';
import { cli, docFolder } from '../unit/helpers';

const lab = labBrowser();
const note = (page: Page) => page.getByTestId('engine-note').textContent();

/** A factorization large enough to be split over threads (4nmr ≥ THREAD_MIN_FLOPS). */
const BIG = '?view=run&kind=factorization&n=64&m=1100&r=16&J=8&engine=cpu&K=60&rec=20';

async function run(page: Page, K: number): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => runStatus(page), { timeout: 120_000 }).toMatch(new RegExp(`Completed ${K} iterations`));
}

describe('the CPU engine in the page', () => {
  it('is cross-origin isolated on the dev server, and a large factorization runs its nodes on threads', async () => {
    const { page, errors } = await openLab(lab, BIG);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await run(page, 60);
    await expect.poll(() => note(page), { timeout: 60_000 }).toMatch(/WebAssembly SIMD kernels/);
    expect(await note(page)).toMatch(cores > 1 ? new RegExp(`the nodes split over ${Math.min(cores, 8)} threads`) : /one thread/);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('the link and the settings choose the plain TypeScript path, and the note says so', async () => {
    const { page, errors } = await openLab(lab, '?preset=r3&view=run&engine=cpu&K=200&kernels=js');
    expect(await page.getByLabel('CPU products').inputValue()).toBe('js');
    await run(page, 200);
    await expect.poll(() => note(page), { timeout: 60_000 }).toMatch(/Float64 products in plain TypeScript, as chosen\./);
    await page.getByLabel('CPU products').selectOption('wasm');
    await expect.poll(() => page.url()).not.toMatch(/kernels=js/);
    await run(page, 200);
    await expect.poll(() => note(page), { timeout: 60_000 }).toMatch(/WebAssembly SIMD kernels/);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('a small run keeps one thread and says why', async () => {
    const { page, errors } = await openLab(lab, '?preset=r3&view=run&engine=cpu&K=200');
    await run(page, 200);
    await expect.poll(() => note(page), { timeout: 60_000 }).toMatch(/WebAssembly SIMD kernels, one thread \(a run this small gains nothing from more\)/);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('the threaded run in the page exports the numbers the CLI computes on one thread', async () => {
    const { page, errors } = await openLab(lab, BIG);
    await run(page, 60);
    await expect.poll(() => note(page), { timeout: 60_000 }).toMatch(/threads/);
    await page.locator('details.io').evaluate((d) => { (d as HTMLDetailsElement).open = true; });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Result JSON', exact: true }).click()]);
    const doc = JSON.parse(readFileSync(await download.path(), 'utf8')) as { experiment: unknown; trace: unknown; final: { U: { data: number[] } } };
    const { writeDoc } = docFolder('lowrank-page-threads-');
    const out = await cli(['run', writeDoc(doc.experiment), '--threads', '1']);
    expect(out.code).toBe(0);
    const fromCli = JSON.parse(out.stdout) as typeof doc;
    expect(doc.final).toEqual(fromCli.final);
    expect(doc.trace).toEqual(fromCli.trace);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});

// The app as a host serves it: `vite build` (the engine worker and its threads are bundled with the kernels'
// plugin too) and `vite preview` (the same isolation headers as public/_headers): the kernels load, and a large
// factorization's nodes run on the threads the bundled worker starts.
describe('the built app', () => {
  const out = mkdtempSync(join(tmpdir(), 'lowrank-dist-'));
  let server: PreviewServer | null = null;
  const built = { url: '', browser: null as unknown as typeof lab.browser };
  beforeAll(async () => {
    await build({ logLevel: 'error', build: { outDir: out, emptyOutDir: true } });
    server = await preview({ preview: { port: 0, host: '127.0.0.1' }, build: { outDir: out }, logLevel: 'error' });
    const addr = server.httpServer.address();
    built.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 4173}`;
    built.browser = lab.browser;
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    rmSync(out, { recursive: true, force: true });
  });

  it('runs on the WebAssembly kernels, its nodes over threads when the run is large', async () => {
    const { page, errors } = await openLab(built, BIG);
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await run(page, 60);
    await expect.poll(() => note(page), { timeout: 60_000 }).toMatch(/WebAssembly SIMD kernels/);
    expect(await note(page)).toMatch(cores > 1 ? /the nodes split over \d+ threads/ : /one thread/);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
