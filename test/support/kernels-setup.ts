/**
 * Every test file runs the CPU engine as the CLI and the page do: on the WebAssembly kernels (assembled from
 * wasm/kernels.wat when a test first loads a CPU engine). Tests of the plain path choose it explicitly.
 */
import { provideNodeKernels } from '../../src/engine/kernels-node';

provideNodeKernels();
