// The stock case study's heterogeneity index (src/core/stocks.ts) is computed in float64 from the final
// iterate, whichever engine ran: the HMF WebGPU engine (Dawn in Node) gives the index of the float64 CPU
// engine within float32 accuracy, on a model market with missing prices nowhere and a user-style table
// with masked ones. No adapter is a failure, never a skip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../src/core/experiment';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { HmfGpuEngine } from '../../src/gpu/families/hmf';
import { type NodeGpu, nodeGpu } from '../../src/gpu/node';
import { shaderSources } from '../../src/gpu/shaders';
import { instance } from '../unit/helpers';

let g: NodeGpu;
beforeAll(async () => {
  g = await nodeGpu();
});
afterAll(() => g.release());

const run = { algorithm: { name: 'hmf', stepsize: { rule: 'practical', c: 0.9 }, iterations: 120, recordEvery: 40, beta: 0.01 }, init: { seed: 1, scale: 0.1 } } as const;
const market: ExperimentInput = {
  format: 'lowrank-lab/experiment', version: 1, ...run,
  problem: { kind: 'hmf', sharedRank: 3, uniqueRank: 1, stocks: { seed: 4, stocks: 48, days: 400, window: 20, sectors: 2, events: 3 } },
} as ExperimentInput;
// 6 tickers × 61 dates of a deterministic walk, every 7th price missing
const T = 61, n = 6;
const prices = Array.from({ length: T * n }, (_, k) => 50 + 10 * Math.sin(0.37 * k) + 5 * Math.cos(0.11 * k * ((k % n) + 1)) + 0.2 * Math.floor(k / n));
const table: ExperimentInput = {
  format: 'lowrank-lab/experiment', version: 1, ...run,
  problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 1, prices: { tickers: ['A', 'B', 'C', 'D', 'E', 'F'], data: { shape: [T, n], data: prices }, mask: { shape: [T, n], data: prices.map((_, k) => (k % 7 === 3 ? 0 : 1)) }, window: 10 } },
} as ExperimentInput;

describe('the heterogeneity index on the HMF WebGPU engine (Dawn, Node)', () => {
  it.each([['a model market', market], ['a table with masked prices', table]] as const)('%s: the same index as the float64 CPU engine, to float32 accuracy', async (_name, doc) => {
    const inst = instance(doc);
    const ref = await runSession(new CpuEngine(), inst);
    const engine = await HmfGpuEngine.create({ gpu: g.gpu, shader: shaderSources.hmf! });
    try {
      const got = await runSession(engine, instance(doc));
      expect(got.stop.reason).toBe('completed');
      const a = ref.series!.heterogeneity!, b = got.series!.heterogeneity!;
      expect(b.daily).toHaveLength(a.daily.length);
      // 120 rounds in float32 from the same start (measured: 2·10⁻⁷ and 8·10⁻⁶ of the largest value)
      const scale = Math.max(...a.daily);
      let worst = 0;
      a.daily.forEach((x, t) => (worst = Math.max(worst, Math.abs(x - b.daily[t]) / scale)));
      if (process.env.LOWRANK_REPORT) console.log(`index: worst |Δ|/max = ${worst.toExponential(2)}`);
      expect(worst).toBeLessThan(1e-4);
      // and not vacuously: the index is far from constant, so a wrong iterate would show
      expect(Math.min(...a.daily)).toBeLessThan(0.7 * scale);
      expect(b.labels).toEqual(a.labels);
    } finally {
      engine.destroy();
    }
  }, 120_000);
});
