// The float64 HAE reference (src/core/hae.ts, Algorithm 2 of [H]): its hand-written backward pass against
// central finite differences on every parameter block, the deflation against its definition, AdamW's first
// steps and the server's average worked out by hand, and training that lowers the loss.
import { describe, expect, it } from 'vitest';
import {
  type HaeArch, type HaeOptimizer, type HaeProblem, type HaeSource, haeLayout, haeMetrics, haeRound, haeSourcePass, haeStart, nodeParams,
} from '../../src/core/hae';
import { Rng } from '../../src/core/rng';

const OPT: HaeOptimizer = { lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 };

/** N random sources d×nᵢ (nᵢ = n + i mod 2: widths differ) with ~70 % of the entries in the training set and the rest held out. */
function problem(arch: HaeArch, N: number, n: number, seed: number, opt = OPT): HaeProblem {
  const g = new Rng(seed);
  const sources: HaeSource[] = [];
  for (let i = 0; i < N; i++) {
    const ni = n + (i % 2), len = arch.d * ni;
    const M = g.normals(len), mask = new Uint8Array(len).map(() => (g.uniform() < 0.7 ? 1 : 0));
    sources.push({ X: M.map((x, q) => (mask[q] ? x : 0)), n: ni, mask, test: heldOut(M, mask) });
  }
  return { arch, opt, sources };
}

/** Sources Mᵢ = UVᵢᵀ + UᵢWᵢᵀ (a shared and a source's own rank-1 part), 80 % of the entries for training. */
function lowRank(arch: HaeArch, N: number, n: number, seed: number, opt = OPT): HaeProblem {
  const g = new Rng(seed), d = arch.d;
  const U = g.normals(d);
  const sources: HaeSource[] = [];
  for (let i = 0; i < N; i++) {
    const V = g.normals(n), Ui = g.normals(d), W = g.normals(n), M = new Float64Array(d * n);
    for (let a = 0; a < d; a++) for (let j = 0; j < n; j++) M[a * n + j] = U[a] * V[j] + Ui[a] * W[j];
    const mask = new Uint8Array(d * n).map(() => (g.uniform() < 0.8 ? 1 : 0));
    sources.push({ X: M.map((x, q) => (mask[q] ? x : 0)), n, mask, test: heldOut(M, mask) });
  }
  return { arch, opt, sources };
}

/** The entries outside the training mask as held-out (index, value) pairs. */
function heldOut(M: Float64Array, mask: Uint8Array) {
  const index = Uint32Array.from([...mask.keys()].filter((q) => !mask[q]));
  return { index, value: Float64Array.from(index, (q) => M[q]) };
}

function start(prob: HaeProblem, seed: number) {
  const L = haeLayout(prob.arch, prob.sources.length);
  const u = (s: number) => {
    const r = new Rng(s);
    return () => r.uniform();
  };
  return { L, z: haeStart(L, u(seed), (i) => u(seed + 100 + i)) };
}

const ARCHS: [string, HaeArch][] = [
  ['k = 1, one ReLU hidden layer', { d: 6, r: 4, k: 1, hidden: [5], activation: 'relu' }],
  ['k = 2, r = 8, two ReLU hidden layers', { d: 7, r: 8, k: 2, hidden: [5, 3], activation: 'relu' }],
  ['k = 3, r = 12, no hidden layer', { d: 5, r: 12, k: 3, hidden: [], activation: 'none' }],
  ['k = 2, r = 6, linear hidden layer', { d: 6, r: 6, k: 2, hidden: [4], activation: 'none' }],
];

