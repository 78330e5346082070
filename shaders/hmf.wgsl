// Heterogeneous matrix factorization, Algorithm 1 (SPEC §7.4), every source in the same dispatch.
// Prepended by the engine: `const R1: u32 = r₁′u; const R2: u32 = r₂′u; const G1: u32 = r₁u;` where r₁′, r₂′
// are the ranks rounded up to multiples of 4: every factor row is that wide, zero-padded, so the kernels
// read rows as vec4 (binding 6). The padding stays zero through every step. r₁ ≤ 32: U_gᵀU_g's G1 × G1
// block is inverted in workgroup memory.
//
// Bindings (group 0):
//   0 params  uniform  { N, n1, n2max, maskOff, eta, beta, invN, offsets … }
//   1 tables  storage read   per source i: [mOff, n2, vRow, _] (u32): Mᵢ starts at data[mOff], its V rows at vRow
//   2 data    storage read   [M₁ … M_N | mask₁ … mask_N] (f32, Mᵢ n₁×n₂,ᵢ row-major; mask 1 = observed, 0 = missing;
//                            no masks and P.maskOff = 0 when every entry is observed)
//   3 sIn     storage read   the iterate: [U_g (n₁×R1) | V_g (Σn₂×R1) | U_l (N×n₁×R2) | V_l (Σn₂×R2)]
//   4 sOut    storage rw     the next iterate, same layout
//   5 work    storage rw     [GUg (N×n₁×R1) | Gg (R1²) | Ginv (R1²) | C (N×R1×R2) | Dl (N×R2²) | R (N×R1×R2) | E (as M)]
//   6 s4      storage read   sIn again, as vec4
// Offsets into the iterate and the work buffer come from params (see src/gpu/families/hmf.ts).
//
// One round with the correction step: hmf_gram_g, hmf_grams_l, hmf_residual, hmf_grad_u, hmf_grad_v,
// hmf_average (sIn → sOut), then hmf_gram_g, hmf_grams_l, hmf_rmat, hmf_correct_u, hmf_correct_v (back,
// sOut → sIn), so the kept iterate is always corrected, as in the float64 reference (src/core/hmf.ts).
// The dispatch shapes are in hmfDispatches (src/gpu/families/hmf.ts).
//
// The heavy kernels give a thread a 4 × 4 block — 4 rows × 4 columns, or 4 rows × one vec4 chunk of the
// rank — held in vec4 / mat4x4 values: each vec4 loaded serves 4 rows. No per-thread arrays (a software
// adapter spills them to memory) and no workgroup memory outside the one inverse (it pays for that in
// every workgroup).

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
@group(0) @binding(6) var<storage, read> s4: array<vec4<f32>>; // sIn again, as vec4 rows

var<workgroup> aug: array<f32, 2048>; // G1 × 2G1 ≤ 32 × 64: Gauss–Jordan on [G | I]

// Rows of the factors as vec4 (R1 and R2 are multiples of 4): U_g row a at a·C1, V_g row b at
// offVg/4 + b·C1, U_l row (i, a) at offUl/4 + (i·n₁ + a)·C2, V_l row b at offVl/4 + b·C2.
const C1: u32 = R1 / 4u;
const C2: u32 = R2 / 4u;

// sOut's vec4 row chunk `at` (an s4 index)
fn storeOut(at: u32, v: vec4<f32>) {
  sOut[4u * at] = v.x; sOut[4u * at + 1u] = v.y; sOut[4u * at + 2u] = v.z; sOut[4u * at + 3u] = v.w;
}

fn store4(at: u32, v: vec4<f32>) {
  work[at] = v.x; work[at + 1u] = v.y; work[at + 2u] = v.z; work[at + 3u] = v.w;
}

// The 4 × 4 block Σₐ A[a, chunk p]ᵀ B[a, chunk q] over a < n, for A and B rows read as vec4 at
// a0 + a·sa and b0 + a·sb: row k of the block is column k of the result.
fn gramBlock(a0: u32, sa: u32, b0: u32, sb: u32, n: u32) -> mat4x4<f32> {
  var m = mat4x4<f32>();
  for (var a = 0u; a < n; a++) {
    let x = s4[a0 + a * sa]; let y = s4[b0 + a * sb];
    m[0] += x.x * y; m[1] += x.y * y; m[2] += x.z * y; m[3] += x.w * y;
  }
  return m;
}

