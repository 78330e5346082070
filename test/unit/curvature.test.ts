import { describe, expect, it } from 'vitest';
import { curvatureAt, CurvatureUnavailableError, flatten, unflatten, verdictAt } from '../../src/core/curvature';
import { DgdLocal, type State } from '../../src/core/dgd';
import { escapeStudy, partialSvdLambdaMin } from '../../src/core/escape';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { lanczos } from '../../src/core/lanczos';
import { identity, singularValues, symEig, zeros } from '../../src/core/linalg';
import { Rng } from '../../src/core/rng';
import { eigSym2, toyHessian } from '../../src/core/toy';
import { factorizationDoc, nodeInstance, makeAlgorithm, preset, relErr } from './helpers';

const cases: { name: string; doc: ExperimentInput }[] = [
  { name: 'DGD+LOCAL, ring J=4, uneven blocks', doc: factorizationDoc({ n: 6, m: 9, rank: 2, J: 4, partition: [1, 2, 3, 3] }) },
  { name: 'DGD+LOCAL, Erdős–Rényi J=5, r=3', doc: factorizationDoc({ n: 5, m: 10, rank: 3, J: 5, topology: 'erdos-renyi', seed: 7 }) },
  { name: 'classical DGD, star J=3', doc: factorizationDoc({ n: 4, m: 6, rank: 2, J: 3, alg: 'dgd', topology: 'star' }) },
  { name: 'centralized GD', doc: factorizationDoc({ n: 5, m: 7, rank: 2, J: 1, alg: 'gd' }) },
  { name: 'classical DGD on least squares', doc: { ...preset('r4'), network: { topology: 'ring', J: 4 } } },
  { name: 'DGD+LOCAL with the balancing term λ = 0.3', doc: withLambda(factorizationDoc({ n: 5, m: 8, rank: 2, J: 3 }), 0.3) },
  { name: 'classical DGD with the balancing term λ = 0.5', doc: withLambda(factorizationDoc({ n: 4, m: 6, rank: 2, J: 2, alg: 'dgd' }), 0.5) },
  { name: 'centralized GD with the balancing term λ = 1', doc: withLambda(factorizationDoc({ n: 5, m: 6, rank: 3, J: 1, alg: 'gd' }), 1) },
];

function withLambda(doc: ExperimentInput, lambda: number): ExperimentInput {
  return { ...doc, problem: { ...doc.problem, lambda } as ExperimentInput['problem'] };
}

/** The dense Hessian, column by column from the product (the operator Lanczos sees). */
function denseHessian(alg: DgdLocal, z: State): { H: number[][]; N: number } {
  const xLen = z.X.length, N = xLen + z.Y.length;
  const H: number[][] = [];
  for (let c = 0; c < N; c++) {
    const e = new Float64Array(N);
    e[c] = 1;
    H.push(Array.from(flatten(alg.hessianVector(z, unflatten(e, xLen)))));
  }
  return { H, N };
}

describe.each(cases)('$name', ({ doc }) => {
  const inst = nodeInstance(doc);
  const alg = makeAlgorithm(inst);
  const rng = new Rng(41);
  const z: State = { X: rng.normals(inst.init.X.length), Y: rng.normals(inst.init.Y.length) };

  it('∇²g[d] matches central differences of ∇g along d (relative error < 1e-7)', () => {
    const d: State = { X: rng.normals(z.X.length), Y: rng.normals(z.Y.length) };
    const h = 1e-5;
    const at = (t: number) => alg.gradient({ X: z.X.map((v, i) => v + t * d.X[i]), Y: z.Y.map((v, i) => v + t * d.Y[i]) });
    const gp = at(h), gm = at(-h);
    const fd = [...gp.X.map((v, i) => (v - gm.X[i]) / (2 * h)), ...gp.Y.map((v, i) => (v - gm.Y[i]) / (2 * h))];
    const hv = alg.hessianVector(z, d);
    expect(relErr([...hv.X, ...hv.Y], fd)).toBeLessThan(1e-7);
  });

  it('the Hessian is symmetric, and Lanczos λ_min / λ_max match a dense eigen-solve to 1e-8', () => {
    const { H, N } = denseHessian(alg, z);
    let asym = 0, scale = 0;
    for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) {
      asym = Math.max(asym, Math.abs(H[a][b] - H[b][a]));
      scale = Math.max(scale, Math.abs(H[a][b]));
    }
    expect(asym).toBeLessThan(1e-12 * scale);
    const Hs = zeros(N, N);
    for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) Hs.data[a * N + b] = 0.5 * (H[a][b] + H[b][a]);
    const { values } = symEig(Hs);
    const c = curvatureAt(alg, z, { maxIter: N });
    expect(Math.abs(c.min - values[0])).toBeLessThan(1e-8 * Math.max(1, Math.abs(values[N - 1])));
    expect(Math.abs(c.max - values[N - 1])).toBeLessThan(1e-8 * Math.max(1, Math.abs(values[N - 1])));
  });
});

