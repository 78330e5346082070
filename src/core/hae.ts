/**
 * Heterogeneous auto-encoders (HAE): Algorithm 2 of [H] (its Appendix A, §3.2 eq. (5); SPEC §7.10), in
 * float64 with hand-written backward passes. This is the reference the WebGPU engine (src/gpu/families/hae.ts,
 * shaders/hae.wgsl) is checked against: plain loops, and the same sums on the CPU engine's WebAssembly kernels
 * (HaeKernels below, the same bits).
 *
 * ── What the paper fixes (P), quoted from [H] §3.2 and Algorithm 2
 * - N sources Mᵢ ∈ ℝ^{d×nᵢ}; M^obs_(i) is Mᵢ with every entry outside the training set replaced by 0, and the
 *   networks are applied to it column by column (a column is one ℝ^d input).
 * - A shared encoder Net_Ug and N unique encoders Net_U(i),l : ℝ^d → ℝʳ, "all encoders have the same
 *   architecture"; one decoder Net_V : ℝʳ → ℝ^d.
 * - Per source and round (Algorithm 2, lines 4–7): Emb_g = Net_Ug(M^obs), Emb_l½ = Net_U(i),l(M^obs);
 *   deflation Emb_l = Emb_l½ − F⁻¹(Proj(F(Emb_g), F(Emb_l½))), with Proj(A, B) = A(AᵀA)⁻¹AᵀB slice by slice;
 *   the loss ‖P_Ω^train(Mᵢ − Net_V(Emb_l + Emb_g))‖² — the decoder reads the *sum* of the shared and the
 *   deflated unique embedding, and the loss has no ½.
 * - F folds an r-vector into k vectors of length r/k; the slice of one column is the (r/k)×k matrix whose
 *   columns are those k vectors, so Proj removes from each of the k unique vectors its projection on the span
 *   of the k shared ones, and afterwards F(Emb_g)ᵀF(Emb_l) = 0 (k×k): the group orthogonality of (5).
 * - Line 8: each node takes an AdamW step (Loshchilov & Hutter) on its own loss, for its copies of the shared
 *   encoder and decoder and its unique encoder; lines 10–11: the server averages the shared-encoder and the
 *   decoder weights, every round.
 *
 * ── What the paper leaves open, and what is chosen here (Prop)
 * - Layers: plain fully connected layers x ↦ σ(Wx + b) (the paper's backbone is Müller et al.'s sparse-kernel
 *   layers, whose Gaussian kernel needs exp; SPEC §7.10 leaves them out of scope). Encoder widths
 *   d → hidden₁ → … → r, decoder widths r → … → hidden₁ → d (the encoder's mirrored); the activation σ
 *   (ReLU, max(0, x), or none) after every layer but the last of each network, so embeddings and outputs are
 *   linear.
 * - F's layout: vector c (c = 0 … k−1) of the fold is the contiguous block of entries c·(r/k) … (c+1)·(r/k)−1
 *   (a Rearrange "(k s) → s k"). AᵀA is inverted exactly (a k×k Cholesky factorisation, no ridge): a column
 *   whose shared vectors are linearly dependent makes the round non-finite, and the session stops it as
 *   diverged, as HMF's singular U_gᵀU_g does.
 * - The regulariser R(i) is AdamW's decoupled weight decay λ, on every weight and bias; AdamW as PyTorch's
 *   `torch.optim.AdamW`: θ ← θ(1 − ηλ); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 *   θ ← θ − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε), t the round (1, 2, …). β₁ᵗ and β₂ᵗ are kept in the iterate
 *   and multiplied by β₁, β₂ once a round (no pow, so every engine gives the same bits).
 * - Every node keeps its own AdamW moments, for its unique encoder and for its copies of the shared weights;
 *   the server averages the weights only (the paper's lines 10–11 name no moments).
 * - Start: every weight and bias uniform in [−1/√fan_in, 1/√fan_in] (PyTorch's nn.Linear default), the
 *   shared encoder and decoder once (every node starts from the server's copy), each unique encoder from its
 *   own sub-stream.
 * - Full batch: a round uses every column of every source (the paper's lines 4–7 apply the networks to the
 *   whole M^obs_(i)).
 *
 * ── Iterate layout (the engines' `State`): X = [θ_g | θ_v], the server's shared-encoder and decoder weights;
 * Y = [θ_l⁽¹⁾ … θ_l⁽ᴺ⁾ | m⁽¹⁾ … m⁽ᴺ⁾ | v⁽¹⁾ … v⁽ᴺ⁾ | β₁ᵗ, β₂ᵗ], where node i's moments m⁽ⁱ⁾, v⁽ⁱ⁾ follow its
 * parameter vector [θ_g | θ_v | θ_l⁽ⁱ⁾]. A network's parameters are its layers in order, each W (out×in,
 * row-major) then b (out).
 */
