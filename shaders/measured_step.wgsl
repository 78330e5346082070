// The DGD+LOCAL step (SPEC eq. 1.9–1.10) of the measured problems, from the residual matrix Gₛ that the
// residual kernels left in scratch (measured_residual.wgsl) and the grams of the iterate (grams.wgsl,
// needed when λ > 0):
//   ∇_U fₛ = GₛVₛ + λ UˢBₛ (+ ∇Q_U),   ∇_V fₛ = GₛᵀUˢ − λ VₛBₛ (+ ∇Q_V),   Bₛ = UˢᵀUˢ − VₛᵀVₛ
//   Uˢ ← Σᵢ w̃ₛᵢ Uⁱ − μ ∇_U fₛ,          Vₛ ← Vₛ − μ ∇_V fₛ
// Q (completion, SPEC §6.1): Σ rows w(‖xᵢ‖ − α)₊⁴, gradient 4w(‖xᵢ‖ − α)₊³ xᵢ/‖xᵢ‖ (w = λ₁/J for U).
// With METRICS = true nothing is written to Uout/Vout; per workgroup the partials ‖∇_U g‖², the U
// penalty Σᵢ w̃ₛᵢ/(4μ)‖Uˢ − Uⁱ‖² and Q_U go to scratch[partAOff + (s·nRB + b)·4 …], and ‖∇_V g‖², Q_V to
// scratch[partBOff + (s·nCB + b)·4 …].
override METRICS: bool = false;
override Q_ON: bool = false;

var<workgroup> gT: array<f32, TB * TC>;
var<workgroup> vT: array<vec4f, TC * R4>;
var<workgroup> uT: array<vec4f, TB * R4>;
var<workgroup> mShared: u32;

// A row of Uˢ or Vₛ (R4 lanes), read once.
fn rowOf(isU: bool, base: u32) -> array<vec4f, R4> {
  var x: array<vec4f, R4>;
  for (var k = 0u; k < R4; k++) {
    if (isU) { x[k] = Uin[base + k]; } else { x[k] = Vin[base + k]; }
  }
  return x;
}

fn rowNorm2(x: array<vec4f, R4>) -> f32 {
  var s = 0.0;
  for (var k = 0u; k < R4; k++) { s += dot(x[k], x[k]); }
  return s;
}

// Lane k4 of x·(UˢᵀUˢ − VₛᵀVₛ), x a row of Uˢ or Vₛ: the balancing term's gradient row (SPEC §5.4) up to ±λ,
// from the slot's grams at `gram` (VₛᵀVₛ, then UˢᵀUˢ).
fn balanceRow(x: array<vec4f, R4>, gram: u32, k: u32) -> vec4f {
  var b = vec4f(0.0);
  for (var l = 0u; l < R; l++) { b += x[l / 4u][l % 4u] * (gram4(gram + R * R, l, k) - gram4(gram, l, k)); }
  return b;
}

// row factor of the Q gradient: 4w(‖x‖ − α)₊³/‖x‖, and the row's Q value w(‖x‖ − α)₊⁴
fn qRow(w: f32, alpha: f32, nrm2: f32) -> vec2f {
  let nrm = sqrt(nrm2);
  let d = nrm - alpha;
  if (w == 0.0 || d <= 0.0) { return vec2f(0.0); }
  return vec2f(4.0 * w * d * d * d / nrm, w * d * d * d * d);
}

