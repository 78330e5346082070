/**
 * The resource budget (src/core/budget.ts): documents past the memory budget or the work cap are refused
 * from their sizes — by the CLI, the page's actions and links, and per sweep cell — in one line naming the
 * field, the figure and the largest size that fits, fast and without allocating; and the estimate is
 * checked against the typed arrays real instances hold, so it cannot drift from the code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import {
  GiB, MiB, PAGE_BUDGET, VALIDATE_BUILD_FLOPS, WORK_CAP, checkBudget, checkSweepBudget, cliBudget, estimateCost, formatBytes,
  formatFlops, parseSize,
} from '../../src/core/budget';
import { buildInstance } from '../../src/core/build';
import { DocumentError, type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { planSweep } from '../../src/core/sweep';
import { CpuEngine } from '../../src/engine/cpu';
import { decodeUrl } from '../../src/state/url';
import { labStore } from '../../src/state/store';
import { editExperiment, importExperiment, run } from '../../src/state/actions';
import { runSweep } from '../../src/state/sweep-actions';
import { DEFAULT_EXPERIMENT } from '../../src/state/defaults';
import { cli, docFolder, preset } from './helpers';

const { writeDoc } = docFolder('lowrank-budget-');
const head = { format: 'lowrank-lab/experiment', version: 1 } as const;
const ring = { topology: 'ring', J: 10 } as const;
const practical = { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: 100 } as const;
const doc = (d: Record<string, unknown>) => ({ ...head, ...d }) as unknown as ExperimentInput;

/** The sizes that used to crash or hang (issue 13), each with what its refusal must say. */
const seen: { name: string; doc: ExperimentInput; message: RegExp }[] = [
  {
    name: 'factorization n = 65536, m = 1048576 (was: RangeError: Invalid typed array length)',
    doc: doc({ problem: { kind: 'factorization', rank: 5, generate: { seed: 1, n: 65536, m: 1048576 } }, network: ring, algorithm: practical }),
    message: /^error: problem\.generate: n = 65536, m = 1048576 needs about 1\.6 TiB \(Y alone 512 GiB\); the memory budget is 8 GiB \(set by --max-memory\) — the largest m that fits with n = 65536 is \d+/,
  },
  {
    name: 'completion at 65536² (was: allocation failure)',
    doc: doc({ problem: { kind: 'completion', rank: 5, pObs: 0.3, generate: { seed: 1, n: 65536, m: 65536 } }, network: ring, algorithm: practical }),
    message: /^error: problem\.generate: n = 65536, m = 65536 needs about \d+ GiB .*; the memory budget is 8 GiB .* — the largest m that fits with n = 65536 is \d+/,
  },
  {
    name: 'least squares at 65536² (was: allocation failure)',
    doc: doc({ problem: { kind: 'least-squares', generate: { seed: 1, d: 65536, rows: 65536 } }, network: ring, algorithm: { ...practical, name: 'dgd' } }),
    message: /^error: problem\.generate: d = 65536, rows = 65536 on each of 10 nodes needs about \d+ GiB .* — the largest d that fits with rows = 65536 is \d+/,
  },
  {
    name: 'a complete network of J = 16384 (was: over 6 GB on validate)',
    doc: doc({ problem: { kind: 'factorization', rank: 2, generate: { seed: 1, n: 20, m: 16384 } }, network: { topology: 'complete', J: 16384 }, algorithm: { ...practical, stepsize: 1e-4 } }),
    message: /^error: network\.J: J = 16384 \(complete\) needs about \d+ GiB \(.*neighbour lists.* alone \d+ GiB\); the memory budget is 8 GiB .* — the largest J that fits is \d+/,
  },
  {
    name: 'RPCA at 16384² (was: over 6 GB on validate)',
    doc: doc({ problem: { kind: 'rpca', rank: 5, generate: { seed: 1, n: 16384, m: 16384, corruption: 0.05 } }, network: ring, algorithm: practical }),
    message: /^error: problem\.generate: n = 16384, m = 16384 needs about \d+ GiB \(the SVD of M⋆ for the bound b alone \d+ GiB\); .* — the largest m that fits with n = 16384 is \d+/,
  },
  {
    name: 'a 240-frame 2048² video (was: over 6 GB on validate)',
    doc: doc({ problem: { kind: 'hmf', sharedRank: 20, uniqueRank: 4, video: { seed: 1, frames: 240, height: 2048, width: 2048 } }, algorithm: { name: 'hmf', stepsize: { rule: 'practical', c: 0.5 }, iterations: 100 } }),
    message: /^error: problem\.video: 240 frames of 2048×2048 needs about \d+ GiB .*; the memory budget is 8 GiB .* — the largest number of frames that fits with 2048×2048 frames is \d+/,
  },
  {
    name: 'n = m = 4096 (was: over 120 s on validate)',
    doc: doc({ problem: { kind: 'factorization', rank: 5, generate: { seed: 1, n: 4096, m: 4096 } }, network: ring, algorithm: practical }),
    message: /^error: problem\.generate: n = 4096, m = 4096 needs about [\d.]+·10¹¹ floating-point operations before its first iteration \(the singular values of Y.*\); the work cap is 2·10¹⁰ .* — the largest m that fits with n = 4096 is \d+/,
  },
];

