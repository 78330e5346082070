// Heterogeneous auto-encoders, Algorithm 2 of [H] (SPEC §7.10), float32, every source in the same dispatch.
// The float64 reference is src/core/hae.ts; the engine and the offsets are src/gpu/families/hae.ts.
//
// The columns of all sources side by side: global column j (0 ≤ j < m = Σnᵢ) belongs to source cols[2N + j];
// source i's columns are cols[2i] … cols[2i] + cols[2i + 1] − 1. Every activation is width × m, row-major.
//
// Bindings (group 0):
//   0 P      uniform        { N, m, d, r, k, Pg, Pv, P, xLen, yM, yV, yPow, lr, beta1, beta2, eps, wd, invN }
//   1 cols   storage read   u32: [colOff₀, n₀, …, colOff_{N−1}, n_{N−1} | source of column 0 … m − 1]
//   2 data   storage read   f32: [M^obs (d × m, 0 outside the training set) | mask (d × m, 1 = training entry)]
//   3 state  storage rw     f32: the iterate in the reference's layout, X then Y: [θ_g | θ_v | θ_l⁽¹⁾ … θ_l⁽ᴺ⁾ |
//                           m⁽¹⁾ … m⁽ᴺ⁾ | v⁽¹⁾ … v⁽ᴺ⁾ | β₁ᵗ, β₂ᵗ]; a network's parameters are its layers,
//                           each W (out × in, row-major) then b
//   4 act    storage rw     f32: activations, their gradients and the deflation's per-column k × k matrices, at
//                           offsets the engine passes as overrides (HaeActLayout)
//   5 grad   storage rw     f32: node i's gradient [θ_g | θ_v | θ_l⁽ⁱ⁾] at i·P
//
// One round (haeDispatches): dense_forward for each encoder layer (the shared and the unique encoders in one
// dispatch: y = net), deflate, dense_forward for each decoder layer, loss_grad, then backwards: for each
// decoder layer dense_weights and dense_input, deflate_back, for each encoder layer dense_weights (and
// dense_input but for the first), adam (AdamW for every node and the server's average) and powers
// (β₁ᵗ, β₂ᵗ). A layer's sizes and offsets are `override`s of its pipeline.

struct Params {
  N: u32,
  m: u32,
  d: u32,
  r: u32,
  k: u32,
  Pg: u32,
  Pv: u32,
  P: u32,
  xLen: u32,
  yM: u32,
  yV: u32,
  yPow: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  wd: f32,
  invN: f32,
}

@group(0) @binding(0) var<uniform> P: Params;
@group(0) @binding(1) var<storage, read> cols: array<u32>;
@group(0) @binding(2) var<storage, read> data: array<f32>;
@group(0) @binding(3) var<storage, read_write> state: array<f32>;
@group(0) @binding(4) var<storage, read_write> act: array<f32>;
@group(0) @binding(5) var<storage, read_write> grad: array<f32>;

// ── a layer (dense_forward, dense_input, dense_weights) ──
// nets: 0 the shared encoder, 1 source i's unique encoder, 2 the decoder; a dispatch runs NET0 … NET0 + y.
override FIN: u32 = 1u;
override FOUT: u32 = 1u;
// where the layer's W starts inside its network's parameters (b follows W)
override W_OFF: u32 = 0u;
override NET0: u32 = 0u;
// the layer's input: act[IN_OFF + net·IN_STRIDE + c·m + j], or the data when IN_DATA; ReLU applied when IN_RELU
override IN_DATA: bool = false;
override IN_RELU: bool = false;
override IN_OFF: u32 = 0u;
override IN_STRIDE: u32 = 0u;
// its output (pre-activation, forward) or the gradient on it (backward), same addressing
override OUT_OFF: u32 = 0u;
override OUT_STRIDE: u32 = 0u;
// dense_input writes the gradient on the input here (same addressing as the input)
override DIN_OFF: u32 = 0u;

