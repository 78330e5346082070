/**
 * One engine test suite, run against every engine (STYLE §9): the float64 CPU engine, the WebGPU engine
 * in Node (Dawn) and the WebGPU engine in headless Chromium. Every result is compared with the float64
 * CPU reference computed in this process, with tolerances from the error model in tolerance.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/core/build';
import type { State } from '../../src/core/dgd';
import { norm2 } from '../../src/core/linalg';
import type { MetricsRow } from '../../src/core/metrics';
import { CpuEngine } from '../../src/engine/cpu';
import type { Engine } from '../../src/engine/engine';
import { instance } from '../unit/helpers';
import { engineCases } from './configs';
import { normTolerance, squaredNormTolerance } from './tolerance';

export interface EngineFactory {
  name: string;
  /** a fresh engine; the suite destroys it */
  create(): Promise<Engine>;
}

interface Reference {
  rows: MetricsRow[];
  /** norms of the reference iterate at each record */
  sizes: { U: number; V: number; Y: number; fit: number }[];
  final: State;
}

function iterateSizes(inst: Instance, z: State) {
  const p = inst.problem;
  if (p.kind !== 'factorization') throw new Error('factorization only');
  const U = Math.sqrt(norm2(z.X)) , V = Math.sqrt(norm2(z.Y) || norm2(z.X));
  const Y = Math.sqrt(norm2(p.Y.data));
  return { U, V, Y, fit: U * V + Y };
}

async function trace(engine: Engine, inst: Instance, withSizes: boolean): Promise<Reference> {
  await engine.load(inst);
  const rows: MetricsRow[] = [];
  const sizes: Reference['sizes'] = [];
  for (let k = 0; ; k += inst.recordEvery) {
    rows.push(await engine.metrics());
    if (withSizes) sizes.push(iterateSizes(inst, (await engine.snapshot()).state));
    if (k >= inst.iterations) break;
    await engine.advance(inst.recordEvery);
  }
  return { rows, sizes, final: (await engine.snapshot()).state };
}

/** Compare a trace with the reference; returns the worst |got − want| / tolerance over all checks. */
function compare(inst: Instance, ref: Reference, got: MetricsRow[], final: State): { worst: number; where: string } {
  const p = inst.problem;
  if (p.kind !== 'factorization') throw new Error('factorization only');
  const L = Math.max(p.n, ...p.partition) + p.r;
  let worst = 0, where = '';
  const check = (what: string, k: number, want: number, have: number, tol: number) => {
    const ratio = Math.abs(have - want) / tol;
    if (!(ratio <= worst)) {
      worst = Number.isNaN(ratio) ? Infinity : ratio;
      where = `${what} at iteration ${k}: expected ${want}, got ${have}, tolerance ${tol.toExponential(2)}`;
    }
  };
  ref.rows.forEach((w, i) => {
    const g = got[i];
    const s = ref.sizes[i];
    const k = w.iteration;
    expect(g.iteration).toBe(k);
    check('objective', k, w.objective, g.objective, squaredNormTolerance({ L, k, q: w.objective, size: s.fit }));
    check('consensusError', k, w.consensusError, g.consensusError, squaredNormTolerance({ L, k, q: w.consensusError, size: s.U + s.V }));
    const pen = w.distributedObjective - w.objective;
    const mu = inst.stepsize;
    check('distributedObjective', k, w.distributedObjective, g.distributedObjective,
      squaredNormTolerance({ L, k, q: w.objective, size: s.fit }) + squaredNormTolerance({ L, k, q: 4 * mu * pen, size: 2 * (s.U + s.V) }) / (4 * mu));
    const gradSize = 2 * (s.fit * (s.U + s.V)) + (s.U + s.V) / mu;
    check('gradientNorm', k, w.gradientNorm, g.gradientNorm, normTolerance({ L, k, size: gradSize }));
    check('imbalance', k, w.imbalance, g.imbalance, normTolerance({ L, k, size: s.U * s.U + s.V * s.V }));
  });
  const dz = Math.sqrt(norm2(final.X.map((v, i) => v - ref.final.X[i])) + norm2(final.Y.map((v, i) => v - ref.final.Y[i])));
  const zs = Math.sqrt(norm2(ref.final.X) + norm2(ref.final.Y));
  check('final iterate', inst.iterations, 0, dz, normTolerance({ L, k: inst.iterations, size: zs }));
  return { worst, where };
}

export function engineSuite(factory: EngineFactory): void {
  const cases = engineCases();
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
    it('a 0.1 % larger step size falls outside the tolerance', async () => {
      const { doc } = cases[1];
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
    it('restoring a snapshot replays the same iterations exactly', async () => {
      const inst = instance(cases[2].doc);
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
    });
  });
}
