/**
 * The WebAssembly products (wasm/kernels.wat through src/core/kernels.ts) against the plain TypeScript float64
 * reference: the products bit for bit (same summation order, no fused multiply–add), the Gram-form node term
 * within the rounding bound of the two summation orders, and the CPU engine with the kernels against the same
 * engine on the plain path (`--kernels js`).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assembleKernels } from '../../src/engine/kernels-assemble';
import { Products } from '../../src/core/kernels';
import { type Mat, fromArray, matmul, matmulTN } from '../../src/core/linalg';
import { factorizationLocal } from '../../src/core/objectives';
import { factorizationProblem } from '../../src/core/problem';
import { Rng } from '../../src/core/rng';
import { SYM_PLAIN, symKernelOps } from '../../src/core/problems/symmetric';
import { CpuEngine } from '../../src/engine/cpu';
import { chooseKernels } from '../../src/engine/kernels';
import { cli, docFolder, factorizationDoc, instance, preset } from './helpers';
import type { ExperimentInput } from '../../src/core/experiment';

const module = await WebAssembly.compile((await assembleKernels()) as BufferSource);
const EPS = 2 ** -53;

const random = (rng: Rng, rows: number, cols: number): Mat => fromArray(rows, cols, rng.normals(rows * cols));

/** Puts A into the products' memory and returns its offset. */
function put(k: Products, A: Mat): number {
  const off = k.alloc(A.data.length);
  k.f64.set(A.data, off);
  return off;
}

const bits = (a: ArrayLike<number>) => Array.from(a, (x) => (Object.is(x, -0) ? '-0' : String(x)));

describe('WebAssembly products', () => {
  it('A·B equals linalg.matmul to the last bit, for every tile edge (sizes 1 … 13)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.integer(), (m, kk, n, seed) => {
      const rng = new Rng(seed >>> 0);
      const A = random(rng, m, kk), B = random(rng, kk, n);
      const k = new Products(module);
      const a = put(k, A), b = put(k, B), c = k.alloc(m * n);
      k.gemm(c, a, b, m, kk, n, kk, 1, n, n);
      expect(bits(k.f64.subarray(c, c + m * n))).toEqual(bits(matmul(A, B).data));
    }), { numRuns: 150 });
  });

  it('AᵀB equals linalg.matmulTN to the last bit, and AᵀA (the Gram matrices) too', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.integer(), (kk, m, n, seed) => {
      const rng = new Rng(seed >>> 0);
      const A = random(rng, kk, m), B = random(rng, kk, n);
      const k = new Products(module);
      const a = put(k, A), b = put(k, B), c = k.alloc(m * n), g = k.alloc(m * m);
      k.gemm(c, a, b, m, kk, n, 1, m, n, n);
      k.gemm(g, a, a, m, kk, m, 1, m, m, m);
      expect(bits(k.f64.subarray(c, c + m * n))).toEqual(bits(matmulTN(A, B).data));
      expect(bits(k.f64.subarray(g, g + m * m))).toEqual(bits(matmulTN(A, A).data));
    }), { numRuns: 150 });
  });

  it('gemmAcc starts every sum at C\'s entry: the residual loop e = −M; e += a·b, to the last bit, A·B and AᵀB', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.boolean(), fc.integer(), (m, kk, n, tn, seed) => {
      const rng = new Rng(seed >>> 0);
      const A = tn ? random(rng, kk, m) : random(rng, m, kk), B = random(rng, kk, n), M = random(rng, m, n);
      const k = new Products(module);
      const a = put(k, A), b = put(k, B), c = put(k, M);
      for (let q = 0; q < m * n; q++) k.f64[c + q] = -M.data[q];
      if (tn) k.gemmAcc(c, a, b, m, kk, n, 1, m, n, n);
      else k.gemmAcc(c, a, b, m, kk, n, kk, 1, n, n);
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let e = -M.data[i * n + j];
          for (let p = 0; p < kk; p++) e += (tn ? A.data[p * m + i] : A.data[i * kk + p]) * B.data[p * n + j];
          ref[i * n + j] = e;
        }
      }
      expect(bits(k.f64.subarray(c, c + m * n))).toEqual(bits(ref));
      // and the flag is down again: a plain gemm after it starts from +0
      k.gemm(c, a, b, m, kk, n, tn ? 1 : kk, tn ? m : 1, n, n);
      expect(bits(k.f64.subarray(c, c + m * n))).toEqual(bits((tn ? matmulTN(A, B) : matmul(A, B)).data));
    }), { numRuns: 150 });
  });

  it('a product that does not match the reference is caught (the comparison itself)', () => {
    const rng = new Rng(5);
    const A = random(rng, 5, 6), B = random(rng, 6, 7);
    const k = new Products(module);
    const c = k.alloc(35);
    // A·B read with the wrong stride: a different product
    k.gemm(c, put(k, A), put(k, B), 5, 6, 7, 5, 1, 7, 7);
    expect(bits(k.f64.subarray(c, c + 35))).not.toEqual(bits(matmul(A, B).data));
  });

  it('keeps working when its memory grows (offsets stay valid, the view is renewed)', () => {
    const k = new Products(module);
    const rng = new Rng(9);
    const A = random(rng, 40, 30), B = random(rng, 30, 20);
    const a = put(k, A), b = put(k, B);
    const before = k.memory.buffer.byteLength;
    k.alloc(200_000); // grows by pages
    expect(k.memory.buffer.byteLength).toBeGreaterThan(before);
    const c = k.alloc(800);
    k.gemm(c, a, b, 40, 30, 20, 30, 1, 20, 20);
    expect(bits(k.f64.subarray(c, c + 800))).toEqual(bits(matmul(A, B).data));
  });
});

