// A landscape slice on a grid (src/core/slice.ts): the bivariate quartic
//   φ(a, b) = Σ_{p+q≤4} c_pq aᵖ b^q,   coefficient of aᵖb^q at index d(d+1)/2 + q, d = p + q
// at every grid point, by Horner in b inside Horner in a. The float64 twin is quarticGrid in
// src/core/slice.ts; test/gpu/slice.test.ts compares the two under an f32 error model.
//
// Bindings (group 0):
//   0 params  uniform   Params (below; src/gpu/slice.ts writes it from the same field list)
//   1 coef    ro f32    [15] the coefficients
//   2 out     rw f32    [nb][na] row-major: row j is b_j, column i is a_i
// Grid: a_i = a0 + i·da (i < na), b_j = b0 + j·db (j < nb).
// Dispatch: (ceil(na / 8), ceil(nb / 8), 1) workgroups of 8×8; invocation (i, j) writes point (i, j).
struct Params {
  a0: f32,
  da: f32,
  b0: f32,
  db: f32,
  na: u32,
  nb: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> coef: array<f32, 15>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

fn idx(p: u32, q: u32) -> u32 {
  let d = p + q;
  return d * (d + 1u) / 2u + q;
}

@compute @workgroup_size(8, 8, 1)
fn slice_grid(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  let j = id.y;
  if (i >= params.na || j >= params.nb) { return; }
  let a = params.a0 + f32(i) * params.da;
  let b = params.b0 + f32(j) * params.db;
  var s = 0.0;
  for (var p = 4i; p >= 0i; p--) {
    var inner = 0.0;
    for (var q = 4i - p; q >= 0i; q--) {
      inner = inner * b + coef[idx(u32(p), u32(q))];
    }
    s = s * a + inner;
  }
  out[j * params.na + i] = s;
}