describe('Lanczos', () => {
  it('finds repeated extreme eigenvalues (restarts when the Krylov space closes)', () => {
    // diag(−3, −3, 1, 1, 1, 5): a start vector only reaches 3 distinct values per Krylov space
    const d = [-3, -3, 1, 1, 1, 5];
    const r = lanczos(6, (q) => q.map((v, i) => d[i] * v), { maxIter: 6 });
    expect(Array.from(r.values).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-3, -3, 1, 1, 1, 5]);
  });
  it('converges early on a large operator with a clear gap, with the right eigenvector', () => {
    const N = 400;
    const d = Float64Array.from({ length: N }, (_, i) => (i === 7 ? -10 : 1 + (i % 13)));
    const r = lanczos(N, (q) => q.map((v, i) => d[i] * v), { maxIter: 200, vectors: 1 });
    expect(r.iterations).toBeLessThan(200);
    expect(r.min).toBeCloseTo(-10, 8);
    expect(r.max).toBeCloseTo(13, 8);
    expect(Math.abs(r.vectors[0][7])).toBeCloseTo(1, 6);
  });
});

describe('known curvature values (f = ‖UVᵀ − Y‖², no ½; SPEC §4.2 C-d, §4.3)', () => {
  const gdDoc = (rank: number, init: ExperimentInput['init']): ExperimentInput => ({
    ...factorizationDoc({ n: 7, m: 9, rank, J: 1, alg: 'gd', seed: 5, iterations: 10 }),
    problem: { kind: 'factorization', rank, generate: { seed: 5, n: 7, m: 9, trueRank: 4, noise: 0.3 } },
    init,
  });

  it('at the origin λ_min(∇²f) = −2σ₁(Y)', () => {
    const inst = nodeInstance(gdDoc(2, { scale: 0 }));
    const sigma = singularValues((inst.problem as { Y: ReturnType<typeof zeros> }).Y);
    const c = curvatureAt(makeAlgorithm(inst), inst.init, { maxIter: 200 });
    expect(c.min).toBeCloseTo(-2 * sigma[0], 8);
  });

  it.each([
    { set: [1, 3], k: 2, l: 3 },
    { set: [2, 3], k: 1, l: 3 },
    { set: [4, 1], k: 2, l: 4 },
  ])('at the partial-SVD saddle S = $set: a critical point with λ_min = −2(σ$k − σ$l)', ({ set, k, l }) => {
    const inst = nodeInstance(gdDoc(2, { saddle: { set, delta: 0 } }));
    const alg = makeAlgorithm(inst);
    const sigma = singularValues((inst.problem as { Y: ReturnType<typeof zeros> }).Y);
    const G = alg.gradient(inst.init);
    expect(Math.hypot(...G.X, ...G.Y)).toBeLessThan(1e-10 * sigma[0] ** 1.5);
    const c = curvatureAt(alg, inst.init, { maxIter: 200 });
    expect(c.min).toBeCloseTo(-2 * (sigma[k - 1] - sigma[l - 1]), 8);
    expect(partialSvdLambdaMin(Float64Array.from(sigma), set)).toBeCloseTo(-2 * (sigma[k - 1] - sigma[l - 1]), 12);
  });

  it("at the toy's origin λ_min = −1 (Y = [1], ½f is the toy g of 4.3)", () => {
    const inst = nodeInstance({
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'factorization', rank: 1, Y: { shape: [1, 1], data: [1] } },
      algorithm: { name: 'gd', stepsize: 0.1, iterations: 1 }, init: { scale: 0 },
    });
    const c = curvatureAt(makeAlgorithm(inst), inst.init, { maxIter: 2 });
    expect(c.min / 2).toBeCloseTo(-1, 12);
    expect(c.min / 2).toBeCloseTo(eigSym2(toyHessian('plain', 0, 0, 0)).values[0], 12);
  });

  it('the lifted origin is a critical point of g with λ_min(∇²g) ≤ −2σ₁/√J; a lifted partial-SVD saddle is not critical', () => {
    const base = { ...factorizationDoc({ n: 6, m: 12, rank: 2, J: 4, seed: 3 }), problem: { kind: 'factorization' as const, rank: 2, generate: { seed: 3, n: 6, m: 12, trueRank: 3 } } };
    const origin = nodeInstance({ ...base, init: { scale: 0 } });
    const alg = makeAlgorithm(origin);
    const sigma1 = (origin.problem as { sigma1: number }).sigma1;
    const G0 = alg.gradient(origin.init);
    expect(Math.hypot(...G0.X, ...G0.Y)).toBe(0);
    expect(curvatureAt(alg, origin.init, { maxIter: 300 }).min).toBeLessThanOrEqual(-2 * sigma1 / Math.sqrt(4) + 1e-9);
    const lifted = nodeInstance({ ...base, init: { saddle: { set: [1, 3], delta: 0 } } });
    const G = makeAlgorithm(lifted).gradient(lifted.init);
    expect(Math.hypot(...G.X, ...G.Y)).toBeGreaterThan(1e-3 * sigma1 ** 1.5);
  });
});

