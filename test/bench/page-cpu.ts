/**
 * `npm run bench:page-cpu`: the page's float64 CPU engine, as a browser without a usable WebGPU runs it, timed in
 * headless Chromium on the built app as a host serves it (`vite build`, then `vite preview`, which sends the
 * cross-origin isolation headers as public/_headers asks a static host to) with the WebAssembly kernels and with
 * the plain TypeScript path (the link's `kernels=js`), in one run: the default experiment (R3, 10 000 iterations,
 * from Run to "Completed", the engine worker starting with the first run as it does for a visitor) and the sweep
 * preset (96 runs, from "Run sweep" to "done"). Median of 3 each. (The dev server loads every module of the worker
 * on its first run, which adds most of a second to both paths.)
 */
import type { Page } from 'playwright-core';
import { build, preview } from 'vite';
import { launchChromium } from '../support/chromium';

await build({ logLevel: 'error' });
const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
const addr = server.httpServer.address();
const vite = { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 4173}` };
const browser = await launchChromium();

async function timeRun(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('status').first().filter({ hasText: /Completed 10000 iterations/ }).waitFor({ timeout: 300_000 });
  return (Date.now() - t0) / 1000;
}

async function timeSweep(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Run sweep' }).waitFor({ timeout: 30_000 });
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await page.getByTestId('sweep-progress-text').filter({ hasText: /done in/ }).waitFor({ timeout: 600_000 });
  return (Date.now() - t0) / 1000;
}

const cases = [
  { name: 'default run (R3, 10 000 iterations)', query: '?preset=r3&view=run&engine=cpu', time: timeRun },
  { name: 'sweep preset (96 runs)', query: '?preset=sweep-dgd-local-step-omega&view=sweep&engine=cpu', time: timeSweep },
];
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log('| page, no WebGPU (engine=cpu) | plain TypeScript s | WebAssembly kernels s | speed-up |');
console.log('|---|---|---|---|');
for (const c of cases) {
  const s: Record<string, number[]> = { js: [], wasm: [] };
  for (let rep = 0; rep < 3; rep++) {
    for (const k of ['js', 'wasm'] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`${vite.url}/${c.query}&kernels=${k}`);
      await page.getByRole('tablist').waitFor();
      // time the run, not the page's own start (plotly arrives lazily after first paint): start from a quiet page
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1000);
      s[k].push(await c.time(page));
      await page.close();
    }
  }
  console.log(`| ${c.name} | ${med(s.js).toFixed(2)} | ${med(s.wasm).toFixed(2)} | ${(med(s.js) / med(s.wasm)).toFixed(1)}× |`);
}
await browser.close();
await server.close();
