// Property test of the experiment document and the CLI (issue 13, item 4): mutations of every preset in
// public/presets, with a fixed seed, go through the in-process CLI. A mutation deletes a key, retypes a
// value, writes an extreme number (±1e308, 5e-324, -0, 1e9, 2⁵³, 1e-320, 1e999) or a fraction where an
// integer belongs, bends a tensor's shape, makes its data short, long or ragged, or adds an unknown key
// (`__proto__` and `constructor` included) at any depth; the file may then be saved with a byte-order
// mark, in UTF-16, or cut short. For every case: exit 0 or 2 (3 too for `run`: it diverged), nothing on
// stderr but one line that starts with `error: ` and names a field or the problem, no stack trace, no
// RangeError / TypeError / internal error, bounded CPU time per case and in all.
//
// Huge sizes (n = 65536, m = 2²⁰, J = 16384, video frames 240 × 2048 × 2048, …) are their own property,
// the last one: what they cost is refused from the sizes before anything is built (src/core/budget.ts).
// Run it alone with `npx vitest run test/unit/document-fuzz.test.ts -t "huge sizes"`.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeText } from '../../src/core/json-file';
import { cli, docFolder } from './helpers';

const SEED = 13_04_2024;
const VALIDATE_RUNS = 2100;
const RUN_RUNS = 150;
const HUGE_RUNS = 150;
/** CPU seconds one case may take (the process's own time, so other test files' load does not count) */
const CASE_CPU_MS = 3000;
/** wall-clock seconds one case may take on a loaded machine */
const CASE_WALL_MS = 30_000;

type Json = null | boolean | number | string | Raw | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** A number JSON.stringify cannot write: -0 and 1e999 (which JSON.parse reads as ±Infinity). */
class Raw {
  constructor(readonly text: string) {}
}

