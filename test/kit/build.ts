/**
 * `npm run kit`: writes kit/ (git-ignored), everything a machine without Node, npm or network needs to
 * run the engine parity suite and the benchmark on its GPU:
 *
 *   kit/kit.mjs          the kit program (test/kit/main.ts and what it imports), one file, bundled by Vite
 *   kit/node.xz          the Node binary running this script (process.execPath), xz-compressed
 *   kit/dawn.node.xz     Dawn from the `webgpu` package, xz-compressed
 *   kit/lib/             the Vulkan loader (Debian's libvulkan1); glvnd's dispatch libraries (libglvnd0,
 *                        libegl1, libopengl0, libgles2, libglx0, libgl1: headless, the NVIDIA Vulkan driver
 *                        goes through EGL, and bare CUDA images lack them); SwiftShader's Vulkan driver with its
 *                        ICD file (from Debian's chromium: the adapter when the machine has no GPU driver)
 *   kit/run.sh           unpacks into /tmp, picks the adapter, runs the parts with time limits, writes the report
 *   kit/peer_torch.py    the same DGD+LOCAL iteration in PyTorch, on the instances the kit exports
 *   kit/manifest.json    what is in the kit, with sizes and SHA-256 sums
 *
 * The xz files are kept between builds while their sources are unchanged (size and mtime in the
 * manifest); the bundle is rebuilt every time. The kit must stay under 56 MiB.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const kit = join(root, 'kit');
const LIMIT = 56 * 2 ** 20;
const LIBDIRS = ['/usr/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib'];
const SWIFTSHADER = ['/usr/lib/chromium', '/usr/lib/chromium-browser'];
const GLVND = [['libGLdispatch.so.0', 'libglvnd0'], ['libEGL.so.1', 'libegl1'], ['libOpenGL.so.0', 'libopengl0'], ['libGLESv2.so.2', 'libgles2'],
  ['libGLX.so.0', 'libglx0'], ['libGL.so.1', 'libgl1']];
/** The first existing `name` in `dirs`, or an error saying which package provides it. */
function find(dirs: string[], name: string, pkg: string): string {
  const hit = dirs.map((d) => join(d, name)).find((p) => existsSync(p));
  if (!hit) throw new Error(`no ${name} in ${dirs.join(', ')}: install Debian's ${pkg}`);
  return hit;
}

interface Entry { file: string; bytes: number; sha256: string; source?: string; sourceBytes?: number; sourceMtime?: number }

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const old: Record<string, Entry> = (() => {
  try {
    return Object.fromEntries((JSON.parse(readFileSync(join(kit, 'manifest.json'), 'utf8')).files as Entry[]).map((e) => [e.file, e]));
  } catch {
    return {};
  }
})();

/** xz-compress `source` into kit/`file` unless the kit already holds it for the same source. */
function compressed(file: string, source: string): Entry {
  const real = realpathSync(source);
  const st = statSync(real);
  const out = join(kit, file);
  const prev = old[file];
  if (!(prev && existsSync(out) && prev.source === real && prev.sourceBytes === st.size && prev.sourceMtime === st.mtimeMs)) {
    console.log(`compressing ${real} (${(st.size / 2 ** 20).toFixed(1)} MiB) …`);
    try {
      writeFileSync(out, execFileSync('xz', ['-T0', '-6', '-c', real], { maxBuffer: 1 << 30 }));
    } catch (err) {
      throw new Error(`xz could not compress ${real} (${(err as Error).message}); install Debian's xz-utils`, { cause: err });
    }
  }
  return { file, bytes: statSync(out).size, sha256: sha(out), source: real, sourceBytes: st.size, sourceMtime: st.mtimeMs };
}

function copied(file: string, source: string, mode?: number): Entry {
  const out = join(kit, file);
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(source, out);
  if (mode) chmodSync(out, mode);
  return { file, bytes: statSync(out).size, sha256: sha(out) };
}

async function main(): Promise<void> {
  mkdirSync(kit, { recursive: true });
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: join(root, 'test/kit/main.ts'),
      outDir: kit,
      emptyOutDir: false,
      minify: false,
      target: 'node20',
      rollupOptions: { output: { entryFileNames: 'kit.mjs', format: 'es', codeSplitting: false } },
    },
    ssr: { noExternal: true, target: 'node' },
  });
  const dawn = join(dirname(createRequire(import.meta.url).resolve('webgpu')), 'dist', `${process.platform}-${process.arch}`, 'dawn.node');
  const swiftshader = dirname(find(SWIFTSHADER, 'libvk_swiftshader.so', 'chromium'));
  const files: Entry[] = [
    { file: 'kit.mjs', bytes: statSync(join(kit, 'kit.mjs')).size, sha256: sha(join(kit, 'kit.mjs')) },
    compressed('node.xz', process.execPath),
    compressed('dawn.node.xz', dawn),
    copied('lib/libvulkan.so.1', realpathSync(find(LIBDIRS, 'libvulkan.so.1', 'libvulkan1'))),
    ...GLVND.map(([name, pkg]) => copied(`lib/${name}`, realpathSync(find(LIBDIRS, name, pkg)))),
    copied('lib/swiftshader/libvk_swiftshader.so', join(swiftshader, 'libvk_swiftshader.so')),
    copied('lib/swiftshader/vk_swiftshader_icd.json', join(swiftshader, 'vk_swiftshader_icd.json')),
    copied('run.sh', join(root, 'test/kit/run.sh'), 0o755),
    copied('peer_torch.py', join(root, 'test/kit/peer_torch.py')),
  ];
  const total = files.reduce((s, f) => s + f.bytes, 0);
  writeFileSync(join(kit, 'manifest.json'), JSON.stringify({
    format: 'lowrank-lab/gpu-kit', version: 1, node: process.version, platform: `${process.platform}-${process.arch}`, totalBytes: total, files,
  }, null, 1));
  for (const f of files) console.log(`${f.file.padEnd(20)} ${(f.bytes / 2 ** 20).toFixed(2).padStart(7)} MiB`);
  console.log(`kit/ ${(total / 2 ** 20).toFixed(1)} MiB in all (limit ${LIMIT / 2 ** 20} MiB)`);
  if (total > LIMIT) throw new Error(`the kit is ${(total / 2 ** 20).toFixed(1)} MiB, over its ${LIMIT / 2 ** 20} MiB limit`);
}

await main();
