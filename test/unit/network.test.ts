import { describe, expect, it } from 'vitest';
import { fromArray, identity, type Mat } from '../../src/core/linalg';
import { Rng } from '../../src/core/rng';
import {
  buildGraph, checkMixing, degrees, isConnected, lazy, mixingMatrix, networkFigures, omega, spectrum,
  type GraphSpec, type WeightRule,
} from '../../src/core/network';

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const expectClose = (actual: ArrayLike<number>, expected: number[], digits = 12): void => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
};
const square = (rows: number[][]): Mat => fromArray(rows.length, rows.length, rows.flat());

/** Specs for every topology at a given J (grid/torus shapes chosen so rows·cols = J). */
function specsFor(J: number): GraphSpec[] {
  const shape = { 1: [1, 1], 2: [1, 2], 6: [2, 3], 9: [3, 3] }[J] as [number, number];
  const ring = buildGraph({ topology: 'ring', J }).adj;
  return [
    { topology: 'ring', J }, { topology: 'path', J }, { topology: 'star', J }, { topology: 'complete', J },
    { topology: 'grid', J, rows: shape[0], cols: shape[1] }, { topology: 'torus', J, rows: shape[0], cols: shape[1] },
    { topology: 'erdos-renyi', J, p: 0.5, seed: 7 }, { topology: 'random-threshold', J, seed: 7 },
    { topology: 'adjacency', J, adjacency: fromArray(J, J, ring.data.map((v) => 2.5 * v)) },
  ];
}

describe('network: every topology × rule satisfies (2.1)', () => {
  for (const J of [1, 2, 6, 9]) {
    for (const spec of specsFor(J)) {
      it(`${spec.topology}, J = ${J}`, () => {
        const g = buildGraph(spec);
        expect(isConnected(g.adj)).toBe(true);
        for (let i = 0; i < J; i++) {
          expect(g.adj.data[i * J + i], 'no self-loops').toBe(0);
          for (let j = 0; j < J; j++) expect([0, 1]).toContain(g.adj.data[i * J + j]);
        }
        const rules: WeightRule[] = ['metropolis', 'max-degree', 'laplacian'];
        if (spec.topology === 'random-threshold') rules.push('threshold');
        for (const rule of rules) {
          const W = mixingMatrix(g, rule);
          for (const M of [W, lazy(W)]) {
            const c = checkMixing(M);
            expect(c.problems, `${rule}`).toEqual([]);
            expect([c.symmetric, c.nonnegative, c.rowStochastic, c.connected]).toEqual([true, true, true, true]);
            // Support of W off the diagonal is exactly the graph (eq. 2.1).
            for (let k = 0; k < J * J; k++) if (k % (J + 1) !== 0) expect(M.data[k] > 0).toBe(g.adj.data[k] > 0);
          }
          // Lazy step halves omega (SPEC §2) and every rule has a positive diagonal, so lazy gives omega < 1/2.
          expect(omega(lazy(W))).toBeCloseTo(omega(W) / 2, 14);
          expect(omega(lazy(W))).toBeLessThan(0.5);
          if (rule === 'laplacian' || rule === 'threshold') expect(omega(W)).toBeLessThan(0.5);
        }
      });
    }
  }

  it('J = 1 gives W = [[1]], omega 0 and the documented spectrum', () => {
    const W = mixingMatrix(buildGraph({ topology: 'ring', J: 1 }), 'metropolis');
    expect(Array.from(W.data)).toEqual([1]);
    const f = networkFigures(W);
    expect([f.omega, f.oneMinus2Omega, f.lambda2, f.lambdaMin, f.spectralGap, f.fiedler]).toEqual([0, 1, 0, 1, 1, 0]);
  });
});

