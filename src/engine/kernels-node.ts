/** The kernels' bytes for Node (the CLI, its worker threads, the tests): wasm/kernels.wat assembled at start. */
import { assembleKernels } from './kernels-assemble';
import { provideKernels } from './kernels';

export function provideNodeKernels(): void {
  provideKernels(() => assembleKernels());
}
