/**
 * Threads for one run in the page's engine worker: nested Web Workers (factor-thread-page.ts) sharing the
 * kernels' memory — possible only when the page is cross-origin isolated (served with the COOP/COEP headers:
 * the dev server and `vite preview` send them, static hosts need public/_headers or the like). Otherwise the run
 * keeps one thread and the engine note says why.
 */
import { sharedKernelBytes } from './kernels-page';
import { type ThreadJob, provideThreads } from './threads';

let shared: Promise<WebAssembly.Module> | null = null;

export function providePageThreads(): void {
  const isolated = self.crossOriginIsolated === true;
  provideThreads({
    extra: isolated ? Math.max(0, (navigator.hardwareConcurrency || 1) - 1) : 0,
    reason: isolated
      ? 'one thread: this device reports one core'
      : 'one thread: the page is not cross-origin isolated, so its workers cannot share memory (serve it with the COOP/COEP headers: see the README)',
    spawn() {
      const w = new Worker(new URL('./factor-thread-page.ts', import.meta.url), { type: 'module' });
      return { post: (job: ThreadJob) => w.postMessage(job) };
    },
    sharedModule: () => (shared ??= WebAssembly.compile(sharedKernelBytes() as BufferSource)),
  });
}
