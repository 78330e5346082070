// Metric reductions of the measured problems (after the residual kernels and the METRICS steps).
//
// m_data — per slot: the data term w‖resₛ‖² (sensing ½‖eₛ‖², completion (p/2)‖Gₛ‖² = (1/2p)‖P_Ω(UVᵀ − M)‖²,
// RPCA ½‖Gₛ‖²; SPEC §5.5 (a)/(c)) and, when Xₛ⋆ is resident, the optimality error ‖UˢVₛᵀ − Xₛ⋆‖²
// (SPEC §5.5 (d)). Dispatch: (S, 1, 1) workgroups of 64 threads. Writes scratch[partVOff + 2s …].
//
// m_finalize — one workgroup per trial sums every partial in a fixed order and writes
// scratch[outOff + t·OUT_WORDS …] = objective f (data + Σₛ (λₛ/4)‖Bₛ‖² + Q), consensus error, g,
// ‖∇g‖, imbalance ‖ŪᵀŪ − VᵀV‖, fitting error (data term alone), optimality error.
// Dispatch: (T, 1, 1) workgroups of 64 threads. Reads the grams of the iterate and consensus's partials.

@compute @workgroup_size(64)
fn m_data(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.x;
  let res = ext(s, X_RES);
  let len = ext(s, X_RESLEN);
  var d = 0.0;
  for (var q = t; q < len; q += 64u) {
    let v = scratch[res + q];
    d += v * v;
  }
  d *= extF(s, X_RESW);
  var opt = 0.0;
  let truth = ext(s, X_TRUTH);
  if (truth != NONE) {
    let m = slotField(s, F_M);
    let vRow = slotField(s, F_VROW);
    for (var q = t; q < params.n * m; q += 64u) {
      let e = uvEntry(s, vRow, q / m, q % m) - Y[truth + q];
      opt += e * e;
    }
  }
  let sum = workgroupSum(t, 64u, vec4f(d, opt, 0.0, 0.0));
  if (t == 0u) {
    scratch[params.partVOff + 2u * s] = sum.x;
    scratch[params.partVOff + 2u * s + 1u] = sum.y;
  }
}

const NF: u32 = 9u;   // g2U, penU, qU, g2V, qV, data, opt, balance, imbalance

@compute @workgroup_size(64)
fn m_finalize(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let trial = wg.x;
  let J = params.J;
  var v: array<f32, NF>;
  let nA = J * params.nRB;
  for (var q = t; q < nA; q += 64u) {
    let o = params.partAOff + (trial * nA + q) * 4u;
    v[0] += scratch[o];
    v[1] += scratch[o + 1u];
    v[2] += scratch[o + 2u];
  }
  let nB = J * params.nCB;
  for (var q = t; q < nB; q += 64u) {
    let o = params.partBOff + (trial * nB + q) * 4u;
    v[3] += scratch[o];
    v[4] += scratch[o + 1u];
  }
  for (var j = t; j < J; j += 64u) {
    let o = params.partVOff + 2u * (trial * J + j);
    v[5] += scratch[o];
    v[6] += scratch[o + 1u];
  }
  for (var q = t; q < R * R; q += 64u) {
    var uu = 0.0;
    for (var b = 0u; b < params.nRB; b++) {
      uu += scratch[params.partCOff + (trial * params.nRB + b) * (1u + R * R) + 1u + q];
    }
    var vv = 0.0;
    for (var j = 0u; j < J; j++) {
      let s = trial * J + j;
      let g = params.gramOff + s * 2u * R * R + q;
      vv += scratch[g];
      let d = scratch[g + R * R] - scratch[g];   // (UˢᵀUˢ − VₛᵀVₛ)[q]
      v[7] += 0.25 * slotLambda(s) * d * d;
    }
    let d = uu - vv;
    v[8] += d * d;
  }
  let a = workgroupSum(t, 64u, vec4f(v[0], v[1], v[2], v[3]));   // g2U, penU, qU, g2V
  let b = workgroupSum(t, 64u, vec4f(v[4], v[5], v[6], v[7]));   // qV, data, opt, balance
  let c = workgroupSum(t, 64u, vec4f(v[8], 0.0, 0.0, 0.0));      // imbalance²
  if (t == 0u) {
    var cons = 0.0;
    for (var b = 0u; b < params.nRB; b++) {
      cons += scratch[params.partCOff + (trial * params.nRB + b) * (1u + R * R)];
    }
    let data = b.y;
    let f = data + b.w + a.z + b.x;
    let o = params.outOff + trial * OUT_WORDS;
    scratch[o] = f;
    scratch[o + 1u] = cons;
    scratch[o + 2u] = f + a.y;
    scratch[o + 3u] = sqrt(a.x + a.w);
    scratch[o + 4u] = sqrt(c.x);
    scratch[o + 5u] = data;
    scratch[o + 6u] = b.z;
  }
}