const presetDir = new URL('../../public/presets/', import.meta.url);
const PRESETS = readdirSync(presetDir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
const presetDoc = (name: string): Json => JSON.parse(readFileSync(new URL(name, presetDir), 'utf8'));
/**
 * The presets to draw from, each listed 4 times, the 13 sensing ones (R10, R11 and their λ variants: the
 * same problem, and the costliest to validate, ≈ 0.7 s of CPU each) once.
 */
const PRESET_POOL = PRESETS.flatMap((p) => Array<string>(/^r1[01][-.]/.test(p) ? 1 : 4).fill(p));

/** Presets cheap enough to run (20 iterations) many times. */
const RUNNABLE = ['r3', 'r4', 'r5', 'r6', 'saddle', 'pgd', 'r13', 'r14', 'r16-50', 'r18', 'sweep-dgd-vs-dgd-local', 'lifted'].map((id) => `${id}.json`);

function toJson(v: Json): string {
  if (v instanceof Raw) return v.text;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'null' : Number.isFinite(v) ? String(v) : v > 0 ? '1e999' : '-1e999';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  // own keys, `__proto__` included (an own property here, as JSON.parse makes it)
  return `{${Object.keys(v).map((k) => `${JSON.stringify(k)}:${toJson(v[k])}`).join(',')}}`;
}

const isObject = (v: Json): v is { [key: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Raw);
const isTensor = (v: Json): v is { shape: Json; data: Json } => isObject(v) && Array.isArray(v.shape) && Array.isArray(v.data);

function walk(v: Json, path: Path, out: { path: Path; value: Json }[]): void {
  out.push({ path, value: v });
  if (Array.isArray(v)) {
    // long data arrays: a few entries stand for all (the first, one inside, the last)
    const idx = v.length <= 8 ? v.map((_, i) => i) : [0, Math.floor(v.length / 2), v.length - 1];
    for (const i of idx) walk(v[i], [...path, i], out);
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) walk(v[k], [...path, k], out);
  }
}

function nodes(root: Json): { path: Path; value: Json }[] {
  const out: { path: Path; value: Json }[] = [];
  walk(root, [], out);
  return out;
}

function parentOf(root: Json, path: Path): Json {
  let v = root;
  for (const k of path.slice(0, -1)) v = (v as Record<string | number, Json>)[k];
  return v;
}

/** Set root at path (an own property even for `__proto__`); the root itself is replaced by returning the value. */
function setAt(root: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const parent = parentOf(root, path) as Record<string | number, Json>;
  Object.defineProperty(parent, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
  return root;
}

const RETYPED: Json[] = ['x', '', '12', true, false, null, [], {}, [1, 2], { a: 1 }, [[1], [2, 3]], 1];
const EXTREMES: Json[] = [1e308, -1e308, 5e-324, -5e-324, new Raw('-0'), 0, 1e9, 2 ** 53, 2 ** 53 + 2, 1e-320, 1e300, -1,
  0.5, 1.5, 1e-308, Number.MAX_VALUE, new Raw('1e999'), new Raw('-1e999'), 1e10, 1e8, 65537, 4097];
const UNKNOWN_KEYS = ['frobnicate', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'Shape', 'data '];

interface Mutation { op: string; pick: number; k: number }

/** One mutation, applied in place (or by returning a new root); picks index the candidates modulo their count. */
function mutate(root: Json, { op, pick, k }: Mutation): Json {
  const all = nodes(root);
  const choose = <T>(xs: T[]): T | undefined => (xs.length ? xs[pick % xs.length] : undefined);
  const nonRoot = all.filter((n) => n.path.length > 0);
  switch (op) {
    case 'delete': {
      const c = choose(nonRoot.filter((n) => isObject(parentOf(root, n.path))));
      if (c) delete (parentOf(root, c.path) as Record<string, Json>)[c.path[c.path.length - 1]];
      return root;
    }
    case 'retype': {
      const c = choose(nonRoot);
      return c ? setAt(root, c.path, structuredClone(RETYPED[k % RETYPED.length])) : root;
    }
    case 'extreme': {
      const nums = nonRoot.filter((n) => typeof n.value === 'number');
      const c = choose(nums.length ? nums : nonRoot);
      return c ? setAt(root, c.path, EXTREMES[k % EXTREMES.length]) : root;
    }
    case 'fraction': {
      const c = choose(nonRoot.filter((n) => typeof n.value === 'number' && Number.isInteger(n.value)));
      return c ? setAt(root, c.path, (c.value as number) + [0.5, 1e-9, -0.25][k % 3]) : root;
    }
    case 'shape': {
      const c = choose(all.filter((n) => isTensor(n.value)));
      if (!c) return root;
      const t = c.value as { shape: number[]; data: Json[] };
      const s = t.shape;
      const shapes: Json[] = [[...s, 1], s.slice(1), [...s].reverse(), [s[0] * 2, ...s.slice(1)], [0, ...s.slice(1)], [],
        [-1, ...s.slice(1)], [2.5, ...s.slice(1)], [1e9, 1e9], [s.reduce((a, b) => a * b, 1)], [65536, 65536], [0, 0]];
      t.shape = shapes[k % shapes.length] as number[];
      return root;
    }
    case 'data': {
      const c = choose(all.filter((n) => isTensor(n.value)));
      if (!c) return root;
      const t = c.value as { shape: Json; data: Json[] };
      const d = t.data;
      const datas: Json[] = [d.slice(0, -1), [...d, 0], [], d.slice(0, 3), [...d, ...d], [[1, 2], [3]], d.map(() => [0]),
        [...d.slice(1), 'x'], [...d.slice(1), null], [...d.slice(1), new Raw('1e999')], d.map(() => 5e-324), d.map(() => 1.7e308), d.map(() => 1e-300)];
      t.data = datas[k % datas.length] as Json[];
      return root;
    }
    case 'unknown': {
      const c = choose(all.filter((n) => isObject(n.value)));
      if (!c) return root;
      const key = UNKNOWN_KEYS[k % UNKNOWN_KEYS.length];
      const value: Json = [{ polluted: true }, 1, 'x', null][Math.floor(k / UNKNOWN_KEYS.length) % 4];
      Object.defineProperty(c.value, key, { value, enumerable: true, writable: true, configurable: true });
      return root;
    }
    default:
      throw new Error(`unknown mutation ${op}`);
  }
}

const OPS = ['delete', 'retype', 'extreme', 'fraction', 'shape', 'data', 'unknown'];
const mutationArb = fc.record({ op: fc.constantFrom(...OPS), pick: fc.nat(), k: fc.nat() });

/** How the file is saved: as JSON.stringify would, with a byte-order mark, in UTF-16, or cut short. */
type Encoding = { kind: 'utf8' } | { kind: 'bom' } | { kind: 'utf16le'; bom: boolean } | { kind: 'utf16be'; bom: boolean } | { kind: 'truncate'; at: number } | { kind: 'garbage' };
const encodingArb: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 14, arbitrary: fc.constant({ kind: 'utf8' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('utf16le' as const), bom: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('utf16be' as const), bom: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'garbage' as const }) },
);

