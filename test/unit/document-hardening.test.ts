// Issue 13, items 3b–3f: documents that hung the CLI, crashed it, or were refused with the wrong words.
// b: subnormal, tiny and huge finite entries (ml-matrix's SVD looped forever on an 8×12 Y of 5e-324);
// c: an explicit W or adjacency whose data has the wrong length (a RangeError from the cross-checks);
// d: a number above its maximum (reported as "must be a number"); e: unknown keys inside tensors;
// f: a file with a byte-order mark or in UTF-16, and one-line messages however odd the file.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { symEig, svd, fromArray } from '../../src/core/linalg';
import { decodeText, oneLine, parseJsonFile } from '../../src/core/json-file';
import type { ExperimentInput } from '../../src/core/experiment';
import { cli, docFolder, factorizationDoc, preset } from './helpers';

const { writeDoc } = docFolder('lowrank-hardening-');
const root = join(import.meta.dirname, '../..');

/** The CLI in a child process that is killed after `ms`: a document that makes it loop must fail the test, not hang it. */
function cliProcess(args: string[], ms = 90_000): Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, timeout: ms, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; killed?: boolean }) | null;
      done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr, killed: !!e?.killed });
    });
  });
}

/** An 8×12 Y with these entries (cycled), rank 2, on a ring of 4 nodes, no init (the document). */
function tinyDoc(entries: number[], stepsize: ExperimentInput['algorithm']['stepsize'] = { rule: 'practical', c: 0.5 }): ExperimentInput {
  return {
    format: 'lowrank-lab/experiment', version: 1,
    problem: { kind: 'factorization', rank: 2, Y: { shape: [8, 12], data: Array.from({ length: 96 }, (_, i) => entries[i % entries.length]) } },
    network: { topology: 'ring', J: 4 },
    algorithm: { name: 'dgd-local', stepsize, iterations: 20 },
  };
}

/** μ and ω as `validate` prints them. */
function muOmega(stdout: string): { mu: number; omega: number } {
  const m = /μ = ([-+.\de]+), ω = ([.\d]+)/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  return { mu: Number(m![1]), omega: Number(m![2]) };
}

/** μ of the practical rule c(1 − 2ω)/(6σ₁) for an 8×12 Y of constant entries v: σ₁ = |v|·√96. */
const practicalMu = (v: number, omega: number) => (0.5 * (1 - 2 * omega)) / (6 * (Math.abs(v) * Math.sqrt(96)));

