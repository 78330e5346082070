/**
 * Hostile links for the link parser's property tests (test/unit/url-fuzz.test.ts) and the page test
 * (test/e2e/hostile-links.test.ts): every preset's and gallery link, mutated — keys deleted, given twice,
 * retyped, added — with extreme numbers, empty values, unicode, percent-encoding garbage, very long values
 * and lists, unknown keys, prototype names and markup.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import type { ExperimentInput } from '../../src/core/experiment';
import { SWEEP_PARAMS } from '../../src/core/sweep-schema';
import { HIDE_IDS, PARAMS, decodeUrl, encodeUrl } from '../../src/state/url';

const dir = new URL('../../public/presets/', import.meta.url);
/** Every file under public/presets by id (index.json too: the page's loader fetches any id). */
export const PRESET_FILES: Record<string, unknown> = Object.fromEntries(
  readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f.slice(0, -5), JSON.parse(readFileSync(new URL(f, dir), 'utf8'))]),
);
export const PRESET_IDS = Object.keys(PRESET_FILES).filter((id) => id !== 'index');
/** The page's preset loader, from the files. */
export const loadPreset = async (id: string): Promise<ExperimentInput | null> =>
  (Object.hasOwn(PRESET_FILES, id) ? structuredClone(PRESET_FILES[id]) as ExperimentInput : null);

/** The links every preset is reached by: `?preset=id`, the link the lab writes for it (with and without its id), and the gallery's. */
export async function seedLinks(): Promise<string[]> {
  const links = new Set<string>(['', 'v=1']);
  for (const id of PRESET_IDS) {
    links.add(`preset=${id}`);
    const { state } = await decodeUrl(`?preset=${id}`, loadPreset);
    links.add(encodeUrl(state));
    links.add(encodeUrl({ ...state, preset: null }));
  }
  type Item = { link: string; variants?: { link: string }[] };
  for (const item of Object.values(PRESET_FILES.index as Record<string, Item[]>).flat()) {
    for (const l of [item.link, ...(item.variants ?? []).map((v) => v.link)]) links.add(l.replace(/^\?/, ''));
  }
  return [...links];
}

export const KEYS = ['v', 'preset', ...PARAMS.map((p) => p.key)];
const enumValues = PARAMS.flatMap((p) => (typeof p.kind === 'object' ? [...p.kind.enum] : []));

export const PROTO = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', '__proto__=1', 'constructor=dgd', 'prototype=x'];
/** Markup that would run if a value reached the page as HTML; it sets window.__pwned. */
export const INJECTIONS = [
  '<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', '"><svg onload=window.__pwned=1>',
  'javascript:window.__pwned=1', '</li><iframe src="javascript:window.__pwned=1">', '{{constructor.constructor("window.__pwned=1")()}}',
];
export const EXTREMES = [
  '1e308', '-1e308', '1e309', '-1e309', '-0', '0', 'NaN', '-NaN', 'Infinity', '-Infinity', '1e-320', '5e-324', '-5e-324',
  '9007199254740993', '-9007199254740993', '18446744073709551616', `1${'0'.repeat(400)}`, '0x1F', '0b11', '1_000', '1e', 'e5',
  '.', '-', '+1', ' 1 ', '1.0', '00007', '2e-7', 'c1e308', 'cNaN', 'c-0', 'c', 'c1e-320', '1,2', '1;2', '1:2',
];
const TOKENS = [
  ...enumValues, 'origin', 'none', '1,2', '1,3,4', 'c0.5', 'c2', '0.5', '1', '0', '2', '1:-0.999', '0.8:-0.8;1.2:-0.2', '6,6,6',
  ...SWEEP_PARAMS.map((p) => `${p.path}:1,2`), 'network.p:0.1,0.5,1', 'algorithm.name:dgd,gd', 'algorithm.stepsize:1e-5..1e-2:8:log',
  'network.p:0.1..1:4096', 'network.p:1..2:4097:log', 'algorithm.stepsize:0..1:8:log', 'dgd', 'gd', 'hmf', 'topo=complete', 'lam=0.1', 'kick=0',
  'sdelta=0.001', 'K=1e9', 'r=500', 'tab-run', 'tab-landscape', 'tab-sweep', 'tab-gallery', 'intro,settings,network', 'network,theory',
  ...PRESET_IDS, 'index', 'nope', '../index', 'r3/../r4', 'R3',
];
/** Left raw in the query (not encoded): what the parser's own percent-decoding must survive. */
export const PERCENT = [
  '%', '%%', '%zz', '%E0%A4%A', '%C0%AF', '%FF%FE', '%00', '%0A%0D', '%u0041', '%25', '%2', '%F0%9F%98', '%ED%A0%80', '%E2%80%AE',
  '%E2%80%A8', '+', '%2B', '&', '=', '==', '%26', '%3D', ';', '\ud800', '\udfff', '\u202e', '\n', '\t', '\u0000',
];

