// Runs that blow up (issue 13, items 3g–3i): they stop as "diverged" — never as an internal error — with
// the result document still written; the message names the value that is out of range rather than always
// blaming μ; and the stop is at the first iteration whose metrics are not finite, with the last finite row
// in the trace so the charts reach it. The reference for "first" is brute force: the CPU engine stepped one
// iteration at a time with the metrics read after each.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentInput } from '../../src/core/experiment';
import { correct, hmfLayout, hmfRound, projectorDistance, type HmfParams } from '../../src/core/hmf';
import { plantedHmf } from '../../src/core/hmf-model';
import { lanczos } from '../../src/core/lanczos';
import { isFiniteRow } from '../../src/core/metrics';
import { curvatureAt } from '../../src/core/curvature';
import { Perturber } from '../../src/core/perturb';
import { Rng } from '../../src/core/rng';
import { CpuEngine } from '../../src/engine/cpu';
import { divergenceAdvice } from '../../src/engine/session';
import { cli, docFolder, factorizationDoc, instance, makeAlgorithm, nodeInstance, preset } from './helpers';

const { dir, writeDoc } = docFolder('lowrank-diverge-');
let outNo = 0;

/** `npm run cli -- run` in-process with --out: exit code, stderr and the result document. */
async function run(doc: ExperimentInput) {
  const out = join(dir, `result${outNo++}.json`);
  const r = await cli(['run', writeDoc(doc), '--out', out]);
  return { ...r, result: JSON.parse(readFileSync(out, 'utf8')) };
}

/** The first iteration whose metrics are not finite, stepping the CPU engine one iteration at a time. */
async function firstNonFinite(doc: ExperimentInput): Promise<number> {
  const inst = instance(doc);
  const e = new CpuEngine();
  await e.load(inst);
  for (let k = 0; k <= inst.iterations; k++) {
    if (!isFiniteRow(await e.metrics())) return k;
    await e.advance(1);
  }
  return -1;
}

/** R15 with N sources (100 in the preset). */
function r15(N: number): ExperimentInput {
  const doc = preset('r15');
  const p = doc.problem as { generate: { N: number } };
  p.generate = { ...p.generate, N };
  return doc;
}

const withAlg = (doc: ExperimentInput, alg: Partial<ExperimentInput['algorithm']>): ExperimentInput => ({ ...doc, algorithm: { ...doc.algorithm, ...alg } as ExperimentInput['algorithm'] });

/** A diverged result: stopped at `k`, the trace ending with the last finite row (k − 1) and the non-finite one (null in JSON). */
function expectStoppedAt(result: { stop: { reason: string; iteration: number }; trace: { iteration: number[]; objective: (number | null)[]; gradientNorm: (number | null)[] } }, k: number): void {
  expect(result.stop.reason).toBe('diverged');
  expect(result.stop.iteration).toBe(k);
  expect(result.trace.iteration.at(-1)).toBe(k);
  expect(result.trace.iteration.at(-2)).toBe(k - 1);
  expect(Number.isFinite(result.trace.gradientNorm.at(-2))).toBe(true);
  expect(result.trace.gradientNorm.at(-1)).toBeNull();
}