/**
 * The rounding bound of the node term's gradient ∇_U = 2(UVᵀ − Y)V, entry (i, c), for either summation order:
 * both compute a sum of the same n·mⱼ·r-term expansion in at most mⱼ + r + 2 rounded steps per path, so each is
 * within γ·2Σⱼ(Σₖ|Uᵢₖ||Vⱼₖ| + |Yᵢⱼ|)|Vⱼc| of the exact value, γ = (mⱼ + r + 2)·ε·1.01 (Higham, Accuracy and
 * Stability, §3.1); the two differ by at most twice that.
 */
function gradUBound(n: number, mj: number, r: number, U: Float64Array, V: Float64Array, Y: Mat): Float64Array {
  const gamma = (mj + r + 2) * EPS * 1.01;
  const out = new Float64Array(n * r);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < mj; j++) {
      let e = Math.abs(Y.data[i * mj + j]);
      for (let k = 0; k < r; k++) e += Math.abs(U[i * r + k] * V[j * r + k]);
      for (let c = 0; c < r; c++) out[i * r + c] += 2 * gamma * 2 * e * Math.abs(V[j * r + c]);
    }
  }
  return out;
}

describe('the node term in Gram form', () => {
  const cases = [
    { n: 30, m: 40, r: 3, J: 4 },
    { n: 17, m: 33, r: 5, J: 3 },
    { n: 64, m: 64, r: 8, J: 2 },
  ];

  it.each(cases)('its U-gradient is within the rounding bound of the plain one (n = $n, m = $m, r = $r)', ({ n, m, r, J }) => {
    const rng = new Rng(n * m + r);
    const Y = random(rng, n, m);
    const part = Array.from({ length: J }, (_, j) => Math.floor(m / J) + (j < m % J ? 1 : 0));
    const p = factorizationProblem(Y, r, part);
    const plain = factorizationLocal(p), fast = plain.withProducts!(new Products(module));
    for (let j = 0; j < J; j++) {
      const mj = part[j];
      const U = new Float64Array(rng.normals(n * r)), V = new Float64Array(rng.normals(mj * r));
      const g1 = new Float64Array(n * r), h1 = new Float64Array(mj * r), g2 = new Float64Array(n * r), h2 = new Float64Array(mj * r);
      const f1 = plain.evaluate(j, U, V, g1, h1), f2 = fast.evaluate(j, U, V, g2, h2);
      const bound = gradUBound(n, mj, r, U, V, p.blocks[j]);
      let worst = 0;
      for (let i = 0; i < n * r; i++) worst = Math.max(worst, Math.abs(g1[i] - g2[i]) / bound[i]);
      expect(worst).toBeLessThan(1);
      expect(worst).toBeGreaterThan(0); // the two orders do differ: the comparison is not vacuous
      // the V-gradient is the same expression with the roles of U and V swapped: bound by the transpose
      const boundV = gradUBound(mj, n, r, V, U, fromArray(mj, n, transposeData(p.blocks[j])));
      for (let i = 0; i < mj * r; i++) expect(Math.abs(h1[i] - h2[i])).toBeLessThanOrEqual(boundV[i]);
      // the value in Gram form loses ‖Y‖²·ε-order digits; it is returned with gradients only
      expect(Math.abs(f1 - f2)).toBeLessThan(1e-12 * (f1 + p.blocks[j].data.reduce((s, y) => s + y * y, 0)));
      // without gradients the fast objective returns the exact residual: the oracle's bits
      expect(fast.evaluate(j, U, V)).toBe(plain.evaluate(j, U, V));
    }
  });

  it('a wrong gradient breaks the bound (the bound is tight enough to catch one)', () => {
    const rng = new Rng(3);
    const n = 20, mj = 15, r = 4;
    const Y = random(rng, n, mj);
    const U = new Float64Array(rng.normals(n * r)), V = new Float64Array(rng.normals(mj * r));
    const p = factorizationProblem(Y, r, [mj]);
    const g = new Float64Array(n * r);
    factorizationLocal(p).evaluate(0, U, V, g, new Float64Array(mj * r));
    const bound = gradUBound(n, mj, r, U, V, Y);
    // one ulp-scale slip in one entry of V (as a kernel reading the wrong entry would make, only far smaller)
    const V2 = V.slice();
    V2[5] *= 1 + 1e-9;
    const g2 = new Float64Array(n * r);
    factorizationLocal(p).evaluate(0, U, V2, g2, new Float64Array(mj * r));
    expect(g.some((x, i) => Math.abs(x - g2[i]) > bound[i])).toBe(true);
  });
});

