/**
 * Heterogeneous Matrix Factorization (SPEC §7, [H]) in float64: the objective (7.2), its gradients (7.3),
 * the correction step (7.5) and one round of Algorithm 1, plus the metrics (7.6)/(7.7). This is the
 * reference the GPU engine (src/gpu/families/hmf.ts) is checked against, so it stays plain loops.
 *
 * HMF is not the iteration (1.9) on node objectives: a server averages U_g each round and every source
 * corrects its unique factor against U_g, so it is its own algorithm here.
 *
 * Iterate layout (the `State` of the engines): X = vec U_g (n₁×r₁); Y = for each source i in order
 * [vec V_{i,g} (n₂,ᵢ×r₁) | vec U_{i,l} (n₁×r₂) | vec V_{i,l} (n₂,ᵢ×r₂)], all row-major.
 *
 * Round order: Algorithm 1 is correct → gradient step → average. The iterate kept between rounds is the
 * one *after* the next round's correction (the public code's order, shifted by half a round, SPEC §7.4), so
 * every recorded iterate is feasible (U_gᵀU_{i,l} = 0 up to rounding) and equals Algorithm 1's output —
 * which applies one final correction — after that many rounds. `load` applies round 1's correction.
 * With `correction: false` (the ablation R18) no correction is ever applied.
 */
import { sin } from './fmath';
import { type HmfData, orthonormalizeColumns } from './hmf-model';
import type { StockSetup } from './stocks';
import type { Clip } from './video';
import { KernelMats, type Products } from './kernels';

/** An HMF problem as built (an HMF instance's `problem`): the sources, the parameters, the layout. */
export interface HmfSetup {
  kind: 'hmf';
  data: HmfData;
  params: HmfParams;
  layout: HmfLayout;
  /** θ̂ = 1 − λ_max((1/N)Σᵢ P_{U_{i,l}⋆}) of the planted model (SPEC §7.5), when known */
  misalignment?: number;
  /** the video demo's frame geometry and clip, to fold patches back into images */
  video?: { height: number; width: number; clip: Clip };
  /** the stock case study's tickers, dates, index and planted events (src/core/stocks.ts) */
  stocks?: StockSetup;
}

export interface HmfParams {
  r1: number;
  r2: number;
  /** β ≥ 0 of (7.2) */
  beta: number;
  /** step η (paper normalization, ½ in the loss) */
  eta: number;
  correction: boolean;
}

export interface HmfState {
  X: Float64Array;
  Y: Float64Array;
}

/** Offsets of source i's blocks in Y. */
export interface HmfLayout {
  vg: number[];
  ul: number[];
  vl: number[];
  length: number;
}

export function hmfLayout(data: HmfData, r1: number, r2: number): HmfLayout {
  const vg: number[] = [], ul: number[] = [], vl: number[] = [];
  let o = 0;
  for (const s of data.sources) {
    vg.push(o);
    o += s.n2 * r1;
    ul.push(o);
    o += data.n1 * r2;
    vl.push(o);
    o += s.n2 * r2;
  }
  return { vg, ul, vl, length: o };
}

/**
 * The Cholesky factor L (lower, r×r) of a small symmetric G, or null when G is not numerically positive
 * definite — a factor that lost rank, or one that is no longer finite (a blown-up iterate).
 */
function cholesky(G: Float64Array, r: number): Float64Array | null {
  const L = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j <= i; j++) {
      let s = G[i * r + j];
      for (let k = 0; k < j; k++) s -= L[i * r + k] * L[j * r + k];
      if (i === j) {
        if (!(s > 0 && s < Infinity)) return null;
        L[i * r + i] = Math.sqrt(s);
      } else L[i * r + j] = s / L[j * r + j];
    }
  }
  return L;
}

/** Solve (LLᵀ) X = B in place (B is r×c row-major). */
function choleskySolve(L: Float64Array, r: number, B: Float64Array, c: number): void {
  for (let col = 0; col < c; col++) {
    for (let i = 0; i < r; i++) {
      let s = B[i * c + col];
      for (let k = 0; k < i; k++) s -= L[i * r + k] * B[k * c + col];
      B[i * c + col] = s / L[i * r + i];
    }
    for (let i = r - 1; i >= 0; i--) {
      let s = B[i * c + col];
      for (let k = i + 1; k < r; k++) s -= L[k * r + i] * B[k * c + col];
      B[i * c + col] = s / L[i * r + i];
    }
  }
}

