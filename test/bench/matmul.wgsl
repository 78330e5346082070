// Adapter ceiling 2: a tiled N×N×N matmul C = A·B (row-major f32). Each workgroup (16×16 threads)
// computes a 64×64 tile of C, each thread a 4×4 block held in registers; A and B stream through
// workgroup memory in 64×16 / 16×64 tiles. Dispatch: (N/64, N/64, 1). N must be a multiple of 64.
override N: u32 = 1024u;
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;

const TILE: u32 = 64u;
const K_TILE: u32 = 16u;
var<workgroup> As: array<f32, 64 * 16>;   // [row][k]
var<workgroup> Bs: array<f32, 16 * 64>;   // [k][col]

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  let t = lid.y * 16u + lid.x;
  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < N; k0 += K_TILE) {
    // 1024 values of each tile, 4 per thread
    for (var q = 0u; q < 4u; q++) {
      let idx = t + q * 256u;
      As[idx] = A[(row0 + idx / K_TILE) * N + k0 + idx % K_TILE];
      Bs[idx] = B[(k0 + idx / TILE) * N + col0 + idx % TILE];
    }
    workgroupBarrier();
    for (var k = 0u; k < K_TILE; k++) {
      var a: array<f32, 4>;
      var b: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) { a[i] = As[(lid.y * 4u + i) * K_TILE + k]; }
      for (var j = 0u; j < 4u; j++) { b[j] = Bs[k * TILE + lid.x * 4u + j]; }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i * 4u + j] = fma(a[i], b[j], acc[i * 4u + j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      C[(row0 + lid.y * 4u + i) * N + col0 + lid.x * 4u + j] = acc[i * 4u + j];
    }
  }
}
