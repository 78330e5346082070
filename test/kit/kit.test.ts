// The GPU kit never rots: `npm run kit` builds it from this tree, and `kit/run.sh --quick` runs it here on
// the SwiftShader driver it brings (no Node or Dawn from node_modules: the ones packed in the kit), at toy
// sizes. The report must have its full shape and the parity suite must pass. The PyTorch peer runs when
// torch is importable; otherwise the report says it was skipped, and with NumPy the peer's own iteration is
// still checked against the float64 reference with the engine's tolerances.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from './report';

const root = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'lowrank-kit-'));
let report: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let markdown = '';
let runLog = '';

const has = (module: string) => {
  try {
    execFileSync('python3', ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

beforeAll(() => {
  execFileSync('npx', ['tsx', 'test/kit/build.ts'], { cwd: root, stdio: 'pipe', timeout: 300_000 });
  // a clean environment: nothing from this machine's WebGPU setup may leak into the kit's run
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), OUT: out };
  runLog = execFileSync('bash', [join(root, 'kit/run.sh'), '--quick'], { cwd: out, env, timeout: 480_000, encoding: 'utf8' });
  report = JSON.parse(readFileSync(join(out, 'gpu-report.json'), 'utf8'));
  markdown = readFileSync(join(out, 'gpu-report.md'), 'utf8');
}, 800_000);

describe('the GPU kit (kit/run.sh --quick on the SwiftShader driver it brings)', () => {
  it('fits its size budget and lists what it holds', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'kit/manifest.json'), 'utf8'));
    const names = manifest.files.map((f: { file: string }) => f.file);
    for (const f of ['kit.mjs', 'node.xz', 'dawn.node.xz', 'lib/libvulkan.so.1', 'lib/swiftshader/libvk_swiftshader.so', 'run.sh', 'peer_torch.py']) expect(names).toContain(f);
    expect(manifest.totalBytes).toBeLessThanOrEqual(56 * 2 ** 20);
    for (const f of manifest.files) expect(statSync(join(root, 'kit', f.file)).size).toBe(f.bytes);
  });

  it('runs on the kit\'s own SwiftShader driver and says so', () => {
    expect(runLog).toMatch(/Vulkan driver: .*lib\/swiftshader\/vk_swiftshader_icd\.json/);
    expect(report.adapter.software).toBe(true);
    expect(report.adapter.limits.maxStorageBufferBindingSize).toBeGreaterThan(0);
    const parts = report.env.parts.map((p: { name: string; rc: number }) => [p.name, p.rc]);
    expect(parts.slice(0, 2)).toEqual([['parity', 0], ['bench', 0]]);
    // the peer part runs wherever python3 is (it then reports torch skipped or not)
    expect(parts.slice(2)).toEqual(has('sys') ? [['peer', 0]] : []);
  });

  it('passes the engine parity suite, and the suite can fail', () => {
    const p = report.parity;
    expect(p.passed).toBe(true);
    const families = new Set(p.cases.map((c: { family: string }) => c.family));
    for (const f of ['factorization', 'sensing', 'completion', 'rpca', 'hmf']) expect(families).toContain(f);
    for (const c of p.cases) expect(c.worst).toBeLessThanOrEqual(1);
    expect(p.vacuity).toHaveLength(2);
    for (const c of p.vacuity) expect(c.worst).toBeGreaterThan(1);
    expect(p.snapshot.pass).toBe(true);
  });

  it('measures every benchmark line', () => {
    const b = report.bench;
    for (const k of ['copy', 'copyKernel', 'copyBuffer', 'fma', 'matmul']) expect(b.ceilings[k]).toBeGreaterThan(0);
    expect(b.factor.map((f: { size: string }) => f.size)).toEqual(['S', 'M']);
    for (const f of b.factor) {
      expect(f.itPerSec).toBeGreaterThan(0);
      expect(f.finite).toBe(true);
      expect(f.bytesPerIteration).toBeGreaterThan(4 * f.n * f.J * f.mj); // at least one pass over Y
    }
    for (const k of ['grams', 'step', 'vUpdate']) expect(b.factor[0].perKernel[k]).toBeGreaterThan(0);
    expect(b.tfjs.backend).toBe('webgpu');
    expect(b.factor[0].tfjs).toBeGreaterThan(0);
    expect(b.measured.map((m: { problem: string }) => m.problem)).toEqual(['sensing', 'completion, p = 0.3', 'robust PCA, α = 0.05']);
    for (const m of b.measured) expect(m.itPerSec).toBeGreaterThan(0);
    expect(b.hmf[0].roundsPerSec).toBeGreaterThan(0);
    expect(b.sweep[0].batched).toBeGreaterThan(0);
    expect(b.counters.hotLoop.dispatchesPerIteration).toBe(3);
    expect(b.counters.hotLoop.yPassesPerIteration).toBe(1);
  });

  it('runs the PyTorch peer or says why not', () => {
    const q = report.peer;
    if (has('torch')) {
      expect(q.parity.passed).toBe(true);
      return;
    }
    expect(q.skipped).toMatch(has('sys') ? /torch/ : /no python3/);
    expect(markdown).toContain(`skipped: ${q.skipped}`);
    // without torch, NumPy runs the peer's iteration against the same checks; one of them must fail (0.1 % step)
    if (has('numpy')) {
      expect(q.numpyCheck.passed).toBe(true);
      expect(q.numpyCheck.cases.length).toBeGreaterThanOrEqual(2);
      expect(q.numpyCheck.cases.at(-1).worst).toBeGreaterThan(1);
    }
  });

  it('writes the targets and the tables', () => {
    expect(report.targets).toHaveLength(7);
    expect(report.targets[0]).toMatchObject({ met: true });
    for (const h of ['## Targets', '## Parity', '## Benchmark', 'Where the time goes', '## PyTorch peer']) expect(markdown).toContain(h);
  });
});