import { KernelMats, type Products } from './kernels';

export type HaeActivation = 'relu' | 'none';

export interface HaeArch {
  /** d: the length of a column (the rows of every Mᵢ) */
  d: number;
  /** r: the embedding's length */
  r: number;
  /** k: the number of groups F folds an embedding into (r/k each) */
  k: number;
  hidden: readonly number[];
  activation: HaeActivation;
}

export interface HaeOptimizer {
  /** η, AdamW's learning rate */
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** λ, AdamW's decoupled weight decay */
  weightDecay: number;
}

export interface HaeSource {
  /** M^obs: d×n row-major, 0 outside the training set */
  X: Float64Array;
  n: number;
  /** the training set Ω^train (1 = in it); null: every entry */
  mask: Uint8Array | null;
  /** held-out entries, for the test RMSE: row-major indices into d×n and their values (HmfSource's `test`) */
  test?: { index: Uint32Array; value: Float64Array };
}

export interface HaeProblem {
  arch: HaeArch;
  opt: HaeOptimizer;
  sources: HaeSource[];
}

/** Offsets of the iterate's parts (see the file comment). */
export interface HaeLayout {
  N: number;
  /** layer widths of the encoders and of the decoder */
  enc: number[];
  dec: number[];
  /** parameters of one encoder, of the decoder, and of a node ([θ_g | θ_v | θ_l]) */
  Pg: number;
  Pv: number;
  P: number;
  /** in Y: the moments m, v and the two powers β₁ᵗ, β₂ᵗ */
  yM: number;
  yV: number;
  yPow: number;
  xLength: number;
  yLength: number;
}

export interface HaeState {
  X: Float64Array;
  Y: Float64Array;
}

function netParams(widths: readonly number[]): number {
  let p = 0;
  for (let l = 0; l + 1 < widths.length; l++) p += widths[l + 1] * widths[l] + widths[l + 1];
  return p;
}

export function haeLayout(arch: HaeArch, N: number): HaeLayout {
  const enc = [arch.d, ...arch.hidden, arch.r];
  const dec = [arch.r, ...[...arch.hidden].reverse(), arch.d];
  const Pg = netParams(enc), Pv = netParams(dec), P = 2 * Pg + Pv;
  const yM = N * Pg, yV = yM + N * P, yPow = yV + N * P;
  return { N, enc, dec, Pg, Pv, P, yM, yV, yPow, xLength: Pg + Pv, yLength: yPow + 2 };
}

/**
 * The start (see the file comment): weights and biases uniform in [−1/√fan_in, 1/√fan_in] from `uniform`
 * (a source of uniform draws in [0, 1)), moments 0, β₁⁰ = β₂⁰ = 1. Draw order: the shared encoder, the
 * decoder, then each unique encoder from `uniqueStream(i)`.
 */
export function haeStart(L: HaeLayout, shared: () => number, uniqueStream: (i: number) => () => number): HaeState {
  const X = new Float64Array(L.xLength), Y = new Float64Array(L.yLength);
  fillNet(X, 0, L.enc, shared);
  fillNet(X, L.Pg, L.dec, shared);
  for (let i = 0; i < L.N; i++) fillNet(Y, i * L.Pg, L.enc, uniqueStream(i));
  Y[L.yPow] = 1;
  Y[L.yPow + 1] = 1;
  return { X, Y };
}