// ── the deflation ──
override EG: u32 = 0u;      // Emb_g (r × m); Emb_l½ follows at EG + r·m
override ED: u32 = 0u;      // the deflated Emb_l (r × m)
override Z: u32 = 0u;       // Emb_g + Emb_l (r × m), the decoder's input
override CW: u32 = 0u;      // per column j: C = (AᵀA)⁻¹AᵀB then the Cholesky factor L of AᵀA, 2·k² words at CW + 2k²·j
override DZ: u32 = 0u;      // the gradient on Z (r × m)
override DEMB: u32 = 0u;    // the gradients on Emb_g and Emb_l½ (2 × r × m)
// ── the loss ──
override OUT: u32 = 0u;     // Net_V(Z) (d × m)
override DOUT: u32 = 0u;    // its gradient 2·mask·(out − M) (d × m)

const KMAX: u32 = 4u;

// where net's parameters start in the state, for a column or a gradient of source i
fn netBase(net: u32, i: u32) -> u32 {
  if (net == 0u) { return 0u; }
  if (net == 2u) { return P.Pg; }
  return P.xLen + i * P.Pg;
}
// and in node i's gradient [θ_g | θ_v | θ_l]
fn gradBase(net: u32, i: u32) -> u32 {
  if (net == 0u) { return i * P.P; }
  if (net == 2u) { return i * P.P + P.Pg; }
  return i * P.P + P.Pg + P.Pv;
}

fn layerIn(net: u32, c: u32, j: u32) -> f32 {
  if (IN_DATA) { return data[c * P.m + j]; }
  let x = act[IN_OFF + (net - NET0) * IN_STRIDE + c * P.m + j];
  if (IN_RELU) { return max(x, 0.0); }
  return x;
}

// out[a, j] = b[a] + Σ_c W[a, c]·in[c, j]: one thread per (a, j), y = net − NET0
@compute @workgroup_size(64)
fn dense_forward(@builtin(global_invocation_id) id: vec3<u32>) {
  let t = id.x;
  if (t >= FOUT * P.m) { return; }
  let a = t / P.m; let j = t % P.m;
  let net = NET0 + id.y;
  let w = netBase(net, cols[2u * P.N + j]) + W_OFF;
  var s = state[w + FOUT * FIN + a];
  for (var c = 0u; c < FIN; c++) { s += state[w + a * FIN + c] * layerIn(net, c, j); }
  act[OUT_OFF + id.y * OUT_STRIDE + a * P.m + j] = s;
}

// dIn[c, j] = (Σ_a W[a, c]·dOut[a, j])·σ′(in): one thread per (c, j), y = net − NET0
@compute @workgroup_size(64)
fn dense_input(@builtin(global_invocation_id) id: vec3<u32>) {
  let t = id.x;
  if (t >= FIN * P.m) { return; }
  let c = t / P.m; let j = t % P.m;
  let net = NET0 + id.y;
  let w = netBase(net, cols[2u * P.N + j]) + W_OFF;
  var s = 0.0;
  for (var a = 0u; a < FOUT; a++) { s += state[w + a * FIN + c] * act[OUT_OFF + id.y * OUT_STRIDE + a * P.m + j]; }
  if (IN_RELU && !(act[IN_OFF + id.y * IN_STRIDE + c * P.m + j] > 0.0)) { s = 0.0; }
  act[DIN_OFF + id.y * IN_STRIDE + c * P.m + j] = s;
}

// node i's gradient of W[a, c] (c < FIN) or b[a] (c = FIN): Σ over source i's columns of dOut[a, j]·in[c, j];
// one thread per (a, c), y = net − NET0, z = source
@compute @workgroup_size(64)
fn dense_weights(@builtin(global_invocation_id) id: vec3<u32>) {
  let t = id.x;
  if (t >= FOUT * (FIN + 1u)) { return; }
  let a = t / (FIN + 1u); let c = t % (FIN + 1u);
  let net = NET0 + id.y; let i = id.z;
  let j0 = cols[2u * i]; let n = cols[2u * i + 1u];
  var s = 0.0;
  for (var j = j0; j < j0 + n; j++) {
    let g = act[OUT_OFF + id.y * OUT_STRIDE + a * P.m + j];
    if (c == FIN) { s += g; } else { s += g * layerIn(net, c, j); }
  }
  let at = gradBase(net, i) + W_OFF;
  if (c == FIN) { grad[at + FOUT * FIN + a] = s; } else { grad[at + a * FIN + c] = s; }
}

