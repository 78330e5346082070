/**
 * One run's nodes over several threads (src/core/factor-threads.ts, src/engine/threads.ts): the same bits as
 * the engine's one thread on the same kernels, for any number of threads and any split of the nodes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { splitNodes } from '../../src/core/factor-threads';
import { CpuEngine } from '../../src/engine/cpu';
import { chooseThreads, sharedProducts, threadsAvailable, ThreadedFactorRun } from '../../src/engine/threads';
import { DgdLocal } from '../../src/core/dgd';
import { Products } from '../../src/core/kernels';
import { assembleKernels } from '../../src/engine/kernels-assemble';
import { provideNodeThreads } from '../../src/engine/threads-node';
import { makeAlgorithm } from '../../src/core/build';
import type { NodeInstance } from '../../src/core/build';
import { cli, docFolder, factorizationDoc, instance } from './helpers';

provideNodeThreads();
afterAll(() => chooseThreads(null));

describe('splitNodes', () => {
  it('covers every node once, in order, with work about equal', () => {
    const mj = [5, 9, 1, 30, 2, 2, 2, 8, 40, 3];
    for (const count of [1, 2, 3, 4, 10]) {
      const parts = splitNodes(mj, 10, count);
      expect(parts).toHaveLength(count);
      expect(parts[0][0]).toBe(0);
      expect(parts[count - 1][1]).toBe(mj.length);
      for (let t = 1; t < count; t++) expect(parts[t][0]).toBe(parts[t - 1][1]);
    }
    // two equal halves of equal nodes
    expect(splitNodes([4, 4, 4, 4], 4, 2)).toEqual([[0, 2], [2, 4]]);
  });
});

/** Big enough to be threaded (4nmr ≥ THREAD_MIN_FLOPS): n = 64, m = 1 100, r = 16. */
const big = (J: number, lambda = 0) => {
  const d = factorizationDoc({ n: 64, m: 1100, rank: 16, J, iterations: 0, scale: 0.1 });
  return instance({ ...d, problem: { kind: 'factorization', rank: 16, ...(lambda ? { lambda } : {}), generate: { seed: 4, n: 64, m: 1100 } } } as never);
};

async function iterate(inst: ReturnType<typeof big>, threads: number, K: number) {
  chooseThreads(threads);
  const e = new CpuEngine();
  await e.load(inst);
  const used = e.threads;
  await e.advance(K);
  await e.advance(K + 1); // an odd total: the shared copies end in the second buffer
  const snap = await e.snapshot();
  const m = await e.metrics();
  e.destroy();
  return { used, X: snap.state.X, Y: snap.state.Y, f: m.objective };
}

describe('a run on two threads', () => {
  it('uses two threads here, and says how many it can use', () => {
    expect(threadsAvailable().count).toBeGreaterThanOrEqual(2);
  });

  it.each([
    { J: 7, lambda: 0 },
    { J: 16, lambda: 0 },
    { J: 5, lambda: 0.3 },
  ])('J = $J, λ = $lambda: bit-identical to one thread after 41 iterations', async ({ J, lambda }) => {
    const inst = big(J, lambda);
    const one = await iterate(inst, 1, 20);
    const two = await iterate(inst, 2, 20);
    expect(one.used).toBe(1);
    expect(two.used).toBe(2);
    expect(Array.from(two.X)).toEqual(Array.from(one.X));
    expect(Array.from(two.Y)).toEqual(Array.from(one.Y));
    expect(two.f).toBe(one.f);
    expect(two.f).toBeLessThan((await iterate(inst, 1, 0)).f); // it did descend
  });
});

describe('one thread', () => {
  it.each([0, 0.3])('λ = %s: whole iterations in the kernels equal DgdLocal.step on the kernels, bit for bit', async (lambda) => {
    const inst = big(6, lambda) as NodeInstance;
    if (inst.problem.kind !== 'factorization') throw new Error('factorization');
    const module = await WebAssembly.compile((await assembleKernels()) as BufferSource);
    const alg = makeAlgorithm(inst);
    const fast = new DgdLocal(alg.obj.withProducts!(new Products(module)), alg.W, alg.mu);
    const z = { X: inst.init.X.slice(), Y: inst.init.Y.slice() };
    for (let it = 0; it < 9; it++) fast.step(z);
    const run = await ThreadedFactorRun.start(new Products(module), inst.problem, alg.neighbours, alg.mu, 1, inst.init.X, inst.init.Y);
    run.advance(4);
    run.advance(5);
    expect(Array.from(run.X())).toEqual(Array.from(z.X));
    expect(Array.from(run.Y())).toEqual(Array.from(z.Y));
    expect(Array.from(z.X)).not.toEqual(Array.from(inst.init.X));
  });
});

describe('more threads than cores', () => {
  it.each([3, 4])('%i threads give the same bits too (a split the barrier must hold together)', async (count) => {
    const inst = big(9) as NodeInstance;
    const alg = makeAlgorithm(inst);
    if (inst.problem.kind !== 'factorization') throw new Error('factorization');
    const run = await ThreadedFactorRun.start((await sharedProducts())!, inst.problem, alg.neighbours, alg.mu, count, inst.init.X, inst.init.Y);
    run.advance(15);
    const X = run.X().slice(), Y = run.Y().slice();
    run.close();
    const one = await iterate(inst, 1, 7);
    expect(Array.from(X)).toEqual(Array.from(one.X));
    expect(Array.from(Y)).toEqual(Array.from(one.Y));
  });
});

describe('--threads in the CLI', () => {
  const { writeDoc } = docFolder('lowrank-threads-');
  const doc = factorizationDoc({ n: 64, m: 1100, rank: 16, J: 6, iterations: 30, scale: 0.1 });
  const file = writeDoc({ ...doc, problem: { kind: 'factorization', rank: 16, generate: { seed: 4, n: 64, m: 1100 } } });

  it('gives the same result document on 1 and on 2 threads', async () => {
    const one = await cli(['run', file, '--threads', '1']);
    const two = await cli(['--threads', '2', 'run', file]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    // the result has no clock readings: the whole document must match, number for number
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout.length).toBeGreaterThan(1000);
  });

  it('refuses a count that is not a whole number from 1 to 256, and a missing one', async () => {
    for (const v of ['0', '1.5', 'many', '300']) {
      const r = await cli(['run', file, '--threads', v]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`--threads ${v}: give a whole number of threads from 1 to 256`));
    }
    const none = await cli(['run', file, '--threads']);
    expect(none.stderr).toMatch(/--threads needs a value/);
  });
});