function fillNet(out: Float64Array, o: number, widths: readonly number[], u: () => number): void {
  for (let l = 0; l + 1 < widths.length; l++) {
    const fin = widths[l], count = widths[l + 1] * fin + widths[l + 1], bound = 1 / Math.sqrt(fin);
    for (let q = 0; q < count; q++) out[o + q] = bound * (2 * u() - 1);
    o += count;
  }
}

// ── forward and backward of one network on a batch of n columns (activations are width×n, row-major) ──

/**
 * A dense layer's three products on the WebAssembly kernels (src/core/kernels.ts), in the plain loops' order:
 * Z = b + W·H with every entry's sum started at its bias and the products added over the inputs (gemmAcc),
 * ∂W += dZ·Hᵀ summed over the columns from +0, ∂H = Wᵀ·dZ summed over the outputs from +0 — the same bits as
 * forwardNet / backwardNet's loops (test/unit/wasm-kernels.test.ts). (The loops skip a weight of exactly 0,
 * the kernels multiply it: only an infinite activation, a diverged run, tells them apart.)
 */
export interface HaeKernels {
  /** Z (fout×n) = b + W·H for W at th[o …] (fout×fin, row-major) and b right after it; `fixed`: H never changes */
  layer(th: Float64Array, o: number, fout: number, fin: number, H: Float64Array, n: number, Z: Float64Array, fixed: boolean): void;
  /** g[at + a·fin + q] += Σⱼ dZ[a, j]·H[q, j] */
  weightGrad(dZ: Float64Array, H: Float64Array, fout: number, fin: number, n: number, g: Float64Array, at: number): void;
  /** dH (fin×n) = Wᵀ·dZ for W at th[o …] */
  inputGrad(th: Float64Array, o: number, fout: number, fin: number, dZ: Float64Array, n: number, dH: Float64Array): void;
}

export function haeKernels(k: Products): HaeKernels {
  const m = new KernelMats(k);
  return {
    layer(th, o, fout, fin, H, n, Z, fixed) {
      const w = m.put('w', th.subarray(o, o + fout * fin)), h = fixed ? m.constant(H) : m.put('h', H, fin * n), c = m.scratch('z', fout * n);
      const f = k.f64;
      for (let a = 0; a < fout; a++) f.fill(th[o + fout * fin + a], c + a * n, c + (a + 1) * n);
      k.gemmAcc(c, w, h, fout, fin, n, fin, 1, n, n);
      Z.set(f.subarray(c, c + fout * n));
    },
    weightGrad(dZ, H, fout, fin, n, g, at) {
      const dz = m.put('dz', dZ, fout * n), ht = m.transposed('ht', H, fin, n), s = m.scratch('dw', fout * fin);
      k.gemm(s, dz, ht, fout, n, fin, n, 1, fin, fin);
      const f = k.f64;
      for (let q = 0; q < fout * fin; q++) g[at + q] += f[s + q];
    },
    inputGrad(th, o, fout, fin, dZ, n, dH) {
      const w = m.put('w', th.subarray(o, o + fout * fin)), dz = m.put('dz', dZ, fout * n), c = m.scratch('dh', fin * n);
      k.gemm(c, w, dz, fin, fout, n, 1, fin, n, n);
      dH.set(k.f64.subarray(c, c + fin * n));
    },
  };
}

interface NetCache {
  /** post[0] is the input; post[l+1] = σ(pre[l]) (= pre[l] for the last layer) */
  pre: Float64Array[];
  post: Float64Array[];
}

