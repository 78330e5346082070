/**
 * WebGPU in Node through the `webgpu` package (Dawn). Dawn needs a Vulkan driver: on this project's
 * machines that is SwiftShader from Debian's chromium package, found through VK_ICD_FILENAMES (set here
 * when the caller has not set it). Keep the returned object alive while the GPU is in use (Dawn crashes
 * if its instance is garbage-collected) and call release() at the end so the process can exit.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

const ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib/chromium-browser/vk_swiftshader_icd.json'];

let holder: { instance: GPU | null; users: number } = { instance: null, users: 0 };

export interface NodeGpu {
  gpu: GPU;
  release(): void;
}

export async function nodeGpu(): Promise<NodeGpu> {
  if (!process.env.VK_ICD_FILENAMES) {
    const icd = ICDS.find((p) => existsSync(p));
    if (icd) process.env.VK_ICD_FILENAMES = icd;
  }
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  if (!holder.instance) {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    holder = { instance: create([]) as unknown as GPU, users: 0 };
  }
  holder.users++;
  const gpu = holder.instance!;
  let released = false;
  return {
    gpu,
    release() {
      if (released) return;
      released = true;
      if (--holder.users === 0) holder = { instance: null, users: 0 };
    },
  };
}
