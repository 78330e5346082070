// Claims about a sweep's cells (document.ts CellValueClaimSchema, CellCompareClaimSchema; claims.ts
// pickCell): the schema's refusals and the checks against the sweep's axes, with their paths; evaluation on
// hand-made cells (a false claim fails, a cell where every seed diverged fails, a metric the sweep does not
// record cannot be checked); a small real sweep read by the app's view; and `check` running the sweep.
import { describe, expect, it } from 'vitest';
import { type ClaimSweep, type ClaimSweepCell, evaluateClaims, runsNeeded } from '../../src/core/claims';
import { checkRuns } from '../../src/core/compare';
import type { Claim } from '../../src/core/document';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { planSweep } from '../../src/core/sweep';
import { OneByOne, runSweep } from '../../src/engine/sweep';
import { claimsView, sweepClaimsView } from '../../src/state/claims';
import { cli, docFolder, factorizationDoc } from './helpers';

/** A small sweep: DGD and DGD+LOCAL for three step sizes (the largest diverges), two seeds. */
const sweepDoc = (claims: unknown[] = []): ExperimentInput => ({
  ...factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 300 }),
  title: 'small sweep',
  sweep: {
    x: { param: 'algorithm.stepsize', values: [0.001, 0.02, 5] },
    y: { param: 'algorithm.name', values: ['dgd', 'dgd-local'] },
    seeds: 2,
    tolerance: 1e-6,
  },
  claims,
} as ExperimentInput);

const claimOf = (c: Record<string, unknown>): Claim => parseExperiment(sweepDoc([c])).claims![0];

const spread = (median: number, min = median, max = median) => ({ median, min, max });
const cell = (xi: number, yi: number, patch: Partial<ClaimSweepCell> = {}): ClaimSweepCell => ({
  xi, yi, trials: 2, successRate: 1, divergedRate: 0, omega: 0.4, bound: 5e-4,
  objective: spread(1e-3, 1e-4, 1e-2), consensusError: spread(1e-6), optimalityGap: spread(1e-3), relativeGap: spread(1e-5, 1e-6, 1e-4),
  relativeError: null, sharedError: null, uniqueError: null, subspaceError: null, iterationsToTolerance: spread(100, 50, 150),
  ...patch,
});
/** cells of the small sweep's grid: x = 0.001, 0.02, 5 against y = dgd, dgd-local */
const handMade = (): ClaimSweep => ({
  x: { param: 'algorithm.stepsize', label: 'step size μ', values: [0.001, 0.02, 5] },
  y: { param: 'algorithm.name', label: 'algorithm', values: ['dgd', 'dgd-local'] },
  cells: [
    cell(0, 0), cell(1, 0, { consensusError: spread(1e-3, 1e-4, 2e-3) }), cell(2, 0, { divergedRate: 1, successRate: 0, objective: null, consensusError: null, optimalityGap: null, relativeGap: null, iterationsToTolerance: null }),
    cell(0, 1, { successRate: 0, iterationsToTolerance: null }), cell(1, 1, { consensusError: spread(1e-9) }),
  ],
});
const one = (c: Record<string, unknown>, sweep: ClaimSweep | null = handMade()) => evaluateClaims([claimOf(c)], new Map(), sweep)[0];

