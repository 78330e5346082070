/** The experiment a fresh page starts with: R3's setup, small enough to finish in a second or two. */
import type { ExperimentInput } from '../core/experiment';

export const DEFAULT_EXPERIMENT: ExperimentInput = {
  format: 'lowrank-lab/experiment',
  version: 1,
  title: 'DGD+LOCAL on a 10-node network',
  problem: { kind: 'factorization', rank: 3, generate: { seed: 3, n: 30, m: 100, trueRank: 3, noise: 0 } },
  network: { topology: 'erdos-renyi', J: 10, p: 0.4, seed: 3, weights: 'metropolis', lazy: true },
  algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: 6000, recordEvery: 20 },
  init: { seed: 3, scale: 0.1 },
};

export const PROBLEM_KINDS = ['factorization', 'least-squares', 'sensing', 'completion', 'rpca'] as const;

/** What the problem switch starts each kind from: small, fast and (for the planted ones) recoverable. */
export const DEFAULT_PROBLEMS: Record<(typeof PROBLEM_KINDS)[number], ExperimentInput['problem']> = {
  factorization: DEFAULT_EXPERIMENT.problem,
  'least-squares': { kind: 'least-squares', generate: { seed: 4, d: 10, rows: 5 } },
  sensing: { kind: 'sensing', rank: 3, generate: { seed: 3, n: 20, m: 30, measurements: 300 } },
  completion: { kind: 'completion', rank: 3, pObs: 0.3, generate: { seed: 3, n: 60, m: 100 } },
  rpca: { kind: 'rpca', rank: 3, gamma: 2, generate: { seed: 3, n: 60, m: 100, corruption: 0.05 } },
};
