/**
 * Sensing, completion and robust PCA (SPEC §5–6) on the float64 reference: gradients of every objective
 * (with and without λ and Q) against finite differences, the data each builder plants, the sparse-set
 * projection, and every impossible setting's message.
 */
import { describe, expect, it } from 'vitest';
import type { State } from '../../src/core/dgd';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { buildInstance } from '../../src/core/build';
import { sparseProjection } from '../../src/core/measured';
import { Rng } from '../../src/core/rng';
import { fdGradient, nodeInstance, makeAlgorithm, relErr } from './helpers';

const net = { topology: 'ring', J: 3, weights: 'metropolis', lazy: true } as const;
const doc = (problem: ExperimentInput['problem'], alg: 'dgd-local' | 'gd' = 'dgd-local', extra: Partial<ExperimentInput> = {}): ExperimentInput => ({
  format: 'lowrank-lab/experiment', version: 1, problem,
  ...(alg === 'gd' ? {} : { network: net }),
  algorithm: { name: alg, stepsize: 1e-3, iterations: 10 }, init: { seed: 5, scale: 0.5 }, ...extra,
});

const gradCases: { name: string; d: ExperimentInput }[] = [
  { name: 'factorization, λ = 0.3', d: doc({ kind: 'factorization', rank: 2, lambda: 0.3, generate: { seed: 1, n: 5, m: 7 } }) },
  { name: 'factorization GD, λ = 0.3', d: doc({ kind: 'factorization', rank: 2, lambda: 0.3, generate: { seed: 1, n: 5, m: 7 } }, 'gd') },
  { name: 'sensing, λ = 0', d: doc({ kind: 'sensing', rank: 2, generate: { seed: 1, n: 4, m: 6, measurements: 9 } }) },
  { name: 'sensing, λ = 0.7, split', d: doc({ kind: 'sensing', rank: 2, lambda: 0.7, generate: { seed: 1, n: 4, m: 6, measurements: 20, split: true } }) },
  { name: 'sensing GD, normalised', d: doc({ kind: 'sensing', rank: 2, lambda: 0.1, generate: { seed: 1, n: 4, m: 5, measurements: 30, normalize: true } }, 'gd') },
  { name: 'completion, λ = ½', d: doc({ kind: 'completion', rank: 2, lambda: 0.5, pObs: 0.6, generate: { seed: 1, n: 6, m: 9 } }) },
  // α small enough that Q is active on most rows
  { name: 'completion with Q', d: doc({ kind: 'completion', rank: 2, lambda: 0.5, pObs: 0.7, incoherence: { alpha: 0.05, weight: 3 }, generate: { seed: 2, n: 6, m: 9 } }) },
  { name: 'completion GD with Q', d: doc({ kind: 'completion', rank: 2, pObs: 0.7, incoherence: { alpha: 0.05, weight: 3 }, generate: { seed: 2, n: 6, m: 9 } }, 'gd') },
  { name: 'robust PCA, λ = ½', d: doc({ kind: 'rpca', rank: 2, lambda: 0.5, generate: { seed: 1, n: 8, m: 9, corruption: 0.2 } }) },
];

describe.each(gradCases)('$name', ({ d }) => {
  const inst = nodeInstance(d);
  const alg = makeAlgorithm(inst);
  const rng = new Rng(42);
  const z: State = { X: rng.normals(inst.init.X.length), Y: rng.normals(inst.init.Y.length) };

  it('∇g matches central finite differences of g', () => {
    const G = alg.gradient(z);
    const F = fdGradient((w) => alg.distributedObjective(w), z);
    // RPCA is piecewise smooth (the support of S can change inside the stencil); the others are polynomials
    expect(relErr([...G.X, ...G.Y], [...F.X, ...F.Y])).toBeLessThan(inst.problem.kind === 'rpca' ? 1e-5 : 1e-7);
  });
});

describe('the balancing term', () => {
  it('adds exactly (λ/4)‖UᵀU − VᵀV‖² to the objective', () => {
    const base = nodeInstance(doc({ kind: 'sensing', rank: 2, generate: { seed: 1, n: 4, m: 6, measurements: 9 } }));
    const reg = nodeInstance(doc({ kind: 'sensing', rank: 2, lambda: 0.8, generate: { seed: 1, n: 4, m: 6, measurements: 9 } }));
    const z = base.init;
    const j = 1, U = z.X.subarray(8, 16), V = z.Y.subarray(4, 8); // node 2 of 3: rows 2–3 of V
    let s = 0;
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
      let d = 0;
      for (let i = 0; i < 4; i++) d += U[i * 2 + a] * U[i * 2 + b];
      for (let i = 0; i < 2; i++) d -= V[i * 2 + a] * V[i * 2 + b];
      s += d * d;
    }
    const f0 = base.objective.evaluate(j, U, V), f1 = reg.objective.evaluate(j, U, V);
    expect(f1 - f0).toBeCloseTo(0.2 * s, 10);
  });
});

