/**
 * Saddle-initialised runs (SPEC §4.2 C-d). With Y = Σₖ σₖ pₖ qₖᵀ and an index set S (1-based, |S| = r, or
 * empty for the origin), U = [pᵢ√σᵢ]ᵢ∈S, V = [qᵢ√σᵢ]ᵢ∈S is a critical point of f (1.1) with
 * λ_min(∇²f) = −2(σₖ − σₗ) (σₖ the largest singular value left out, σₗ the smallest kept; −2σ₁ at the
 * origin). A run starts there plus a random perturbation of Frobenius norm δ.
 *
 * For the distributed algorithms the point is lifted: every node's copy Uʲ = U (classical DGD also copies
 * V). The origin stays a critical point of g; a lifted partial-SVD saddle generally is not (C-d caveat).
 * `consensus: true` draws one perturbation of U shared by every copy (the start stays on the consensus
 * subspace); otherwise each copy gets its own.
 */
import type { AlgorithmConfig, InitConfig } from './document';
import { svd } from './linalg';
import type { NodeObjective } from './objectives';
import type { FactorizationProblem } from './problem';
import { Rng, childSeed } from './rng';
import type { State } from './dgd';

export type SaddleSpec = NonNullable<InitConfig['saddle']>;

/** The partial-SVD critical point of f for the 1-based index set S (row-major U n×r, V m×r). */
export function saddleFactors(p: FactorizationProblem, set: readonly number[]): { U: Float64Array; V: Float64Array } {
  const { n, m, r } = p;
  const U = new Float64Array(n * r), V = new Float64Array(m * r);
  if (set.length === 0) return { U, V };
  const { P, s, Q } = svd(p.Y);
  const k = s.length;
  set.forEach((idx, col) => {
    const i = idx - 1;
    const w = Math.sqrt(s[i]);
    for (let a = 0; a < n; a++) U[a * r + col] = P.data[a * k + i] * w;
    for (let b = 0; b < m; b++) V[b * r + col] = Q.data[b * k + i] * w;
  });
  return { U, V };
}

/** The start of a saddle-initialised run, in the algorithm's layout (see build.ts initialState). */
export function saddleState(e: { algorithm: Pick<AlgorithmConfig, 'name'> }, p: FactorizationProblem, obj: NodeObjective, spec: SaddleSpec): State {
  const { n, r } = p;
  const J = obj.J;
  const { U, V } = saddleFactors(p, spec.set);
  const alg = e.algorithm.name;
  const X = new Float64Array(J * obj.sharedLen);
  const Yl = new Float64Array(obj.localLen.reduce((a, b) => a + b, 0));
  const nr = n * r;
  for (let j = 0; j < J; j++) {
    const o = j * obj.sharedLen;
    X.set(U, o);
    if (alg === 'dgd') X.set(V, o + nr);
  }
  if (alg !== 'dgd') Yl.set(V);
  const delta = spec.delta;
  if (delta > 0) {
    const rng = new Rng(childSeed(spec.seed ?? 0, 'saddle'));
    const dX = new Float64Array(X.length), dY = rng.normals(Yl.length);
    if (spec.consensus) {
      const d = rng.normals(obj.sharedLen);
      for (let j = 0; j < J; j++) dX.set(d, j * obj.sharedLen);
    } else dX.set(rng.normals(X.length));
    let s = 0;
    for (const v of dX) s += v * v;
    for (const v of dY) s += v * v;
    const c = delta / Math.sqrt(s);
    for (let i = 0; i < X.length; i++) X[i] += c * dX[i];
    for (let i = 0; i < Yl.length; i++) Yl[i] += c * dY[i];
  }
  return { X, Y: Yl };
}