// Four rows of A (each read as w vec4 chunks from s4, the k-th starting at rows[k]) times columns
// col…col+3 of a small matrix B in work, B[p, j] = work[at + p·rs + j·cs]: column k of the result is row k.
fn rowsTimes(rows: vec4<u32>, w: u32, at: u32, rs: u32, cs: u32, col: u32) -> mat4x4<f32> {
  var m = mat4x4<f32>();
  for (var pc = 0u; pc < w; pc++) {
    let a0 = s4[rows.x + pc]; let a1 = s4[rows.y + pc]; let a2 = s4[rows.z + pc]; let a3 = s4[rows.w + pc];
    let p = at + 4u * pc * rs + col * cs;
    let b0 = vec4<f32>(work[p], work[p + cs], work[p + 2u * cs], work[p + 3u * cs]);
    let b1 = vec4<f32>(work[p + rs], work[p + rs + cs], work[p + rs + 2u * cs], work[p + rs + 3u * cs]);
    let p2 = p + 2u * rs; let p3 = p + 3u * rs;
    let b2 = vec4<f32>(work[p2], work[p2 + cs], work[p2 + 2u * cs], work[p2 + 3u * cs]);
    let b3 = vec4<f32>(work[p3], work[p3 + cs], work[p3 + 2u * cs], work[p3 + 3u * cs]);
    m[0] += a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
    m[1] += a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
    m[2] += a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
    m[3] += a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
  }
  return m;
}

// The 4 × 4 block of dot products of vec4s: entry (k, j) = s4[u[k]] · s4[v[j]], row k as column k.
fn dotBlock(u: vec4<u32>, v: vec4<u32>) -> mat4x4<f32> {
  let v0 = s4[v.x]; let v1 = s4[v.y]; let v2 = s4[v.z]; let v3 = s4[v.w];
  let u0 = s4[u.x]; let u1 = s4[u.y]; let u2 = s4[u.z]; let u3 = s4[u.w];
  return mat4x4<f32>(
    vec4<f32>(dot(u0, v0), dot(u0, v1), dot(u0, v2), dot(u0, v3)),
    vec4<f32>(dot(u1, v0), dot(u1, v1), dot(u1, v2), dot(u1, v3)),
    vec4<f32>(dot(u2, v0), dot(u2, v1), dot(u2, v2), dot(u2, v3)),
    vec4<f32>(dot(u3, v0), dot(u3, v1), dot(u3, v2), dot(u3, v3)));
}

// Four consecutive row indices from r0, the ones past `last` clamped to it (their results are not written).
fn rows4(r0: u32, last: u32) -> vec4<u32> {
  return min(vec4<u32>(r0) + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(last));
}

// U_gᵀU_g (R1 × R1, zero in the padding) and the inverse of its G1 × G1 block (7.3, 7.5): one workgroup,
// a thread per 4 × 4 block (C1² ≤ 64), then Gauss–Jordan in workgroup memory.
@compute @workgroup_size(64)
fn hmf_gram_g(@builtin(local_invocation_index) t: u32) {
  if (t < C1 * C1) {
    let pb = t / C1; let qb = t % C1;
    let m = gramBlock(pb, C1, qb, C1, P.n1);
    for (var k = 0u; k < 4u; k++) { store4(P.wGg + (4u * pb + k) * R1 + 4u * qb, m[k]); }
  }
  storageBarrier();   // a control barrier too: every block of G is in work before it is read back
  for (var e = t; e < G1 * G1; e += 64u) {
    let p = e / G1; let q = e % G1;
    aug[p * 2u * G1 + q] = work[P.wGg + p * R1 + q];
    aug[p * 2u * G1 + G1 + q] = select(0.0, 1.0, p == q);
  }
  workgroupBarrier();
  if (t == 0u) {
    // Gauss–Jordan without pivoting: G is symmetric positive definite while U_g has full rank
    for (var c = 0u; c < G1; c++) {
      let piv = aug[c * 2u * G1 + c];
      for (var k = 0u; k < 2u * G1; k++) { aug[c * 2u * G1 + k] /= piv; }
      for (var r = 0u; r < G1; r++) {
        if (r == c) { continue; }
        let f = aug[r * 2u * G1 + c];
        for (var k = 0u; k < 2u * G1; k++) { aug[r * 2u * G1 + k] -= f * aug[c * 2u * G1 + k]; }
      }
    }
  }
  workgroupBarrier();
  for (var e = t; e < R1 * R1; e += 64u) {
    let p = e / R1; let q = e % R1;
    work[P.wGinv + e] = select(0.0, aug[p * 2u * G1 + G1 + q], p < G1 && q < G1);
  }
}