function forwardNet(th: Float64Array, o: number, widths: readonly number[], input: Float64Array, n: number, act: HaeActivation, kp?: HaeKernels, fixedInput = false): NetCache {
  const pre: Float64Array[] = [], post: Float64Array[] = [input];
  const layers = widths.length - 1;
  for (let l = 0; l < layers; l++) {
    const fin = widths[l], fout = widths[l + 1], H = post[l];
    const Z = new Float64Array(fout * n);
    const bo = o + fout * fin;
    if (kp) kp.layer(th, o, fout, fin, H, n, Z, fixedInput && l === 0);
    else for (let a = 0; a < fout; a++) {
      const za = a * n;
      for (let j = 0; j < n; j++) Z[za + j] = th[bo + a];
      for (let c = 0; c < fin; c++) {
        const w = th[o + a * fin + c];
        if (w === 0) continue;
        const hc = c * n;
        for (let j = 0; j < n; j++) Z[za + j] += w * H[hc + j];
      }
    }
    pre.push(Z);
    if (l + 1 < layers && act === 'relu') post.push(Z.map((x) => (x > 0 ? x : 0)));
    else post.push(Z);
    o = bo + fout;
  }
  return { pre, post };
}

/**
 * Backward through a network: from dOut (the gradient on its output, widths[last]×n) add the gradients of
 * its weights into g at go, and return the gradient on its input when `wantInput`.
 */
function backwardNet(
  th: Float64Array, o: number, widths: readonly number[], c: NetCache, dOut: Float64Array, n: number, act: HaeActivation,
  g: Float64Array, go: number, wantInput: boolean, kp?: HaeKernels,
): Float64Array | null {
  const layers = widths.length - 1;
  const offs: number[] = [];
  for (let l = 0, p = 0; l < layers; l++) {
    offs.push(p);
    p += widths[l + 1] * widths[l] + widths[l + 1];
  }
  let dZ = dOut;
  for (let l = layers - 1; l >= 0; l--) {
    const fin = widths[l], fout = widths[l + 1], H = c.post[l];
    const wo = offs[l], bo = wo + fout * fin;
    for (let a = 0; a < fout; a++) {
      const za = a * n;
      let sb = 0;
      for (let j = 0; j < n; j++) sb += dZ[za + j];
      g[go + bo + a] += sb;
      if (!kp) {
        for (let q = 0; q < fin; q++) {
          const hq = q * n;
          let s = 0;
          for (let j = 0; j < n; j++) s += dZ[za + j] * H[hq + j];
          g[go + wo + a * fin + q] += s;
        }
      }
    }
    if (kp) kp.weightGrad(dZ, H, fout, fin, n, g, go + wo);
    if (l === 0 && !wantInput) return null;
    const dH = new Float64Array(fin * n);
    if (kp) kp.inputGrad(th, o + wo, fout, fin, dZ, n, dH);
    else for (let a = 0; a < fout; a++) {
      const za = a * n;
      for (let q = 0; q < fin; q++) {
        const w = th[o + wo + a * fin + q];
        if (w === 0) continue;
        const hq = q * n;
        for (let j = 0; j < n; j++) dH[hq + j] += w * dZ[za + j];
      }
    }
    // through σ of the layer below (the input of layer 0 has none)
    if (l > 0 && act === 'relu') {
      const Zb = c.pre[l - 1];
      for (let q = 0; q < dH.length; q++) if (!(Zb[q] > 0)) dH[q] = 0;
    }
    dZ = dH;
  }
  return dZ;
}

// ── the fold and the deflation (Algorithm 2, line 6), one column at a time ─────────────────────────────

/**
 * Cholesky factor (lower, k×k) of a symmetric G, in place into L; false when G is not numerically positive
 * definite (linearly dependent shared vectors, or non-finite numbers).
 */
function cholesky(G: Float64Array, k: number, L: Float64Array): boolean {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = G[i * k + j];
      for (let t = 0; t < j; t++) s -= L[i * k + t] * L[j * k + t];
      if (i === j) {
        if (!(s > 0 && s < Infinity)) return false;
        L[i * k + i] = Math.sqrt(s);
      } else L[i * k + j] = s / L[j * k + j];
    }
    for (let j = i + 1; j < k; j++) L[i * k + j] = 0;
  }
  return true;
}

/** Solve (LLᵀ)X = B in place, B k×k row-major (its columns are right-hand sides). */
function cholSolve(L: Float64Array, k: number, B: Float64Array): void {
  for (let col = 0; col < k; col++) {
    for (let i = 0; i < k; i++) {
      let s = B[i * k + col];
      for (let t = 0; t < i; t++) s -= L[i * k + t] * B[t * k + col];
      B[i * k + col] = s / L[i * k + i];
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = B[i * k + col];
      for (let t = i + 1; t < k; t++) s -= L[t * k + i] * B[t * k + col];
      B[i * k + col] = s / L[i * k + i];
    }
  }
}

