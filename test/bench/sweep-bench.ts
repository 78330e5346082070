/**
 * The sweep figure of `npm run bench`: runs per second of a 32 × 32 × 4-seed sweep (step factor c ×
 * edge probability p, DGD+LOCAL) on the WebGPU engine, its trials batched (GpuEngine.loadBatch, the
 * way src/engine/sweep.ts runs a chunk) against the same trials one after another on the same engine
 * (load, record, advance, record). A run is K = 10 iterations recorded at 0 and K, like a sweep cell.
 * The pipelines are compiled before timing and the instances built before timing, for both. A third
 * figure is what scripting the cells as separate runs costs: a fresh engine per run (device and
 * pipelines each time, as `npm run cli -- run` does per file).
 * Measured on the sweep's first B trials (batched: one chunk) and first N trials (one after another);
 * the whole 4 096-run sweep would take far longer than a benchmark should on a software adapter.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultJobs, threadedSweep } from '../../src/cli/sweep';
import { type NodeInstance, buildNodeInstance, buildProblem } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { cellDocument, planSweep } from '../../src/core/sweep';
import { OneByOne, runSweep } from '../../src/engine/sweep';
import { GpuEngine } from '../../src/gpu/families/factor';
import type { ShaderSources } from '../../src/gpu/kernels';

const SIZES = {
  S: { J: 16, n: 256, mj: 64, r: 8, batch: 32, oneByOne: 6, fresh: 3 },
  XS: { J: 10, n: 30, mj: 10, r: 3, batch: 256, oneByOne: 32, fresh: 3 },
  /** the GPU kit's quick run (SwiftShader in `npm test`): the figure's shape, nothing more */
  quick: { J: 4, n: 8, mj: 4, r: 2, batch: 16, oneByOne: 4, fresh: 1 },
} as const;
const K = 10;

function sweepInstances(size: keyof typeof SIZES, count: number): NodeInstance[] {
  const { J, n, mj, r } = SIZES[size];
  const plan = planSweep(parseExperiment({
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'factorization', rank: r, generate: { seed: 1, n, m: J * mj, trueRank: r } },
    network: { topology: 'erdos-renyi', J, p: 0.5, seed: 1, weights: 'metropolis', lazy: true },
    algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: K, recordEvery: K },
    init: { seed: 2, scale: 0.1 },
    sweep: {
      x: { param: 'algorithm.stepsize.c', range: { from: 0.05, to: 2, steps: 32, scale: 'log' } },
      y: { param: 'network.p', range: { from: 0.25, to: 1, steps: 32 } },
      seeds: 4,
    },
  }));
  const problems = new Map<number, ReturnType<typeof buildProblem>>();
  return Array.from({ length: count }, (_, t) => {
    const cell = Math.floor(t / plan.seeds), k = t % plan.seeds;
    const doc = parseExperiment(cellDocument(plan, cell % 32, Math.floor(cell / 32), k));
    if (!problems.has(k)) problems.set(k, buildProblem(doc));
    return buildNodeInstance(doc, problems.get(k));
  });
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));

/** Seconds `f` takes once everything it submitted has run. */
async function seconds(e: GpuEngine, f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  await e.sync();
  return (performance.now() - t0) / 1000;
}

export interface SweepFigure {
  size: keyof typeof SIZES; J: number; n: number; mj: number; r: number;
  /** runs per second: batched (first B runs in one batch), one after another (first N), a fresh engine per run */
  batched: number; B: number; oneByOne: number; N: number; fresh: number; freshN: number;
  /** one run alone (s), the share of it in its K iterations, the kernels' throughput batched vs alone, the bound on the ratio */
  perRun: number; inIterations: number; kernelGain: number; bound: number;
}

