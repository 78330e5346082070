// The WebGPU engine inside headless Chromium (SwiftShader), through the page proxy, so the same suite
// runs against it.
import { expect, it } from 'vitest';
import { chromiumEngines } from './chromium-proxy';
import { engineSuite } from './suite';

const engines = chromiumEngines('factor');

it('Chromium exposes a WebGPU adapter (SwiftShader here); without one this suite fails', async () => {
  const e = await engines.create();
  const info = await e.adapter();
  expect(`${info.vendor} ${info.architecture}`.trim().length).toBeGreaterThan(0);
  expect(typeof info.software).toBe('boolean');
  e.destroy();
});

engineSuite({ name: 'WebGPU engine (headless Chromium)', create: () => engines.create() });