describe('claims about a sweep\'s cells: the schema', () => {
  const refused: { name: string; claim: Record<string, unknown>; message: RegExp }[] = [
    { name: 'a metric no cell has', claim: { text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'curvature', relation: '<', value: 1 }, message: /^claims\[0\]\.metric: must be an outcome of a sweep's cell: objective, consensusError, .*successRate, divergedRate, omega, bound/ },
    { name: 'an unknown stat', claim: { text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'objective', stat: 'mean', relation: '<', value: 1 }, message: /^claims\[0\]\.stat: must be "median", "min", "max"/ },
    { name: 'a stat of a one-number outcome', claim: { text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'successRate', stat: 'min', relation: '<', value: 1 }, message: /^claims\[0\]\.stat: successRate is one number per cell, not a spread over its seeds; leave "stat" out/ },
    { name: 'a cell that is not an object', claim: { text: 't', cell: 0.001, metric: 'objective', relation: '<', value: 1 }, message: /^claims\[0\]\.cell: must be \{ "x": value, "y": value \}/ },
    { name: 'a cell with an unknown key', claim: { text: 't', cell: { x: 0.001, z: 1 }, metric: 'objective', relation: '<', value: 1 }, message: /^claims\[0\]\.cell: Unrecognized key: "z"/ },
    { name: 'a run on a cell claim', claim: { text: 't', cell: { x: 0.001, y: 'dgd' }, run: 'main', metric: 'objective', relation: '<', value: 1 }, message: /^claims\[0\]: Unrecognized key: "run"/ },
    { name: 'a tolerance without "≈"', claim: { text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'objective', relation: '<', value: 1, tolerance: 0.1 }, message: /^claims\[0\]\.tolerance: applies to the relation "≈" only/ },
    { name: 'a comparison side without its metric', claim: { text: 't', left: { cell: { x: 0.001, y: 'dgd' } }, relation: '<', right: { cell: { x: 0.02, y: 'dgd' }, metric: 'objective' } }, message: /^claims\[0\]\.left\.metric: must be an outcome of a sweep's cell/ },
    { name: 'a comparison with a stat on a rate', claim: { text: 't', left: { cell: { x: 0.001, y: 'dgd' }, metric: 'objective' }, relation: '<', right: { cell: { x: 0.02, y: 'dgd' }, metric: 'divergedRate', stat: 'max' } }, message: /^claims\[0\]\.right\.stat: divergedRate is one number per cell/ },
  ];
  it.each(refused)('refuses $name, naming the field', ({ claim, message }) => {
    expect(() => parseExperiment(sweepDoc([claim]))).toThrow(message);
  });

  it('the cells must be the sweep\'s: checkRuns (validate, check) names the axis and its values', () => {
    const misfit = (c: Record<string, unknown>, doc = sweepDoc([c])) => () => checkRuns(parseExperiment(doc));
    expect(misfit({ text: 't', cell: { x: 0.002, y: 'dgd' }, metric: 'objective', relation: '<', value: 1 }))
      .toThrow(/^claims\[0\]\.cell\.x: is 0\.002, not a value of the sweep's x axis \(algorithm\.stepsize\): 0\.001, 0\.02, 5/);
    expect(misfit({ text: 't', cell: { x: 0.001, y: 'gd' }, metric: 'objective', relation: '<', value: 1 }))
      .toThrow(/^claims\[0\]\.cell\.y: is "gd", not a value of the sweep's y axis \(algorithm\.name\): "dgd", "dgd-local"/);
    expect(misfit({ text: 't', left: { cell: { x: 0.001 }, metric: 'objective' }, relation: '<', right: { cell: { x: 0.02, y: 'dgd' }, metric: 'objective' } }))
      .toThrow(/^claims\[0\]\.left\.cell: needs "y": a value of algorithm\.name/);
    const noSweep = { ...sweepDoc(), sweep: undefined, claims: [{ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'objective', relation: '<', value: 1 }] };
    expect(() => checkRuns(parseExperiment(noSweep))).toThrow(/^claims\[0\]: is about a cell of a sweep, and the document has no sweep/);
    const oneAxis = { ...sweepDoc(), sweep: { x: { param: 'algorithm.stepsize', values: [0.001, 0.02] } }, claims: [{ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'objective', relation: '<', value: 1 }] };
    expect(() => checkRuns(parseExperiment(oneAxis))).toThrow(/^claims\[0\]\.cell\.y: the sweep has no y axis; name the cell by x alone/);
    // a range's points, as the CSV writes them, name their cells
    const range = { ...sweepDoc(), sweep: { x: { param: 'algorithm.stepsize', range: { from: 3e-5, to: 0.1, steps: 8, scale: 'log' } } }, claims: [{ text: 't', cell: { x: 0.000305368200125 }, metric: 'objective', relation: '<', value: 1 }] };
    expect(() => checkRuns(parseExperiment(range))).toThrow(/is 0\.000305368200125, not a value/);
    const onPoint = { ...range, claims: [{ text: 't', cell: { x: planSweep(parseExperiment(range)).x.values[2] }, metric: 'objective', relation: '<', value: 1 }] };
    expect(() => checkRuns(parseExperiment(onPoint))).not.toThrow();
  });

  it('defaults: factor 1; a cell claim reads no run', () => {
    const c = claimOf({ text: 't', left: { cell: { x: 0.001, y: 'dgd' }, metric: 'objective' }, relation: '<', right: { cell: { x: 0.02, y: 'dgd' }, metric: 'objective' } });
    expect(c).toMatchObject({ factor: 1 });
    expect(runsNeeded([c])).toEqual([]);
  });
});

describe('claims about a sweep\'s cells: evaluation', () => {
  it('reads the median by default, or the min or max over the seeds', () => {
    const r = one({ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'objective', relation: '≈', value: 1e-3 });
    expect(r).toMatchObject({ status: 'holds', value: 1e-3 });
    expect(r.detail).toBe('objective at step size μ = 0.001, algorithm = dgd (median over 2 seeds) = 0.001 ≈ (within 1 %) 0.001');
    expect(one({ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'objective', stat: 'max', relation: '≈', value: 1e-2 })).toMatchObject({ status: 'holds', value: 1e-2 });
    expect(one({ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'objective', stat: 'min', relation: '<', value: 1e-3 })).toMatchObject({ status: 'holds', value: 1e-4 });
    expect(one({ text: 't', cell: { x: 0.02, y: 'dgd-local' }, metric: 'omega', relation: '≈', value: 0.4 }).detail).toBe('omega at step size μ = 0.02, algorithm = dgd-local = 0.4 ≈ (within 1 %) 0.4');
  });

  it('a false claim fails with the measured value', () => {
    const r = one({ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'relativeGap', relation: '<', value: 1e-6 });
    expect(r).toMatchObject({ status: 'fails', value: 1e-5 });
    expect(r.detail).toMatch(/^relativeGap at step size μ = 0\.001, algorithm = dgd \(median over 2 seeds\) = 1e-5 is not < 1e-6$/);
    expect(one({ text: 't', cell: { x: 0.001, y: 'dgd-local' }, metric: 'successRate', relation: '>=', value: 0.5 }).status).toBe('fails');
  });

  it('compares two cells, with a factor', () => {
    const c = { text: 't', left: { cell: { x: 0.02, y: 'dgd-local' }, metric: 'consensusError' }, relation: '<', right: { cell: { x: 0.02, y: 'dgd' }, metric: 'consensusError', stat: 'min' }, factor: 1e-4 };
    const r = one(c);
    expect(r.status).toBe('holds');
    expect(r.detail).toBe('consensusError at step size μ = 0.02, algorithm = dgd-local (median over 2 seeds) = 1e-9 < 1e-4 × consensusError at step size μ = 0.02, algorithm = dgd (min over 2 seeds) = 1e-4 (ratio 1e-5)');
    expect(one({ ...c, factor: 1e-6 }).status).toBe('fails');
  });

  it('a cell whose every seed diverged fails an outcome claim; a cell no seed brought to the tolerance fails iterationsToTolerance', () => {
    const diverged = one({ text: 't', cell: { x: 5, y: 'dgd' }, metric: 'objective', relation: '<', value: 1e300 });
    expect(diverged.status).toBe('fails');
    expect(diverged.detail).toMatch(/objective at step size μ = 5, algorithm = dgd .*: every seed diverged$/);
    expect(one({ text: 't', cell: { x: 5, y: 'dgd' }, metric: 'divergedRate', relation: '≈', value: 1 }).status).toBe('holds');
    const slow = one({ text: 't', cell: { x: 0.001, y: 'dgd-local' }, metric: 'iterationsToTolerance', relation: '<', value: 1e9 });
    expect(slow.status).toBe('fails');
    expect(slow.detail).toMatch(/: no seed reached the tolerance$/);
  });

  it('a metric the sweep\'s runs do not record cannot be checked (a document mistake), saying which problems record it', () => {
    const r = one({ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'subspaceError', relation: '<', value: 1 });
    expect(r.status).toBe('error');
    expect(r.detail).toBe('the runs of this sweep record no subspaceError (only a planted HMF problem records it)');
    expect(one({ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'relativeError', relation: '<', value: 1 }).detail).toMatch(/only a planted sensing, completion or RPCA problem/);
    expect(one({ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'bound', relation: '<', value: 1 }, { ...handMade(), cells: [cell(0, 0, { bound: null })] }).status).toBe('error');
  });

  it('pending without a sweep, or for a cell the sweep has not run (cancelled)', () => {
    expect(one({ text: 't', cell: { x: 0.001, y: 'dgd' }, metric: 'objective', relation: '<', value: 1 }, null)).toMatchObject({ status: 'pending', detail: 'waiting for the sweep to finish' });
    expect(one({ text: 't', cell: { x: 0.02, y: 'dgd' }, metric: 'objective', relation: '<', value: 1 }, { ...handMade(), cells: [cell(0, 0)] }).status).toBe('pending');
  });
});

describe('claims about a sweep\'s cells on a real sweep', () => {
  const claims = [
    { text: 'μ = 5 diverges for both algorithms', cell: { x: 5, y: 'dgd' }, metric: 'divergedRate', relation: '≈', value: 1 },
    { text: 'μ = 0.02 ends with a smaller objective than μ = 0.001 (DGD+LOCAL)', left: { cell: { x: 0.02, y: 'dgd-local' }, metric: 'objective', stat: 'max' }, relation: '<', right: { cell: { x: 0.001, y: 'dgd-local' }, metric: 'objective', stat: 'min' } },
    { text: 'false: μ = 0.001 reaches the tolerance on every seed', cell: { x: 0.001, y: 'dgd-local' }, metric: 'successRate', relation: '≈', value: 1 },
  ];

  it('the app\'s view: pending before the sweep, ✓ and ✗ after it, and the run view leaves them to the Sweep tab', async () => {
    const doc = sweepDoc(claims);
    expect(sweepClaimsView(doc, null)!.results.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    expect(claimsView(doc, [])).toBeNull();
    const plan = planSweep(parseExperiment(doc));
    const result = await runSweep(plan, new OneByOne());
    const view = sweepClaimsView(doc, result)!;
    expect(view.idle).toBe(false);
    expect(view.results.map((r) => r.status), view.results.map((r) => r.detail).join('\n')).toEqual(['holds', 'holds', 'fails']);
    expect(sweepClaimsView(doc, { ...result, cancelled: true })!.results.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    // a sweep edited so that a claim's cell is gone: that claim says why
    const edited = { ...doc, sweep: { ...doc.sweep!, x: { param: 'algorithm.stepsize', values: [0.001, 0.02] } } } as ExperimentInput;
    expect(sweepClaimsView(edited, null)!.results[0]).toMatchObject({ status: 'error', detail: expect.stringMatching(/^not checkable on these settings: is 5, not a value of the sweep's x axis/) });
  }, 60_000);

  it('check runs the sweep and reports its claims; exit 1 for a false one, 2 for a metric the runs do not record', async () => {
    const { writeDoc } = docFolder('lowrank-sweep-claims-');
    const r = await cli(['check', writeDoc(sweepDoc(claims)), '--jobs', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/: sweep: 12 runs \(3 × 2 cells × 2 seeds\) of algorithm\.stepsize × algorithm\.name on the CPU engine\n/);
    expect(r.stderr).toMatch(/: sweep: done, 12 runs in /);
    expect(r.stdout).toMatch(/ {2}✓ μ = 5 diverges for both algorithms\n {6}divergedRate at step size μ = 5, algorithm = dgd \(2 seeds\) = 1 ≈ \(within 1 %\) 1\n/);
    expect(r.stdout).toMatch(/ {2}✗ false: μ = 0\.001 reaches the tolerance on every seed\n {6}successRate at step size μ = 0\.001, algorithm = dgd-local \(2 seeds\) = \S+ is not ≈/);
    expect(r.stdout).toMatch(/ {2}2 of 3 claims hold\n$/);
    const bad = await cli(['check', writeDoc(sweepDoc([{ text: 't', cell: { x: 0.02, y: 'dgd' }, metric: 'relativeError', relation: '<', value: 1 }])), '--jobs', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/\? t\n {6}cannot be checked: the runs of this sweep record no relativeError/);
  }, 120_000);
});