const numberText = fc.oneof(
  fc.double().map(String), fc.integer().map(String), fc.bigInt().map(String),
  fc.double({ noNaN: true }).map((x) => x.toExponential()), fc.integer({ min: -3, max: 600 }).map(String),
);
const longValue = fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 100, max: 9000 }))
  .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));
const manyEntries = fc.tuple(fc.integer({ min: 200, max: 400 }), fc.constantFrom('1', '0.5', 'n', 'dgd', '1:1'), fc.constantFrom(',', ';'))
  .map(([n, x, sep]) => Array(n).fill(x).join(sep));

/** A `hide=` or `also=` list: control ids, algorithms, key=value overrides and junk. */
const entry = fc.oneof(
  fc.constantFrom(...HIDE_IDS, 'dgd', 'gd', 'dgd-local', 'hmf', ...PROTO),
  fc.tuple(fc.constantFrom(...KEYS, ...PROTO), fc.oneof(fc.constantFrom(...TOKENS, ...EXTREMES), numberText)).map(([k, v]) => `${k}=${v}`),
  fc.string({ unit: 'binary', maxLength: 10 }),
);
const entryList = fc.array(entry, { minLength: 1, maxLength: 8 }).map((xs) => xs.join(','));

/** A value: a plausible one, or garbage of some kind. */
export const value: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...TOKENS), weight: 6 },
  { arbitrary: entryList, weight: 3 },
  { arbitrary: fc.constantFrom(...EXTREMES), weight: 5 },
  { arbitrary: numberText, weight: 4 },
  { arbitrary: fc.array(fc.oneof(numberText, fc.constantFrom(...EXTREMES, ...TOKENS)), { maxLength: 12 }).map((xs) => xs.join(',')), weight: 3 },
  { arbitrary: fc.constant(''), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.constantFrom(...PERCENT), weight: 2 },
  { arbitrary: fc.constantFrom(...PROTO), weight: 2 },
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 2 },
  { arbitrary: longValue, weight: 1 },
  { arbitrary: manyEntries, weight: 1 },
);

/** A key: mostly the lab's own, else unknown, empty, unicode, a prototype name or long. */
export const key: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...KEYS), weight: 12 },
  { arbitrary: fc.constantFrom(...PROTO, '', 'V', 'PRESET', 'k', 'also[]', 'hide.0', ' n', 'n ', 'kind%00'), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
  { arbitrary: longValue, weight: 1 },
);

type Pair = [string, string];
type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number; value: string | null }
  | { op: 'retype'; at: number; value: string }
  | { op: 'add'; key: string; value: string }
  | { op: 'swap'; at: number; to: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), value: fc.option(value) }),
  { arbitrary: fc.record({ op: fc.constant('retype' as const), at: fc.nat(), value }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('add' as const), key, value }), weight: 3 },
  fc.record({ op: fc.constant('add' as const), key: fc.constantFrom('hide', 'also'), value: entryList }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
);

function mutate(pairs: Pair[], ms: Mutation[]): Pair[] {
  const out = pairs.map((p) => [...p] as Pair);
  for (const m of ms) {
    if (m.op === 'add') {
      out.push([m.key, m.value]);
      continue;
    }
    if (!out.length) continue;
    const i = m.at % out.length;
    if (m.op === 'delete') out.splice(i, 1);
    else if (m.op === 'duplicate') out.splice(i + 1, 0, [out[i][0], m.value ?? out[i][1]]);
    else if (m.op === 'retype') out[i][1] = m.value;
    else [out[i], out[m.to % out.length]] = [out[m.to % out.length], out[i]];
  }
  return out;
}

/** Written as the address bar holds it (encoded), or raw, so percent garbage reaches the parser as is. */
function write(pairs: Pair[], raw: boolean): string {
  if (!raw) return new URLSearchParams(pairs).toString();
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** A hostile link (a query string without "?") made from one of `seeds`. */
export function hostileLink(seeds: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean())
    .map(([seed, ms, raw]) => write(mutate([...new URLSearchParams(seed)], ms), raw));
}
