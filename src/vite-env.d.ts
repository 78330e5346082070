/// <reference types="vite/client" />
/** wasm/kernels.wat, assembled by the build (vite.config.ts), as base64 */
declare module 'virtual:kernels-wasm' {
  const base64: string;
  export default base64;
}