const SINGULAR = 'HMF: UᵀU is singular (a factor lost rank); try a larger init scale';

/** Solve G X = B in place (B is r×c row-major) for a small symmetric positive definite G (r×r), by Cholesky. */
export function spdSolve(G: Float64Array, r: number, B: Float64Array, c: number): void {
  const L = cholesky(G, r);
  if (!L) throw new RangeError(SINGULAR);
  choleskySolve(L, r, B, c);
}

/** AᵀB for row-major A (rows×a) and B (rows×b), starting at the given offsets. */
export function gramTN(A: Float64Array, ao: number, a: number, B: Float64Array, bo: number, b: number, rows: number): Float64Array {
  const C = new Float64Array(a * b);
  for (let i = 0; i < rows; i++) {
    for (let p = 0; p < a; p++) {
      const x = A[ao + i * a + p];
      if (x === 0) continue;
      for (let q = 0; q < b; q++) C[p * b + q] += x * B[bo + i * b + q];
    }
  }
  return C;
}

/**
 * The correction (7.5) for every source, in place: R = (U_gᵀU_g)⁻¹U_gᵀU_{i,l}; U_{i,l} ← U_{i,l} − U_gR,
 * V_{i,g} ← V_{i,g} + V_{i,l}Rᵀ, both with the pre-correction U_{i,l}. Throws when U_gᵀU_g is singular.
 */
export function correct(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState): void {
  if (!tryCorrect(data, p, L, z)) throw new RangeError(SINGULAR);
}

/**
 * The correction (7.5), or false — z untouched — when U_gᵀU_g is not positive definite: U_g lost rank or is
 * no longer finite (a run that blew up).
 */
export function tryCorrect(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState): boolean {
  const { n1 } = data, { r1, r2 } = p;
  const C = cholesky(gramTN(z.X, 0, r1, z.X, 0, r1, n1), r1);
  if (!C) return false;
  data.sources.forEach((s, i) => {
    const R = gramTN(z.X, 0, r1, z.Y, L.ul[i], r2, n1); // r₁×r₂
    choleskySolve(C, r1, R, r2);
    const ul = L.ul[i], vg = L.vg[i], vl = L.vl[i];
    for (let a = 0; a < n1; a++) {
      for (let c = 0; c < r2; c++) {
        let t = 0;
        for (let k = 0; k < r1; k++) t += z.X[a * r1 + k] * R[k * r2 + c];
        z.Y[ul + a * r2 + c] -= t;
      }
    }
    for (let b = 0; b < s.n2; b++) {
      for (let k = 0; k < r1; k++) {
        let t = 0;
        for (let c = 0; c < r2; c++) t += z.Y[vl + b * r2 + c] * R[k * r2 + c];
        z.Y[vg + b * r1 + k] += t;
      }
    }
  });
  return true;
}

export interface HmfEvaluation {
  /** Σᵢ f̃ᵢ of (7.2) */
  objective: number;
  /** Σᵢ fᵢ, the data-fit part alone */
  fit: number;
  /** ∇_{U_g} of each f̃ᵢ, stacked [N, n₁, r₁] (only when gradients were asked for) */
  gUg?: Float64Array[];
  /** ∇ of Σᵢ f̃ᵢ with respect to the local blocks, in Y's layout */
  gY?: Float64Array;
}

/** ‖AᵀA − I‖² for A (rows×r) at offset o, and optionally D = AᵀA − I. */
function orthDefect(A: Float64Array, o: number, r: number, rows: number): { d2: number; D: Float64Array } {
  const D = gramTN(A, o, r, A, o, r, rows);
  let d2 = 0;
  for (let k = 0; k < r; k++) D[k * r + k] -= 1;
  for (let k = 0; k < r * r; k++) d2 += D[k] * D[k];
  return { d2, D };
}

/**
 * f̃ᵢ of (7.2) for every source and, with `grad`, the gradients (7.3). One pass over each Mᵢ: the residual
 * ℓ' = P_Ω(U_gV_{i,g}ᵀ + U_{i,l}V_{i,l}ᵀ − Mᵢ) is formed entry by entry and never stored.
 */
