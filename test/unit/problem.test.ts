import { describe, expect, it } from 'vitest';
import { buildNodeInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { equalPartition, plantedY } from '../../src/core/problem';
import { Rng, childSeed } from '../../src/core/rng';
import { factorizationDoc, preset } from './helpers';

describe('problem instances', () => {
  it('the same generate block yields bit-identical instances', () => {
    const a = buildNodeInstance(parseExperiment(preset('r3')));
    const b = buildNodeInstance(parseExperiment(preset('r3')));
    expect(a.problem.kind === 'factorization' && b.problem.kind === 'factorization').toBe(true);
    if (a.problem.kind !== 'factorization' || b.problem.kind !== 'factorization') return;
    expect(a.problem.Y.data).toEqual(b.problem.Y.data);
    expect(a.W.data).toEqual(b.W.data);
    expect(a.init.X).toEqual(b.init.X);
    expect(a.stepsize).toBe(b.stepsize);
  });

  it('Y = U⋆V⋆ᵀ is built from the documented sub-streams (an independent rebuild from the RNG)', () => {
    const Y = plantedY({ seed: 11, n: 3, m: 4, trueRank: 2, noise: 0 });
    const U = new Rng(childSeed(11, 'Ustar')).normals(6);
    const V = new Rng(childSeed(11, 'Vstar')).normals(8);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) {
      expect(Y.data[i * 4 + j]).toBe(U[i * 2] * V[j * 2] + U[i * 2 + 1] * V[j * 2 + 1]);
    }
    // noise only adds: U⋆ and V⋆ unchanged
    const Yn = plantedY({ seed: 11, n: 3, m: 4, trueRank: 2, noise: 0.1 });
    expect(Math.max(...Yn.data.map((v, i) => Math.abs(v - Y.data[i])))).toBeLessThan(0.6);
    expect(Yn.data).not.toEqual(Y.data);
  });

  it('splits columns as evenly as possible and keeps every block non-empty', () => {
    expect(equalPartition(10, 3)).toEqual([4, 3, 3]);
    expect(equalPartition(4, 4)).toEqual([1, 1, 1, 1]);
    expect(() => equalPartition(3, 4)).toThrow(/at least one column/);
  });

  it('f* is the Eckart–Young tail Σ_{k>r} σₖ²: zero for a planted rank ≤ r, positive with noise', () => {
    const clean = buildNodeInstance(parseExperiment(factorizationDoc({ n: 8, m: 9, rank: 3, J: 3 })));
    expect(clean.problem.fStar).toBeLessThan(1e-20);
    const doc = factorizationDoc({ n: 8, m: 9, rank: 2, J: 3 });
    doc.problem = { kind: 'factorization', rank: 2, generate: { seed: 1, n: 8, m: 9, trueRank: 4, noise: 0.01 } };
    const noisy = buildNodeInstance(parseExperiment(doc));
    if (noisy.problem.kind !== 'factorization') return;
    const s = noisy.problem.sigma;
    expect(noisy.problem.fStar).toBeCloseTo(Array.from(s.slice(2)).reduce((a, v) => a + v * v, 0), 10);
    expect(noisy.problem.fStar).toBeGreaterThan(0.1);
  });

  it('random starts share numbers across algorithms: GD\'s U is DGD+LOCAL\'s U¹, classical DGD\'s first V copy is DGD+LOCAL\'s V', () => {
    const local = buildNodeInstance(parseExperiment(factorizationDoc({ n: 4, m: 6, rank: 2, J: 3 })));
    const dgd = buildNodeInstance(parseExperiment(factorizationDoc({ n: 4, m: 6, rank: 2, J: 3, alg: 'dgd' })));
    const gd = buildNodeInstance(parseExperiment(factorizationDoc({ n: 4, m: 6, rank: 2, J: 3, alg: 'gd' })));
    expect(gd.init.X).toEqual(local.init.X.slice(0, 8));
    expect(gd.init.Y).toEqual(local.init.Y);
    expect(dgd.init.X.slice(8, 20)).toEqual(local.init.Y);
  });
});