function transposeData(A: Mat): Float64Array {
  const T = new Float64Array(A.data.length);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) T[j * A.rows + i] = A.data[i * A.cols + j];
  return T;
}

describe('the CPU engine on the kernels', () => {
  const runs = [
    { name: 'DGD+LOCAL', doc: factorizationDoc({ n: 24, m: 60, rank: 3, J: 6, iterations: 0 }) },
    { name: 'classical DGD', doc: factorizationDoc({ n: 24, m: 60, rank: 3, J: 6, alg: 'dgd', iterations: 0 }) },
    { name: 'centralized GD', doc: factorizationDoc({ n: 24, m: 60, rank: 3, J: 1, alg: 'gd', iterations: 0 }) },
    { name: 'DGD+LOCAL with balancing', doc: { ...factorizationDoc({ n: 24, m: 60, rank: 3, J: 6, iterations: 0 }), problem: { kind: 'factorization', rank: 3, lambda: 0.5, generate: { seed: 1, n: 24, m: 60 } } } },
  ] as const;

  it.each(runs)('$name: 300 iterations on the kernels stay within 1e-10 of the plain path, and the run does descend', async ({ doc }) => {
    const inst = instance(doc as never);
    const states = [];
    let f0 = 0;
    for (const choice of ['wasm', 'js'] as const) {
      chooseKernels(choice);
      const e = new CpuEngine();
      await e.load(inst);
      expect(e.kernels).toBe(choice);
      f0 = (await e.metrics()).objective;
      await e.advance(300);
      const m = await e.metrics();
      expect(m.objective).toBeLessThan(f0);
      states.push({ ...(await e.snapshot()).state, f: m.objective });
      e.destroy();
    }
    chooseKernels('wasm');
    const [w, j] = states;
    let d = 0, s = 0;
    for (let i = 0; i < w.X.length; i++) {
      d = Math.max(d, Math.abs(w.X[i] - j.X[i]));
      s = Math.max(s, Math.abs(j.X[i]));
    }
    expect(d / s).toBeLessThan(1e-10);
    expect(d).toBeGreaterThan(0); // the two paths round differently: it really ran on the kernels
    expect(Math.abs(w.f - j.f) / f0).toBeLessThan(1e-12);
  });
});