/**
 * Column j of the embeddings Eg, El (r×n): with A = F(g), B = F(u) ((r/k)×k, A[t][c] = g[c·s + t], s = r/k),
 * C = (AᵀA)⁻¹AᵀB and u′ = F⁻¹(B − AC). Writes u′ into Ed and C into Cs (k×k at j·k²); false when AᵀA is
 * singular (then u′ is NaN).
 */
function deflateColumn(Eg: Float64Array, El: Float64Array, Ed: Float64Array, Cs: Float64Array, Ls: Float64Array, j: number, n: number, r: number, k: number): boolean {
  const s = r / k, kk = k * k;
  const G = new Float64Array(kk), C = new Float64Array(kk);
  for (let c = 0; c < k; c++) {
    for (let e = 0; e < k; e++) {
      let gg = 0, gu = 0;
      for (let t = 0; t < s; t++) {
        const a = Eg[(c * s + t) * n + j];
        gg += a * Eg[(e * s + t) * n + j];
        gu += a * El[(e * s + t) * n + j];
      }
      G[c * k + e] = gg;
      C[c * k + e] = gu;
    }
  }
  const L = Ls.subarray(j * kk, (j + 1) * kk);
  if (!cholesky(G, k, L)) {
    for (let q = 0; q < r; q++) Ed[q * n + j] = NaN;
    Cs.fill(NaN, j * kk, (j + 1) * kk);
    return false;
  }
  cholSolve(L, k, C);
  Cs.set(C, j * kk);
  for (let e = 0; e < k; e++) {
    for (let t = 0; t < s; t++) {
      let x = El[(e * s + t) * n + j];
      for (let c = 0; c < k; c++) x -= Eg[(c * s + t) * n + j] * C[c * k + e];
      Ed[(e * s + t) * n + j] = x;
    }
  }
  return true;
}

/**
 * Backward through the deflation of column j. With Ū′ = F(dz) the gradient on B′ = B − AC, S = (AᵀA)⁻¹AᵀŪ′:
 * Ū = Ū′ − AS (the gradient on the unique embedding) and Ā = −(ŪCᵀ + B′Sᵀ) (on the shared one, before the
 * direct path g → g + u′ adds dz). Derived from dC = G⁻¹(dAᵀB′ − AᵀdA·C), G = AᵀA (D).
 */
function deflateColumnBack(
  Eg: Float64Array, Ed: Float64Array, Cs: Float64Array, Ls: Float64Array, dz: Float64Array, dg: Float64Array, du: Float64Array,
  j: number, n: number, r: number, k: number,
): void {
  const s = r / k, kk = k * k;
  const S = new Float64Array(kk);
  for (let c = 0; c < k; c++) {
    for (let e = 0; e < k; e++) {
      let x = 0;
      for (let t = 0; t < s; t++) x += Eg[(c * s + t) * n + j] * dz[(e * s + t) * n + j];
      S[c * k + e] = x;
    }
  }
  cholSolve(Ls.subarray(j * kk, (j + 1) * kk), k, S);
  const C = Cs.subarray(j * kk, (j + 1) * kk);
  // Ū = Ū′ − AS
  for (let e = 0; e < k; e++) {
    for (let t = 0; t < s; t++) {
      let x = dz[(e * s + t) * n + j];
      for (let c = 0; c < k; c++) x -= Eg[(c * s + t) * n + j] * S[c * k + e];
      du[(e * s + t) * n + j] = x;
    }
  }
  // Ā[t][c] = −Σ_e (C[c][e]·Ū[t][e] + S[c][e]·B′[t][e]); plus dz on the direct path
  for (let c = 0; c < k; c++) {
    for (let t = 0; t < s; t++) {
      let x = dz[(c * s + t) * n + j];
      for (let e = 0; e < k; e++) x -= C[c * k + e] * du[(e * s + t) * n + j] + S[c * k + e] * Ed[(e * s + t) * n + j];
      dg[(c * s + t) * n + j] = x;
    }
  }
}