// Per source i, 4 × 4 blocks of C = U_gᵀU_(i),l (C1·C2 blocks) and Dl = U_(i),lᵀU_(i),l − I (C2² blocks)
// (7.3, 7.5), a thread per block. No workgroup memory here: a software adapter pays for it in every workgroup.
@compute @workgroup_size(64)
fn hmf_grams_l(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y; let e = g.x;
  if (i >= P.N || e >= C1 * C2 + C2 * C2) { return; }
  let ul = P.offUl / 4u + i * P.n1 * C2;
  if (e < C1 * C2) {
    let pb = e / C2; let qb = e % C2;
    let m = gramBlock(pb, C1, ul + qb, C2, P.n1);
    for (var k = 0u; k < 4u; k++) { store4(P.wC + i * R1 * R2 + (4u * pb + k) * R2 + 4u * qb, m[k]); }
    return;
  }
  let pb = (e - C1 * C2) / C2; let qb = (e - C1 * C2) % C2;
  let m = gramBlock(ul + pb, C2, ul + qb, C2, P.n1);
  for (var k = 0u; k < 4u; k++) {
    // − I on the diagonal blocks
    let d = select(vec4<f32>(), vec4<f32>(f32(k == 0u), f32(k == 1u), f32(k == 2u), f32(k == 3u)), pb == qb);
    store4(P.wDl + i * R2 * R2 + (4u * pb + k) * R2 + 4u * qb, m[k] - d);
  }
}

// The residual Eᵢ = P_Ω(U_gV_gᵀ + U_lV_lᵀ − Mᵢ), stored in work at the offsets of Mᵢ in data. A thread
// computes a 4 × 4 block (rows a₀…a₀+3, columns b₀…b₀+3): per vec4 of the rank, 8 loads for 16 dot products.
@compute @workgroup_size(64)
fn hmf_residual(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y;
  if (i >= P.N) { return; }
  let tb = tables[i];
  let n2 = tb.y;
  let nb = (n2 + 3u) / 4u;
  let a0 = 4u * (g.x / nb); let b0 = 4u * (g.x % nb);
  if (a0 >= P.n1) { return; }
  let a = rows4(a0, P.n1 - 1u);
  let b = rows4(b0, n2 - 1u);
  var e = mat4x4<f32>();
  for (var c = 0u; c < C1; c++) { e += dotBlock(a * C1 + c, P.offVg / 4u + (tb.z + b) * C1 + c); }
  for (var c = 0u; c < C2; c++) { e += dotBlock(P.offUl / 4u + (i * P.n1 + a) * C2 + c, P.offVl / 4u + (tb.z + b) * C2 + c); }
  storeResidualRow(tb, a0, b0, e[0]);
  storeResidualRow(tb, a0 + 1u, b0, e[1]);
  storeResidualRow(tb, a0 + 2u, b0, e[2]);
  storeResidualRow(tb, a0 + 3u, b0, e[3]);
}

// E[a, b₀…b₀+3] = (UVᵀ − M) · mask for the columns inside the source (written out: indexing a vector
// with a loop variable costs a software adapter a trip through memory).
fn storeResidualRow(tb: vec4<u32>, a: u32, b0: u32, uv: vec4<f32>) {
  if (a >= P.n1) { return; }
  let m = tb.x + a * tb.y + b0;
  let left = tb.y - b0;
  work[P.wE + m] = (uv.x - data[m]) * observed(m);
  if (left > 1u) { work[P.wE + m + 1u] = (uv.y - data[m + 1u]) * observed(m + 1u); }
  if (left > 2u) { work[P.wE + m + 2u] = (uv.z - data[m + 2u]) * observed(m + 2u); }
  if (left > 3u) { work[P.wE + m + 3u] = (uv.w - data[m + 3u]) * observed(m + 3u); }
}

// 1 where entry m of M is observed, 0 where it is missing.
fn observed(m: u32) -> f32 {
  if (P.maskOff == 0u) { return 1.0; }
  return data[P.maskOff + m];
}

// Rows a₀…a₀+3 and one vec4 chunk c of the columns of source i's U gradients (7.3):
// Σᵦ Eᵢ[a, b] [V_g | V_l][b, chunk]. Chunks c < C1 are GUg[i, a] (the server averages them); the others
// update U_l[a] ← U_l[a] − η(Σᵦ … + 2β (U_l Dl)[a]).
@compute @workgroup_size(64)
fn hmf_grad_u(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y;
  if (i >= P.N) { return; }
  let a0 = 4u * (g.x / (C1 + C2)); let c = g.x % (C1 + C2);
  if (a0 >= P.n1) { return; }
  let tb = tables[i];
  let n2 = tb.y;
  let isG = c < C1;
  // chunk c of V row b is at v0 + b·stride
  let v0 = select(P.offVl / 4u + tb.z * C2 + c - C1, P.offVg / 4u + tb.z * C1 + c, isG);
  let stride = select(C2, C1, isG);
  let a = rows4(a0, P.n1 - 1u);
  let r = P.wE + tb.x + a * n2;
  var s = mat4x4<f32>();
  for (var b = 0u; b < n2; b++) {
    let v = s4[v0 + b * stride];
    s[0] += work[r.x + b] * v;
    s[1] += work[r.y + b] * v;
    s[2] += work[r.z + b] * v;
    s[3] += work[r.w + b] * v;
  }
  let rows = min(P.n1 - a0, 4u);
  if (isG) {
    for (var k = 0u; k < rows; k++) { store4((i * P.n1 + a0 + k) * R1 + 4u * c, s[k]); }
    return;
  }
  let q = c - C1;
  let ul = P.offUl / 4u + (i * P.n1 + a) * C2;
  let reg = rowsTimes(ul, C2, P.wDl + i * R2 * R2, R2, 1u, 4u * q);
  for (var k = 0u; k < rows; k++) {
    storeOut(ul[k] + q, s4[ul[k] + q] - P.eta * (s[k] + 2.0 * P.beta * reg[k]));
  }
}

