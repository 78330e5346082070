// The sweep view as a researcher uses it, in headless Chromium: open the sweep preset from the gallery,
// run it and watch the progress bar, read the phase diagram (with the theory bound over it), click a
// cell and get that run in the run view. Screenshots: test-results/sweep.png, sweep-cell.png.
import { expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { parseExperiment } from '../../src/core/experiment';
import { planSweep } from '../../src/core/sweep';
import { OneByOne, runSweep } from '../../src/engine/sweep';
import { grid } from '../../src/ui/sweep/heatmap';
import { labBrowser, openLab } from '../support/chromium';
import { preset } from '../unit/helpers';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

it('the sweep preset runs with a progress bar, draws the heatmap with the bound, and a click opens the cell', async () => {
  const { page, errors } = await openLab(lab, '?view=gallery');
  await page.getByRole('link', { name: 'Step size vs. network connectivity for DGD+LOCAL' }).click();
  await page.getByRole('button', { name: 'Run sweep' }).waitFor({ timeout: 30_000 });
  expect(page.url()).toMatch(/view=sweep/);
  expect(await page.getByRole('tab', { name: 'Sweep' }).getAttribute('aria-selected')).toBe('true');
  expect(await page.getByLabel('sweep x values').inputValue()).toBe('0.00003..0.1:8:log');
  expect(await page.getByLabel('sweep y values').inputValue()).toBe('0.2,0.35,0.5,0.65,0.8,1');

  await page.getByRole('button', { name: 'Run sweep' }).click();
  // watch the progress bar: it moves through intermediate values while the text counts runs and time left
  const bar = page.getByRole('progressbar', { name: 'sweep progress' });
  const seen: number[] = [];
  let etaSeen = false;
  const text = page.getByTestId('sweep-progress-text');
  for (let i = 0; i < 1200; i++) {
    if (await bar.count()) {
      seen.push(Number(await bar.getAttribute('value')));
      const t = (await text.textContent()) ?? '';
      if (/about [0-9.]+ s left/.test(t)) etaSeen = true;
      if (/done in/.test(t)) break;
    }
    await page.waitForTimeout(50);
  }
  expect(await text.textContent()).toMatch(/^96 \/ 96 runs, 100 % — done in [0-9.]+ s$/);
  expect(seen.some((v) => v > 0 && v < 1)).toBe(true);
  expect(seen.every((v, i) => i === 0 || v >= seen[i - 1])).toBe(true);
  expect(etaSeen).toBe(true);

  // the heatmap: 6 rows (p) × 8 columns (μ), and the bound drawn over it
  const plot = page.locator('.sweep-heatmap .js-plotly-plot');
  await plot.locator('.nsewdrag').first().waitFor({ timeout: 60_000 });
  const shape = JSON.parse(await page.evaluate(`(() => { const d = document.querySelector('.sweep-heatmap .js-plotly-plot').data; return JSON.stringify({ rows: d[0].z.length, cols: d[0].z[0].length, type: d[0].type, line: d[1] && d[1].name, finite: d[0].z.flat().filter((v) => v !== null).length }); })()`) as string);
  expect(shape).toEqual({ rows: 6, cols: 8, type: 'heatmap', line: 'bound (1 − 2ω)/L̂', finite: expect.any(Number) });
  // the largest steps diverge on every seed: those cells are blank, the rest have values
  expect(shape.finite).toBeLessThan(48);
  expect(shape.finite).toBeGreaterThan(24);
  // on the CPU engine the runs are split over one worker per core; the merged cells are the ones a
  // single float64 sweep gives (computed here in Node)
  const cores = await page.evaluate('navigator.hardwareConcurrency') as number;
  if (cores > 1) expect(await page.locator('.sweepview .engine').first().textContent()).toContain(`Its runs are split over ${Math.min(8, cores)} workers (one per core).`);
  const plan = planSweep(parseExperiment(preset('sweep-dgd-local-step-omega')));
  const want = grid(plan, (await runSweep(plan, new OneByOne())).cells, 'relativeGap');
  const got = JSON.parse(await page.evaluate(`JSON.stringify(document.querySelector('.sweep-heatmap .js-plotly-plot').data[0].z)`) as string) as (number | null)[][];
  expect(got.map((row) => row.map((v) => v === null))).toEqual(want.map((row) => row.map((v) => v === null)));
  got.forEach((row, yi) => row.forEach((v, xi) => v !== null && expect(v).toBeCloseTo(want[yi][xi]!, 6)));
  await page.screenshot({ path: 'test-results/sweep.png', fullPage: true });

  // click cell (xi = 4, yi = 2): μ = 3e-5·(0.1/3e-5)^(4/7), p = 0.5
  const box = (await plot.locator('.nsewdrag').first().boundingBox())!;
  const x = box.x + ((4 + 0.5) / 8) * box.width, y = box.y + (1 - (2 + 0.5) / 6) * box.height;
  await page.mouse.move(x - 15, y + 8);
  await page.mouse.move(x, y, { steps: 5 });
  await page.waitForTimeout(300);
  await page.mouse.click(x, y);
  await expect.poll(() => page.getByRole('tab', { name: 'Run' }).getAttribute('aria-selected'), { timeout: 30_000 }).toBe('true');
  const mu = 3e-5 * (0.1 / 3e-5) ** (4 / 7);
  await expect.poll(() => page.url()).toMatch(/view=run/);
  const q = new URL(page.url()).searchParams;
  expect(Number(q.get('mu'))).toBeCloseTo(Number(mu.toPrecision(12)), 12);
  expect(q.get('p')).toBe('0.5');
  expect(q.get('sx')).toBeNull();
  await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toMatch(/^Sweep cell: step size μ = [0-9.e-]+, edge probability p = 0\.5$/);
  await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 60_000 }).toMatch(/Completed 1000 iterations|Tolerance|Diverged/);
  await page.screenshot({ path: 'test-results/sweep-cell.png', fullPage: true });
  // the Sweep tab says it shows that sweep's heatmap for one of its cells, with the way back (not "no sweep")
  await page.getByRole('tab', { name: 'Sweep' }).click();
  const note = page.getByTestId('sweep-cell-note');
  expect(await note.textContent()).toMatch(/one cell of the sweep “.+”; the heatmap below is that sweep’s/);
  expect(await page.locator('.sweepview').textContent()).not.toMatch(/This experiment has no sweep/);
  await note.getByRole('button', { name: 'Back to the whole sweep' }).click();
  await expect.poll(() => page.url()).toMatch(/preset=sweep-dgd-local-step-omega/);
  expect(await page.getByRole('heading', { level: 2 }).first().textContent()).not.toMatch(/^Sweep cell/);
  await page.getByLabel('sweep x parameter').waitFor();
  expect(errors).toEqual([]);
  await page.close();
});

