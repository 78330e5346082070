import { describe, expect, it } from 'vitest';
import { norm2 } from '../../src/core/linalg';
import { CpuEngine } from '../../src/engine/cpu';
import { Session, runSession } from '../../src/engine/session';
import { instance, preset } from './helpers';

describe('Session stop rules and stepping', () => {
  it('stops when the optimality gap reaches tolerance·‖Y‖², and says so', async () => {
    const inst = instance(preset('r3'));
    const Y2 = inst.problem.kind === 'factorization' ? norm2(inst.problem.Y.data) : 1;
    const out = await runSession(new CpuEngine(), inst, { tolerance: 1e-12 });
    expect(out.stop.reason).toBe('tolerance');
    expect(out.stop.message).toMatch(/^Tolerance reached at iteration \d+: the optimality gap [0-9.e+-]+ is below 1\.0e-12·‖Y‖²\.$/);
    const last = out.trace.optimalityGap.at(-1)!;
    expect(last).toBeLessThanOrEqual(1e-12 * Y2);
    expect(out.trace.optimalityGap.at(-2)!).toBeGreaterThan(1e-12 * Y2); // it stopped at the first record below
    expect(out.stop.iteration).toBeLessThan(inst.iterations);
  });

  it('single steps record every iteration, then run() lands back on multiples of recordEvery', async () => {
    const inst = instance({ ...preset('r3'), algorithm: { ...preset('r3').algorithm, iterations: 200, recordEvery: 50 } });
    const s = new Session(new CpuEngine(), inst);
    await s.start();
    await s.step(1);
    await s.step(1);
    await s.run();
    expect(s.trace.iteration).toEqual([0, 1, 2, 50, 100, 150, 200]);
    expect(s.stop?.reason).toBe('completed');
  });

  it('run(until) pauses between records and continues from there', async () => {
    const inst = instance({ ...preset('r3'), algorithm: { ...preset('r3').algorithm, iterations: 300, recordEvery: 50 } });
    const s = new Session(new CpuEngine(), inst);
    await s.start();
    await s.run(() => s.iteration >= 100);
    expect(s.iteration).toBe(100);
    expect(s.done).toBe(false);
    await s.run();
    expect(s.trace.iteration).toEqual([0, 50, 100, 150, 200, 250, 300]);
  });
});
