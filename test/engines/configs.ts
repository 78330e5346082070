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
