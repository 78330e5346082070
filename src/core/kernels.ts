/**
 * The CPU engine's fast products: wasm/kernels.wat (float64 WebAssembly SIMD, register-blocked) behind a small
 * allocator over the module's memory, and the factorization's node term in Gram form built on them.
 *
 * The plain TypeScript path (objectives.ts factorTerm: E = UVᵀ − Y entry by entry, then 2EV and 2EᵀU) stays the
 * oracle and the `--kernels js` choice. The Gram form computes the same function with fewer flops and in
 * products only:
 *
 *   ∇_U ‖UVᵀ − Y‖² = 2(U(VᵀV) − YV),   ∇_V = 2(V(UᵀU) − YᵀU),   ‖UVᵀ − Y‖² = ‖Y‖² − 2⟨U, YV⟩ + ⟨UᵀU, VᵀV⟩
 *
 * (4nmr + 2(n + m)r² + 2(n + m)r² flops against 6nmr). Its rounding differs from the oracle's: the gradients by
 * a few ε·‖Y‖‖V‖ entry-wise, which test/unit/wasm-kernels.test.ts bounds; the value by ε‖Y‖², so the value
 * (which only `DgdLocal.step` returns, and the CPU engine ignores) is the oracle's whenever no gradient is asked
 * for: records and claims read the exact residual.
 */
import type { Mat } from './linalg';

/** The exports of wasm/kernels.wat. */
interface KernelExports {
  gemm(c: number, a: number, b: number, m: number, k: number, n: number, sai: number, sap: number, ldb: number, ldc: number): void;
  gemm_acc(c: number, a: number, b: number, m: number, k: number, n: number, sai: number, sap: number, ldb: number, ldc: number): void;
  node_grad(y: number, n: number, mj: number, r: number, u: number, v: number, yv: number, ytu: number, gu: number, gv: number, ugv: number, vgu: number, gx: number, gy: number): void;
  node_update(mu: number, nr: number, vl: number, gx: number, gy: number, out: number, v: number, src: number, idx: number, w: number, count: number): void;
}

const PAGE = 65536;

/**
 * One instance of the kernels with its memory: `alloc` hands out float64 ranges (as entry offsets, which stay
 * valid when the memory grows; views from `f64` do not), `gemm` multiplies what lies there.
 */
export class Products {
  private top = 8; // entry 0 unused: an offset of 0 is never a real block
  private f64view: Float64Array;
  private readonly x: KernelExports;

  constructor(module: WebAssembly.Module, readonly memory: WebAssembly.Memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 })) {
    const inst = new WebAssembly.Instance(module, { env: { memory } });
    this.x = inst.exports as unknown as KernelExports;
    this.f64view = new Float64Array(memory.buffer);
  }

  /** The memory as float64 entries (re-read after every `alloc`: growing replaces the buffer). */
  get f64(): Float64Array {
    if (this.f64view.buffer !== this.memory.buffer) this.f64view = new Float64Array(this.memory.buffer);
    return this.f64view;
  }

  /** `len` float64 entries (16-byte aligned), as the offset of the first. */
  alloc(len: number): number {
    const off = this.top;
    this.top += len + (len & 1);
    const need = this.top * 8 - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
    return off;
  }

  /**
   * C = A·B (C m×n at entry c, row-major, row stride ldc), A(i, p) at a + i·sai + p·sap, B[p, j] at b + p·ldb + j:
   * A·B for a row-major A (sai = its row stride, sap = 1), AᵀB for a row-major k×m A (sai = 1, sap = its row stride).
   * Every entry is summed in p order from +0 with separate multiplies and adds: linalg.ts matmul's and matmulTN's
   * order, so the results are equal to theirs to the last bit.
   */
  gemm(c: number, a: number, b: number, m: number, k: number, n: number, sai: number, sap: number, ldb: number, ldc: number): void {
    this.x.gemm(c * 8, a * 8, b * 8, m, k, n, sai, sap, ldb, ldc);
  }

  /**
   * C = C + A·B with `gemm`'s operands, each entry's sum started at C's entry and the products added in p order:
   * the order of the TypeScript loops `e = −M[q]; for p … e += a·b` (a residual), so their bits too.
   */
  gemmAcc(c: number, a: number, b: number, m: number, k: number, n: number, sai: number, sap: number, ldb: number, ldc: number): void {
    this.x.gemm_acc(c * 8, a * 8, b * 8, m, k, n, sai, sap, ldb, ldc);
  }

  /** gramGradient's gradients in one call (wasm/kernels.wat node_grad): the same products and entry-wise operations. */
  nodeGrad(y: number, n: number, mj: number, r: number, u: number, v: number, s: GramScratch, gx: number, gy: number): void {
    this.x.node_grad(y * 8, n, mj, r, u * 8, v * 8, s.yv * 8, s.ytu * 8, s.gu * 8, s.gv * 8, s.ugv * 8, s.vgu * 8, gx * 8, gy * 8);
  }

  /**
   * DgdLocal.step's update of one node (wasm/kernels.wat node_update): out = −μ·gx + Σ wᵢ·xⁱ in the given order,
   * xⁱ = src + idx[i]·nr, then v −= μ·gy. `idxByte` is the byte offset of the i32 neighbour indices, `w` the
   * entry offset of their weights.
   */
  nodeUpdate(mu: number, nr: number, vl: number, gx: number, gy: number, out: number, v: number, src: number, idxByte: number, w: number, count: number): void {
    this.x.node_update(mu, nr, vl, gx * 8, gy * 8, out * 8, v * 8, src * 8, idxByte, w * 8, count);
  }
}