describe('network: hand-computed omega and spectra', () => {
  it('ring J = 6, Metropolis, and its lazy version', () => {
    // d = 2 everywhere → w = 1/(1+2) = 1/3 on each edge, diagonal 1 − 2/3 = 1/3, so omega = 2/3.
    // W = (I + S + Sᵀ)/3 with S the cyclic shift, whose eigenvalues are e^{2πik/J}; hence
    // λ_k = 1/3 + (2/3)cos(2πk/6) = {1, 2/3, 0, −1/3, 0, 2/3} → λ2 = 2/3, λmin = −1/3, gap = 1 − 2/3 = 1/3.
    // Ring Laplacian eigenvalues 2 − 2cos(2πk/J) → Fiedler 2 − 2cos(π/3) = 1.
    const W = mixingMatrix(buildGraph({ topology: 'ring', J: 6 }), 'metropolis');
    const f = networkFigures(W);
    expect(f.omega).toBeCloseTo(2 / 3, 14);
    expect(f.oneMinus2Omega).toBeCloseTo(-1 / 3, 14);
    expectClose(f.eigenvalues, [-1 / 3, 0, 0, 2 / 3, 2 / 3, 1]);
    expect(f.lambda2).toBeCloseTo(2 / 3, 12);
    expect(f.lambdaMin).toBeCloseTo(-1 / 3, 12);
    expect(f.spectralGap).toBeCloseTo(1 / 3, 12);
    expect(f.fiedler).toBeCloseTo(1, 12);
    // Lazy: omega/2 = 1/3, eigenvalues (1+λ)/2 = {1/3, 1/2, 1/2, 5/6, 5/6, 1}, gap = 1 − 5/6 = 1/6.
    const g = networkFigures(lazy(W));
    expect(g.omega).toBeCloseTo(1 / 3, 14);
    expectClose(g.eigenvalues, [1 / 3, 1 / 2, 1 / 2, 5 / 6, 5 / 6, 1]);
    expect(g.spectralGap).toBeCloseTo(1 / 6, 12);
  });

  it('star, Metropolis, J = 3, 5, 7', () => {
    // Hub degree J−1, leaves degree 1 → w = 1/(1 + (J−1)) = 1/J on each spoke; hub diagonal 1 − (J−1)/J = 1/J,
    // leaf diagonal 1 − 1/J; omega = (J−1)/J at the hub. Eigenvalues: x = (0, v) with v ⊥ 1 gives
    // Wx = (Σv/J, (1−1/J)v) = (1−1/J)x, multiplicity J−2. On span{(1,0), (0,1)} W acts as
    // [[1/J, (J−1)/J], [1/J, (J−1)/J]]: rank 1 with trace 1 → eigenvalues 1 and 0.
    // So λ2 = 1 − 1/J, λmin = 0, gap = 1/J. Star Laplacian eigenvalues {0, 1 (×J−2), J} → Fiedler 1.
    for (const J of [3, 5, 7]) {
      const W = mixingMatrix(buildGraph({ topology: 'star', J }), 'metropolis');
      expect(W.data[0]).toBeCloseTo(1 / J, 15);
      expect(W.data[1]).toBeCloseTo(1 / J, 15);
      expect(W.data[J + 1]).toBeCloseTo(1 - 1 / J, 15);
      const f = networkFigures(W);
      expect(f.omega).toBeCloseTo((J - 1) / J, 14);
      expectClose(f.eigenvalues, [0, ...new Array<number>(J - 2).fill(1 - 1 / J), 1]);
      expect(f.spectralGap).toBeCloseTo(1 / J, 12);
      expect(f.fiedler).toBeCloseTo(1, 12);
    }
  });

  it('complete graph, max-degree: W = 11ᵀ/J', () => {
    // d_max = J−1 → every off-diagonal and diagonal entry is 1/J. omega = (J−1)/J.
    // 11ᵀ/J is the projector onto 1: eigenvalues 1 and 0 (×J−1), so λ2 = λmin = 0 and gap = 1.
    // Laplacian of K_J = J·I − 11ᵀ: eigenvalues 0 and J (×J−1) → Fiedler J.
    const J = 5;
    const W = mixingMatrix(buildGraph({ topology: 'complete', J }), 'max-degree');
    for (const v of W.data) expect(v).toBeCloseTo(1 / J, 15);
    const f = networkFigures(W);
    expect(f.omega).toBeCloseTo(1 - 1 / J, 14);
    expectClose(f.eigenvalues, [0, 0, 0, 0, 1]);
    expect(f.spectralGap).toBeCloseTo(1, 12);
    expect(f.fiedler).toBeCloseTo(J, 12);
  });

  it('path, Laplacian rule', () => {
    // Path Laplacian eigenvalues are 2 − 2cos(πk/J), k = 0..J−1 (J = 3: 0, 1, 3), so W = I − εL has 1 − ε(2 − 2cos(πk/J)).
    // Default ε = 1/(2·d_max + 1) = 1/5 for d_max = 2: eigenvalues {2/5, 4/5, 1}, omega = ε·d_max = 2/5, gap = 1/5.
    const f = networkFigures(mixingMatrix(buildGraph({ topology: 'path', J: 3 }), 'laplacian'));
    expect(f.omega).toBeCloseTo(2 / 5, 14);
    expectClose(f.eigenvalues, [2 / 5, 4 / 5, 1]);
    expect(f.spectralGap).toBeCloseTo(1 / 5, 12);
    expect(f.fiedler).toBeCloseTo(1, 12);
    // J = 5 with ε = 0.2: general formula.
    const eps = 0.2, J = 5;
    const h = networkFigures(mixingMatrix(buildGraph({ topology: 'path', J }), 'laplacian', { epsilon: eps }));
    expect(h.omega).toBeCloseTo(2 * eps, 14);
    expectClose(h.eigenvalues, sorted(Array.from({ length: J }, (_, k) => 1 - eps * (2 - 2 * Math.cos((Math.PI * k) / J)))));
    expect(h.fiedler).toBeCloseTo(2 - 2 * Math.cos(Math.PI / J), 12);
    expect(() => mixingMatrix(buildGraph({ topology: 'path', J }), 'laplacian', { epsilon: 0.6 })).toThrow(/epsilon/);
  });

  it('threshold rule: omega equals omegaT and W_off is proportional to T^tau', () => {
    // max_j Σ_i W_off,ji = omegaT · (max row sum of T^tau) / (max row sum of T^tau) = omegaT.
    const g = buildGraph({ topology: 'random-threshold', J: 8, seed: 3 });
    for (const omegaT of [0.4, 0.25]) expect(omega(mixingMatrix(g, 'threshold', { omegaT }))).toBeCloseTo(omegaT, 14);
    const W = mixingMatrix(g, 'threshold');
    const V = g.values as Mat;
    const ratios = Array.from(V.data.keys()).filter((k) => V.data[k] > 0).map((k) => W.data[k] / V.data[k]);
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0], 14);
    expect(() => mixingMatrix(buildGraph({ topology: 'ring', J: 4 }), 'threshold')).toThrow(/random-threshold/);
  });
});

