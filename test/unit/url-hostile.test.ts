// Hostile links (issue 13, 3j): repeated keys, unknown hide ids, comparison runs that do not fit the
// problem, and values or links too long to read. Each opens a working lab with a bounded notice.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parseExperiment } from '../../src/core/experiment';
import {
  DEFAULT_LINK, HIDE_IDS, MAX_LINK_LENGTH, MAX_LIST_ENTRIES, MAX_NOTICES, MAX_NOTICE_LENGTH, alsoDocument, decodeUrl, quote,
} from '../../src/state/url';
import { preset } from './helpers';

const ids = readdirSync(new URL('../../public/presets/', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
// as the page's loader: any file under presets/ is fetched (index.json too, which is not an experiment)
const presets = async (id: string) => (ids.includes(id) ? preset(id) : null);

/** Every notice one line, of bounded length, without a long run of the given value. */
function bounded(ignored: string[], value?: string) {
  expect(ignored.length).toBeLessThanOrEqual(MAX_NOTICES);
  for (const line of ignored) {
    expect(line.length).toBeLessThanOrEqual(MAX_NOTICE_LENGTH);
    expect(line).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
    if (value) expect(line).not.toContain(value.slice(0, 100));
  }
}

describe('a key given twice', () => {
  it('the first value is used, and a notice names the key', async () => {
    const { state, ignored } = await decodeUrl('?preset=r17&preset=index', presets);
    expect(state.preset).toBe('r17');
    expect(ignored).toEqual(['preset: given 2 times; the first value (preset=r17) was used, the other ignored']);
    const k = await decodeUrl('?K=500&mu=c0.5&K=20&K=7', presets);
    expect(k.state.experiment.algorithm.iterations).toBe(500);
    expect(k.ignored).toEqual(['K: given 3 times; the first value (K=500) was used, the others ignored']);
  });
});

describe('hide=', () => {
  it('unknown ids are dropped with a notice listing them; known ids are kept', async () => {
    const { state, ignored } = await decodeUrl('?hide=constructor,network,__proto__,tab-sweep', presets);
    expect(state.hide).toEqual(['network', 'tab-sweep']);
    expect(ignored).toEqual(['hide=constructor,network,__proto__,tab-sweep: ignored 2 ids that are not a control or panel of this lab: constructor, __proto__']);
    const one = await decodeUrl('?hide=intro,netwrok', presets);
    expect(one.state.hide).toEqual(['intro']);
    expect(one.ignored).toEqual(['hide=intro,netwrok: ignored an id that is not a control or panel of this lab: netwrok']);
  });

  it('the list names at most 5 ids, each quoted short', async () => {
    const bad = Array.from({ length: 9 }, (_, i) => `x${i}${'y'.repeat(i === 0 ? 200 : 0)}`);
    const { state, ignored } = await decodeUrl(`?hide=${bad.join(',')},n`, presets);
    expect(state.hide).toEqual(['n']);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatch(/ignored 9 ids that are not a control or panel of this lab: x0y{28}… \(202 characters\), x1, x2, x3, x4, …$/);
    bounded(ignored, bad[0]);
  });

  it('every control id and panel the UI hides is a known id, and every known id hides something', () => {
    const dir = new URL('../../src/ui/', import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tsx'));
    const ui = files.map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
    const used = new Set([
      ...[...ui.matchAll(/<Control\s[^>]*?\bid="([^"]+)"/g)].map((m) => m[1]),
      ...[...ui.matchAll(/hide\.includes\('([^']+)'\)/g)].map((m) => m[1]),
      ...[...readFileSync(new URL('App.tsx', dir), 'utf8').matchAll(/\{ id: '([a-z]+)', label:/g)].map((m) => `tab-${m[1]}`),
    ]);
    expect(used.size).toBeGreaterThan(60);
    expect([...used].filter((id) => !HIDE_IDS.includes(id))).toEqual([]);
    expect(HIDE_IDS.filter((id) => !used.has(id))).toEqual([]);
  });
});

describe('also=', () => {
  it('a comparison run the problem does not allow is dropped at load, with why; the others stay', async () => {
    const { state, ignored } = await decodeUrl('?preset=r11-lambda-1e-12&also=dgd,gd', presets);
    expect(state.preset).toBe('r11-lambda-1e-12');
    expect(state.also).toEqual(['gd']);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatch(/^also=dgd,gd: "dgd": algorithm\.name: classical DGD runs factorization, least squares, symmetric sensing, symmetric completion and symmetric robust PCA/);
    for (const a of state.also) expect(() => parseExperiment(alsoDocument(state.experiment, a))).not.toThrow();
  });

  it('entries are checked against the experiment the whole link opens (a later key changes the problem)', async () => {
    const { state, ignored } = await decodeUrl('?also=dgd,lam=0.5&kind=sensing', presets);
    expect((state.experiment.problem as { kind: string }).kind).toBe('sensing');
    expect(state.also).toEqual(['lam=0.5']);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatch(/^also=dgd,lam=0\.5: "dgd": algorithm\.name: classical DGD/);
  });

  it('one bad entry no longer drops the whole list', async () => {
    const { state, ignored } = await decodeUrl('?preset=r3&also=dgd,adam,topo=ring,mu=1=2', presets);
    expect(state.also).toEqual(['dgd', 'topo=ring']);
    expect(ignored).toHaveLength(2);
    expect(ignored[0]).toBe('also=dgd,adam,topo=ring,mu=1=2: "adam" is not an algorithm (dgd-local, dgd, gd) nor key=value');
    expect(ignored[1]).toMatch(/^also=dgd,adam,topo=ring,mu=1=2: "mu=1=2": is neither a number/);
  });
});

describe('caps: long links, long lists, long values', () => {
  const sx = (n: number) => `network.p:${Array.from({ length: n }, (_, i) => ((i + 1) / (n + 1)).toFixed(6)).join(',')}`;

  it(`a link over ${MAX_LINK_LENGTH} characters is not read; the notice says how long it was, not what it held`, async () => {
    const value = sx(10_000);
    expect(value.length).toBeGreaterThan(90_000);
    const t = performance.now();
    const { state, ignored } = await decodeUrl(`?preset=r3&sx=${value}`, presets);
    expect(performance.now() - t).toBeLessThan(100);
    expect(state).toEqual(DEFAULT_LINK);
    const length = String(value.length + 13).replace(/(\d)(\d{3})$/, '$1 $2');
    expect(ignored).toEqual([`the link is ${length} characters long, more than the 8 192 a link may have; none of it was used`]);
    bounded(ignored, value);
  });

  it(`a list of more than ${MAX_LIST_ENTRIES} entries is refused before it is parsed; ${MAX_LIST_ENTRIES} are read`, async () => {
    const long = sx(MAX_LIST_ENTRIES + 1);
    expect(long.length).toBe(2322);
    const over = await decodeUrl(`?preset=r3&K=40&sx=${long}`, presets);
    expect(over.ignored).toEqual([`sx=${long.slice(0, 60)}… (2 322 characters): has 257 entries, more than the 256 a list in a link may have`]);
    expect(over.state.experiment.sweep).toBeUndefined();
    expect(over.state.experiment.algorithm.iterations).toBe(40);
    const at = await decodeUrl(`?preset=r3&sx=${sx(MAX_LIST_ENTRIES)}`, presets);
    expect(at.ignored).toEqual([]);
    expect(at.state.experiment.sweep?.x.values).toHaveLength(MAX_LIST_ENTRIES);
    const hide = await decodeUrl(`?hide=${Array(300).fill('n').join(',')}`, presets);
    expect(hide.state.hide).toEqual([]);
    expect(hide.ignored[0]).toMatch(/^hide=n,n,n,.*: has 300 entries/);
  });

  it('a long bad value is quoted short in its notice (at most 60 characters, then its length)', async () => {
    const value = `network.p:${'7'.repeat(5000)}x`;
    const { ignored } = await decodeUrl(`?K=40&sx=${value}`, presets);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]).toMatch(/^sx=network\.p:7{50}… \(5 011 characters\): "7{60}… \(5 001 characters\)" is neither a list of numbers/);
    bounded(ignored, value);
  });

  it('a value cannot break its notice line or reorder it', async () => {
    const { ignored } = await decodeUrl('?K=1%0A2&mu=%E2%80%AEc0.5%E2%80%A8', presets);
    expect([...ignored].sort()).toEqual([
      'K=1\\u000a2: is not an integer',
      'mu=\\u202ec0.5\\u2028: is neither a number nor c<number> (the practical rule)',
    ]);
    bounded(ignored);
  });

  it(`at most ${MAX_NOTICES} notices; unknown keys past the fifth are counted, not listed`, async () => {
    const keys = Array.from({ length: 400 }, (_, i) => `k${i}=1`).join('&');
    const { ignored } = await decodeUrl(`?${keys}&K=x&${Array.from({ length: 30 }, (_, i) => `&${['n', 'm', 'r', 'J', 'p', 'w', 'mu'][i % 7]}=${i}`).join('')}`, presets);
    bounded(ignored);
    expect(ignored).toContain('and 395 more keys that are not parameters of this lab');
    expect(ignored).toContain('K=x: is not an integer');
    expect(ignored).toContain('n: given 5 times; the first value (n=0) was used, the others ignored');
    expect(ignored).toContain('and 2 more keys given more than once; the first value of each was used');
  });

  it('quote: short values as they are, long ones cut with their length, unsafe characters escaped', () => {
    expect(quote('r3')).toBe('r3');
    expect(quote('a'.repeat(60))).toBe('a'.repeat(60));
    expect(quote('a'.repeat(61))).toBe(`${'a'.repeat(60)}… (61 characters)`);
    expect(quote('é'.repeat(12_345))).toBe(`${'é'.repeat(60)}… (12 345 characters)`);
    expect(quote('a\nb')).toBe('a\\u000ab');
    expect(quote('😀'.repeat(40))).toBe(`${'😀'.repeat(30)}… (80 characters)`);
  });
});
