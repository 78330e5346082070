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