describe('network: random graphs', () => {
  it('erdos-renyi follows the documented Rng stream and redraws until connected', () => {
    const J = 10, p = 0.3, seed = 1;
    // Reference: pairs i<j in row-major order, edge iff uniform() < p, one stream across redraws.
    const rng = new Rng(seed);
    let ref: Mat;
    do {
      ref = fromArray(J, J, new Array<number>(J * J).fill(0));
      for (let i = 0; i < J; i++) for (let j = i + 1; j < J; j++) if (rng.uniform() < p) ref.data[i * J + j] = ref.data[j * J + i] = 1;
    } while (!isConnected(ref));
    const a = buildGraph({ topology: 'erdos-renyi', J, p, seed });
    expect(Array.from(a.adj.data)).toEqual(Array.from(ref.data));
    expect(Array.from(buildGraph({ topology: 'erdos-renyi', J, p, seed }).adj.data)).toEqual(Array.from(a.adj.data));
    expect(Array.from(buildGraph({ topology: 'erdos-renyi', J, p, seed: 2 }).adj.data)).not.toEqual(Array.from(a.adj.data));
  });

  it('random-threshold is reproducible, connected, keeps only T >= tau, and differs across seeds', () => {
    const spec: GraphSpec = { topology: 'random-threshold', J: 12, tau: 0.6, seed: 5 };
    const a = buildGraph(spec), b = buildGraph(spec);
    expect(Array.from(a.values!.data)).toEqual(Array.from(b.values!.data));
    expect(isConnected(a.adj)).toBe(true);
    for (let k = 0; k < a.adj.data.length; k++) {
      expect(a.values!.data[k] > 0).toBe(a.adj.data[k] > 0);
      if (a.adj.data[k] > 0) expect(a.values!.data[k]).toBeGreaterThanOrEqual(0.6);
    }
    expect(Array.from(buildGraph({ ...spec, seed: 6 }).values!.data)).not.toEqual(Array.from(a.values!.data));
  });

  it('impossible settings throw an Error naming the topology', () => {
    expect(() => buildGraph({ topology: 'erdos-renyi', J: 30, p: 0.001, maxTries: 20 })).toThrow(/erdos-renyi.*p = 0.001/);
    expect(() => buildGraph({ topology: 'random-threshold', J: 30, tau: 0.99, maxTries: 20 })).toThrow(/random-threshold.*tau = 0.99/);
    expect(() => buildGraph({ topology: 'erdos-renyi', J: 5 })).toThrow(/erdos-renyi/);
  });
});