describe('b: subnormal, tiny and huge finite entries end with a correct answer or a clear message', () => {
  // each in its own process, all at once: before the fix the first and the mixed ones never ended
  const cases: { name: string; doc: ExperimentInput; check(r: Awaited<ReturnType<typeof cliProcess>>): void }[] = [
    {
      name: 'Y all 5e-324 with the practical rule: μ overflows, said in one line',
      doc: tinyDoc([5e-324]),
      check: (r) => {
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^error: algorithm\.stepsize: the practical rule gives μ = Infinity \(L̂ = [\d.]+e-32\d\): .*rescale the data .* or give μ explicitly\n$/);
      },
    },
    {
      name: 'Y all 5e-324 with μ given: valid',
      doc: { ...tinyDoc([5e-324], 0.1), network: { topology: 'erdos-renyi', J: 4, p: 0.5, seed: 1 }, init: { seed: 1, scale: 0.1 } },
      check: (r) => {
        expect(r.code).toBe(0);
        expect(muOmega(r.stdout).mu).toBe(0.1);
      },
    },
    ...[1e-308, 1e-300, 1e300].map((v) => ({
      name: `Y all ${v}: valid, μ from σ₁ = ${v}·√96`,
      doc: tinyDoc([v]),
      check: (r: Awaited<ReturnType<typeof cliProcess>>) => {
        expect(r.code).toBe(0);
        const { mu, omega } = muOmega(r.stdout);
        expect(Math.abs(mu / practicalMu(v, omega) - 1)).toBeLessThan(1e-3);
      },
    })),
    {
      name: 'Y all 1.7e308: σ₁ overflows, said in one line',
      doc: tinyDoc([1.7e308]),
      check: (r) => {
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^error: algorithm\.stepsize: the practical rule gives μ = 0 \(L̂ = Infinity\): .*rescale the data/);
      },
    },
    {
      name: 'Y mixing 5e-324, 1e-308, 1e-300 with 1 and 0: the same μ as with the tiny entries zero',
      doc: tinyDoc([5e-324, 1, 1e-308, 0, -5e-324, 1e-300]),
      check: (r) => {
        // the step size is compared below with the document without the tiny entries
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/μ = 0\.\d+/);
      },
    },
    {
      name: 'the same Y without its tiny entries (reference for the case above)',
      doc: tinyDoc([0, 1, 0, 0, 0, 0]),
      check: (r) => expect(r.code).toBe(0),
    },
  ];

  it('validate ends on every one (each in a process killed after 90 s)', async () => {
    const results = await Promise.all(cases.map((c) => cliProcess(['validate', writeDoc(c.doc)])));
    results.forEach((r, i) => {
      expect(r.killed, `${cases[i].name}: still running after 90 s`).toBe(false);
      expect(r.stderr, cases[i].name).not.toMatch(/internal error|RangeError|TypeError/);
      cases[i].check(r);
    });
    // the mixed Y and its reference without the tiny entries: the same step size
    expect(muOmega(results[results.length - 2].stdout)).toEqual(muOmega(results[results.length - 1].stdout));
  }, 300_000);

  it('run ends too, on the subnormal Y and on a 5e-324 entry next to ones', async () => {
    const [sub, mixed] = await Promise.all([
      cliProcess(['run', writeDoc(tinyDoc([5e-324], 0.1))]),
      cliProcess(['run', writeDoc(tinyDoc([5e-324, 1, 0], 0.01))]),
    ]);
    for (const r of [sub, mixed]) {
      expect(r.killed).toBe(false);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).stop.reason).not.toBe('diverged');
    }
  }, 300_000);

  it('svd and symEig: exact scaling on subnormal and huge entries, NaN (not a crash) on non-finite ones', () => {
    // (in-process: these threw or returned NaN before; the looping inputs are the child processes' above)
    const B = fromArray(3, 3, [2, 1, 0, 1, 3, 1, 0, 1, 4]);
    const ref = symEig(B).values;
    for (const s of [1e300, 1e-300, 2 ** -1070]) {
      const e = symEig(fromArray(3, 3, Array.from(B.data, (v) => v * s))).values;
      for (let i = 0; i < 3; i++) expect(Math.abs(e[i] / (ref[i] * s) - 1)).toBeLessThan(s < 1e-320 ? 0.5 : 1e-12);
    }
    const big = svd(fromArray(2, 3, [1.7e308, 0, 0, 0, 1e308, 0])).s;
    expect(Math.abs(big[0] / 1.7e308 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(big[1] / 1e308 - 1)).toBeLessThan(1e-15);
    const nan = symEig(fromArray(2, 2, [1, NaN, NaN, 1]));
    expect(Array.from(nan.values).every(Number.isNaN)).toBe(true);
  });
});

