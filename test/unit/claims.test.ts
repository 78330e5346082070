// Claims (src/core/claims.ts): each `at` mode, each relation, comparisons, the outcome and the verdict, on
// hand-made traces, so a false claim is seen to fail; the schema's refusals with their paths; comparison
// runs as JSON merge patches; and `lowrank-lab check`'s report and exit status on small documents.
import { describe, expect, it } from 'vitest';
import { type ClaimRun, PLATEAU, evaluateClaims, formatNumber, relationHolds, runsNeeded } from '../../src/core/claims';
import { checkRuns, compareDocument, mergePatch } from '../../src/core/compare';
import type { Claim } from '../../src/core/document';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { claimRunsOf, claimsView, rowsToTrace } from '../../src/state/claims';
import type { RunRecord } from '../../src/state/store';
import { cli, docFolder, factorizationDoc } from './helpers';

/** A trace recorded every 50 iterations up to 1000: objective 10^(−k/100), consensus error constant from 900 on, λ_min every 500. */
function geometric(): ClaimRun {
  const iteration = Array.from({ length: 21 }, (_, i) => 50 * i);
  return {
    trace: {
      iteration,
      objective: iteration.map((k) => 10 ** (-k / 100)),
      consensusError: iteration.map((k) => (k >= 900 ? 0.5 : 1 + (900 - k) / 100)),
      curvature: iteration.map((k) => (k % 500 === 0 ? (k === 0 ? -3 : 1e-14) : NaN)),
    },
    stop: { reason: 'completed', iteration: 1000 },
    verdict: { kind: 'minimum' },
  };
}

const runs = (main: ClaimRun, others: Record<string, ClaimRun> = {}) => new Map<string, ClaimRun>([['main', main], ...Object.entries(others)]);
/** A claim as the schema completes it (defaults: run "main", at "last", factor 1). */
const claim = (c: Record<string, unknown>): Claim => parseExperiment({ ...factorizationDoc({ n: 4, m: 4, rank: 1, J: 2 }), compare: [{ name: 'slow', patch: {} }], claims: [c] }).claims![0];
const one = (c: Record<string, unknown>, r = runs(geometric())) => evaluateClaims([claim(c)], r)[0];

