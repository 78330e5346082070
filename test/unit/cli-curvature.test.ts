import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentInput } from '../../src/core/experiment';
import { evaluateQuartic } from '../../src/core/quartic';
import { cli, docFolder, factorizationDoc } from './helpers';

const { dir, writeDoc } = docFolder('lowrank-cli-curv-');

const small = (over: Partial<ExperimentInput['algorithm']> = {}): ExperimentInput => {
  const d = factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 3000 });
  return { ...d, algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.8 }, iterations: 3000, recordEvery: 100, ...over }, init: { scale: 1e-4, seed: 3 } };
};

describe('CLI run: the curvature trace and the verdict', () => {
  it('records λ_min at every curvatureEvery-th iteration (null elsewhere): negative near the origin, ≥ 0 at the end', async () => {
    const r = await cli(['run', writeDoc(small({ curvatureEvery: 200 }))]);
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    const c: (number | null)[] = res.trace.curvature;
    expect(c).toHaveLength(res.trace.iteration.length);
    res.trace.iteration.forEach((it: number, k: number) => expect(c[k] === null).toBe(it % 200 !== 0 && it !== 3000));
    expect(c[0]!).toBeLessThan(0);
    expect(c[c.length - 1]!).toBeGreaterThanOrEqual(-1e-8);
    expect(res.verdict.kind).toBe('minimum');
    expect(res.verdict.lambdaMin).toBeGreaterThanOrEqual(-1e-8);
  });
  it('leaves the trace as before without curvatureEvery', async () => {
    const res = JSON.parse((await cli(['run', writeDoc(small({ iterations: 50 }))])).stdout);
    expect(res.trace.curvature).toBeUndefined();
    expect(res.verdict).toBeUndefined();
  });
  it('perturbed GD (algorithm.perturb) runs and its bad parameters name the field', async () => {
    const ok = await cli(['run', writeDoc(small({ iterations: 50, perturb: { radius: 1e-3, threshold: 1e-2, wait: 10 } }))]);
    expect(ok.code).toBe(0);
    const bad = await cli(['run', writeDoc(small({ perturb: { radius: -1, threshold: 1e-2 } }))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: algorithm\.perturb\.radius: radius must be > 0/);
    const bad2 = await cli(['run', writeDoc(small({ curvatureEvery: 0 }))]);
    expect(bad2.stderr).toMatch(/^error: algorithm\.curvatureEvery: curvatureEvery must be at least 1/);
  });
});

describe('CLI escape', () => {
  it('prints the escape time per δ and the log(1/δ) fit; a document without a saddle start is refused', async () => {
    const doc = {
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'factorization', rank: 1, generate: { seed: 8, n: 6, m: 8, trueRank: 3 } },
      algorithm: { name: 'gd', stepsize: { rule: 'practical', c: 1 }, iterations: 20000 },
      init: { saddle: { set: [2], delta: 1e-6, seed: 1 } },
    };
    const r = await cli(['escape', writeDoc(doc)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runs.map((x: { delta: number }) => x.delta)).toEqual([1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]);
    expect(out.fit.r2).toBeGreaterThan(0.99);
    expect(r.stderr).toMatch(/escape ≈ [\d.]+·ln\(1\/δ\) \+ [\d.-]+ \(R² = (0\.99\d+|1\.0000)\); linearised GD predicts slope/);
    const bad = await cli(['escape', writeDoc(small())]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: init\.saddle: the escape study starts at a saddle/);
  });
});

describe('CLI landscape', () => {
  it('writes the grid of a slice at the start, checked against brute force', async () => {
    const out = join(dir, 'grid.json');
    const r = await cli(['landscape', writeDoc(small()), '--plane', 'consensus', '--res', '24', '--range', '0.5', '--at', 'start', '--check', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/analytic quartic slice \(consensus plane\) at iteration 0: 24×24 .*brute-force check: max relative difference/);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.format).toBe('lowrank-lab/landscape');
    expect(doc.value).toHaveLength(24 * 24);
    expect(doc.bruteForceError).toBeLessThan(1e-9);
    // the grid is the quartic of the written coefficients: corner (a, b) = (−0.5, 0.5)
    expect(doc.value[23 * 24]).toBeCloseTo(evaluateQuartic(doc.coefficients, -0.5, 0.5), 9);
    expect(doc.trajectory.a).toEqual([0]);
  });
  it('at the end of the run: the projected path ends at the plane’s origin', async () => {
    const r = await cli(['landscape', writeDoc(small({ iterations: 400 })), '--plane', 'hessian', '--res', '8']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.iteration).toBe(400);
    expect(doc.trajectory.iteration.length).toBeGreaterThan(2);
    expect(Math.abs(doc.trajectory.a.at(-1))).toBeLessThan(1e-9);
    expect(doc.labels[0]).toMatch(/eigenvector of λ₁/);
  });
  it.each([
    { args: ['--plane', 'diagonal'], message: /^error: --plane: "diagonal" is not a plane; use random, consensus, hessian/ },
    { args: ['--res', '1'], message: /^error: --res: must be an integer in 2 … 4096, got 1/ },
    { args: ['--range', '-2'], message: /^error: --range: must be a positive number, got -2/ },
    { args: ['--at', 'middle'], message: /^error: --at: must be "start" or "end", got "middle"/ },
  ])('refuses $args', async ({ args, message }) => {
    const r = await cli(['landscape', writeDoc(small()), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
  it('the consensus plane of a centralized run is refused with a reason', async () => {
    const gd = factorizationDoc({ n: 5, m: 6, rank: 1, J: 1, alg: 'gd', iterations: 5 });
    const r = await cli(['landscape', writeDoc(gd), '--plane', 'consensus', '--res', '4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: plane: the consensus plane needs a distributed run \(J ≥ 2 nodes\)/);
  });
});
