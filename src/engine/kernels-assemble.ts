/**
 * wasm/kernels.wat → WebAssembly bytes, with wabt (the WebAssembly Binary Toolkit from the npm registry): at
 * build time for the page (the Vite plugin in vite.config.ts) and when the CLI or a test starts
 * (kernels-node.ts). `shared` makes the imported memory shared, for threads that work on one run;
 * that one-line substitution is the only difference between the two builds.
 */
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

export const KERNELS_WAT = new URL('../../wasm/kernels.wat', import.meta.url);

export async function assembleKernels(shared = false): Promise<Uint8Array> {
  const plain = '(import "env" "memory" (memory 1 65536))';
  const text = readFileSync(KERNELS_WAT, 'utf8');
  if (!text.includes(plain)) throw new Error('kernels.wat: the memory import line is missing');
  const source = shared ? text.replace(plain, '(import "env" "memory" (memory 1 65536 shared))') : text;
  const wabt = await wabtInit();
  const mod = wabt.parseWat('kernels.wat', source, { simd: true, threads: shared });
  try {
    // wabt's validator refuses shared memories whatever the features; the engine validates the bytes when it compiles them
    if (!shared) mod.validate();
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}
