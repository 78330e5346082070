// `npm run cli -- sweep`: the CSV (one row per cell, columns named after the parameters and the outcomes),
// progress on stderr, and exit status 2 with one line naming the field for bad input.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cli, docFolder, factorizationDoc } from './helpers';

const { dir, writeDoc } = docFolder('lowrank-sweep-cli-');


const doc = (sweep: unknown) => ({ ...factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 100 }), sweep });

describe('CLI: sweep', () => {
  it('writes one CSV row per cell with the parameters as the first columns; progress on stderr', async () => {
    const out = join(dir, 'sweep.csv');
    const r = await cli(['sweep', writeDoc(doc({ x: { param: 'algorithm.stepsize.c', values: [0.25, 0.5, 30] }, y: { param: 'init.scale', values: [0.1, 0.5] }, seeds: 2, tolerance: 1e-4 })), '--out', out, '--jobs', '1']);
    expect(r.stderr).toMatch(/^sweep: 12 runs \(3 × 2 cells × 2 seeds\) of algorithm\.stepsize\.c × init\.scale on the CPU engine\n/);
    expect(r.stderr).toMatch(/^sweep: \d+\/12 runs, \d+ %/m);
    expect(r.stderr).toMatch(/sweep: done, 12 runs in [0-9.]+ s \([0-9.]+ runs\/s, 12 batches\); 4 diverged\n$/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    expect(head.slice(0, 3)).toEqual(['algorithm.stepsize.c', 'init.scale', 'trials']);
    for (const col of ['objective_median', 'consensusError_median', 'optimalityGap_median', 'iterationsToTolerance_median', 'successRate', 'divergedRate']) expect(head).toContain(col);
    expect(lines).toHaveLength(7);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
    expect(rows.map((row) => [row['algorithm.stepsize.c'], row['init.scale']])).toEqual([['0.25', '0.1'], ['0.5', '0.1'], ['30', '0.1'], ['0.25', '0.5'], ['0.5', '0.5'], ['30', '0.5']]);
    expect(rows.map((row) => row.divergedRate)).toEqual(['0', '0', '1', '0', '0', '1']);
  });

  it('--jobs splits a CPU sweep over worker threads: the same CSV as one thread, progress over all of them', async () => {
    const f = writeDoc(doc({ x: { param: 'algorithm.stepsize.c', values: [0.25, 0.5, 30] }, y: { param: 'init.scale', values: [0.1, 0.5] }, seeds: 3, tolerance: 1e-4 }));
    const one = await cli(['sweep', f, '--jobs', '1']);
    const three = await cli(['sweep', f, '--jobs', '3']);
    expect([one.code, three.code]).toEqual([0, 0]);
    expect(three.stderr).toMatch(/^sweep: 18 runs \(3 × 2 cells × 3 seeds\) of algorithm\.stepsize\.c × init\.scale on the CPU engine, in 3 worker threads\n/);
    expect(three.stderr).toMatch(/sweep: 18\/18 runs, 100 %\n/);
    expect(three.stderr).toMatch(/sweep: done, 18 runs in [0-9.]+ s \([0-9.]+ runs\/s, 18 batches\); 6 diverged\n$/);
    expect(three.stdout).toBe(one.stdout);
    expect(one.stdout.trim().split('\n')).toHaveLength(7);
    // more threads than runs: one thread per run
    expect((await cli(['sweep', writeDoc(doc({ x: { param: 'network.p', values: [0.5, 1] } })), '--jobs', '8'])).stderr).toMatch(/on the CPU engine, in 2 worker threads\n/);
  });

  it.each(['0', '1.5', 'many', '65'])('--jobs %s: exit 2, the option named', async (v) => {
    const r = await cli(['sweep', writeDoc(doc({ x: { param: 'network.p', values: [0.5, 1] } })), '--jobs', v]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: --jobs ${v.replace('.', '\\.')}: give a whole number of worker threads from 1 to 64`));
  });

  const invalid: [string, unknown, RegExp][] = [
    ['a document without a sweep', factorizationDoc({ n: 6, m: 8, rank: 2, J: 4 }), /^error: sweep: the document has no sweep/],
    ['an unknown parameter', doc({ x: { param: 'network.weights', values: [1] } }), /^error: sweep\.x\.param: "network\.weights" cannot be swept/],
    ['an empty list', doc({ x: { param: 'network.p', values: [] } }), /^error: sweep\.x\.values: values must list at least one value/],
    ['a value the experiment refuses', doc({ x: { param: 'problem.rank', values: [1, 7] } }), /^error: sweep\.x\.values\[1\]: problem\.rank = 7: problem\.rank: is 7 but must be at most min\(n, m\) = 6/],
  ];
  it.each(invalid)('%s: exit 2, one line naming the field', async (_name, d, message) => {
    const r = await cli(['sweep', writeDoc(d)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('the real entry point writes the CSV to stdout', async () => {
    const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', 'sweep', writeDoc(doc({ x: { param: 'network.p', values: [0.5, 1] } }))], { cwd: join(import.meta.dirname, '../..') });
    expect(stdout.split('\n')[0].split(',').slice(0, 2)).toEqual(['network.p', 'trials']);
    expect(stdout.trim().split('\n')).toHaveLength(3);
    expect(stderr).toMatch(/sweep: done, 2 runs/);
  });
});
