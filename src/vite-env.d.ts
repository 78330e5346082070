/// <reference types="vite/client" />
/** wasm/kernels.wat, assembled by the build (vite.config.ts), as base64: plain, and with a shared memory */
declare module 'virtual:kernels-wasm' {
  const base64: string;
  export default base64;
  export const shared: string;
}
