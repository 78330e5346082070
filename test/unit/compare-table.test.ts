// The Compare methods table (src/core/compare-table.ts), the one CSV writer (src/core/csv.ts), and the
// CLI's `run --table-csv`: the file it writes is the writer's text of the table of the runs, and its
// numbers are the runs' last recorded metrics, read here from each run's own result document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCsvRows, compareTable, compareText, formatCompareValue, traceOfRows } from '../../src/core/compare-table';
import { csvField, toCsv } from '../../src/core/csv';
import type { MetricsRow } from '../../src/core/metrics';
import { cli, docFolder } from './helpers';
import { parseCsv } from '../support/csv';

describe('the CSV writer', () => {
  it('quotes a field with a comma, a quote, CR or LF (quotes doubled), and nothing else', () => {
    expect(csvField('HMF')).toBe('HMF');
    expect(csvField('completion, rank 5')).toBe('"completion, rank 5"');
    expect(csvField('JIVE "zeros"')).toBe('"JIVE ""zeros"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' spaced ')).toBe(' spaced ');
  });
  it('writes numbers with every digit, non-finite ones spelled out, and nothing as an empty field (never 0)', () => {
    expect(toCsv([[0.1 + 0.2, 1e-300, NaN, -Infinity, null, undefined, 0]])).toBe('0.30000000000000004,1e-300,NaN,-Infinity,,,0\n');
  });
  it('reads back as the cells it was given, whatever the names hold', () => {
    const rows = [['run', 'value'], ['a,b', '1'], ['say "hi"', '2'], ['multi\nline, "both"', ''], ['', 'x']];
    const text = toCsv(rows);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseCsv(text)).toEqual(rows);
  });
});

const trace = (iteration: number[], series: Record<string, (number | undefined)[]>) => ({ iteration, ...series });

