// Sweeps: the document field (every invalid input named), the cells as plain experiments, and the CPU
// sweep against the same runs done one by one with the float64 engine.
import { describe, expect, it } from 'vitest';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { aggregate, cellDocument, csvHeader, median, planSweep, sweepCsv } from '../../src/core/sweep';
import { SWEEP_PARAMS, axisValues } from '../../src/core/sweep-schema';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { OneByOne, type SweepProgress, mergeProgress, mergeSweeps, runSweep } from '../../src/engine/sweep';
import { theoryReport } from '../../src/core/theory';
import { keepSweep, keptSweep, sweepKey } from '../../src/state/sweep-store';
import { factorizationDoc, hmfSweepDoc, instance, nodeInstance, preset } from './helpers';

const base = (): ExperimentInput => ({ ...factorizationDoc({ n: 8, m: 12, rank: 2, J: 4, iterations: 300, topology: 'erdos-renyi' }), algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: 300, recordEvery: 20 } });
const withSweep = (sweep: unknown) => ({ ...base(), sweep });
const parseMessage = (doc: unknown) => {
  try {
    planSweep(parseExperiment(doc));
    return 'no error';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('sweep document: every invalid input gets a message naming the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['unknown parameter', { x: { param: 'algorithm.momentum', values: [1] } }, /^sweep\.x\.param: "algorithm\.momentum" cannot be swept; sweepable parameters: algorithm\.stepsize, /],
    ['empty list', { x: { param: 'network.p', values: [] } }, /^sweep\.x\.values: values must list at least one value$/],
    ['neither values nor range', { x: { param: 'network.p' } }, /^sweep\.x: give exactly one of "values" \(a list\) or "range"/],
    ['both values and range', { x: { param: 'network.p', values: [0.5], range: { from: 0.2, to: 0.8, steps: 3 } } }, /^sweep\.x: give exactly one of "values"/],
    ['range with one step', { x: { param: 'network.p', range: { from: 0.2, to: 0.8, steps: 1 } } }, /^sweep\.x\.range\.steps: steps must be at least 2$/],
    ['range with equal ends', { x: { param: 'network.p', range: { from: 0.2, to: 0.2, steps: 4 } } }, /^sweep\.x\.range\.to: equals from \(0\.2\)/],
    ['log range through zero', { x: { param: 'algorithm.stepsize', range: { from: 0, to: 1e-2, steps: 4, scale: 'log' } } }, /^sweep\.x\.range\.from: a log range needs from, to > 0, got from = 0, to = 0\.01$/],
    ['unknown range scale', { x: { param: 'network.p', range: { from: 0.2, to: 0.8, steps: 4, scale: 'cubic' } } }, /^sweep\.x\.range\.scale: scale must be "linear" or "log"$/],
    ['non-finite value', { x: { param: 'network.p', values: [0.5, 'a'] } }, /^sweep\.x\.values\[1\]: must be a number$/],
    ['a name for a numeric parameter', { x: { param: 'network.p', values: [0.5, 'high'] } }, /^sweep\.x\.values\[1\]: must be a number$/],
    ['a name the parameter does not take', { x: { param: 'algorithm.name', values: ['dgd', 'adam'] } }, /^sweep\.x\.values\[1\]: "adam" is not one of dgd-local, dgd, gd$/],
    ['a range for named values', { x: { param: 'algorithm.name', range: { from: 1, to: 2, steps: 2 } } }, /^sweep\.x\.range: algorithm\.name takes named values; list them in "values"$/],
    ['fraction for an integer parameter', { x: { param: 'network.J', values: [4, 4.5] } }, /^sweep\.x\.values: network\.J takes integers, got 4\.5$/],
    ['a value listed twice', { x: { param: 'network.p', values: [0.5, 0.5] } }, /^sweep\.x\.values: lists a value twice$/],
    ['the same parameter twice', { x: { param: 'network.p', values: [0.5] }, y: { param: 'network.p', values: [0.6] } }, /^sweep\.y\.param: is the same parameter as x \(network\.p\)/],
    ['too many cells', { x: { param: 'network.p', range: { from: 0.1, to: 1, steps: 100 } }, y: { param: 'init.scale', range: { from: 0.1, to: 1, steps: 100 } } }, /^sweep: has 100 × 100 = 10000 cells, more than the 4096 a sweep may have$/],
    ['seeds zero', { x: { param: 'network.p', values: [0.5] }, seeds: 0 }, /^sweep\.seeds: seeds must be at least 1$/],
    ['too many seeds', { x: { param: 'network.p', values: [0.5] }, seeds: 65 }, /^sweep\.seeds: seeds must be at most 64$/],
    ['negative tolerance', { x: { param: 'network.p', values: [0.5] }, tolerance: -1 }, /^sweep\.tolerance: tolerance must be > 0$/],
    ['unknown sweep field', { x: { param: 'network.p', values: [0.5] }, z: 1 }, /^sweep: Unrecognized key: "z"$/],
    ['a value the experiment refuses', { x: { param: 'network.p', values: [0.5, 1.5] } }, /^sweep\.x\.values\[1\]: network\.p = 1\.5: network\.p: p must be in \(0, 1\]$/],
    ['a rank above min(n, m)', { x: { param: 'algorithm.stepsize', values: [1e-3] }, y: { param: 'problem.rank', values: [2, 9] } }, /^sweep\.y\.values\[1\]: problem\.rank = 9: problem\.rank: is 9 but must be at most min\(n, m\) = 8$/],
    ['an integer range that rounds to the same value twice', { x: { param: 'network.J', range: { from: 2, to: 3, steps: 4 } } }, /^sweep\.x\.range: gives the value 2 twice \(network\.J takes integers\)/],
  ];
  it.each(cases)('%s', (_name, sweep, message) => {
    expect(parseMessage(withSweep(sweep))).toMatch(message);
  });

  it('a document without a sweep says how to add one', () => {
    expect(parseMessage(base())).toMatch(/^sweep: the document has no sweep; add "sweep"/);
  });
});

