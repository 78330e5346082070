// factor_step: one pass over Y that does the whole U half of a DGD+LOCAL iteration (SPEC eq. 1.10)
//   Uˢ ← Σᵢ w̃ₛᵢ Uⁱ − μ (2(Uˢ(VₛᵀVₛ) − YₛVₛ) + λ Uˢ Bₛ),  Bₛ = UˢᵀUˢ − VₛᵀVₛ  (balancing term, SPEC §5.4)
// in Gram form, never forming the n×mₛ residual, and leaves the partial products of YₛᵀUˢ (per row
// block) in P for v_update. With METRICS = true it writes nothing to Uout and instead accumulates, at
// the current iterate: the objective ‖UˢVₛᵀ − Yₛ‖² (residual formed tile by tile, for float32 accuracy),
// ‖∇_{Uˢ} g‖² with ∇_{Uˢ} g = ∇_U fₛ + (1/μ) Σᵢ w̃ₛᵢ (Uˢ − Uⁱ)  (1.8 with w = w̃/4μ), and the penalty
// Σᵢ≠ₛ w̃ₛᵢ/(4μ) ‖Uˢ − Uⁱ‖² — one partial per workgroup in scratch[partAOff + (s·nRB + b)·4 …].
// Dispatch: (nRB, S, 1) workgroups of TB threads; thread t owns row i = b·TB + t of slot s.
// Shared memory: the slot's U rows of this block (TB×R), a TB×TC tile of Y (rows padded to TC + 1 words,
// so the threads reading their own rows hit different banks) and the TC×R tile of V.
// Needs grams (VₛᵀVₛ and UˢᵀUˢ) of the current iterate in scratch.
override METRICS: bool = false;

var<workgroup> uT: array<vec4f, TB * R4>;
const TCP: u32 = TC + 1u;        // row stride of yT
var<workgroup> yT: array<f32, TB * TCP>;
var<workgroup> vT: array<vec4f, TC * R4>;
var<workgroup> mShared: u32;

@compute @workgroup_size(TB)
fn factor_step(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  let b = wg.x;
  let n = params.n;
  if (t == 0u) { mShared = slotField(s, F_M); }
  let m = workgroupUniformLoad(&mShared);
  let yOff = slotField(s, F_YOFF);
  let vRow = slotField(s, F_VROW);
  let pRow = slotField(s, F_PROW) + b * m;
  let row0 = b * TB;
  let i = row0 + t;
  let rowOk = i < n;

  for (var q = t; q < TB * R4; q += TB) {
    let ii = row0 + q / R4;
    uT[q] = select(vec4f(0.0), Uin[(s * n + ii) * R4 + q % R4], ii < n);
  }

  var yv: array<vec4f, R4>;       // (YₛVₛ)[i, :]
  var obj = 0.0;
  for (var c0 = 0u; c0 < m; c0 += TC) {
    workgroupBarrier();
    for (var q = t; q < TB * TC; q += TB) {
      let rr = row0 + q / TC;
      let cc = c0 + q % TC;
      yT[(q / TC) * TCP + q % TC] = select(0.0, Y[yOff + rr * m + cc], rr < n && cc < m);
    }
    for (var q = t; q < TC * R4; q += TB) {
      let cc = c0 + q / R4;
      vT[q] = select(vec4f(0.0), Vin[(vRow + cc) * R4 + q % R4], cc < m);
    }
    workgroupBarrier();
    // (YₛVₛ)[i, k4] += Σ_c Y[i, c] V[c, k4], rank outermost so the sum runs in a register (an indexed
    // private array in the inner loop costs a memory round trip per FMA on some compilers)
    for (var k = 0u; k < R4; k++) {
      var acc = yv[k];
      for (var c = 0u; c < TC; c++) {
        acc += yT[t * TCP + c] * vT[c * R4 + k];
      }
      yv[k] = acc;
    }
    if (METRICS) {
      for (var c = 0u; c < TC; c++) {
        var uv = vec4f(0.0);
        for (var k = 0u; k < R4; k++) {
          uv += uT[t * R4 + k] * vT[c * R4 + k];
        }
        let e = sum4(uv) - yT[t * TCP + c];   // zero on padding: U, V and Y tiles are zero-filled there
        obj += e * e;
      }
    }
    // partial (YₛᵀUˢ)[c, k4] over this block's rows, for v_update
    for (var q = t; q < TC * R4; q += TB) {
      let cc = q / R4;
      let k = q % R4;
      if (c0 + cc < m) {
        var acc = vec4f(0.0);
        for (var rr = 0u; rr < TB; rr++) {
          acc += yT[rr * TCP + cc] * uT[rr * R4 + k];
        }
        P[(pRow + c0 + cc) * R4 + k] = acc;
      }
    }
  }

  var g2 = 0.0;
  var pen = 0.0;
  if (rowOk) {
    let mu = slotMu(s);
    let lambda = slotLambda(s);
    let gram = params.gramOff + s * 2u * R * R;   // VₛᵀVₛ, then UˢᵀUˢ
    let e0 = slotField(s, F_NBR0);
    let ne = slotField(s, F_NNBR);
    for (var k = 0u; k < R4; k++) {
      var ug = vec4f(0.0);
      var ub = vec4f(0.0);          // (Uˢ Bₛ)[i, k4]
      // the row's vec4s loaded once each (not a scalar load per l), l ascending as before
      for (var l4 = 0u; l4 < R4; l4++) {
        let u4 = uT[t * R4 + l4];
        for (var e = 0u; e < 4u; e++) {
          let l = 4u * l4 + e;
          let vv = gram4(gram, l, k);
          ug += u4[e] * vv;
          if (lambda != 0.0) { ub += u4[e] * (gram4(gram + R * R, l, k) - vv); }
        }
      }
      let gu = 2.0 * (ug - yv[k]) + lambda * ub;
      let mx = mixU(e0, ne, i, k, uT[t * R4 + k]);
      pen += mx.pen;
      if (METRICS) {
        let g = gu + mx.dis / mu;
        g2 += dot(g, g);
      } else {
        Uout[(s * n + i) * R4 + k] = mx.mix - mu * gu;
      }
    }
    pen = pen / (4.0 * mu);
  }

  if (METRICS) {
    let sum = workgroupSum(t, TB, vec4f(obj, g2, pen, 0.0));
    if (t == 0u) {
      let o = params.partAOff + (s * params.nRB + b) * 4u;
      scratch[o] = sum.x;
      scratch[o + 1u] = sum.y;
      scratch[o + 2u] = sum.z;
    }
  }
}
