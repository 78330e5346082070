// Heterogeneous matrix factorization, Algorithm 1 (SPEC §7.4), every source in the same dispatch.
// Prepended by the engine: `const R1: u32 = r₁u; const R2: u32 = r₂u;` (r₁ ≤ 32: U_gᵀU_g is inverted in
// workgroup memory).
//
// Bindings (group 0):
//   0 params  uniform  { N, n1, n2max, maskOff, eta, beta, invN, offsets … }
//   1 tables  storage read   per source i: [mOff, n2, vRow, _] (u32): Mᵢ starts at data[mOff], its V rows at vRow
//   2 data    storage read   [M₁ … M_N | mask₁ … mask_N] (f32, Mᵢ n₁×n₂,ᵢ row-major; mask 1 = observed, 0 = missing)
//   3 sIn     storage read   the iterate: [U_g (n₁×R1) | V_g (Σn₂×R1) | U_l (N×n₁×R2) | V_l (Σn₂×R2)]
//   4 sOut    storage rw     the next iterate, same layout
//   5 work    storage rw     [GUg (N×n₁×R1) | Gg (R1²) | Ginv (R1²) | C (N×R1×R2) | Dl (N×R2²) | R (N×R1×R2) | E (as M)]
// Offsets into the iterate and the work buffer come from params (see src/gpu/hmf-engine.ts).
//
// One round with the correction step: hmf_gram_g, hmf_grams_l, hmf_residual, hmf_grad_u, hmf_grad_v,
// hmf_average (sIn → sOut), then hmf_gram_g, hmf_grams_l, hmf_rmat, hmf_correct_u, hmf_correct_v (back,
// sOut → sIn), so the kept iterate is always corrected, as in the float64 reference (src/core/hmf.ts).
//
// Every kernel gives a thread one output entry and a plain loop (no per-thread arrays: a software
// adapter spills them to memory). Dispatch shapes (workgroups of 64): hmf_gram_g 1; hmf_grams_l N;
// hmf_residual (⌈n₁·n2max/64⌉, N); hmf_grad_u (⌈n₁(R1+R2)/64⌉, N); hmf_grad_v (⌈n2max(R1+R2)/64⌉, N);
// hmf_correct_u (⌈n₁/64⌉, N); hmf_correct_v (⌈n2max/64⌉, N); hmf_average ⌈n₁R1/64⌉; hmf_rmat ⌈N·R1·R2/64⌉.

