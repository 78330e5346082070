/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium (installed by .ci/run), WebGPU
 * through SwiftShader, and the flags that keep it off the network. A missing browser or adapter fails the
 * tests that need it; it never skips them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type ViteDevServer, createServer } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
  '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run .ci/run (it installs Debian's chromium) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** A Vite dev server on a free localhost port, serving the project (app and test harness pages). */
export async function startVite(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    configFile: join(import.meta.dirname, '../../vite.config.ts'),
    // no hot reload: a file saved during a test run must not reload the page under test
    server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false, watch: null },
    logLevel: 'error',
  });
  await server.listen();
  const addr = server.httpServer!.address();
  if (!addr || typeof addr === 'string') throw new Error('vite did not report a port');
  return { server, url: `http://127.0.0.1:${addr.port}` };
}

/** For a test file: a dev server and a browser for all its tests, closed at the end. */
export function labBrowser(): { url: string; browser: Browser } {
  const ctx = {} as { url: string; browser: Browser; server: ViteDevServer };
  beforeAll(async () => {
    const vite = await startVite();
    ctx.server = vite.server;
    ctx.url = vite.url;
    ctx.browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  return ctx;
}

/**
 * A new page of the lab at `query`, ready once its tabs are drawn; `errors` collects page errors and
 * console errors, so a test can require that there were none.
 */
export async function openLab(
  lab: { url: string; browser: Browser }, query = '', viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; errors: string[] }> {
  const page = await lab.browser.newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${lab.url}/${query}`);
  await page.getByRole('tablist').waitFor();
  return { page, errors };
}

/** The run's status line. */
export const runStatus = (page: Page) => page.getByRole('status').first().textContent();

