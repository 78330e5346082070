import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import type { ExperimentInput } from '../../src/core/experiment';
import { cli, docFolder, factorizationDoc, instance, preset } from './helpers';

const { dir, writeDoc } = docFolder('lowrank-cli-');


const small = (): ExperimentInput => factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 40 });

/** A document edited by `edit`, and what the one-line error must say. */
const invalid: { name: string; doc: () => unknown; message: RegExp }[] = [
  { name: 'shape mismatch', doc: () => ({ ...small(), problem: { kind: 'factorization', rank: 1, Y: { shape: [2, 3], data: [1, 2, 3, 4, 5] } } }), message: /problem\.Y\.data: has 5 numbers but shape \[2, 3\] needs 6/ },
  { name: 'non-finite number', doc: () => '{"format":"lowrank-lab/experiment","version":1,"problem":{"kind":"factorization","rank":1,"Y":{"shape":[1,2],"data":[1,1e999]}},"algorithm":{"name":"gd","stepsize":0.1,"iterations":1}}', message: /problem\.Y\.data\[1\]: is Infinity; every entry must be finite/ },
  { name: 'partition not summing to m', doc: () => ({ ...small(), problem: { kind: 'factorization', rank: 2, generate: { seed: 1, n: 6, m: 8 }, partition: [2, 2, 2, 1] } }), message: /problem\.partition: sums to 7 but Y has m = 8 columns/ },
  { name: 'partition with the wrong number of blocks', doc: () => ({ ...small(), problem: { kind: 'factorization', rank: 2, generate: { seed: 1, n: 6, m: 8 }, partition: [4, 4] } }), message: /problem\.partition: has 2 blocks but the network has J = 4 nodes/ },
  { name: 'W not symmetric', doc: () => ({ ...small(), network: { W: { shape: [2, 2], data: [0.7, 0.3, 0.4, 0.6] } } }), message: /network\.W: W is not symmetric: W\[0\]\[1\] = 0\.3 but W\[1\]\[0\] = 0\.4/ },
  { name: 'W not row-stochastic', doc: () => ({ ...small(), network: { W: { shape: [2, 2], data: [0.5, 0.3, 0.3, 0.5] } } }), message: /network\.W: W is not row-stochastic: row 0 sums to 0\.8/ },
  { name: 'W disconnected', doc: () => ({ ...small(), network: { W: { shape: [2, 2], data: [1, 0, 0, 1] } } }), message: /network\.W: .*not connected/ },
  { name: 'W negative', doc: () => ({ ...small(), network: { W: { shape: [2, 2], data: [1.2, -0.2, -0.2, 1.2] } } }), message: /network\.W: W has a negative entry/ },
  { name: 'μ ≤ 0', doc: () => ({ ...small(), algorithm: { name: 'dgd-local', stepsize: 0, iterations: 5 } }), message: /algorithm\.stepsize: must be > 0/ },
  { name: 'negative μ', doc: () => ({ ...small(), algorithm: { name: 'dgd-local', stepsize: -1e-3, iterations: 5 } }), message: /algorithm\.stepsize: must be > 0/ },
  { name: 'rank above min(n, m)', doc: () => ({ ...small(), problem: { kind: 'factorization', rank: 7, generate: { seed: 1, n: 6, m: 8 } } }), message: /problem\.rank: is 7 but must be at most min\(n, m\) = 6/ },
  { name: 'rank zero', doc: () => ({ ...small(), problem: { kind: 'factorization', rank: 0, generate: { seed: 1, n: 6, m: 8 } } }), message: /problem\.rank: rank must be at least 1/ },
  { name: 'fewer columns than nodes', doc: () => ({ ...small(), problem: { kind: 'factorization', rank: 1, generate: { seed: 1, n: 6, m: 3 } } }), message: /m = 3 columns, fewer than the J = 4 nodes/ },
  { name: 'unknown algorithm', doc: () => ({ ...small(), algorithm: { name: 'adam', stepsize: 0.1, iterations: 5 } }), message: /algorithm\.name: Invalid option: expected one of "dgd-local"\|"dgd"\|"gd"/ },
  { name: 'unknown field', doc: () => ({ ...small(), extra: 1 }), message: /Unrecognized key: "extra"/ },
  { name: 'wrong format tag', doc: () => ({ ...small(), format: 'something-else' }), message: /format: format must be "lowrank-lab\/experiment"/ },
  { name: 'init U of the wrong shape', doc: () => ({ ...small(), init: { U: { shape: [4, 6, 1], data: new Array(24).fill(0) }, V: { shape: [8, 2], data: new Array(16).fill(0) } } }), message: /init\.U\.shape: must be \[4, 6, 2\] for "dgd-local", got \[4, 6, 1\]/ },
  { name: 'DGD+LOCAL on least squares', doc: () => ({ ...preset('r4'), algorithm: { name: 'dgd-local', stepsize: 0.01, iterations: 5 } }), message: /algorithm\.name: DGD\+LOCAL needs private variables/ },
  { name: 'a distributed algorithm without a network', doc: () => ({ ...small(), network: undefined }), message: /network: algorithm "dgd-local" is distributed and needs a network/ },
  // sensing, completion, robust PCA (SPEC §5–6)
  { name: 'sensing with no measurements', doc: () => ({ ...small(), problem: { kind: 'sensing', rank: 1, generate: { seed: 1, n: 6, m: 8, measurements: 0 } } }), message: /problem\.generate\.measurements: measurements must be at least 1 per node/ },
  { name: 'sensing measurements split below 1 per node', doc: () => ({ ...small(), problem: { kind: 'sensing', rank: 1, generate: { seed: 1, n: 6, m: 8, measurements: 3, split: true } } }), message: /3 measurements split over J = 4 nodes leave some node with none/ },
  { name: 'completion with pObs outside (0, 1]', doc: () => ({ ...small(), problem: { kind: 'completion', rank: 1, pObs: 0, generate: { seed: 1, n: 6, m: 8 } } }), message: /problem\.pObs: pObs must be in \(0, 1\]/ },
  { name: 'RPCA corruption outside [0, 1)', doc: () => ({ ...small(), problem: { kind: 'rpca', rank: 1, generate: { seed: 1, n: 6, m: 8, corruption: 1.2 } } }), message: /problem\.generate\.corruption: corruption must be in \[0, 1\)/ },
  { name: 'negative λ', doc: () => ({ ...small(), problem: { kind: 'completion', rank: 1, lambda: -0.1, pObs: 0.5, generate: { seed: 1, n: 6, m: 8 } } }), message: /problem\.lambda: lambda must be ≥ 0/ },
  { name: 'completion rank above the sizes', doc: () => ({ ...small(), problem: { kind: 'completion', rank: 9, pObs: 0.5, generate: { seed: 1, n: 6, m: 8 } } }), message: /problem\.rank: is 9 but must be at most min\(n, m\) = 6/ },
  { name: 'a node with no observed entry', doc: () => ({ ...small(), problem: { kind: 'completion', rank: 1, M: { shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8] }, mask: { shape: [2, 4], data: [1, 1, 0, 1, 1, 1, 0, 1] } } }), message: /problem\.mask: node 3 observes no entry of its 2×1 block/ },
  { name: 'step rule with ω ≥ ½', doc: () => ({ ...small(), network: { topology: 'complete', J: 4, weights: 'max-degree', lazy: false } }), message: /algorithm\.stepsize: the practical rule c·\(1 − 2ω\)\/L̂ needs ω < 1\/2, but ω = 0\.7500/ },
  { name: 'a random graph that never connects', doc: () => ({ ...small(), network: { topology: 'erdos-renyi', J: 4, p: 1e-9 } }), message: /network: erdos-renyi: no connected graph/ },
  { name: 'malformed JSON', doc: () => '{"format": "lowrank-lab/experiment", ', message: /is not valid JSON/ },
];