function encode(text: string, e: Encoding): Uint8Array {
  const utf16 = (le: boolean, bom: boolean) => {
    const b = Buffer.from(`${bom ? '\ufeff' : ''}${text}`, 'utf16le');
    return le ? b : b.swap16();
  };
  switch (e.kind) {
    case 'utf8': return Buffer.from(text);
    case 'bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'utf16le': return utf16(true, e.bom);
    case 'utf16be': return utf16(false, e.bom);
    case 'truncate': return Buffer.from(text.slice(0, e.at % text.length));
    case 'garbage': return Buffer.from(`${text}\n}\u0000\u2028`);
  }
}

const { dir } = docFolder('lowrank-fuzz-');
let fileNo = 0;
function writeBytes(bytes: Uint8Array): string {
  const f = join(dir, `case${fileNo++}.json`);
  writeFileSync(f, bytes);
  return f;
}

const stats = { cases: 0, byCode: {} as Record<string, number>, byPreset: {} as Record<string, number>, slowestCpuMs: 0, totalMs: 0 };
afterAll(() => {
  console.log(`document fuzz: ${stats.cases} cases in ${(stats.totalMs / 1000).toFixed(1)} s, exit codes ${JSON.stringify(stats.byCode)}, slowest case ${stats.slowestCpuMs.toFixed(0)} ms of CPU`);
});

