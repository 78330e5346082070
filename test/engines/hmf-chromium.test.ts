// The HMF WebGPU engine inside headless Chromium (SwiftShader), driven through a proxy that implements
// the Engine seam over page.evaluate, so the same HMF suite runs against it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import type { Instance } from '../../src/core/build';
import type { State } from '../../src/core/dgd';
import type { MetricsRow } from '../../src/core/metrics';
import type { Engine } from '../../src/engine/engine';
import { launchChromium, startVite } from '../support/chromium';
import { hmfEngineSuite } from './hmf-suite';

let browser: Browser, page: Page, server: ViteDevServer;

beforeAll(async () => {
  const vite = await startVite();
  server = vite.server;
  browser = await launchChromium();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${vite.url}/test/browser/hmf-harness.html`);
  await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
  expect(errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Lab = Record<string, (...x: unknown[]) => unknown>;

class ChromiumHmfEngine implements Engine {
  readonly kind = 'webgpu' as const;
  private constructor(readonly id: number) {}
  static async create(): Promise<ChromiumHmfEngine> {
    return new ChromiumHmfEngine(await page.evaluate('window.lab.create()') as number);
  }
  private call<T>(name: string, ...args: unknown[]): Promise<T> {
    return page.evaluate(([n, id, a]) => {
      const lab = (window as never as { lab: Lab }).lab;
      return lab[n as string](id, ...(a as unknown[])) as T;
    }, [name, this.id, args] as const) as Promise<T>;
  }
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

it('Chromium exposes a WebGPU adapter for the HMF engine; without one this suite fails', async () => {
  const e = await ChromiumHmfEngine.create();
  const info = await page.evaluate(`window.lab.adapter(${e.id})`) as { vendor: string; architecture: string; software: boolean };
  expect(`${info.vendor} ${info.architecture}`.trim().length).toBeGreaterThan(0);
  e.destroy();
});

hmfEngineSuite({ name: 'HMF WebGPU engine (headless Chromium)', create: () => ChromiumHmfEngine.create() });
