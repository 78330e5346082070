/** The kernels' bytes for the page's workers: wasm/kernels.wat assembled when the app is built (vite.config.ts). */
import kernelsBase64 from 'virtual:kernels-wasm';
import { provideKernels } from './kernels';

export function providePageKernels(): void {
  provideKernels(async () => Uint8Array.from(atob(kernelsBase64), (c) => c.charCodeAt(0)));
}
