// The lab as a person uses it, in headless Chromium (WebGPU through SwiftShader), on the Vite dev server.
// Screenshots go to test-results/ (run view, landscape, phone layout) for a person to look at.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { labBrowser, openLab, runStatus } from '../support/chromium';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

const open = (query = '', viewport = { width: 1280, height: 800 }) => openLab(lab, query, viewport);

const status = runStatus;
const latest = async (page: Page) => {
  await page.getByTestId('latest-row').waitFor({ timeout: 60_000 });
  return (await page.getByTestId('latest-row').locator('td').allTextContents()).map(Number);
};

describe('run view', () => {
  it('a preset runs: the metrics fall, the charts draw, the run says why it stopped, no console errors', async () => {
    const { page, errors } = await open('?preset=r3&K=3000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Completed 3000 iterations/);
    const [it, objective, consensus] = await latest(page);
    expect(it).toBe(3000);
    expect(objective).toBeLessThan(1e-10);
    expect(consensus).toBeLessThan(1e-10);
    await expect.poll(() => page.locator('.chart .js-plotly-plot').count(), { timeout: 30_000 }).toBe(5);
    expect(await page.locator('.chart .js-plotly-plot .scatterlayer .trace').count()).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: 'test-results/run-view.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pause, single step (→), continue (space) and reset (r) do what they say', async () => {
    const { page, errors } = await open('?preset=r3&K=200000&rec=10&speed=2000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/running… iteration [1-9]/);
    await page.keyboard.press('Space');
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/paused at iteration \d+/);
    const at = (await latest(page))[0];
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await latest(page))[0], { timeout: 30_000 }).toBe(at + 1);
    await page.keyboard.press('Space');
    await expect.poll(async () => (await latest(page))[0], { timeout: 30_000 }).toBeGreaterThan(at + 1);
    await page.keyboard.press('r');
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('paused at iteration 0');
    expect((await latest(page))[0]).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a parameter change goes into the URL, and that URL rebuilds the same parameters and the same first metrics', async () => {
    const { page } = await open('?view=run');
    await page.getByLabel('n (rows of Y)').fill('24');
    await page.getByLabel('n (rows of Y)').press('Enter');
    await page.getByLabel('nodes J').fill('6');
    await page.getByLabel('nodes J').press('Enter');
    await page.getByLabel('topology').selectOption('ring');
    await expect.poll(() => page.url()).toMatch(/n=24.*J=6.*topo=ring/);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('paused at iteration 0');
    const first = await latest(page);
    const link = page.url();
    await page.close();
    const again = await open(link.slice(link.indexOf('?')));
    expect(await again.page.getByLabel('n (rows of Y)').inputValue()).toBe('24');
    expect(await again.page.getByLabel('nodes J').inputValue()).toBe('6');
    expect(await again.page.getByLabel('topology').inputValue()).toBe('ring');
    await again.page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => status(again.page), { timeout: 30_000 }).toBe('paused at iteration 0');
    expect(await latest(again.page)).toEqual(first);
    await again.page.close();
  });

  it('a preset changed by a link or the form says what changed under its description, and goes back to the preset', async () => {
    const { page, errors } = await open('?preset=r3&J=12');
    const note = page.getByTestId('preset-changes');
    await expect.poll(() => note.textContent()).toMatch(/^Changed from the preset \(the text above describes the preset\): network\.J 10 → 12\./);
    await page.getByLabel('edge probability p').fill('0.5');
    await page.getByLabel('edge probability p').press('Enter');
    await expect.poll(() => note.textContent()).toMatch(/network\.J 10 → 12; network\.p 0\.4 → 0\.5\./);
    await page.getByRole('button', { name: 'Back to the preset' }).click();
    await expect.poll(() => note.count()).toBe(0);
    expect(await page.getByLabel('nodes J').inputValue()).toBe('10');
    expect(await page.getByLabel('edge probability p').inputValue()).toBe('0.4');
    await expect.poll(() => page.url()).toMatch(/[?&]J=10(&|$)/);
    // the unchanged preset has no note
    const plain = await open('?preset=r3');
    await plain.page.getByRole('heading', { level: 2 }).first().waitFor();
    expect(await plain.page.getByTestId('preset-changes').count()).toBe(0);
    expect([...errors, ...plain.errors]).toEqual([]);
    await page.close();
    await plain.page.close();
  });

  it('centralized GD shows no consensus charts and no network (one node, nothing to agree on); DGD+LOCAL does', async () => {
    const titles = (page: Awaited<ReturnType<typeof open>>['page']) => page.locator('.charts .chart').evaluateAll((cs) => cs.map((c) => c.getAttribute('title')));
    const gd = await open('?preset=saddle&K=200');
    const before = await titles(gd.page);
    expect(before.some((t) => /copies of U disagree/.test(t ?? ''))).toBe(false);
    await gd.page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(gd.page), { timeout: 60_000 }).toMatch(/Completed 200 iterations/);
    expect((await titles(gd.page)).filter((t) => /copies of U disagree|consensus penalty/.test(t ?? ''))).toEqual([]);
    expect(await titles(gd.page)).toContain('zero at a critical point of f'); // ‖∇f‖, not ‖∇g‖
    expect(await gd.page.getByRole('region', { name: 'network' }).count()).toBe(0);
    expect(await gd.page.locator('table.latest th').allTextContents()).toEqual(['iteration', 'objective', 'optimality gap', '‖∇f‖']);
    const local = await open('?preset=r3&K=200');
    await local.page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(local.page), { timeout: 60_000 }).toMatch(/Completed 200 iterations/);
    expect((await titles(local.page)).filter((t) => /copies of U disagree|consensus penalty/.test(t ?? ''))).toHaveLength(2);
    expect(await local.page.getByRole('region', { name: 'network' }).count()).toBe(1);
    expect(await local.page.locator('table.latest th').allTextContents()).toEqual(['iteration', 'objective', 'consensus error', 'optimality gap', '‖∇g‖']);
    expect([...gd.errors, ...local.errors]).toEqual([]);
    await gd.page.close();
    await local.page.close();
  });

  it('a malformed URL shows a notice listing what was ignored, and a working default run', async () => {
    const { page, errors } = await open('?v=9&n=abc&J=-3&topo=moebius&frobnicate=1&preset=nope');
    const notice = page.getByRole('alert');
    await expect.poll(() => notice.textContent()).toMatch(/could not be used/);
    const text = await notice.textContent();
    for (const part of ['v=9', 'n=abc: is not an integer', 'J=-3', 'topo=moebius', 'frobnicate: not a parameter', 'preset=nope: there is no such preset']) expect(text).toContain(part);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Completed \d+ iterations/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a CSV upload becomes Y; a bad CSV says which cell is wrong; an image becomes a grayscale matrix with its reconstruction', async () => {
    const { page, errors } = await open('?view=run');
    const rows = Array.from({ length: 12 }, (_, i) => Array.from({ length: 20 }, (_, j) => ((i + 1) * (j + 2) + (i % 3) * j).toString()).join(','));
    await page.locator('#ctl-upload').setInputFiles({ name: 'table.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await expect.poll(() => page.locator('.about h2').textContent()).toBe('Uploaded: table.csv');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Completed \d+ iterations/);
    await page.locator('#ctl-upload').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('1,2,3\n4,x,6\n') });
    await expect.poll(() => page.locator('[data-control="upload"] .error').textContent()).toMatch(/row 2, column 2: "x" is not a number/);
    // a 40×30 gradient-with-a-square image, drawn by the browser itself
    const png = await page.evaluate(async () => {
      const c = new OffscreenCanvas(40, 30);
      const g = c.getContext('2d')!;
      for (let x = 0; x < 40; x++) { g.fillStyle = `rgb(${x * 6},${x * 6},${x * 6})`; g.fillRect(x, 0, 1, 30); }
      g.fillStyle = '#fff';
      g.fillRect(10, 8, 12, 12);
      const blob = await c.convertToBlob({ type: 'image/png' });
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    });
    await page.locator('#ctl-upload').setInputFiles({ name: 'picture.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    await expect.poll(() => page.locator('.about h2').textContent()).toBe('Uploaded: picture.png');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Completed \d+ iterations/);
    await expect.poll(() => page.locator('.imageview canvas').count(), { timeout: 30_000 }).toBe(2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('uploaded data survives a reload (kept in this browser, named by the address bar); another browser gets a notice, not an error', async () => {
    const { page, errors } = await open('?view=run');
    const rows = Array.from({ length: 12 }, (_, i) => Array.from({ length: 20 }, (_, j) => String((i + 1) * (j + 2) - 3 * (i % 4) * (j % 5)))).join('\n');
    await page.locator('#ctl-upload').setInputFiles({ name: 'kept.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
    await expect.poll(() => page.locator('.about h2').textContent()).toBe('Uploaded: kept.csv');
    await page.locator('#ctl-r').fill('2');
    await page.locator('#ctl-r').press('Enter');
    await expect.poll(() => page.url()).toMatch(/\?upload=[0-9a-f]{16}&view=run$/);
    const link = page.url();
    const exported = async (p: typeof page) => {
      await p.getByText('Import / export').click();
      const [dl] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Experiment JSON', exact: true }).click()]);
      return JSON.parse(readFileSync(await dl.path(), 'utf8'));
    };
    const before = await exported(page);
    await page.reload();
    await page.getByRole('tablist').waitFor();
    await expect.poll(() => page.locator('.about h2').textContent()).toBe('Uploaded: kept.csv');
    expect(page.url()).toBe(link);
    // the same document: its data and the rank edited after the upload
    expect(await exported(page)).toEqual(before);
    expect(before.problem.rank).toBe(2);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Completed \d+ iterations/);
    expect(errors).toEqual([]);
    await page.close();
    // another browser (a fresh context: its own storage) has no such data
    const other = await lab.browser.newContext();
    const elsewhere = await other.newPage();
    await elsewhere.goto(link);
    await elsewhere.getByRole('tablist').waitFor();
    await expect.poll(() => elsewhere.locator('.notice li').textContent()).toMatch(/^upload=[0-9a-f]{16}: this link names data uploaded in a browser, and this browser does not hold it/);
    expect(await elsewhere.getByRole('tab', { name: 'Run', exact: true }).getAttribute('aria-selected')).toBe('true');
    await other.close();
  });

  it('export the experiment JSON and import it again: same document, same run; trace CSV, plot PNG and SVG and result JSON download', async () => {
    const { page, errors } = await open('?preset=r3&K=500');
    await page.getByText('Import / export').click();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Experiment JSON', exact: true }).click()]);
    const exported = JSON.parse(readFileSync(await dl.path(), 'utf8'));
    expect(exported.format).toBe('lowrank-lab/experiment');
    expect(exported.algorithm.iterations).toBe(500);
    const fresh = await open('?view=run');
    await fresh.page.getByText('Import / export').click();
    await fresh.page.getByLabel('Import experiment or result JSON').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
    await expect.poll(() => fresh.page.locator('.about h2').textContent()).toMatch(/^R3/);
    // a link carries its settings: the address bar follows the import (a reload keeps it), and says what stays behind
    await expect.poll(() => fresh.page.url()).toMatch(/[?&]K=500(&|$)/);
    await expect.poll(() => fresh.page.getByText(/^Loaded mine\.json\. The address bar links to its settings; its title, description and claims stay in the file\./).count()).toBe(1);
    await fresh.page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(fresh.page), { timeout: 60_000 }).toMatch(/Completed 500 iterations/);
    const [csv] = await Promise.all([fresh.page.waitForEvent('download'), fresh.page.getByRole('button', { name: 'Trace CSV', exact: true }).click()]);
    const lines = readFileSync(await csv.path(), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('iteration,objective,consensusError,distributedObjective,optimalityGap,gradientNorm,imbalance');
    expect(lines.at(-1)!.split(',')[0]).toBe('500');
    const [png] = await Promise.all([fresh.page.waitForEvent('download'), fresh.page.getByRole('button', { name: 'Plot PNG', exact: true }).click()]);
    expect(readFileSync(await png.path()).subarray(1, 4).toString()).toBe('PNG');
    const [svg] = await Promise.all([fresh.page.waitForEvent('download'), fresh.page.getByRole('button', { name: 'Plot SVG', exact: true }).click()]);
    const svgText = readFileSync(await svg.path(), 'utf8');
    expect(svgText).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svgText).toContain('objective'); // the chart's title is in the drawing
    const [dl2] = await Promise.all([fresh.page.waitForEvent('download'), fresh.page.getByRole('button', { name: 'Result JSON', exact: true }).click()]);
    const result = JSON.parse(readFileSync(await dl2.path(), 'utf8'));
    expect(result.format).toBe('lowrank-lab/result');
    expect(result.trace.iteration.at(-1)).toBe(500);
    expect(result.final.U.shape).toEqual([10, 30, 3]);
    expect(errors).toEqual([]);
    expect(fresh.errors).toEqual([]);
    await page.close();
    await fresh.page.close();
  });

  it('a step far above the bound diverges: the run stops and says at which iteration and what the theory allows', async () => {
    const { page, errors } = await open('?preset=r3&mu=0.03&K=3000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 45_000 }).toMatch(/^Diverged at iteration \d+: the metrics are no longer finite\. μ = 0\.0300 is too large: the practical bound \(1 − 2ω\)\/L̂ is [0-9.e-]+/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a teacher\'s link hides the controls it lists (hide=)', async () => {
    const { page, errors } = await open('?preset=r3&K=300&hide=n,m,seed,upload,explain,tab-landscape');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Completed 300 iterations/);
    expect(await page.getByLabel('n (rows of Y)').count()).toBe(0);
    expect(await page.locator('#ctl-upload').count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Landscape' }).count()).toBe(0);
    expect(await page.locator('.explain').count()).toBe(0);
    expect(await page.getByLabel('nodes J').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the phone layout (390×844) shows the run first and the settings below it, one link away', async () => {
    const { page, errors } = await open('?preset=r3&K=1000', { width: 390, height: 844 });
    // the preset's title and the Run button are on the first screen; the settings follow the run view
    const top = async (sel: ReturnType<typeof page.locator>) => (await sel.boundingBox())!.y;
    const runButton = page.getByRole('button', { name: 'Run', exact: true });
    expect(await top(runButton)).toBeLessThan(844);
    expect(await top(page.getByRole('heading', { level: 2 }).first())).toBeLessThan(844);
    expect(await top(page.locator('#settings'))).toBeGreaterThan(await top(page.locator('.charts')));
    await page.getByRole('link', { name: /^Settings/ }).click();
    await expect.poll(() => page.evaluate('document.getElementById("settings").getBoundingClientRect().top')).toBeLessThan(50);
    await page.evaluate('window.scrollTo(0, 0)');
    await runButton.click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/Completed 1000 iterations/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // no plotly toolbar over the charts' titles; the latest values fit, or scroll sideways in their own box
    expect(await page.locator('.js-plotly-plot .modebar-container .modebar').count()).toBe(0);
    const table = await page.evaluate(() => {
      const t = document.querySelector('table.latest')!, box = t.parentElement!;
      return { right: t.getBoundingClientRect().right, width: window.innerWidth, scrolls: box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === 'auto' };
    });
    expect(table.right <= table.width || table.scrolls).toBe(true);
    await page.screenshot({ path: 'test-results/phone.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the landscape on a phone', () => {
  it('390×844: the plot takes the screen’s width (the colour bar goes under it)', async () => {
    const { page, errors } = await open('?view=landscape', { width: 390, height: 844 });
    await page.locator('.ls-main-chart .js-plotly-plot .nsewdrag').first().waitFor({ timeout: 60_000 });
    const side = await page.evaluate(() => (document.querySelector('.ls-main-chart .js-plotly-plot') as unknown as { _fullLayout: { xaxis: { _length: number } } })._fullLayout.xaxis._length);
    expect(side).toBeGreaterThan(260);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('Copy link', () => {
  it('"Link copied." goes after a few seconds; a link to copy by hand stays', async () => {
    const { page, errors } = await openLab(lab, '?preset=r3');
    const status = page.locator('p.copied');
    // the clipboard as a browser that grants it: writeText resolves
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.resolve() }, configurable: true }));
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    expect(await status.textContent()).toBe('Link copied.');
    await expect.poll(() => status.count(), { timeout: 8000, interval: 250 }).toBe(0);
    // a browser that refuses it: the link is shown to copy by hand, and it stays
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) }, configurable: true }));
    await page.getByRole('button', { name: 'Copy link', exact: true }).click();
    expect(await status.textContent()).toMatch(/^Copy this link: http.*preset=r3/);
    await page.waitForTimeout(5000);
    expect(await status.textContent()).toMatch(/^Copy this link: /);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('network view colours', () => {
  it('after R3 reaches consensus every node is drawn light (the bottom of the fixed scale), none red', async () => {
    const { page, errors } = await openLab(lab, '?preset=r3');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => runStatus(page), { timeout: 120_000 }).toMatch(/^Completed 10000 iterations/);
    const fills = page.locator('.network-nodes circle');
    // the scale's first stops are #ffffcc → #ffeda0: red and orange have a green channel far below 230
    const greens = async () => (await fills.evaluateAll((cs) => cs.map((c) => c.getAttribute('fill') ?? ''))).map((f) => Number(f.match(/\d+/g)?.[1] ?? -1));
    await expect.poll(async () => Math.min(...await greens()), { timeout: 10_000 }).toBeGreaterThanOrEqual(230);
    expect(await fills.count()).toBe(10);
    await page.locator('figure').filter({ has: page.locator('.network-nodes') }).screenshot({ path: 'test-results/network-consensus.png' });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});

describe('hide=settings', () => {
  it('on a desktop the run view takes the whole width, not the settings column', async () => {
    const { page, errors } = await openLab(lab, '?preset=r3&hide=settings');
    await page.locator('.runview .main').waitFor();
    expect(await page.locator('#settings').count()).toBe(0);
    const width = (await page.locator('.runview .main').boundingBox())!.width;
    expect(width).toBeGreaterThan(1000); // the page is 1280 wide; the settings column was 20rem = 320 px
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
