// Same link, same numbers: for every preset, the instance it builds (every number of it), its sweep axes and
// its first 100 CPU iterations are bit-identical in Node, in Chromium and in Firefox — the lab's own
// arithmetic (src/core/fmath.ts, + − × ÷ √) instead of the engines' Math.log/exp/sin/cos/pow, which differ in
// the last bit between them. Then the app itself in Firefox, a browser without WebGPU: it says why it runs
// on the CPU engine, runs r3 and exports the CLI's result, number for number.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser as PwBrowser, Page as PwPage } from 'playwright-core';
import type { Browser as PpBrowser, Page as PpPage } from 'puppeteer-core';
import type { ViteDevServer } from 'vite';
import { launchChromium, startVite } from '../support/chromium';
import { launchFirefox } from '../support/firefox';
import { type Fingerprint, fingerprintDiff, fingerprintDocument } from '../browser/fingerprint';
import { cli } from '../unit/helpers';

const PRESET_DIR = join(import.meta.dirname, '../../public/presets');
const presets = readdirSync(PRESET_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.replace(/\.json$/, '')).sort();
const load = (id: string): unknown => JSON.parse(readFileSync(join(PRESET_DIR, `${id}.json`), 'utf8'));

let vite: { server: ViteDevServer; url: string };
let chromium: PwBrowser, firefox: PpBrowser;
let cPage: PwPage, fPage: PpPage;

type FingerprintWindow = { fingerprint(doc: unknown): Promise<Fingerprint> };

beforeAll(async () => {
  vite = await startVite();
  [chromium, firefox] = await Promise.all([launchChromium(), launchFirefox()]);
  cPage = await chromium.newPage();
  await cPage.goto(`${vite.url}/test/browser/fingerprint.html`);
  await cPage.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
  fPage = await firefox.newPage();
  await fPage.goto(`${vite.url}/test/browser/fingerprint.html`);
  await fPage.waitForFunction(() => document.title === 'ready', { timeout: 60_000 });
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await firefox?.close();
  await vite?.server.close();
});

describe('every preset builds and runs bit for bit alike in Node, Chromium and Firefox', () => {
  it('the presets are all here', () => expect(presets.length).toBeGreaterThanOrEqual(39));

  it.each(presets)('%s', async (id) => {
    const doc = load(id);
    const [node, chrome, fox] = await Promise.all([
      fingerprintDocument(doc),
      cPage.evaluate((d) => (window as unknown as FingerprintWindow).fingerprint(d), doc),
      fPage.evaluate((d) => (window as unknown as FingerprintWindow).fingerprint(d), doc),
    ]);
    // the fingerprint covers the data, the network, the initial iterate and 100 recorded iterations
    expect(Object.keys(node).some((k) => k.startsWith('instance.init'))).toBe(true);
    // (a preset that diverges — too-large — stops early, its last record the first non-finite iteration)
    const stopped = /^diverged at (\d+)$/.exec(node['run.stopped']);
    expect(node['run.trace.iteration']).toMatch(stopped ? new RegExp(`:number\\[${Number(stopped[1]) + 1}\\]$`) : /:number\[(101|11)\]$/);
    if (!stopped) expect(node['run.stopped']).toBe('completed at 100');
    expect({ chromium: fingerprintDiff(node, chrome), firefox: fingerprintDiff(node, fox) }).toEqual({ chromium: [], firefox: [] });
  }, 300_000);
});

describe('the app in Firefox (no WebGPU)', () => {
  it('says why it runs on the CPU engine, runs r3 and exports the CLI\'s result exactly', async () => {
    const page = await firefox.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    // the landscape says why its grid is on the CPU
    await page.goto(`${vite.url}/?view=landscape`);
    await expect.poll(() => page.$eval('[data-testid="grid-note"]', (e) => e.textContent ?? '').catch(() => ''), { timeout: 60_000, interval: 500 })
      .toMatch(/^grid: float64 on the CPU \(no WebGPU: this browser has no WebGPU \(navigator\.gpu is missing\)\); colour/);
    await page.goto(`${vite.url}/?preset=r3`);
    await page.waitForSelector('[role="tablist"]', { timeout: 60_000 });
    // capture what the page downloads (the export buttons make a Blob URL)
    await page.evaluate(() => {
      const w = window as unknown as { downloads: Promise<string>[] };
      w.downloads = [];
      const make = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (b: Blob | MediaSource) => {
        if (b instanceof Blob) w.downloads.push(b.text());
        return make(b);
      };
    });
    const run = await page.waitForSelector('::-p-aria(Run[role="button"])');
    await run!.click();
    const status = () => page.$eval('[role="status"]', (e) => e.textContent ?? '');
    await expect.poll(status, { timeout: 120_000, interval: 500 }).toMatch(/Completed 10000 iterations/);
    const note = await page.$eval('[data-testid="engine-note"]', (e) => e.textContent ?? '');
    expect(note).toMatch(/No WebGPU: this browser has no WebGPU \(navigator\.gpu is missing\)\. Running on the CPU engine/);
    expect(note).toMatch(/CPU engine \(float64\)/);

    await page.$eval('details.io', (d) => { (d as HTMLDetailsElement).open = true; });
    const exportResult = await page.waitForSelector('::-p-aria(Result JSON[role="button"])');
    await exportResult!.click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { downloads: unknown[] }).downloads.length), { timeout: 30_000 }).toBe(1);
    const fromPage = JSON.parse(await page.evaluate(() => (window as unknown as { downloads: Promise<string>[] }).downloads[0]));

    const { code, stdout } = await cli(['run', join(PRESET_DIR, 'r3.json')]);
    expect(code).toBe(0);
    const fromCli = JSON.parse(stdout);
    expect(fromPage.backend).toBe('cpu');
    expect(fromPage.trace.iteration.at(-1)).toBe(10000);
    expect(fromPage.trace).toEqual(fromCli.trace);
    expect(fromPage.final).toEqual(fromCli.final);
    expect(fromPage.stepsize).toBe(fromCli.stepsize);
    // and the page shows those numbers
    const shown = await page.$$eval('[data-testid="latest-row"] td', (tds) => tds.map((t) => t.textContent ?? ''));
    expect(shown[0]).toBe('10000');
    expect(shown[1]).toBe(fromCli.trace.objective.at(-1).toExponential(4));
    await page.screenshot({ path: 'test-results/firefox-r3.png', fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