export function evaluate(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState, grad: boolean, rp: ResidualPass = residualPass): HmfEvaluation {
  const { n1 } = data, { r1, r2, beta } = p;
  const r = r1 + r2;
  const Ug = z.X, Y = z.Y;
  const og = orthDefect(Ug, 0, r1, n1);
  let objective = 0, fit = 0;
  const gUg: Float64Array[] = [];
  const gY = grad ? new Float64Array(Y.length) : undefined;
  data.sources.forEach((s, i) => {
    const n2 = s.n2, vg = L.vg[i], ul = L.ul[i], vl = L.vl[i];
    // Vc = [V_{i,g} | V_{i,l}] (n₂×r) so that the model is Uc·Vcᵀ with Uc = [U_g | U_{i,l}]
    const Vc = new Float64Array(n2 * r);
    for (let b = 0; b < n2; b++) {
      for (let k = 0; k < r1; k++) Vc[b * r + k] = Y[vg + b * r1 + k];
      for (let k = 0; k < r2; k++) Vc[b * r + r1 + k] = Y[vl + b * r2 + k];
    }
    const Uc = new Float64Array(n1 * r);
    for (let a = 0; a < n1; a++) {
      for (let k = 0; k < r1; k++) Uc[a * r + k] = Ug[a * r1 + k];
      for (let k = 0; k < r2; k++) Uc[a * r + r1 + k] = Y[ul + a * r2 + k];
    }
    const gU = grad ? new Float64Array(n1 * r) : null;
    const gV = grad ? new Float64Array(n2 * r) : null;
    const loss = rp(Uc, Vc, s.M, s.mask, n1, n2, r, gU, gV);
    const ol = orthDefect(Y, ul, r2, n1);
    fit += 0.5 * loss;
    objective += 0.5 * loss + 0.5 * beta * (og.d2 + ol.d2);
    if (gU && gV && gY) {
      const g = new Float64Array(n1 * r1);
      for (let a = 0; a < n1; a++) {
        for (let k = 0; k < r1; k++) {
          let reg = 0;
          for (let t = 0; t < r1; t++) reg += Ug[a * r1 + t] * og.D[t * r1 + k];
          g[a * r1 + k] = gU[a * r + k] + 2 * beta * reg;
        }
        for (let k = 0; k < r2; k++) {
          let reg = 0;
          for (let t = 0; t < r2; t++) reg += Y[ul + a * r2 + t] * ol.D[t * r2 + k];
          gY[ul + a * r2 + k] = gU[a * r + r1 + k] + 2 * beta * reg;
        }
      }
      for (let b = 0; b < n2; b++) {
        for (let k = 0; k < r1; k++) gY[vg + b * r1 + k] = gV[b * r + k];
        for (let k = 0; k < r2; k++) gY[vl + b * r2 + k] = gV[b * r + r1 + k];
      }
      gUg.push(g);
    }
  });
  return grad ? { objective, fit, gUg, gY } : { objective, fit };
}

/** residualPass's signature: the plain loops below, or the same sums on the WebAssembly kernels (kernelResidualPass). */
export type ResidualPass = (
  Uc: Float64Array, Vc: Float64Array, M: Float64Array, mask: Uint8Array | null, n1: number, n2: number, r: number,
  gU: Float64Array | null, gV: Float64Array | null,
) => number;

/**
 * residualPass on the WebAssembly kernels (src/core/kernels.ts), in its order: E = −M + Uc·Vcᵀ with every entry's
 * sum started at −M and the products added over k (gemmAcc), the mask applied, the loss summed row by row, then
 * gU = E·Vc (over b from +0) and gV = EᵀUc (over a from +0) as two products — the plain loop's sums, so the same
 * bits (test/unit/wasm-kernels.test.ts); the loop's work on Vcᵀ rows becomes three register-blocked products.
 */
export function kernelResidualPass(k: Products): ResidualPass {
  const m = new KernelMats(k);
  return (Uc, Vc, M, mask, n1, n2, r, gU, gV) => {
    const u = m.put('u', Uc, n1 * r), vt = m.transposed('vt', Vc, n2, r), e = m.scratch('e', n1 * n2);
    const grad = gU !== null && gV !== null;
    const v = grad ? m.put('v', Vc, n2 * r) : 0, gu = grad ? m.scratch('gu', n1 * r) : 0, gv = grad ? m.scratch('gv', n2 * r) : 0;
    const f = k.f64;
    for (let q = 0; q < n1 * n2; q++) f[e + q] = -M[q];
    k.gemmAcc(e, u, vt, n1, r, n2, r, 1, n2, n2);
    if (mask !== null) for (let q = 0; q < n1 * n2; q++) f[e + q] *= mask[q];
    let loss = 0;
    for (let q = 0; q < n1 * n2; q++) loss += f[e + q] * f[e + q];
    if (grad) {
      k.gemm(gu, e, v, n1, n2, r, n2, 1, r, r);
      k.gemm(gv, e, u, n2, n1, r, 1, n2, r, r);
      for (let q = 0; q < n1 * r; q++) gU[q] += f[gu + q];
      for (let q = 0; q < n2 * r; q++) gV[q] += f[gv + q];
    }
    return loss;
  };
}