describe('planted data', () => {
  it('sensing: b = 𝒜(X⋆) exactly, so the truth has zero fitting error', () => {
    const inst = nodeInstance(doc({ kind: 'sensing', rank: 2, generate: { seed: 3, n: 5, m: 6, measurements: 12 } }));
    const p = inst.problem;
    if (p.kind !== 'sensing') throw new Error('kind');
    expect(p.A.map((A) => [A.rows, A.cols])).toEqual([[12, 10], [12, 10], [12, 10]]);
    // evaluate each node at a factorization of its block of the truth: X⋆ = U⋆V⋆ᵀ from the same seed
    const fac = nodeInstance(doc({ kind: 'factorization', rank: 2, generate: { seed: 3, n: 5, m: 6 } }));
    if (fac.problem.kind !== 'factorization') throw new Error('kind');
    expect(Array.from(p.truth!.data)).toEqual(Array.from(fac.problem.Y.data));
  });

  it('completion: the Bernoulli mask observes about pObs of the entries', () => {
    const inst = nodeInstance(doc({ kind: 'completion', rank: 3, pObs: 0.3, generate: { seed: 4, n: 60, m: 60 } }));
    const p = inst.problem;
    if (p.kind !== 'completion') throw new Error('kind');
    const frac = p.mask.reduce((a, b) => a + b, 0) / p.mask.length;
    expect(Math.abs(frac - 0.3)).toBeLessThan(0.03); // 3600 draws: 4 standard deviations
  });

  it('robust PCA: S⋆ keeps every row and column within the density α and entries within ±b', () => {
    const inst = nodeInstance(doc({ kind: 'rpca', rank: 3, generate: { seed: 5, n: 50, m: 40, corruption: 0.1 } }));
    const p = inst.problem;
    if (p.kind !== 'rpca' || !p.Sstar) throw new Error('kind');
    const S = p.Sstar;
    let total = 0;
    for (let i = 0; i < 50; i++) {
      let row = 0;
      for (let c = 0; c < 40; c++) if (S.data[i * 40 + c] !== 0) row++;
      expect(row).toBeLessThanOrEqual(4);
      total += row;
    }
    for (let c = 0; c < 40; c++) {
      let col = 0;
      for (let i = 0; i < 50; i++) if (S.data[i * 40 + c] !== 0) col++;
      expect(col).toBeLessThanOrEqual(5);
    }
    expect(total).toBeGreaterThan(100); // most of the 50·4 draws survive the column budgets
    expect(Math.max(...S.data.map(Math.abs))).toBeCloseTo(p.bound, 12);
  });
});

describe('the sparse-set projection (row and column top-k)', () => {
  it('keeps an entry only when it is among the k largest of its row and of its column, clipped to ±b', () => {
    // 3×4, α = 0.25, γ = 1: one entry per row, one per column (⌈0.25·4⌉ = 1, ⌈0.25·3⌉ = 1)
    const R = Float64Array.from([
      5, 1, 0, -2,
      4, 0, 3, 0,
      -6, 0.5, 0, 1,
    ]);
    const S = sparseProjection(R, 3, 4, 0.25, 1, 4.5);
    // row maxima: 5 (col 0), 4 (col 0), −6 (col 0); column 0's largest is −6 → only (2, 0) survives, clipped
    expect(Array.from(S)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, -4.5, 0, 0, 0]);
    const S2 = sparseProjection(R, 3, 4, 0.5, 1, 10); // two per row, two per column
    expect(Array.from(S2)).toEqual([5, 0, 0, -2, 0, 0, 3, 0, -6, 0, 0, 1]);
  });
});