describe('the Compare methods table', () => {
  const hmf = { name: 'main', kind: 'hmf', algorithm: 'hmf', stop: { reason: 'completed' }, trace: trace([0, 10, 20], { objective: [9, 2, 1.5], testRmse: [1, 0.8, 0.765], consensusError: [0, 0, 0], optimalityGap: [9, 2, 1.5], feasibility: [1e-16, 2e-16, 3e-16] }) };
  const completion = { name: 'completion, rank 5', kind: 'completion', algorithm: 'gd', stop: { reason: 'completed' }, trace: trace([0, 15], { objective: [50, 40], testRmse: [1.2, 0.779], consensusError: [0, 0], optimalityGap: [50, 40] }) };

  it('has one row per run and the columns of the first run\'s kind that some run records; a metric a run lacks is empty', () => {
    const t = compareTable([hmf, completion]);
    // HMF's family of columns: no consensus error or optimality gap (0 and the objective again for HMF's methods)
    expect(t.columns.map((c) => c.key)).toEqual(['testRmse', 'objective', 'feasibility']);
    expect(t.rows.map((r) => [r.name, r.algorithm, r.status, r.iteration])).toEqual([['main', 'hmf', 'completed', 20], ['completion, rank 5', 'gd', 'completed', 15]]);
    expect(t.rows[0].values).toEqual([0.765, 1.5, 3e-16]);
    // completion records no feasibility: null, written as an empty field
    expect(t.rows[1].values).toEqual([0.779, 40, null]);
    // a mix of kinds counts iterations; HMF alone counts rounds
    expect(t.step).toBe('iteration');
    expect(compareTable([hmf]).step).toBe('round');
    const csv = parseCsv(toCsv(compareCsvRows(t)));
    expect(csv).toEqual([
      ['run', 'algorithm', 'status', 'iteration', 'testRmse', 'objective', 'feasibility'],
      ['main', 'hmf', 'completed', '20', '0.765', '1.5', '3e-16'],
      ['completion, rank 5', 'gd', 'completed', '15', '0.779', '40', ''],
    ]);
  });

  it('on a network: consensus error for DGD+LOCAL, empty for centralized GD (it has no copies to disagree)', () => {
    const f = (algorithm: string, name: string) => ({ name, kind: 'factorization', algorithm, stop: { reason: 'completed' }, trace: trace([0, 5], { objective: [4, 3], consensusError: [1, 0.25], optimalityGap: [2, 1], gradientNorm: [3, 2] }) });
    const t = compareTable([f('dgd-local', 'main'), f('gd', 'GD')]);
    expect(t.columns.map((c) => c.key)).toEqual(['objective', 'optimalityGap', 'consensusError', 'gradientNorm']);
    expect(t.rows[0].values).toEqual([3, 1, 0.25, 2]);
    expect(t.rows[1].values).toEqual([3, 1, null, 2]);
  });

  it('a diverged run shows its last record\'s non-finite values and says it diverged; an unfinished or waiting run says so', () => {
    const diverged = { ...hmf, name: 'big step', stop: { reason: 'diverged' }, trace: trace([0, 10], { objective: [9, Infinity], testRmse: [1, NaN], feasibility: [0, NaN] }) };
    const running = { ...hmf, name: 'half', stop: null, trace: trace([0, 10], { objective: [9, 5], testRmse: [1, 0.9], feasibility: [0, 0] }) };
    const waiting = { ...hmf, name: 'later', stop: null, trace: trace([], {}) };
    const t = compareTable([hmf, diverged, running, waiting]);
    expect(t.rows.map((r) => r.status)).toEqual(['completed', 'diverged', 'unfinished', 'waiting']);
    expect(t.rows[1].values).toEqual([NaN, Infinity, NaN]);
    expect(t.rows[3]).toMatchObject({ iteration: null, values: [null, null, null] });
    expect(parseCsv(toCsv(compareCsvRows(t)))[2]).toEqual(['big step', 'hmf', 'diverged', '10', 'NaN', 'Infinity', 'NaN']);
  });

  it('reads a series only where it is aligned with the records (a shorter one is not a last value)', () => {
    const t = compareTable([{ ...hmf, trace: trace([0, 10, 20], { objective: [3, 2, 1], testRmse: [0.9, 0.8] }) }]);
    expect(t.columns.map((c) => c.key)).toEqual(['objective']);
  });

  it('takes the app\'s records as a trace: a metric a row lacks stays unrecorded', () => {
    const rows = [{ iteration: 0, objective: 2, testRmse: 1 }, { iteration: 5, objective: 1 }] as unknown as MetricsRow[];
    const t = compareTable([{ name: 'main', kind: 'hmf', algorithm: 'hmf', stop: null, trace: traceOfRows(rows) }]);
    expect(t.columns.map((c) => c.key)).toEqual(['objective']);
    expect(t.rows[0]).toMatchObject({ status: 'unfinished', iteration: 5, values: [1] });
  });

  it('shows 4 significant digits, in powers of ten for the very small and the large', () => {
    expect([0.765, 40, 1.228e-6, 15480, 0, -2.5e-4, NaN, null].map(formatCompareValue)).toEqual(['0.7650', '40.00', '1.228e-6', '1.548e+4', '0.000', '-2.500e-4', 'NaN', '']);
  });

  it('refuses a kind it does not know, naming it', () => {
    expect(() => compareTable([{ ...hmf, kind: 'tensor' }])).toThrow(/unknown problem kind "tensor"/);
  });

  it('as text: a caption that says what the values are, then aligned columns; a line break in a name does not break a line', () => {
    const text = compareText(compareTable([hmf, { ...completion, name: 'two\nlines' }]));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Compare methods: Each value is the last one its run recorded, at the iteration in the "iteration" column/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^run\s+algorithm\s+status\s+iteration\s+test RMSE\s+objective\s+feasibility$/);
    expect(lines[3]).toMatch(/^two lines\s+gd\s+completed\s+15\s+0\.7790\s+40\.00$/);
    // the columns line up: every value starts where its header does
    expect(lines[2].indexOf('0.7650')).toBe(lines[1].indexOf('test RMSE'));
  });
});

