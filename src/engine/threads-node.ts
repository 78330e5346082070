/**
 * Threads for one run in Node (the CLI, the benchmark, tests that ask): worker_threads running
 * factor-thread-node.ts, a shared build of the kernels, and one thread per core besides the calling one.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { assembleKernels } from './kernels-assemble';
import { type ThreadJob, provideThreads } from './threads';

let shared: Promise<WebAssembly.Module> | null = null;

export function provideNodeThreads(): void {
  provideThreads({
    extra: availableParallelism() - 1,
    reason: 'one thread: this machine has one core',
    spawn() {
      const entry = new URL('./factor-thread-node.ts', import.meta.url).href;
      // the thread runs TypeScript through tsx's loader, like this process (as the CLI's sweep threads do)
      const boot = `import { tsImport } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; await tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)});`;
      const w = new Worker(boot, { eval: true });
      w.unref(); // an idle pool does not keep the process alive
      return { post: (job: ThreadJob) => w.postMessage(job) };
    },
    sharedModule: () => (shared ??= assembleKernels(true).then((b) => WebAssembly.compile(b as BufferSource))),
  });
}
