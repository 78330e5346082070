/**
 * The HAE parity checks (Algorithm 2 of [H], src/core/hae.ts against shaders/hae.wgsl), without a test runner,
 * so the Dawn and the Chromium suites share them: the cases, and the comparisons of the forward outputs, of
 * every node's gradient and of the iterate after one round, and of the loss over some rounds, with the
 * float32 tolerances argued below.
 */
import type { State } from '../../src/core/dgd';
import { type HaeLayout, type HaeProblem, haeMetrics, haeRound, haeSourcePass, nodeParams } from '../../src/core/hae';
import { haeActLayout } from '../../src/gpu/families/hae';
import type { ExperimentInput } from '../../src/core/experiment';

const t = (rows: number, cols: number, f: (k: number) => number) => ({ shape: [rows, cols], data: Array.from({ length: rows * cols }, (_, k) => f(k)) });

/**
 * Small documents: ReLU and linear networks, k = 1, 2 and 3, sources of different widths, masks (the hmf kind
 * asks 2r ≤ n₁ of every algorithm, hence the rows).
 */
export const haeCases: { name: string; doc: ExperimentInput }[] = [
  {
    name: 'N = 3 sources 13×(5, 8, 6) with masks, hidden [7] ReLU, r = 6, k = 2',
    doc: {
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'hmf', sharedRank: 6, uniqueRank: 6, sources: [5, 8, 6].map((w, i) => ({ M: t(13, w, (k) => Math.sin(0.7 * k + i) + 0.3 * Math.cos(0.13 * k * (i + 1))), mask: t(13, w, (k) => ((k * 7 + i) % 4 === 0 ? 0 : 1)) })) },
      algorithm: { name: 'hae', stepsize: 0.01, iterations: 40, recordEvery: 10, hae: { hidden: [7], activation: 'relu', groups: 2 } },
      init: { seed: 3 },
    },
  },
  {
    name: 'planted N = 3, 24×10, 20 % missing, hidden [8, 5] ReLU, r = 12, k = 3',
    doc: {
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'hmf', sharedRank: 12, uniqueRank: 12, generate: { seed: 2, N: 3, n1: 24, n2: 10, missing: 0.2, factors: 'gaussian' } },
      algorithm: { name: 'hae', stepsize: 0.005, iterations: 40, recordEvery: 10, hae: { hidden: [8, 5], groups: 3 } },
      init: { seed: 1 },
    },
  },
  {
    name: 'N = 2, 7×(4, 3), nothing missing, no hidden layer, r = 3, k = 1',
    doc: {
      format: 'lowrank-lab/experiment', version: 1,
      problem: { kind: 'hmf', sharedRank: 3, uniqueRank: 3, sources: [4, 3].map((w, i) => ({ M: t(7, w, (k) => Math.cos(0.31 * k + 2 * i)) })) },
      algorithm: { name: 'hae', stepsize: 0.02, iterations: 40, recordEvery: 10, hae: { hidden: [], activation: 'none', groups: 1 } },
      init: { seed: 5 },
    },
  },
];

export interface Mismatch { worst: number; where: string }

/**
 * The forward output Net_V(Emb_g + Emb_l) of every source (from the GPU's `act` after a round) against the
 * float64 pass at the start. A float32 dot product of length K errs by about K·ε₃₂·Σ|aₖbₖ| (STYLE.md 8); the
 * networks here chain three or four of them (K ≤ 12) and a k×k solve, so each output is held to
 * 1e-4·(1 + max |output|): about 50 times the model's estimate, which a wrong weight, column or layer exceeds
 * by orders of magnitude. Returns worst / tolerance.
 */
export function compareForward(prob: HaeProblem, L: HaeLayout, start: State, act: Float32Array): Mismatch {
  const m = prob.sources.reduce((a, s) => a + s.n, 0), d = prob.arch.d;
  const A = haeActLayout(L, m, prob.arch.k);
  let worst = 0, where = '';
  let j0 = 0;
  prob.sources.forEach((s, i) => {
    const f = haeSourcePass(prob, L, i, nodeParams(L, start, i), null);
    let scale = 0;
    for (const x of f.out) scale = Math.max(scale, Math.abs(x));
    const tol = 1e-4 * (1 + scale);
    for (let a = 0; a < d; a++) {
      for (let j = 0; j < s.n; j++) {
        const e = Math.abs(act[A.OUT + a * m + j0 + j] - f.out[a * s.n + j]) / tol;
        if (e > worst) [worst, where] = [e, `source ${i}, output (${a}, ${j}): GPU ${act[A.OUT + a * m + j0 + j]}, float64 ${f.out[a * s.n + j]}`];
      }
    }
    j0 += s.n;
  });
  return { worst, where };
}

