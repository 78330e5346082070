// grams: the r×r Gram matrices VₛᵀVₛ and UˢᵀUˢ of every slot at the current iterate (SPEC §1,
// Gram form: ∇_U f = 2(U(VᵀV) − YV), ∇_V f = 2(V(UᵀU) − YᵀU)).
// Dispatch: (S, 1, 1) workgroups of 64 threads; thread t computes the upper-triangle pairs
// q = t, t+64, … of both Grams and mirrors them. Writes scratch[gramOff + s·2R² …].
@compute @workgroup_size(64)
fn grams(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.x;
  let m = slotField(s, F_M);
  let vRow = slotField(s, F_VROW);
  let uRow = s * params.n;
  let base = params.gramOff + s * 2u * R * R;
  for (var q = t; q < R * R; q += 64u) {
    let a = q / R;
    let b = q % R;
    if (b < a) { continue; }
    var sv = 0.0;
    for (var c = 0u; c < m; c++) {
      sv += Vin[(vRow + c) * R + a] * Vin[(vRow + c) * R + b];
    }
    var su = 0.0;
    for (var i = 0u; i < params.n; i++) {
      su += Uin[(uRow + i) * R + a] * Uin[(uRow + i) * R + b];
    }
    scratch[base + a * R + b] = sv;
    scratch[base + b * R + a] = sv;
    scratch[base + R * R + a * R + b] = su;
    scratch[base + R * R + b * R + a] = su;
  }
}