describe('sweep plan and cells', () => {
  it('ranges are evenly spaced (log: geometric), integers rounded; defaults fill seeds and tolerance', () => {
    expect(axisValues({ param: 'network.p', range: { from: 0.2, to: 0.8, steps: 4, scale: 'linear' } })).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(axisValues({ param: 'algorithm.stepsize', range: { from: 1e-4, to: 1e-2, steps: 3, scale: 'log' } })).toEqual([1e-4, 1e-3, 1e-2]);
    expect(axisValues({ param: 'network.J', range: { from: 2, to: 8, steps: 4, scale: 'linear' } })).toEqual([2, 4, 6, 8]);
    const plan = planSweep(parseExperiment(withSweep({ x: { param: 'network.p', values: [0.3, 0.9] }, y: { param: 'algorithm.stepsize.c', values: [0.25, 0.5, 1] } })));
    expect(plan.seeds).toBe(1);
    expect(plan.sweep.tolerance).toBe(1e-8);
    expect(plan.cells).toBe(6);
    expect(plan.base).not.toHaveProperty('sweep');
  });

  it('a cell is the base document with the values set and k added to the data and initial seeds', () => {
    const plan = planSweep(parseExperiment(withSweep({ x: { param: 'network.p', values: [0.3, 0.9] }, y: { param: 'algorithm.stepsize.c', values: [0.25, 0.5] }, seeds: 3 })));
    const doc = cellDocument(plan, 1, 0, 2);
    const b = parseExperiment(base());
    expect(doc).toEqual({
      ...b,
      problem: { ...b.problem, generate: { ...(b.problem as { generate: object }).generate, seed: 3 } },
      network: { ...b.network, p: 0.9 },
      algorithm: { ...b.algorithm, stepsize: { rule: 'practical', c: 0.25 } },
      init: { ...b.init, seed: 4 },
    });
    expect(() => parseExperiment(doc)).not.toThrow();
  });

  it('every parameter of the allow-list writes the field its path names', () => {
    // (the run axis names a run, not a field: test/unit/sweep-run-axis.test.ts)
    for (const p of SWEEP_PARAMS.filter((q) => !q.run)) {
      const doc: Record<string, unknown> = { algorithm: {}, network: {}, problem: { generate: {} }, init: {} };
      p.set(doc, 3);
      const keys = p.path.split('.');
      let o: unknown = doc;
      for (const k of keys) o = (o as Record<string, unknown>)[k];
      expect(o, p.path).toBe(3);
    }
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('a CPU sweep equals the same runs done one by one (float64)', () => {
  it('step factor × edge probability, 3 seeds: final metrics, iterations to tolerance, divergence', async () => {
    const doc = withSweep({
      x: { param: 'algorithm.stepsize.c', values: [0.5, 1, 40] },
      y: { param: 'network.p', values: [0.4, 0.9] },
      seeds: 3, tolerance: 1e-2,
    });
    const plan = planSweep(parseExperiment(doc));
    const progress: number[] = [];
    const res = await runSweep(plan, new OneByOne(), { onProgress: (p) => progress.push(p.fraction) });
    expect(res.cancelled).toBe(false);
    expect(res.trials).toHaveLength(18);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1])).toBe(true);
    let diverged = 0, reached = 0;
    for (const t of res.trials) {
      const xi = t.cell % 3, yi = Math.floor(t.cell / 3);
      // the reference document is written out here, not taken from cellDocument
      const b = base();
      const ref: ExperimentInput = {
        ...b,
        problem: { ...b.problem, generate: { ...(b.problem as { generate: { seed: number } }).generate, seed: 1 + t.seed } } as ExperimentInput['problem'],
        network: { ...b.network, p: [0.4, 0.9][yi] },
        algorithm: { ...b.algorithm, stepsize: { rule: 'practical', c: [0.5, 1, 40][xi] } },
        init: { ...b.init, seed: 2 + t.seed },
      };
      const inst = nodeInstance(ref);
      const out = await runSession(new CpuEngine(), inst);
      const tr = out.trace;
      const last = tr.iteration.length - 1;
      expect(t.diverged).toBe(out.stop.reason === 'diverged');
      expect(t.stepsize).toBe(inst.stepsize);
      expect(t.omega).toBe(inst.omega);
      expect(t.certifiedBound).toBe(theoryReport(inst).verdicts.find((v) => v.name.startsWith('(3.7) certified, [N]'))!.bound);
      // a sweep sees a divergence at the record; a session reports the first non-finite iteration before it
      expect(t.final.iteration).toBe(t.diverged ? Math.min(inst.iterations, Math.ceil(out.stop.iteration / inst.recordEvery) * inst.recordEvery) : tr.iteration[last]);
      if (!t.diverged) {
        expect(t.final.objective).toBe(tr.objective[last]);
        expect(t.final.consensusError).toBe(tr.consensusError[last]);
        expect(t.final.optimalityGap).toBe(tr.optimalityGap[last]);
      } else diverged++;
      const scale = (inst.problem as { Y: { data: Float64Array } }).Y.data.reduce((s, v) => s + v * v, 0);
      const first = tr.iteration.find((_, i) => tr.optimalityGap[i] <= 1e-2 * scale);
      expect(t.iterationsToTolerance).toBe(first ?? null);
      if (t.iterationsToTolerance !== null) reached++;
    }
    // the grid covers both outcomes: c = 40 diverges, c = 1 reaches the tolerance
    expect(diverged).toBe(6);
    expect(reached).toBeGreaterThanOrEqual(6);
    // aggregation: success rate and median per cell
    const cell = res.cells.find((c) => c.xi === 2 && c.yi === 0)!;
    expect(cell.divergedRate).toBe(1);
    expect(cell.successRate).toBe(0);
    expect(cell.objective).toBeNull();
    const c0 = res.cells.find((c) => c.xi === 0 && c.yi === 1)!;
    const objs = res.trials.filter((t) => t.cell === c0.cell).map((t) => t.final.objective).sort((a, b) => a - b);
    expect(c0.objective).toMatchObject({ median: objs[1], min: objs[0], max: objs[2] });
    const mean = (objs[0] + objs[1] + objs[2]) / 3;
    expect(c0.objective!.mean).toBeCloseTo(mean, 12);
    expect(c0.objective!.std).toBeCloseTo(Math.sqrt(objs.reduce((t, x) => t + (x - mean) ** 2, 0) / 2), 12);
  });

  it('split into shards (one per worker) and merged, a sweep equals the unsplit one; progress adds up', async () => {
    const plan = planSweep(parseExperiment(withSweep({ x: { param: 'algorithm.stepsize.c', values: [0.5, 40] }, y: { param: 'network.p', values: [0.4, 0.9] }, seeds: 2, tolerance: 1e-2 })));
    const whole = await runSweep(plan, new OneByOne());
    const last: (SweepProgress | null)[] = [null, null, null];
    const parts = await Promise.all([0, 1, 2].map((index) => runSweep(plan, new OneByOne(), { shard: { index, count: 3 }, onProgress: (p) => (last[index] = p) })));
    expect(parts.map((p) => p.trials.length)).toEqual([3, 3, 2]);
    expect(parts[1].trials.map((t) => [t.cell, t.seed])).toEqual([[0, 1], [2, 0], [3, 1]]); // trials 1, 4, 7
    const merged = mergeSweeps(parts);
    expect(merged.trials).toEqual(whole.trials);
    expect(merged.cells).toEqual(whole.cells);
    expect(sweepCsv(plan, merged.cells)).toBe(sweepCsv(plan, whole.cells));
    expect(merged.batches).toBe(whole.batches);
    expect(mergeProgress(last, plan.trials)).toMatchObject({ runsDone: 8, runs: 8, fraction: 1 });
    expect(mergeProgress([last[0], null, null], plan.trials)).toMatchObject({ runsDone: 3, fraction: 3 / 8 });
    await expect(runSweep(plan, new OneByOne(), { shard: { index: 3, count: 3 } })).rejects.toThrow(/shard 3 of 3: needs 0 ≤ index < count/);
  });

  it('the CSV has one row per cell, columns named after the parameters and the outcomes', async () => {
    const plan = planSweep(parseExperiment(withSweep({ x: { param: 'algorithm.stepsize.c', values: [0.5, 40] }, seeds: 2, tolerance: 1e-3 })));
    const res = await runSweep(plan, new OneByOne());
    const lines = sweepCsv(plan, res.cells).trim().split('\n');
    expect(lines[0]).toBe(csvHeader(plan).join(','));
    expect(lines[0].split(',').slice(0, 2)).toEqual(['algorithm.stepsize.c', 'trials']);
    for (const col of ['objective_median', 'objective_min', 'objective_max', 'consensusError_median', 'optimalityGap_median', 'iterationsToTolerance_median', 'successRate', 'divergedRate']) {
      expect(lines[0].split(',')).toContain(col);
    }
    expect(lines).toHaveLength(3);
    const row = (i: number) => Object.fromEntries(lines[0].split(',').map((k, j) => [k, lines[i].split(',')[j]]));
    expect(row(1)['algorithm.stepsize.c']).toBe('0.5');
    expect(row(2).divergedRate).toBe('1');
    expect(row(2).objective_median).toBe('');
    expect(Number(row(1).objective_median)).toBe(aggregate(plan, res.trials)[0].objective!.median);
    // mean ± sample standard deviation over the seeds, from the two trials of the cell themselves
    const [a, b] = res.trials.filter((t) => t.cell === 0).map((t) => t.final.objective);
    expect(a).not.toBe(b);
    expect(Number(row(1).objective_mean)).toBeCloseTo((a + b) / 2, 12);
    expect(Number(row(1).objective_std)).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12);
    expect(row(2).objective_mean).toBe('');
    expect(row(2).objective_std).toBe('');
  });

  it('one seed per cell has a mean and no standard deviation (an empty field, not 0)', async () => {
    const plan = planSweep(parseExperiment(withSweep({ x: { param: 'algorithm.stepsize.c', values: [0.5] }, seeds: 1 })));
    const res = await runSweep(plan, new OneByOne());
    const lines = sweepCsv(plan, res.cells).trim().split('\n');
    const row = Object.fromEntries(lines[0].split(',').map((k, j) => [k, lines[1].split(',')[j]]));
    expect(Number(row.objective_mean)).toBe(res.trials[0].final.objective);
    expect(row.objective_std).toBe('');
  });

  it('cancelling stops between records and keeps what finished', async () => {
    const plan = planSweep(parseExperiment(withSweep({ x: { param: 'algorithm.stepsize.c', values: [0.25, 0.5, 0.75, 1] }, seeds: 2 })));
    const ac = new AbortController();
    const res = await runSweep(plan, new OneByOne(), { signal: ac.signal, onProgress: (p) => p.runsDone >= 3 && ac.abort() });
    expect(res.cancelled).toBe(true);
    expect(res.trials.length).toBe(3);
  });

  it('the first sweep preset is a valid sweep of step size × connectivity', () => {
    const plan = planSweep(parseExperiment(preset('sweep-dgd-local-step-omega')));
    expect(plan.x.param).toBe('algorithm.stepsize');
    expect(plan.y?.param).toBe('network.p');
    expect(plan.base.algorithm.name).toBe('dgd-local');
  });
});

