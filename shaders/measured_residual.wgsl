// Residual kernels of the measured problems: each leaves in Gₛ (scratch at X_G, n×mₛ row-major) the matrix
// whose back-projection gives the data gradient, ∇_U dataₛ = GₛVₛ, ∇_V dataₛ = GₛᵀUˢ (SPEC §5–6):
//   sensing     Gₛ = mat(𝒜ₛᵀ eₛ), eₛ = 𝒜ₛ vec(UˢVₛᵀ) − bₛ           m_product → m_sense_apply → m_sense_adjoint
//   completion  Gₛ = P_Ω(UˢVₛᵀ − Mₛ)/p                                m_complete_residual
//   RPCA        Gₛ = UˢVₛᵀ + Sₛ − Mₛ, Sₛ = Π(Mₛ − UˢVₛᵀ)                m_rpca_residual → m_rpca_threshold → m_rpca_apply
// All slots (nodes × trials) run in the same dispatch: the slot is the y dimension of every grid.

const KB: u32 = 8u;     // rows of 𝒜ₛ per workgroup in m_sense_apply

// m_product: Gₛ ← UˢVₛᵀ (sensing, before applying 𝒜ₛ).
// Dispatch: (ceil(n·max mₛ / 64), S) workgroups of 64 threads; thread → entry q = i·mₛ + c.
@compute @workgroup_size(64)
fn m_product(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.y;
  let m = slotField(s, F_M);
  let q = gid.x;
  if (q >= params.n * m) { return; }
  scratch[ext(s, X_G) + q] = uvEntry(s, slotField(s, F_VROW), q / m, q % m);
}

var<workgroup> pShared: u32;
var<workgroup> red8: array<vec4f, 2u * 64u>;

// m_sense_apply: eₛ[k] ← 𝒜ₛ[k, :]·vec(Gₛ) − bₛ[k] for KB rows k per workgroup. Each thread walks the
// columns q ≡ t (mod 64), so the 64 threads read consecutive words of each of the KB rows (coalesced) and
// vec(Gₛ)[q] once for all KB rows; a tree reduction over the threads finishes the KB dot products.
// Dispatch: (ceil(max pₛ / KB), S) workgroups of 64 threads.
@compute @workgroup_size(64)
fn m_sense_apply(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  if (t == 0u) { pShared = ext(s, X_P); }
  let p = workgroupUniformLoad(&pShared);
  let k0 = wg.x * KB;
  if (k0 >= p) { return; }
  let cols = params.n * slotField(s, F_M);
  let a = ext(s, X_D);
  let g = ext(s, X_G);
  let last = p - 1u;
  var lo = vec4f(0.0);
  var hi = vec4f(0.0);
  for (var q = t; q < cols; q += 64u) {
    let x = scratch[g + q];
    // rows past pₛ repeat the last row; their sums are discarded below
    lo += x * vec4f(Y[a + min(k0, last) * cols + q], Y[a + min(k0 + 1u, last) * cols + q],
                    Y[a + min(k0 + 2u, last) * cols + q], Y[a + min(k0 + 3u, last) * cols + q]);
    hi += x * vec4f(Y[a + min(k0 + 4u, last) * cols + q], Y[a + min(k0 + 5u, last) * cols + q],
                    Y[a + min(k0 + 6u, last) * cols + q], Y[a + min(k0 + 7u, last) * cols + q]);
  }
  red8[t] = lo;
  red8[64u + t] = hi;
  for (var h = 32u; h > 0u; h >>= 1u) {
    workgroupBarrier();
    if (t < h) {
      red8[t] += red8[t + h];
      red8[64u + t] += red8[64u + t + h];
    }
  }
  workgroupBarrier();
  if (t < KB && k0 + t < p) {
    let v = red8[(t / 4u) * 64u][t % 4u];
    scratch[ext(s, X_E) + k0 + t] = v - Y[ext(s, X_AUX) + k0 + t];
  }
}

var<workgroup> eT: array<f32, 64>;