describe('the report\'s targets', () => {
  const bench = (itPerSec: number, torch: number | null, oneByOne = 9) => buildReport({
    env: null, parity: { passed: true, cases: [{ pass: true }], vacuity: [], snapshot: { pass: true } },
    bench: {
      ceilings: { copy: 4e12 },
      factor: [{ size: 'L', J: 256, n: 1024, mj: 64, r: 32, itPerSec, bytesPerIteration: 3e8, bandwidth: itPerSec * 3e8, rooflinePercent: (100 * itPerSec * 3e8) / 4e12 }],
      sweep: [{ size: 'S', batched: 100, oneByOne, bound: 20 }],
    },
    peer: torch === null ? { skipped: 'no torch' } : { bench: [{ size: 'L', eager: { itPerSec: torch }, graph: { itPerSec: torch } }] },
  });
  const met = (r: ReturnType<typeof buildReport>, re: RegExp) => r.targets.find((t: { target: string }) => re.test(t.target)).met;

  it('judges each target from the figures, and leaves unmeasured ones open', () => {
    const slow = bench(1000, 1500), fast = bench(8000, 1500);
    expect(met(slow, /L ≥ 2 000/)).toBe(false);
    expect(met(fast, /L ≥ 2 000/)).toBe(true);
    expect(met(slow, /roofline/)).toBe(false); // 1000 × 0.3 GB = 300 GB/s of 4 TB/s
    expect(met(fast, /roofline/)).toBe(true); // 2.4 TB/s of 4 TB/s
    expect(met(slow, /eager at L/)).toBe(false);
    expect(met(fast, /eager at L/)).toBe(true);
    expect(met(bench(1000, null), /eager at L/)).toBe(null);
    expect(met(slow, /eager at S/)).toBe(null);
    expect(met(slow, /sweep/)).toBe(true); // 100 / 9 = 11.1×
    expect(met(bench(1000, null, 11), /sweep/)).toBe(false); // 100 / 11 = 9.1×
  });
});
