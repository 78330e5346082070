// Symmetric PSD kinds (X = UUᵀ): centralized GD (J = 1) and classical DGD, every node in the same dispatch
// (node index j = the y dimension of the grid). Node j holds a copy Uʲ (n×r, row-major) of the shared
// factor; one iteration is Uʲ ← Σᵢ W̃ⱼᵢ Uⁱ − μ ∇fⱼ(Uʲ) (src/core/dgd.ts with localLen 0), with
// ∇fⱼ = G Uᵦ (every row) + Gᵀ U (rows of Cⱼ) and G = ∂dⱼ/∂X on node j's column block Cⱼ = [o, o + w)
// (src/core/problems/symmetric/objective.ts). G is kept as an n×n matrix per node, zero outside Cⱼ.
//
// Bindings (group 0):
//   0 params  uniform  { n, r, J, kind, mu, inv, qw, qalpha, nn, maxMeas, _, _ }
//                      kind 0 = completion, 1 = sensing, 2 = rpca; inv = 1/p_obs (completion), 1/p (sensing),
//                      the clip bound b (rpca);
//                      qw = λ/J of the incoherence regulariser (0: none), qalpha its α
//   1 tables  storage read   per node j: [o, w, measOff, measCount] (u32); rpca: [o, w, kRow, kCol]
//   2 data    storage read   completion: [P_Ω(M) (n×n) | mask (n×n, 1 observed / 0)]
//                            sensing:    [A (p × n², row k = vec Aₖ row-major, node by node) | b (p)]
//                            rpca:       Mₒ (n×n)
//   3 W       storage read   W̃ (J×J, row-major)
//   4 sIn     storage read   the iterate [U¹ | … | Uᴶ] (J×n×r)
//   5 sOut    storage rw     the next iterate, same layout
//   6 work    storage rw     [G (J×n×n) | res (p), sensing residuals] or, rpca, [G (J×n×n) | R (J×n×n)]
//
// One iteration: completion  sym_g_completion (⌈n²/64⌉, J), sym_step (⌈n·r/64⌉, J)
//                sensing     sym_sense_res (⌈maxMeas/64⌉, J), sym_sense_g (⌈n²/64⌉, J), sym_step (⌈n·r/64⌉, J)
//                rpca        sym_rpca_residual (⌈n²/64⌉, J), sym_rpca_g (⌈n²/64⌉, J), sym_step (⌈n·r/64⌉, J)
// RPCA's projection (src/core/problems/symmetric/projection.ts): entry (i, c) of node j's residual block
// R = Mₒ − X is kept when fewer than kRow entries of its row (within the block) and fewer than kCol of its
// column come before it in the order |R| descending, ties to the smaller index; a thread counts both ranks
// directly (O(w + n)), so there is no sort and no shared state. S = clip(R, ±b) there; G = X + S − Mₒ = S − R.
// Every thread writes only its own output entry; no workgroup memory, no atomics.

