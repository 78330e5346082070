// Property test of the link parser (issue 13, item 4): every link opens a working lab. Mutations of every
// preset's and gallery link (test/support/hostile-links.ts) with a fixed seed; for each, decodeUrl returns
// in bounded time without throwing, every notice is one line of bounded length that quotes no long run of
// the link, and the state is valid: the experiment and the landscape parse with the app's schemas, the
// comparison runs too, the hidden ids are the lab's, and the state's own link opens it with nothing ignored.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseExperiment } from '../../src/core/experiment';
import { LandscapeParamsSchema } from '../../src/core/toy';
import {
  BACKENDS, HIDE_IDS, MAX_NOTICES, MAX_NOTICE_LENGTH, VIEWS, alsoDocument, alsoProblem, decodeUrl, encodeUrl,
} from '../../src/state/url';
import { PRESET_FILES, hostileLink, loadPreset, seedLinks } from '../support/hostile-links';

const RUNS = 2000;
const SEED = 20_130_613;

describe('every link opens a working lab', () => {
  it(`${RUNS} hostile links: no throw, bounded time, bounded one-line notices, a valid state`, async () => {
    const seeds = await seedLinks();
    expect(seeds.length).toBeGreaterThan(100);
    let cases = 0, slowest = 0;
    const start = performance.now();
    await fc.assert(fc.asyncProperty(hostileLink(seeds), async (link) => {
      cases++;
      const t = performance.now();
      const { state, ignored } = await decodeUrl(`?${link}`, loadPreset);
      const took = performance.now() - t;
      slowest = Math.max(slowest, took);
      expect(took).toBeLessThan(2000);

      expect(ignored.length).toBeLessThanOrEqual(MAX_NOTICES);
      const long = [...new URLSearchParams(link)].flat().filter((s) => s.length > 100);
      for (const line of ignored) {
        expect(typeof line).toBe('string');
        expect(line.length).toBeLessThanOrEqual(MAX_NOTICE_LENGTH);
        expect(line).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
        for (const s of long) expect(line).not.toContain(s.slice(0, 100));
      }

      expect(() => parseExperiment(state.experiment)).not.toThrow();
      expect(LandscapeParamsSchema.safeParse(state.landscape).success).toBe(true);
      expect(BACKENDS).toContain(state.backend);
      expect(VIEWS).toContain(state.view);
      expect(Number.isFinite(state.tolerance) && state.tolerance >= 0).toBe(true);
      expect(Number.isFinite(state.speed) && state.speed >= 0).toBe(true);
      for (const id of state.hide) expect(HIDE_IDS).toContain(id);
      for (const a of state.also) {
        expect(alsoProblem(state.experiment, a)).toBeNull();
        expect(() => parseExperiment(alsoDocument(state.experiment, a))).not.toThrow();
      }
      if (state.preset !== null) expect(Object.hasOwn(PRESET_FILES, state.preset) && state.preset !== 'index').toBe(true);

      // the link the lab then writes opens the same lab, with nothing ignored
      const again = await decodeUrl(`?${encodeUrl(state)}`, loadPreset);
      expect(again.ignored).toEqual([]);
      expect(parseExperiment(again.state.experiment)).toEqual(parseExperiment(state.experiment));
    }), { numRuns: RUNS, seed: SEED });
    const total = performance.now() - start;
    console.log(`url-fuzz: ${cases} links in ${(total / 1000).toFixed(1)} s, slowest ${slowest.toFixed(0)} ms`);
    expect(cases).toBeGreaterThanOrEqual(RUNS);
    expect(total).toBeLessThan(120_000);
  }, 180_000);
});
