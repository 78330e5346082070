// Screenshot of test/browser/network.html in headless Chromium:
//   npx tsx test/browser/network-shot.ts OUT.png [PANEL]   (PANEL = 0-based index: that panel only, at 2×)
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { launchChromium, startVite } from '../support/chromium';

const out = process.argv[2] ?? 'test-results/network.png';
mkdirSync(dirname(out), { recursive: true });
const panel = process.argv[3] === undefined ? null : Number(process.argv[3]);
const { server, url } = await startVite();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 800 }, deviceScaleFactor: panel === null ? 1 : 2 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('404')) errors.push(m.text()); });
  await page.goto(`${url}/test/browser/network.html`);
  await page.waitForFunction(() => document.title === 'ready', null, { timeout: 30_000 });
  if (panel === null) await page.screenshot({ path: out, fullPage: true });
  else await page.locator('section').nth(panel).screenshot({ path: out });
  const labels = await page.$$eval('svg[role=img]', (els) => els.map((e) => e.getAttribute('aria-label')));
  console.log(labels.join('\n'));
  if (errors.length) console.error(errors.join('\n'));
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
