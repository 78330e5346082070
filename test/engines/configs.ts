/**
 * Random engine-test configurations covering J ∈ {1, 2, 5, 16}, uneven mⱼ including mⱼ = 1,
 * r ∈ {1, 3, 8}, n ∈ {1, 7, 64}, and all three algorithms, drawn from a fixed seed so every engine gets
 * the same list.
 */
import type { ExperimentInput } from '../../src/core/experiment';
import { Rng } from '../../src/core/rng';

export interface EngineCase {
  name: string;
  doc: ExperimentInput;
}

const Js = [1, 2, 5, 16], rs = [1, 3, 8], ns = [1, 7, 64];
const algs = ['dgd-local', 'dgd', 'gd'] as const;

export function engineCases(count = 12, iterations = 200): EngineCase[] {
  const rng = new Rng(2024);
  const cases: EngineCase[] = [];
  for (let c = 0; c < count; c++) {
    // J cycles fastest, n in blocks of four, so all 12 (J, n) pairs appear; r and the algorithm rotate
    // against them, capped by the sizes (r ≤ min(n, m))
    const J = Js[c % Js.length];
    const n = ns[Math.floor(c / Js.length) % ns.length];
    const alg = algs[c % algs.length];
    // uneven blocks: node 0 gets one column, the others 1 … 12
    const partition = Array.from({ length: J }, (_, j) => (j === 0 ? 1 : 1 + rng.int(12)));
    const m = partition.reduce((a, b) => a + b, 0);
    const r = Math.min(rs[(c + Math.floor(c / Js.length)) % rs.length], n, m);
    const seed = 100 + c;
    cases.push({
      name: `${alg} J=${J} n=${n} r=${r} m=[${partition.join(',')}]`,
      doc: {
        format: 'lowrank-lab/experiment', version: 1,
        problem: { kind: 'factorization', rank: r, generate: { seed, n, m, trueRank: r }, ...(alg === 'gd' ? {} : { partition }) },
        network: { topology: J > 4 ? 'erdos-renyi' : 'ring', J, p: 0.5, seed, weights: 'metropolis', lazy: true },
        algorithm: { name: alg, stepsize: { rule: 'practical', c: 0.5 }, iterations, recordEvery: 20 },
        init: { seed, scale: 0.3 },
      },
    });
  }
  return cases;
}

/**
 * The balancing weight λ > 0 on the factorization (every algorithm) and the measured problems of SPEC §5–6:
 * sensing distributed (𝒜/√p and plain N(0, 1)) and centralized, completion with and without Q, RPCA
 * distributed and centralized. Small sizes: the suite runs on every engine.
 */
export function measuredCases(iterations = 100): EngineCase[] {
  const net = (J: number, seed: number) => ({ topology: 'ring' as const, J, seed, weights: 'metropolis' as const, lazy: true });
  const run = (alg: 'dgd-local' | 'gd' | 'dgd', c = 0.5) => ({ name: alg, stepsize: { rule: 'practical' as const, c }, iterations, recordEvery: 20 });
  const doc = (name: string, problem: ExperimentInput['problem'], alg: 'dgd-local' | 'gd' | 'dgd', J: number, seed: number, scale: number, c = 0.5): EngineCase => ({
    name,
    doc: {
      format: 'lowrank-lab/experiment', version: 1, problem,
      ...(alg === 'gd' ? {} : { network: net(J, seed) }),
      algorithm: run(alg, c),
      init: { seed, scale },
    },
  });
  return [
    ...(['dgd-local', 'dgd', 'gd'] as const).map((alg, i) => doc(`factorization λ=0.5 ${alg} J=3 n=9 r=3 m=[2,5,7]`, {
      kind: 'factorization', rank: 3, lambda: 0.5, generate: { seed: 40 + i, n: 9, m: 14 }, ...(alg === 'gd' ? {} : { partition: [2, 5, 7] }),
    }, alg, 3, 40 + i, 0.3)),
    doc('sensing dgd-local J=3 n=8 m=9 r=2 p=40/node 𝒜/√p λ=0.5', {
      kind: 'sensing', rank: 2, lambda: 0.5, generate: { seed: 50, n: 8, m: 9, measurements: 40, normalize: true },
    }, 'dgd-local', 3, 50, 0.5),
    doc('sensing dgd-local J=2 n=6 m=7 r=3 p=30/node N(0,1)', {
      kind: 'sensing', rank: 3, generate: { seed: 51, n: 6, m: 7, measurements: 30 }, partition: [2, 5],
    }, 'dgd-local', 2, 51, 0.5),
    // over 192 rows and 192 column quads of 𝒜ⱼ: every one of the four rows / quads a thread of
    // m_sense_apply / m_sense_adjoint computes, with partial blocks at both ends
    doc('sensing dgd-local J=2 n=16 m=100 r=2 p=300/node 𝒜/√p', {
      kind: 'sensing', rank: 2, generate: { seed: 55, n: 16, m: 100, measurements: 300, normalize: true },
    }, 'dgd-local', 2, 55, 0.5),
    doc('sensing gd n=8 m=8 r=2 p=100 𝒜/√p', {
      kind: 'sensing', rank: 2, generate: { seed: 52, n: 8, m: 8, measurements: 100, normalize: true },
    }, 'gd', 1, 52, 0.5),
    doc('completion dgd-local J=4 n=12 m=16 r=2 p=0.5', {
      kind: 'completion', rank: 2, pObs: 0.5, generate: { seed: 53, n: 12, m: 16 },
    }, 'dgd-local', 4, 53, 0.3),
    doc('completion gd n=16 m=12 r=3 p=0.4 with Q λ=0.5', {
      kind: 'completion', rank: 3, lambda: 0.5, pObs: 0.4, incoherence: { alpha: 0.3, weight: 1 }, generate: { seed: 54, n: 16, m: 12 },
    }, 'gd', 1, 54, 1),
    doc('completion dgd-local J=2 n=10 m=10 r=2 p=0.6 with Q', {
      kind: 'completion', rank: 2, pObs: 0.6, incoherence: { alpha: 0.3, weight: 1 }, generate: { seed: 55, n: 10, m: 10 },
    }, 'dgd-local', 2, 55, 1),
    doc('rpca dgd-local J=2 n=16 m=16 r=2 α=0.1', {
      kind: 'rpca', rank: 2, gamma: 2, generate: { seed: 56, n: 16, m: 16, corruption: 0.1 },
    }, 'dgd-local', 2, 56, 0.3),
    doc('rpca gd n=21 m=14 r=2 α=0.1 λ=0.5', {
      kind: 'rpca', rank: 2, lambda: 0.5, gamma: 1.5, generate: { seed: 57, n: 21, m: 14, corruption: 0.1 },
    }, 'gd', 1, 57, 0.3),
  ];
}
