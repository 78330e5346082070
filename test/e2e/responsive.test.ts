// The page stays responsive while the engine works: during a run at the benchmark's M size (J = 64,
// n = 512, mⱼ = 128, r = 16) no main-thread task takes 50 ms, and frames keep coming every 16.7 ms,
// because the engine runs in a worker and the charts redraw from batched updates.
//
// Wall-clock frame gaps alone cannot say whether the page or the machine is slow: on a shared 2-core
// machine another process can take the CPU from the renderer for a few frames while the page does
// nothing. So the test records a Chromium trace and separates the two: every main-thread task's *thread
// time* (CPU time it actually ran, which descheduling does not inflate) must stay under 50 ms, and every
// frame gap over 50 ms must be one during which the main thread ran for less than 50 ms, and 95 % of the
// gaps must stay under 50 ms (a page whose frames are late for a reason outside the main thread — the
// compositor, the GPU process — still fails). Checked by hand: a 70 ms busy loop on the page fails the
// test; the renderer stopped (SIGSTOP) for 150 ms once a second passes it (4 gaps of 133 ms in 272
// frames, the main thread idle in each), where the former plain "every gap under 50 ms" failed.
import { expect, it } from 'vitest';
import { labBrowser } from '../support/chromium';

const lab = labBrowser();

interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number }

it('the main thread stays free during an M-size run (no task ≥ 50 ms, frame gaps explained)', async () => {
  const page = await lab.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${lab.url}/?n=512&m=8192&r=16&tr=16&J=64&topo=ring&K=100000&rec=1&engine=cpu&iscale=0.1`);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // wait until rows stream in (the worker has built the instance and is iterating)
  await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 120_000 }).toMatch(/running… iteration [2-9]/);

  await lab.browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'blink.user_timing'] });
  // frame times in performance.now() milliseconds; a user-timing mark ties that clock to the trace's
  const frames = await page.evaluate(() => new Promise<number[]>((resolve) => {
    performance.mark('frames-start');
    const t0 = performance.now();
    const out: number[] = [t0];
    const frame = (t: number) => {
      out.push(t);
      if (t - t0 < 5000) requestAnimationFrame(frame);
      else resolve(out);
    };
    requestAnimationFrame(frame);
  }));
  const markAt = await page.evaluate(() => performance.getEntriesByName('frames-start')[0].startTime);
  const trace = JSON.parse((await lab.browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const rows = Number((await page.getByTestId('latest-row').locator('td').first().textContent()) ?? 0);
  await page.getByRole('button', { name: 'Pause' }).click();

  const events = trace.traceEvents;
  const mark = events.find((e) => e.name === 'frames-start' && e.ph !== 'M');
  expect(mark, 'the trace holds the page\'s user-timing mark').toBeDefined();
  const main = { pid: mark!.pid, tid: mark!.tid };
  const tasks = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X');
  expect(tasks.length).toBeGreaterThan(100);
  expect(tasks.every((t) => t.tdur !== undefined), 'tasks carry thread time').toBe(true);
  // trace µs → page ms
  const toPage = (ts: number) => markAt + (ts - mark!.ts) / 1000;

  const gaps = frames.slice(1).map((t, i) => ({ from: frames[i], to: t, gap: t - frames[i] }));
  const cpuDuring = (from: number, to: number) => tasks
    .filter((t) => toPage(t.ts) < to && toPage(t.ts + t.dur!) > from)
    .reduce((s, t) => s + t.tdur! / 1000, 0);
  const longGaps = gaps.filter((g) => g.gap >= 50).map((g) => ({ ...g, cpu: cpuDuring(g.from, g.to) }));
  const sorted = gaps.map((g) => g.gap).sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.floor(f * (sorted.length - 1))];
  const longestTask = Math.max(...tasks.map((t) => t.tdur! / 1000));
  const busy = tasks.reduce((s, t) => s + t.tdur! / 1000, 0);
  console.log(`frames: ${gaps.length} in 5 s, median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms; `
    + `main thread: ${tasks.length} tasks, busy ${(busy / 50).toFixed(1)} %, longest ${longestTask.toFixed(1)} ms CPU; `
    + `gaps ≥ 50 ms: ${longGaps.map((g) => `${g.gap.toFixed(1)} ms (main thread ran ${g.cpu.toFixed(1)} ms)`).join(', ') || 'none'}; iteration ${rows}`);
  // Measured on the project's 2-core machines (the worker takes one core, the charts draw on a canvas while
  // the run streams, memoised panels skip the 4 Hz re-render): frame gaps median and p99 16.7 ms, the
  // main thread busy 6–7 % of the time, its longest task 13–14 ms of CPU.
  expect(gaps.length).toBeGreaterThan(100);
  expect(longestTask).toBeLessThan(50);
  for (const g of longGaps) expect(g.cpu, `main-thread CPU time during a ${g.gap.toFixed(1)} ms frame gap`).toBeLessThan(50);
  expect(q(0.95)).toBeLessThan(50);
  expect(errors).toEqual([]);
  await page.close();
}, 240_000);
