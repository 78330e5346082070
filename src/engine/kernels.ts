/**
 * Which products the float64 CPU engine runs on: the WebAssembly SIMD kernels (src/core/kernels.ts, the default
 * wherever they load) or the plain TypeScript path (`--kernels js`, the oracle). The bytes come from whoever
 * starts the process: the CLI and the tests assemble wasm/kernels.wat at start (kernels-node.ts), the page's
 * engine worker gets them built into the bundle (kernels-page.ts). Without a source the engine runs plain.
 */
import { Products } from '../core/kernels';

export type KernelChoice = 'wasm' | 'js';
export const KERNEL_CHOICES: readonly KernelChoice[] = ['wasm', 'js'];

let bytes: (() => Promise<Uint8Array>) | null = null;
let compiled: Promise<WebAssembly.Module> | null = null;
let choice: KernelChoice = 'wasm';

/** Where the kernels' bytes come from (called once at start by the CLI, a test setup or the page's worker). */
export function provideKernels(load: () => Promise<Uint8Array>): void {
  bytes = load;
  compiled = null;
}

/** `--kernels wasm|js`: every CPU engine loaded after this call uses that choice. */
export function chooseKernels(c: KernelChoice): void {
  choice = c;
}

export function kernelChoice(): KernelChoice {
  return choice;
}

/**
 * A fresh set of products with its own memory, or null when the plain path is chosen or no bytes were provided;
 * a module that does not compile (no WebAssembly SIMD) throws, with the reason, rather than quietly running plain.
 */
export async function cpuProducts(): Promise<Products | null> {
  if (choice === 'js' || !bytes) return null;
  const load = bytes;
  compiled ??= load().then((b) => WebAssembly.compile(b as BufferSource)).catch((err: Error) => {
    compiled = null;
    throw new Error(`the WebAssembly kernels did not compile (${err.message}); run with --kernels js`);
  });
  return new Products(await compiled);
}
