/**
 * The CPU engine's peer in `npm run bench`: the same DGD+LOCAL iteration in NumPy float64 (numpy_peer.py), run
 * by the machine's `python3` in the same benchmark run, and the machine's float64 matmul peak (NumPy's BLAS on
 * 2048³, all cores). NumPy's fair figure needs glibc to keep its temporaries instead of mapping every one afresh
 * (MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ set high) and the BLAS free to use every core (the
 * OPENBLAS_* / OMP_* thread limits of the environment removed). Without python3 or NumPy: null, with the reason.
 */
import { spawnSync } from 'node:child_process';
import type { FactorSize } from './common';

export interface NumpyPeer {
  numpy: string;
  blas: string;
  /** GFLOP/s of a 2048³ float64 matmul: the machine's measured float64 peak */
  peak_gflops: number;
  /** iterations per second by size name */
  rates: Record<string, number>;
}

export function numpyPeer(sizes: Record<string, FactorSize>, seconds: number): NumpyPeer | { missing: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, MALLOC_MMAP_THRESHOLD_: String(1 << 30), MALLOC_TRIM_THRESHOLD_: String(1 << 30) };
  for (const k of Object.keys(env)) if (/^(OPENBLAS_|OMP_|MKL_|GOTO_)/.test(k)) delete env[k];
  const arg = JSON.stringify({ sizes: Object.fromEntries(Object.entries(sizes).map(([k, s]) => [k, [s.J, s.n, s.mj, s.r]])), seconds });
  const out = spawnSync('python3', [new URL('./numpy_peer.py', import.meta.url).pathname, arg], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.error) return { missing: `no python3 on this machine (${out.error.message})` };
  if (out.status !== 0) return { missing: /No module named .?numpy/.test(out.stderr) ? 'python3 has no NumPy (Debian: apt-get install python3-numpy)' : `the NumPy peer failed: ${out.stderr.trim().split('\n').pop()}` };
  return JSON.parse(out.stdout) as NumpyPeer;
}
