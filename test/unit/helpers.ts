import { type Instance, type NodeInstance, buildInstance, buildNodeInstance, makeAlgorithm } from '../../src/core/build';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { computeMetrics } from '../../src/core/metrics';
import type { State } from '../../src/core/dgd';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function preset(id: string): ExperimentInput {
  return JSON.parse(readFileSync(new URL(`../../public/presets/${id}.json`, import.meta.url), 'utf8'));
}

/** The instance of any kind's document. */
export function instance(doc: ExperimentInput): Instance {
  return buildInstance(parseExperiment(doc));
}

/** The instance of a node kind's document (DGD+LOCAL on node objectives); another kind's is refused. */
export function nodeInstance(doc: ExperimentInput): NodeInstance {
  return buildNodeInstance(parseExperiment(doc));
}

export function factorizationDoc(opts: {
  n: number; m: number; rank: number; J: number; alg?: 'dgd-local' | 'dgd' | 'gd'; seed?: number; mu?: number;
  partition?: number[]; topology?: 'ring' | 'erdos-renyi' | 'complete' | 'star' | 'path'; scale?: number; iterations?: number;
}): ExperimentInput {
  const { n, m, rank, J, alg = 'dgd-local', seed = 1 } = opts;
  return {
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'factorization', rank, generate: { seed, n, m }, ...(opts.partition ? { partition: opts.partition } : {}) },
    network: { topology: opts.topology ?? 'ring', J, p: 0.5, seed, weights: 'metropolis', lazy: true },
    algorithm: { name: alg, stepsize: opts.mu ?? { rule: 'practical', c: 0.5 }, iterations: opts.iterations ?? 100 },
    init: { seed: seed + 1, scale: opts.scale ?? 0.5 },
  };
}

/** Relative error ‖a − b‖ / max(‖a‖, ‖b‖, tiny). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(na), Math.sqrt(nb), 1e-300);
}

export { makeAlgorithm };

/** Steps until the optimality error falls below `target` (checked every 25 iterations) or `cap` is reached. */
export function iterationsTo(doc: ExperimentInput, target: number, cap: number): { iterations: number; fit: number; opt: number; consensus: number } {
  const inst = nodeInstance(doc);
  const alg = makeAlgorithm(inst);
  const z = { X: inst.init.X.slice(), Y: inst.init.Y.slice() };
  for (let k = 0; ; k++) {
    if (k % 25 === 0 || k === cap) {
      const row = computeMetrics(inst, alg, z, k);
      if (row.optimalityError! < target || k === cap) return { iterations: k, fit: row.fittingError!, opt: row.optimalityError!, consensus: row.consensusError };
    }
    alg.step(z);
  }
}


/** Central finite differences of F along every coordinate of z. */
export function fdGradient(F: (z: State) => number, z: State, h = 1e-6): State {
  const G: State = { X: new Float64Array(z.X.length), Y: new Float64Array(z.Y.length) };
  for (const key of ['X', 'Y'] as const) {
    for (let i = 0; i < z[key].length; i++) {
      const v = z[key][i];
      z[key][i] = v + h;
      const fp = F(z);
      z[key][i] = v - h;
      const fm = F(z);
      z[key][i] = v;
      G[key][i] = (fp - fm) / (2 * h);
    }
  }
  return G;
}

/** A small planted HMF experiment (N = 4 sources of 12×10, r₁ = r₂ = 2, 60 rounds) swept over two step sizes η, two seeds. */
export function hmfSweepDoc(): ExperimentInput {
  return {
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 2, generate: { seed: 3, N: 4, n1: 12, n2: 10 } },
    algorithm: { name: 'hmf', stepsize: 0.2, iterations: 60, recordEvery: 20, beta: 0.1 },
    init: { seed: 2, scale: 0.1 },
    sweep: { x: { param: 'algorithm.stepsize', values: [0.05, 0.2] }, seeds: 2 },
  } as ExperimentInput;
}

/** The CLI run in-process: its exit code and what it wrote to stdout and stderr. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../../src/cli/cli');
  let stdout = '', stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** A fresh temporary folder, and a writer of documents (objects as JSON, strings as they are) into it. */
export function docFolder(prefix: string): { dir: string; writeDoc(doc: unknown): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let fileNo = 0;
  return {
    dir,
    writeDoc(doc) {
      const f = join(dir, `doc${fileNo++}.json`);
      writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc));
      return f;
    },
  };
}
