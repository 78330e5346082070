// A toy's landscape on a grid (SPEC §4.3, R1): at every grid point (u_i, v_j) the toy's value
//   g = toy_g(kind, u, v, p)
// and log10(g + ε), the colour the Landscape view draws. The toys are listed in src/core/toys/registry.ts:
// each brings `fn toy_<name>(u, v, p) -> f32` (the scalar toy g, 4.3, and g̃, 4.4, in src/core/toys/uv.ts;
// the symmetric f(u) = ‖uuᵀ − diag(1, σ₂)‖² in src/core/problems/symmetric/toy.ts), and src/gpu/landscape.ts
// appends them with `toy_g`, a switch on the toy's index in that list, before compiling this file.
// The float64 twin is evaluateGridCpu in src/core/toy.ts; test/gpu/landscape.test.ts compares the two under
// an f32 error model.
//
// Bindings (group 0):
//   0 params  uniform   Params (below; src/gpu/landscape.ts writes it from the same field list)
//   1 out     rw f32    [2][nv][nu], row-major: plane 0 = g, plane 1 = log10(g + ε);
//                       row j is v_j, column i is u_i (plotly's z[y][x])
// Grid: u_i = u0 + i·du (i < nu), v_j = v0 + j·dv (j < nv) — gridCoords in src/core/toy.ts.
// Dispatch: (ceil(nu / 8), ceil(nv / 8), 1) workgroups of 8×8; invocation (i, j) = global_invocation_id.xy
// writes grid point (i, j); invocations past the grid's edge return.
struct Params {
  u0: f32,
  du: f32,
  v0: f32,
  dv: f32,
  nu: u32,
  nv: u32,
  kind: u32,   // the toy's index in src/core/toys/registry.ts (0 plain, 1 balanced, 2 symmetric)
  mub: f32,    // the toy's parameter p: μ_b of g̃, σ₂ of the symmetric toy; ignored by g
  eps: f32,    // ε of log10(g + ε)
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

const LOG10_2: f32 = 0.30102999566398120;

@compute @workgroup_size(8, 8, 1)
fn landscape(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  let j = id.y;
  if (i >= params.nu || j >= params.nv) { return; }
  let u = params.u0 + f32(i) * params.du;
  let v = params.v0 + f32(j) * params.dv;
  let g = toy_g(params.kind, u, v, params.mub);
  let k = j * params.nu + i;
  out[k] = g;
  out[params.nu * params.nv + k] = log2(g + params.eps) * LOG10_2;
}