/** ‖UVᵀ − Y‖² and, when gU / gV are given, its gradients written into them: objectives.ts's `factorTerm` signature. */
export type FactorTerm = (n: number, mj: number, r: number, U: Float64Array, V: Float64Array, Y: Mat, gU?: Float64Array, gV?: Float64Array) => number;

/** Where the Gram form's products of one node term go: entry offsets into the kernels' memory. */
export interface GramScratch {
  yv: number;
  ytu: number;
  gu: number;
  gv: number;
  ugv: number;
  vgu: number;
}

/** Scratch for node terms up to max(n, mⱼ)·r = `big` entries and rank r. */
export function gramScratch(k: Products, big: number, r: number): GramScratch {
  return { yv: k.alloc(big), ytu: k.alloc(big), gu: k.alloc(r * r), gv: k.alloc(r * r), ugv: k.alloc(big), vgu: k.alloc(big) };
}

/**
 * The node term in Gram form (see the header) with Y (n×mⱼ, ‖Y‖² = ySq), U (n×r) and V (mⱼ×r) already in the
 * kernels' memory at entry offsets y, u, v: writes the gradients into gU / gV and returns the value. One
 * function for the engine's one thread and for its threads (factor-threads.ts), so both give the same bits.
 */
export function gramGradient(
  k: Products, s: GramScratch, y: number, ySq: number, n: number, mj: number, r: number, u: number, v: number,
  gU: Float64Array | undefined, gV: Float64Array | undefined,
): number {
  k.gemm(s.yv, y, v, n, mj, r, mj, 1, r, r); // YV: n×r
  k.gemm(s.ytu, y, u, mj, n, r, 1, mj, r, r); // YᵀU: mⱼ×r
  k.gemm(s.gu, u, u, r, n, r, 1, r, r, r); // UᵀU
  k.gemm(s.gv, v, v, r, mj, r, 1, r, r, r); // VᵀV
  k.gemm(s.ugv, u, s.gv, n, r, r, r, 1, r, r); // U(VᵀV)
  k.gemm(s.vgu, v, s.gu, mj, r, r, r, 1, r, r); // V(UᵀU)
  const f = k.f64;
  let uyv = 0, gg = 0;
  for (let i = 0; i < n * r; i++) uyv += f[u + i] * f[s.yv + i];
  for (let i = 0; i < r * r; i++) gg += f[s.gu + i] * f[s.gv + i];
  if (gU) for (let i = 0; i < n * r; i++) gU[i] = 2 * (f[s.ugv + i] - f[s.yv + i]);
  if (gV) for (let i = 0; i < mj * r; i++) gV[i] = 2 * (f[s.vgu + i] - f[s.ytu + i]);
  return ySq - 2 * uyv + gg;
}

/** Σ y² in index order (the ySq of gramGradient). */
export function sumOfSquares(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] * y[i];
  return s;
}

/**
 * The node term in Gram form on `products` (see the header). Each data block Y is copied into the kernels' memory
 * the first time it is seen (with ‖Y‖²); U and V are copied in at every call (n·r + mⱼ·r entries against the
 * 4n·mⱼ·r flops of the products). Without gradients it returns `exact`'s value: the residual entry by entry.
 */