// m_u_step: thread t of workgroup (b, s) owns row i = b·TB + t of Uˢ; (GₛVₛ)[i, :] is accumulated over
// TC-column tiles of Gₛ and Vₛ staged in workgroup memory (coalesced loads of Gₛ's rows).
// Dispatch: (nRB, S) workgroups of TB threads.
@compute @workgroup_size(TB)
fn m_u_step(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  let b = wg.x;
  let n = params.n;
  if (t == 0u) { mShared = slotField(s, F_M); }
  let m = workgroupUniformLoad(&mShared);
  let g = ext(s, X_G);
  let vRow = slotField(s, F_VROW);
  let row0 = b * TB;
  let i = row0 + t;
  var gv: array<vec4f, R4>;
  for (var c0 = 0u; c0 < m; c0 += TC) {
    workgroupBarrier();
    for (var q = t; q < TB * TC; q += TB) {
      let rr = row0 + q / TC;
      let cc = c0 + q % TC;
      gT[q] = select(0.0, scratch[g + rr * m + cc], rr < n && cc < m);
    }
    for (var q = t; q < TC * R4; q += TB) {
      let cc = c0 + q / R4;
      vT[q] = select(vec4f(0.0), Vin[(vRow + cc) * R4 + q % R4], cc < m);
    }
    workgroupBarrier();
    for (var k = 0u; k < R4; k++) {
      var acc = gv[k];
      for (var c = 0u; c < TC; c++) {
        acc += gT[t * TC + c] * vT[c * R4 + k];
      }
      gv[k] = acc;
    }
  }
  var g2 = 0.0;
  var pen = 0.0;
  var qv = 0.0;
  if (i < n) {
    let mu = slotMu(s);
    let lambda = slotLambda(s);
    let gram = params.gramOff + s * 2u * R * R;   // VₛᵀVₛ, then UˢᵀUˢ
    let e0 = slotField(s, F_NBR0);
    let ne = slotField(s, F_NNBR);
    let base = (s * n + i) * R4;
    let x = rowOf(true, base);
    var q = vec2f(0.0);
    if (Q_ON) {
      q = qRow(extF(s, X_QW1), extF(s, X_QA1), rowNorm2(x));
      qv = q.y;
    }
    for (var k = 0u; k < R4; k++) {
      var grad = gv[k];
      if (lambda != 0.0) { grad += lambda * balanceRow(x, gram, k); }
      let own = x[k];
      grad += q.x * own;
      let mx = mixU(e0, ne, i, k, own);
      pen += mx.pen;
      if (METRICS) {
        let gg = grad + mx.dis / mu;
        g2 += dot(gg, gg);
      } else {
        Uout[base + k] = mx.mix - mu * grad;
      }
    }
    pen = pen / (4.0 * mu);
  }
  if (METRICS) {
    let sum = workgroupSum(t, TB, vec4f(g2, pen, qv, 0.0));
    if (t == 0u) {
      let o = params.partAOff + (s * params.nRB + b) * 4u;
      scratch[o] = sum.x;
      scratch[o + 1u] = sum.y;
      scratch[o + 2u] = sum.z;
    }
  }
}

// m_v_step: thread t of workgroup (b, s) owns row c = b·CB + t of Vₛ; (GₛᵀUˢ)[c, :] is accumulated over
// TB-row tiles of Uˢ staged in workgroup memory, reading Gₛ[i, c] with consecutive threads on
// consecutive columns (coalesced). Dispatch: (nCB, S) workgroups of CB threads.
@compute @workgroup_size(CB)
fn m_v_step(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  let b = wg.x;
  let n = params.n;
  if (t == 0u) { mShared = slotField(s, F_M); }
  let m = workgroupUniformLoad(&mShared);
  let g = ext(s, X_G);
  let c = b * CB + t;
  let ok = c < m;
  var gu: array<vec4f, R4>;
  for (var i0 = 0u; i0 < n; i0 += TB) {
    workgroupBarrier();
    for (var q = t; q < TB * R4; q += CB) {
      let ii = i0 + q / R4;
      uT[q] = select(vec4f(0.0), Uin[(s * n + ii) * R4 + q % R4], ii < n);
    }
    workgroupBarrier();
    if (ok) {
      // rank outermost so the sum runs in a register (an indexed private array in the inner loop costs a
      // memory round trip per FMA on a software adapter)
      let rows = min(TB, n - i0);
      for (var k = 0u; k < R4; k++) {
        var acc = gu[k];
        for (var ii = 0u; ii < rows; ii++) {
          acc += scratch[g + (i0 + ii) * m + c] * uT[ii * R4 + k];
        }
        gu[k] = acc;
      }
    }
  }
  var g2 = 0.0;
  var qv = 0.0;
  if (ok) {
    let mu = slotMu(s);
    let lambda = slotLambda(s);
    let gram = params.gramOff + s * 2u * R * R;
    let row = (slotField(s, F_VROW) + c) * R4;
    let x = rowOf(false, row);
    var q = vec2f(0.0);
    if (Q_ON) {
      q = qRow(extF(s, X_QW2), extF(s, X_QA2), rowNorm2(x));
      qv = q.y;
    }
    for (var k = 0u; k < R4; k++) {
      var grad = gu[k];
      if (lambda != 0.0) { grad -= lambda * balanceRow(x, gram, k); }
      let own = x[k];
      grad += q.x * own;
      if (METRICS) {
        g2 += dot(grad, grad);
      } else {
        Vout[row + k] = own - mu * grad;
      }
    }
  }
  if (METRICS) {
    let sum = workgroupSum(t, CB, vec4f(g2, qv, 0.0, 0.0));
    if (t == 0u) {
      let o = params.partBOff + (s * params.nCB + b) * 4u;
      scratch[o] = sum.x;
      scratch[o + 1u] = sum.y;
    }
  }
}