// m_sense_adjoint: vec(Gₛ)[q] ← Σₖ 𝒜ₛ[k, q] eₛ[k]. Thread → column q (consecutive threads read
// consecutive words of each row); eₛ is staged through workgroup memory 64 entries at a time.
// Dispatch: (ceil(n·max mₛ / 64), S) workgroups of 64 threads.
@compute @workgroup_size(64)
fn m_sense_adjoint(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  if (t == 0u) { pShared = ext(s, X_P); }
  let p = workgroupUniformLoad(&pShared);
  let cols = params.n * slotField(s, F_M);
  let q = wg.x * 64u + t;
  let a = ext(s, X_D);
  let e0 = ext(s, X_E);
  var acc = 0.0;
  for (var k0 = 0u; k0 < p; k0 += 64u) {
    workgroupBarrier();
    eT[t] = select(0.0, scratch[e0 + k0 + t], k0 + t < p);
    workgroupBarrier();
    if (q < cols) {
      let kk = min(64u, p - k0);
      for (var k = 0u; k < kk; k++) {
        acc += Y[a + (k0 + k) * cols + q] * eT[k];
      }
    }
  }
  if (q < cols) { scratch[ext(s, X_G) + q] = acc; }
}

// m_complete_residual: Gₛ ← P_Ω(UˢVₛᵀ − Mₛ)/p.  Dispatch as m_product.
@compute @workgroup_size(64)
fn m_complete_residual(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.y;
  let m = slotField(s, F_M);
  let q = gid.x;
  if (q >= params.n * m) { return; }
  let x = uvEntry(s, slotField(s, F_VROW), q / m, q % m);
  let observed = Y[ext(s, X_AUX) + q] != 0.0;
  scratch[ext(s, X_G) + q] = select(0.0, (x - Y[ext(s, X_D) + q]) * extF(s, X_C0), observed);
}

// m_rpca_residual: Gₛ ← Rₛ = Mₛ − UˢVₛᵀ (m_rpca_apply turns it into UVᵀ + S − M in place).
// Dispatch as m_product.
@compute @workgroup_size(64)
fn m_rpca_residual(@builtin(global_invocation_id) gid: vec3u) {
  let s = gid.y;
  let m = slotField(s, F_M);
  let q = gid.x;
  if (q >= params.n * m) { return; }
  scratch[ext(s, X_G) + q] = Y[ext(s, X_D) + q] - uvEntry(s, slotField(s, F_VROW), q / m, q % m);
}

var<workgroup> mLine: u32;
var<workgroup> cnt: array<atomic<u32>, 32>;

// m_rpca_threshold: for each row i of Rₛ the k-th largest |Rₛ[i, :]| (k = ⌈γα mₛ⌉), for each column
// the k-th largest |Rₛ[:, c]| (k = ⌈γα n⌉): SPEC §6.2's projection keeps an entry when it reaches both.
// Exact selection by bisection on the bits: non-negative floats order like their u32 patterns, so 31
// rounds of "how many |R| have bits ≥ prefix | 2ᵇ" (a workgroup count: one atomic counter per round, one
// barrier per round) fix the k-th largest value bit by bit, equal to the sorted CPU rule's value. k = 0 keeps nothing (threshold: the largest f32).
// Dispatch: (n + max mₛ, S) workgroups of 64 threads; workgroup x < n is row x, else column x − n.
// Writes scratch[X_E + line] (rows first, then the mₛ columns).
@compute @workgroup_size(64)
fn m_rpca_threshold(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  if (t == 0u) { mLine = slotField(s, F_M); }
  let m = workgroupUniformLoad(&mLine);
  let n = params.n;
  let line = wg.x;
  if (line >= n + m) { return; }
  let isRow = line < n;
  let len = select(n, m, isRow);
  let stride = select(m, 1u, isRow);
  let start = ext(s, X_G) + select(line - n, line * m, isRow);
  let k = select(ext(s, X_KCOL), ext(s, X_KROW), isRow);
  if (t < 32u) { atomicStore(&cnt[t], 0u); }
  workgroupBarrier();
  var prefix = 0u;   // the same in every thread: all read the same counts
  for (var b = 31u; b > 0u; b--) {
    let cand = prefix | (1u << (b - 1u));
    var c = 0u;
    for (var e = t; e < len; e += 64u) {
      if (bitcast<u32>(abs(scratch[start + e * stride])) >= cand) { c++; }
    }
    if (c > 0u) { atomicAdd(&cnt[b], c); }
    workgroupBarrier();
    if (atomicLoad(&cnt[b]) >= k) { prefix = cand; }
  }
  if (t == 0u) {
    scratch[ext(s, X_E) + line] = select(bitcast<f32>(prefix), 0x1.fffffep+127f, k == 0u);
  }
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
