// The page stays responsive while the engine works: frame gaps on the main thread during a run at the
// benchmark's M size (J = 64, n = 512, mⱼ = 128, r = 16) stay under 50 ms, because the engine runs in a
// worker and the charts redraw from batched updates.
import { expect, it } from 'vitest';
import { labBrowser } from '../support/chromium';

const lab = labBrowser();

it('frame gaps stay under 50 ms during an M-size run', async () => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${lab.url}/?n=512&m=8192&r=16&tr=16&J=64&topo=ring&K=100000&rec=1&engine=cpu&iscale=0.1`);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // wait until rows stream in (the worker has built the instance and is iterating)
  await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 120_000 }).toMatch(/running… iteration [2-9]/);
  const gaps = await page.evaluate(() => new Promise<number[]>((resolve) => {
    const out: number[] = [];
    let last = performance.now();
    const t0 = last;
    const frame = (t: number) => {
      out.push(t - last);
      last = t;
      if (t - t0 < 5000) requestAnimationFrame(frame);
      else resolve(out);
    };
    requestAnimationFrame(frame);
  }));
  const rows = Number((await page.getByTestId('latest-row').locator('td').first().textContent()) ?? 0);
  await page.getByRole('button', { name: 'Pause' }).click();
  gaps.sort((a, b) => a - b);
  const q = (f: number) => gaps[Math.floor(f * (gaps.length - 1))];
  const max = gaps.at(-1)!;
  console.log(`frames: ${gaps.length} in 5 s, median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${max.toFixed(1)} ms; iteration ${rows}`);
  // Measured on the project's 2-core machines (the worker takes one core, the charts draw on a canvas while
  // the run streams, memoised panels skip the 4 Hz re-render): p99 16.8 ms, max 33.3 ms (frames are
  // quantised to 16.7 ms). Every gap must stay under 50 ms.
  expect(gaps.length).toBeGreaterThan(100);
  expect(max).toBeLessThan(50);
  expect(errors).toEqual([]);
  await page.close();
}, 240_000);
