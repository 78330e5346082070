// grams: the r×r Gram matrices VₛᵀVₛ and UˢᵀUˢ of every slot at the current iterate (SPEC §1,
// Gram form: ∇_U f = 2(U(VᵀV) − YV), ∇_V f = 2(V(UᵀU) − YᵀU)).
// Dispatch: (S, 1, 1) workgroups of 64 threads; thread t computes the entries (a, 4b … 4b+3) for the
// pairs q = t, t+64, … of both Grams, skipping vec4s that lie wholly below the diagonal and mirroring
// the upper ones. Writes scratch[gramOff + s·2R² …] (row-major, VᵀV then UᵀU).
@compute @workgroup_size(64)
fn grams(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.x;
  let m = slotField(s, F_M);
  let vRow = slotField(s, F_VROW);
  let uRow = s * params.n;
  let base = params.gramOff + s * 2u * R * R;
  for (var q = t; q < R * R4; q += 64u) {
    let a = q / R4;
    let b4 = q % R4;
    if (4u * b4 + 3u < a) { continue; }   // below the diagonal: mirrored from (4b4 … , a)
    let a4 = a / 4u;
    let ai = a % 4u;
    var sv = vec4f(0.0);
    for (var c = 0u; c < m; c++) {
      sv += Vin[(vRow + c) * R4 + a4][ai] * Vin[(vRow + c) * R4 + b4];
    }
    var su = vec4f(0.0);
    for (var i = 0u; i < params.n; i++) {
      su += Uin[(uRow + i) * R4 + a4][ai] * Uin[(uRow + i) * R4 + b4];
    }
    let o = base + a * R + 4u * b4;
    for (var e = 0u; e < 4u; e++) {
      scratch[o + e] = sv[e];
      scratch[o + R * R + e] = su[e];
      let mirror = base + (4u * b4 + e) * R + a;   // (b, a) = (a, b)
      scratch[mirror] = sv[e];
      scratch[mirror + R * R] = su[e];
    }
  }
}