/** The CLI on one file, with every assertion a case must pass. */
async function check(cmd: 'validate' | 'run', file: string, preset: string, note: string): Promise<{ code: number; stderr: string }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await cli([cmd, file]);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  stats.cases++;
  stats.totalMs += wall;
  stats.slowestCpuMs = Math.max(stats.slowestCpuMs, cpuMs);
  stats.byCode[r.code] = (stats.byCode[r.code] ?? 0) + 1;
  stats.byPreset[preset] = (stats.byPreset[preset] ?? 0) + 1;
  const what = `${cmd} ${preset} (${note}): exit ${r.code}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`;
  expect(cmd === 'run' ? [0, 2, 3] : [0, 2], what).toContain(r.code);
  expect(cpuMs, what).toBeLessThan(CASE_CPU_MS);
  expect(wall, what).toBeLessThan(CASE_WALL_MS);
  expect(r.stderr, what).not.toMatch(/RangeError|TypeError|SyntaxError|ReferenceError|internal error|\n\s+at /);
  if (r.code === 2) {
    expect(r.stdout, what).toBe('');
    // exactly one line, `error: ` and a message of bounded length with no control characters
    expect(r.stderr, what).toMatch(/^error: [^\n]+\n$/);
    const message = r.stderr.slice('error: '.length, -1);
    expect(message.length, what).toBeLessThanOrEqual(600);
    expect(message, what).not.toMatch(/[\p{Cc}\u2028\u2029\ufeff]/u);
    // names a field by its path, or says what is wrong with the whole document or file
    expect(message, what).toMatch(new RegExp(`^([A-Za-z][\\w$]*(\\.[^\\s.:[]+|\\[\\d+\\])*: \\S|Unrecognized keys?: |Invalid input: expected object|${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (is not valid JSON|is empty))`));
  } else {
    if (cmd === 'validate') expect(r.stdout, what).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: valid — `));
    else expect(JSON.parse(r.stdout).format, what).toBe('lowrank-lab/result');
    for (const line of r.stderr.split('\n').filter(Boolean)) expect(line, what).not.toMatch(/^error/);
  }
  return r;
}

describe('every mutated document: exit 0 or 2 with one line naming the field, in bounded time', () => {
  it('covers every preset', () => {
    expect(PRESETS.length).toBeGreaterThan(30);
    for (const id of RUNNABLE) expect(PRESETS).toContain(id);
  });

  it(`validate: ${VALIDATE_RUNS} mutations of the presets`, async () => {
    const caseArb = fc.record({
      preset: fc.constantFrom(...PRESET_POOL),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
      encoding: encodingArb,
    });
    await fc.assert(fc.asyncProperty(caseArb, async ({ preset, mutations, encoding }) => {
      let doc = presetDoc(preset);
      for (const m of mutations) doc = mutate(doc, m);
      const text = toJson(doc);
      const bytes = encode(text, encoding);
      const r = await check('validate', writeBytes(bytes), preset, `${JSON.stringify(mutations)}, ${encoding.kind}`);
      if (encoding.kind === 'bom' || encoding.kind === 'utf16le' || encoding.kind === 'utf16be') {
        // the mark and the encoding are read, not reported: the same text as the plain file
        expect(decodeText(bytes)).toBe(text);
        expect(r.stderr).not.toMatch(/not valid JSON/);
      }
    }), { seed: SEED, numRuns: VALIDATE_RUNS, endOnFailure: true });
    // every preset was drawn
    for (const p of PRESETS) expect(stats.byPreset[p], p).toBeGreaterThan(0);
  }, 1_800_000);

  it(`run: ${RUN_RUNS} mutations of the cheaper presets, at most 20 iterations`, async () => {
    const caseArb = fc.record({
      preset: fc.constantFrom(...RUNNABLE),
      mutations: fc.array(mutationArb, { minLength: 1, maxLength: 2 }),
    });
    await fc.assert(fc.asyncProperty(caseArb, async ({ preset, mutations }) => {
      let doc = presetDoc(preset);
      for (const m of mutations) doc = mutate(doc, m);
      // iterations capped at 20 (a value out of range stays: the schema must refuse it)
      if (isObject(doc) && isObject(doc.algorithm ?? null)) {
        const alg = doc.algorithm as Record<string, Json>;
        if (typeof alg.iterations === 'number' && alg.iterations > 20 && alg.iterations <= 1e9) alg.iterations = 20;
      }
      await check('run', writeBytes(Buffer.from(toJson(doc))), preset, JSON.stringify(mutations));
    }), { seed: SEED + 1, numRuns: RUN_RUNS, endOnFailure: true });
  }, 1_800_000);
});

/** The size fields of every kind, each with values up to (and past) its schema maximum. */
const HUGE: { path: Path; values: number[] }[] = [
  { path: ['problem', 'generate', 'n'], values: [65536, 16384, 65537] },
  { path: ['problem', 'generate', 'm'], values: [1 << 20, 16384, 100_000] },
  { path: ['problem', 'generate', 'measurements'], values: [1e7, 1e6] },
  { path: ['problem', 'generate', 'trueRank'], values: [16384, 65536] },
  { path: ['problem', 'generate', 'd'], values: [65536] },
  { path: ['problem', 'generate', 'rows'], values: [65536] },
  { path: ['problem', 'generate', 'N'], values: [4096] },
  { path: ['problem', 'generate', 'n1'], values: [16384] },
  { path: ['problem', 'generate', 'n2'], values: [16384] },
  { path: ['problem', 'rank'], values: [16384, 65536, 1e6] },
  { path: ['problem', 'sharedRank'], values: [256] },
  { path: ['problem', 'uniqueRank'], values: [256] },
  { path: ['problem', 'video', 'frames'], values: [240] },
  { path: ['problem', 'video', 'height'], values: [2048] },
  { path: ['problem', 'video', 'width'], values: [2048] },
  { path: ['network', 'J'], values: [16384, 4096] },
  { path: ['network', 'rows'], values: [128] },
  { path: ['network', 'cols'], values: [128] },
  { path: ['algorithm', 'iterations'], values: [1e9] },
  { path: ['algorithm', 'recordEvery'], values: [1] },
  { path: ['algorithm', 'curvatureEvery'], values: [1] },
  { path: ['sweep', 'seeds'], values: [64] },
];

describe('huge sizes', () => {
  it(`validate: ${HUGE_RUNS} presets with sizes at their maxima refused or described from the sizes, in bounded time`, async () => {
    const caseArb = fc.record({
      preset: fc.constantFrom(...PRESETS),
      sizes: fc.array(fc.record({ field: fc.nat(HUGE.length - 1), k: fc.nat() }), { minLength: 1, maxLength: 4 }),
    });
    await fc.assert(fc.asyncProperty(caseArb, async ({ preset, sizes }) => {
      const doc = presetDoc(preset) as Record<string, Json>;
      for (const { field, k } of sizes) {
        const { path, values } = HUGE[field];
        // only sizes the preset has (another kind's size is an unknown key, tested above), and the record intervals
        const parent = path.slice(0, -1).reduce<Json>((v, key) => (isObject(v) ? v[key] ?? null : null), doc);
        const key = path[path.length - 1];
        if (isObject(parent) && (key in parent || path[0] === 'algorithm')) parent[key] = values[k % values.length];
      }
      await check('validate', writeBytes(Buffer.from(toJson(doc))), preset, JSON.stringify(sizes.map((s) => [HUGE[s.field].path.join('.'), HUGE[s.field].values[s.k % HUGE[s.field].values.length]])));
    }), { seed: SEED + 2, numRuns: HUGE_RUNS, endOnFailure: true });
  }, 1_800_000);
});
