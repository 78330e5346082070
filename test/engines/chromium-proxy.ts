/**
 * A WebGPU engine inside headless Chromium (SwiftShader), driven from the Node test runner through a
 * proxy that implements the Engine seam over page.evaluate (the page is test/browser/harness.html), so
 * the engine suites run against it unchanged. For a test file: a dev server, a browser and the harness
 * page for all its tests, closed at the end.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Instance } from '../../src/core/build';
import type { State } from '../../src/core/dgd';
import type { MetricsRow } from '../../src/core/metrics';
import type { Engine } from '../../src/engine/engine';
import { labBrowser } from '../support/chromium';

type Lab = Record<string, (...x: unknown[]) => unknown>;

export class ChromiumEngine implements Engine {
  readonly kind = 'webgpu' as const;
  private constructor(private readonly page: Page, private readonly id: number) {}

  static async create(page: Page, kind: 'factor' | 'hmf' | 'hae'): Promise<ChromiumEngine> {
    return new ChromiumEngine(page, await page.evaluate((k) => (window as never as { lab: Lab }).lab.create(k) as Promise<number>, kind));
  }

  private call<T>(name: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(([n, id, a]) => {
      const lab = (window as never as { lab: Lab }).lab;
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
  /** HAE's work buffers (the engine must be an HAE one) */
  async readWork(which: 'act' | 'grad'): Promise<Float32Array> { return Float32Array.from(await this.call<number[]>('readWork', which)); }
  restore(state: State, iteration: number) { return this.call<void>('restore', Array.from(state.X), Array.from(state.Y), iteration); }
  destroy() { this.call('destroy').catch(() => undefined); } // the page may already be closing
}

/** Engines of this kind in the harness page of a browser opened for the calling test file. */
export function chromiumEngines(kind: 'factor' | 'hmf' | 'hae'): { create(): Promise<ChromiumEngine> } {
  const lab = labBrowser();
  let page: Page;
  beforeAll(async () => {
    page = await lab.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${lab.url}/test/browser/harness.html`);
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 60_000 });
    expect(errors).toEqual([]);
  }, 120_000);
  afterAll(() => page?.close());
  return { create: () => ChromiumEngine.create(page, kind) };
}