/**
 * ‖P_Ω(UcVcᵀ − M)‖² for Uc (n₁×r), Vc (n₂×r), and with gU, gV: gU = E·Vc, gV = Eᵀ·Uc for the masked residual
 * E (accumulated; both start at zero). The hot loop of the CPU engine: it works on Vcᵀ (r×n₂) so that every
 * inner loop runs over one contiguous row of n₂ entries, which is what the JavaScript JIT does fastest.
 */
function residualPass(
  Uc: Float64Array, Vc: Float64Array, M: Float64Array, mask: Uint8Array | null, n1: number, n2: number, r: number,
  gU: Float64Array | null, gV: Float64Array | null,
): number {
  const Vt = new Float64Array(r * n2);
  for (let b = 0; b < n2; b++) for (let k = 0; k < r; k++) Vt[k * n2 + b] = Vc[b * r + k];
  const gVt = gV ? new Float64Array(r * n2) : null;
  const e = new Float64Array(n2);
  let loss = 0;
  for (let a = 0; a < n1; a++) {
    const ua = a * r, ma = a * n2;
    for (let b = 0; b < n2; b++) e[b] = -M[ma + b];
    for (let k = 0; k < r; k++) {
      const u = Uc[ua + k], vo = k * n2;
      for (let b = 0; b < n2; b++) e[b] += u * Vt[vo + b];
    }
    if (mask !== null) for (let b = 0; b < n2; b++) e[b] *= mask[ma + b];
    for (let b = 0; b < n2; b++) loss += e[b] * e[b];
    if (gU !== null && gVt !== null) {
      for (let k = 0; k < r; k++) {
        const u = Uc[ua + k], vo = k * n2;
        let s = 0;
        for (let b = 0; b < n2; b++) {
          s += e[b] * Vt[vo + b];
          gVt[vo + b] += u * e[b];
        }
        gU[ua + k] += s;
      }
    }
  }
  if (gV && gVt) for (let b = 0; b < n2; b++) for (let k = 0; k < r; k++) gV[b * r + k] += gVt[k * n2 + b];
  return loss;
}

/**
 * One round of Algorithm 1 from a (corrected) iterate: gradient steps on all four blocks at the same
 * point, U_g ← (1/N)Σᵢ(U_g − η∇_{U_g}f̃ᵢ), then the next round's correction (see the file comment).
 */
export function hmfRound(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState, rp: ResidualPass = residualPass): void {
  const ev = evaluate(data, p, L, z, true, rp);
  const N = data.sources.length;
  const gY = ev.gY!;
  for (let k = 0; k < z.Y.length; k++) z.Y[k] -= p.eta * gY[k];
  const avg = new Float64Array(z.X.length);
  for (const g of ev.gUg!) for (let k = 0; k < avg.length; k++) avg[k] += z.X[k] - p.eta * g[k];
  for (let k = 0; k < avg.length; k++) z.X[k] = avg[k] / N;
  if (p.correction && !tryCorrect(data, p, L, z)) {
    // U_gᵀU_g is singular: the step blew the iterate up (or U_g lost rank), so the round has no result; a
    // non-finite iterate makes the session stop as diverged at this round (the GPU's inverse gives NaN too)
    z.X.fill(NaN);
    z.Y.fill(NaN);
  }
}

