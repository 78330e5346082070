// Residual kernels of the measured problems: each leaves in Gₛ (scratch at X_G, n×mₛ row-major) the matrix
// whose back-projection gives the data gradient, ∇_U dataₛ = GₛVₛ, ∇_V dataₛ = GₛᵀUˢ (SPEC §5–6):
//   sensing     Gₛ = mat(𝒜ₛᵀ eₛ), eₛ = 𝒜ₛ vec(UˢVₛᵀ) − bₛ           m_product → m_sense_apply → m_sense_adjoint
//   completion  Gₛ = P_Ω(UˢVₛᵀ − Mₛ)/p                                m_complete_residual
//   RPCA        Gₛ = UˢVₛᵀ + Sₛ − Mₛ, Sₛ = Π(Mₛ − UˢVₛᵀ)                m_rpca_residual → m_rpca_threshold → m_rpca_apply
// All slots (nodes × trials) run in the same dispatch: the slot is the y dimension of every grid.

const KB: u32 = 256u;   // rows of 𝒜ₛ per workgroup in m_sense_apply (four per thread)

// m_product: Gₛ ← UˢVₛᵀ (sensing, before applying 𝒜ₛ).
// Dispatch: (ceil(⌈n/4⌉·⌈max mₛ/4⌉ / 64), S) workgroups of 64 threads; thread → a 4 × 4 block (uvBlockAt),
// each loaded row of Uˢ and Vₛ serving four entries.
@compute @workgroup_size(64)
fn m_product(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.y;
  let m = slotField(s, F_M);
  let b = uvBlockAt(s, gid.x, m);
  let g = ext(s, X_G);
  for (var k = 0u; k < b.rows; k++) {
    for (var j = 0u; j < b.cols; j++) { scratch[g + (b.i0 + k) * m + b.c0 + j] = b.uv[k][j]; }
  }
}

var<workgroup> pShared: u32;
var<workgroup> xT: array<vec4f, 64>;

// m_sense_apply: eₛ[k] ← 𝒜ₛ[k, :]·vec(Gₛ) − bₛ[k], four rows per thread (k₀ + t + 64j, j < 4; KB = 256
// rows per workgroup). vec(Gₛ) is staged through workgroup memory 64 vec4s at a time, shared by the 256
// rows, and each staged vec4 serves the thread's four rows; each thread reads its rows of 𝒜ₛ as
// consecutive vec4s. Dispatch: (ceil(max pₛ / KB), S) workgroups of 64 threads.
@compute @workgroup_size(64)
fn m_sense_apply(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  if (t == 0u) { pShared = ext(s, X_P); }
  let p = workgroupUniformLoad(&pShared);
  let k0 = wg.x * KB;
  if (k0 >= p) { return; }
  let cols = params.n * slotField(s, F_M);
  let c4 = (cols + 3u) / 4u;           // vec4s per padded row
  // rows past pₛ repeat the last row; discarded below
  let k = min(vec4u(k0 + t) + vec4u(0u, 64u, 128u, 192u), vec4u(p - 1u));
  let row = ext(s, X_D) / 4u + k * c4;
  let g = ext(s, X_G);
  var acc = mat4x4f();
  for (var t0 = 0u; t0 < c4; t0 += 64u) {
    workgroupBarrier();
    let q = 4u * (t0 + t);
    xT[t] = vec4f(select(0.0, scratch[g + q], q < cols), select(0.0, scratch[g + q + 1u], q + 1u < cols),
                  select(0.0, scratch[g + q + 2u], q + 2u < cols), select(0.0, scratch[g + q + 3u], q + 3u < cols));
    workgroupBarrier();
    let tile = min(64u, c4 - t0);
    for (var i = 0u; i < tile; i++) {
      let x = xT[i];
      acc[0] += Y4[row.x + t0 + i] * x;
      acc[1] += Y4[row.y + t0 + i] * x;
      acc[2] += Y4[row.z + t0 + i] * x;
      acc[3] += Y4[row.w + t0 + i] * x;
    }
  }
  for (var j = 0u; j < 4u; j++) {
    let kj = k0 + t + 64u * j;
    if (kj < p) { scratch[ext(s, X_E) + kj] = sum4(acc[j]) - y4At(ext(s, X_AUX) + kj); }
  }
}

var<workgroup> eT: array<f32, 64>;

// m_sense_adjoint: vec(Gₛ)[q] ← Σₖ 𝒜ₛ[k, q] eₛ[k]. Thread → four column quads q4 = 256·wg + t + 64j, j < 4
// (consecutive threads read consecutive vec4s of each row); eₛ is staged through workgroup memory 64
// entries at a time, each staged entry serving the thread's four quads.
// Dispatch: (ceil(n·max mₛ / 1024), S) workgroups of 64 threads.
@compute @workgroup_size(64)
fn m_sense_adjoint(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  if (t == 0u) { pShared = ext(s, X_P); }
  let p = workgroupUniformLoad(&pShared);
  let cols = params.n * slotField(s, F_M);
  let c4 = (cols + 3u) / 4u;
  let q4 = vec4u(wg.x * 256u + t) + vec4u(0u, 64u, 128u, 192u);
  // quads past the row repeat the last one; discarded below
  let col = ext(s, X_D) / 4u + min(q4, vec4u(c4 - 1u));
  let e0 = ext(s, X_E);
  var acc = mat4x4f();
  for (var k0 = 0u; k0 < p; k0 += 64u) {
    workgroupBarrier();
    eT[t] = select(0.0, scratch[e0 + k0 + t], k0 + t < p);
    workgroupBarrier();
    if (q4.x < c4) {
      let kk = min(64u, p - k0);
      for (var k = 0u; k < kk; k++) {
        let e = eT[k];
        let r = (k0 + k) * c4;
        acc[0] += Y4[col.x + r] * e;
        acc[1] += Y4[col.y + r] * e;
        acc[2] += Y4[col.z + r] * e;
        acc[3] += Y4[col.w + r] * e;
      }
    }
  }
  let g = ext(s, X_G);
  for (var j = 0u; j < 4u; j++) {
    for (var e = 0u; e < 4u; e++) {
      if (4u * q4[j] + e < cols) { scratch[g + 4u * q4[j] + e] = acc[j][e]; }
    }
  }
}

