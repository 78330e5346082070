/**
 * `npm run bench -- --only cpu` (also part of `npm run bench`): the float64 CPU engine on its WebAssembly
 * kernels and on the plain TypeScript path, beside NumPy float64 (cpu-peer.ts) on the same iteration, in one run:
 * iterations per second, the ratios, GFLOP/s of the model flops (common.ts flopsPerIteration: the Gram form's
 * 4nmr + 4(Jn + m)r² + the mixing) and the share of the machine's measured float64 peak.
 */
import { CpuEngine } from '../../src/engine/cpu';
import { chooseKernels } from '../../src/engine/kernels';
import { SIZES, type SizeName, type Rate, factorInstance, flopsPerIteration, fmt } from './common';
import { numpyPeer } from './cpu-peer';

/** The plain path is 10–20× slower: it gets at most this many iterations a measurement at M and L. */
const PLAIN_MAX_K: Record<string, number> = { S: 256, M: 16, L: 2, XL: 1 };

export async function cpuLines(sizes: SizeName[], rate: Rate, seconds: number): Promise<void> {
  const peer = numpyPeer(Object.fromEntries(sizes.map((s) => [s, SIZES[s]])), seconds);
  const np = 'missing' in peer ? null : peer;
  console.log(np
    ? `\nCPU engine (float64, one thread) against NumPy ${np.numpy} (${np.blas}, every core); the machine's measured float64 peak (NumPy 2048³ matmul): ${fmt(np.peak_gflops)} GFLOP/s`
    : `\nCPU engine (float64, one thread); NumPy peer not measured: ${(peer as { missing: string }).missing}`);
  console.log('| size | J, n, mⱼ, r | engine, wasm kernels it/s | engine, plain TS it/s | NumPy f64 it/s | engine ÷ NumPy | wasm ÷ plain | engine GFLOP/s | % of peak |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const name of sizes) {
    const { J, n, mj, r } = SIZES[name];
    const inst = factorInstance(SIZES[name]);
    const rates: Record<string, number> = {};
    for (const choice of ['wasm', 'js'] as const) {
      chooseKernels(choice);
      const e = new CpuEngine();
      await e.load(inst);
      if (e.kernels !== choice) throw new Error(`the CPU engine ran on ${e.kernels}, not ${choice}`);
      rates[choice] = await rate((k) => e.advance(k), choice === 'js' ? PLAIN_MAX_K[name] : 1 << 14);
      e.destroy();
    }
    chooseKernels('wasm');
    const gf = (rates.wasm * flopsPerIteration(inst)) / 1e9;
    const npRate = np?.rates[name] ?? NaN;
    console.log(`| ${name} | ${J}, ${n}, ${mj}, ${r} | ${fmt(rates.wasm)} | ${fmt(rates.js)} | ${np ? fmt(npRate) : '—'} | ${np ? fmt(rates.wasm / npRate) : '—'} | ${fmt(rates.wasm / rates.js)}× | ${fmt(gf)} | ${np ? `${fmt((100 * gf) / np.peak_gflops)} %` : '—'} |`);
  }
}
