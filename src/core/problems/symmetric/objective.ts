/**
 * Node objectives of the symmetric PSD family ([G] §4, eqs. (10)–(12); SPEC §5.3, §6.1, §6.2) over the
 * NodeObjective seam of objectives.ts: shared x = vec Uʲ (n·r, row-major), no private block (localLen 0),
 * so the lab's iteration (1.9) runs them as classical DGD (J > 1) or centralized GD (J = 1).
 *
 * Every data term is a function d(X) of X = UUᵀ read on a column block C = [o, o + w) of node j (all n
 * columns for sensing). With G = ∂d/∂X on the block (n×w) and Uᵦ = U restricted to the rows in C,
 *
 *   ∇_U d = G Uᵦ (into every row) + Gᵀ U (into the rows of C)        — "back(G, U)", both factors of UUᵀ
 *   ∇²_U d [dU] = back(H[D], U) + back(G, dU),  D = dU Uᵀ + U dUᵀ on the block   (H = ∂²d/∂X², linear)
 *
 * | kind       | node j's data term dⱼ                                 | G                       | H[D]            |
 * |------------|-------------------------------------------------------|-------------------------|-----------------|
 * | sensing    | (1/2p) Σ_{k ∈ node j} (⟨Aₖ, X⟩ − bₖ)²                 | (1/p) Σ rₖ Aₖ           | (1/p)Σ⟨Aₖ,D⟩Aₖ  |
 * | completion | (1/2p_obs) Σ_{(i,c) ∈ Ω, c ∈ Cⱼ} (Xᵢc − Mᵢc)²          | P_Ω(X − M)/p_obs        | P_Ω(D)/p_obs    |
 * | rpca       | ½‖(X + S − Mₒ)_{:,Cⱼ}‖²,  S = Π(Mₒ − X) on the block  | X + S − Mₒ (Danskin)    | D (S held fixed)|
 *
 * (p: the total number of measurements over all nodes.) For J = 1 and symmetric G this is the familiar
 * ∇ = 2GU, e.g. 2(UUᵀ + S − Mₒ)U for RPCA ([G] §4.3) and (1/p)Σ rₖ(Aₖ + Aₖᵀ)U for sensing.
 * Completion adds 1/J of Q = λ Σᵢ (‖Uᵢ‖ − α)₊⁴ on every node ([G] (11); SPEC §6.1, gradient row i
 * 4λ t³ Uᵢ/‖Uᵢ‖ with t = ‖Uᵢ‖ − α > 0; Hessian block 4λ[3t² ûûᵀ + (t³/‖Uᵢ‖)(I − ûûᵀ)], û = Uᵢ/‖Uᵢ‖).
 *
 * Σⱼ fⱼ is the centralized objective exactly for sensing and completion. For RPCA each node projects only
 * its own n×mⱼ block with budgets ⌈γα mⱼ⌉ per row and ⌈γα n⌉ per column (as measured.ts does for the
 * asymmetric case), so Σⱼ fⱼ = ½‖UUᵀ + S_J − Mₒ‖² with S_J the blocks' projections side by side, which is
 * the centralized F (one n×n projection) only when the two projections agree. The Hessian of RPCA is that
 * of the smooth majorant with S fixed at Π(Mₒ − UUᵀ) ([G] Theorem 15's "pseudo strict saddle";
 * `symRpcaMajorant` is that function for a given S).
 */
import type { NodeObjective } from '../../objectives';
import { KernelMats, type Products } from '../../kernels';
import type { Mat } from '../../linalg';
import type { SymRpcaProblem, SymmetricProblem } from './problem';
import { symSparseProjection } from './projection';

/** A symmetric problem's node objective, with its data term alone (the fitting error) on the side. */
export interface SymmetricObjective extends NodeObjective {
  /** dⱼ(UUᵀ) without Q */
  dataTerm(j: number, x: Float64Array, y?: Float64Array): number;
  /** RPCA: the sparse estimate Sⱼ (n×mⱼ) at x */
  sparse?(j: number, x: Float64Array): Float64Array;
}

// ------------------------------------------------------------------------------------ block arithmetic

/** X[i, c] = ⟨Uᵢ, U_{o+c}⟩ for the block of columns [o, o + w) (n×w). */
export function blockProduct(n: number, r: number, o: number, w: number, U: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < w; c++) {
      let v = 0;
      for (let k = 0; k < r; k++) v += U[i * r + k] * U[(o + c) * r + k];
      out[i * w + c] = v;
    }
  }
}

