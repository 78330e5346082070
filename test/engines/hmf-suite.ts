/**
 * The HMF engine suite (SPEC §7), run on the float64 CPU engine and on the HMF WebGPU engine (Dawn in
 * Node, headless Chromium): traces and final iterates against the float64 reference computed here, with
 * tolerances from the error model of tolerance.ts; a 0.1 % change of η must break them (not vacuous).
 */
import { describe, expect, it } from 'vitest';
import { hmfProblem } from '../../src/core/hmf-build';
import { CpuEngine } from '../../src/engine/cpu';
import { instance } from '../unit/helpers';
import { hmfCases, hmfCompare as compare, hmfTrace as trace } from './hmf-parity';
import { type EngineFactory, snapshotReplays } from './suite';

export function hmfEngineSuite(factory: EngineFactory): void {
  describe(`${factory.name}: HMF traces match the float64 reference`, () => {
    it.each(hmfCases)('$name', async ({ doc }) => {
      const inst = instance(doc);
      const ref = await trace(new CpuEngine(), inst);
      const engine = await factory.create();
      try {
        const got = await trace(engine, inst);
        const { worst, where } = compare(inst, ref, got);
        if (process.env.LOWRANK_REPORT) console.log(`${factory.name} HMF worst/tolerance = ${worst.toExponential(2)} (${where})`);
        expect(worst, where).toBeLessThanOrEqual(1);
        // with the correction step every recorded iterate is feasible, to float32 rounding
        if (hmfProblem(inst).params.correction) for (const r of got.rows) expect(r.feasibility!).toBeLessThan(1e-4);
      } finally {
        engine.destroy();
      }
    });

    it('a 0.1 % larger η falls outside the tolerance', async () => {
      const { doc } = hmfCases[0];
      const inst = instance(doc);
      const ref = await trace(new CpuEngine(), inst);
      const engine = await factory.create();
      try {
        const got = await trace(engine, instance({ ...doc, algorithm: { ...doc.algorithm, stepsize: 0.2 * 1.001 } }));
        expect(compare(inst, ref, got).worst).toBeGreaterThan(1);
      } finally {
        engine.destroy();
      }
    });

    it('restoring a snapshot replays the same rounds exactly', () => snapshotReplays(factory, instance(hmfCases[0].doc)));
  });
}