// Rows b₀…b₀+3 and one vec4 chunk c of source i's V blocks (7.3): V ← V − η Σₐ Eᵢ[a, b] [U_g | U_l][a, chunk].
@compute @workgroup_size(64)
fn hmf_grad_v(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y;
  if (i >= P.N) { return; }
  let tb = tables[i];
  let n2 = tb.y;
  let b0 = 4u * (g.x / (C1 + C2)); let c = g.x % (C1 + C2);
  if (b0 >= n2) { return; }
  let isG = c < C1;
  // chunk c of U row a is at u0 + a·stride
  let u0 = select(P.offUl / 4u + i * P.n1 * C2 + c - C1, c, isG);
  let stride = select(C2, C1, isG);
  let b = rows4(b0, n2 - 1u);
  var s = mat4x4<f32>();
  for (var a = 0u; a < P.n1; a++) {
    let u = s4[u0 + a * stride];
    let r = P.wE + tb.x + a * n2 + b;
    s[0] += work[r.x] * u;
    s[1] += work[r.y] * u;
    s[2] += work[r.z] * u;
    s[3] += work[r.w] * u;
  }
  // chunk c of V row b, as an s4 index
  let v = select(P.offVl / 4u + (tb.z + b) * C2 + c - C1, P.offVg / 4u + (tb.z + b) * C1 + c, vec4<bool>(isG));
  for (var k = 0u; k < min(n2 - b0, 4u); k++) { storeOut(v[k], s4[v[k]] - P.eta * s[k]); }
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

// Rows a₀…a₀+3 and chunk c of U_(i),l ← U_(i),l − U_gRᵢ (7.5); U_g copied through by source 0's chunk-0 threads.
@compute @workgroup_size(64)
fn hmf_correct_u(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y;
  if (i >= P.N) { return; }
  let a0 = 4u * (g.x / C2); let c = g.x % C2;
  if (a0 >= P.n1) { return; }
  let a = rows4(a0, P.n1 - 1u);
  let rows = min(P.n1 - a0, 4u);
  if (i == 0u && c == 0u) {
    for (var k = 0u; k < rows * R1; k++) { sOut[a0 * R1 + k] = sIn[a0 * R1 + k]; }
  }
  let corr = rowsTimes(a * C1, C1, P.wR + i * R1 * R2, R2, 1u, 4u * c);
  let ul = P.offUl / 4u + (i * P.n1 + a) * C2 + c;
  for (var k = 0u; k < rows; k++) {
    storeOut(ul[k], s4[ul[k]] - corr[k]);
  }
}

// Rows b₀…b₀+3 and chunk c of V_(i),g ← V_(i),g + V_(i),lRᵢᵀ (7.5); V_(i),l copied through by the chunk-0 threads.
@compute @workgroup_size(64)
fn hmf_correct_v(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.y;
  if (i >= P.N) { return; }
  let tb = tables[i];
  let b0 = 4u * (g.x / C1); let c = g.x % C1;
  if (b0 >= tb.y) { return; }
  let b = rows4(b0, tb.y - 1u);
  let rows = min(tb.y - b0, 4u);
  let vl = P.offVl + (tb.z + b0) * R2;
  if (c == 0u) {
    for (var k = 0u; k < rows * R2; k++) { sOut[vl + k] = sIn[vl + k]; }
  }
  // (V_l Rᵀ)[b, j] = Σ_q V_l[b, q] R[j, q]: B[q, j] = R[j, q]
  let corr = rowsTimes(P.offVl / 4u + (tb.z + b) * C2, C2, P.wR + i * R1 * R2, 1u, R2, 4u * c);
  let vg = P.offVg / 4u + (tb.z + b) * C1 + c;
  for (var k = 0u; k < rows; k++) {
    storeOut(vg[k], s4[vg[k]] + corr[k]);
  }
}
