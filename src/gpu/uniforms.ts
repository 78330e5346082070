/**
 * Uniform structs described once, by the WGSL that declares them: the TS side reads the field names and
 * scalar types of `struct <name> { … }` from the shader source and packs values by name, so the two cannot
 * drift apart (a missing, unknown or misspelt field throws). Only structs of 4-byte scalars (u32, i32,
 * f32) — what the lab's parameter blocks are — are accepted.
 */

export interface UniformField {
  name: string;
  type: 'u32' | 'i32' | 'f32';
}

/** The fields of `struct <name>` in `source`, in order. */
export function wgslStruct(source: string, name: string): UniformField[] {
  const m = new RegExp(`struct\\s+${name}\\s*\\{([^}]*)\\}`).exec(source.replace(/\/\/[^\n]*/g, ''));
  if (!m) throw new RangeError(`no struct ${name} in the shader`);
  return m[1].split(',').map((s) => s.trim()).filter(Boolean).map((decl) => {
    const f = /^(\w+)\s*:\s*(\w+)$/.exec(decl);
    if (!f || !['u32', 'i32', 'f32'].includes(f[2])) throw new RangeError(`struct ${name}: "${decl}" is not a 4-byte scalar field`);
    return { name: f[1], type: f[2] as UniformField['type'] };
  });
}

/**
 * The bytes of a struct of these fields with these values (fields named `_…` are padding, written 0).
 * Every other field needs a value and every value a field.
 */
export function packUniform(fields: readonly UniformField[], values: Readonly<Record<string, number>>): Uint32Array {
  const u = new Uint32Array(4 * Math.ceil(fields.length / 4));
  const f = new Float32Array(u.buffer), i = new Int32Array(u.buffer);
  const known = new Set(fields.map((x) => x.name));
  for (const k of Object.keys(values)) if (!known.has(k)) throw new RangeError(`the struct has no field "${k}"`);
  fields.forEach((x, k) => {
    if (x.name.startsWith('_')) return;
    const v = values[x.name];
    if (v === undefined) throw new RangeError(`no value for field "${x.name}"`);
    if (x.type === 'f32') f[k] = v;
    else if (x.type === 'i32') i[k] = v;
    else {
      if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) throw new RangeError(`field "${x.name}" is u32 but got ${v}`);
      u[k] = v;
    }
  });
  return u;
}