/** The CLI with an 8 GiB budget (the default on machines with 16 GiB or more), timed, with the growth of the process's ArrayBuffers. */
async function timedCli(args: string[], maxMemory = '8G') {
  const before = process.memoryUsage().arrayBuffers;
  const t0 = performance.now();
  const r = await cli([...args, '--max-memory', maxMemory]);
  return { ...r, ms: performance.now() - t0, grew: process.memoryUsage().arrayBuffers - before };
}

beforeAll(async () => {
  await cli(['--help']); // the CLI's modules loaded once, so the timings below are the commands'
});

describe('CLI: a document past the budget is refused from its sizes', () => {
  it.each(seen)('$name', async ({ doc: d, message }) => {
    const f = writeDoc(d);
    for (const cmd of ['validate', 'run', 'materialize']) {
      const r = await timedCli([cmd, f]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.ms).toBeLessThan(1000);
      expect(r.grew).toBeLessThan(16 * MiB);
    }
  });

  it('validate answers from the sizes: n = m = 1024 is valid, described and not built, at once', async () => {
    const f = writeDoc(doc({ problem: { kind: 'factorization', rank: 5, generate: { seed: 1, n: 1024, m: 1024 } }, network: ring, algorithm: practical }));
    const r = await timedCli(['validate', f]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${f}: valid — factorization (1024×1024, rank 5), dgd-local on J = 10`);
    expect(lines[1]).toMatch(/^ {2}cost: about \d+ MiB at the peak; [\d.]+·10¹⁰ flops to set up/);
    expect(lines[2]).toMatch(/^ {2}not built: setting it up takes about [\d.]+·10¹⁰ flops \(validate builds up to 1·10⁹\); μ, ω and the step-size bounds are computed when it runs$/);
    expect(r.ms).toBeLessThan(1000);
    expect(r.grew).toBeLessThan(4 * MiB); // Y alone would be 8 MiB, its blocks 8 more
  });

  it('validate still builds a small document: μ, ω and the bounds, and the cost line', async () => {
    const r = await cli(['validate', 'public/presets/r3.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^public\/presets\/r3\.json: valid — factorization \(30×100, rank 3\), dgd-local on J = 10, μ = 0\.0002\d+, ω = 0\.4000\n {2}cost: about \d+ KiB at the peak; .*\nstep-size bounds/);
  });

  it('--max-memory lowers and raises the budget', async () => {
    const f = writeDoc(doc({ problem: { kind: 'factorization', rank: 5, generate: { seed: 1, n: 1024, m: 1024 } }, network: ring, algorithm: practical }));
    const low = await cli(['validate', f, '--max-memory', '32M']);
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/^error: problem\.generate: n = 1024, m = 1024 needs about \d+ MiB \(.*\); the memory budget is 32 MiB \(set by --max-memory\) — the largest m that fits with n = 1024 is \d+\n$/);
    expect((await cli(['validate', f, '--max-memory', '64M'])).code).toBe(0);
    // about 9 GiB of HMF sources: past the default (at most 8 GiB), inside 16G
    const big = writeDoc(doc({
      problem: { kind: 'hmf', sharedRank: 1, uniqueRank: 1, generate: { seed: 1, N: 120, n1: 1000, n2: 2000, factors: 'gaussian' } },
      algorithm: { name: 'hmf', stepsize: 0.1, iterations: 10 },
    }));
    const byDefault = await cli(['validate', big]);
    expect(byDefault.code).toBe(2);
    expect(byDefault.stderr).toMatch(/^error: problem\.generate: N = 120, n1 = 1000, n2 = 2000 needs about [\d.]+ GiB .*; the memory budget is [\d.]+ GiB \(set by --max-memory\) — the largest N that fits with n1 = 1000, n2 = 2000 is \d+/);
    const raised = await timedCli(['validate', big], '16G');
    expect(raised.code).toBe(0);
    expect(raised.stdout).toMatch(/valid — hmf: N = 120 sources of 1000×2000, r1 = 1, r2 = 1\n {2}cost: about [\d.]+ GiB at the peak/);
    expect(raised.grew).toBeLessThan(16 * MiB);
  });

  it('run refuses, before running, a result document too long for one JavaScript string', async () => {
    // 64 copies of a 65536×8 U: 3.4·10⁷ numbers, inside the memory budget but ~700 MiB of JSON
    const f = writeDoc(doc({ problem: { kind: 'factorization', rank: 8, generate: { seed: 1, n: 65536, m: 100 } }, network: { topology: 'ring', J: 64 }, algorithm: { name: 'dgd-local', stepsize: 1e-4, iterations: 10 } }));
    const r = await timedCli(['run', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: network\.J: J = 64 copies of U \(65536×8\) and V \(100×8\): the result document would hold about 3\.4·10⁷ numbers \(the final iterate\), about \d+ MiB of JSON, more than one JavaScript string holds \(\d+ MiB\); make the iterate smaller\n$/);
    expect(r.ms).toBeLessThan(1000);
    expect(r.grew).toBeLessThan(16 * MiB);
    expect((await timedCli(['validate', f])).code).toBe(0);
  });

  it('--max-memory takes sizes like 2G, 512M, 1.5G and refuses anything else', async () => {
    expect(parseSize('2G')).toBe(2 * GiB);
    expect(parseSize('512M')).toBe(512 * MiB);
    expect(parseSize('1.5GiB')).toBe(1.5 * GiB);
    expect(parseSize('4096')).toBe(4096);
    for (const bad of ['lots', '0', '-1G', '2X', '']) expect(() => parseSize(bad)).toThrow(/is not a size/);
    const r = await cli(['validate', 'public/presets/r3.json', '--max-memory', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --max-memory lots: "lots" is not a size; give e.g. 2G, 512M or 1.5G (powers of 1024)\n');
  });

  it('the default is 8 GiB, or half the machine’s memory when that is less; the work cap is fixed', () => {
    expect(cliBudget(undefined, 64 * GiB)).toMatchObject({ bytes: 8 * GiB, flops: WORK_CAP });
    expect(cliBudget(undefined, 4 * GiB).bytes).toBe(2 * GiB);
    expect(cliBudget(3 * GiB, 64 * GiB).bytes).toBe(3 * GiB);
    expect(PAGE_BUDGET.bytes).toBe(GiB);
  });
});

describe('sweeps: the costliest cell is checked before the sweep starts', () => {
  const sweepDoc = doc({
    problem: { kind: 'factorization', rank: 3, generate: { seed: 1, n: 65536, m: 100 } }, network: ring, algorithm: { ...practical, stepsize: 1e-4 },
    sweep: { x: { param: 'problem.generate.m', values: [100, 1048576] }, y: { param: 'algorithm.stepsize', values: [1e-4, 1e-3] }, seeds: 2 },
  });

  it('the CLI refuses it (exit 2, the cell named) without starting a run', async () => {
    const f = writeDoc(sweepDoc);
    for (const cmd of ['sweep', 'validate']) {
      const r = await timedCli([cmd, f]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: sweep: the cell problem\.generate\.m = 1048576, algorithm\.stepsize = 0\.0001: problem\.generate: n = 65536, m = 1048576 needs about 1\.6 TiB \(Y alone 512 GiB\); .* — the largest m that fits with n = 65536 is \d+/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1); // no "sweep: N runs" line: nothing started
      expect(r.ms).toBeLessThan(1000);
      expect(r.grew).toBeLessThan(16 * MiB);
    }
  });

  it('finds the costliest cell of a plan, and the page refuses the sweep with the reason', () => {
    const fits = parseExperiment({ ...sweepDoc, sweep: { ...sweepDoc.sweep!, x: { param: 'problem.generate.m', values: [100, 200] } } });
    const worst = checkSweepBudget(planSweep(fits), PAGE_BUDGET);
    expect([worst.xi, worst.cost.sizes.m]).toEqual([1, 200]);
    labStore.setState({ experiment: sweepDoc });
    runSweep();
    const sr = labStore.getState().sweepRun;
    expect(sr.status).toBe('error');
    expect(sr.error).toMatch(/^sweep: the cell problem\.generate\.m = 1048576, .*the memory budget is 1 GiB \(in the page; the CLI allows more\)/);
  });

  it('the sweep presets’ costliest cells are well inside the page’s budget', () => {
    for (const id of ['sweep-dgd-local-step-omega', 'sweep-dgd-vs-dgd-local', 'sweep-completion-rank-rate', 'sweep-hmf-missing-beta']) {
      const { cost } = checkSweepBudget(planSweep(parseExperiment(preset(id))), PAGE_BUDGET);
      expect(cost.bytes).toBeLessThan(PAGE_BUDGET.bytes / 8);
      expect(cost.flops).toBeLessThan(WORK_CAP / 8);
    }
  });
});

describe('the page: links, form edits and imports past the budget are refused, the experiment kept', () => {
  it('a link ?n=65536&m=1048576 opens a working lab with a notice saying why m was not used', async () => {
    const { state, ignored } = await decodeUrl('?n=65536&m=1048576', async () => null);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatch(/^m=1048576: problem\.generate: n = 65536, m = 1048576 needs about 1\.6 TiB \(Y alone 512 GiB\); the memory budget is 1 GiB \(in the page; the CLI allows more\) — the largest m that fits with n = 65536 is \d+/);
    const g = (state.experiment.problem as { generate: { n: number; m: number } }).generate;
    expect([g.n, g.m]).toEqual([65536, 100]); // n alone fits; m stays the default's
    expect(() => checkBudget(parseExperiment(state.experiment), PAGE_BUDGET)).not.toThrow();
  });

  it('a form edit past the budget is refused with the reason; the previous experiment stays', () => {
    labStore.setState({ experiment: structuredClone(DEFAULT_EXPERIMENT), error: null, status: 'idle' });
    const before = labStore.getState().experiment;
    editExperiment((d) => {
      (d.problem as { generate: { n: number; m: number } }).generate.n = 65536;
      (d.problem as { generate: { n: number; m: number } }).generate.m = 1048576;
    });
    const s = labStore.getState();
    expect(s.experiment).toBe(before);
    expect(s.status).toBe('idle'); // a run in progress is not disturbed
    expect(s.error).toMatch(/^problem\.generate: n = 65536, m = 1048576 needs about 1\.6 TiB/);
    // an edit that fits goes through and clears the message
    editExperiment((d) => { (d.problem as { generate: { n: number } }).generate.n = 40; });
    expect((labStore.getState().experiment.problem as { generate: { n: number } }).generate.n).toBe(40);
    expect(labStore.getState().error).toBeNull();
  });

  it('an imported document past the budget throws the reason and changes nothing; Run refuses one already in the store', () => {
    labStore.setState({ experiment: structuredClone(DEFAULT_EXPERIMENT), error: null, status: 'idle', runs: [], activeId: null });
    const before = labStore.getState().experiment;
    const huge = seen[3].doc;
    expect(() => importExperiment(huge, 'huge.json')).toThrow(DocumentError);
    expect(labStore.getState().experiment).toBe(before);
    expect(labStore.getState().upload).toBeNull();
    // a document that got into the store some other way: Run refuses it before the worker (none exists here) is asked
    labStore.setState({ experiment: huge });
    run();
    expect(labStore.getState().status).toBe('error');
    expect(labStore.getState().error).toMatch(/^network\.J: J = 16384 \(complete\) needs about/);
    expect(labStore.getState().runs).toEqual([]);
  });
});

describe('every shipped preset is well inside the page’s budget, and validate builds it', () => {
  const ids = readdirSync(new URL('../../public/presets/', import.meta.url)).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.slice(0, -5));
  it.each(ids)('%s', (id) => {
    const c = estimateCost(parseExperiment(preset(id)));
    expect(c.bytes).toBeLessThan(PAGE_BUDGET.bytes / 8);
    expect(c.flops).toBeLessThan(Math.min(WORK_CAP / 8, VALIDATE_BUILD_FLOPS));
  });
});

/** Bytes of the distinct ArrayBuffers behind every typed array reachable from `root`. */
function typedBytes(root: unknown): number {
  const seenObjects = new Set<unknown>();
  const buffers = new Set<ArrayBufferLike>();
  const stack = [root];
  while (stack.length) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object' || seenObjects.has(x)) continue;
    seenObjects.add(x);
    if (ArrayBuffer.isView(x)) buffers.add(x.buffer);
    else if (Array.isArray(x)) for (const v of x) stack.push(v);
    else {
      for (const k of Object.keys(x)) {
        const d = Object.getOwnPropertyDescriptor(x, k); // not getters: those compute (σ's), they hold nothing yet
        if (d && 'value' in d) stack.push(d.value);
      }
    }
  }
  let t = 0;
  for (const b of buffers) t += b.byteLength;
  return t;
}

describe('the estimate against the typed arrays real instances hold', () => {
  const net = (J: number, topology = 'ring') => ({ topology, J, p: 0.5, seed: 1 });
  const fixed = (name: string) => ({ name, stepsize: 1e-4, iterations: 10 });
  const cases: [string, ExperimentInput][] = [
    ['factorization, DGD+LOCAL, 500×800 on 8 nodes', doc({ problem: { kind: 'factorization', rank: 5, generate: { seed: 1, n: 500, m: 800 } }, network: net(8), algorithm: fixed('dgd-local') })],
    ['factorization, classical DGD, 300×500 on 10 nodes', doc({ problem: { kind: 'factorization', rank: 4, generate: { seed: 1, n: 300, m: 500 } }, network: net(10), algorithm: fixed('dgd') })],
    ['factorization, GD, 500×700, noisy', doc({ problem: { kind: 'factorization', rank: 5, generate: { seed: 1, n: 500, m: 700, noise: 0.1 } }, algorithm: fixed('gd') })],
    ['a complete network of 300 nodes', doc({ problem: { kind: 'factorization', rank: 3, generate: { seed: 1, n: 20, m: 600 } }, network: net(300, 'complete'), algorithm: fixed('dgd-local') })],
    ['completion 200×150', doc({ problem: { kind: 'completion', rank: 4, pObs: 0.3, generate: { seed: 1, n: 200, m: 150 } }, network: net(5), algorithm: fixed('dgd-local') })],
    ['RPCA 200×150', doc({ problem: { kind: 'rpca', rank: 3, generate: { seed: 1, n: 200, m: 150, corruption: 0.05 } }, network: net(4), algorithm: fixed('dgd-local') })],
    ['sensing 30×40, 200 measurements per node', doc({ problem: { kind: 'sensing', rank: 2, generate: { seed: 1, n: 30, m: 40, measurements: 200 } }, network: net(5), algorithm: fixed('dgd-local') })],
    ['least squares d = 200, 300 rows on 6 nodes', doc({ problem: { kind: 'least-squares', generate: { seed: 1, d: 200, rows: 300 } }, network: net(6), algorithm: fixed('dgd') })],
    ['HMF, 20 sources of 200×150, 20 % missing', doc({ problem: { kind: 'hmf', sharedRank: 3, uniqueRank: 2, generate: { seed: 1, N: 20, n1: 200, n2: 150, missing: 0.2 } }, algorithm: { name: 'hmf', stepsize: 0.1, iterations: 10 } })],
    ['the video demo, 20 frames of 140×154', doc({ problem: { kind: 'hmf', sharedRank: 20, uniqueRank: 4, video: { seed: 1, frames: 20, height: 140, width: 154 } }, algorithm: { name: 'hmf', stepsize: 0.1, iterations: 10 } })],
  ];
  it.each(cases)('%s', async (_, d) => {
    const e = parseExperiment(d);
    const c = estimateCost(e);
    const inst = buildInstance(e);
    const engine = new CpuEngine();
    await engine.load(inst);
    const instance = typedBytes(inst), held = typedBytes([inst, engine]);
    const sum = (f: (p: (typeof c.parts)[number]) => boolean) => c.parts.filter(f).reduce((t, p) => t + p.bytes, 0);
    // the instance's arrays, part by part: within a few per cent
    const estInstance = sum((p) => p.kind === 'instance');
    expect(estInstance / instance).toBeGreaterThan(0.95);
    expect(estInstance / instance).toBeLessThan(1.1);
    // what a run holds in typed arrays (instance, engine, session): within a factor 1.5, never below
    const estHeld = sum((p) => (p.kind === 'instance' || p.kind === 'engine') && !p.plain);
    expect(estHeld / held).toBeGreaterThan(0.95);
    expect(estHeld / held).toBeLessThan(1.5);
    // the peak adds the largest temporary of the build (an SVD's work, a network's J×J copies …): at most 6×
    expect(c.bytes).toBeGreaterThanOrEqual(held);
    expect(c.bytes / held).toBeLessThan(6);
    engine.destroy();
  });
});

describe('words', () => {
  it('bytes in binary units and operations as powers of ten', () => {
    expect(formatBytes(512 * GiB)).toBe('512 GiB');
    expect(formatBytes(1.5 * GiB)).toBe('1.5 GiB');
    expect(formatBytes(GiB)).toBe('1 GiB');
    expect(formatBytes(640 * MiB)).toBe('640 MiB');
    expect(formatFlops(7.74e11)).toBe('7.7·10¹¹');
    expect(formatFlops(2e10)).toBe('2·10¹⁰');
    expect(formatFlops(512)).toBe('512');
  });

  it('checkBudget throws the project’s DocumentError naming the field', () => {
    const e = parseExperiment(seen[0].doc);
    let err: unknown;
    try {
      checkBudget(e, PAGE_BUDGET);
    } catch (x) {
      err = x;
    }
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as DocumentError).path).toBe('problem.generate');
    expect(estimateCost(e).parts.find((p) => p.label === 'Y')?.bytes).toBe(512 * GiB);
  });
});
