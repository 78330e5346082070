/**
 * `npm run bench -- --only cpu` (also part of `npm run bench`): the float64 CPU engine on its WebAssembly
 * kernels (on every core, and on one) and on the plain TypeScript path, beside NumPy float64 (cpu-peer.ts) on the
 * same iteration, in one run:
 * iterations per second, the ratios, GFLOP/s of the model flops (common.ts flopsPerIteration: the Gram form's
 * 4nmr + 4(Jn + m)r² + the mixing) and the share of the machine's measured float64 peak.
 */
import { CpuEngine } from '../../src/engine/cpu';
import { chooseKernels } from '../../src/engine/kernels';
import { chooseThreads, threadsAvailable } from '../../src/engine/threads';
import { provideNodeThreads } from '../../src/engine/threads-node';
import { SIZES, type SizeName, type Rate, factorInstance, flopsPerIteration, fmt } from './common';
import { numpyPeer } from './cpu-peer';

/** The plain path is 10–20× slower: it gets at most this many iterations a measurement at M and L. */
const PLAIN_MAX_K: Record<string, number> = { S: 256, M: 16, L: 2, XL: 1 };

export async function cpuLines(sizes: SizeName[], rate: Rate, seconds: number): Promise<void> {
  provideNodeThreads();
  const cores = threadsAvailable().count;
  const peer = numpyPeer(Object.fromEntries(sizes.map((s) => [s, SIZES[s]])), seconds);
  const np = 'missing' in peer ? null : peer;
  console.log(np
    ? `\nCPU engine (float64) against NumPy ${np.numpy} (${np.blas}, every core); the machine's measured float64 peak (NumPy 2048³ matmul, ${cores} cores): ${fmt(np.peak_gflops)} GFLOP/s`
    : `\nCPU engine (float64); NumPy peer not measured: ${(peer as { missing: string }).missing}`);
  console.log(`| size | J, n, mⱼ, r | engine, kernels, ${cores} threads it/s | engine, kernels, 1 thread it/s | engine, plain TS it/s | NumPy f64 it/s | engine ÷ NumPy | engine ÷ plain | engine GFLOP/s | % of peak |`);
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const name of sizes) {
    const { J, n, mj, r } = SIZES[name];
    const inst = factorInstance(SIZES[name]);
    const rates: number[] = [];
    for (const [choice, threads] of [['wasm', cores], ['wasm', 1], ['js', 1]] as const) {
      chooseKernels(choice);
      chooseThreads(threads);
      const e = new CpuEngine();
      await e.load(inst);
      if (e.kernels !== choice) throw new Error(`the CPU engine ran on ${e.kernels}, not ${choice}`);
      rates.push(await rate((k) => e.advance(k), choice === 'js' ? PLAIN_MAX_K[name] : 1 << 14));
      e.destroy();
    }
    chooseKernels('wasm');
    chooseThreads(null);
    const [all, one, plain] = rates;
    const gf = (all * flopsPerIteration(inst)) / 1e9;
    const npRate = np?.rates[name] ?? NaN;
    console.log(`| ${name} | ${J}, ${n}, ${mj}, ${r} | ${fmt(all)} | ${fmt(one)} | ${fmt(plain)} | ${np ? fmt(npRate) : '—'} | ${np ? fmt(all / npRate) : '—'} | ${fmt(all / plain)}× | ${fmt(gf)} | ${np ? `${fmt((100 * gf) / np.peak_gflops)} %` : '—'} |`);
  }
}