/** D = dU Uᵀ + U dUᵀ on the block: D[i, c] = ⟨dUᵢ, U_{o+c}⟩ + ⟨Uᵢ, dU_{o+c}⟩. */
function blockDirection(n: number, r: number, o: number, w: number, U: Float64Array, dU: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < w; c++) {
      let v = 0;
      for (let k = 0; k < r; k++) v += dU[i * r + k] * U[(o + c) * r + k] + U[i * r + k] * dU[(o + c) * r + k];
      out[i * w + c] = v;
    }
  }
}

/** out += G V_{C} (every row i) and Gᵀ V (rows o + c): the derivative of ⟨G, V Uᵀ-type⟩ in both factors. */
function back(n: number, r: number, o: number, w: number, G: Float64Array, V: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < w; c++) {
      const e = G[i * w + c];
      if (e === 0) continue;
      const a = i * r, b = (o + c) * r;
      for (let k = 0; k < r; k++) {
        out[a + k] += e * V[b + k];
        out[b + k] += e * V[a + k];
      }
    }
  }
}

/**
 * Q's share on one node: wt Σᵢ (‖Uᵢ‖ − α)₊⁴; adds the gradient to g and, given (dU, hv), the Hessian
 * product to hv (formulas in the file comment). Q is C²: both vanish where ‖Uᵢ‖ ≤ α.
 */
export function rowPenalty(wt: number, alpha: number, n: number, r: number, U: Float64Array, g?: Float64Array, dU?: Float64Array, hv?: Float64Array): number {
  if (wt === 0) return 0;
  let val = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < r; k++) s += U[i * r + k] * U[i * r + k];
    const nrm = Math.sqrt(s), t = nrm - alpha;
    if (t <= 0) continue;
    const t2 = t * t, t3 = t2 * t;
    val += wt * (t2 * t2);
    if (g) {
      const c = (4 * wt * t3) / nrm;
      for (let k = 0; k < r; k++) g[i * r + k] += c * U[i * r + k];
    }
    if (dU && hv) {
      let ud = 0;
      for (let k = 0; k < r; k++) ud += U[i * r + k] * dU[i * r + k];
      // 4w[3t²(û·d)û + (t³/‖u‖)(d − (û·d)û)]
      const radial = ((3 * t2 - t3 / nrm) * ud) / s, tang = t3 / nrm;
      for (let k = 0; k < r; k++) hv[i * r + k] += 4 * wt * (radial * U[i * r + k] + tang * dU[i * r + k]);
    }
  }
  return val;
}

// ------------------------------------------------------------------------------------ objectives

/**
 * The products of a symmetric objective: plain TypeScript (the oracle, `--kernels js`) or on the WebAssembly
 * kernels (src/core/kernels.ts). UUᵀ on the block and sensing's residuals and Σ eₖAₖ are summed in the plain
 * loops' order (same bits); `back` on the kernels forms G·U_C and Gᵀ·U as two products and adds them, where the
 * plain loop interleaves the two sums in the rows of C: those rows differ by rounding, within
 * γ·Σ|terms| with γ = (n + w + 2)ε (test/unit/wasm-kernels.test.ts). The curvature (hessianVector) stays plain.
 */
export interface SymOps {
  /** X[i, c] = ⟨Uᵢ, U_{o+c}⟩ for the block of columns [o, o + w) (n×w) */
  blockProduct(n: number, r: number, o: number, w: number, U: Float64Array, out: Float64Array): void;
  /** out += G V_C (every row i) and Gᵀ V (rows o + c) */
  back(n: number, r: number, o: number, w: number, G: Float64Array, V: Float64Array, out: Float64Array): void;
  /** sensing's data term at X (nn entries): Σₖ ½·inv·eₖ², e = A·X − b, and G = Σₖ (inv·eₖ)Aₖ when given; null: plain */
  sensing: ((A: Mat, b: Float64Array, X: Float64Array, inv: number, G: Float64Array | null) => number) | null;
}

export const SYM_PLAIN: SymOps = { blockProduct, back, sensing: null };