describe('HAE backward pass against central finite differences', () => {
  it.each(ARCHS)('%s: every parameter of θ_g, θ_v and θ_l', (_, arch) => {
    const prob = problem(arch, 2, 5, 7);
    const { L, z } = start(prob, 3);
    for (let i = 0; i < 2; i++) {
      const p = nodeParams(L, z, i);
      const grad = new Float64Array(L.P);
      haeSourcePass(prob, L, i, p, grad);
      // central differences: truncation O(h²·f‴) and rounding O(ε·|f|/h), both about 1e-10 here with h = 1e-5
      const h = 1e-5, fd = new Float64Array(L.P);
      for (let q = 0; q < L.P; q++) {
        const x = p[q];
        p[q] = x + h;
        const fp = haeSourcePass(prob, L, i, p, null).loss;
        p[q] = x - h;
        const fm = haeSourcePass(prob, L, i, p, null).loss;
        p[q] = x;
        fd[q] = (fp - fm) / (2 * h);
      }
      const blocks: [string, number, number][] = [['θ_g', 0, L.Pg], ['θ_v', L.Pg, L.Pg + L.Pv], ['θ_l', L.Pg + L.Pv, L.P]];
      for (const [name, a, b] of blocks) {
        let scale = 0, worst = 0;
        for (let q = a; q < b; q++) scale = Math.max(scale, Math.abs(fd[q]));
        // the block's gradient is not trivially zero (a deflation that cut the path would give 0 = 0)
        expect(scale, name).toBeGreaterThan(1e-3);
        for (let q = a; q < b; q++) worst = Math.max(worst, Math.abs(grad[q] - fd[q]));
        // relative to the block's largest entry: 1e-6, four orders above the finite differences' own error
        expect(worst / scale, `${name} of node ${i}`).toBeLessThan(1e-6);
      }
    }
  });
});

describe('HAE deflation (Algorithm 2, line 6)', () => {
  it.each(ARCHS)('%s: F(Emb_g)ᵀF(Emb_l) = 0 for every column', (_, arch) => {
    const prob = problem(arch, 3, 6, 11);
    const { L, z } = start(prob, 5);
    expect(haeMetrics(prob, L, z).groupOrthogonality).toBeLessThan(1e-13);
    // and per column and pair of groups, |⟨F(g)_c, F(u′)_e⟩| against ‖F(g)_c‖‖F(u′)_e‖ (a scale-free check)
    const { r, k } = arch, s = r / k, n = prob.sources[0].n;
    const f = haeSourcePass(prob, L, 0, nodeParams(L, z, 0), null);
    for (let j = 0; j < n; j++) {
      for (let c = 0; c < k; c++) for (let e = 0; e < k; e++) {
        let x = 0, ng = 0, nu = 0;
        for (let t = 0; t < s; t++) {
          x += f.g[(c * s + t) * n + j] * f.u[(e * s + t) * n + j];
          ng += f.g[(c * s + t) * n + j] ** 2;
          nu += f.u[(e * s + t) * n + j] ** 2;
        }
        expect(Math.abs(x)).toBeLessThan(1e-13 * Math.sqrt(ng * nu) + 1e-300);
      }
    }
  });

  it('k = 1 matches u − g(gᵀu)/(gᵀg) written out', () => {
    const arch: HaeArch = { d: 4, r: 3, k: 1, hidden: [], activation: 'none' };
    const prob = problem(arch, 1, 4, 2);
    const { L, z } = start(prob, 9);
    const p = nodeParams(L, z, 0);
    const f = haeSourcePass(prob, L, 0, p, null);
    const src = prob.sources[0], n = src.n;
    // the unique encoder (one linear layer) by hand: u = W_l x + b_l
    const o = L.Pg + L.Pv;
    for (let j = 0; j < n; j++) {
      const u = [0, 1, 2].map((a) => p[o + 12 + a] + [0, 1, 2, 3].reduce((t, c) => t + p[o + a * 4 + c] * src.X[c * n + j], 0));
      const g = [0, 1, 2].map((a) => p[12 + a] + [0, 1, 2, 3].reduce((t, c) => t + p[a * 4 + c] * src.X[c * n + j], 0));
      const gu = g[0] * u[0] + g[1] * u[1] + g[2] * u[2], gg = g[0] ** 2 + g[1] ** 2 + g[2] ** 2;
      for (let a = 0; a < 3; a++) {
        expect(f.g[a * n + j]).toBeCloseTo(g[a], 14);
        expect(f.u[a * n + j]).toBeCloseTo(u[a] - (g[a] * gu) / gg, 13);
      }
    }
  });
});