// ── one source: forward, loss, gradients ───────────────────────────────────────────────────────────────

export interface HaeForward {
  /** Net_V(Emb_g + Emb_l), d×n */
  out: Float64Array;
  /** Emb_g and the deflated Emb_l, r×n */
  g: Float64Array;
  u: Float64Array;
  /** ‖P_Ω(M − out)‖² over the training set */
  loss: number;
  /** false when some column's AᵀA was singular */
  ok: boolean;
}

/**
 * The forward pass of source i at node parameters p = [θ_g | θ_v | θ_l] (length L.P) and, with `grad`
 * (length L.P, zeroed by the caller), the gradient of its loss added into it.
 */
export function haeSourcePass(prob: HaeProblem, L: HaeLayout, i: number, p: Float64Array, grad: Float64Array | null, kp?: HaeKernels): HaeForward {
  const { arch } = prob, { r, k, d, activation: act } = arch;
  const src = prob.sources[i], n = src.n;
  const cg = forwardNet(p, 0, L.enc, src.X, n, act, kp, true);
  const cl = forwardNet(p, L.Pg + L.Pv, L.enc, src.X, n, act, kp, true);
  const Eg = cg.post[cg.post.length - 1], El = cl.post[cl.post.length - 1];
  const Ed = new Float64Array(r * n), Cs = new Float64Array(n * k * k), Ls = new Float64Array(n * k * k);
  let ok = true;
  for (let j = 0; j < n; j++) ok = deflateColumn(Eg, El, Ed, Cs, Ls, j, n, r, k) && ok;
  const z = new Float64Array(r * n);
  for (let q = 0; q < z.length; q++) z[q] = Eg[q] + Ed[q];
  const cv = forwardNet(p, L.Pg, L.dec, z, n, act, kp);
  const out = cv.post[cv.post.length - 1];
  let loss = 0;
  const dOut = grad ? new Float64Array(d * n) : null;
  for (let q = 0; q < d * n; q++) {
    if (src.mask && !src.mask[q]) continue;
    const e = out[q] - src.X[q];
    loss += e * e;
    if (dOut) dOut[q] = 2 * e;
  }
  if (grad && dOut) {
    const dz = backwardNet(p, L.Pg, L.dec, cv, dOut, n, act, grad, L.Pg, true, kp)!;
    const dg = new Float64Array(r * n), du = new Float64Array(r * n);
    for (let j = 0; j < n; j++) deflateColumnBack(Eg, Ed, Cs, Ls, dz, dg, du, j, n, r, k);
    backwardNet(p, 0, L.enc, cg, dg, n, act, grad, 0, false, kp);
    backwardNet(p, L.Pg + L.Pv, L.enc, cl, du, n, act, grad, L.Pg + L.Pv, false, kp);
  }
  return { out, g: Eg, u: Ed, loss, ok };
}

/** Node i's parameter vector [θ_g | θ_v | θ_l⁽ⁱ⁾] at an iterate. */
export function nodeParams(L: HaeLayout, z: HaeState, i: number): Float64Array {
  const p = new Float64Array(L.P);
  p.set(z.X, 0);
  p.set(z.Y.subarray(i * L.Pg, (i + 1) * L.Pg), L.Pg + L.Pv);
  return p;
}

/**
 * One round of Algorithm 2 in place: every node's gradient at the server's weights and its own unique
 * encoder, its AdamW step (t = this round), then the server's average of the shared encoder and decoder.
 */
