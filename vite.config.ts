import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { KERNELS_WAT, assembleKernels } from './src/engine/kernels-assemble.ts';

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * `virtual:kernels-wasm`: the CPU engine's WebAssembly products, assembled from wasm/kernels.wat
 * (src/engine/kernels-page.ts), plain and with a shared memory (for threads, src/engine/threads-page.ts).
 */
function kernelsWasm(): Plugin {
  const id = 'virtual:kernels-wasm';
  return {
    name: 'kernels-wasm',
    resolveId: (s) => (s === id ? `\0${id}` : undefined),
    async load(s) {
      if (s !== `\0${id}`) return undefined;
      this.addWatchFile(fileURLToPath(KERNELS_WAT));
      const b64 = async (shared: boolean) => JSON.stringify(Buffer.from(await assembleKernels(shared)).toString('base64'));
      return `export default ${await b64(false)};\nexport const shared = ${await b64(true)};`;
    },
  };
}

// The app is static: `vite build` writes dist/, which any file server can host.
// Tests: everything in parallel first; then, alone, the one that measures the page's frame times (it
// would measure the other test files' CPU load otherwise).
export default defineConfig({
  plugins: [react(), kernelsWasm()],
  // the engine worker (and its threads) import the kernels too: workers are bundled with their own plugins
  worker: { format: 'es', plugins: () => [kernelsWasm()] },
  base: './',
  // cross-origin isolation, so the engine worker may share memory with threads (SharedArrayBuffer); static hosts
  // need the same two headers (public/_headers, README "Serving the app")
  server: { headers: ISOLATION },
  preview: { headers: ISOLATION },
  test: {
    testTimeout: 60_000,
    setupFiles: ['test/support/kernels-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: ['test/e2e/responsive.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'timing', include: ['test/e2e/responsive.test.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
