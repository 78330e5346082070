// Hessian–vector product of g (1.6) for DGD+LOCAL (J nodes) and centralized GD (J = 1), float32:
//   ∇²g[(dU, dV)] = per node j, with Eⱼ = UʲVⱼᵀ − Yⱼ and Dⱼ = dUʲVⱼᵀ + UʲdVⱼᵀ,
//     out_Uʲ = 2(DⱼVⱼ + EⱼdVⱼ) + Σᵢ (w̃ⱼᵢ/μ)(dUʲ − dUⁱ)        (the derivative of 1.8; quadratic form 4.2)
//     out_Vⱼ = 2(DⱼᵀUʲ + EⱼᵀdUʲ)
// Eⱼ and Dⱼ are formed entry by entry and never stored. The float64 twin is DgdLocal.hessianVector
// (src/core/dgd.ts); test/gpu/hvp.test.ts compares the two under an f32 error model.
//
// Bindings (group 0):
//   0 params  uniform   Params: n, r, J, m (total rows of V)
//   1 nodes   ro u32    [J][3] per node (first row of Vⱼ in V, mⱼ, offset of Yⱼ in Y), then [m] the node of each V row
//   2 Y       ro f32    node blocks Yⱼ (n×mⱼ row-major), concatenated at their offsets
//   3 X       ro f32    [U (J·n·r) | dU (J·n·r)], Uʲ row-major n×r at j·n·r
//   4 V       ro f32    [V (m·r) | dV (m·r)], V row-major m×r, node blocks in node order
//   5 coup    ro f32    [J][J] w̃ⱼᵢ/μ for i ≠ j, 0 on the diagonal
//   6 out     rw f32    [out_U (J·n·r) | out_V (m·r)]
// Dispatch: hvp_u (ceil(n/64), J, 1): invocation (i, j) writes row i of out_Uʲ;
//           hvp_v (ceil(m/64), 1, 1): invocation c writes row c of out_V. Workgroups of 64; r ≤ MAX_R.
struct Params {
  n: u32,
  r: u32,
  J: u32,
  m: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> nodes: array<u32>;
@group(0) @binding(2) var<storage, read> Y: array<f32>;
@group(0) @binding(3) var<storage, read> X: array<f32>;
@group(0) @binding(4) var<storage, read> V: array<f32>;
@group(0) @binding(5) var<storage, read> coup: array<f32>;
@group(0) @binding(6) var<storage, read_write> out: array<f32>;

const MAX_R: u32 = 64u;

// For row u of Uʲ in X and row v of Vⱼ in V: the residual e = (UVᵀ − Y)[i, c] (y = Y[i, c]) and its
// derivative along the direction, d = (dU Vᵀ + U dVᵀ)[i, c] (dU at X[nrJ + …], dV at V[mr + …]).
fn residualAndDerivative(y: f32, u: u32, v: u32) -> vec2f {
  let r = params.r;
  let nrJ = params.J * params.n * r;
  let mr = params.m * r;
  var e = -y;
  var d = 0.0;
  for (var k = 0u; k < r; k++) {
    e += X[u + k] * V[v + k];
    d += X[nrJ + u + k] * V[v + k] + X[u + k] * V[mr + v + k];
  }
  return vec2f(e, d);
}

@compute @workgroup_size(64, 1, 1)
fn hvp_u(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  let j = id.y;
  let n = params.n;
  let r = params.r;
  if (i >= n || j >= params.J) { return; }
  let c0 = nodes[3u * j];
  let mj = nodes[3u * j + 1u];
  let y0 = nodes[3u * j + 2u];
  let nrJ = params.J * n * r;
  let mr = params.m * r;
  let u = j * n * r + i * r;        // row i of Uʲ in X (dU at nrJ + u)
  var acc: array<f32, MAX_R>;
  for (var k = 0u; k < r; k++) { acc[k] = 0.0; }
  for (var c = 0u; c < mj; c++) {
    let v = (c0 + c) * r;           // row c of Vⱼ in V (dV at mr + v)
    let ed = residualAndDerivative(Y[y0 + i * mj + c], u, v);
    for (var k = 0u; k < r; k++) {
      acc[k] += 2.0 * (ed.y * V[v + k] + ed.x * V[mr + v + k]);
    }
  }
  for (var q = 0u; q < params.J; q++) {
    let w = coup[j * params.J + q];
    if (w == 0.0) { continue; }
    let uq = q * n * r + i * r;
    for (var k = 0u; k < r; k++) {
      acc[k] += w * (X[nrJ + u + k] - X[nrJ + uq + k]);
    }
  }
  for (var k = 0u; k < r; k++) { out[u + k] = acc[k]; }
}

@compute @workgroup_size(64, 1, 1)
fn hvp_v(@builtin(global_invocation_id) id: vec3u) {
  let row = id.x;
  let n = params.n;
  let r = params.r;
  if (row >= params.m) { return; }
  let j = nodes[3u * params.J + row];
  let c = row - nodes[3u * j];
  let mj = nodes[3u * j + 1u];
  let y0 = nodes[3u * j + 2u];
  let nrJ = params.J * n * r;
  let v = row * r;
  var acc: array<f32, MAX_R>;
  for (var k = 0u; k < r; k++) { acc[k] = 0.0; }
  for (var i = 0u; i < n; i++) {
    let u = j * n * r + i * r;
    let ed = residualAndDerivative(Y[y0 + i * mj + c], u, v);
    for (var k = 0u; k < r; k++) {
      acc[k] += 2.0 * (ed.y * X[u + k] + ed.x * X[nrJ + u + k]);
    }
  }
  for (var k = 0u; k < r; k++) { out[nrJ + v + k] = acc[k]; }
}
