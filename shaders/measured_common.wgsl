// Shared declarations of the measured-problem kernels (matrix sensing, completion, robust PCA; SPEC §5–6).
// Prepended after common.wgsl, whose bind group and Params they reuse with these meanings:
//   1 Y        read   the data of every distinct problem, per slot at the offsets of its extra record:
//                     sensing 𝒜ₛ (pₛ rows of n·mₛ entries, vec(X)[i·mₛ + c] = X[i, c], each row padded with
//                     zeros to a multiple of 4 and starting on a vec4, read as Y4) and bₛ; completion the
//                     block Mₛ (n×mₛ, 0 outside Ω) and its mask (1.0 / 0.0); RPCA the block Mₛ; and the
//                     planted block Xₛ⋆ when known
//   2–5 U/V    as in common.wgsl (DGD+LOCAL / GD layout; classical DGD is not offered for these problems)
//   6 P        unused (bound to a 16-byte buffer)
//   8 scratch  grams and metric partials as in common.wgsl (partVOff holds the per-slot data partials
//              [S][2]: data term, optimality error), then per slot the n×mₛ work matrix Gₛ at X_G and the
//              residual eₛ (sensing, pₛ words) or the row/column thresholds (RPCA, n + mₛ words) at X_E
// Extra slot record (MEXT_WORDS u32 words per slot at params.ext):
const MEXT_WORDS: u32 = 16u;
const X_G: u32 = 0u;         // scratch offset of Gₛ (n×mₛ)
const X_D: u32 = 1u;         // Y offset of 𝒜ₛ (sensing) or Mₛ (completion, RPCA)
const X_AUX: u32 = 2u;       // Y offset of bₛ (sensing) or of the mask (completion)
const X_TRUTH: u32 = 3u;     // Y offset of Xₛ⋆ (NONE: not known)
const X_P: u32 = 4u;         // sensing: pₛ, rows of 𝒜ₛ
const X_E: u32 = 5u;         // scratch offset of eₛ (sensing) or of the thresholds (RPCA)
const X_RES: u32 = 6u;       // scratch offset of the vector whose weighted squared norm is the data term
const X_RESLEN: u32 = 7u;    // its length
const X_RESW: u32 = 8u;      // f32 weight: ½ (sensing, RPCA), p/2 (completion, where Gₛ = P_Ω(UVᵀ − M)/p)
const X_C0: u32 = 9u;        // f32: completion 1/p; RPCA the entry bound b
const X_KROW: u32 = 10u;     // RPCA: ⌈γα mₛ⌉ kept per row (u32; 0 keeps nothing)
const X_KCOL: u32 = 11u;     // RPCA: ⌈γα n⌉ kept per column
const X_QW1: u32 = 12u;      // completion Q (SPEC §6.1): λ₁/J (the U part is split over the nodes), α₁,
const X_QA1: u32 = 13u;      //   λ₂ and α₂ (f32; weight 0: Q off)
const X_QW2: u32 = 14u;
const X_QA2: u32 = 15u;
const NONE: u32 = 0xffffffffu;

// the same binding as Y, seen as vec4s (the sensing kernels read 𝒜ₛ 4 entries a load; an entry point
// uses either Y or Y4, never both)
@group(0) @binding(1) var<storage, read> Y4: array<vec4f>;
fn y4At(i: u32) -> f32 { return Y4[i / 4u][i % 4u]; }

fn ext(s: u32, f: u32) -> u32 { return tables[params.ext + s * MEXT_WORDS + f]; }
fn extF(s: u32, f: u32) -> f32 { return bitcast<f32>(tables[params.ext + s * MEXT_WORDS + f]); }
// (UˢVₛᵀ) on rows i × columns c (4 each, every index valid): column k of the result is row i[k].
fn uvBlock(s: u32, vRow: u32, i: vec4u, c: vec4u) -> mat4x4f {
  let u = (vec4u(s * params.n) + i) * R4;
  let v = (vec4u(vRow) + c) * R4;
  var m = mat4x4f();
  for (var k = 0u; k < R4; k++) {
    let v0 = Vin[v.x + k]; let v1 = Vin[v.y + k]; let v2 = Vin[v.z + k]; let v3 = Vin[v.w + k];
    let u0 = Uin[u.x + k]; let u1 = Uin[u.y + k]; let u2 = Uin[u.z + k]; let u3 = Uin[u.w + k];
    m[0] += vec4f(dot(u0, v0), dot(u0, v1), dot(u0, v2), dot(u0, v3));
    m[1] += vec4f(dot(u1, v0), dot(u1, v1), dot(u1, v2), dot(u1, v3));
    m[2] += vec4f(dot(u2, v0), dot(u2, v1), dot(u2, v2), dot(u2, v3));
    m[3] += vec4f(dot(u3, v0), dot(u3, v1), dot(u3, v2), dot(u3, v3));
  }
  return m;
}

// A thread's 4 × 4 block of slot s's n × m matrix (grid x over ⌈n/4⌉·⌈m/4⌉ blocks): its first row and
// column, how many of its rows and columns are inside (0 rows: nothing to do), and UˢVₛᵀ on it.
struct UvBlock { i0: u32, c0: u32, rows: u32, cols: u32, uv: mat4x4f }
fn uvBlockAt(s: u32, x: u32, m: u32) -> UvBlock {
  let n = params.n;
  let mb = (m + 3u) / 4u;
  let i0 = 4u * (x / mb);
  let c0 = 4u * (x % mb);
  if (i0 >= n) { return UvBlock(0u, 0u, 0u, 0u, mat4x4f()); }
  let l = vec4u(0u, 1u, 2u, 3u);
  // indices past the end repeat the last row / column (their results are not used)
  let uv = uvBlock(s, slotField(s, F_VROW), min(vec4u(i0) + l, vec4u(n - 1u)), min(vec4u(c0) + l, vec4u(m - 1u)));
  return UvBlock(i0, c0, min(4u, n - i0), min(4u, m - c0), uv);
}

// (UˢVₛᵀ)[i, c]
fn uvEntry(s: u32, vRow: u32, i: u32, c: u32) -> f32 {
  var acc = vec4f(0.0);
  for (var k = 0u; k < R4; k++) {
    acc += Uin[(s * params.n + i) * R4 + k] * Vin[(vRow + c) * R4 + k];
  }
  return sum4(acc);
}
