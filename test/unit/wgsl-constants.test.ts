/**
 * Every constant that WGSL and TS share, read from the shaders and compared with the TS values the engines
 * use, and the uniform structs the families pack by name (src/gpu/uniforms.ts) read from their shaders.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CB, F, OUT_WORDS, SLOT_WORDS, TB, TC } from '../../src/gpu/layout';
import { KB, MEXT_WORDS, NONE, X } from '../../src/gpu/families/measured';
import { packUniform, wgslStruct } from '../../src/gpu/uniforms';

const shader = (name: string) => readFileSync(new URL(`../../shaders/${name}.wgsl`, import.meta.url), 'utf8');

/** `const NAME: u32 = 123u;` (decimal or hex) → { NAME: 123 } */
function wgslConstants(source: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of source.matchAll(/^const\s+(\w+)\s*:\s*u32\s*=\s*(0x[0-9a-fA-F]+|\d+)u\s*;/gm)) out[m[1]] = Number(m[2]);
  return out;
}

describe('constants WGSL and TS share', () => {
  it('shaders/common.wgsl: tile sizes, slot words and every slot field', () => {
    const c = wgslConstants(shader('common'));
    expect(Object.keys(c).length).toBeGreaterThanOrEqual(15);
    expect({ TB: c.TB, TC: c.TC, CB: c.CB, SLOT_WORDS: c.SLOT_WORDS, OUT_WORDS: c.OUT_WORDS }).toEqual({ TB, TC, CB, SLOT_WORDS, OUT_WORDS });
    const wgslFields = Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith('F_')).map(([k, v]) => [k.slice(2), v]));
    expect(wgslFields).toEqual(F);
    expect(Math.max(...Object.values(F))).toBeLessThan(SLOT_WORDS);
  });

  it('shaders/measured_*.wgsl: the extension words, every field, NONE and KB', () => {
    const c = wgslConstants(shader('measured_common'));
    expect(c.MEXT_WORDS).toBe(MEXT_WORDS);
    expect(c.NONE).toBe(NONE);
    const wgslFields = Object.fromEntries(Object.entries(c).filter(([k]) => k.startsWith('X_')).map(([k, v]) => [k.slice(2), v]));
    expect(wgslFields).toEqual(X);
    expect(Math.max(...Object.values(X))).toBeLessThan(MEXT_WORDS);
    expect(wgslConstants(shader('measured_residual')).KB).toBe(KB);
  });

  it('the reader sees a constant that differs (the check itself)', () => {
    expect(wgslConstants('const TB: u32 = 16u;\nconst NONE: u32 = 0xffu;')).toEqual({ TB: 16, NONE: 255 });
  });
});

describe('uniform structs packed by name', () => {
  it('reads the HMF and symmetric Params structs: 4-byte scalars in order', () => {
    const hmf = wgslStruct(shader('hmf'), 'Params');
    expect(hmf.map((f) => f.name).slice(0, 7)).toEqual(['N', 'n1', 'n2max', 'maskOff', 'eta', 'beta', 'invN']);
    expect(hmf).toHaveLength(16);
    const sym = wgslStruct(shader('symmetric'), 'Params');
    expect(sym.find((f) => f.name === 'mu')?.type).toBe('f32');
    expect(sym).toHaveLength(12);
  });

  it('packs each value at its field, f32 as float bits, and refuses a missing, unknown or non-u32 value', () => {
    const fields = wgslStruct('struct P {\n  a: u32, // a comment\n  b: f32,\n  _pad: u32,\n}', 'P');
    const u = packUniform(fields, { a: 7, b: 0.5 });
    expect(u).toHaveLength(4);
    expect(u[0]).toBe(7);
    expect(new Float32Array(u.buffer)[1]).toBe(0.5);
    expect(() => packUniform(fields, { a: 7 })).toThrow('no value for field "b"');
    expect(() => packUniform(fields, { a: 7, b: 1, c: 2 })).toThrow('the struct has no field "c"');
    expect(() => packUniform(fields, { a: -1, b: 1 })).toThrow('field "a" is u32 but got -1');
    expect(() => wgslStruct('struct P { a: vec4<f32>, }', 'P')).toThrow(/not a 4-byte scalar field/);
  });
});
