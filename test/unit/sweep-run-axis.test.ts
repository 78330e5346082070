// The sweep's `run` axis (src/core/sweep-schema.ts): its values name the document's runs ("main" and its
// comparison runs), a cell on it is that run's document with the other axis's value set, and a sweep over it
// runs what the comparison runs run. Bad names, numbers and ranges are refused with the field named.
import { describe, expect, it } from 'vitest';
import { compareDocument } from '../../src/core/compare';
import { PAGE_BUDGET, checkSweepBudget } from '../../src/core/budget';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { cellDocument, csvHeader, planSweep, sweepCsv } from '../../src/core/sweep';
import { parseAxisText, sweepParamsFor } from '../../src/core/sweep-schema';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { OneByOne, runSweep } from '../../src/engine/sweep';
import { instance } from './helpers';
import { parseCsv } from '../support/csv';

const compare = [
  { name: 'JIVE', patch: { algorithm: { name: 'jive', beta: null, iterations: 3, recordEvery: 1 } } },
  { name: 'perPCA', patch: { algorithm: { name: 'perpca', beta: null, stepsize: 0.5, iterations: 30, recordEvery: 10 } } },
];
const doc = (sweep: unknown, runs: unknown = compare): ExperimentInput => ({
  format: 'lowrank-lab/experiment', version: 1,
  problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 2, generate: { seed: 3, N: 4, n1: 12, n2: 10, missing: 0.1 } },
  algorithm: { name: 'hmf', stepsize: 0.2, iterations: 300, recordEvery: 50, beta: 0.1 },
  init: { seed: 2, scale: 0.1 },
  ...(runs ? { compare: runs } : {}),
  sweep,
} as ExperimentInput);
const methods = (values: unknown) => ({ x: { param: 'problem.generate.missing', values: [0, 0.3] }, y: { param: 'run', values }, seeds: 2 });
const message = (d: unknown) => {
  try {
    planSweep(parseExperiment(d));
    return 'no error';
  } catch (err) {
    return (err as Error).message;
  }
};

describe('the run axis refuses what names no run', () => {
  it.each([
    ['a name that is no run', doc(methods(['main', 'JIVE', 'RJIVE'])), /^sweep\.y\.values\[2\]: "RJIVE" names no run of this document; the runs are "main", "JIVE", "perPCA"$/],
    ['a document without comparison runs', doc(methods(['main', 'JIVE']), null), /^sweep\.y\.values\[1\]: "JIVE" names no run of this document; the runs are "main" \(add the others to "compare", each with its patch\)$/],
    ['a number', doc(methods(['main', 1])), /^sweep\.y\.values\[1\]: is 1; the run axis takes the names of the document's runs \("main" and the names in "compare"\)$/],
    ['a range', doc({ x: { param: 'run', range: { from: 1, to: 2, steps: 2 } } }), /^sweep\.x\.range: the run axis takes the names of the document's runs; list them in "values"/],
    ['a name twice', doc(methods(['JIVE', 'JIVE'])), /^sweep\.y\.values: lists a value twice$/],
    ['a run whose patch makes no valid experiment', doc(methods(['main', 'bad']), [{ name: 'bad', patch: { algorithm: { name: 'jive' } } }]),
      /^sweep\.y\.values\[1\]: run = bad: algorithm\.beta: is an option of HMF's Algorithm 1/],
  ])('%s', (_name, d, expected) => {
    expect(message(d)).toMatch(expected);
  });

  it('is offered for every kind, and its text is a list of names', () => {
    for (const kind of ['hmf', 'factorization']) expect(sweepParamsFor(kind).map((p) => p.path)).toContain('run');
    expect(parseAxisText('run', 'main, JIVE,perPCA')).toEqual({ param: 'run', values: ['main', 'JIVE', 'perPCA'] });
  });
});

describe('a cell on the run axis is that run', () => {
  const plan = planSweep(parseExperiment(doc(methods(['main', 'JIVE', 'perPCA']))));

  it('the comparison run\'s document with the other value and the seeds set, and no comparison runs of its own', () => {
    const base = parseExperiment(doc(undefined));
    for (const [yi, name] of ['main', 'JIVE', 'perPCA'].entries()) {
      const run = name === 'main' ? base : parseExperiment(compareDocument(base, compare[yi - 1]));
      const cell = parseExperiment(cellDocument(plan, 1, yi, 1));
      expect(cell).not.toHaveProperty('compare');
      expect(cell.algorithm).toEqual(run.algorithm);
      expect(cell.problem).toEqual({ ...run.problem, generate: { ...(run.problem as { generate: object }).generate, missing: 0.3, seed: 4 } });
      expect(cell.init.seed).toBe(3);
    }
    expect(csvHeader(plan).slice(0, 2)).toEqual(['problem.generate.missing', 'run']);
  });

  it('the swept value wins over a patch that sets the same field', () => {
    const runs = [{ name: 'dense', patch: { problem: { generate: { missing: 0.9 } }, algorithm: { iterations: 20 } } }];
    const p = planSweep(parseExperiment(doc(methods(['main', 'dense']), runs)));
    const cell = parseExperiment(cellDocument(p, 1, 1, 0));
    expect((cell.problem as { generate: { missing: number } }).generate.missing).toBe(0.3);
    expect(cell.algorithm.iterations).toBe(20);
  });

  it('the budget sizes each run\'s cell', () => {
    expect(() => checkSweepBudget(plan, PAGE_BUDGET)).not.toThrow();
  });

  it('the sweep runs what each run runs: the trials end where the plain runs end', async () => {
    const small = planSweep(parseExperiment(doc({ x: { param: 'run', values: ['main', 'JIVE', 'perPCA'] }, seeds: 1 })));
    const res = await runSweep(small, new OneByOne());
    expect(res.trials).toHaveLength(3);
    const base = parseExperiment(doc(undefined));
    for (const t of res.trials) {
      const run = t.cell === 0 ? base : parseExperiment(compareDocument(base, compare[t.cell - 1]));
      const ref = await runSession(new CpuEngine(), instance(run));
      expect(t.final.iteration).toBe(run.algorithm.iterations);
      expect(t.final.subspaceError).toBe(ref.trace.subspaceError!.at(-1));
    }
    // three methods, three different ends
    expect(new Set(res.trials.map((t) => t.final.subspaceError)).size).toBe(3);
  });

  it('a run name with a comma or a quote stays one field of the sweep\'s CSV', async () => {
    const named = [{ name: 'JIVE, "zeros"', patch: compare[0].patch }];
    const small = planSweep(parseExperiment(doc({ x: { param: 'run', values: ['main', 'JIVE, "zeros"'] }, seeds: 1 }, named)));
    const res = await runSweep(small, new OneByOne());
    const text = sweepCsv(small, res.cells);
    expect(text.split('\n')[2].startsWith('"JIVE, ""zeros""",')).toBe(true);
    // read back, the name is one field and the row as long as the header
    const rows = parseCsv(text);
    expect(rows).toHaveLength(3);
    expect(rows[2][0]).toBe('JIVE, "zeros"');
    expect(rows[2]).toHaveLength(rows[0].length);
  });
});