export function haeRound(prob: HaeProblem, L: HaeLayout, z: HaeState, kp?: HaeKernels): void {
  const { lr, beta1, beta2, epsilon, weightDecay } = prob.opt;
  const Ps = L.Pg + L.Pv;
  const p1 = z.Y[L.yPow] * beta1, p2 = z.Y[L.yPow + 1] * beta2;
  const c1 = 1 - p1, c2 = 1 - p2;
  const avg = new Float64Array(Ps);
  for (let i = 0; i < L.N; i++) {
    const p = nodeParams(L, z, i);
    const g = new Float64Array(L.P);
    const f = haeSourcePass(prob, L, i, p, g, kp);
    if (!f.ok) g.fill(NaN);
    const mo = L.yM + i * L.P, vo = L.yV + i * L.P;
    for (let q = 0; q < L.P; q++) {
      const m = beta1 * z.Y[mo + q] + (1 - beta1) * g[q];
      const v = beta2 * z.Y[vo + q] + (1 - beta2) * g[q] * g[q];
      z.Y[mo + q] = m;
      z.Y[vo + q] = v;
      p[q] = p[q] * (1 - lr * weightDecay) - (lr * (m / c1)) / (Math.sqrt(v / c2) + epsilon);
    }
    for (let q = 0; q < Ps; q++) avg[q] += p[q];
    z.Y.set(p.subarray(Ps), i * L.Pg);
  }
  for (let q = 0; q < Ps; q++) z.X[q] = avg[q] / L.N;
  z.Y[L.yPow] = p1;
  z.Y[L.yPow + 1] = p2;
}

export interface HaeMetrics {
  /** Σᵢ‖P_Ω^train(Mᵢ − Net_V(·))‖², the loss Algorithm 2 descends (no ½) */
  loss: number;
  /** √(loss / |Ω^train|) */
  trainRmse: number;
  /** √(Σ over held-out entries (prediction − value)² / their count), when sources hold test entries */
  testRmse?: number;
  /** … and of the trivial baseline, the mean training value predicted for every held-out entry */
  baselineRmse?: number;
  /** ‖∇ Σᵢ lossᵢ‖ at the server's weights (each node's gradient of the shared weights summed) */
  gradientNorm: number;
  /** max over sources and columns of ‖F(Emb_g)ᵀF(Emb_l)‖, the group orthogonality of (5) after deflation */
  groupOrthogonality: number;
}

export function haeMetrics(prob: HaeProblem, L: HaeLayout, z: HaeState, kp?: HaeKernels): HaeMetrics {
  const { r, k } = prob.arch, s = r / k;
  let loss = 0, count = 0, testErr = 0, testCount = 0, orth = 0, total = 0, baseErr = 0;
  for (const src of prob.sources) {
    for (let q = 0; q < src.X.length; q++) {
      if (src.mask && !src.mask[q]) continue;
      total += src.X[q];
      count++;
    }
  }
  const mean = total / count;
  const gs = new Float64Array(L.Pg + L.Pv);
  let g2 = 0;
  for (let i = 0; i < L.N; i++) {
    const src = prob.sources[i], n = src.n;
    const g = new Float64Array(L.P);
    const f = haeSourcePass(prob, L, i, nodeParams(L, z, i), g, kp);
    loss += f.loss;
    for (let q = 0; q < gs.length; q++) gs[q] += g[q];
    for (let q = gs.length; q < L.P; q++) g2 += g[q] * g[q];
    if (src.test) {
      const { index, value } = src.test;
      for (let t = 0; t < index.length; t++) {
        const e = f.out[index[t]] - value[t];
        testErr += e * e;
        baseErr += (mean - value[t]) * (mean - value[t]);
      }
      testCount += index.length;
    }
    for (let j = 0; j < n; j++) {
      let t2 = 0;
      for (let c = 0; c < k; c++) {
        for (let e = 0; e < k; e++) {
          let x = 0;
          for (let t = 0; t < s; t++) x += f.g[(c * s + t) * n + j] * f.u[(e * s + t) * n + j];
          t2 += x * x;
        }
      }
      orth = Math.max(orth, Math.sqrt(t2));
    }
    if (!f.ok) orth = NaN;
  }
  for (const v of gs) g2 += v * v;
  const m: HaeMetrics = { loss, trainRmse: Math.sqrt(loss / count), gradientNorm: Math.sqrt(g2), groupOrthogonality: orth };
  if (testCount > 0) {
    m.testRmse = Math.sqrt(testErr / testCount);
    m.baselineRmse = Math.sqrt(baseErr / testCount);
  }
  return m;
}