describe('every problem kind on the kernels', () => {
  /** Runs `doc` for `iterations` on the CPU engine with the kernels and plain, counting the kernels' products. */
  async function bothPaths(doc: ExperimentInput, iterations: number) {
    const inst = instance({ ...doc, algorithm: { ...doc.algorithm, iterations } } as ExperimentInput);
    const out = [];
    for (const choice of ['wasm', 'js'] as const) {
      chooseKernels(choice);
      const calls = { gemm: 0 };
      const gemm = Products.prototype.gemm, acc = Products.prototype.gemmAcc;
      Products.prototype.gemm = function (...a) { calls.gemm++; return gemm.apply(this, a); };
      Products.prototype.gemmAcc = function (...a) { calls.gemm++; return acc.apply(this, a); };
      try {
        const e = new CpuEngine();
        await e.load(inst);
        const f0 = (await e.metrics()).objective;
        await e.advance(iterations);
        const m = await e.metrics();
        out.push({ ...(await e.snapshot()).state, f0, f: m.objective, calls: calls.gemm, detail: e.detail });
        e.destroy();
      } finally {
        Products.prototype.gemm = gemm;
        Products.prototype.gemmAcc = acc;
        chooseKernels('wasm');
      }
    }
    return out;
  }

  // the measured problems, least squares, HMF and HAE sum in the plain loops' order on the kernels too
  // (measured.ts MeasuredOps, objectives.ts lsTermOn, hmf.ts kernelResidualPass, hae.ts haeKernels): the same bits
  it.each([
    ['sensing, DGD+LOCAL (R11)', 'r11'],
    ['sensing, GD (R12)', 'r12'],
    ['completion, DGD+LOCAL (R13 distributed)', 'r13-distributed'],
    ['completion with the regulariser Q (R13 Q)', 'r13-q'],
    ['robust PCA (R14)', 'r14'],
    ['least squares, classical DGD (R4)', 'r4'],
    ['HMF, Algorithm 1 with missing entries (R16)', 'r16'],
    ['HMF, the video (R17 at 4 frames of 56×70)', 'r17'],
    ['HAE, Algorithm 2 (linear networks)', 'hae'],
    ['HAE with a ReLU layer of 8', 'hae-relu'],
  ])('%s: the kernels give the plain path\'s bits, and the run descends', async (_, id) => {
    const doc = preset(id === 'hae-relu' ? 'hae' : id) as ExperimentInput & { problem: { video?: object }; algorithm: { hae?: object } };
    if (doc.problem.video) doc.problem.video = { ...doc.problem.video, frames: 4, height: 56, width: 70 };
    if (id === 'hae-relu') doc.algorithm.hae = { ...doc.algorithm.hae, hidden: [8], activation: 'relu' };
    const [w, j] = await bothPaths(doc, 60);
    expect(w.calls).toBeGreaterThan(60); // the products ran on the kernels …
    expect(j.calls).toBe(0); // … and the plain path used none
    expect(w.detail).toMatch(/WebAssembly SIMD kernels/);
    expect(w.f).toBeLessThan(w.f0);
    expect(bits(w.X)).toEqual(bits(j.X));
    expect(bits(w.Y)).toEqual(bits(j.Y));
  });
});

