/**
 * One engine test suite, run against every engine (STYLE §9): the float64 CPU engine, the WebGPU engine
 * in Node (Dawn) and the WebGPU engine in headless Chromium. Every result is compared with the float64
 * CPU reference computed in this process, with tolerances from the error model in tolerance.ts.
 * The cases: random factorizations (configs.ts engineCases) and the balancing weight λ > 0 with the
 * measured problems of SPEC §5–6 (measuredCases).
 */
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/core/build';
import { CpuEngine } from '../../src/engine/cpu';
import type { Engine } from '../../src/engine/engine';
import { instance } from '../unit/helpers';
import { engineCases, measuredCases } from './configs';
import { compare, trace } from './parity';

export interface EngineFactory {
  name: string;
  /** a fresh engine; the suite destroys it */
  create(): Promise<Engine>;
}

export function engineSuite(factory: EngineFactory): void {
  const cases = [...engineCases(), ...measuredCases()];
  describe(`${factory.name}: traces match the float64 reference over 200 iterations`, () => {
    it.each(cases)('$name', async ({ doc }) => {
      const inst = instance(doc);
      const ref = await trace(new CpuEngine(), inst, true);
      const engine = await factory.create();
      try {
        const got = await trace(engine, inst, false);
        const { worst, where } = compare(inst, ref, got.rows, got.final);
        if (process.env.LOWRANK_REPORT) console.log(`${factory.name} worst/tolerance = ${worst.toExponential(2)} (${where})`);
        expect(worst, where).toBeLessThanOrEqual(1);
      } finally {
        engine.destroy();
      }
    });
  });

  describe(`${factory.name}: the comparison is not vacuous`, () => {
    const sensing = cases.find((c) => c.name.startsWith('sensing'))!;
    it.each([cases[1], sensing])('a 0.1 % larger step size falls outside the tolerance ($name)', async ({ doc }) => {
      const inst = instance(doc);
      const ref = await trace(new CpuEngine(), inst, true);
      const perturbed = instance({ ...doc, algorithm: { ...doc.algorithm, stepsize: inst.stepsize * 1.001 } });
      const engine = await factory.create();
      try {
        const got = await trace(engine, perturbed, false);
        expect(compare(inst, ref, got.rows, got.final).worst).toBeGreaterThan(1);
      } finally {
        engine.destroy();
      }
    });
  });

  describe(`${factory.name}: snapshot and restore`, () => {
    it('restoring a snapshot replays the same iterations exactly', () => snapshotReplays(factory, instance(cases[2].doc)));
  });
}

/** Load, advance 7, snapshot, advance 13, restore, advance 13: the same metrics at iteration 20 both times. */
export async function snapshotReplays(factory: EngineFactory, inst: Instance): Promise<void> {
  const engine = await factory.create();
  try {
    await engine.load(inst);
    await engine.advance(7);
    const snap = await engine.snapshot();
    await engine.advance(13);
    const a = await engine.metrics();
    await engine.restore(snap.state, snap.iteration);
    await engine.advance(13);
    const b = await engine.metrics();
    expect(b).toEqual(a);
    expect(b.iteration).toBe(20);
  } finally {
    engine.destroy();
  }
}
