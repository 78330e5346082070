/** The kernels' bytes for the page's workers: wasm/kernels.wat assembled when the app is built (vite.config.ts). */
import kernelsBase64, { shared as sharedBase64 } from 'virtual:kernels-wasm';
import { provideKernels } from './kernels';

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

export function providePageKernels(): void {
  provideKernels(async () => bytes(kernelsBase64));
}

/** The build with a shared memory, for a run's threads (threads-page.ts). */
export const sharedKernelBytes = () => bytes(sharedBase64);
