/**
 * A run that uses all its iterations with a step above the practical bound, oscillating without overflowing,
 * says it did not converge (issue 14: it ended as plain "Completed"). R3's bound is (1 − 2ω)/L̂ = 5.2·10⁻⁴.
 */
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { instance, preset } from './helpers';

const r3 = (stepsize: number, iterations = 3000) => {
  const d = preset('r3');
  return { ...d, claims: undefined, compare: undefined, algorithm: { name: 'dgd-local' as const, stepsize, iterations, recordEvery: 10 } };
};

describe('completed without converging', () => {
  it.each([0.005, 0.008])('R3 with μ = %s (above the bound, no overflow): says so, with the gradient and the bound', async (mu) => {
    const out = await runSession(new CpuEngine(), instance(r3(mu)));
    expect(out.stop.reason).toBe('completed');
    expect(out.stop.message).toMatch(/^Completed 3000 iterations without converging: the gradient norm is still [0-9.e+]+ \([0-9.e+-]+ of its start\), and μ = [0-9.e-]+ is above the practical bound \(1 − 2ω\)\/L̂ = 0\.000520, where the iterates oscillate\. Try a smaller step size\.$/);
    expect(out.trace.gradientNorm.at(-1)!).toBeGreaterThan(1);
  });

  it('R3 with μ = 0.003, above the bound but converging: plain "Completed"', async () => {
    const out = await runSession(new CpuEngine(), instance(r3(0.003)));
    expect(out.stop.message).toBe('Completed 3000 iterations.');
  });

  it('R3 with μ = 0.003 stopped early, still going down: plain "Completed" (slow is not oscillating)', async () => {
    const out = await runSession(new CpuEngine(), instance(r3(0.003, 300)));
    const g = out.trace.gradientNorm;
    expect(g.at(-1)! / g[0]).toBeGreaterThan(1e-6); // far from converged …
    const f = out.trace.distributedObjective.slice(-10);
    expect(f.every((v, k) => k === 0 || v <= f[k - 1])).toBe(true); // … but falling at every record
    expect(out.stop.message).toBe('Completed 300 iterations.');
  });

  it('R4 within the bound, stalled as classical DGD does: plain "Completed" (the step is not the reason)', async () => {
    const d = preset('r4');
    const out = await runSession(new CpuEngine(), instance({ ...d, claims: undefined, algorithm: { ...d.algorithm, iterations: 2000 } }));
    expect(out.stop.message).toBe('Completed 2000 iterations.');
  });
});