describe('impossible settings get a message naming the field', () => {
  const bad = (problem: ExperimentInput['problem'], alg: 'dgd-local' | 'gd' | 'dgd' = 'dgd-local', J = 3) => () => buildInstance(parseExperiment({
    ...doc(problem, alg === 'dgd' ? 'dgd-local' : alg), ...(alg === 'dgd' ? { algorithm: { name: 'dgd', stepsize: 1e-3, iterations: 1 } } : {}),
    ...(alg === 'gd' ? {} : { network: { ...net, J } }),
  }));
  it.each([
    ['fewer than 1 measurement per node', { kind: 'sensing', rank: 1, generate: { seed: 1, n: 4, m: 6, measurements: 0 } }, /measurements must be at least 1 per node/],
    ['measurements split below 1 per node', { kind: 'sensing', rank: 1, generate: { seed: 1, n: 4, m: 6, measurements: 2, split: true } }, /split over J = 3 nodes leave some node with none/],
    ['pObs = 0', { kind: 'completion', rank: 1, pObs: 0, generate: { seed: 1, n: 4, m: 6 } }, /pObs must be in \(0, 1\]/],
    ['pObs > 1', { kind: 'completion', rank: 1, pObs: 1.5, generate: { seed: 1, n: 4, m: 6 } }, /pObs must be in \(0, 1\]/],
    ['no pObs and no mask', { kind: 'completion', rank: 1, generate: { seed: 1, n: 4, m: 6 } }, /problem\.pObs: give the sampling probability/],
    ['corruption = 1', { kind: 'rpca', rank: 1, generate: { seed: 1, n: 4, m: 6, corruption: 1 } }, /corruption must be in \[0, 1\)/],
    ['corruption < 0', { kind: 'rpca', rank: 1, generate: { seed: 1, n: 4, m: 6, corruption: -0.1 } }, /corruption must be in \[0, 1\)/],
    ['λ < 0', { kind: 'sensing', rank: 1, lambda: -1, generate: { seed: 1, n: 4, m: 6, measurements: 5 } }, /lambda must be ≥ 0/],
    ['λ < 0 on a factorization', { kind: 'factorization', rank: 1, lambda: -0.5, generate: { seed: 1, n: 4, m: 6 } }, /lambda must be ≥ 0/],
    ['rank above the sizes (sensing)', { kind: 'sensing', rank: 5, generate: { seed: 1, n: 4, m: 6, measurements: 5 } }, /problem\.rank: is 5 but must be at most min\(n, m\) = 4/],
    ['rank above the sizes (completion)', { kind: 'completion', rank: 7, pObs: 0.5, generate: { seed: 1, n: 9, m: 6 } }, /problem\.rank: is 7 but must be at most min\(n, m\) = 6/],
    ['rank above the sizes (RPCA)', { kind: 'rpca', rank: 7, generate: { seed: 1, n: 9, m: 6, corruption: 0.1 } }, /problem\.rank: is 7/],
    ['an empty observed set for a node', { kind: 'completion', rank: 1, pObs: 0.5, M: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, mask: { shape: [2, 3], data: [1, 0, 1, 1, 0, 1] } }, /problem\.mask: node 2 observes no entry of its 2×1 block/],
    ['a mask that is not 0/1', { kind: 'completion', rank: 1, M: { shape: [1, 3], data: [1, 2, 3] }, mask: { shape: [1, 3], data: [1, 0.5, 1] } }, /mask\.data\[1\]: is 0\.5; mask entries must be 0 \(missing\) or 1/],
    ['RPCA data without α', { kind: 'rpca', rank: 1, M: { shape: [3, 3], data: [1, 2, 3, 4, 5, 6, 7, 8, 9] } }, /problem\.alpha: given data needs the corruption density/],
  ] as const)('%s', (_what, problem, message) => {
    expect(bad(problem as ExperimentInput['problem'])).toThrow(message);
  });

  it('a sampling rate so low that a node sees nothing', () => {
    expect(bad({ kind: 'completion', rank: 1, pObs: 1e-6, generate: { seed: 1, n: 3, m: 3 } })).toThrow(/problem\.pObs: node 1 observes no entry/);
  });

  it('classical DGD on a measured problem', () => {
    expect(bad({ kind: 'sensing', rank: 1, generate: { seed: 1, n: 4, m: 6, measurements: 5 } }, 'dgd')).toThrow(/classical DGD runs factorization, least squares, symmetric sensing, symmetric completion and symmetric robust PCA/);
  });

  it('an operator too large to build', () => {
    expect(bad({ kind: 'sensing', rank: 1, generate: { seed: 1, n: 1000, m: 3000, measurements: 10000 } })).toThrow(/problem\.generate\.measurements: the operators would hold 3\.00e\+10 numbers/);
  });
});