// ── the deflation of column j (Algorithm 2, line 6): A = F(Emb_g), B = F(Emb_l½), (r/k) × k with
// A[t][c] = Emb_g[c·s + t]; C = (AᵀA)⁻¹AᵀB by a k × k Cholesky factorisation; Emb_l = F⁻¹(B − AC) ──

fn chol(G: ptr<function, array<f32, 16>>, L: ptr<function, array<f32, 16>>, k: u32) {
  for (var i = 0u; i < k; i++) {
    for (var j = 0u; j <= i; j++) {
      var s = (*G)[i * k + j];
      for (var t = 0u; t < j; t++) { s -= (*L)[i * k + t] * (*L)[j * k + t]; }
      // a singular AᵀA: sqrt of a number ≤ 0, then a division by it — non-finite, as the reference stops
      if (i == j) { (*L)[i * k + i] = sqrt(s); }
      else { (*L)[i * k + j] = s / (*L)[j * k + j]; }
    }
  }
}

// solve (LLᵀ)X = B in place, B k × k (columns are right-hand sides)
fn cholSolve(L: ptr<function, array<f32, 16>>, B: ptr<function, array<f32, 16>>, k: u32) {
  for (var col = 0u; col < k; col++) {
    for (var i = 0u; i < k; i++) {
      var s = (*B)[i * k + col];
      for (var t = 0u; t < i; t++) { s -= (*L)[i * k + t] * (*B)[t * k + col]; }
      (*B)[i * k + col] = s / (*L)[i * k + i];
    }
    for (var ii = 0u; ii < k; ii++) {
      let i = k - 1u - ii;
      var s = (*B)[i * k + col];
      for (var t = i + 1u; t < k; t++) { s -= (*L)[t * k + i] * (*B)[t * k + col]; }
      (*B)[i * k + col] = s / (*L)[i * k + i];
    }
  }
}

fn eg(q: u32, j: u32) -> f32 { return act[EG + q * P.m + j]; }

@compute @workgroup_size(64)
fn deflate(@builtin(global_invocation_id) id: vec3<u32>) {
  let j = id.x;
  if (j >= P.m) { return; }
  let k = P.k; let s = P.r / k; let el = EG + P.r * P.m;
  var G: array<f32, 16>; var C: array<f32, 16>; var L: array<f32, 16>;
  for (var c = 0u; c < k; c++) {
    for (var e = 0u; e < k; e++) {
      var gg = 0.0; var gu = 0.0;
      for (var t = 0u; t < s; t++) {
        let a = eg(c * s + t, j);
        gg += a * eg(e * s + t, j);
        gu += a * act[el + (e * s + t) * P.m + j];
      }
      G[c * k + e] = gg; C[c * k + e] = gu;
    }
  }
  chol(&G, &L, k);
  cholSolve(&L, &C, k);
  let kk = k * k;
  for (var q = 0u; q < kk; q++) { act[CW + 2u * kk * j + q] = C[q]; act[CW + 2u * kk * j + kk + q] = L[q]; }
  for (var e = 0u; e < k; e++) {
    for (var t = 0u; t < s; t++) {
      var x = act[el + (e * s + t) * P.m + j];
      for (var c = 0u; c < k; c++) { x -= eg(c * s + t, j) * C[c * k + e]; }
      act[ED + (e * s + t) * P.m + j] = x;
      act[Z + (e * s + t) * P.m + j] = eg(e * s + t, j) + x;
    }
  }
}