describe('a run that blows up stops as diverged, never as an internal error (3g)', () => {
  it.each([
    { name: 'HMF R15 with η = 20', doc: () => withAlg(preset('r15'), { stepsize: 20, iterations: 500 }) },
    { name: 'HMF R15 (20 sources) with the step rule at c = 100', doc: () => withAlg(r15(20), { stepsize: { rule: 'practical', c: 100 }, iterations: 500 }) },
  ])('$name: exit 3, the result document written, stopped at the first non-finite round', async ({ doc }) => {
    const k = await firstNonFinite(doc());
    expect(k).toBeGreaterThan(1);
    const r = await run(doc());
    expect(r.stderr).not.toMatch(/internal error|singular/);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^Diverged at round ${k}: the metrics are no longer finite\\. η = [0-9.e+]+ is too large for this data: above 0\\.5/maxᵢ‖Mᵢ‖₂² = 0\\.500`));
    expectStoppedAt(r.result, k);
    expect(r.result.final.Ug.shape).toEqual([60, 3]);
  });

  it('a run that records curvature (R5, rule c = 1e300) stops as diverged: no eigen-solve of a NaN iterate, no verdict', async () => {
    const doc = withAlg(preset('r5'), { stepsize: { rule: 'practical', c: 1e300 }, iterations: 2000 });
    const r = await run(doc);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(3);
    expect(r.result.stop.reason).toBe('diverged');
    expect(r.result.stop.iteration).toBe(await firstNonFinite(doc));
    expect(r.result.trace.curvature[0]).toBeLessThan(0); // λ_min at the large random start
    expect(r.result.trace.curvature.at(-1)).toBeNull();
    expect(r.result.verdict).toBeUndefined();
  });

  it('a curvature record at a finite but enormous iterate gives a number or null, and the run still stops as diverged', async () => {
    const doc = withAlg(preset('r5'), { stepsize: { rule: 'practical', c: 30 }, iterations: 200, recordEvery: 1, curvatureEvery: 1 });
    const r = await run(doc);
    expect(r.code).toBe(3);
    const k = r.result.stop.iteration;
    expect(k).toBe(await firstNonFinite(doc));
    expect(r.result.trace.curvature.slice(0, -1).every((c: number | null) => c === null || Number.isFinite(c))).toBe(true);
  });

  it('HMF: a round whose U_gᵀU_g is singular gives a NaN iterate (the GPU inverse does too); the build-time correction still refuses it', () => {
    const data = plantedHmf({ seed: 4, N: 3, n1: 7, n2: 5, r1: 2, r2: 2, noise: 0, missing: 0, factors: 'gaussian' });
    const p: HmfParams = { r1: 2, r2: 2, beta: 0.1, eta: 0.1, correction: true };
    const L = hmfLayout(data, 2, 2);
    const g = new Rng(3);
    const z = { X: new Float64Array(14).fill(Infinity), Y: g.normals(L.length) };
    expect(() => hmfRound(data, p, L, z)).not.toThrow();
    expect(z.X.every(Number.isNaN) && z.Y.every(Number.isNaN)).toBe(true);
    expect(() => correct(data, p, L, { X: new Float64Array(14), Y: g.normals(L.length) })).toThrow(/UᵀU is singular/);
    expect(projectorDistance(new Float64Array(14).fill(NaN), 0, 2, g.normals(14), 0, 2, 7)).toBeNaN();
    expect(projectorDistance(new Float64Array(14), 0, 2, g.normals(14), 0, 2, 7)).toBeNaN();
  });

  it('Lanczos on a product that is not finite stops at once and returns NaN (no eigen-solve of NaN, no more products)', () => {
    let products = 0;
    const r = lanczos(60, (v) => {
      products++;
      return v.map((x, i) => (i === 2 ? Infinity : x));
    }, { vectors: 1 });
    expect(products).toBe(1);
    expect(r.min).toBeNaN();
    expect(r.max).toBeNaN();
    expect(r.vectors[0]).toHaveLength(60);
    const inst = nodeInstance(preset('r5'));
    const z = { X: inst.init.X.map(() => 1e200), Y: inst.init.Y.slice() };
    expect(curvatureAt(makeAlgorithm(inst), z).min).toBeNaN();
    z.X.fill(NaN);
    expect(curvatureAt(makeAlgorithm(inst), z).min).toBeNaN();
  });
});

describe('the divergence message names what is out of range (3h)', () => {
  const notMu = /μ = [0-9.e+-]+ is too large|≥ 1\/2/;
  it('a perturbation radius of 1e9', async () => {
    const doc = preset('pgd');
    doc.algorithm = { ...doc.algorithm, perturb: { ...doc.algorithm.perturb!, radius: 1e9 } };
    const r = await run(doc);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/within the practical bound \(1 − 2ω\)\/L̂ = [0-9.e-]+ \(ω = 0\.000\), so the step size is not the cause: the perturbation radius 1\.00e\+9 is too large/);
    expect(r.stderr).not.toMatch(notMu);
  });

  it('an init scale of 2⁵³', async () => {
    const r = await run({ ...preset('r3'), init: { seed: 3, scale: 2 ** 53 } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/so the step size is not the cause: init scale 9\.01e\+15 is too large — at the start the curvature is L\(z⁰\) = [0-9.e+]+/);
    expect(r.stderr).not.toMatch(notMu);
  });

  it('λ = 1e9', async () => {
    const doc = preset('r3');
    doc.problem = { ...doc.problem, lambda: 1e9 } as ExperimentInput['problem'];
    const r = await run(doc);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/so the step size is not the cause: λ = 1\.00e\+9 is too large — the balancing term adds curvature of about 4λσ₁/);
    expect(r.stderr).not.toMatch(notMu);
  });

  it('Y full of 1e308: the data overflow float64, at iteration 0, and ω (0.333 here) is not blamed', async () => {
    const doc = factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, mu: 1e-3, iterations: 200 });
    doc.problem = { kind: 'factorization', rank: 2, Y: { shape: [6, 8], data: new Array(48).fill(1e308) } };
    expect(instance(doc).omega).toBeCloseTo(1 / 3, 10);
    const r = await run(doc);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Diverged at iteration 0: the metrics are no longer finite\. The data overflow float64: ‖Y‖² = ∞ \(largest \|entry\| 1\.00e\+308\).*Rescale the data.*the step size is not the cause\./);
    expect(r.stderr).not.toMatch(notMu);
  });

  it('HMF: a β whose curvature is beyond 1/η, and an init scale far above the data', async () => {
    const beta = await run(withAlg(r15(20), { beta: 1e3, iterations: 100 }));
    expect(beta.code).toBe(3);
    expect(beta.stderr).toMatch(/η = 0\.200 is within 0\.5\/maxᵢ‖Mᵢ‖₂² = 0\.500, so the step size is not the cause: β = 1\.00e\+3 is too large/);
    const init = await run({ ...withAlg(r15(20), { iterations: 100 }), init: { seed: 1, scale: 1e3 } });
    expect(init.code).toBe(3);
    expect(init.stderr).toMatch(/so the step size is not the cause: init scale 1\.00e\+3 is too large/);
  });

  it('a step above the bound is still blamed, and ω ≥ 1/2 only when it is', async () => {
    const inst = instance(withAlg(preset('r3'), { stepsize: 0.03 }));
    expect(divergenceAdvice(inst, { iteration: 16 })).toMatch(/^μ = 0\.0300 is too large: the practical bound \(1 − 2ω\)\/L̂ is 0\.000520 \(ω = 0\.400\)\. Try a smaller step size\.$/);
    const nonLazy = factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, mu: 0.5 });
    nonLazy.network = { ...nonLazy.network!, lazy: false };
    expect(divergenceAdvice(instance(nonLazy), { iteration: 5 })).toMatch(/^μ = 0\.500 may be too large: ω = 0\.667 ≥ 1\/2/);
  });

  it('nothing out of range: it says plainly that the step size is not the cause', () => {
    expect(divergenceAdvice(instance(preset('r3')), { iteration: 50 })).toMatch(/^μ = 0\.000260 is within the practical bound \(1 − 2ω\)\/L̂ = 0\.000520 \(ω = 0\.400\), so by the theory the step size is not the cause; nor is the start \(L\(z⁰\) = [0-9.e+]+ is within \(1 − 2ω\)\/μ = 769\) or the data's scale\./);
    expect(divergenceAdvice(instance(preset('r15')), { iteration: 50 })).toMatch(/^η = 0\.200 is within 0\.5\/maxᵢ‖Mᵢ‖₂² = 0\.500, so by that rule the step size is not the cause; nor are β = 0\.100, the start or the data's scale\./);
  });

  it('on the WebGPU engine the limit is float32\'s: data that fit float64 can overflow it', () => {
    const doc = factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, mu: 1e-3 });
    doc.problem = { kind: 'factorization', rank: 2, Y: { shape: [6, 8], data: new Array(48).fill(1e20) } };
    expect(divergenceAdvice(instance(doc), { kind: 'webgpu', iteration: 0 })).toMatch(/^The data overflow float32 \(the WebGPU engine\): ‖Y‖² = 4\.80e\+41/);
    expect(divergenceAdvice(instance(doc), { kind: 'cpu', iteration: 3 })).not.toMatch(/overflow/);
  });
});

describe('divergence is reported at the first non-finite iteration (3i)', () => {
  it('R3 with μ = 0.03: the stop, the status message and the trace name iteration 16, not the next record (50)', async () => {
    const doc = withAlg(preset('r3'), { stepsize: 0.03, iterations: 3000 });
    const k = await firstNonFinite(doc);
    expect(k).toBe(16);
    const r = await run(doc);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^Diverged at iteration 16: /);
    expectStoppedAt(r.result, 16);
    expect(r.result.trace.iteration).toEqual([0, 15, 16]);
  });

  it('perturbed GD: the replay kicks as the run did (the CPU engine restores the perturber with the iterate)', async () => {
    const doc = preset('pgd');
    doc.algorithm = { ...doc.algorithm, perturb: { ...doc.algorithm.perturb!, radius: 1e9 } };
    const k = await firstNonFinite(doc);
    expect(k % doc.algorithm.recordEvery!).not.toBe(0);
    const r = await run(doc);
    expectStoppedAt(r.result, k);
  });

  it('a Perturber and its Rng continue exactly from a saved state', () => {
    const g = new Rng(7);
    g.normal(); // leaves a spare normal pending
    const st = g.save();
    const a = g.normals(5);
    g.load(st);
    expect(g.normals(5)).toEqual(a);
    const inst = nodeInstance(preset('pgd'));
    const alg = makeAlgorithm(inst);
    const p = new Perturber(alg, { radius: 1e-3, threshold: 1e9, wait: 3, seed: 1 });
    const z = () => ({ X: inst.init.X.slice(), Y: inst.init.Y.slice() });
    const z1 = z();
    const saved = p.save();
    for (let k = 0; k < 7; k++) p.before(z1, k);
    expect(p.kicks).toEqual([0, 3, 6]);
    p.load(saved);
    expect(p.kicks).toEqual([]);
    const z2 = z();
    for (let k = 0; k < 7; k++) p.before(z2, k);
    expect(z2.X).toEqual(z1.X);
  });
});
