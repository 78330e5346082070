// A sweep past one machine: `sweep FILE --shard K/N --out part-K.csv` runs shard K of N (the runs t with
// t mod N = K − 1), `merge part-*.csv` aggregates the parts. Merged cells equal the unsplit sweep's byte for
// byte; a shard may run on another engine; every inconsistency among the parts is refused in one line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, docFolder, factorizationDoc } from './helpers';

const { dir, writeDoc } = docFolder('lowrank-sweep-shards-');
const sweep = { x: { param: 'algorithm.stepsize.c', values: [0.25, 0.5, 30] }, y: { param: 'init.scale', values: [0.1, 0.5] }, seeds: 3, tolerance: 1e-4 };
const doc = { ...factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 100 }), sweep };
const file = writeDoc(doc);
const part = (name: string) => join(dir, name);

async function shards(count: number, backend = (_k: number) => 'cpu', prefix = 'part'): Promise<string[]> {
  const files: string[] = [];
  for (let k = 1; k <= count; k++) {
    const out = part(`${prefix}-${k}.csv`);
    const r = await cli(['sweep', file, '--shard', `${k}/${count}`, '--backend', backend(k), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`shard ${k}/${count}: the runs t with t mod ${count} = ${k - 1}`);
    files.push(out);
  }
  return files;
}

const rows = (csv: string) => {
  const [head, ...lines] = csv.trim().split('\n').map((l) => l.split(','));
  return lines.map((l) => Object.fromEntries(l.map((v, i) => [head[i], v])));
};

describe('CLI: sharded sweeps (sweep --shard K/N, merge)', () => {
  it('three shards, merged in any order, give the unsplit sweep’s CSV byte for byte', async () => {
    const whole = await cli(['sweep', file, '--jobs', '1']);
    expect(whole.code).toBe(0);
    const [p1, p2, p3] = await shards(3);
    // each part holds its own runs only: 18 runs, 6 per shard
    for (const p of [p1, p2, p3]) expect(readFileSync(p, 'utf8').trim().split('\n')).toHaveLength(3 + 6);
    const out = part('merged.csv');
    const m = await cli(['merge', p3, p1, p2, '--out', out]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stderr).toBe('merge: 3 shards, 18 runs, 6 cells (engines: cpu)\n');
    expect(readFileSync(out, 'utf8')).toBe(whole.stdout);
    expect(rows(whole.stdout).map((r) => r.divergedRate)).toEqual(['0', '0', '1', '0', '0', '1']);
  });

  it('a shard that ran on the WebGPU engine merges with one from the CPU engine', async () => {
    const whole = rows((await cli(['sweep', file, '--jobs', '1'])).stdout);
    const files = await shards(2, (k) => (k === 2 ? 'webgpu' : 'cpu'), 'mixed');
    const m = await cli(['merge', ...files]);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stderr).toBe('merge: 2 shards, 18 runs, 6 cells (engines: cpu, webgpu)\n');
    const merged = rows(m.stdout);
    expect(merged.map((r) => [r['algorithm.stepsize.c'], r['init.scale'], r.trials, r.stepsize, r.divergedRate]))
      .toEqual(whole.map((r) => [r['algorithm.stepsize.c'], r['init.scale'], r.trials, r.stepsize, r.divergedRate]));
    // the float32 runs end near the float64 ones (the medians mix both engines' seeds)
    for (const [i, r] of merged.entries()) {
      if (r.objective_median === '') continue;
      expect(Math.abs(Number(r.objective_median) - Number(whole[i].objective_median))).toBeLessThan(1e-4 * (1 + Number(whole[i].objective_median)));
    }
  });

  it('refuses a missing shard, a shard given twice, parts of different sweeps and a damaged line, each in one line', async () => {
    const [a, b] = await shards(2, undefined, 'two');
    const expectRefusal = async (args: string[], message: RegExp) => {
      const r = await cli(['merge', ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    };
    await expectRefusal([a], /^error: shard 2 of 2 is missing\n$/);
    await expectRefusal([a, a, b], /^error: shard 1\/2 is given twice \(.*two-1\.csv and .*two-1\.csv\)\n$/);
    const other = writeDoc({ ...doc, sweep: { ...sweep, seeds: 2 } });
    const c = part('other-2.csv');
    expect((await cli(['sweep', other, '--shard', '2/2', '--out', c])).code).toBe(0);
    await expectRefusal([a, c], /^error: .*other-2\.csv and .*two-1\.csv are parts of different sweeps \(their documents differ\)\n$/);
    const damaged = part('damaged-2.csv');
    writeFileSync(damaged, readFileSync(b, 'utf8').replace(/\n(\d+),/, '\nx$1,'));
    await expectRefusal([a, damaged], /^error: .*damaged-2\.csv, line 4, cell: "x\d+" is not a number\n$/);
    await expectRefusal([file], /is not a sweep part/);
    await expectRefusal([], /^error: merge needs the part files/);
  });

  it('says that --jobs is not used with --shard (a shard runs in one thread)', async () => {
    const r = await cli(['sweep', file, '--shard', '1/3', '--jobs', '4', '--out', part('jobs-1.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('sweep: --jobs 4 is not used with --shard: a shard runs in one thread (run more shards instead)\n');
    expect(r.stderr).not.toContain('worker threads');
  });

  it.each(['0/3', '4/3', '1/0', 'x', '1/3/2'])('--shard %s: exit 2, the option named', async (v) => {
    const r = await cli(['sweep', file, '--shard', v]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --shard ${v}: give K/N with whole numbers 1 ≤ K ≤ N ≤ 10000 (shard K of N)\n`);
  });
});