describe('axis text (links and the app)', () => {
  it('round-trips lists and ranges', async () => {
    const { axisText, parseAxisText } = await import('../../src/core/sweep-schema');
    for (const a of [
      { param: 'network.p', values: [0.2, 0.35, 1] },
      { param: 'algorithm.stepsize', range: { from: 3e-5, to: 0.1, steps: 8, scale: 'log' as const } },
      { param: 'network.J', range: { from: 2, to: 10, steps: 5, scale: 'linear' as const } },
    ]) expect(parseAxisText(a.param, axisText(a))).toEqual(a);
    expect(parseAxisText('network.p', ' 0.5 , 1 ')).toEqual({ param: 'network.p', values: [0.5, 1] });
    expect(() => parseAxisText('network.p', '0.5,,1')).toThrow(/is neither a list of numbers \(0\.2,0\.35,0\.5\) nor a range/);
    expect(() => parseAxisText('network.p', 'a..b:3')).toThrow(/"a\.\.b:3": the ends of a range must be numbers/);
    expect(parseAxisText('network.p', '')).toEqual({ param: 'network.p', values: [] });
  });
});

describe('a completion sweep', () => {
  it('succeeds on recovery (‖UVᵀ − M⋆‖² ≤ tol·‖M⋆‖²), as the one-by-one runs record it', async () => {
    const doc = {
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'completion', rank: 2, lambda: 0.5, pObs: 0.3, generate: { seed: 5, n: 20, m: 20 } },
      algorithm: { name: 'gd', stepsize: { rule: 'practical', c: 0.5 }, iterations: 800, recordEvery: 50 },
      init: { seed: 5, scale: 0.01 },
      sweep: { x: { param: 'problem.pObs', values: [0.08, 0.6] }, seeds: 2, tolerance: 1e-6 },
    };
    const plan = planSweep(parseExperiment(doc));
    const res = await runSweep(plan, new OneByOne());
    for (const t of res.trials) {
      const ref = await runSession(new CpuEngine(), instance(cellDocument(plan, t.cell, 0, t.seed)));
      const p = instance(cellDocument(plan, t.cell, 0, t.seed)).problem as { truth: { data: Float64Array } };
      const truth = p.truth.data.reduce((s, v) => s + v * v, 0);
      expect(t.truthScale).toBe(truth);
      const errs = ref.trace.optimalityError!;
      const first = ref.trace.iteration.find((_, i) => (errs[i] as number) <= 1e-6 * truth);
      expect(t.iterationsToTolerance).toBe(first ?? null);
      expect(t.final.optimalityError).toBe(errs.at(-1));
    }
    expect(res.cells.map((c) => c.successRate)).toEqual([0, 1]);
    expect(res.cells[0].relativeError!.median).toBeGreaterThan(1e-2);
    expect(sweepCsv(plan, res.cells).split('\n')[0].split(',')).toContain('relativeError_median');
  });
});