describe('verdicts', () => {
  it('a converged DGD+LOCAL run ends at λ_min(∇²g) ≥ −1e-8: a global minimum', () => {
    const inst = nodeInstance({ ...factorizationDoc({ n: 8, m: 16, rank: 2, J: 4, seed: 2, iterations: 6000 }), algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.8 }, iterations: 6000 } });
    const alg = makeAlgorithm(inst);
    const z = { X: inst.init.X.slice(), Y: inst.init.Y.slice() };
    for (let k = 0; k < inst.iterations; k++) alg.step(z);
    const gap = alg.objective(z) - inst.problem.fStar;
    expect(gap).toBeLessThan(1e-20);
    const c = curvatureAt(alg, z, { maxIter: 300 });
    expect(c.min).toBeGreaterThanOrEqual(-1e-8);
    const v = verdictAt(inst, alg, z, gap);
    expect(v.kind).toBe('minimum');
    expect(v.message).toMatch(/Global minimum/);
  });

  it('an exact partial-SVD saddle is a strict saddle; a random start is not converged', () => {
    const doc = factorizationDoc({ n: 6, m: 8, rank: 2, J: 1, alg: 'gd', seed: 4 });
    const s = nodeInstance({ ...doc, init: { saddle: { set: [1, 3], delta: 0 } } });
    const alg = makeAlgorithm(s);
    expect(verdictAt(s, alg, s.init, 1).kind).toBe('strict-saddle');
    const r = nodeInstance(doc);
    expect(verdictAt(r, makeAlgorithm(r), r.init, 1).kind).toBe('not-converged');
  });

  it('sensing, completion and RPCA have no Hessian–vector product: asking for curvature names the field', () => {
    for (const id of ['r12', 'r13', 'r14']) {
      const doc = preset(id);
      expect(() => nodeInstance({ ...doc, algorithm: { ...doc.algorithm, curvatureEvery: 10 } })).toThrow(/^algorithm\.curvatureEvery: curvature is unavailable for this (sensing|completion|rpca) objective: it has no Hessian–vector product/);
    }
  });

  it('an objective without a Hessian–vector product reports curvature as unavailable', () => {
    const obj = { J: 1, sharedLen: 1, localLen: [0], evaluate: (_j: number, x: Float64Array) => x[0] ** 2 };
    const alg = new DgdLocal(obj, identity(1), 0.1);
    expect(() => curvatureAt(alg, { X: new Float64Array(1), Y: new Float64Array(0) })).toThrow(CurvatureUnavailableError);
    expect(() => curvatureAt(alg, { X: new Float64Array(1), Y: new Float64Array(0) })).toThrow(/curvature is unavailable: this objective has no Hessian–vector product/);
  });
});

