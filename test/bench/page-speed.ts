/**
 * `npm run bench:page`: the built app's bundle sizes, and in headless Chromium its first contentful
 * paint and the time until the first chart is drawn (plotly arrives lazily, after first paint).
 * Run `npm run build` first.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { preview } from 'vite';
import { launchChromium } from '../support/chromium';

const dist = join(import.meta.dirname, '../../dist');
const assets = readdirSync(join(dist, 'assets')).map((f) => {
  const p = join(dist, 'assets', f);
  return { f, bytes: statSync(p).size, gz: gzipSync(readFileSync(p)).length };
}).sort((a, b) => b.bytes - a.bytes);
const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
const html = readFileSync(join(dist, 'index.html'), 'utf8');
console.log('| asset | size | gzip | loaded |');
console.log('|---|---|---|---|');
for (const a of assets.filter((x) => x.bytes > 20_000 && /\.(js|css)$/.test(x.f))) {
  console.log(`| ${a.f.replace(/-[A-Za-z0-9_-]{8}\./, '.')} | ${kb(a.bytes)} | ${kb(a.gz)} | ${html.includes(a.f) ? 'at start' : 'on demand'} |`);
}

const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'error' });
const addr = server.httpServer.address();
const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 4173}/`;
const browser = await launchChromium();
const runs: { fcp: number; plot: number }[] = [];
for (let i = 0; i < 5; i++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(url);
  await page.locator('.chart .js-plotly-plot .main-svg').first().waitFor({ timeout: 60_000 });
  runs.push(await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return { fcp, plot: performance.now() };
  }));
  await page.close();
}
await browser.close();
server.httpServer.close();
const med = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
console.log(`\nfirst contentful paint: median ${med(runs.map((r) => r.fcp)).toFixed(0)} ms; first chart drawn: median ${med(runs.map((r) => r.plot)).toFixed(0)} ms (5 loads, localhost, headless Chromium)`);