struct Params {
  N: u32,
  n1: u32,
  n2max: u32,
  maskOff: u32,
  eta: f32,
  beta: f32,
  invN: f32,
  offVg: u32,
  offUl: u32,
  offVl: u32,
  wGg: u32,
  wGinv: u32,
  wC: u32,
  wDl: u32,
  wR: u32,
  wE: u32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> tables: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> data: array<f32>;
@group(0) @binding(3) var<storage, read> sIn: array<f32>;
@group(0) @binding(4) var<storage, read_write> sOut: array<f32>;
@group(0) @binding(5) var<storage, read_write> work: array<f32>;

var<workgroup> aug: array<f32, 2048>; // R1 × 2R1 ≤ 32 × 64: Gauss–Jordan on [G | I]

// U_gᵀU_g and its inverse (7.3, 7.5): one workgroup.
@compute @workgroup_size(64)
fn hmf_gram_g(@builtin(local_invocation_index) t: u32) {
  for (var e = t; e < R1 * R1; e += 64u) {
    let p = e / R1; let q = e % R1;
    var s = 0.0;
    for (var a = 0u; a < P.n1; a++) { s += sIn[a * R1 + p] * sIn[a * R1 + q]; }
    work[P.wGg + e] = s;
    aug[p * 2u * R1 + q] = s;
    aug[p * 2u * R1 + R1 + q] = select(0.0, 1.0, p == q);
  }
  workgroupBarrier();
  if (t == 0u) {
    // Gauss–Jordan without pivoting: G is symmetric positive definite while U_g has full rank
    for (var c = 0u; c < R1; c++) {
      let piv = aug[c * 2u * R1 + c];
      for (var k = 0u; k < 2u * R1; k++) { aug[c * 2u * R1 + k] /= piv; }
      for (var r = 0u; r < R1; r++) {
        if (r == c) { continue; }
        let f = aug[r * 2u * R1 + c];
        for (var k = 0u; k < 2u * R1; k++) { aug[r * 2u * R1 + k] -= f * aug[c * 2u * R1 + k]; }
      }
    }
  }
  workgroupBarrier();
  for (var e = t; e < R1 * R1; e += 64u) {
    work[P.wGinv + e] = aug[(e / R1) * 2u * R1 + R1 + e % R1];
  }
}

// Per source i (workgroup i): C = U_gᵀU_(i),l and Dl = U_(i),lᵀU_(i),l − I (7.3, 7.5). No workgroup memory
// here: a software adapter pays for it in every workgroup.
@compute @workgroup_size(64)
fn hmf_grams_l(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let n1 = P.n1;
  let i = wg.x;
  let ul = P.offUl + i * n1 * R2;
  for (var e = t; e < R1 * R2; e += 64u) {
    let p = e / R2; let q = e % R2;
    var s = 0.0;
    for (var a = 0u; a < n1; a++) { s += sIn[a * R1 + p] * sIn[ul + a * R2 + q]; }
    work[P.wC + i * R1 * R2 + e] = s;
  }
  for (var e = t; e < R2 * R2; e += 64u) {
    let p = e / R2; let q = e % R2;
    var s = 0.0;
    for (var a = 0u; a < n1; a++) { s += sIn[ul + a * R2 + p] * sIn[ul + a * R2 + q]; }
    work[P.wDl + i * R2 * R2 + e] = s - select(0.0, 1.0, p == q);
  }
}

// The residual Eᵢ = P_Ω(U_gV_gᵀ + U_lV_lᵀ − Mᵢ), one thread per entry (b fastest: coalesced), stored in
// work at the offsets of Mᵢ in data.
@compute @workgroup_size(64)
fn hmf_residual(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y;
  if (i >= P.N) { return; }
  let tb = tables[i];
  let n2 = tb.y;
  let e = g.x;
  if (e >= P.n1 * n2) { return; }
  let a = e / n2; let b = e % n2;
  let ul = P.offUl + (i * P.n1 + a) * R2;
  let vg = P.offVg + (tb.z + b) * R1;
  let vl = P.offVl + (tb.z + b) * R2;
  let m = tb.x + e;
  var s = -data[m];
  for (var k = 0u; k < R1; k++) { s += sIn[a * R1 + k] * sIn[vg + k]; }
  for (var k = 0u; k < R2; k++) { s += sIn[ul + k] * sIn[vl + k]; }
  work[P.wE + m] = s * data[P.maskOff + m];
}

// Entry (a, k) of source i's U gradients, k < R1 + R2 (7.3): Σᵦ Eᵢ[a, b] [V_g | V_l][b, k].
// k < R1: GUg[i, a, k] (the server averages it); k ≥ R1: U_l[a, k − R1] ← U_l − η(Σᵦ … + 2β (U_l Dl)[a, k − R1]).
@compute @workgroup_size(64)
fn hmf_grad_u(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y;
  let e = g.x;
  if (i >= P.N || e >= P.n1 * (R1 + R2)) { return; }
  let a = e / (R1 + R2); let k = e % (R1 + R2);
  let tb = tables[i];
  let n2 = tb.y;
  let isG = k < R1;
  // column k of [V_g | V_l] over this source's rows: a start and a stride
  let v0 = select(P.offVl + tb.z * R2 + k - R1, P.offVg + tb.z * R1 + k, isG);
  let stride = select(R2, R1, isG);
  let r0 = P.wE + tb.x + a * n2;
  var s = 0.0;
  for (var b = 0u; b < n2; b++) { s += work[r0 + b] * sIn[v0 + b * stride]; }
  if (isG) {
    work[(i * P.n1 + a) * R1 + k] = s;
    return;
  }
  let q = k - R1;
  let ul = P.offUl + (i * P.n1 + a) * R2;
  let dl = P.wDl + i * R2 * R2;
  var reg = 0.0;
  for (var p = 0u; p < R2; p++) { reg += sIn[ul + p] * work[dl + p * R2 + q]; }
  sOut[ul + q] = sIn[ul + q] - P.eta * (s + 2.0 * P.beta * reg);
}

// Entry (b, k) of source i's V blocks, k < R1 + R2 (7.3): V ← V − η Σₐ Eᵢ[a, b] [U_g | U_l][a, k].
@compute @workgroup_size(64)
fn hmf_grad_v(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y;
  if (i >= P.N) { return; }
  let tb = tables[i];
  let n2 = tb.y;
  let e = g.x;
  if (e >= n2 * (R1 + R2)) { return; }
  let b = e / (R1 + R2); let k = e % (R1 + R2);
  let isG = k < R1;
  // column k of [U_g | U_l]: a start and a stride
  let u0 = select(P.offUl + i * P.n1 * R2 + k - R1, k, isG);
  let stride = select(R2, R1, isG);
  let r0 = P.wE + tb.x + b;
  var s = 0.0;
  for (var a = 0u; a < P.n1; a++) { s += work[r0 + a * n2] * sIn[u0 + a * stride]; }
  let v = select(P.offVl + (tb.z + b) * R2 + k - R1, P.offVg + (tb.z + b) * R1 + k, isG);
  sOut[v] = sIn[v] - P.eta * s;
}

// The server: U_g ← U_g − η[(1/N)Σᵢ GUgᵢ + 2β U_g(U_gᵀU_g − I)], the average of the N local steps.
@compute @workgroup_size(64)
fn hmf_average(@builtin(global_invocation_id) g: vec3<u32>) {
  let e = g.x;
  if (e >= P.n1 * R1) { return; }
  let a = e / R1; let k = e % R1;
  var s = 0.0;
  for (var i = 0u; i < P.N; i++) { s += work[(i * P.n1 + a) * R1 + k]; }
  var reg = 0.0;
  for (var q = 0u; q < R1; q++) { reg += sIn[a * R1 + q] * (work[P.wGg + q * R1 + k] - select(0.0, 1.0, q == k)); }
  sOut[e] = sIn[e] - P.eta * (s * P.invN + 2.0 * P.beta * reg);
}

// Rᵢ = (U_gᵀU_g)⁻¹U_gᵀU_(i),l (7.5), R1 × R2 per source.
@compute @workgroup_size(64)
fn hmf_rmat(@builtin(global_invocation_id) g: vec3<u32>) {
  let e = g.x;
  if (e >= P.N * R1 * R2) { return; }
  let i = e / (R1 * R2); let pq = e % (R1 * R2);
  let p = pq / R2; let q = pq % R2;
  var s = 0.0;
  for (var t = 0u; t < R1; t++) { s += work[P.wGinv + p * R1 + t] * work[P.wC + i * R1 * R2 + t * R2 + q]; }
  work[P.wR + e] = s;
}

// U_(i),l ← U_(i),l − U_gRᵢ (and U_g copied through) (7.5).
@compute @workgroup_size(64)
fn hmf_correct_u(@builtin(global_invocation_id) g: vec3<u32>) {
  let a = g.x; let i = g.y;
  if (a >= P.n1 || i >= P.N) { return; }
  if (i == 0u) { for (var k = 0u; k < R1; k++) { sOut[a * R1 + k] = sIn[a * R1 + k]; } }
  let ul = P.offUl + (i * P.n1 + a) * R2;
  let r = P.wR + i * R1 * R2;
  for (var q = 0u; q < R2; q++) {
    var s = 0.0;
    for (var p = 0u; p < R1; p++) { s += sIn[a * R1 + p] * work[r + p * R2 + q]; }
    sOut[ul + q] = sIn[ul + q] - s;
  }
}

// V_(i),g ← V_(i),g + V_(i),lRᵢᵀ (and V_(i),l copied through) (7.5).
@compute @workgroup_size(64)
fn hmf_correct_v(@builtin(global_invocation_id) g: vec3<u32>) {
  let b = g.x; let i = g.y;
  if (i >= P.N) { return; }
  let tb = tables[i];
  if (b >= tb.y) { return; }
  let vg = P.offVg + (tb.z + b) * R1;
  let vl = P.offVl + (tb.z + b) * R2;
  let r = P.wR + i * R1 * R2;
  for (var p = 0u; p < R1; p++) {
    var s = 0.0;
    for (var q = 0u; q < R2; q++) { s += sIn[vl + q] * work[r + p * R2 + q]; }
    sOut[vg + p] = sIn[vg + p] + s;
  }
  for (var q = 0u; q < R2; q++) { sOut[vl + q] = sIn[vl + q]; }
}