describe('network: checkMixing names the offending entry or row', () => {
  it('reports a non-symmetric W', () => {
    const c = checkMixing(square([[0.7, 0.3, 0], [0.2, 0.5, 0.3], [0, 0.3, 0.7]]));
    expect(c.symmetric).toBe(false);
    expect(c.problems.join('\n')).toContain('W is not symmetric: W[0][1] = 0.3 but W[1][0] = 0.2');
  });
  it('reports a negative entry', () => {
    const c = checkMixing(square([[1.2, -0.2], [-0.2, 1.2]]));
    expect([c.symmetric, c.nonnegative, c.rowStochastic]).toEqual([true, false, true]);
    expect(c.problems.join('\n')).toContain('W[0][1] = -0.2');
  });
  it('reports a row that does not sum to 1', () => {
    const c = checkMixing(square([[0.5, 0.5, 0], [0.5, 0.25, 0.25], [0, 0.25, 0.5]]));
    expect([c.symmetric, c.nonnegative, c.rowStochastic]).toEqual([true, true, false]);
    expect(c.problems.join('\n')).toContain('row 2 sums to 0.75');
  });
  it('reports a disconnected support (from a user adjacency)', () => {
    const adjacency = square([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]);
    const W = mixingMatrix(buildGraph({ topology: 'adjacency', J: 4, adjacency }), 'metropolis');
    const c = checkMixing(W);
    expect([c.symmetric, c.nonnegative, c.rowStochastic, c.connected]).toEqual([true, true, true, false]);
    expect(c.problems).toEqual(['the support of W is not connected: node 2 cannot be reached from node 0']);
    expect(spectrum(W).lambda2).toBeCloseTo(1, 12);
    expect(spectrum(W).fiedler).toBeCloseTo(0, 12);
  });
  it('the identity for J ≥ 2 is disconnected; spectrum rejects a non-symmetric W', () => {
    expect(checkMixing(identity(3)).connected).toBe(false);
    expect(() => spectrum(square([[0.5, 0.5], [0.4, 0.6]]))).toThrow(/not symmetric/);
  });
});

describe('network: grid, torus and adjacency validation', () => {
  it('grid and torus degree counts', () => {
    // 3×4 grid: 4 corners of degree 2, 2·(3−2) + 2·(4−2) = 6 border nodes of degree 3, (3−2)(4−2) = 2 interior of degree 4.
    const grid = degrees(buildGraph({ topology: 'grid', J: 12, rows: 3, cols: 4 }));
    expect([2, 3, 4].map((d) => grid.filter((x) => x === d).length)).toEqual([4, 6, 2]);
    expect(grid.reduce((s, x) => s + x, 0)).toBe(2 * (3 * 3 + 4 * 2)); // 17 edges
    expect(degrees(buildGraph({ topology: 'torus', J: 12, rows: 3, cols: 4 }))).toEqual(new Array<number>(12).fill(4));
    // Sides of length 2 wrap onto the existing neighbour (no double edge), sides of length 1 add no self-loop.
    expect(degrees(buildGraph({ topology: 'torus', J: 6, rows: 2, cols: 3 }))).toEqual(new Array<number>(6).fill(3));
    expect(degrees(buildGraph({ topology: 'torus', J: 4, rows: 2, cols: 2 }))).toEqual([2, 2, 2, 2]);
    expect(degrees(buildGraph({ topology: 'torus', J: 5, rows: 1, cols: 5 }))).toEqual([2, 2, 2, 2, 2]);
    expect(degrees(buildGraph({ topology: 'torus', J: 2, rows: 1, cols: 2 }))).toEqual([1, 1]);
    expect(degrees(buildGraph({ topology: 'grid', J: 6 }))).toEqual([2, 3, 2, 2, 3, 2]); // default shape 2×3
  });

  it('rows·cols ≠ J throws', () => {
    expect(() => buildGraph({ topology: 'grid', J: 12, rows: 3, cols: 5 })).toThrow(/rows × cols must equal J = 12/);
    expect(() => buildGraph({ topology: 'torus', J: 7, rows: 2 })).toThrow(/torus/);
  });

  it('ring and star edge cases', () => {
    expect(degrees(buildGraph({ topology: 'ring', J: 2 }))).toEqual([1, 1]);
    expect(degrees(buildGraph({ topology: 'star', J: 5 }))).toEqual([4, 1, 1, 1, 1]);
    expect(() => buildGraph({ topology: 'ring', J: 0 })).toThrow(/J must be/);
  });

  it('adjacency: diagonal ignored, weights > 0 are edges, bad input throws', () => {
    const g = buildGraph({ topology: 'adjacency', J: 3, adjacency: square([[5, 0.3, 0], [0.3, 1, 2], [0, 2, 0]]) });
    expect(Array.from(g.adj.data)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0]);
    expect(() => buildGraph({ topology: 'adjacency', J: 3 })).toThrow(/adjacency/);
    expect(() => buildGraph({ topology: 'adjacency', J: 3, adjacency: square([[0, 1], [1, 0]]) })).toThrow(/3×3/);
    expect(() => buildGraph({ topology: 'adjacency', J: 2, adjacency: square([[0, 1], [0, 0]]) })).toThrow(/symmetric/);
    expect(() => buildGraph({ topology: 'adjacency', J: 2, adjacency: square([[0, -1], [-1, 0]]) })).toThrow(/nonnegative/);
  });
});