describe('CLI: invalid input exits 2 with one message naming the field', () => {
  it.each(invalid)('$name', async ({ doc, message }) => {
    const f = writeDoc(doc());
    for (const cmd of ['validate', 'run']) {
      const r = await cli([cmd, f]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('reports a missing file, an unknown command and an unknown backend', async () => {
    expect((await cli(['run', join(dir, 'nope.json')])).stderr).toMatch(/cannot read .*nope\.json: ENOENT/);
    expect((await cli(['frobnicate', 'x.json'])).code).toBe(2);
    const r = await cli(['run', writeDoc(small()), '--backend', 'quantum']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backend "quantum" does not exist; use --backend cpu, webgpu, auto/);
  });
});

describe('CLI: run', () => {
  it('writes a result document whose trace equals the in-process run', async () => {
    const doc = small();
    const r = await cli(['run', writeDoc(doc)]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.format).toBe('lowrank-lab/result');
    expect(result.backend).toBe('cpu');
    const inst = instance(doc);
    const ref = await runSession(new CpuEngine(), inst);
    expect(result.trace).toEqual(ref.trace);
    expect(result.trace.iteration[0]).toBe(0);
    expect(result.trace.iteration.at(-1)).toBe(40);
    expect(result.final.U.shape).toEqual([4, 6, 2]);
    expect(result.final.V.shape).toEqual([8, 2]);
    expect(result.final.V.data).toEqual(Array.from(ref.final.Y));
  });

  it('records at 0, every recordEvery and at the last iteration', async () => {
    const doc = small();
    doc.algorithm = { ...doc.algorithm, iterations: 23, recordEvery: 5 };
    const result = JSON.parse((await cli(['run', writeDoc(doc)])).stdout);
    expect(result.trace.iteration).toEqual([0, 5, 10, 15, 20, 23]);
  });

  it('a diverging run stops, says at which iteration, and gives the step-size bound as advice', async () => {
    const doc = small();
    doc.algorithm = { name: 'dgd-local', stepsize: 0.5, iterations: 2000, recordEvery: 10 };
    const out = join(dir, 'diverged.json');
    const r = await cli(['run', writeDoc(doc), '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Diverged at iteration \d+: .*practical bound \(1 − 2ω\)\/L̂ is [0-9.e-]+/);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.stop.reason).toBe('diverged');
    expect(result.stop.iteration).toBeLessThan(2000);
    expect(result.trace.objective.at(-1)).toBeNull(); // NaN written as null
  });

  it('round-trips: the materialized document (explicit Y, W, U⁰, V⁰) run by the real CLI reproduces the trace exactly', async () => {
    const doc = preset('r3');
    doc.algorithm = { ...doc.algorithm, iterations: 300, recordEvery: 25 };
    const src = writeDoc(doc);
    const explicitFile = join(dir, 'explicit.json');
    expect((await cli(['materialize', src, '--out', explicitFile])).code).toBe(0);
    const explicit = JSON.parse(readFileSync(explicitFile, 'utf8'));
    expect(explicit.problem.Y.shape).toEqual([30, 100]);
    expect(explicit.network.W.shape).toEqual([10, 10]);
    expect(explicit.init.U.shape).toEqual([10, 30, 3]);
    expect(typeof explicit.algorithm.stepsize).toBe('number');
    // the real entry point, as a user runs it
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', 'run', explicitFile], { cwd: join(import.meta.dirname, '../..'), maxBuffer: 1 << 26 });
    const result = JSON.parse(stdout);
    const ref = await runSession(new CpuEngine(), instance(doc));
    expect(result.trace).toEqual(ref.trace);
  });
});

describe('CLI: where the output goes loses no work', () => {
  it.each(['run', 'sweep', 'materialize'])('%s with --out in a folder that does not exist: exit 2 before any work, the folder named', async (cmd) => {
    const doc = cmd === 'sweep' ? { ...small(), sweep: { x: { param: 'network.p', values: [0.5, 1] } } } : small();
    const r = await cli([cmd, writeDoc(doc), '--out', join(dir, 'no-such-folder', 'out.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: cannot write --out ${join(dir, 'no-such-folder', 'out.json')}: the folder ${join(dir, 'no-such-folder')} does not exist\n`);
  });

  it('an --out that cannot be written at the end (here a folder) gets the output on stdout instead, with the reason', async () => {
    const r = await cli(['run', writeDoc(small()), '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^could not write ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.*EISDIR.*\\); the output follows on stdout\\n`));
    expect(JSON.parse(r.stdout).format).toBe('lowrank-lab/result');
  });
});

describe('CLI: a document with a sweep', () => {
  const sweepDoc = () => ({ ...small(), sweep: { x: { param: 'network.p', values: [0.5, 1] }, y: { param: 'init.scale', values: [0.1, 1] }, seeds: 3 } });
  it('validate describes the grid; run says it runs the base experiment', async () => {
    const f = writeDoc(sweepDoc());
    const v = await cli(['validate', f]);
    expect(v.code).toBe(0);
    expect(v.stdout.split('\n')[1]).toBe('  sweep: 2 × 2 cells × 3 seeds = 12 runs over network.p × init.scale');
    const r = await cli(['run', f]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^note: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has a sweep; run uses its base experiment \\(\`sweep .*\` runs the grid\\)\\n`));
    expect(JSON.parse(r.stdout).trace.iteration.at(-1)).toBe(40);
  });

  it('output piped into a reader that stops early ends quietly (no EPIPE trace)', async () => {
    // a result of ~10⁵ characters: more than a pipe holds, so the writer meets the closed pipe
    const f = writeDoc(factorizationDoc({ n: 200, m: 400, rank: 5, J: 4, iterations: 5 }));
    const { stdout, stderr } = await promisify(execFile)('sh', ['-c', `npx tsx src/cli/main.ts run ${f} | head -c 20`], { cwd: join(import.meta.dirname, '../..') });
    expect(stdout).toHaveLength(20);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  });
});
