// reduce: the metrics of every trial at the current iterate, in two kernels.
//
// consensus — per trial t and row block: the network average X̄ of the copies (X = U, or with ON_V the
// classical-DGD V copies), Σⱼ‖Xʲ − X̄‖² over the block's rows, and the block's part of X̄ᵀX̄ (for the
// imbalance ‖ŪᵀŪ − VᵀV‖). Dispatch: (row blocks, T, 1) workgroups of TB threads; thread t owns one row.
// Writes scratch[(partCOff or partVOff) + (t·blocks + b)·(1 + R²) …].
//
// finalize — one workgroup per trial sums every partial in a fixed order (deterministic) and writes
// scratch[outOff + t·OUT_WORDS …] = objective, consensus error, distributed objective g, ‖∇g‖,
// imbalance; the objective includes the balancing terms Σₛ (λₛ/4)‖UˢᵀUˢ − VₛᵀVₛ‖² (SPEC §5.4) from the
// slots' grams. Dispatch: (T, 1, 1) workgroups of 64 threads. Reads the grams of the iterate.
override ON_V: bool = false;
override MIX_V: bool = false;

var<workgroup> meanT: array<vec4f, TB * R4>;

fn copyAt(s: u32, rows: u32, i: u32, k: u32) -> vec4f {
  if (ON_V) { return Vin[(s * rows + i) * R4 + k]; }
  return Uin[(s * rows + i) * R4 + k];
}

@compute @workgroup_size(TB)
fn consensus(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let trial = wg.y;
  let b = wg.x;
  let rows = select(params.n, params.mCopy, ON_V);
  let blocks = select(params.nRB, params.nRBV, ON_V);
  let base = select(params.partCOff, params.partVOff, ON_V);
  let i = b * TB + t;
  let J = params.J;
  var cons = 0.0;
  for (var k = 0u; k < R4; k++) {
    var mean = vec4f(0.0);
    if (i < rows) {
      for (var j = 0u; j < J; j++) {
        let s = trial * J + j;
        mean += copyAt(s, rows, i, k);
      }
      mean = mean / f32(J);
      for (var j = 0u; j < J; j++) {
        let s = trial * J + j;
        let d = copyAt(s, rows, i, k) - mean;
        cons += dot(d, d);
      }
    }
    meanT[t * R4 + k] = mean;
  }
  let sum = workgroupSum(t, TB, vec4f(cons, 0.0, 0.0, 0.0));
  workgroupBarrier();   // meanT complete
  let o = base + (trial * blocks + b) * (1u + R * R);
  if (t == 0u) { scratch[o] = sum.x; }
  for (var q = t; q < R * R; q += TB) {
    let a = q / R;
    let c = q % R;
    var acc = 0.0;
    for (var rr = 0u; rr < TB; rr++) {
      acc += meanT[rr * R4 + a / 4u][a % 4u] * meanT[rr * R4 + c / 4u][c % 4u];
    }
    scratch[o + 1u + q] = acc;
  }
}


@compute @workgroup_size(64)
fn finalize(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let trial = wg.x;
  let J = params.J;
  // sums over the trial's slots: objective, ‖∇_U g‖², U penalty, ‖∇_V g‖², V penalty
  var s0 = 0.0; var s1 = 0.0; var s2 = 0.0; var s3 = 0.0; var s4 = 0.0;
  let nA = J * params.nRB;
  for (var q = t; q < nA; q += 64u) {
    let o = params.partAOff + (trial * nA + q) * 4u;
    s0 += scratch[o];
    s1 += scratch[o + 1u];
    s2 += scratch[o + 2u];
  }
  let nB = J * params.nCB;
  for (var q = t; q < nB; q += 64u) {
    let o = params.partBOff + (trial * nB + q) * 2u;
    s3 += scratch[o];
    s4 += scratch[o + 1u];
  }
  // imbalance ‖ŪᵀŪ − V̄ᵀV̄‖²: thread t sums entries q = t, t+64, …  (V̄ᵀV̄ = Σₛ VₛᵀVₛ for DGD+LOCAL / GD,
  // whose V is the blocks stacked; for classical DGD the Gram of the average copy)
  var imb = 0.0;
  var bal = 0.0;
  for (var q = t; q < R * R; q += 64u) {
    for (var j = 0u; j < J; j++) {
      let s = trial * J + j;
      let g = params.gramOff + s * 2u * R * R + q;
      let d = scratch[g + R * R] - scratch[g];   // (UˢᵀUˢ − VₛᵀVₛ)[q]
      bal += 0.25 * slotLambda(s) * d * d;
    }
    var uu = 0.0;
    for (var b = 0u; b < params.nRB; b++) {
      uu += scratch[params.partCOff + (trial * params.nRB + b) * (1u + R * R) + 1u + q];
    }
    var vv = 0.0;
    if (MIX_V) {
      for (var b = 0u; b < params.nRBV; b++) {
        vv += scratch[params.partVOff + (trial * params.nRBV + b) * (1u + R * R) + 1u + q];
      }
    } else {
      for (var j = 0u; j < J; j++) {
        vv += scratch[params.gramOff + (trial * J + j) * 2u * R * R + q];
      }
    }
    let d = uu - vv;
    imb += d * d;
  }
  let a = workgroupSum(t, 64u, vec4f(s0, s1, s2, s3));   // objective, ‖∇_U g‖², U penalty, ‖∇_V g‖²
  let c = workgroupSum(t, 64u, vec4f(s4, imb, bal, 0.0)); // V penalty, imbalance², balancing terms
  if (t == 0u) {
    var cons = 0.0;
    for (var b = 0u; b < params.nRB; b++) {
      cons += scratch[params.partCOff + (trial * params.nRB + b) * (1u + R * R)];
    }
    if (MIX_V) {
      for (var b = 0u; b < params.nRBV; b++) {
        cons += scratch[params.partVOff + (trial * params.nRBV + b) * (1u + R * R)];
      }
    }
    let o = params.outOff + trial * OUT_WORDS;
    let f = a.x + c.z;
    scratch[o] = f;                   // objective f (with the balancing terms)
    scratch[o + 1u] = cons;           // consensus error
    scratch[o + 2u] = f + a.z + c.x;  // g = f + penalties
    scratch[o + 3u] = sqrt(a.y + a.w);  // ‖∇g‖
    scratch[o + 4u] = sqrt(c.y);      // imbalance
  }
}
