import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The app is static: `vite build` writes dist/, which any file server can host.
// Tests: everything in parallel first; then, alone, the one that measures the page's frame times (it
// would measure the other test files' CPU load otherwise).
export default defineConfig({
  plugins: [react()],
  base: './',
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