/** The sweep figures at the given sizes. */
export async function sweepFigures(gpu: GPU, shaders: ShaderSources, sizes: (keyof typeof SIZES)[]): Promise<SweepFigure[]> {
  const out: SweepFigure[] = [];
  for (const size of sizes) {
    const { J, n, mj, r, batch, oneByOne, fresh } = SIZES[size];
    const insts = sweepInstances(size, batch);
    // f* (a lazy SVD of Y) is part of building a problem, not of running it: computed before timing
    for (const inst of insts) void inst.problem.fStar;
    const e = await GpuEngine.create({ gpu, shaders });
    // warm-up: pipelines compiled once per device
    await e.load(insts[0]);
    await e.advance(1);
    await e.metrics();
    let t0 = performance.now();
    let seqAdvance = 0;
    for (const inst of insts.slice(0, oneByOne)) {
      await e.load(inst);
      await e.metrics();
      seqAdvance += await seconds(e, () => e.advance(K));
      await e.metrics();
    }
    const seqTotal = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await e.loadBatch(insts);
    await e.metricsBatch();
    const batchAdvance = await seconds(e, () => e.advance(K));
    await e.metricsBatch();
    const batched = batch / ((performance.now() - t0) / 1000);
    e.destroy();
    t0 = performance.now();
    for (const inst of insts.slice(0, fresh)) {
      const f = await GpuEngine.create({ gpu, shaders });
      await f.load(inst);
      await f.metrics();
      await f.advance(K);
      await f.metrics();
      f.destroy();
    }
    const separate = fresh / ((performance.now() - t0) / 1000);
    // What batching can save is what a run spends outside its K iterations (load, records, readbacks),
    // plus whatever the kernels gain from more workgroups: a run one after another takes seqTotal/N, of
    // which its iterations take seqAdvance/N; in the batch the iterations of one run take batchAdvance/B.
    // Even with every per-run cost amortised to nothing, the batch can be at most this much faster.
    const perRun = seqTotal / oneByOne, itersOne = seqAdvance / oneByOne, itersBatched = batchAdvance / batch;
    out.push({
      size, J, n, mj, r, batched, B: batch, oneByOne: oneByOne / seqTotal, N: oneByOne, fresh: separate, freshN: fresh,
      perRun, inIterations: itersOne / perRun, kernelGain: itersOne / itersBatched, bound: perRun / itersBatched,
    });
  }
  return out;
}

export async function sweepBench(gpu: GPU, shaders: ShaderSources): Promise<void> {
  console.log(`\nsweep: 32 × 32 cells × 4 seeds = 4096 runs of K = ${K} iterations (c × p, DGD+LOCAL), WebGPU engine`);
  console.log('| size | J, n, mⱼ, r | batched runs/s (first B runs, one batch) | one after another runs/s (first N runs) | ratio | a fresh engine per run, runs/s | ratio |');
  console.log('|---|---|---|---|---|---|---|');
  const figures = await sweepFigures(gpu, shaders, ['S', 'XS']);
  for (const f of figures) {
    console.log(`| ${f.size} | ${f.J}, ${f.n}, ${f.mj}, ${f.r} | ${fmt(f.batched)} (B = ${f.B}) | ${fmt(f.oneByOne)} (N = ${f.N}) | ${fmt(f.batched / f.oneByOne)}× | ${fmt(f.fresh)} (N = ${f.freshN}) | ${fmt(f.batched / f.fresh)}× |`);
  }
  console.log('\nwhere the time of a run goes (same run): one run one after another, the share of it spent in its K');
  console.log('iterations, the kernels’ throughput per trial batched vs alone, and the most any batching could give');
  console.log('(a run’s time alone ÷ the batched kernels’ time for one run’s iterations, every other cost amortised to zero):');
  console.log('| size | one run alone | in its iterations | iterations, batched vs alone | bound on the ratio |');
  console.log('|---|---|---|---|---|');
  for (const f of figures) console.log(`| ${f.size} | ${fmt(1000 * f.perRun)} ms | ${fmt(100 * f.inIterations)} % | ${fmt(f.kernelGain)}× | ${fmt(f.bound)}× |`);
}

/**
 * The CPU engine's sweeps, in one thread and split over worker threads (src/cli/sweep.ts, as
 * `npm run cli -- sweep FILE --jobs N` runs them): the step × p preset (96 runs of 1000 iterations).
 */
