// Adapter ceiling 1: pure FMA throughput. Each invocation runs ITERS rounds of 8 independent fma chains
// (no memory traffic in the loop), then writes one value so the work is not optimised away.
// Flops = 2 · 8 · ITERS per invocation. Dispatch: (groups, 1, 1) × 256 threads.
override ITERS: u32 = 4096u;
@group(0) @binding(0) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let x = f32(gid.x) * 1e-7;
  var a0 = x; var a1 = x + 0.1; var a2 = x + 0.2; var a3 = x + 0.3;
  var a4 = x + 0.4; var a5 = x + 0.5; var a6 = x + 0.6; var a7 = x + 0.7;
  let b = 0.9999;
  let c = 1e-4;
  for (var i = 0u; i < ITERS; i++) {
    a0 = fma(a0, b, c); a1 = fma(a1, b, c); a2 = fma(a2, b, c); a3 = fma(a3, b, c);
    a4 = fma(a4, b, c); a5 = fma(a5, b, c); a6 = fma(a6, b, c); a7 = fma(a7, b, c);
  }
  out[gid.x] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}