describe('c: a W or adjacency with the wrong number of entries is reported by the tensor check', () => {
  const small = () => factorizationDoc({ n: 6, m: 8, rank: 1, J: 2, iterations: 5 });
  it.each([5, 0, 3])('%i entries for shape [2, 2]', async (count) => {
    for (const network of [
      { W: { shape: [2, 2], data: new Array(count).fill(0.5) } },
      { topology: 'adjacency', adjacency: { shape: [2, 2], data: new Array(count).fill(1) } },
    ]) {
      const key = 'W' in network ? 'W' : 'adjacency';
      const r = await cli(['validate', writeDoc({ ...small(), network })]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: network.${key}.data: has ${count} numbers but shape [2, 2] needs 4\n`);
    }
  });
});

describe('d: a number above its maximum says the maximum', () => {
  const sensing = (): ExperimentInput => ({ ...factorizationDoc({ n: 6, m: 8, rank: 1, J: 4 }), problem: { kind: 'sensing', rank: 1, generate: { seed: 1, n: 6, m: 8, measurements: 1e8 } } });
  const cases: [string, () => unknown, string][] = [
    ['n = 1e9', () => ({ ...factorizationDoc({ n: 6, m: 8, rank: 1, J: 4 }), problem: { kind: 'factorization', rank: 1, generate: { seed: 1, n: 1e9, m: 8 } } }), 'problem.generate.n: 1000000000 is above the maximum 65536'],
    ['J = 1e6', () => ({ ...factorizationDoc({ n: 6, m: 8, rank: 1, J: 4 }), network: { topology: 'ring', J: 1e6 } }), 'network.J: 1000000 is above the maximum 16384'],
    ['iterations = 1e10', () => factorizationDoc({ n: 6, m: 8, rank: 1, J: 4, iterations: 1e10 }), 'algorithm.iterations: 10000000000 is above the maximum 1000000000'],
    ['measurements = 1e8', sensing, 'problem.generate.measurements: 100000000 is above the maximum 10000000'],
    ['seed = 2⁵³', () => factorizationDoc({ n: 6, m: 8, rank: 1, J: 4, seed: 2 ** 53 }), 'problem.generate.seed: 9007199254740992 is above the maximum 9007199254740991'],
    ['rank = 1e300 (not "not an integer")', () => ({ ...factorizationDoc({ n: 6, m: 8, rank: 1, J: 4 }), problem: { kind: 'factorization', rank: 1e300, generate: { seed: 1, n: 6, m: 8 } } }), 'problem.rank: 1e+300 is above the maximum 9007199254740991'],
    ['a shape of 1e300', () => ({ ...factorizationDoc({ n: 6, m: 8, rank: 1, J: 4 }), problem: { kind: 'factorization', rank: 1, Y: { shape: [1e300, 2], data: [1, 2] } } }), 'problem.Y.shape[0]: 1e+300 is above the maximum 9007199254740991'],
    ['HMF sharedRank = 1000', () => ({ ...preset('r15'), problem: { ...(preset('r15').problem as object), sharedRank: 1000 } }), 'problem.sharedRank: 1000 is above the maximum 256'],
    ['video frames = 1e5', () => ({ ...preset('r17'), problem: { ...(preset('r17').problem as { video: object }), video: { ...(preset('r17').problem as { video: object }).video, frames: 1e5 } } }), 'problem.video.frames: 100000 is above the maximum 240'],
    ['sweep steps = 1e300', () => ({ ...factorizationDoc({ n: 6, m: 8, rank: 1, J: 4 }), sweep: { x: { param: 'network.p', range: { from: 0.1, to: 1, steps: 1e300 } } } }), 'sweep.x.range.steps: steps must be at most 4096'],
  ];
  it.each(cases)('%s', async (_, doc, message) => {
    const r = await cli(['validate', writeDoc(doc())]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${message}\n`);
  });
});

describe('e: unknown keys inside tensors are refused, __proto__ and constructor included', () => {
  const tensor = '{"shape":[2,4],"data":[1,2,3,4,5,6,7,8],"KEY":{"polluted":true}}';
  const docText = (key: string) => `{"format":"lowrank-lab/experiment","version":1,"problem":{"kind":"factorization","rank":1,"Y":${tensor.replace('KEY', key)}},`
    + '"network":{"topology":"ring","J":2},"algorithm":{"name":"dgd-local","stepsize":0.1,"iterations":5}}';
  it.each(['frobnicate', '__proto__', 'constructor'])('Y with "%s"', async (key) => {
    // JSON.parse makes "__proto__" an own property (not the prototype), so the schema sees it
    expect(Object.keys(JSON.parse(docText(key)).problem.Y)).toContain(key);
    const r = await cli(['validate', writeDoc(docText(key))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: problem.Y: Unrecognized key: "${key}"\n`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('the same in W, init and an HMF source', async () => {
    const withKey = (t: object) => ({ ...t, frobnicate: 1 });
    const base = factorizationDoc({ n: 6, m: 8, rank: 1, J: 2, iterations: 5 });
    const w = await cli(['validate', writeDoc({ ...base, network: { W: withKey({ shape: [2, 2], data: [0.5, 0.5, 0.5, 0.5] }) } })]);
    expect(w.stderr).toBe('error: network.W: Unrecognized key: "frobnicate"\n');
    const init = await cli(['validate', writeDoc({ ...base, init: { U: withKey({ shape: [2, 6, 1], data: new Array(12).fill(0.1) }), V: { shape: [8, 1], data: new Array(8).fill(0.1) } } })]);
    expect(init.stderr).toBe('error: init.U: Unrecognized key: "frobnicate"\n');
    const hmf = { format: 'lowrank-lab/experiment', version: 1, problem: { kind: 'hmf', sharedRank: 1, uniqueRank: 1, sources: [{ M: withKey({ shape: [2, 2], data: [1, 2, 3, 4] }) }] }, algorithm: { name: 'hmf', stepsize: 0.1, iterations: 5 } };
    expect((await cli(['validate', writeDoc(hmf)])).stderr).toBe('error: problem.sources[0].M: Unrecognized key: "frobnicate"\n');
  });
});

describe('f: a byte-order mark and UTF-16 are read; every message is one line', () => {
  const text = JSON.stringify(preset('r5'), null, 2);
  const utf16 = (t: string, le: boolean) => {
    const b = Buffer.from(t, 'utf16le');
    return le ? b : b.swap16();
  };
  const files: [string, Buffer][] = [
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['UTF-16 LE with a BOM', utf16(`\ufeff${text}`, true)],
    ['UTF-16 BE with a BOM', utf16(`\ufeff${text}`, false)],
    ['UTF-16 LE without a BOM', utf16(text, true)],
    ['UTF-16 BE without a BOM', utf16(text, false)],
  ];
  it.each(files)('%s validates like the plain file', async (_, bytes) => {
    const plain = await cli(['validate', writeDoc(text)]);
    const f = writeDoc('');
    writeFileSync(f, bytes);
    const r = await cli(['validate', f]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.slice(r.stdout.indexOf(': valid'))).toBe(plain.stdout.slice(plain.stdout.indexOf(': valid')));
  });

  it('broken files are said in one line, control characters escaped, length bounded', async () => {
    const broken = [
      '\ufeff\ufeff\ufeff{"format": 1}',
      '{\n  "format": "lowrank-lab/experiment",\n  "version": \u0000\n}',
      `{"title": "${'x'.repeat(5000)}\n`,
      '',
      '\u2028{}',
    ];
    for (const t of broken) {
      const r = await cli(['validate', writeDoc(t)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: \S+ (is not valid JSON: |is empty, not a JSON document)[^\n]*\n$/);
      expect(r.stderr.slice(0, -1)).not.toMatch(/[\p{Cc}\u2028\u2029\ufeff]/u);
      expect(r.stderr.length).toBeLessThan(700);
    }
    // a key with a line break in it: the document's message stays on one line too
    const r = await cli(['validate', writeDoc({ ...factorizationDoc({ n: 6, m: 8, rank: 1, J: 2 }), 'a\nb\u202e': 1 })]);
    expect(r.stderr).toBe('error: Unrecognized key: "a\\nb\\u202e"\n');
  });

  it('decodeText, oneLine and parseJsonFile (what the page uses for an imported file)', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}');
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x7b, 0, 0xe9, 0, 0x7d, 0]))).toBe('{é}');
    expect(decodeText(new Uint8Array([0xfe, 0xff, 0, 0x7b, 0, 0xe9, 0, 0x7d]))).toBe('{é}');
    expect(decodeText(new Uint8Array([0x7b, 0xc3, 0xa9, 0x7d]))).toBe('{é}');
    expect(oneLine('a\nb\r\tc\u0000\u202e')).toBe('a\\nb\\r\\tc\\u0000\\u202e');
    expect(oneLine('y'.repeat(1000), 50)).toHaveLength(50);
    expect(parseJsonFile(new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x31, 0x5d]), 'x.json')).toEqual([1]);
    expect(parseJsonFile('\ufeff{"a": 2}', 'x.json')).toEqual({ a: 2 });
    expect(() => parseJsonFile('{\n"a":', 'x.json')).toThrow(/^x\.json is not valid JSON: [^\n]+$/);
  });
});