describe('an HMF sweep', () => {
  const doc = hmfSweepDoc();

  it('runs its trials one by one on the CPU engine with the HMF errors as outcomes and no network figures', async () => {
    const plan = planSweep(parseExperiment(doc));
    const res = await runSweep(plan, new OneByOne());
    expect(res.trials).toHaveLength(4);
    for (const t of res.trials) {
      const ref = await runSession(new CpuEngine(), instance(cellDocument(plan, t.cell, 0, t.seed)));
      expect(t.final.subspaceError).toBe(ref.trace.subspaceError!.at(-1));
      expect(t.final.sharedError).toBe(ref.trace.sharedError!.at(-1));
      expect(t.omega).toBeNull();
      expect(t.bound).toBeNull();
    }
    // the larger step gets further in the same rounds
    expect(res.cells[1].subspaceError!.median).toBeLessThan(res.cells[0].subspaceError!.median);
    expect(res.cells.every((c) => c.consensusError === null && c.bound === null && c.omega === null)).toBe(true);
    const [head, ...rows] = sweepCsv(plan, res.cells).trim().split('\n').map((l) => l.split(','));
    for (const col of ['sharedError_median', 'uniqueError_median', 'subspaceError_median']) expect(head).toContain(col);
    const at = (row: string[], col: string) => row[head.indexOf(col)];
    for (const row of rows) {
      expect([at(row, 'omega'), at(row, 'bound'), at(row, 'consensusError_median')]).toEqual(['', '', '']);
      expect(Number(at(row, 'subspaceError_median'))).toBeGreaterThan(0);
    }
  });

  it('HMF parameters can be swept', () => {
    const plan = planSweep(parseExperiment({ ...doc, sweep: { x: { param: 'algorithm.beta', values: [0, 0.1] }, y: { param: 'problem.generate.missing', values: [0, 0.2] } } }));
    const cell = parseExperiment(cellDocument(plan, 1, 1, 0));
    expect((cell.algorithm as { beta: number }).beta).toBe(0.1);
    expect((cell.problem as { generate: { missing: number } }).generate.missing).toBe(0.2);
  });
});

