// Adapter ceiling 2: memory bandwidth of a compute-shader copy (what the kernels themselves can move; a
// copyBufferToBuffer may run on a DMA engine instead). Each invocation copies vec4s in a grid-stride loop.
// Bytes = 2 · 16 · WORDS4 per dispatch (read + written). Dispatch: (groups, 1, 1) × 256 threads.
override WORDS4: u32 = 1u;
@group(0) @binding(0) var<storage, read> src: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4f>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let stride = nwg.x * 256u;
  for (var i = gid.x; i < WORDS4; i += stride) {
    dst[i] = src[i];
  }
}