struct Params {
  n: u32,
  r: u32,
  J: u32,
  kind: u32,
  mu: f32,
  inv: f32,
  qw: f32,
  qalpha: f32,
  nn: u32,
  maxMeas: u32,
  resOff: u32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> tables: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> data: array<f32>;
@group(0) @binding(3) var<storage, read> W: array<f32>;
@group(0) @binding(4) var<storage, read> sIn: array<f32>;
@group(0) @binding(5) var<storage, read_write> sOut: array<f32>;
@group(0) @binding(6) var<storage, read_write> work: array<f32>;

// ⟨Uʲᵢ, Uʲ_c⟩: one entry of Xʲ = UʲUʲᵀ
fn xEntry(base: u32, i: u32, c: u32) -> f32 {
  var v = 0.0;
  for (var k = 0u; k < P.r; k++) {
    v += sIn[base + i * P.r + k] * sIn[base + c * P.r + k];
  }
  return v;
}

// completion: G[i, c] = P_Ω(X − M)/p_obs on node j's block, 0 elsewhere
@compute @workgroup_size(64)
fn sym_g_completion(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.y;
  let q = gid.x;
  if (q >= P.nn || j >= P.J) { return; }
  let i = q / P.n;
  let c = q % P.n;
  let t = tables[j];
  var g = 0.0;
  if (c >= t.x && c < t.x + t.y && data[P.nn + q] != 0.0) {
    g = P.inv * (xEntry(j * P.n * P.r, i, c) - data[q]);
  }
  work[j * P.nn + q] = g;
}

// sensing: rₖ = ⟨Aₖ, Xʲ⟩ − bₖ for node j's own measurements k
@compute @workgroup_size(64)
fn sym_sense_res(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.y;
  if (j >= P.J) { return; }
  let t = tables[j];
  let k = gid.x;
  if (k >= t.w) { return; }
  let row = t.z + k;
  let base = j * P.n * P.r;
  let a = row * P.nn;
  var s = -data[P.resOff + row];
  for (var i = 0u; i < P.n; i++) {
    for (var c = 0u; c < P.n; c++) {
      s += data[a + i * P.n + c] * xEntry(base, i, c);
    }
  }
  work[P.J * P.nn + row] = s;
}

// sensing: G[i, c] = (1/p) Σₖ rₖ Aₖ[i, c] over node j's measurements
@compute @workgroup_size(64)
fn sym_sense_g(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.y;
  let q = gid.x;
  if (q >= P.nn || j >= P.J) { return; }
  let t = tables[j];
  var g = 0.0;
  for (var k = 0u; k < t.w; k++) {
    let row = t.z + k;
    g += work[P.J * P.nn + row] * data[row * P.nn + q];
  }
  work[j * P.nn + q] = P.inv * g;
}

// Uʲ[a, k] ← Σᵢ W̃ⱼᵢ Uⁱ[a, k] − μ (Σ_{c∈Cⱼ} G[a, c] U[c, k] + Σᵢ G[i, a] U[i, k] + ∇Q)
@compute @workgroup_size(64)
fn sym_step(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.y;
  let e = gid.x;
  let nr = P.n * P.r;
  if (e >= nr || j >= P.J) { return; }
  let a = e / P.r;
  let k = e % P.r;
  let base = j * nr;
  let gb = j * P.nn;
  let t = tables[j];
  var g = 0.0;
  // G U_{Cⱼ}: G is zero outside the block's columns
  for (var c = t.x; c < t.x + t.y; c++) {
    g += work[gb + a * P.n + c] * sIn[base + c * P.r + k];
  }
  // Gᵀ U into the rows of the block
  if (a >= t.x && a < t.x + t.y) {
    for (var i = 0u; i < P.n; i++) {
      g += work[gb + i * P.n + a] * sIn[base + i * P.r + k];
    }
  }
  // 1/J of Q = λ Σᵢ (‖Uᵢ‖ − α)₊⁴: 4 (λ/J) t³ Uₐ/‖Uₐ‖
  if (P.qw > 0.0) {
    var s = 0.0;
    for (var l = 0u; l < P.r; l++) {
      let u = sIn[base + a * P.r + l];
      s += u * u;
    }
    let nrm = sqrt(s);
    let tt = nrm - P.qalpha;
    if (tt > 0.0) {
      g += (4.0 * P.qw * tt * tt * tt / nrm) * sIn[base + e];
    }
  }
  var v = -P.mu * g;
  for (var i = 0u; i < P.J; i++) {
    let w = W[j * P.J + i];
    if (w != 0.0) {
      v += w * sIn[i * nr + e];
    }
  }
  sOut[base + e] = v;
}

// rpca: R[i, c] = Mₒ[i, c] − Xʲ[i, c] on node j's block (0 elsewhere), at work[J·n² + j·n² + i·n + c]
@compute @workgroup_size(64)
fn sym_rpca_residual(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.y;
  let q = gid.x;
  if (q >= P.nn || j >= P.J) { return; }
  let i = q / P.n;
  let c = q % P.n;
  let t = tables[j];
  var v = 0.0;
  if (c >= t.x && c < t.x + t.y) {
    v = data[q] - xEntry(j * P.n * P.r, i, c);
  }
  work[P.J * P.nn + j * P.nn + q] = v;
}

// rpca: G = S − R with S the row/column top-k projection of R (see the header), 0 outside the block
@compute @workgroup_size(64)
fn sym_rpca_g(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.y;
  let q = gid.x;
  if (q >= P.nn || j >= P.J) { return; }
  let i = q / P.n;
  let c = q % P.n;
  let t = tables[j];
  let rb = P.J * P.nn + j * P.nn;
  var g = 0.0;
  if (c >= t.x && c < t.x + t.y) {
    let v = work[rb + q];
    let a = abs(v);
    var s = 0.0;
    if (v != 0.0) {
      // entries ahead of (i, c) in its row of the block
      var rowAhead = 0u;
      for (var c2 = t.x; c2 < t.x + t.y; c2++) {
        let b = abs(work[rb + i * P.n + c2]);
        if (b > a || (b == a && c2 < c)) { rowAhead++; }
      }
      // and in its column
      var colAhead = 0u;
      for (var i2 = 0u; i2 < P.n; i2++) {
        let b = abs(work[rb + i2 * P.n + c]);
        if (b > a || (b == a && i2 < i)) { colAhead++; }
      }
      if (rowAhead < t.z && colAhead < t.w) {
        s = clamp(v, -P.inv, P.inv);
      }
    }
    g = s - v;
  }
  work[j * P.nn + q] = g;
}