describe('claims: reading a trace', () => {
  it('at "last", "min", "max" and { iteration: k } read the recorded value there', () => {
    expect(one({ text: 't', metric: 'objective', relation: '<', value: 1e-9 })).toMatchObject({ status: 'holds', value: 1e-10 });
    expect(one({ text: 't', metric: 'objective', at: 'min', relation: '≈', value: 1e-10 }).detail).toMatch(/at its smallest \(iteration 1000\)/);
    expect(one({ text: 't', metric: 'consensusError', at: 'max', relation: '≈', value: 10 })).toMatchObject({ status: 'holds', value: 10 });
    expect(one({ text: 't', metric: 'objective', at: { iteration: 300 }, relation: '≈', value: 1e-3 })).toMatchObject({ status: 'holds', value: 1e-3 });
  });

  it('{ firstBelow: level } reads the first recorded iteration at or below the level (an escape time)', () => {
    // objective 10^(−k/100), recorded every 50: 10⁻³ at 300 exactly, below 2·10⁻³ first at 300 too (10^−2.5 at 250 is above)
    const r = one({ text: 't', metric: 'objective', at: { firstBelow: 1e-3 }, relation: '≈', value: 300 });
    expect(r).toMatchObject({ status: 'holds', value: 300 });
    expect(r.detail).toBe('the iteration at which objective first falls to 0.001 or below (recorded every 50) = 300 ≈ (within 1 %) 300');
    expect(one({ text: 't', metric: 'objective', at: { firstBelow: 2e-3 }, relation: '≈', value: 300 }).value).toBe(300);
    expect(one({ text: 't', metric: 'objective', at: { firstBelow: 1e-3 }, relation: '<', value: 300 }).status).toBe('fails');
    // a comparison of two escape times: the slower run gets there later
    const slow = geometric();
    slow.trace.objective = slow.trace.iteration.map((k) => 10 ** (-k / 200));
    const both = one({ text: 't', left: { metric: 'objective', run: 'slow', at: { firstBelow: 1e-3 } }, relation: '≈', right: { metric: 'objective', at: { firstBelow: 1e-3 } }, factor: 2 }, runs(geometric(), { slow }));
    expect(both).toMatchObject({ status: 'holds', value: 600 });
  });

  it('a run that never falls to the level fails the claim, saying how low it got', () => {
    const r = one({ text: 't', metric: 'objective', at: { firstBelow: 1e-12 }, relation: '<', value: 1e9 });
    expect(r.status).toBe('fails');
    expect(r.value).toBeUndefined();
    expect(r.detail).toBe('the iteration at which objective first falls to 1e-12 or below: it never does in the 1000 iterations recorded (its smallest: 1e-10 at iteration 1000)');
    const diverged = geometric();
    diverged.trace = { iteration: [0, 50], objective: [1, NaN] };
    diverged.stop = { reason: 'diverged', iteration: 50 };
    expect(one({ text: 't', metric: 'objective', at: { firstBelow: 1e-3 }, relation: '<', value: 1e9 }, runs(diverged)).detail).toMatch(/it never does in the 50 iterations recorded \(its smallest: 1 at iteration 0\); the run stopped at iteration 50 \(diverged\)$/);
  });

  it('a false claim is reported as failing, with the measured value', () => {
    const r = one({ text: 'the objective ends below 1e-12', metric: 'objective', relation: '<', value: 1e-12 });
    expect(r.status).toBe('fails');
    expect(r.value).toBe(1e-10);
    expect(r.detail).toBe('objective at the end (iteration 1000) = 1e-10 is not < 1e-12');
    expect(one({ text: 't', metric: 'objective', at: { iteration: 300 }, relation: '>', value: 1e-3 }).status).toBe('fails');
    expect(one({ text: 't', metric: 'objective', at: 'max', relation: '<=', value: 0.5 }).status).toBe('fails');
  });

  it('"plateau" holds only for a trace that has stopped moving over the last 10 % of the run', () => {
    const flat = one({ text: 't', metric: 'consensusError', at: 'plateau', relation: '≈', value: 0.5 });
    expect(flat.status).toBe('holds');
    expect(flat.detail).toMatch(/on its plateau \(iterations 900–1000\)/);
    // the objective falls 10× per record: no plateau, whatever the bound
    const moving = one({ text: 't', metric: 'objective', at: 'plateau', relation: '<', value: 1 });
    expect(moving.status).toBe('fails');
    expect(moving.detail).toMatch(/no plateau: it still changes by 90 % there/);
    // a change within the spread is still a plateau; one just past it is not
    const t = geometric();
    const ce = t.trace.consensusError as number[];
    ce[20] = 0.5 * (1 - PLATEAU.spread / 2);
    expect(one({ text: 't', metric: 'consensusError', at: 'plateau', relation: '<', value: 1 }, runs(t)).status).toBe('holds');
    ce[20] = 0.5 * (1 - 2 * PLATEAU.spread);
    expect(one({ text: 't', metric: 'consensusError', at: 'plateau', relation: '<', value: 1 }, runs(t)).status).toBe('fails');
  });

  it('"plateau" needs enough records in the window', () => {
    const t = geometric();
    const keep = [0, 500, 1000];
    const thin: ClaimRun = { ...t, trace: { iteration: keep, objective: keep.map(() => 1) } };
    const r = one({ text: 't', metric: 'objective', at: 'plateau', relation: '<', value: 2 }, runs(thin));
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/needs at least 3 records .* record more often/);
  });

  it('λ_min is read at the records that have it (the others are NaN, or null in a result file)', () => {
    expect(one({ text: 't', metric: 'curvature', relation: '>=', value: 0, }).value).toBe(1e-14);
    expect(one({ text: 't', metric: 'curvature', at: 'min', relation: '<', value: 0 })).toMatchObject({ status: 'holds', value: -3 });
    const r = one({ text: 't', metric: 'curvature', at: { iteration: 300 }, relation: '<', value: 0 });
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/not recorded at iteration 300/);
    const t = geometric();
    t.trace.curvature = (t.trace.curvature as number[]).map((v) => (Number.isNaN(v) ? null : v));
    expect(one({ text: 't', metric: 'curvature', relation: '>=', value: 0 }, runs(t)).status).toBe('holds');
  });

  it('what the trace cannot answer is an error, not a verdict: a metric not recorded, an iteration between records or past the end', () => {
    expect(one({ text: 't', metric: 'optimalityError', relation: '<', value: 1 })).toMatchObject({ status: 'error', detail: 'the run "main" records no optimalityError' });
    expect(one({ text: 't', metric: 'objective', at: { iteration: 125 }, relation: '<', value: 1 }).detail).toMatch(/iteration 125 is not a record of the run "main" \(records at 0, 50, … 1000\)/);
    expect(one({ text: 't', metric: 'objective', at: { iteration: 2000 }, relation: '<', value: 1 }).detail).toMatch(/iteration 2000 is past the end of the run "main" \(iteration 1000\)/);
  });

  it('a run that diverged before the iteration fails the claim (it is an outcome, not a mistake)', () => {
    const diverged: ClaimRun = { trace: { iteration: [0, 100, 200, 300], objective: [1, 0.1, 0.01, null] }, stop: { reason: 'diverged', iteration: 300 } };
    const r = one({ text: 't', metric: 'objective', at: { iteration: 500 }, relation: '<', value: 1 }, runs(diverged));
    expect(r).toMatchObject({ status: 'fails', detail: 'objective at iteration 500: the run stopped at iteration 300 (diverged)' });
    expect(one({ text: 't', metric: 'objective', relation: '<', value: 1 }, runs(diverged)).status).toBe('fails');
    expect(one({ text: 't', metric: 'objective', at: 'max', relation: '<', value: 10 }, runs(diverged)).status).toBe('fails');
    expect(one({ text: 't', outcome: 'diverged' }, runs(diverged)).status).toBe('holds');
    expect(one({ text: 't', outcome: 'completed' }, runs(diverged))).toMatchObject({ status: 'fails', detail: 'the run stopped: diverged at iteration 300, not completed' });
  });

  it('relations: strict and not, and "≈" within a relative tolerance', () => {
    expect([relationHolds('<', 1, 1), relationHolds('<=', 1, 1), relationHolds('>', 1, 1), relationHolds('>=', 1, 1)]).toEqual([false, true, false, true]);
    expect(relationHolds('≈', 1.009, 1)).toBe(true);
    expect(relationHolds('≈', 1.011, 1)).toBe(false);
    expect(relationHolds('≈', 1.05, 1, 0.1)).toBe(true);
    expect(relationHolds('<', NaN, 1)).toBe(false);
    expect(relationHolds('>', Infinity, 1)).toBe(false);
    expect(one({ text: 't', metric: 'objective', at: { iteration: 100 }, relation: '≈', value: 0.105, tolerance: 0.01 }).status).toBe('fails');
    expect(one({ text: 't', metric: 'objective', at: { iteration: 100 }, relation: '≈', value: 0.105, tolerance: 0.1 }).status).toBe('holds');
  });

  it('comparisons: one run against another, or a run against itself, with a factor', () => {
    const slow = geometric();
    slow.trace.objective = slow.trace.iteration.map((k) => 10 ** (-k / 200));
    const r = runs(geometric(), { slow });
    const ahead = { text: 't', left: { metric: 'objective', run: 'slow', at: { iteration: 400 } }, relation: '>', right: { metric: 'objective', at: { iteration: 400 } } };
    expect(one(ahead, r)).toMatchObject({ status: 'holds', value: 0.01 });
    expect(one({ ...ahead, factor: 101 }, r).status).toBe('fails');
    expect(one({ ...ahead, factor: 99 }, r).detail).toBe('objective (slow) at iteration 400 = 0.01 > 99 × objective at iteration 400 = 1e-4 (ratio 100)');
    // a linear rate: each 100 iterations divide the objective by 10
    const rate = { text: 't', left: { metric: 'objective', at: { iteration: 600 } }, relation: '≈', right: { metric: 'objective', at: { iteration: 500 } }, factor: 0.1, tolerance: 1e-9 };
    expect(one(rate, r).status).toBe('holds');
    expect(one({ ...rate, factor: 0.2 }, r).status).toBe('fails');
  });

  it('outcome and verdict claims', () => {
    expect(one({ text: 't', outcome: 'completed' }).status).toBe('holds');
    expect(one({ text: 't', outcome: 'diverged' }).status).toBe('fails');
    expect(one({ text: 't', verdict: 'minimum' }, runs(geometric())).status).toBe('holds');
    const saddle = { ...geometric(), verdict: { kind: 'strict-saddle' } };
    expect(one({ text: 't', verdict: 'minimum' }, runs(saddle))).toMatchObject({ status: 'fails', detail: 'the verdict is strict-saddle, not minimum' });
  });

  it('a run that has not finished (or not started) leaves its claims pending', () => {
    const running = { ...geometric(), stop: null };
    expect(one({ text: 't', metric: 'objective', relation: '<', value: 1 }, runs(running)).status).toBe('pending');
    expect(one({ text: 't', outcome: 'completed' }, new Map()).status).toBe('pending');
    expect(runsNeeded([claim({ text: 't', left: { metric: 'objective', run: 'main' }, relation: '<', right: { metric: 'objective', run: 'main' } })])).toEqual(['main']);
  });

  it('numbers are shown with three digits, in exponent notation when very small or large', () => {
    expect([formatNumber(7.3812e-25), formatNumber(0.17243), formatNumber(10113.27), formatNumber(2e5), formatNumber(0), formatNumber(-41.03)]).toEqual(['7.38e-25', '0.172', '10100', '2e5', '0', '-41']);
  });
});

