// The symmetric PSD WebGPU engine inside headless Chromium (SwiftShader), driven through page.evaluate
// (test/browser/symmetric-harness.html), against the float64 CPU engine: the same cases and error model
// as test/gpu/symmetric.test.ts (Dawn in Node). A missing browser or adapter fails these tests.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Instance, buildInstance } from '../../src/core/build';
import type { State } from '../../src/core/dgd';
import type { Engine } from '../../src/core/engine-api';
import { parseExperiment } from '../../src/core/experiment';
import type { MetricsRow } from '../../src/core/metrics';
import { CpuEngine } from '../../src/engine/cpu';
import { labBrowser } from '../support/chromium';
import { NODES, PROBLEMS, compare, doc, fmt, trace } from './symmetric-parity';

type Lab = Record<string, (...x: unknown[]) => unknown>;

/** The Engine seam over page.evaluate (as test/engines/chromium-proxy.ts). */
class PageEngine implements Engine {
  readonly kind = 'webgpu' as const;
  private constructor(private readonly page: Page, private readonly id: number) {}
  static async create(page: Page): Promise<PageEngine> {
    return new PageEngine(page, await page.evaluate(() => (window as never as { symLab: Lab }).symLab.create() as Promise<number>));
  }
  private call<T>(name: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(([n, id, a]) => {
      const lab = (window as never as { symLab: Lab }).symLab;
      return lab[n as string](id, ...(a as unknown[])) as T;
    }, [name, this.id, args] as const) as Promise<T>;
  }
  adapter() { return this.call<{ vendor: string; architecture: string; software: boolean }>('adapter'); }
  load(inst: Instance) { return this.call<void>('load', inst.experiment); }
  advance(k: number) { return this.call<void>('advance', k); }
  metrics() { return this.call<MetricsRow>('metrics'); }
  async snapshot(): Promise<{ state: State; iteration: number }> {
    const s = await this.call<{ X: number[]; Y: number[]; iteration: number }>('snapshot');
    return { state: { X: Float64Array.from(s.X), Y: Float64Array.from(s.Y) }, iteration: s.iteration };
  }
  restore(state: State, iteration: number) { return this.call<void>('restore', Array.from(state.X), Array.from(state.Y), iteration); }
  destroy() { this.call('destroy').catch(() => undefined); }
}

const lab = labBrowser();
let page: Page;
beforeAll(async () => {
  page = await lab.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${lab.url}/test/browser/symmetric-harness.html`);
  await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
  expect(errors).toEqual([]);
}, 120_000);
afterAll(() => page?.close());

describe('the symmetric kinds on WebGPU in headless Chromium match the float64 CPU engine', () => {
  it('Chromium exposes a WebGPU adapter', async () => {
    const e = await PageEngine.create(page);
    const info = await e.adapter();
    expect(`${info.vendor} ${info.architecture}`.trim().length).toBeGreaterThan(0);
    e.destroy();
  }, 60_000);

  const cases = Object.entries(PROBLEMS).flatMap(([name, problem]) => [1, NODES[name]].map((J) => [`${name}, ${J > 1 ? `classical DGD (ring, J = ${J})` : 'GD'}`, problem, J] as const));
  it.each(cases)('%s', async (label, problem, J) => {
    const inst = buildInstance(parseExperiment(doc(problem, J)));
    const ref = await trace(new CpuEngine(), inst);
    const got = await trace(await PageEngine.create(page), inst);
    const { worst, where, rel } = compare(inst, ref, got);
    console.log(`[chromium] ${label}: worst error/tolerance ${worst.toFixed(3)} (${where}); max relative deviation: ${fmt(rel)}`);
    expect(worst, where).toBeLessThanOrEqual(1);
  }, 120_000);
});