describe('sweeps kept in the browser', () => {
  it('the key of a document ignores the order of its fields; without IndexedDB nothing is kept and nothing fails', async () => {
    expect(sweepKey({ a: 1, b: { c: [2, { e: 1, d: 0 }], d: 3 } })).toBe(sweepKey({ b: { d: 3, c: [2, { d: 0, e: 1 }] }, a: 1 }));
    expect(sweepKey({ a: 1 })).not.toBe(sweepKey({ a: 2 }));
    expect(sweepKey({ a: [1, 2] })).not.toBe(sweepKey({ a: [2, 1] }));
    await expect(keepSweep({ a: 1 }, {} as never)).resolves.toBeUndefined();
    await expect(keptSweep({ a: 1 })).resolves.toBeNull();
  });
});

describe('the HMF sweep preset', () => {
  it('says what it shows: the float64 floor with every entry observed, orders of magnitude lost per step of missing entries, β = 1 slower', async () => {
    const plan = planSweep(parseExperiment(preset('sweep-hmf-missing-beta')));
    const res = await runSweep(plan, new OneByOne());
    const at = (missing: number, beta: number) => res.cells.find((c) => c.x === missing && c.y === beta)!.subspaceError!.median;
    for (const beta of [0, 0.01, 0.1]) {
      expect(at(0, beta)).toBeLessThan(1e-14);
      expect(at(0.1, beta)).toBeLessThan(2e-6);
      expect(at(0.3, beta)).toBeLessThan(2e-4);
      expect(at(0.5, beta)).toBeGreaterThan(0.05);
      expect(at(0.7, beta)).toBeGreaterThan(1);
      // monotone in the missing fraction
      const row = [0, 0.1, 0.3, 0.5, 0.7].map((m) => at(m, beta));
      expect(row.every((v, i) => i === 0 || v > row[i - 1])).toBe(true);
    }
    expect(at(0.3, 1)).toBeGreaterThan(10 * at(0.3, 0));
  });
});