export async function cpuSweepBench(): Promise<void> {
  const doc = parseExperiment(JSON.parse(readFileSync(new URL('../../public/presets/sweep-dgd-local-step-omega.json', import.meta.url), 'utf8')));
  const plan = planSweep(doc);
  const jobs = defaultJobs();
  let t0 = performance.now();
  const one = await runSweep(plan, new OneByOne());
  const t1 = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const many = await threadedSweep(doc, plan, jobs, () => {});
  const tn = (performance.now() - t0) / 1000;
  if (JSON.stringify(many.cells) !== JSON.stringify(one.cells)) throw new Error('the threaded sweep differs from the one-thread sweep');
  console.log(`\nCPU sweep (float64), preset sweep-dgd-local-step-omega: ${plan.trials} runs of ${doc.algorithm.iterations} iterations`);
  console.log('| threads | runs/s | speed-up |');
  console.log('|---|---|---|');
  console.log(`| 1 | ${fmt(plan.trials / t1)} | 1× |`);
  console.log(`| ${jobs} (one per core) | ${fmt(plan.trials / tn)} | ${fmt(t1 / tn)}× |`);
}

/** One CLI process, `npm run cli -- ARGS` as a user types it (tsx start-up included); resolves with its wall time in s. */
function cliProcess(args: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: new URL('../..', import.meta.url), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`cli ${args.join(' ')}: exit ${code}: ${err}`))));
  });
}

/**
 * Shards as a batch system runs them: the sweep preset (10× its iterations) once as one process (`--shard 1/1 --jobs 1`), then as N
 * processes at once (`--shard K/N --jobs 1`, N = one per core), each timed from start to exit; the parts merged
 * must equal the one-process CSV. Throughput ratio = t(one process) / t(N processes) against the target 0.8·N.
 */
export async function shardBench(): Promise<void> {
  const N = defaultJobs();
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-shards-'));
  // the sweep preset with 10× its iterations (10 000 a run): a batch job's sweep runs minutes, not the two
  // seconds of the preset, where the processes' start-up (about 1.5 s of tsx each) would be the measurement
  const doc = JSON.parse(readFileSync(new URL('../../public/presets/sweep-dgd-local-step-omega.json', import.meta.url), 'utf8'));
  doc.algorithm.iterations *= 10;
  doc.algorithm.recordEvery *= 10;
  const file = join(dir, 'sweep.json');
  writeFileSync(file, JSON.stringify(doc));
  try {
    const t1 = await cliProcess(['sweep', file, '--shard', '1/1', '--jobs', '1', '--out', join(dir, 'one.csv')]);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: N }, (_, k) => cliProcess(['sweep', file, '--shard', `${k + 1}/${N}`, '--jobs', '1', '--out', join(dir, `part-${k + 1}.csv`)])));
    const tn = (performance.now() - t0) / 1000;
    await cliProcess(['merge', ...Array.from({ length: N }, (_, k) => join(dir, `part-${k + 1}.csv`)), '--out', join(dir, 'merged.csv')]);
    await cliProcess(['merge', join(dir, 'one.csv'), '--out', join(dir, 'one-merged.csv')]);
    const same = readFileSync(join(dir, 'merged.csv'), 'utf8') === readFileSync(join(dir, 'one-merged.csv'), 'utf8');
    if (!same) throw new Error('the merged shards differ from the one-process sweep');
    console.log(`\nshards as processes (sweep-dgd-local-step-omega with ${doc.algorithm.iterations} iterations a run, each process --jobs 1, start-up included; merged = one process, byte for byte)`);
    console.log('| processes | wall s | throughput vs one process | target |');
    console.log('|---|---|---|---|');
    console.log(`| 1 | ${fmt(t1)} | 1× | |`);
    console.log(`| ${N} at once | ${fmt(tn)} | ${fmt(t1 / tn)}× | ≥ ${fmt(0.8 * N)}× |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
