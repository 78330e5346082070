// Every shipped preset that states claims is checked as `lowrank-lab check` checks it (the same code path:
// its run and the comparison runs its claims read, CPU engine, float64): each claim must hold.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cli, preset } from './helpers';

const folder = new URL('../../public/presets/', import.meta.url);
const withClaims = readdirSync(folder)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => f.slice(0, -5))
  .filter((id) => ((preset(id) as { claims?: unknown[] }).claims ?? []).length > 0)
  .sort();

describe('the presets\' claims hold', () => {
  it('the reproductions and the classroom presets state claims', () => {
    expect(withClaims).toEqual(expect.arrayContaining(['r3', 'r4', 'r5', 'r6', 'r10', 'r11', 'r12', 'r13', 'r13-distributed', 'r14', 'r16', 'saddle', 'sparse', 'pgd', 'lifted', 'employment']));
  });

  // the sensing presets run for about half a minute each on these machines
  it.each(withClaims)('%s', async (id) => {
    const file = fileURLToPath(new URL(`${id}.json`, folder));
    const r = await cli(['check', file]);
    const claims = (preset(id) as { claims: unknown[] }).claims.length;
    expect(r.stdout, `${r.stdout}\n${r.stderr}`).toMatch(new RegExp(` ${claims} of ${claims} claims? hold\\n$`));
    expect(r.stdout).not.toMatch(/^ {2}[✗?○] /m);
    expect(r.code).toBe(0);
  }, 300_000);
});
