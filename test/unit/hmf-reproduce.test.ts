/**
 * HMF reproductions (SPEC §8 R15, R16, R18) in float64 on the shipped presets. Figures measured here are
 * quoted in the README beside the paper's.
 */
import { describe, expect, it } from 'vitest';
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { CpuEngine } from '../../src/engine/cpu';
import { Session } from '../../src/engine/session';
import { preset } from './helpers';

/** Run a preset record by record (every `every` rounds) until `done(row)` or its iteration cap. */
async function follow(id: string, every: number, done: (r: Record<string, number>) => boolean, edit: (d: ReturnType<typeof preset>) => void = () => {}) {
  const doc = preset(id);
  (doc.algorithm as { recordEvery?: number }).recordEvery = every;
  edit(doc);
  const s = new Session(new CpuEngine(), buildInstance(parseExperiment(doc)));
  await s.start();
  while (await s.step(every)) {
    const t = s.trace;
    const last = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v![v!.length - 1]]));
    if (done(last)) break;
  }
  return s.trace;
}

describe('R15 — [H] Fig. 1: shared and unique errors decay linearly to < 1e-10 (N = 100, n₂ = 100, r₁ = r₂ = 3)', () => {
  it.each([['r15-n30', 30], ['r15', 60], ['r15-n120', 120]])('%s (n₁ = %i)', async (id) => {
    const t = await follow(id, 25, (r) => r.sharedError < 1e-10 && r.uniqueError < 1e-10);
    const n = t.iteration.length;
    const sh = t.sharedError!, un = t.uniqueError!;
    expect(sh[n - 1]).toBeLessThan(1e-10);
    expect(un[n - 1]).toBeLessThan(1e-10);
    expect(t.iteration[n - 1]).toBeLessThanOrEqual(500);
    // an initial phase: the first 25 rounds gain less than the later ones do
    expect(sh[0]).toBeGreaterThan(10);
    // linear decay: over the last four records every 25 rounds divides both errors by a similar factor (> 4)
    const ratios = (e: number[]) => [e[n - 4] / e[n - 3], e[n - 3] / e[n - 2], e[n - 2] / e[n - 1]];
    for (const e of [sh, un]) {
      const q = ratios(e);
      for (const x of q) expect(x).toBeGreaterThan(4);
      expect(Math.max(...q) / Math.min(...q)).toBeLessThan(2);
    }
    // every record stays feasible (the correction step runs each round)
    for (const f of t.feasibility!) expect(f).toBeLessThan(1e-12);
  }, 120_000);
});

describe('R18 — without the correction step the fit converges but the split does not', () => {
  it('objective → 0, shared/unique errors stall above 10, subspace error ~1, feasibility far from 0', async () => {
    const t = await follow('r18', 50, () => false, (d) => ((d.algorithm as { iterations: number }).iterations = 200));
    const n = t.iteration.length;
    expect(t.iteration[n - 1]).toBe(200);
    expect(t.objective[n - 1]).toBeLessThan(1e-4 * t.objective[0]);
    expect(t.sharedError![n - 1]).toBeGreaterThan(10);
    expect(t.uniqueError![n - 1]).toBeGreaterThan(10);
    expect(t.subspaceError![n - 1]).toBeGreaterThan(0.5);
    expect(t.feasibility![n - 1]).toBeGreaterThan(0.3);
  }, 120_000);
});

describe('R16 — [H] Table 2: subspace error with missing entries (N = 30, n₁ = 60, n₂ = 100, r₁ = r₂ = 3)', () => {
  it('after 100 rounds: small at 10 %, 5 %, 1 % missing and ordered by the ratio; below 0.1 at 50 % after 200', async () => {
    const at = async (id: string, rounds: number) => {
      const t = await follow(id, rounds, () => false, (d) => ((d.algorithm as { iterations: number }).iterations = rounds));
      return t.subspaceError![t.subspaceError!.length - 1];
    };
    const e10 = await at('r16', 100), e5 = await at('r16-5', 100), e1 = await at('r16-1', 100);
    expect(e10).toBeLessThan(1e-4);
    expect(e5).toBeLessThan(e10);
    expect(e1).toBeLessThan(e5);
    expect(await at('r16-50', 200)).toBeLessThan(0.1);
  }, 120_000);
});