describe('claims and comparison runs in the document', () => {
  const base = () => ({ ...factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 40 }), compare: [{ name: 'dgd', patch: { algorithm: { name: 'dgd' } } }] }) as ExperimentInput;
  const refused: { name: string; edit: (d: Record<string, unknown>) => void; message: RegExp }[] = [
    { name: 'a claim that is not an object', edit: (d) => { d.claims = ['objective < 1']; }, message: /^claims\[0\]: a claim is \{ text, metric, at, relation, value \}/ },
    { name: 'a claim of no known form', edit: (d) => { d.claims = [{ text: 't', value: 1 }]; }, message: /^claims\[0\]: a claim is / },
    { name: 'an unknown metric', edit: (d) => { d.claims = [{ text: 't', metric: 'loss', relation: '<', value: 1 }]; }, message: /^claims\[0\]\.metric: must be a recorded metric: objective, consensusError/ },
    { name: 'an unknown "at"', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', at: 'first', relation: '<', value: 1 }]; }, message: /^claims\[0\]\.at: must be "last", "min", "max", "plateau", \{ "iteration": k \} or \{ "firstBelow": level \}/ },
    { name: 'a level that is not a number', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', at: { firstBelow: '1e-3' }, relation: '<', value: 1 }]; }, message: /^claims\[0\]\.at\.firstBelow: must be a number/ },
    { name: '"firstBelow" with another key', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', at: { firstBelow: 1, iteration: 3 }, relation: '<', value: 1 }]; }, message: /^claims\[0\]\.at: must be "last", .* or \{ "firstBelow": level \}/ },
    { name: 'a negative iteration', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', at: { iteration: -1 }, relation: '<', value: 1 }]; }, message: /^claims\[0\]\.at\.iteration: iteration must be at least 0/ },
    { name: 'an unknown relation', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', relation: '=', value: 1 }]; }, message: /^claims\[0\]\.relation: must be one of "<", "<=", ">", ">=", "≈"/ },
    { name: 'no value', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', relation: '<' }]; }, message: /^claims\[0\]\.value: must be a number/ },
    { name: 'no text', edit: (d) => { d.claims = [{ metric: 'objective', relation: '<', value: 1 }]; }, message: /^claims\[0\]\.text: must be a string/ },
    { name: 'an unknown key', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', relation: '<', value: 1, when: 3 }]; }, message: /^claims\[0\]: Unrecognized key: "when"/ },
    { name: 'a tolerance without "≈"', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', relation: '<', value: 1, tolerance: 0.1 }]; }, message: /^claims\[0\]\.tolerance: applies to the relation "≈" only/ },
    { name: 'a run that does not exist', edit: (d) => { d.claims = [{ text: 't', metric: 'objective', run: 'gd', relation: '<', value: 1 }]; }, message: /^claims\[0\]\.run: "gd" names no run; the runs are "main", "dgd"/ },
    { name: 'a comparison against a run that does not exist', edit: (d) => { d.claims = [{ text: 't', left: { metric: 'objective' }, relation: '<', right: { metric: 'objective', run: 'ring' } }]; }, message: /^claims\[0\]\.right\.run: "ring" names no run/ },
    { name: 'a factor ≤ 0', edit: (d) => { d.claims = [{ text: 't', left: { metric: 'objective' }, relation: '<', right: { metric: 'objective', run: 'dgd' }, factor: 0 }]; }, message: /^claims\[0\]\.factor: factor must be > 0/ },
    { name: 'a comparison run named "main"', edit: (d) => { d.compare = [{ name: 'main', patch: {} }]; }, message: /^compare\[0\]\.name: "main" names the document's own run/ },
    { name: 'two comparison runs with one name', edit: (d) => { d.compare = [{ name: 'a', patch: {} }, { name: 'a', patch: {} }]; }, message: /^compare\[1\]\.name: "a" names two comparison runs/ },
    { name: 'a patch of something other than the run settings', edit: (d) => { d.compare = [{ name: 'a', patch: { title: 'x' } }]; }, message: /^compare\[0\]\.patch: must be an object with problem, network, algorithm or init settings/ },
  ];
  it.each(refused)('refuses $name, naming the field', ({ edit, message }) => {
    const doc = base() as Record<string, unknown>;
    edit(doc);
    expect(() => parseExperiment(doc)).toThrow(message);
  });

  it('defaults: run "main", at "last", factor 1', () => {
    const e = parseExperiment({ ...base(), claims: [{ text: 't', metric: 'objective', relation: '<', value: 1 }, { text: 'u', left: { metric: 'objective' }, relation: '<', right: { metric: 'objective', run: 'dgd' } }] });
    expect(e.claims![0]).toEqual({ text: 't', metric: 'objective', run: 'main', at: 'last', relation: '<', value: 1 });
    expect(e.claims![1]).toMatchObject({ left: { run: 'main', at: 'last' }, factor: 1 });
  });

  it('checkRuns: each comparison run must be a valid experiment, each claim readable from its run', () => {
    const doc = base();
    expect([...checkRuns(parseExperiment(doc)).keys()]).toEqual(['main', 'dgd']);
    const badPatch = parseExperiment({ ...doc, compare: [{ name: 'grid', patch: { network: { topology: 'grid' } } }] });
    expect(() => checkRuns(badPatch)).toThrow(/^compare\[0\]\.patch: the run "grid" is not a valid experiment: network\.rows: topology "grid" needs rows and cols/);
    const past = parseExperiment({ ...doc, claims: [{ text: 't', metric: 'objective', run: 'dgd', at: { iteration: 41 }, relation: '<', value: 1 }] });
    expect(() => checkRuns(past)).toThrow(/^claims\[0\]\.at\.iteration: is 41, past the 40 iterations of the run "dgd"/);
    const curvature = parseExperiment({ ...doc, claims: [{ text: 't', metric: 'curvature', relation: '<', value: 1 }] });
    expect(() => checkRuns(curvature)).toThrow(/^claims\[0\]\.metric: the run "main" records no curvature; set algorithm\.curvatureEvery/);
    const verdict = parseExperiment({ ...doc, claims: [{ text: 't', verdict: 'minimum' }] });
    expect(() => checkRuns(verdict)).toThrow(/^claims\[0\]\.verdict: the run "main" records no curvature/);
  });

  it('a claim that does not fit the settings does not make the document invalid (a link may cut the run short)', () => {
    expect(() => parseExperiment({ ...base(), claims: [{ text: 't', metric: 'objective', at: { iteration: 4000 }, relation: '<', value: 1 }] })).not.toThrow();
  });

  it('a comparison run is the document with a JSON merge patch (RFC 7396): objects merge, null removes, the rest replaces', () => {
    expect(mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } })).toEqual({ a: 'z', c: { d: 'e' } });
    expect(mergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(mergePatch({ a: { b: 1 } }, { a: 2 })).toEqual({ a: 2 });
    expect(mergePatch(1, { a: { b: null } })).toEqual({ a: {} });
    const doc = { ...base(), claims: [{ text: 't', outcome: 'completed' }] } as ExperimentInput;
    const gd = compareDocument(doc, { patch: { network: null, algorithm: { name: 'gd' } } }) as Record<string, unknown>;
    expect(gd.network).toBeUndefined();
    expect((gd.algorithm as { name: string; iterations: number })).toMatchObject({ name: 'gd', iterations: 40 });
    expect(gd.claims).toBeUndefined();
    expect(gd.compare).toBeUndefined();
    expect(() => parseExperiment(gd)).not.toThrow();
    // the document is not changed
    expect((doc.network as { topology: string }).topology).toBe('ring');
  });
});

describe('claims in the app: the runs of the last Run', () => {
  const record = (patch: Partial<RunRecord>): RunRecord => ({
    id: 1, label: '', color: '', experiment: factorizationDoc({ n: 4, m: 4, rank: 1, J: 2 }), rows: [], stop: null, engine: 'cpu', reason: '',
    stepsize: null, omega: null, theory: null, W: null, scale: 1, extras: null, pinned: false, ...patch,
  });
  const row = (iteration: number, objective: number) => ({ iteration, objective, consensusError: 0, distributedObjective: objective, optimalityGap: objective, gradientNorm: 0, imbalance: 0 });

  it('rows become trace columns; only the last Run\'s records count', () => {
    expect(rowsToTrace([row(0, 2), { ...row(10, 1), curvature: -1 }])).toMatchObject({ iteration: [0, 10], objective: [2, 1], curvature: [NaN, -1] });
    const runs = claimRunsOf([
      record({ id: 1, batch: 1, claimRun: 'main', rows: [row(0, 5)] }),
      record({ id: 2, batch: 2, claimRun: 'dgd', rows: [row(0, 3)] }),
      record({ id: 3, batch: 2, claimRun: 'main', rows: [row(0, 1)] }),
      record({ id: 4, batch: 2, rows: [row(0, 7)] }), // a link's `also` run: no claim names it
    ]);
    expect([...runs.keys()]).toEqual(['dgd', 'main']);
    expect(runs.get('main')!.trace.objective).toEqual([1]);
  });

  it('neutral before a run, ✓ / ✗ once the runs stopped, and "?" for a claim the edited run cannot answer', () => {
    const doc = { ...factorizationDoc({ n: 4, m: 4, rank: 1, J: 2, iterations: 10 }), claims: [
      { text: 'ends below 1.5', metric: 'objective', relation: '<', value: 1.5 },
      { text: 'ends below 0.5', metric: 'objective', relation: '<', value: 0.5 },
      { text: 'at 20', metric: 'objective', at: { iteration: 20 }, relation: '<', value: 5 },
    ] } as ExperimentInput;
    const before = claimsView(doc, [])!;
    expect(before.idle).toBe(true);
    expect(before.results.map((r) => r.status)).toEqual(['pending', 'pending', 'error']);
    expect(before.results[2].detail).toMatch(/not checkable on these settings: is 20, past the 10 iterations/);
    const stop = { reason: 'completed' as const, iteration: 10, message: '' };
    const after = claimsView(doc, [record({ batch: 1, claimRun: 'main', rows: [row(0, 2), row(10, 1)], stop })])!;
    expect(after.idle).toBe(false);
    expect(after.results.map((r) => r.status)).toEqual(['holds', 'fails', 'error']);
    expect(claimsView(factorizationDoc({ n: 4, m: 4, rank: 1, J: 2 }), [])).toBeNull();
  });
});

describe('CLI: check', () => {
  const { writeDoc } = docFolder('lowrank-check-');
  const doc = (claims: unknown[], extra: Record<string, unknown> = {}) => ({ ...factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 300 }), title: 'small', ...extra, claims });
  const falls = { text: 'the objective falls below its start', left: { metric: 'objective' }, relation: '<', right: { metric: 'objective', at: { iteration: 0 } } };

  it('prints each claim with ✓ and the measured value; exit 0 when all hold', async () => {
    const r = await cli(['check', writeDoc(doc([falls, { text: 'completes', outcome: 'completed' }]))]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/doc\d+\.json: small\n {2}✓ the objective falls below its start\n {6}objective at the end \(iteration 300\) = \S+ < objective at iteration 0 = \S+ \(ratio \S+\)\n {2}✓ completes\n/);
    expect(r.stdout).toMatch(/ {2}2 of 2 claims hold\n$/);
    expect(r.stderr).toMatch(/run "main" on the CPU engine \(float64\): Completed 300 iterations/);
  });

  it('a false claim is ✗ and the exit status 1; the other files are still checked', async () => {
    const wrong = { text: 'the objective ends below 1e-300', metric: 'objective', relation: '<', value: 1e-300 };
    const r = await cli(['check', writeDoc(doc([wrong])), writeDoc(doc([falls]))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ the objective ends below 1e-300\n {6}objective at the end \(iteration 300\) = \S+ is not < 1e-300\n {2}0 of 1 claim hold/);
    expect(r.stdout).toMatch(/1 of 1 claim hold\n$/);
  });

  it('runs the comparison runs the claims read', async () => {
    const compare = [{ name: 'slow', patch: { algorithm: { stepsize: { rule: 'practical', c: 0.05 } } } }, { name: 'unread', patch: { algorithm: { name: 'dgd' } } }];
    const slower = { text: 'a smaller step is slower', left: { metric: 'objective', run: 'slow' }, relation: '>', right: { metric: 'objective' } };
    const r = await cli(['check', writeDoc(doc([slower], { compare }))]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/run "slow"/);
    expect(r.stderr).not.toMatch(/run "unread"/);
    expect(r.stdout).toMatch(/✓ a smaller step is slower\n {6}objective \(slow\) at the end \(iteration 300\) = \S+ > objective at the end/);
  });

  it('a malformed file is exit 2 with the field named; one the runs cannot answer too', async () => {
    const bad = await cli(['check', writeDoc(doc([{ text: 't', metric: 'objective', relation: '=', value: 1 }])), writeDoc(doc([falls]))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: \S+doc\d+\.json: claims\[0\]\.relation: must be one of/m);
    expect(bad.stdout).toMatch(/1 of 1 claim hold/); // the next file was checked
    const between = await cli(['check', writeDoc(doc([{ text: 't', metric: 'objective', at: { iteration: 150 }, relation: '<', value: 1 }], { algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: 300, recordEvery: 100 } }))]);
    expect(between.code).toBe(2);
    expect(between.stdout).toMatch(/\? t\n {6}cannot be checked: iteration 150 is not a record of the run "main"/);
    const past = await cli(['check', writeDoc(doc([{ text: 't', metric: 'objective', at: { iteration: 400 }, relation: '<', value: 1 }]))]);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/claims\[0\]\.at\.iteration: is 400, past the 300 iterations of the run "main"/);
    const missing = await cli(['check', '/nonexistent/x.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read \/nonexistent\/x\.json: ENOENT/);
  });

  it('a document without claims has nothing to check; usage errors are exit 2', async () => {
    const r = await cli(['check', writeDoc(factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 5 }))]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no claims to check/);
    expect((await cli(['check'])).code).toBe(2);
    const backend = await cli(['check', 'x.json', '--backend', 'quantum']);
    expect(backend.code).toBe(2);
    expect(backend.stderr).toMatch(/backend "quantum" does not exist/);
    expect((await cli(['--help'])).stderr).toMatch(/lowrank-lab check FILE\.json\.\.\. \[--backend cpu\|webgpu\|auto\]/);
  });

  it('validate checks the comparison runs and the claims against them, and says how many there are', async () => {
    const ok = await cli(['validate', writeDoc(doc([falls], { compare: [{ name: 'dgd', patch: { algorithm: { name: 'dgd' } } }] }))]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/\n {2}claims: 1, checked by `check`; comparison runs: "dgd"\n$/);
    const bad = await cli(['validate', writeDoc(doc([falls], { compare: [{ name: 'gd', patch: { algorithm: { name: 'gd' }, network: { topology: 'grid' } } }] }))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/compare\[0\]\.patch: the run "gd" is not a valid experiment/);
  });
});