// backward through the deflation of column j (src/core/hae.ts deflateColumnBack): with Ū′ = F(dz),
// S = (AᵀA)⁻¹AᵀŪ′, Ū = Ū′ − AS, Ā = dz − (ŪCᵀ + B′Sᵀ)
@compute @workgroup_size(64)
fn deflate_back(@builtin(global_invocation_id) id: vec3<u32>) {
  let j = id.x;
  if (j >= P.m) { return; }
  let k = P.k; let s = P.r / k; let kk = k * k;
  var C: array<f32, 16>; var L: array<f32, 16>; var S: array<f32, 16>;
  for (var q = 0u; q < kk; q++) { C[q] = act[CW + 2u * kk * j + q]; L[q] = act[CW + 2u * kk * j + kk + q]; }
  for (var c = 0u; c < k; c++) {
    for (var e = 0u; e < k; e++) {
      var x = 0.0;
      for (var t = 0u; t < s; t++) { x += eg(c * s + t, j) * act[DZ + (e * s + t) * P.m + j]; }
      S[c * k + e] = x;
    }
  }
  cholSolve(&L, &S, k);
  let du = DEMB + P.r * P.m;
  for (var e = 0u; e < k; e++) {
    for (var t = 0u; t < s; t++) {
      var x = act[DZ + (e * s + t) * P.m + j];
      for (var c = 0u; c < k; c++) { x -= eg(c * s + t, j) * S[c * k + e]; }
      act[du + (e * s + t) * P.m + j] = x;
    }
  }
  for (var c = 0u; c < k; c++) {
    for (var t = 0u; t < s; t++) {
      var x = act[DZ + (c * s + t) * P.m + j];
      for (var e = 0u; e < k; e++) {
        x -= C[c * k + e] * act[du + (e * s + t) * P.m + j] + S[c * k + e] * act[ED + (e * s + t) * P.m + j];
      }
      act[DEMB + (c * s + t) * P.m + j] = x;
    }
  }
}

// the gradient of ‖P_Ω(M − out)‖² on out: one thread per entry of d × m
@compute @workgroup_size(64)
fn loss_grad(@builtin(global_invocation_id) id: vec3<u32>) {
  let t = id.x;
  if (t >= P.d * P.m) { return; }
  act[DOUT + t] = 2.0 * data[P.d * P.m + t] * (act[OUT + t] - data[t]);
}

// AdamW (src/core/hae.ts haeRound) for every node, then the server's average of θ_g and θ_v: one thread per
// shared parameter (looping over the nodes) and one per (node, unique parameter)
@compute @workgroup_size(64)
fn adam(@builtin(global_invocation_id) id: vec3<u32>) {
  let t = id.x;
  let Ps = P.Pg + P.Pv;
  if (t >= Ps + P.N * P.Pg) { return; }
  let p1 = state[P.xLen + P.yPow] * P.beta1; let p2 = state[P.xLen + P.yPow + 1u] * P.beta2;
  let c1 = 1.0 - p1; let c2 = 1.0 - p2;
  let decay = 1.0 - P.lr * P.wd;
  if (t < Ps) {
    let x = state[t];
    var sum = 0.0;
    for (var i = 0u; i < P.N; i++) {
      let g = grad[i * P.P + t];
      let mo = P.xLen + P.yM + i * P.P + t; let vo = P.xLen + P.yV + i * P.P + t;
      let m = P.beta1 * state[mo] + (1.0 - P.beta1) * g;
      let v = P.beta2 * state[vo] + (1.0 - P.beta2) * g * g;
      state[mo] = m; state[vo] = v;
      sum += x * decay - (P.lr * (m / c1)) / (sqrt(v / c2) + P.eps);
    }
    state[t] = sum * P.invN;
    return;
  }
  let i = (t - Ps) / P.Pg; let q = (t - Ps) % P.Pg;
  let g = grad[i * P.P + Ps + q];
  let mo = P.xLen + P.yM + i * P.P + Ps + q; let vo = P.xLen + P.yV + i * P.P + Ps + q;
  let m = P.beta1 * state[mo] + (1.0 - P.beta1) * g;
  let v = P.beta2 * state[vo] + (1.0 - P.beta2) * g * g;
  state[mo] = m; state[vo] = v;
  let at = P.xLen + i * P.Pg + q;
  state[at] = state[at] * decay - (P.lr * (m / c1)) / (sqrt(v / c2) + P.eps);
}

// β₁ᵗ, β₂ᵗ → β₁ᵗ⁺¹, β₂ᵗ⁺¹ after adam has read them (one thread)
@compute @workgroup_size(1)
fn powers() {
  state[P.xLen + P.yPow] *= P.beta1;
  state[P.xLen + P.yPow + 1u] *= P.beta2;
}
