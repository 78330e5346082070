// Runs that blow up, in the app (issue 13, 3g–3i), in headless Chromium on the Vite dev server: an HMF run
// whose U_gᵀU_g turns singular and a run that records curvature both stop as "diverged" at the first
// non-finite iteration — no internal error, no page error — and the charts still draw the finite part of
// the trace, with the divergence marked. Screenshots go to test-results/diverged-*.png.
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { labBrowser, openLab, runStatus } from '../support/chromium';

const lab = labBrowser();
mkdirSync('test-results', { recursive: true });

/** The first chart's plotted values (null where not drawn), markers drawn, and its annotations. */
async function firstChart(page: Page): Promise<{ ys: (number | null)[][]; points: number; lines: number; notes: string[] }> {
  const chart = page.locator('.chart .js-plotly-plot').first();
  await chart.locator('.scatterlayer .trace').first().waitFor({ timeout: 30_000 });
  const ys = JSON.parse(await chart.evaluate((el) => JSON.stringify((el as unknown as { data: { y: (number | null)[] }[] }).data.map((d) => d.y)))) as (number | null)[][];
  const points = await chart.locator('.scatterlayer .trace .points path').count();
  const lines = await chart.locator('.scatterlayer .trace path.js-line').evaluateAll((ps) => ps.filter((p) => (p.getAttribute('d') ?? '').length > 1).length);
  const notes = await chart.locator('.annotation-text').allTextContents();
  return { ys, points, lines, notes };
}

describe('a run that diverges', () => {
  it.each([
    // HMF R15 with η = 20: U_gᵀU_g turned singular at round 7 ("internal error" before); non-finite from round 6
    { query: '?preset=r15&mu=20&K=500', at: 6, step: 'round', finite: 2, shot: 'hmf' },
    // R5 with the rule at c = 1e300, recording curvature (ml-matrix's tql2 failed on the NaN iterate before)
    { query: '?preset=r5&mu=c1e300&K=2000', at: 1, step: 'iteration', finite: 1, shot: 'curvature' },
  ])('$query: stops as diverged at $step $at, no page error, the chart keeps its finite points', async ({ query, at, step, finite, shot }) => {
    const { page, errors } = await openLab(lab, query);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => runStatus(page), { timeout: 120_000 }).toMatch(/^Diverged at (iteration|round) \d+: the metrics are no longer finite\./);
    expect(await runStatus(page)).toMatch(new RegExp(`^Diverged at ${step} ${at}: the metrics are no longer finite\\. [μη] = [0-9.e+]+ is too large`));
    await expect.poll(() => page.locator('.chart .js-plotly-plot').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const c = await firstChart(page);
    expect(c.ys[0].filter((y) => y !== null)).toHaveLength(finite);
    expect(c.ys[0].at(-1)).toBeNull(); // the non-finite row: a gap, not ∞
    // something is drawn: a line through two or more finite points, a marker for a lone one
    expect(finite >= 2 ? c.lines : c.points).toBeGreaterThan(0);
    expect(c.notes).toContain(`diverged at ${at}`);
    await page.screenshot({ path: `test-results/diverged-${shot}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
