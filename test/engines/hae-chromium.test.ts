// The HAE WebGPU engine inside headless Chromium (SwiftShader), through the page proxy, so the same HAE
// suite runs against it.
import { expect, it } from 'vitest';
import { chromiumEngines } from './chromium-proxy';
import { haeEngineSuite } from './hae-suite';

const engines = chromiumEngines('hae');

it('Chromium exposes a WebGPU adapter for the HAE engine; without one this suite fails', async () => {
  const e = await engines.create();
  const info = await e.adapter();
  expect(`${info.vendor} ${info.architecture}`.trim().length).toBeGreaterThan(0);
  e.destroy();
});

haeEngineSuite({ name: 'HAE WebGPU engine (headless Chromium)', create: () => engines.create() });