describe('saddle escape (R6): the time on the plateau grows like log(1/δ)', () => {
  it('GD from the partial-SVD saddle S = {2}, δ = 1e-2 … 1e-10: linear in ln(1/δ) with the linearised slope', () => {
    const exp = parseExperiment({
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'factorization', rank: 1, generate: { seed: 8, n: 6, m: 8, trueRank: 3 } },
      algorithm: { name: 'gd', stepsize: { rule: 'practical', c: 1 }, iterations: 20000 },
      init: { saddle: { set: [2], delta: 1e-6, seed: 1 } },
    });
    const st = escapeStudy(exp);
    expect(st.runs.every((r) => r.escape !== null)).toBe(true);
    // escape times strictly increase as δ shrinks
    for (let i = 1; i < st.runs.length; i++) expect(st.runs[i].escape!).toBeGreaterThan(st.runs[i - 1].escape!);
    expect(st.fit!.r2).toBeGreaterThan(0.995);
    expect(Math.abs(st.fit!.slope / st.theorySlope - 1)).toBeLessThan(0.05);
  });
});

describe('perturbed gradient descent', () => {
  it('from the same start 1e-12 from a saddle, the kicks escape sooner than plain GD', () => {
    const base = {
      format: 'lowrank-lab/experiment' as const, version: 1 as const,
      problem: { kind: 'factorization' as const, rank: 1, generate: { seed: 8, n: 6, m: 8, trueRank: 3 } },
      algorithm: { name: 'gd' as const, stepsize: { rule: 'practical' as const, c: 1 }, iterations: 5000 },
      init: { saddle: { set: [2], delta: 1e-12, seed: 1 } },
    };
    const plain = escapeStudy(parseExperiment(base), [1e-12]).runs[0].escape!;
    const pgd = escapeStudy(parseExperiment({ ...base, algorithm: { ...base.algorithm, perturb: { radius: 1e-3, threshold: 1e-3, wait: 20, seed: 2 } } }), [1e-12]).runs[0].escape!;
    expect(plain).toBeGreaterThan(0);
    expect(pgd).toBeLessThan(0.6 * plain);
  });
});

describe('saddle-initialised documents: bad input names the field', () => {
  const doc = factorizationDoc({ n: 5, m: 6, rank: 2, J: 2 });
  it.each([
    { init: { saddle: { set: [1], delta: 1e-3 } }, message: /^init\.saddle\.set: has 1 indices but the rank is 2/ },
    { init: { saddle: { set: [1, 9], delta: 1e-3 } }, message: /^init\.saddle\.set: index 9 is out of range; Y has min\(n, m\) = 5 singular values/ },
    { init: { saddle: { set: [2, 2], delta: 1e-3 } }, message: /^init\.saddle\.set: lists an index twice/ },
    { init: { saddle: { set: [0, 1], delta: 1e-3 } }, message: /^init\.saddle\.set\[0\]: every index of set must be at least 1/ },
    { init: { saddle: { set: [1, 2], delta: -1 } }, message: /^init\.saddle\.delta: delta must be ≥ 0/ },
    { init: { saddle: { set: [1, 2], delta: 0 }, U: { shape: [2, 5, 2], data: new Array(20).fill(0) }, V: { shape: [6, 2], data: new Array(12).fill(0) } }, message: /^init\.saddle: give either an explicit U and V or a saddle, not both/ },
  ])('$message', ({ init, message }) => {
    expect(() => parseExperiment({ ...doc, init })).toThrow(message);
  });
  it('on least squares', () => {
    expect(() => parseExperiment({ ...preset('r4'), init: { saddle: { set: [], delta: 0 } } })).toThrow(/^init\.saddle: is for factorization problems/);
  });
  it('the perturbation has norm δ, and consensus: true keeps the copies equal', () => {
    const base = { ...doc, init: { saddle: { set: [1, 2], delta: 0 } } };
    const at = nodeInstance(base).init;
    for (const consensus of [true, false]) {
      const z = nodeInstance({ ...base, init: { saddle: { set: [1, 2], delta: 1e-3, seed: 4, consensus } } }).init;
      const d = [...z.X.map((v, i) => v - at.X[i]), ...z.Y.map((v, i) => v - at.Y[i])];
      expect(Math.hypot(...d)).toBeCloseTo(1e-3, 12);
      const s = z.X.length / 2;
      const same = z.X.subarray(0, s).every((v, i) => v === z.X[s + i]);
      expect(same).toBe(consensus);
    }
  });
});
