// The HMF WebGPU engine inside headless Chromium (SwiftShader), through the page proxy, so the same HMF
// suite runs against it.
import { expect, it } from 'vitest';
import { chromiumEngines } from './chromium-proxy';
import { hmfEngineSuite } from './hmf-suite';

const engines = chromiumEngines('hmf');

it('Chromium exposes a WebGPU adapter for the HMF engine; without one this suite fails', async () => {
  const e = await engines.create();
  const info = await e.adapter();
  expect(`${info.vendor} ${info.architecture}`.trim().length).toBeGreaterThan(0);
  e.destroy();
});

hmfEngineSuite({ name: 'HMF WebGPU engine (headless Chromium)', create: () => engines.create() });
