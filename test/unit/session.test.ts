import { describe, expect, it } from 'vitest';
import { norm2 } from '../../src/core/linalg';
import { type MetricsRow, isFiniteRow } from '../../src/core/metrics';
import { CpuEngine } from '../../src/engine/cpu';
import type { Engine } from '../../src/engine/engine';
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

describe('Session on divergence (issue 13, 3g–3i)', () => {
  /** R3 with μ = 0.03: its metrics are first non-finite at iteration 16 (stepping one at a time). */
  const r3 = (recordEvery: number) => instance({ ...preset('r3'), algorithm: { ...preset('r3').algorithm, stepsize: 0.03, iterations: 3000, recordEvery } });

  /** A CPU engine that counts what the session asks of it. */
  class Counting extends CpuEngine {
    calls = { advance: [] as number[], metrics: 0, restore: [] as number[] };
    override async advance(k: number) {
      this.calls.advance.push(k);
      return super.advance(k);
    }
    override async metrics() {
      this.calls.metrics++;
      return super.metrics();
    }
    override async restore(...a: Parameters<Engine['restore']>) {
      this.calls.restore.push(a[1]);
      return super.restore(...a);
    }
  }

  it('stops at the first non-finite iteration: rows streamed up to the last finite one, the engine left there', async () => {
    const rows: MetricsRow[] = [];
    const e = new Counting();
    const s = new Session(e, r3(10), { onRow: (r) => rows.push(r) });
    await s.start();
    await s.run();
    expect(s.stop).toMatchObject({ reason: 'diverged', iteration: 16 });
    expect(s.stop!.message).toMatch(/^Diverged at iteration 16: the metrics are no longer finite\. μ = 0\.0300 is too large/);
    expect(s.iteration).toBe(16);
    expect(rows.map((r) => r.iteration)).toEqual([0, 10, 15, 16]);
    expect(rows.map(isFiniteRow)).toEqual([true, true, true, false]);
    expect(s.trace.iteration).toEqual([0, 10, 15, 16]);
    expect((await e.snapshot()).iteration).toBe(16);
    // the CPU engine keeps a snapshot at every record: the replay restarts at 10 and steps 1 … 6
    expect(e.calls.restore).toEqual([10]);
    expect(e.calls.advance).toEqual([10, 10, 1, 1, 1, 1, 1, 1]);
  });

  it('from an older snapshot (a GPU keeps one every 2 s) it advances to the last record in one go, then steps', async () => {
    const e = new Counting();
    const s = new Session(e, r3(5), { snapshotEveryMs: 1e12 });
    await s.start();
    await s.run();
    expect(s.stop).toMatchObject({ reason: 'diverged', iteration: 16 });
    expect(s.trace.iteration).toEqual([0, 5, 10, 15, 16]); // 15 is a record and the last finite row: kept once
    expect(e.calls.restore).toEqual([0]);
    expect(e.calls.advance).toEqual([5, 5, 5, 5, 15, 1]);
  });

  /** An engine whose metrics turn NaN from iteration `k` on (or, `flaky`, only in the run, not in a replay). */
  class Blowup implements Engine {
    readonly kind = 'cpu' as const;
    it = 0;
    metricsCalls = 0;
    replayed = false;
    constructor(readonly k: number, readonly flaky = false) {}
    async load() {}
    async advance(n: number) {
      this.it += n;
    }
    async metrics(): Promise<MetricsRow> {
      this.metricsCalls++;
      const v = this.it >= this.k && !(this.flaky && this.replayed) ? NaN : 1;
      return { iteration: this.it, objective: v, consensusError: 0, distributedObjective: v, optimalityGap: v, gradientNorm: 1, imbalance: 0 };
    }
    async snapshot() {
      return { state: { X: Float64Array.of(this.it), Y: new Float64Array(0) }, iteration: this.it };
    }
    async restore(_: unknown, iteration: number) {
      this.it = iteration;
      this.replayed = true;
    }
    destroy() {}
  }

  it.each([16, 173, 640, 999, 1000, 1001, 2999])('a window wider than 64 iterations is halved first: first non-finite at %i, found with at most 4 + 64 metric reads', async (k) => {
    const inst = r3(1000);
    const e = new Blowup(k);
    const s = new Session(e, inst, { snapshotEveryMs: 1e12 });
    await s.start();
    await s.run();
    expect(s.stop).toMatchObject({ reason: 'diverged', iteration: k });
    expect(s.trace.iteration.slice(-2)).toEqual([k - 1, k]);
    expect(s.trace.objective.at(-2)).toBe(1);
    const records = Math.ceil(k / 1000) + 1;
    expect(e.metricsCalls - records).toBeLessThanOrEqual(4 + 64);
  });

  it('a replay that stays finite (an engine that is not deterministic) keeps the record that saw the divergence', async () => {
    const s = new Session(new Blowup(30, true), r3(50));
    await s.start();
    await s.run();
    expect(s.stop).toMatchObject({ reason: 'diverged', iteration: 50 });
  });

  it('single steps need no replay; a run diverging on its first step stops at 1', async () => {
    const inst = instance({ ...preset('r3'), algorithm: { ...preset('r3').algorithm, stepsize: 1e300, iterations: 100, recordEvery: 50 } });
    const e = new Counting();
    const s = new Session(e, inst);
    await s.start();
    await s.run();
    expect(s.stop).toMatchObject({ reason: 'diverged', iteration: 1 });
    expect(s.trace.iteration).toEqual([0, 1]);
    const single = new Session(new CpuEngine(), r3(10));
    await single.start();
    for (let k = 0; k < 20 && !single.done; k++) await single.step(1);
    expect(single.stop?.iteration).toBe(16);
    expect(single.trace.iteration.at(-1)).toBe(16);
  });

  it('HMF with η = 20 (R15): a diverged outcome with its trace and final iterate, not a thrown "UᵀU is singular"', async () => {
    const doc = preset('r15');
    doc.problem = { ...doc.problem, generate: { ...(doc.problem as { generate: object }).generate, N: 10 } } as typeof doc.problem;
    doc.algorithm = { ...doc.algorithm, stepsize: 20, iterations: 200, recordEvery: 5 };
    const out = await runSession(new CpuEngine(), instance(doc));
    expect(out.stop.reason).toBe('diverged');
    expect(out.stop.iteration % 5).not.toBe(0);
    expect(out.trace.iteration.at(-2)).toBe(out.stop.iteration - 1);
    expect(out.trace.objective.slice(0, -1).every(Number.isFinite)).toBe(true);
    expect(out.final.X.length).toBe(60 * 3);
  });
});