describe('run --table-csv in the CLI', () => {
  const { dir, writeDoc } = docFolder('lowrank-compare-');
  const base = {
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 1, generate: { seed: 1, N: 4, n1: 12, n2: 10, missing: 0.1 } },
    algorithm: { name: 'hmf', stepsize: 0.2, iterations: 30, recordEvery: 10, beta: 0.1 },
    init: { seed: 1, scale: 0.01 },
  };
  const jive = { name: 'jive', stepsize: 0.2, iterations: 5, recordEvery: 1 };
  const perpca = { name: 'perpca', stepsize: 0.2, iterations: 20, recordEvery: 10 };
  const doc = {
    ...base,
    compare: [
      { name: 'JIVE, "zeros"', patch: { algorithm: { ...jive, beta: null } } },
      { name: 'perPCA', patch: { algorithm: { ...perpca, beta: null } } },
    ],
  };

  it('runs the comparison runs, prints the table and writes its CSV; each number is that run\'s last recorded metric', async () => {
    const out = join(dir, 'result.json'), csvFile = join(dir, 'table.csv');
    const r = await cli(['run', writeDoc(doc), '--out', out, '--table-csv', csvFile]);
    expect(r.stderr).not.toMatch(/^error:/m);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/run "perPCA": Completed 20 rounds\./);
    expect(r.stderr).toMatch(/Compare methods: Each value is the last one its run recorded, at the round in the "round" column/);
    const written = readFileSync(csvFile, 'utf8');
    // each run on its own, written out by hand (no merge patch): its result document's trace
    const own = async (algorithm: object) => {
      const f = join(dir, `${(algorithm as { name: string }).name}.json`);
      const run = await cli(['run', writeDoc({ ...base, algorithm }), '--out', f]);
      expect(run.code).toBe(0);
      return JSON.parse(readFileSync(f, 'utf8')) as { trace: { iteration: number[] } & Record<string, number[]>; stop: { reason: string } };
    };
    const main = JSON.parse(readFileSync(out, 'utf8')) as { trace: { iteration: number[] } & Record<string, number[]>; stop: { reason: string } };
    const results = [main, await own(jive), await own(perpca)];
    const rows = parseCsv(written);
    expect(rows).toHaveLength(4);
    expect(rows.map((row) => row[0])).toEqual(['run', 'main', 'JIVE, "zeros"', 'perPCA']);
    const head = rows[0];
    expect(head.slice(0, 4)).toEqual(['run', 'algorithm', 'status', 'round']);
    expect(head).toEqual(expect.arrayContaining(['subspaceError', 'objective', 'feasibility']));
    results.forEach((res, k) => {
      const row = rows[k + 1];
      expect(row[2]).toBe(res.stop.reason);
      expect(Number(row[3])).toBe(res.trace.iteration.at(-1));
      for (const key of ['subspaceError', 'objective', 'feasibility']) expect(Number(row[head.indexOf(key)])).toBe(res.trace[key].at(-1));
    });
    // the file is the writer's text of the table of those runs
    const table = compareTable([
      { name: 'main', kind: 'hmf', algorithm: 'hmf', trace: main.trace, stop: main.stop },
      { name: 'JIVE, "zeros"', kind: 'hmf', algorithm: 'jive', trace: results[1].trace, stop: results[1].stop },
      { name: 'perPCA', kind: 'hmf', algorithm: 'perpca', trace: results[2].trace, stop: results[2].stop },
    ]);
    expect(written).toBe(toCsv(compareCsvRows(table)));
  }, 60_000);

  it('bad --table-csv: a missing value, an unwritable folder, the --out file again — exit 2 before any run', async () => {
    const f = writeDoc(doc);
    expect(await cli(['run', f, '--table-csv'])).toMatchObject({ code: 2, stderr: 'error: --table-csv needs a value\n' });
    const missing = await cli(['run', f, '--table-csv', join(dir, 'no-such-folder', 't.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: cannot write --table-csv .*t\.csv: the folder .*no-such-folder does not exist\n$/);
    const same = await cli(['run', f, '--out', join(dir, 'x.csv'), '--table-csv', join(dir, 'x.csv')]);
    expect(same).toMatchObject({ code: 2 });
    expect(same.stderr).toMatch(/--table-csv and --out both name/);
    // only run has a table
    expect((await cli(['validate', f, '--table-csv', join(dir, 't.csv')])).stderr).toMatch(/unknown option --table-csv/);
    // a table of the comparison runs without them
    const both = await cli(['run', f, '--no-compare', '--table-csv', join(dir, 't.csv')]);
    expect(both).toMatchObject({ code: 2 });
    expect(both.stderr).toMatch(/^error: --table-csv writes the table of the comparison runs, which --no-compare leaves out; give one of them\n$/);
  });

  it('--no-compare runs the document\'s own run only: the same result, no comparison run, no table', async () => {
    const f = writeDoc(doc), a = join(dir, 'with.json'), b = join(dir, 'without.json');
    const all = await cli(['run', f, '--out', a]);
    const own = await cli(['run', f, '--out', b, '--no-compare']);
    expect([all.code, own.code]).toEqual([0, 0]);
    expect(all.stderr).toMatch(/run "perPCA": Completed/);
    expect(own.stderr).not.toMatch(/run "|Compare methods/);
    const trace = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { trace: unknown }).trace;
    expect(trace(b)).toEqual(trace(a));
    expect((await cli(['validate', f, '--no-compare'])).stderr).toMatch(/unknown option --no-compare/);
  }, 60_000);
});
