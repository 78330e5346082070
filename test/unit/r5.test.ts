// R5 (SPEC §8, Proposition 3 / C-c): the symmetric gradient condition (4.1) and what it buys — every run
// of DGD+LOCAL ends on the consensus subspace — plus the counter-check that a balancing term breaks (4.1),
// and the r5 / r6 presets' claims.
import { describe, expect, it } from 'vitest';
import { curvatureAt } from '../../src/core/curvature';
import { Rng } from '../../src/core/rng';
import { decodeUrl, encodeUrl } from '../../src/state/url';
import { factorizationDoc, nodeInstance, makeAlgorithm, preset } from './helpers';

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('R5: Proposition 3', () => {
  it('⟨∇ₓfⱼ, x⟩ = ⟨∇ᵧfⱼ, yⱼ⟩ (4.1) at random points, to rounding', () => {
    const inst = nodeInstance(preset('r5'));
    const obj = inst.objective;
    const rng = new Rng(17);
    for (let t = 0; t < 20; t++) {
      const j = t % obj.J;
      const x = rng.normals(obj.sharedLen), y = rng.normals(obj.localLen[j]);
      const gx = new Float64Array(x.length), gy = new Float64Array(y.length);
      obj.evaluate(j, x, y, gx, gy);
      const lhs = dot(gx, x), rhs = dot(gy, y);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * Math.abs(lhs));
    }
  });

  it('the balancing term (μ_b/4)‖UᵀU − VᵀV‖² breaks (4.1) by μ_b(‖UᵀU‖² − ‖VᵀV‖²)', () => {
    // b(U, V) and its gradient by central differences (no closed form from the code under test)
    const n = 4, m = 3, r = 2, mub = 0.3, rng = new Rng(2);
    const U = rng.normals(n * r), V = rng.normals(m * r);
    const gram = (A: Float64Array, rows: number) => {
      const G = new Float64Array(r * r);
      for (let i = 0; i < rows; i++) for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) G[a * r + b] += A[i * r + a] * A[i * r + b];
      return G;
    };
    const bal = (U: Float64Array, V: Float64Array) => {
      const d = gram(U, n).map((v, k) => v - gram(V, m)[k]);
      return (mub / 4) * dot(d, d);
    };
    const fdDot = (A: Float64Array, f: (A: Float64Array) => number) => {
      let s = 0;
      for (let i = 0; i < A.length; i++) {
        const p = A.slice(), q = A.slice();
        p[i] += 1e-6;
        q[i] -= 1e-6;
        s += ((f(p) - f(q)) / 2e-6) * A[i];
      }
      return s;
    };
    const lhs = fdDot(U, (A) => bal(A, V)), rhs = fdDot(V, (A) => bal(U, A));
    const GU = gram(U, n), GV = gram(V, m);
    expect(lhs - rhs).toBeCloseTo(mub * (dot(GU, GU) - dot(GV, GV)), 5);
    expect(Math.abs(lhs - rhs)).toBeGreaterThan(1e-3);
  });

  it('50 random starts of DGD+LOCAL all end on the consensus subspace at the optimum, at a point with λ_min(∇²g) ≥ −1e-8', () => {
    const worst = { consensus: 0, gap: 0, lambda: 0 };
    let yy = 0;
    for (let seed = 0; seed < 50; seed++) {
      const doc = factorizationDoc({ n: 8, m: 15, rank: 2, J: 5, topology: 'erdos-renyi', seed: 11, iterations: 6000 });
      const inst = nodeInstance({ ...doc, algorithm: { ...doc.algorithm, stepsize: { rule: 'practical', c: 0.8 } }, init: { seed, scale: 1 } });
      const alg = makeAlgorithm(inst);
      if (inst.problem.kind === 'factorization') yy = dot(inst.problem.Y.data, inst.problem.Y.data);
      const z = { X: inst.init.X.slice(), Y: inst.init.Y.slice() };
      for (let k = 0; k < inst.iterations; k++) alg.step(z);
      worst.consensus = Math.max(worst.consensus, alg.consensusError(z));
      worst.gap = Math.max(worst.gap, alg.objective(z) - inst.problem.fStar);
      if (seed % 10 === 0) worst.lambda = Math.min(worst.lambda, curvatureAt(alg, z, { maxIter: 200 }).min);
    }
    // relative to ‖Y‖² (≈ 240 here): every start is on the consensus subspace and at the optimum
    expect(worst.consensus).toBeLessThan(1e-14 * yy);
    expect(worst.gap).toBeLessThan(1e-12 * yy);
    expect(worst.lambda).toBeGreaterThanOrEqual(-1e-8);
  });
});

describe('links: saddle starts, perturbed GD and the curvature trace round-trip', () => {
  const presets = async (id: string) => preset(id);
  it.each(['saddle', 'pgd', 'lifted', 'r6'])('%s survives encode → decode', async (id) => {
    const { state, ignored } = await decodeUrl(`?preset=${id}`, presets);
    expect(ignored).toEqual([]);
    const again = await decodeUrl(`?${encodeUrl(state)}`, presets);
    expect(again.ignored).toEqual([]);
    expect(again.state.experiment.init).toEqual(state.experiment.init);
    expect(again.state.experiment.algorithm).toEqual(state.experiment.algorithm);
  });
  it('encoding a centralized-GD document without a network leaves the document as it was', async () => {
    const { state } = await decodeUrl('?preset=saddle', presets);
    const before = structuredClone(state.experiment);
    encodeUrl(state);
    expect(state.experiment).toEqual(before);
    expect(state.experiment.network).toBeUndefined();
  });
  it('sset, sdelta, kick edit the document; bad values are named', async () => {
    const { state, ignored } = await decodeUrl('?preset=r3&sset=origin&sdelta=1e-4&kick=0.01&kthr=0.5&cev=100', presets);
    expect(ignored).toEqual([]);
    expect(state.experiment.init?.saddle).toEqual({ set: [], delta: 1e-4 });
    expect(state.experiment.algorithm.perturb).toMatchObject({ radius: 0.01, threshold: 0.5 });
    expect(state.experiment.algorithm.curvatureEvery).toBe(100);
    const bad = await decodeUrl('?preset=r3&sdelta=1e-4&sset=1,x&kthr=2', presets);
    expect(bad.ignored).toEqual([
      'sset=1,x: must be "origin", "none" or 1-based indices separated by commas',
      'sdelta=1e-4: needs a saddle start (sset)',
      'kthr=2: needs perturbed GD (kick)',
    ]);
  });
});
