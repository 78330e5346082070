// v_update: the V half of the iteration (SPEC eq. 1.10), Vₛ ← Vₛ − μ (2(Vₛ(UˢᵀUˢ) − YₛᵀUˢ) − λ Vₛ Bₛ) with
// Bₛ = UˢᵀUˢ − VₛᵀVₛ (balancing term, SPEC §5.4; VₛᵀVₛ over the slot's own block rows), with YₛᵀUˢ
// summed from factor_step's per-row-block partials in P and UˢᵀUˢ from grams (both at iterate k).
// MIX_V = true is classical DGD (SPEC §1.5): every slot holds a whole copy V⁽ˢ⁾ (mCopy rows), mixed
// like U, with the gradient only on the slot's own block (rows colOff … colOff + mₛ):
//   V⁽ˢ⁾ ← Σᵢ w̃ₛᵢ V⁽ⁱ⁾ − μ ∇_V fₛ.
// With METRICS = true nothing is written to Vout; the workgroup's ‖∇_{V} g‖² and V penalty go to
// scratch[partBOff + (s·nCB + blk)·2 …].
// Dispatch: (nCB, S, 1) workgroups of CB = 64 threads; thread t owns row c = blk·CB + t of Vₛ (or of V⁽ˢ⁾).
override METRICS: bool = false;
override MIX_V: bool = false;

@compute @workgroup_size(CB)
fn v_update(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) t: u32) {
  let s = wg.y;
  let blk = wg.x;
  let m = slotField(s, F_M);
  let rows = select(m, params.mCopy, MIX_V);
  let c = blk * CB + t;
  let mu = slotMu(s);
  var g2 = 0.0;
  var pen = 0.0;
  if (c < rows) {
    // row of this slot's V holding c, and c's index inside the slot's own block
    var row: u32;
    var cl: u32;
    var inBlock: bool;
    if (MIX_V) {
      let colOff = slotField(s, F_COLOFF);
      row = s * params.mCopy + c;
      cl = c - colOff;                       // wraps for c < colOff, then fails the test below
      inBlock = c >= colOff && cl < m;
    } else {
      row = slotField(s, F_VROW) + c;
      cl = c;
      inBlock = true;
    }
    let gram = params.gramOff + s * 2u * R * R + R * R;   // UˢᵀUˢ (VₛᵀVₛ just before it)
    let lambda = slotLambda(s);
    let pRow = slotField(s, F_PROW);
    let e0 = slotField(s, F_NBR0);
    let ne = slotField(s, F_NNBR);
    for (var k = 0u; k < R4; k++) {
      var gv = vec4f(0.0);
      if (inBlock) {
        var ytu = vec4f(0.0);
        for (var b = 0u; b < params.nRB; b++) {
          ytu += P[(pRow + b * m + cl) * R4 + k];
        }
        var vg = vec4f(0.0);
        var vb = vec4f(0.0);        // (Vₛ Bₛ)[c, k4]
        for (var l = 0u; l < R; l++) {
          let v = Vin[row * R4 + l / 4u][l % 4u];
          let uu = gram4(gram, l, k);
          vg += v * uu;
          if (lambda != 0.0) { vb += v * (uu - gram4(gram - R * R, l, k)); }
        }
        gv = 2.0 * (vg - ytu) - lambda * vb;
      }
      let own = Vin[row * R4 + k];
      var next = own - mu * gv;
      var g = gv;
      if (MIX_V) {
        var mix = vec4f(0.0);
        var dpen = vec4f(0.0);
        for (var e = e0; e < e0 + ne; e++) {
          let w = nbrWeight(e);
          let other = Vin[(nbrSlot(e) * params.mCopy + c) * R4 + k];
          mix += w * other;
          let d = own - other;
          dpen += w * d;
          pen += w * dot(d, d);
        }
        next = mix - mu * gv;
        g = gv + dpen / mu;
      }
      if (METRICS) {
        g2 += dot(g, g);
      } else {
        Vout[row * R4 + k] = next;
      }
    }
    pen = pen / (4.0 * mu);
  }
  if (METRICS) {
    let sum = workgroupSum(t, CB, vec4f(g2, pen, 0.0, 0.0));
    if (t == 0u) {
      let o = params.partBOff + (s * params.nCB + blk) * 2u;
      scratch[o] = sum.x;
      scratch[o + 1u] = sum.y;
    }
  }
}