describe('the symmetric family on the kernels', () => {
  /**
   * back(G, V) on the kernels (G·V_C and Gᵀ·V as two products, then added) against the plain loop (both sums
   * interleaved): entry (row, k) sums at most n + w products, in at most n + w + 1 rounded steps on either path, so
   * each is within γ·Σ|terms| of the exact sum, γ = (n + w + 2)·ε·1.01 (Higham §3.1); they differ by at most twice that.
   */
  it.each([[12, 5, 0, 12], [15, 3, 4, 6], [9, 4, 7, 2]])('back(G, V) is within the rounding bound of the plain loop (n = %i, r = %i, block [%i, +%i))', (n, r, o, w) => {
    const rng = new Rng(n * 31 + w);
    const k = new Products(module);
    const fast = symKernelOps(k);
    let differ = 0;
    for (let t = 0; t < 20; t++) {
      const G = new Float64Array(rng.normals(n * w)), V = new Float64Array(rng.normals(n * r));
      const a = new Float64Array(n * r), b = new Float64Array(n * r);
      SYM_PLAIN.back(n, r, o, w, G, V, a);
      fast.back(n, r, o, w, G, V, b);
      const gamma = (n + w + 2) * EPS * 1.01;
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < r; c++) {
          let terms = 0;
          for (let q = 0; q < w; q++) terms += Math.abs(G[i * w + q] * V[(o + q) * r + c]);
          if (i >= o && i < o + w) for (let q = 0; q < n; q++) terms += Math.abs(G[q * w + (i - o)] * V[q * r + c]);
          const d = Math.abs(a[i * r + c] - b[i * r + c]);
          worst = Math.max(worst, d / (2 * gamma * terms));
          if (d > 0) differ++;
          // rows outside the block have one sum only, in the same order: the same bits
          if (i < o || i >= o + w) expect(b[i * r + c]).toBe(a[i * r + c]);
        }
      }
      expect(worst).toBeLessThan(1);
    }
    expect(differ).toBeGreaterThan(0); // the two orders do differ in the block's rows: the bound is not vacuous
    // a product one entry off breaks the bound: a slip of 1e-9 in one entry of V
    const G = new Float64Array(rng.normals(n * w)), V = new Float64Array(rng.normals(n * r));
    const V2 = V.slice();
    V2[o * r] *= 1 + 1e-9;
    const a = new Float64Array(n * r), b = new Float64Array(n * r);
    SYM_PLAIN.back(n, r, o, w, G, V, a);
    fast.back(n, r, o, w, G, V2, b);
    expect(a.some((x, i) => Math.abs(x - b[i]) > 2 * (n + w + 2) * EPS * 1.01 * Math.abs(x) + 1e-300)).toBe(true);
  });

  it.each([
    ['sensing (sym-sensing)', 'sym-sensing', null],
    ['completion (sym-completion)', 'sym-completion', null],
    ['robust PCA (sym-rpca)', 'sym-rpca', null],
    ['completion on 4 nodes, classical DGD', 'sym-completion', 4],
  ] as const)('%s: 100 iterations on the kernels stay within 1e-10 of the plain path, and the run descends', async (_, id, J) => {
    const base = preset(id);
    const doc = (J ? { ...base, network: { topology: 'ring', J }, algorithm: { ...base.algorithm, name: 'dgd' } } : base) as ExperimentInput;
    const inst = instance({ ...doc, algorithm: { ...doc.algorithm, iterations: 100 } } as ExperimentInput);
    const out = [];
    for (const choice of ['wasm', 'js'] as const) {
      chooseKernels(choice);
      const e = new CpuEngine();
      await e.load(inst);
      const f0 = (await e.metrics()).objective;
      await e.advance(100);
      out.push({ X: (await e.snapshot()).state.X, f0, f: (await e.metrics()).objective, detail: e.detail });
      e.destroy();
    }
    chooseKernels('wasm');
    const [w, j] = out;
    expect(w.detail).toMatch(/WebAssembly SIMD kernels/);
    expect(w.f).toBeLessThan(w.f0);
    let d = 0, s = 0;
    for (let i = 0; i < w.X.length; i++) {
      d = Math.max(d, Math.abs(w.X[i] - j.X[i]));
      s = Math.max(s, Math.abs(j.X[i]));
    }
    expect(d / s).toBeLessThan(1e-10);
  });
});

describe('--kernels in the CLI', () => {
  const { writeDoc } = docFolder('lowrank-kernels-');
  const file = writeDoc(factorizationDoc({ n: 20, m: 30, rank: 3, J: 5, iterations: 200 }));
  const finalX = (stdout: string) => (JSON.parse(stdout) as { final: { U: { data: number[] } } }).final.U.data;

  it('runs the same document on either path: close, not equal (the choice is real)', async () => {
    const wasm = await cli(['run', file]);
    const js = await cli(['run', file, '--kernels', 'js']);
    const wasm2 = await cli(['run', '--kernels', 'wasm', file]);
    for (const r of [wasm, js, wasm2]) expect(r.code).toBe(0);
    const [a, b, c] = [finalX(wasm.stdout), finalX(js.stdout), finalX(wasm2.stdout)];
    expect(c).toEqual(a);
    expect(b).not.toEqual(a);
    let d = 0, s = 0;
    for (let i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
      s = Math.max(s, Math.abs(b[i]));
    }
    expect(d / s).toBeLessThan(1e-10);
  });

  it('refuses an unknown choice, and a missing value, with the choices', async () => {
    const bad = await cli(['run', file, '--kernels', 'fortran']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--kernels fortran: use --kernels wasm or js/);
    const none = await cli(['run', file, '--kernels']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--kernels needs a value/);
  });
});