it('a sweep on the WebGPU engine (in the worker, batched) completes; a running sweep can be cancelled', async () => {
  const { page, errors } = await openLab(lab, '?preset=sweep-dgd-local-step-omega&view=sweep&engine=webgpu&K=100&sx=algorithm.stepsize:1e-4,1e-3,0.1&sy=network.p:0.5,1&sn=1');
  await page.getByRole('button', { name: 'Run sweep' }).click();
  const text = page.getByTestId('sweep-progress-text');
  await expect.poll(() => text.textContent(), { timeout: 120_000 }).toMatch(/^6 \/ 6 runs, 100 % — done in/);
  expect(await page.locator('.sweepview .engine').textContent()).toMatch(/^WebGPU engine \(float32\).*Trials of the same sizes run as one batch\./);
  await page.locator('.sweep-heatmap .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
  const z = JSON.parse(await page.evaluate(`(() => JSON.stringify(document.querySelector('.sweep-heatmap .js-plotly-plot').data[0].z))()`) as string) as (number | null)[][];
  expect(z.map((row) => row.map((v) => v === null))).toEqual([[false, false, true], [false, false, true]]); // μ = 0.1 diverges

  // back to the preset's 96 runs on the CPU engine, cancelled after the first few
  await page.goto(`${lab.url}/?preset=sweep-dgd-local-step-omega&view=sweep&engine=cpu`);
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect.poll(async () => Number((await text.textContent())?.match(/^(\d+) \//)?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => text.textContent(), { timeout: 30_000 }).toMatch(/^\d+ \/ 96 runs, \d+ % — cancelled in/);
  const done = Number((await text.textContent())!.match(/^(\d+)/)![1]);
  expect(done).toBeLessThan(96);
  expect(await page.getByRole('button', { name: 'Run sweep' }).isEnabled()).toBe(true);
  expect(errors).toEqual([]);
  await page.close();
});

it('an HMF experiment sweeps its own parameters (η, β) and colours the phase diagram by the subspace error', async () => {
  const { page, errors } = await openLab(lab, '?preset=r15&hN=6&hn1=16&hn2=12&K=60&rec=20&view=sweep&engine=cpu');
  await page.getByRole('button', { name: 'Sweep the step size' }).click();
  const xParam = page.getByLabel('sweep x parameter');
  expect(await xParam.inputValue()).toBe('algorithm.stepsize');
  expect(await page.getByLabel('sweep x values').inputValue()).toBe('0.05,0.1,0.2,0.4');
  // only what an HMF experiment has: no network, no single rank
  const offered = await xParam.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(offered).toContain('algorithm.beta');
  expect(offered).toContain('problem.generate.missing');
  expect(offered).not.toContain('network.p');
  expect(offered).toContain('algorithm.stepsize.c'); // η = c/maxᵢ‖Mᵢ‖₂²
  await page.getByRole('button', { name: 'Add a y axis' }).click();
  expect(await page.getByLabel('sweep y parameter').inputValue()).toBe('algorithm.beta');
  // success is measured on HMF's objective relative to the data (no ‖Y‖² gap to speak of)
  expect(await page.locator('.sweep-settings').textContent()).toMatch(/success: objective Σᵢf̃ᵢ ≤ ·‖M‖²/);
  await page.getByRole('button', { name: 'Run sweep' }).click();
  const text = page.getByTestId('sweep-progress-text');
  await expect.poll(() => text.textContent(), { timeout: 120_000 }).toMatch(/^24 \/ 24 runs, 100 % — done in/);
  const outcome = page.getByLabel('outcome');
  expect(await outcome.inputValue()).toBe('subspaceError');
  const outcomes = await outcome.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(outcomes).toEqual(expect.arrayContaining(['sharedError', 'uniqueError', 'subspaceError']));
  expect(outcomes).not.toContain('consensusError');
  await page.locator('.sweep-heatmap .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
  const shape = JSON.parse(await page.evaluate(`(() => { const d = document.querySelector('.sweep-heatmap .js-plotly-plot').data; return JSON.stringify({ rows: d[0].z.length, cols: d[0].z[0].length, finite: d[0].z.flat().filter((v) => v !== null).length, traces: d.length }); })()`) as string);
  // 3 values of β × 4 of η, every cell with a value; no step-size bound for HMF
  expect(shape).toEqual({ rows: 3, cols: 4, finite: 12, traces: 1 });
  await page.screenshot({ path: 'test-results/sweep-hmf.png', fullPage: true });
  // the cells as a table: one row each, and a button that opens the run (keyboard-reachable)
  await page.getByText('The 12 cells as a table').click();
  const rows = page.locator('.sweep-table tbody tr');
  expect(await rows.count()).toBe(12);
  expect(await rows.nth(5).locator('td').allTextContents()).toEqual(expect.arrayContaining(['0.1', '0.05']));
  await rows.nth(5).getByRole('button', { name: 'Open run' }).click();
  await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/view=run/);
  const q = new URL(page.url()).searchParams;
  expect([q.get('mu'), q.get('beta')]).toEqual(['0.1', '0.05']);
  expect(errors).toEqual([]);
  await page.close();
});

it('a finished sweep is kept in the browser: after a reload it is shown again without running; another document is not', async () => {
  const query = '?preset=sweep-dgd-local-step-omega&view=sweep&engine=cpu&K=100&sx=algorithm.stepsize:1e-4,1e-3,0.1&sy=network.p:0.5,1&sn=1';
  const { page, errors } = await openLab(lab, query);
  await page.getByRole('button', { name: 'Run sweep' }).click();
  const text = page.getByTestId('sweep-progress-text');
  await expect.poll(() => text.textContent(), { timeout: 120_000 }).toMatch(/^6 \/ 6 runs, 100 % — done in/);
  const z = `JSON.stringify(document.querySelector('.sweep-heatmap .js-plotly-plot').data[0].z)`;
  await page.locator('.sweep-heatmap .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
  const before = await page.evaluate(z);
  expect(await page.getByTestId('sweep-kept').count()).toBe(0);

  await page.reload();
  await expect.poll(() => page.getByTestId('sweep-kept').count(), { timeout: 30_000 }).toBe(1);
  expect(await page.getByTestId('sweep-kept').textContent()).toMatch(/^Kept in this browser from .+: 6 runs on the CPU engine in [0-9.]+ s\. Run sweep to compute it again\.$/);
  await page.locator('.sweep-heatmap .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
  expect(await page.evaluate(z)).toBe(before);
  expect(await text.count()).toBe(0); // nothing ran

  // another document (two seeds per cell): nothing kept for it
  await page.goto(`${lab.url}/${query.replace('sn=1', 'sn=2')}`);
  await page.getByRole('button', { name: 'Run sweep' }).waitFor();
  await page.waitForTimeout(1000);
  expect(await page.getByTestId('sweep-kept').count()).toBe(0);
  expect(await page.locator('.sweep-heatmap').count()).toBe(0);

  // the browser keeps the last KEPT_SWEEPS only: the oldest goes first
  const kept = JSON.parse(await page.evaluate(`(async () => {
    const m = await import('/src/state/sweep-store.ts');
    const fake = (i) => ({ plan: null, backend: 'cpu', trials: [], cells: [], cancelled: false, elapsedMs: i, batches: 0, recoveries: 0 });
    for (let i = 0; i < m.KEPT_SWEEPS + 2; i++) { await m.keepSweep({ doc: i }, fake(i)); await new Promise((r) => setTimeout(r, 5)); }
    const out = [];
    for (let i = 0; i < m.KEPT_SWEEPS + 2; i++) out.push((await m.keptSweep({ doc: i }))?.result.elapsedMs ?? null);
    return JSON.stringify({ n: m.KEPT_SWEEPS, out });
  })()`) as string) as { n: number; out: (number | null)[] };
  // (the real sweep above is older than all of them, so it went too)
  expect(kept.out).toEqual([null, null, ...Array.from({ length: kept.n }, (_, i) => i + 2)]);
  expect(errors).toEqual([]);
  await page.close();
});

it('a one-parameter sweep is a curve (median, min–max over the seeds) with the bound as a vertical line; a click on a point opens its cell', async () => {
  const { page, errors } = await openLab(lab, '?preset=sweep-dgd-local-step-omega&engine=cpu&K=300&sx=algorithm.stepsize:1e-4,1e-3,3e-3,0.1&sy=none&sn=3');
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect.poll(() => page.getByTestId('sweep-progress-text').textContent(), { timeout: 120_000 }).toMatch(/^12 \/ 12 runs, 100 % — done in/);
  const plot = page.locator('.sweep-heatmap .js-plotly-plot');
  await plot.locator('.nsewdrag').first().waitFor({ timeout: 60_000 });
  const d = JSON.parse(await page.evaluate(`(() => { const d = document.querySelector('.sweep-heatmap .js-plotly-plot').data; return JSON.stringify(d.map((t) => ({ type: t.type, name: t.name, y: t.y, err: t.error_y && t.error_y.array, x: t.x }))); })()`) as string) as { type: string; name: string; y: (number | null)[]; err?: number[]; x: number[] }[];
  expect(d.map((t) => [t.type, t.name])).toEqual([['scatter', 'median over the seeds'], ['scatter', 'bound (1 − 2ω)/L̂']]);
  // the values are the cells' medians (computed here in Node); μ = 0.1 diverges on every seed: no point
  const plan = planSweep(parseExperiment({ ...preset('sweep-dgd-local-step-omega'), algorithm: { ...preset('sweep-dgd-local-step-omega').algorithm, iterations: 300 }, sweep: { x: { param: 'algorithm.stepsize', values: [1e-4, 1e-3, 3e-3, 0.1] }, seeds: 3, tolerance: 1e-6 } }));
  const cells = (await runSweep(plan, new OneByOne())).cells;
  expect(d[0].y.map((v) => v === null)).toEqual([false, false, false, true]);
  d[0].y.slice(0, 3).forEach((v, i) => expect(v! / cells[i].relativeGap!.median).toBeCloseTo(1, 9));
  expect(d[0].err!.slice(0, 3).every((e, i) => Math.abs(e - (cells[i].relativeGap!.max - cells[i].relativeGap!.median)) <= 1e-9 * cells[i].relativeGap!.max)).toBe(true);
  expect(d[1].x[0]).toBe(d[1].x[1]); // vertical
  await page.screenshot({ path: 'test-results/sweep-1d.png', fullPage: true });
  // a setting changed after the result: the diagram says it is for the earlier settings, until run again
  expect(await page.getByTestId('sweep-stale').count()).toBe(0);
  await page.getByLabel('seeds per cell').fill('2');
  await expect.poll(() => page.getByTestId('sweep-stale').count()).toBe(1);
  await page.getByLabel('seeds per cell').fill('3');
  await expect.poll(() => page.getByTestId('sweep-stale').count()).toBe(0);
  // click the second point: its run opens (the plot in view first: the mouse clicks inside the viewport)
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.locator('.nsewdrag').first().boundingBox())!;
  const pts = plot.locator('.scatterlayer .trace').first().locator('path.point');
  const p1 = (await pts.nth(1).boundingBox())!;
  expect(p1.x).toBeGreaterThan(box.x);
  await page.mouse.move(p1.x + p1.width / 2 + 5, p1.y + p1.height / 2);
  await page.mouse.move(p1.x + p1.width / 2, p1.y + p1.height / 2, { steps: 3 });
  await page.waitForTimeout(300);
  await page.mouse.click(p1.x + p1.width / 2, p1.y + p1.height / 2);
  await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/view=run/);
  expect(Number(new URL(page.url()).searchParams.get('mu'))).toBe(1e-3);
  expect(errors).toEqual([]);
  await page.close();
});

it('an HMF sweep chosen for WebGPU runs its trials one after another on HMF’s WebGPU engine in the worker', async () => {
  const { page, errors } = await openLab(lab, '?preset=sweep-hmf-missing-beta&engine=webgpu&K=20&sx=problem.generate.missing:0,0.3&sy=none&sn=1');
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await expect.poll(() => page.getByTestId('sweep-progress-text').textContent(), { timeout: 120_000 }).toMatch(/^2 \/ 2 runs, 100 % — done in/);
  expect(await page.locator('.sweepview .engine').first().textContent()).toMatch(/^HMF WebGPU engine \(float32\).*Its trials run one after another \(this engine has no trial dimension\)\.$/);
  await page.locator('.sweep-heatmap .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
  const y = JSON.parse(await page.evaluate(`JSON.stringify(document.querySelector('.sweep-heatmap .js-plotly-plot').data[0].y)`) as string) as number[];
  // 20 rounds: more missing entries, a larger subspace error
  expect(y).toHaveLength(2);
  expect(y[1]).toBeGreaterThan(y[0]);
  expect(errors).toEqual([]);
  await page.close();
});

it('the run axis starts with the document\'s runs: main and its comparison runs', async () => {
  const { page, errors } = await openLab(lab, '?preset=table2-baselines&view=sweep&engine=cpu');
  await page.getByRole('button', { name: 'Sweep the step size' }).click();
  await page.getByRole('button', { name: 'Add a y axis' }).click();
  await page.getByLabel('sweep y parameter').selectOption('run');
  await expect.poll(() => page.getByLabel('sweep y values').inputValue()).toBe('main,JIVE,perPCA');
  expect(await page.locator('.sweep-settings').textContent()).not.toMatch(/names no run/);
  expect(errors).toEqual([]);
  await page.close();
});
