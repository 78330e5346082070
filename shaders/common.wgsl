// Shared declarations of the factorization kernels (grams, factor_step, v_update, reduce).
// Prepended to each kernel, after the one-line constants header the host writes:
//   const R: u32 = <r padded to a multiple of 4>u;
// The host pads the rank to a multiple of 4 with zero columns, so the kernels work on vec4s along the rank
// (R4 = R/4 of them per row). Zero columns stay zero under every update (their gradients vanish) and add
// nothing to any metric.
//
// Every kernel of the family uses the same bind group layout (group 0), so one set of bind groups serves
// the whole iteration. Buffers (f32 unless noted; row-major; "slot" s = trial·J + node):
//   0 params  uniform   Params (below)
//   1 Y       read      all distinct data blocks; slot s reads its n×m_s block at tables[s].yOff
//   2 Uin     read      U copies, [S][n][R4] vec4      (the iterate k)
//   3 Uout    rw        U copies, [S][n][R4] vec4      (the iterate k+1); Uin/Uout swap every iteration
//   4 Vin     read      V rows ([rows][R4] vec4); DGD+LOCAL/GD: blocks V_s at row tables[s].vRow;
//                       classical DGD: one full copy [mCopy][R] per slot, block at colOff inside it
//   5 Vout    rw        same layout as Vin (swapped with it every iteration)
//   6 P       rw        partial products (Y_sᵀU^s) per row block: slot s, row block b, column c at
//                       row tables[s].pRow + b·m_s + c, R4 vec4s each
//   7 tables  read u32  slot records (SLOT_WORDS words each, fields below), then neighbour lists at
//                       params.nbrBase: (slot, bitcast<u32>(w̃)) pairs, self included
//   8 scratch rw        grams [S][2][R][R] (VᵀV, UᵀU) at gramOff, metric partials, final metrics
struct Params {
  n: u32,        // rows of U and Y
  S: u32,        // slots = trials × nodes
  J: u32,        // nodes per trial
  T: u32,        // trials
  nRB: u32,      // row blocks of U: ceil(n / TB)
  nCB: u32,      // column blocks of the V update: ceil(rows / CB)
  mCopy: u32,    // classical DGD: rows of each V copy (= m); 0 otherwise
  nRBV: u32,     // classical DGD: row blocks of a V copy for the consensus pass
  nbrBase: u32,  // first word of the neighbour lists in tables
  gramOff: u32,  // scratch offsets (in f32 words) ...
  partAOff: u32, // [S][nRB][4]: objective, ‖∇_U g‖², U penalty, unused
  partBOff: u32, // [S][nCB][2]: ‖∇_V g‖², V penalty
  partCOff: u32, // [T][nRB][1 + R·R]: consensus of U, ŪᵀŪ partials
  partVOff: u32, // [T][nRBV][1 + R·R]: consensus of the V copies, V̄ᵀV̄ partials
  outOff: u32,   // [T][OUT_WORDS]: final metrics
  ext: u32,      // measured problems: first word of the extra slot records in tables (measured_common.wgsl)
}

const R4: u32 = R / 4u;
const TB: u32 = 32u;          // rows per workgroup in factor_step / consensus (one thread per row)
const TC: u32 = 32u;          // columns of Y per shared-memory tile
const CB: u32 = 64u;          // rows per workgroup in v_update (one thread per row of V)
const SLOT_WORDS: u32 = 12u;
const OUT_WORDS: u32 = 8u;
// slot record fields
const F_YOFF: u32 = 0u;    // first word of Y_s in Y
const F_M: u32 = 1u;       // m_s, columns of the block
const F_VROW: u32 = 2u;    // first row of V_s in Vin/Vout
const F_NBR0: u32 = 3u;    // first neighbour pair (index into the pair list)
const F_NNBR: u32 = 4u;    // number of neighbour pairs
const F_TRIAL: u32 = 5u;
const F_PROW: u32 = 6u;    // first row of this slot's partials in P
const F_COLOFF: u32 = 7u;  // classical DGD: first row of the block inside the slot's V copy
const F_MU: u32 = 8u;      // bitcast<f32>: step size μ of this slot's trial
const F_LAMBDA: u32 = 9u;  // bitcast<f32>: balancing weight λ of this slot's trial (SPEC §5.4; 0: off)

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> Y: array<f32>;
@group(0) @binding(2) var<storage, read> Uin: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> Uout: array<vec4f>;
@group(0) @binding(4) var<storage, read> Vin: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> Vout: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> P: array<vec4f>;
@group(0) @binding(7) var<storage, read> tables: array<u32>;
@group(0) @binding(8) var<storage, read_write> scratch: array<f32>;

fn slotField(s: u32, f: u32) -> u32 { return tables[s * SLOT_WORDS + f]; }
fn slotMu(s: u32) -> f32 { return bitcast<f32>(tables[s * SLOT_WORDS + F_MU]); }
fn slotLambda(s: u32) -> f32 { return bitcast<f32>(tables[s * SLOT_WORDS + F_LAMBDA]); }
fn nbrSlot(e: u32) -> u32 { return tables[params.nbrBase + 2u * e]; }
fn nbrWeight(e: u32) -> f32 { return bitcast<f32>(tables[params.nbrBase + 2u * e + 1u]); }
// column k4 (4 values) of row l of an r×r Gram stored row-major at scratch[base]
fn gram4(base: u32, l: u32, k4: u32) -> vec4f {
  let o = base + l * R + 4u * k4;
  return vec4f(scratch[o], scratch[o + 1u], scratch[o + 2u], scratch[o + 3u]);
}
fn sum4(v: vec4f) -> f32 { return v.x + v.y + v.z + v.w; }

// Tree sum of up to four quantities over the first `size` threads of a workgroup (size a power of two,
// at most 64), pairwise in a fixed order. Every thread of the workgroup must call it (it has barriers);
// the sums are returned to thread 0 only. A kernel may call it more than once.
var<workgroup> sumT: array<vec4f, 64>;
fn workgroupSum(t: u32, size: u32, x: vec4f) -> vec4f {
  workgroupBarrier();
  sumT[t] = x;
  for (var h = size / 2u; h > 0u; h >>= 1u) {
    workgroupBarrier();
    if (t < h) { sumT[t] += sumT[t + h]; }
  }
  return sumT[0];
}

// Row i, lane k4 of Uˢ mixed with the neighbours of slot s (pairs e0 … e0 + ne − 1 of the neighbour
// list, the slot itself included): Σᵢ w̃ₛᵢ Uⁱ, the disagreement Σᵢ w̃ₛᵢ (Uˢ − Uⁱ) and Σᵢ w̃ₛᵢ‖Uˢ − Uⁱ‖².
struct Mixed { mix: vec4f, dis: vec4f, pen: f32 }
fn mixU(e0: u32, ne: u32, i: u32, k: u32, own: vec4f) -> Mixed {
  var out = Mixed(vec4f(0.0), vec4f(0.0), 0.0);
  for (var e = e0; e < e0 + ne; e++) {
    let w = nbrWeight(e);
    let other = Uin[(nbrSlot(e) * params.n + i) * R4 + k];
    out.mix += w * other;
    let d = own - other;      // zero for the slot itself
    out.dis += w * d;
    out.pen += w * dot(d, d);
  }
  return out;
}
