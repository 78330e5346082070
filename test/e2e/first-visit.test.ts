// The first visit, played as a student would: a bare link opens the start view; Play animates R3 at a pace
// the eye can follow (not all at once), the pace can be switched to "as fast as possible", the run ends with
// R3's claims checked on screen; every step of the path opens what it names; "Open the full lab" is the run
// view of the same experiment. In Chromium on a desktop and on a phone, and in Firefox (no WebGPU: the CPU engine).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser as PpBrowser, Page as PpPage } from 'puppeteer-core';
import { labBrowser, openLab } from '../support/chromium';
import { launchFirefox } from '../support/firefox';
import { preset } from '../unit/helpers';

const lab = labBrowser();
const r3 = preset('r3') as { claims: unknown[]; algorithm: { iterations: number } };
const ITERATIONS = r3.algorithm.iterations;
const CLAIMS = r3.claims.length;

/** What each step of the path must open: the view it lands on and the heading it shows there. */
const PATH: { name: RegExp; view: string; expect: RegExp }[] = [
  { name: /A saddle, up close/, view: 'landscape', expect: /u–v|landscape/i },
  { name: /How long an escape takes/, view: 'run', expect: /Saddle escape/ },
  { name: /Nodes agreeing/, view: 'run', expect: /DGD\+LOCAL and classical DGD/ },
  { name: /Where classical DGD stalls/, view: 'run', expect: /^R4/ },
  { name: /Real data, and then yours/, view: 'run', expect: /US employment/ },
];

const iterationOf = (text: string | null) => Number(/iteration ([\d,]+) of/.exec(text ?? '')?.[1]?.replace(/,/g, '') ?? NaN);

describe.each([
  { size: 'desktop', viewport: { width: 1280, height: 900 } },
  { size: 'phone', viewport: { width: 390, height: 844 } },
])('the first visit in Chromium ($size)', ({ viewport }) => {
  it('a bare link opens the start view; Play animates R3 at a visible pace; the claims are checked; the path and the full lab open', async () => {
    const { page, errors } = await openLab(lab, '', viewport);
    await expect.poll(() => page.getByRole('tab', { name: 'Start here' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toMatch(/Factor a matrix/);
    // the network is drawn before Play (the run is loaded at iteration 0)
    await expect.poll(() => page.locator('.start-network svg circle').count(), { timeout: 30_000 }).toBe(10);
    const status = page.locator('.start-status');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    // a visible pace: after a second it is under way but far from done
    await expect.poll(async () => iterationOf(await status.textContent()), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1000);
    const early = iterationOf(await status.textContent());
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(ITERATIONS / 2);
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    // as fast as possible: the rest at once
    await page.getByLabel('pace').selectOption({ label: 'as fast as possible' });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe(`Completed ${ITERATIONS} iterations.`);
    await expect.poll(() => page.locator('.start [data-testid=claims] .claims-head').textContent(), { timeout: 30_000 }).toBe(`Claims: ${CLAIMS} of ${CLAIMS} hold`);
    expect(await page.locator('.start .claim.holds').count()).toBe(CLAIMS);
    // the pace is part of the link
    expect(page.url()).toMatch(/[?&]speed=0(&|$)/);
    // the papers' notation is behind "details", with links to the papers
    await page.locator('.notation summary').click();
    expect(await page.locator('.notation a[href^="https://arxiv.org/search/"]').count()).toBeGreaterThanOrEqual(3);
    // the full lab: the run view of the same experiment, its run on the charts
    await page.getByRole('button', { name: 'Open the full lab' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Run', exact: true }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('heading').textContent()).toMatch(/^R3/);
    expect(await page.locator('[data-testid=preset-changes]').count()).toBe(0);
    expect(await page.getByTestId('latest-row').locator('td').first().textContent()).toBe(String(ITERATIONS));
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('every step of the path opens what it names', async () => {
    for (const step of PATH) {
      const { page, errors } = await openLab(lab, '', viewport);
      await Promise.all([page.waitForURL((u) => !u.search.includes('view=start')), page.getByRole('link', { name: step.name }).click()]);
      await page.getByRole('tablist').waitFor();
      await expect.poll(() => page.getByRole('tab', { selected: true }).textContent()).toBe(step.view === 'run' ? 'Run' : 'Landscape');
      const heading = step.view === 'run' ? page.getByTestId('heading') : page.locator('main h2, main h3').first();
      await expect.poll(() => heading.textContent(), { timeout: 30_000 }).toMatch(step.expect);
      if (step.view === 'run') expect(await page.locator('[data-testid=preset-changes]').count()).toBe(0);
      expect(errors, step.name.source).toEqual([]);
      await page.close();
    }
  }, 180_000);
});

describe('the first visit in Firefox (no WebGPU)', () => {
  let firefox: PpBrowser;
  beforeAll(async () => {
    firefox = await launchFirefox();
  }, 120_000);
  afterAll(async () => {
    await firefox?.close();
  });

  it('a bare link opens the start view; Play animates R3 on the CPU engine and the claims hold; the full lab opens', async () => {
    const page: PpPage = await firefox.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`${lab.url}/`);
    await page.waitForSelector('.start-network svg circle', { timeout: 60_000 });
    const text = (sel: string) => page.$eval(sel, (el) => el.textContent ?? '');
    expect(await text('.start-intro h2')).toMatch(/Factor a matrix/);
    await page.click('.big-play');
    await page.waitForFunction(() => /iteration [1-9]/.test(document.querySelector('.start-status')?.textContent ?? ''), { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 1000));
    const early = iterationOf(await text('.start-status'));
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(ITERATIONS / 2);
    await page.select('.pace select', '0');
    await page.click('.big-play'); // pause
    await page.waitForFunction(() => /Continue/.test(document.querySelector('.big-play')?.textContent ?? ''), { timeout: 30_000 });
    await page.click('.big-play'); // continue, as fast as possible
    await page.waitForFunction((n) => document.querySelector('.start-status')?.textContent === `Completed ${n} iterations.`, { timeout: 120_000 }, ITERATIONS);
    await page.waitForFunction((n) => document.querySelector('.start [data-testid=claims] .claims-head')?.textContent === `Claims: ${n} of ${n} hold`, { timeout: 30_000 }, CLAIMS);
    await page.click('.start-more button');
    await page.waitForSelector('[data-testid=heading]');
    expect(await text('[data-testid=heading]')).toMatch(/^R3/);
    // the run view says why it runs on the CPU engine
    expect(await text('[data-testid=engine-note]')).toMatch(/CPU/);
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});