export function gramFactorTerm(products: Products, exact: FactorTerm): FactorTerm {
  const blocks = new WeakMap<Float64Array, { y: number; ySq: number }>();
  let capBig = 0, capR = 0, s: GramScratch | null = null, u = 0, v = 0;
  return (n, mj, r, U, V, Y, gU, gV) => {
    if (!gU && !gV) return exact(n, mj, r, U, V, Y);
    let b = blocks.get(Y.data);
    if (!b) {
      const y = products.alloc(Y.data.length);
      products.f64.set(Y.data, y);
      blocks.set(Y.data, (b = { y, ySq: sumOfSquares(Y.data) }));
    }
    const big = Math.max(n, mj) * r;
    if (!s || big > capBig || r > capR) {
      s = gramScratch(products, big, r);
      u = products.alloc(big);
      v = products.alloc(big);
      capBig = big;
      capR = r;
    }
    const f = products.f64;
    f.set(U.subarray(0, n * r), u);
    f.set(V.subarray(0, mj * r), v);
    return gramGradient(products, s, b.y, b.ySq, n, mj, r, u, v, gU, gV);
  };
}

/**
 * Float64 arrays mirrored in the kernels' memory for objectives that call `gemm` on their own arrays: constant
 * data copied once (keyed by the array), named scratch that grows when a call needs more. Offsets are entries;
 * read `products.f64` after the last `put` / `scratch` of a call (growing replaces the buffer).
 */
export class KernelMats {
  private readonly consts = new WeakMap<Float64Array, number>();
  private readonly named = new Map<string, { off: number; cap: number }>();

  constructor(readonly products: Products) {}

  /** `a` copied in at its first use, the same offset after (`a` must not change). */
  constant(a: Float64Array): number {
    let off = this.consts.get(a);
    if (off === undefined) {
      off = this.products.alloc(a.length);
      this.products.f64.set(a, off);
      this.consts.set(a, off);
    }
    return off;
  }

  /** A range of at least `len` entries under `name`, reused from call to call (its contents are not kept on growth). */
  scratch(name: string, len: number): number {
    const s = this.named.get(name);
    if (s && s.cap >= len) return s.off;
    const off = this.products.alloc(len);
    this.named.set(name, { off, cap: len });
    return off;
  }

  /** The first `len` entries of `a` copied into the scratch `name`. */
  put(name: string, a: Float64Array, len = a.length): number {
    const off = this.scratch(name, len);
    this.products.f64.set(len === a.length ? a : a.subarray(0, len), off);
    return off;
  }

  /**
   * The residuals e = A·x − b of a row operator A (rows×cols, constant), each eₖ summed from −bₖ over row k in
   * order as the plain loops sum it (gemm_acc): a view of e in the memory, for the caller to read or scale in
   * place before `adjoint` (the view lasts until the next allocation).
   */
  residual(A: Mat, b: Float64Array, x: Float64Array): Float64Array {
    const k = this.products, a = this.constant(A.data), xo = this.put('op-x', x, A.cols), e = this.scratch('op-e', A.rows);
    const f = k.f64;
    for (let q = 0; q < A.rows; q++) f[e + q] = -b[q];
    k.gemmAcc(e, a, xo, A.rows, A.cols, 1, A.cols, 1, 1, 1);
    return f.subarray(e, e + A.rows);
  }

  /** out = Aᵀe for the e of the last `residual` (as it stands then), summed over A's rows in order from +0, or from out's entries with `add`. */
  adjoint(A: Mat, out: Float64Array, add: boolean): void {
    const k = this.products, a = this.constant(A.data), e = this.scratch('op-e', A.rows), g = this.scratch('op-g', A.cols);
    const f = k.f64;
    if (add) {
      f.set(out.subarray(0, A.cols), g);
      k.gemmAcc(g, a, e, A.cols, A.rows, 1, 1, A.cols, 1, 1);
    } else k.gemm(g, a, e, A.cols, A.rows, 1, 1, A.cols, 1, 1);
    out.set(f.subarray(g, g + A.cols));
  }

  /** Aᵀ (cols×rows) of the row-major rows×cols A starting at entry `from` of `a`, into the scratch `name`. */
  transposed(name: string, a: Float64Array, rows: number, cols: number, from = 0): number {
    const off = this.scratch(name, rows * cols);
    const f = this.products.f64;
    for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) f[off + c * rows + i] = a[from + i * cols + c];
    return off;
  }
}