export function symKernelOps(k: Products): SymOps {
  const m = new KernelMats(k);
  return {
    blockProduct(n, r, o, w, U, out) {
      const u = m.put('u', U, n * r), ut = m.transposed('uct', U, w, r, o * r), x = m.scratch('uu', n * w);
      k.gemm(x, u, ut, n, r, w, r, 1, w, w);
      out.set(k.f64.subarray(x, x + n * w));
    },
    back(n, r, o, w, G, V, out) {
      const g = m.put('g', G, n * w), v = m.put('v', V, n * r), p1 = m.scratch('gv', n * r), p2 = m.scratch('gtv', w * r);
      k.gemm(p1, g, v + o * r, n, w, r, w, 1, r, r); // G·V_C
      k.gemm(p2, g, v, w, n, r, 1, w, r, r); // Gᵀ·V
      const f = k.f64;
      for (let i = 0; i < n * r; i++) out[i] += f[p1 + i];
      for (let i = 0; i < w * r; i++) out[o * r + i] += f[p2 + i];
    },
    sensing(A, b, X, inv, G) {
      const s = m.residual(A, b, X);
      let val = 0;
      for (let q = 0; q < s.length; q++) {
        val += 0.5 * inv * s[q] * s[q];
        s[q] = inv * s[q];
      }
      if (G) m.adjoint(A, G, false); // Σₖ (inv·sₖ)·Aₖ
      return val;
    },
  };
}

/** Data term of node j: value, with G = ∂d/∂X on its block written into G when given. */
type DataFn = (j: number, U: Float64Array, G?: Float64Array) => number;
/** H[D] on node j's block (H linear; RPCA: S held fixed). */
type CurvFn = (j: number, D: Float64Array, out: Float64Array) => void;

interface Pieces { data: DataFn; curv: CurvFn; block: (j: number) => [number, number] }

function sensingPieces(p: Extract<SymmetricProblem, { kind: 'sym-sensing' }>, X: Float64Array, ops: SymOps): Pieces {
  const { n } = p, nn = n * n, inv = 1 / p.total;
  return {
    block: () => [0, n],
    data: (j, U, G) => {
      const A = p.A[j].data, b = p.b[j], rows = p.A[j].rows;
      ops.blockProduct(n, p.r, 0, n, U, X);
      if (ops.sensing) return ops.sensing(p.A[j], b, X, inv, G ?? null);
      if (G) G.fill(0, 0, nn);
      let val = 0;
      for (let k = 0; k < rows; k++) {
        const row = k * nn;
        let s = -b[k];
        for (let q = 0; q < nn; q++) s += A[row + q] * X[q];
        val += 0.5 * inv * s * s;
        if (G) {
          const e = inv * s;
          for (let q = 0; q < nn; q++) G[q] += e * A[row + q];
        }
      }
      return val;
    },
    curv: (j, D, out) => {
      const A = p.A[j].data, rows = p.A[j].rows;
      out.fill(0, 0, nn);
      for (let k = 0; k < rows; k++) {
        const row = k * nn;
        let s = 0;
        for (let q = 0; q < nn; q++) s += A[row + q] * D[q];
        s *= inv;
        for (let q = 0; q < nn; q++) out[q] += s * A[row + q];
      }
    },
  };
}

function completionPieces(p: Extract<SymmetricProblem, { kind: 'sym-completion' }>, X: Float64Array, ops: SymOps): Pieces {
  const { n, r, mask } = p, inv = 1 / p.pObs, M = p.M.data;
  const block = (j: number): [number, number] => [p.offsets[j], p.partition[j]];
  return {
    block,
    data: (j, U, G) => {
      const [o, w] = block(j);
      ops.blockProduct(n, r, o, w, U, X);
      let val = 0;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < w; c++) {
          const q = i * n + o + c;
          const e = mask[q] ? X[i * w + c] - M[q] : 0;
          val += 0.5 * inv * e * e;
          if (G) G[i * w + c] = inv * e;
        }
      }
      return val;
    },
    curv: (j, D, out) => {
      const [o, w] = block(j);
      for (let i = 0; i < n; i++) for (let c = 0; c < w; c++) out[i * w + c] = mask[i * n + o + c] ? inv * D[i * w + c] : 0;
    },
  };
}

/** RPCA's pieces; with `fixedS` the majorant ½‖(X + Sⱼ − Mₒ)_{:,Cⱼ}‖² for those S, else S = Π(Mₒ − X). */
function rpcaPieces(p: SymRpcaProblem, X: Float64Array, Sbuf: Float64Array, fixedS?: Float64Array[], ops: SymOps = SYM_PLAIN): Pieces & { sparseAt: (j: number, U: Float64Array) => Float64Array } {
  const { n, r } = p, Mo = p.M.data;
  const block = (j: number): [number, number] => [p.offsets[j], p.partition[j]];
  /** X on the block and S there (projected, or the fixed one); returns S */
  const sparseAt = (j: number, U: Float64Array): Float64Array => {
    const [o, w] = block(j);
    ops.blockProduct(n, r, o, w, U, X);
    if (fixedS) return fixedS[j];
    const R = Sbuf.subarray(0, n * w);
    for (let i = 0; i < n; i++) for (let c = 0; c < w; c++) R[i * w + c] = Mo[i * n + o + c] - X[i * w + c];
    // the projection reads R before it writes S, so the two may share the buffer
    return symSparseProjection(R.slice(), n, w, p.alpha, p.gamma, p.bound, R);
  };
  return {
    block,
    sparseAt,
    data: (j, U, G) => {
      const [o, w] = block(j);
      const S = sparseAt(j, U);
      let val = 0;
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < w; c++) {
          const q = i * w + c;
          const e = X[q] + S[q] - Mo[i * n + o + c];
          val += 0.5 * e * e;
          if (G) G[q] = e;
        }
      }
      return val;
    },
    curv: (j, D, out) => {
      const [, w] = block(j);
      out.set(D.subarray(0, n * w));
    },
  };
}