// m_complete_residual: Gₛ ← P_Ω(UˢVₛᵀ − Mₛ)/p.  Dispatch as m_product.
@compute @workgroup_size(64)
fn m_complete_residual(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.y;
  let m = slotField(s, F_M);
  let b = uvBlockAt(s, gid.x, m);
  let g = ext(s, X_G);
  let d = ext(s, X_D);
  let mask = ext(s, X_AUX);
  let scale = extF(s, X_C0);
  for (var k = 0u; k < b.rows; k++) {
    for (var j = 0u; j < b.cols; j++) {
      let q = (b.i0 + k) * m + b.c0 + j;
      scratch[g + q] = select(0.0, (b.uv[k][j] - Y[d + q]) * scale, Y[mask + q] != 0.0);
    }
  }
}

// m_rpca_residual: Gₛ ← Rₛ = Mₛ − UˢVₛᵀ (m_rpca_apply turns it into UVᵀ + S − M in place).
// Dispatch as m_product.
@compute @workgroup_size(64)
fn m_rpca_residual(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.y;
  let m = slotField(s, F_M);
  let b = uvBlockAt(s, gid.x, m);
  let g = ext(s, X_G);
  let d = ext(s, X_D);
  for (var k = 0u; k < b.rows; k++) {
    for (var j = 0u; j < b.cols; j++) {
      let q = (b.i0 + k) * m + b.c0 + j;
      scratch[g + q] = Y[d + q] - b.uv[k][j];
    }
  }
}

// m_rpca_threshold: for each row i of Rₛ the k-th largest |Rₛ[i, :]| (k = ⌈γα mₛ⌉), for each column
// the k-th largest |Rₛ[:, c]| (k = ⌈γα n⌉): SPEC §6.2's projection keeps an entry when it reaches both.
// Exact selection by radix on the bits: non-negative floats order like their u32 patterns, so 16 passes
// over the line, each counting the next 2 bits of the |R| whose higher bits match the digits fixed so far
// (a 4-bucket histogram in one vec4u), fix the k-th largest value digit by digit, equal to the sorted
// CPU rule's value. One thread per line: no atomics and no barriers, which a software adapter serialises.
// k = 0 keeps nothing (threshold: the largest f32); k above the line's length keeps every nonzero.
// Dispatch: (ceil((n + max mₛ) / 64), S) workgroups of 64 threads; line x < n is row x, else column x − n.
// Writes scratch[X_E + line] (rows first, then the mₛ columns).
@compute @workgroup_size(64)
fn m_rpca_threshold(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.y;
  let m = slotField(s, F_M);
  let n = params.n;
  let line = gid.x;
  if (line >= n + m) { return; }
  let isRow = line < n;
  let len = select(n, m, isRow);
  let stride = select(m, 1u, isRow);
  let start = ext(s, X_G) + select(line - n, line * m, isRow);
  let k = select(ext(s, X_KCOL), ext(s, X_KROW), isRow);
  var prefix = 0u;
  var fixed = 0u;       // mask of the bits fixed so far
  var need = k;         // how many of the remaining candidates must be ≥ the answer
  for (var shift = 30i; shift >= 0; shift -= 2) {
    let sh = u32(shift);
    var h = vec4u(0u);
    for (var e = 0u; e < len; e++) {
      let bits = bitcast<u32>(abs(scratch[start + e * stride]));
      if ((bits & fixed) == prefix) { h += vec4u(vec4u((bits >> sh) & 3u) == vec4u(0u, 1u, 2u, 3u)); }
    }
    // the largest digit d with (candidates with digit ≥ d) ≥ need; none (need > candidates): digit 0
    var digit = 0u;
    if (h.w >= need) { digit = 3u; }
    else if (h.w + h.z >= need) { digit = 2u; need -= h.w; }
    else if (h.w + h.z + h.y >= need) { digit = 1u; need -= h.w + h.z; }
    else if (h.w + h.z + h.y + h.x >= need) { need -= h.w + h.z + h.y; }
    prefix |= digit << sh;
    fixed |= 3u << sh;
  }
  scratch[ext(s, X_E) + line] = select(bitcast<f32>(prefix), 0x1.fffffep+127f, k == 0u);
}

// m_rpca_apply: Sₛ[i, c] = clip(Rₛ[i, c], ±b) where |R| > 0 reaches its row's and its column's
// threshold, else 0; Gₛ ← Sₛ − Rₛ (= UVᵀ + S − M).  Dispatch as m_product.
@compute @workgroup_size(64)
fn m_rpca_apply(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.y;
  let m = slotField(s, F_M);
  let q = gid.x;
  if (q >= params.n * m) { return; }
  let g = ext(s, X_G);
  let thr = ext(s, X_E);
  let v = scratch[g + q];
  let a = abs(v);
  let b = extF(s, X_C0);
  let keep = a > 0.0 && a >= scratch[thr + q / m] && a >= scratch[thr + params.n + q % m];
  scratch[g + q] = select(0.0, clamp(v, -b, b), keep) - v;
}