/**
 * Every node's gradient [θ_g | θ_v | θ_l] (the GPU's `grad` after a round, taken at the start) against the
 * float64 backward pass, block by block, each entry held to 1e-3 of its block's largest entry: the backward
 * pass chains twice the forward's products, and a gradient entry is a sum over a source's columns of
 * products that cancel, so the bound is relative to the block and ten times the forward's.
 */
export function compareGradients(prob: HaeProblem, L: HaeLayout, start: State, grad: Float32Array): Mismatch {
  let worst = 0, where = '';
  prob.sources.forEach((_, i) => {
    const g = new Float64Array(L.P);
    haeSourcePass(prob, L, i, nodeParams(L, start, i), g);
    for (const [name, a, b] of [['θ_g', 0, L.Pg], ['θ_v', L.Pg, L.Pg + L.Pv], ['θ_l', L.Pg + L.Pv, L.P]] as const) {
      let scale = 0;
      for (let q = a; q < b; q++) scale = Math.max(scale, Math.abs(g[q]));
      const tol = 1e-3 * scale + 1e-30;
      for (let q = a; q < b; q++) {
        const e = Math.abs(grad[i * L.P + q] - g[q]) / tol;
        if (e > worst) [worst, where] = [e, `node ${i}, ${name}[${q - a}]: GPU ${grad[i * L.P + q]}, float64 ${g[q]}`];
      }
    }
  });
  return { worst, where };
}

/**
 * The iterate after one round against the float64 round. At t = 1 AdamW moves a weight by η·g/(|g| + ε),
 * about ±η whatever |g|: where the float64 gradient is below 1e-3 of its block's largest entry its sign is
 * within the float32 gradient's error, so the two may step opposite ways (a difference up to 2η + rounding);
 * everywhere else a weight is held to 1e-6 + 1e-5·|weight|. Returns worst / tolerance.
 */
export function compareFirstRound(prob: HaeProblem, L: HaeLayout, start: State, got: State): Mismatch {
  const want = { X: start.X.slice(), Y: start.Y.slice() };
  haeRound(prob, L, want);
  // the gradient's size per node and block, to know where its sign is unreliable
  const grads = prob.sources.map((_, i) => {
    const g = new Float64Array(L.P);
    haeSourcePass(prob, L, i, nodeParams(L, start, i), g);
    return g;
  });
  const blockScale = (g: Float64Array, a: number, b: number) => g.subarray(a, b).reduce((s, x) => Math.max(s, Math.abs(x)), 0);
  const lr = prob.opt.lr;
  let worst = 0, where = '';
  const check = (gotV: number, wantV: number, unsure: boolean, what: string) => {
    const tol = unsure ? 2 * lr + 1e-5 : 1e-6 + 1e-5 * Math.abs(wantV);
    const e = Math.abs(gotV - wantV) / tol;
    if (e > worst) [worst, where] = [e, `${what}: GPU ${gotV}, float64 ${wantV}`];
  };
  for (let q = 0; q < L.Pg + L.Pv; q++) {
    const [a, b] = q < L.Pg ? [0, L.Pg] : [L.Pg, L.Pg + L.Pv];
    const unsure = grads.some((g) => Math.abs(g[q]) < 1e-3 * blockScale(g, a, b));
    check(got.X[q], want.X[q], unsure, `shared weight ${q}`);
  }
  prob.sources.forEach((_, i) => {
    const g = grads[i], o = L.Pg + L.Pv, s = blockScale(g, o, L.P);
    for (let q = 0; q < L.Pg; q++) check(got.Y[i * L.Pg + q], want.Y[i * L.Pg + q], Math.abs(g[o + q]) < 1e-3 * s, `node ${i} unique weight ${q}`);
  });
  return { worst, where };
}

/** The loss Σᵢ‖P_Ω(Mᵢ − Net_V(·))‖² of the float64 rounds from `start`, at rounds 0, every, 2·every, … ≤ rounds. */
export function referenceLosses(prob: HaeProblem, L: HaeLayout, start: State, rounds: number, every: number): number[] {
  const z = { X: start.X.slice(), Y: start.Y.slice() };
  const out = [haeMetrics(prob, L, z).loss];
  for (let k = every; k <= rounds; k += every) {
    for (let t = 0; t < every; t++) haeRound(prob, L, z);
    out.push(haeMetrics(prob, L, z).loss);
  }
  return out;
}
