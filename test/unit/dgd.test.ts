import { describe, expect, it } from 'vitest';
import type { State } from '../../src/core/dgd';
import { Rng } from '../../src/core/rng';
import { factorizationDoc, fdGradient, nodeInstance, makeAlgorithm, relErr } from './helpers';

const cases = [
  { name: 'DGD+LOCAL, ring J=4, uneven blocks', doc: factorizationDoc({ n: 6, m: 9, rank: 2, J: 4, partition: [1, 2, 3, 3] }) },
  { name: 'DGD+LOCAL, Erdős–Rényi J=5, r=3', doc: factorizationDoc({ n: 5, m: 10, rank: 3, J: 5, topology: 'erdos-renyi', seed: 7 }) },
  { name: 'classical DGD, star J=3', doc: factorizationDoc({ n: 4, m: 6, rank: 2, J: 3, alg: 'dgd', topology: 'star' }) },
  { name: 'centralized GD', doc: factorizationDoc({ n: 5, m: 7, rank: 2, J: 1, alg: 'gd' }) },
];

describe.each(cases)('$name', ({ doc }) => {
  const inst = nodeInstance(doc);
  const alg = makeAlgorithm(inst);
  // a random point with O(1) entries, away from the small initial iterate
  const rng = new Rng(99);
  const z: State = { X: rng.normals(inst.init.X.length), Y: rng.normals(inst.init.Y.length) };

  it('∇g matches central finite differences of g (relative error < 1e-6)', () => {
    const G = alg.gradient(z);
    const F = fdGradient((w) => alg.distributedObjective(w), z);
    expect(relErr([...G.X, ...G.Y], [...F.X, ...F.Y])).toBeLessThan(1e-6);
  });

  it('∇f (the un-penalized sum) matches finite differences of f', () => {
    // ∇f = ∇g minus the penalty gradient; check the local-gradient part on its own through μ → ∞ is not
    // possible, so compare the per-node gradients directly.
    const F = fdGradient((w) => alg.objective(w), z);
    const s = inst.objective.sharedLen;
    const gx = new Float64Array(s);
    let off = 0;
    for (let j = 0; j < inst.objective.J; j++) {
      const ly = inst.objective.localLen[j];
      const gy = new Float64Array(ly);
      inst.objective.evaluate(j, z.X.subarray(j * s, (j + 1) * s), z.Y.subarray(off, off + ly), gx, gy);
      expect(relErr(gx, F.X.subarray(j * s, (j + 1) * s))).toBeLessThan(1e-6);
      if (ly) expect(relErr(gy, F.Y.subarray(off, off + ly))).toBeLessThan(1e-6);
      off += ly;
    }
  });

  it('one step of (1.9) equals one gradient step on g with w = w̃/(4μ), to 1e-12', () => {
    const G = alg.gradient(z);
    const next: State = { X: z.X.slice(), Y: z.Y.slice() };
    alg.step(next);
    const mu = inst.stepsize;
    const gdX = z.X.map((v, i) => v - mu * G.X[i]);
    const gdY = z.Y.map((v, i) => v - mu * G.Y[i]);
    expect(relErr(next.X, gdX)).toBeLessThan(1e-12);
    if (gdY.length) expect(relErr(next.Y, gdY)).toBeLessThan(1e-12);
  });
});

describe('penalty weights', () => {
  it('g counts ordered pairs: two nodes, W̃ = [[1−a, a], [a, 1−a]] gives g − f = 2·a/(4μ)·‖x¹ − x²‖²', () => {
    const a = 0.25, mu = 0.01;
    const inst = nodeInstance({
      ...factorizationDoc({ n: 3, m: 4, rank: 1, J: 2, mu }),
      network: { W: { shape: [2, 2], data: [1 - a, a, a, 1 - a] } },
    });
    const alg = makeAlgorithm(inst);
    const z: State = { X: new Rng(5).normals(inst.init.X.length), Y: new Rng(6).normals(inst.init.Y.length) };
    let d2 = 0;
    for (let k = 0; k < 3; k++) d2 += (z.X[k] - z.X[3 + k]) ** 2;
    expect(alg.penalty(z)).toBeCloseTo((2 * a * d2) / (4 * mu), 10);
  });
});
