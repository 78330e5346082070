// Every shipped preset that states claims is checked as `lowrank-lab check` checks it (the same code path:
// its run and the comparison runs its claims read, or its sweep for claims about the sweep's cells; CPU
// engine, float64): each claim must hold.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, preset } from './helpers';

/** the gallery's pictures: drawn by check --pictures from the same runs, so each shipped one must be what they draw */
const pictures = fileURLToPath(new URL('../../public/presets/pictures/', import.meta.url));
const drawn = mkdtempSync(join(tmpdir(), 'lowrank-pictures-'));

const folder = new URL('../../public/presets/', import.meta.url);
const withClaims = readdirSync(folder)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => f.slice(0, -5))
  .filter((id) => ((preset(id) as { claims?: unknown[] }).claims ?? []).length > 0)
  .sort();

describe('the presets\' claims hold', () => {
  it('the reproductions, the classroom presets and the sweeps state claims', () => {
    expect(withClaims).toEqual(expect.arrayContaining(['r3', 'r4', 'r5', 'r6', 'r10', 'r11', 'r12', 'r13', 'r13-distributed', 'r14', 'r16', 'saddle', 'sparse', 'pgd', 'lifted', 'employment']));
    // a sweep's claims read its cells: check runs the sweep (as `sweep` does) for them
    expect(withClaims).toEqual(expect.arrayContaining(['sweep-completion-rank-rate', 'sweep-dgd-local-step-omega', 'sweep-dgd-vs-dgd-local', 'sweep-hmf-missing-beta', 'sweep-table2-baselines']));
  });

  // the sensing presets run for about half a minute each on these machines
  it.each(withClaims)('%s', async (id) => {
    const file = fileURLToPath(new URL(`${id}.json`, folder));
    const r = await cli(['check', file, '--pictures', drawn]);
    const claims = (preset(id) as { claims: unknown[] }).claims.length;
    expect(r.stdout, `${r.stdout}\n${r.stderr}`).toMatch(new RegExp(` ${claims} of ${claims} claims? hold\\n$`));
    expect(r.stdout).not.toMatch(/^ {2}[✗?○] /m);
    expect(r.code).toBe(0);
    const shipped = join(pictures, `${id}.svg`);
    if (existsSync(shipped)) expect(readFileSync(join(drawn, `${id}.svg`), 'utf8'), `${id}.svg is not what its runs draw: run npm run cli -- check public/presets/${id}.json --pictures public/presets/pictures`).toBe(readFileSync(shipped, 'utf8'));
  }, 300_000);
});

describe('the gallery’s pictures', () => {
  const index = JSON.parse(readFileSync(new URL('../../public/presets/index.json', import.meta.url), 'utf8')) as Record<string, { id: string; picture?: string }[]>;
  const shown = Object.values(index).flat().filter((it) => it.picture).map((it) => it.picture!);
  it('every card’s picture is shipped, and belongs to a preset whose claims are checked (so the test above compares it)', () => {
    expect(shown.length).toBeGreaterThan(20);
    for (const id of shown) {
      expect(existsSync(join(pictures, `${id}.svg`)), id).toBe(true);
      expect(withClaims).toContain(id);
    }
  });
  it('no picture is shipped that no card shows', () => {
    expect(readdirSync(pictures).map((f) => f.replace(/\.svg$/, '')).sort()).toEqual([...new Set(shown)].sort());
  });
});
