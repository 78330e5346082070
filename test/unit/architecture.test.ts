/**
 * The import graph of src/ keeps the shape of ARCHITECTURE.md: no import cycles (type-only imports
 * included), and each folder imports only the folders below it. Lint checks the same direction on
 * import paths; this test resolves every relative import to the file it names.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../src/core/problems/registry';

const SRC = resolve(__dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** file → the files of src/ it imports (relative imports of .ts/.tsx modules; `?raw` assets left out) */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.') || fileName.includes('?')) continue;
      const base = resolve(dirname(file), fileName);
      const hit = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
      if (hit && /\.tsx?$/.test(hit)) deps.push(hit);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan), or a file that imports itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [], onStack = new Set<string>(), idx = new Map<string, number>(), low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.map((f) => relative(SRC, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

/** ARCHITECTURE.md's folder table: what each top-level folder of src/ may import (besides itself). */
const MAY_IMPORT: Record<string, string[]> = {
  core: [],
  gpu: ['core'],
  engine: ['core', 'gpu'],
  state: ['core', 'engine'],
  ui: ['state', 'core'],
  cli: ['core', 'gpu', 'engine'],
};

describe('architecture', () => {
  const graph = importGraph();

  it('reads the whole source tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    const edges = [...graph.values()].reduce((a, d) => a + d.length, 0);
    expect(edges).toBeGreaterThan(300);
  });

  it('has no import cycles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself)', () => {
    const a = join(SRC, 'a.ts'), b = join(SRC, 'b.ts'), c = join(SRC, 'c.ts');
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, []]]))).toEqual([]);
  });

  it('imports only downwards: core ← gpu ← engine ← state ← ui, and cli beside state', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      const from = relative(SRC, file).split('/')[0];
      const allowed = MAY_IMPORT[from];
      if (!allowed) continue; // main.tsx, vite-env.d.ts: the entry points
      for (const dep of deps) {
        const to = relative(SRC, dep).split('/')[0];
        if (to !== from && !allowed.includes(to)) wrong.push(`${relative(SRC, file)} → ${relative(SRC, dep)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

/**
 * Files outside a problem kind's own home that name a kind ('sensing', 'hmf', …): the registry is meant to
 * make this small (issue: at most 5). Homes: src/core/problems, src/gpu/families, src/ui/problems, and
 * files named after a kind or its family (hmf-build.ts, measured.ts, FactorFields.tsx, …).
 */
function filesNamingKinds(): string[] {
  const names = KINDS.map((k) => k.kind);
  const families = ['factor', 'measured', 'hmf', 'symmetric', 'sensing', 'completion', 'rpca', 'least-squares'];
  const quoted = new RegExp(`['"](${names.map((n) => n.replace(/[-]/g, '\\-')).join('|')})['"]`);
  return sources(SRC).filter((file) => {
    const rel = relative(SRC, file);
    if (/^(core\/problems|gpu\/families|ui\/problems)\//.test(rel)) return false;
    const base = rel.split('/').pop()!.toLowerCase();
    if (families.some((f) => base.includes(f))) return false;
    return quoted.test(readFileSync(file, 'utf8'));
  }).map((f) => relative(SRC, f)).sort();
}

describe('one home per problem kind', () => {
  it('at most 5 files outside the kinds’ homes name a kind (a ratchet: it may only fall)', () => {
    const naming = filesNamingKinds();
    expect(naming.length, naming.join('\n')).toBeLessThanOrEqual(5);
  });

  it('the count sees a file that names a kind (the check itself)', () => {
    expect(filesNamingKinds()).toContain('core/slice.ts');
  });
});