describe('HAE AdamW and the server average (Algorithm 2, lines 8–11)', () => {
  const arch: HaeArch = { d: 5, r: 6, k: 2, hidden: [3], activation: 'relu' };

  it('round 1: each node moves every weight by η·g/(|g| + ε) after the decay, the server averages θ_g and θ_v', () => {
    const prob = problem(arch, 3, 4, 21);
    const { L, z } = start(prob, 4);
    const before = { X: z.X.slice(), Y: z.Y.slice() };
    const grads = [0, 1, 2].map((i) => {
      const g = new Float64Array(L.P);
      haeSourcePass(prob, L, i, nodeParams(L, before, i), g);
      return g;
    });
    haeRound(prob, L, z);
    const { lr, weightDecay: wd, epsilon: eps } = OPT;
    // at t = 1: m̂ = g and v̂ = g², so the step is η·g/(|g| + ε)
    const moved = (x: number, g: number) => x * (1 - lr * wd) - (lr * g) / (Math.abs(g) + eps);
    for (let q = 0; q < L.Pg + L.Pv; q++) {
      const want = (moved(before.X[q], grads[0][q]) + moved(before.X[q], grads[1][q]) + moved(before.X[q], grads[2][q])) / 3;
      expect(z.X[q]).toBeCloseTo(want, 14);
    }
    for (let i = 0; i < 3; i++) {
      for (let q = 0; q < L.Pg; q++) {
        expect(z.Y[i * L.Pg + q]).toBeCloseTo(moved(before.Y[i * L.Pg + q], grads[i][L.Pg + L.Pv + q]), 14);
        // node i's moments: m = (1 − β₁)g, v = (1 − β₂)g²
        const g = grads[i][L.Pg + L.Pv + q];
        expect(z.Y[L.yM + i * L.P + L.Pg + L.Pv + q]).toBeCloseTo(0.1 * g, 15);
        expect(z.Y[L.yV + i * L.P + L.Pg + L.Pv + q]).toBeCloseTo(0.001 * g * g, 15);
      }
    }
    expect(z.Y[L.yPow]).toBe(0.9);
    expect(z.Y[L.yPow + 1]).toBe(0.999);
  });

  it('round 2 uses the bias corrections 1 − β₁², 1 − β₂² on the carried moments', () => {
    const prob = problem(arch, 1, 4, 22);
    const { L, z } = start(prob, 6);
    haeRound(prob, L, z);
    const mid = { X: z.X.slice(), Y: z.Y.slice() };
    const g = new Float64Array(L.P);
    haeSourcePass(prob, L, 0, nodeParams(L, mid, 0), g);
    haeRound(prob, L, z);
    const { lr, weightDecay: wd, epsilon: eps, beta1: b1, beta2: b2 } = OPT;
    for (let q = 0; q < L.Pg + L.Pv; q++) {
      const m = b1 * mid.Y[L.yM + q] + (1 - b1) * g[q], v = b2 * mid.Y[L.yV + q] + (1 - b2) * g[q] * g[q];
      const want = mid.X[q] * (1 - lr * wd) - (lr * m / (1 - b1 * b1)) / (Math.sqrt(v / (1 - b2 * b2)) + eps);
      expect(z.X[q]).toBeCloseTo(want, 14);
    }
    expect(z.Y[L.yPow]).toBeCloseTo(0.81, 15);
  });

  it('r = k²: the fold is square, F(Emb_g) spans every slice, and the deflated unique embedding is 0', () => {
    const prob = problem({ d: 5, r: 4, k: 2, hidden: [], activation: 'none' }, 1, 4, 5);
    const { L, z } = start(prob, 1);
    const f = haeSourcePass(prob, L, 0, nodeParams(L, z, 0), null);
    for (const x of f.u) expect(Math.abs(x)).toBeLessThan(1e-14);
  });

  it('training lowers the masked loss and keeps the group orthogonality', () => {
    const prob = lowRank({ d: 8, r: 6, k: 2, hidden: [6], activation: 'relu' }, 3, 12, 31, { ...OPT, lr: 0.02 });
    const { L, z } = start(prob, 8);
    const m0 = haeMetrics(prob, L, z);
    for (let t = 0; t < 200; t++) haeRound(prob, L, z);
    const m1 = haeMetrics(prob, L, z);
    expect(m1.loss).toBeLessThan(0.2 * m0.loss);
    expect(m1.trainRmse).toBeLessThan(m0.trainRmse);
    expect(m1.groupOrthogonality).toBeLessThan(1e-12);
    expect(m1.testRmse).toBeGreaterThan(0);
  });
});