function assemble(p: SymmetricProblem, pieces: Pieces, ops: SymOps, extra: Partial<SymmetricObjective> = {}): SymmetricObjective {
  const { n, r } = p;
  const J = p.partition.length;
  const width = p.kind === 'sym-sensing' ? n : Math.max(...p.partition);
  const G = new Float64Array(n * width), D = new Float64Array(n * width), HD = new Float64Array(n * width);
  const Q = p.kind === 'sym-completion' ? p.Q : null;
  const qw = Q ? Q.lambda / J : 0; // 1/J of Q on every node: Σⱼ at consensus is (11)
  return {
    J,
    sharedLen: n * r,
    localLen: p.partition.map(() => 0),
    evaluate(j, x, _y, gx) {
      const [o, w] = pieces.block(j);
      let val: number;
      if (gx) {
        gx.fill(0);
        val = pieces.data(j, x, G);
        ops.back(n, r, o, w, G, x, gx);
      } else {
        val = pieces.data(j, x);
      }
      if (Q) val += rowPenalty(qw, Q.alpha, n, r, x, gx);
      return val;
    },
    hessianVector(j, x, _y, dx, _dy, ox) {
      const [o, w] = pieces.block(j);
      ox.fill(0);
      pieces.data(j, x, G);
      blockDirection(n, r, o, w, x, dx, D);
      pieces.curv(j, D, HD);
      back(n, r, o, w, HD, x, ox);
      back(n, r, o, w, G, dx, ox);
      if (Q) rowPenalty(qw, Q.alpha, n, r, x, undefined, dx, ox);
    },
    dataTerm: (j, x) => pieces.data(j, x),
    ...extra,
  };
}

/**
 * The node objective of a symmetric problem over its `partition` (J = partition.length; [n] gives the
 * centralized objective for GD). Shared x = vec U (n·r), no private variable.
 */
export function symmetricObjective(p: SymmetricProblem, ops: SymOps = SYM_PLAIN): SymmetricObjective {
  const width = p.kind === 'sym-sensing' ? p.n : Math.max(...p.partition);
  const X = new Float64Array(p.n * width);
  const withProducts = (k: Products) => symmetricObjective(p, symKernelOps(k));
  if (p.kind === 'sym-sensing') return assemble(p, sensingPieces(p, X, ops), ops, { withProducts });
  if (p.kind === 'sym-completion') return assemble(p, completionPieces(p, X, ops), ops, { withProducts });
  const pieces = rpcaPieces(p, X, new Float64Array(p.n * width), undefined, ops);
  return assemble(p, pieces, ops, { sparse: (j, x) => pieces.sparseAt(j, x).slice(), withProducts });
}

/**
 * RPCA's smooth majorant with S held fixed: fⱼ(U) = ½‖(UUᵀ + Sⱼ − Mₒ)_{:,Cⱼ}‖² for the given blocks Sⱼ
 * (n×mⱼ each). At S = Π(Mₒ − UUᵀ) it touches the RPCA objective at U and has the same gradient there; its
 * Hessian is the one `symmetricObjective(p).hessianVector` reports ([G] §4.3: "if we fix S, then
 * f_S(U) := ½‖UUᵀ + S − Mₒ‖² is a quadratic function with Hessian equal to identity" in X).
 */
export function symRpcaMajorant(p: SymRpcaProblem, S: Float64Array[]): SymmetricObjective {
  p.partition.forEach((w, j) => {
    if (S[j]?.length !== p.n * w) throw new RangeError(`S[${j}] must hold ${p.n}×${w} entries`);
  });
  const width = Math.max(...p.partition);
  const pieces = rpcaPieces(p, new Float64Array(p.n * width), new Float64Array(p.n * width), S);
  return assemble(p, pieces, SYM_PLAIN, { sparse: (j) => S[j].slice() });
}
