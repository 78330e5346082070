// The WebGPU engine inside headless Chromium (SwiftShader), driven from here through a proxy that
// implements the Engine seam over page.evaluate, so the same suite runs against it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import type { Instance } from '../../src/core/build';
import type { State } from '../../src/core/dgd';
import type { MetricsRow } from '../../src/core/metrics';
import type { Engine } from '../../src/engine/engine';
import { launchChromium, startVite } from '../support/chromium';
import { engineSuite } from './suite';

let browser: Browser, page: Page, server: ViteDevServer;

beforeAll(async () => {
  const vite = await startVite();
  server = vite.server;
  browser = await launchChromium();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${vite.url}/test/browser/harness.html`);
  await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
  expect(errors).toEqual([]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

class ChromiumEngine implements Engine {
  readonly kind = 'webgpu' as const;
  private constructor(private readonly id: number) {}
  static async create(): Promise<ChromiumEngine> {
    return new ChromiumEngine(await page.evaluate(() => (window as never as { lab: { create(): Promise<number> } }).lab.create()));
  }
  private call<T>(name: string, ...args: unknown[]): Promise<T> {
    return page.evaluate(([n, id, a]) => {
      const lab = (window as never as { lab: Record<string, (...x: unknown[]) => unknown> }).lab;
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
  destroy() { this.call('destroy').catch(() => undefined); } // the page may already be closing
}

it('Chromium exposes a WebGPU adapter (SwiftShader here); without one this suite fails', async () => {
  const e = await ChromiumEngine.create();
  const info = await page.evaluate((id) => (window as never as { lab: { adapter(i: number): { vendor: string; architecture: string; software: boolean } } }).lab.adapter(id), (e as unknown as { id: number }).id);
  expect(`${info.vendor} ${info.architecture}`.trim().length).toBeGreaterThan(0);
  expect(typeof info.software).toBe('boolean');
  e.destroy();
});

engineSuite({ name: 'WebGPU engine (headless Chromium)', create: () => ChromiumEngine.create() });