/** tr(P_A P_B) for A (rows×a) and B (rows×b) of full column rank: tr((AᵀA)⁻¹AᵀB(BᵀB)⁻¹BᵀA). */
function projectorOverlap(A: Float64Array, ao: number, a: number, B: Float64Array, bo: number, b: number, rows: number): number {
  const LA = cholesky(gramTN(A, ao, a, A, ao, a, rows), a), LB = cholesky(gramTN(B, bo, b, B, bo, b, rows), b);
  if (!LA || !LB) return NaN; // a basis that lost rank or blew up: no projector (a diverged run's metric)
  const C = gramTN(A, ao, a, B, bo, b, rows); // a×b
  const X = C.slice();
  choleskySolve(LA, a, X, b); // (AᵀA)⁻¹C
  const Ct = new Float64Array(b * a);
  for (let p = 0; p < a; p++) for (let q = 0; q < b; q++) Ct[q * a + p] = C[p * b + q];
  choleskySolve(LB, b, Ct, a); // (BᵀB)⁻¹Cᵀ
  let t = 0;
  for (let p = 0; p < a; p++) for (let q = 0; q < b; q++) t += X[p * b + q] * Ct[q * a + p];
  return t;
}

/** ‖P_A − P_B‖² = r_A + r_B − 2 tr(P_A P_B) (the GPU tip of SPEC §7.5: no n₁×n₁ matrix). */
export function projectorDistance(A: Float64Array, ao: number, a: number, B: Float64Array, bo: number, b: number, rows: number): number {
  return Math.max(0, a + b - 2 * projectorOverlap(A, ao, a, B, bo, b, rows));
}

export interface HmfMetrics {
  objective: number;
  fit: number;
  /** (7.6), when the true parts are known */
  sharedError?: number;
  uniqueError?: number;
  /** (7.7), when the true bases are known */
  subspaceError?: number;
  /** maxᵢ ‖U_gᵀU_{i,l}‖ */
  feasibility: number;
  /** ‖U_gᵀU_g − I‖ */
  orthonormality: number;
  /** ‖∇Σᵢf̃ᵢ‖ over all blocks */
  gradientNorm: number;
  /** rating prediction: RMSE of U_gV_{i,g}ᵀ + U_{i,l}V_{i,l}ᵀ (unclipped) on the held-out and on the observed entries */
  testRmse?: number;
  trainRmse?: number;
  /** … and of the trivial baseline, the mean training rating for every held-out one */
  baselineRmse?: number;
}

export function hmfMetrics(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState, rp: ResidualPass = residualPass): HmfMetrics {
  const { n1 } = data, { r1, r2 } = p;
  const ev = evaluate(data, p, L, z, true, rp);
  let g2 = 0;
  for (const v of ev.gY!) g2 += v * v;
  const gsum = new Float64Array(z.X.length);
  for (const g of ev.gUg!) for (let k = 0; k < g.length; k++) gsum[k] += g[k];
  for (const v of gsum) g2 += v * v;
  let feasibility = 0;
  data.sources.forEach((_, i) => {
    const C = gramTN(z.X, 0, r1, z.Y, L.ul[i], r2, n1);
    let s = 0;
    for (const v of C) s += v * v;
    feasibility = Math.max(feasibility, Math.sqrt(s));
  });
  const out: HmfMetrics = {
    objective: ev.objective, fit: ev.fit, feasibility,
    orthonormality: Math.sqrt(orthDefect(z.X, 0, r1, n1).d2), gradientNorm: Math.sqrt(g2),
  };
  const known = data.sources.every((s) => s.shared && s.unique);
  if (known) {
    const parts = reconstructions(data, p, L, z);
    let se = 0, ue = 0;
    data.sources.forEach((s, i) => {
      for (let k = 0; k < s.shared!.length; k++) {
        const ds = parts.shared[i][k] - s.shared![k], du = parts.unique[i][k] - s.unique![k];
        se += ds * ds;
        ue += du * du;
      }
    });
    out.sharedError = se;
    out.uniqueError = ue;
  }
  if (data.sources.some((s) => s.test)) Object.assign(out, heldOutRmse(data, p, L, z, ev.fit));
  const B = data.bases;
  if (B && B.r1 > 0) {
    let sub = projectorDistance(z.X, 0, r1, B.shared, 0, B.r1, n1);
    let u = 0;
    data.sources.forEach((_, i) => (u += projectorDistance(z.Y, L.ul[i], r2, B.unique[i], 0, B.r2, n1)));
    sub += u / data.sources.length;
    out.subspaceError = sub;
  }
  return out;
}

/**
 * The RMSEs of rating prediction ([H] §6.4): on the held-out entries, of the raw predictions
 * U_gV_{i,g}ᵀ + U_{i,l}V_{i,l}ᵀ (the paper clips nothing); on the observed ones, where Σᵢfᵢ =
 * ½Σ_Ω(prediction − M)² already holds the squared errors: √(2·fit/|Ω|); and the trivial baseline's, every
 * held-out rating predicted by the mean observed one.
 */
