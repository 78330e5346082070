// Adapter ceiling 2b: an N×N×N matmul tiled in registers only: each thread computes a 4×4 block of C
// (four rows × one vec4 of columns), streaming A as vec4 along k and B as vec4 rows; no workgroup memory.
// On SwiftShader (a CPU emulation) this beats the workgroup-memory tiling of matmul.wgsl several times;
// the benchmark reports the faster of the two as the adapter's matmul ceiling.
// Dispatch: (N/64, N/64, 1) workgroups of 16×16 threads. N must be a multiple of 64.
override N: u32 = 1024u;
@group(0) @binding(0) var<storage, read> A: array<vec4f>;
@group(0) @binding(1) var<storage, read> B: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4f>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.y * 4u;
  let col4 = gid.x;
  var c0 = vec4f(0.0); var c1 = vec4f(0.0); var c2 = vec4f(0.0); var c3 = vec4f(0.0);
  for (var k = 0u; k < N; k += 4u) {
    let a0 = A[(row * N + k) / 4u];
    let a1 = A[((row + 1u) * N + k) / 4u];
    let a2 = A[((row + 2u) * N + k) / 4u];
    let a3 = A[((row + 3u) * N + k) / 4u];
    for (var q = 0u; q < 4u; q++) {
      let b = B[((k + q) * N) / 4u + col4];
      c0 = fma(vec4f(a0[q]), b, c0);
      c1 = fma(vec4f(a1[q]), b, c1);
      c2 = fma(vec4f(a2[q]), b, c2);
      c3 = fma(vec4f(a3[q]), b, c3);
    }
  }
  C[(row * N) / 4u + col4] = c0;
  C[((row + 1u) * N) / 4u + col4] = c1;
  C[((row + 2u) * N) / 4u + col4] = c2;
  C[((row + 3u) * N) / 4u + col4] = c3;
}
