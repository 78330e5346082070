import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The app is static: `vite build` writes dist/, which any file server can host.
export default defineConfig({
  plugins: [react()],
  base: './',
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