function heldOutRmse(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState, fit: number): { testRmse: number; trainRmse: number; baselineRmse: number } {
  const { r1, r2 } = p;
  let s = 0, count = 0, observed = 0, total = 0;
  for (const src of data.sources) {
    for (let q = 0; q < src.M.length; q++) {
      if (src.mask && !src.mask[q]) continue;
      observed++;
      total += src.M[q];
    }
  }
  const mean = total / observed;
  let sb = 0;
  data.sources.forEach((src, i) => {
    if (!src.test) return;
    const { index, value } = src.test;
    const vg = L.vg[i], ul = L.ul[i], vl = L.vl[i];
    for (let t = 0; t < index.length; t++) {
      const a = Math.floor(index[t] / src.n2), b = index[t] - a * src.n2;
      let x = -value[t];
      for (let k = 0; k < r1; k++) x += z.X[a * r1 + k] * z.Y[vg + b * r1 + k];
      for (let k = 0; k < r2; k++) x += z.Y[ul + a * r2 + k] * z.Y[vl + b * r2 + k];
      s += x * x;
      sb += (mean - value[t]) * (mean - value[t]);
    }
    count += index.length;
  });
  return { testRmse: count > 0 ? Math.sqrt(s / count) : NaN, trainRmse: Math.sqrt((2 * fit) / observed), baselineRmse: count > 0 ? Math.sqrt(sb / count) : NaN };
}

/** U_gV_{i,g}ᵀ and U_{i,l}V_{i,l}ᵀ for every source (n₁×n₂,ᵢ row-major). */
export function reconstructions(data: HmfData, p: HmfParams, L: HmfLayout, z: HmfState): { shared: Float64Array[]; unique: Float64Array[] } {
  const { n1 } = data, { r1, r2 } = p;
  const shared: Float64Array[] = [], unique: Float64Array[] = [];
  data.sources.forEach((s, i) => {
    const S = new Float64Array(n1 * s.n2), U = new Float64Array(n1 * s.n2);
    const vg = L.vg[i], ul = L.ul[i], vl = L.vl[i];
    for (let a = 0; a < n1; a++) {
      for (let b = 0; b < s.n2; b++) {
        let x = 0, y = 0;
        for (let k = 0; k < r1; k++) x += z.X[a * r1 + k] * z.Y[vg + b * r1 + k];
        for (let k = 0; k < r2; k++) y += z.Y[ul + a * r2 + k] * z.Y[vl + b * r2 + k];
        S[a * s.n2 + b] = x;
        U[a * s.n2 + b] = y;
      }
    }
    shared.push(S);
    unique.push(U);
  });
  return { shared, unique };
}

/**
 * Misalignment θ̂ = 1 − λ_max((1/N)Σᵢ P_{U_{i,l}⋆}) (SPEC §7.5), by power iteration on the n₁-vector
 * operator v ↦ (1/N)Σᵢ Qᵢ(Qᵢᵀv) with orthonormal bases Qᵢ (no n₁×n₁ matrix).
 */
export function misalignment(bases: Float64Array[], n1: number, r2: number, iterations = 500): number {
  const Q = bases.map((B) => {
    const C = B.slice();
    orthonormalizeColumns(C, n1, r2);
    return C;
  });
  let v = new Float64Array(n1);
  for (let a = 0; a < n1; a++) v[a] = 1 + 0.01 * sin(a + 1);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    const w = new Float64Array(n1);
    for (const C of Q) {
      for (let c = 0; c < r2; c++) {
        let d = 0;
        for (let a = 0; a < n1; a++) d += C[a * r2 + c] * v[a];
        for (let a = 0; a < n1; a++) w[a] += (d * C[a * r2 + c]) / Q.length;
      }
    }
    let nw = 0, vw = 0, nv = 0;
    for (let a = 0; a < n1; a++) {
      nw += w[a] * w[a];
      vw += v[a] * w[a];
      nv += v[a] * v[a];
    }
    const next = vw / nv;
    nw = Math.sqrt(nw);
    if (nw === 0) return 1;
    for (let a = 0; a < n1; a++) w[a] /= nw;
    v = w;
    if (Math.abs(next - lambda) < 1e-15) {
      lambda = next;
      break;
    }
    lambda = next;
  }
  return 1 - lambda;
}
