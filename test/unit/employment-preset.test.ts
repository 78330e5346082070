import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  LEAF_SERIES, OUTPUT, buildEmploymentPreset, employmentFigures, presetJson, readVegaSource,
} from '../../scripts/make-employment-preset';
import { parseCsvMatrix } from '../../src/core/data';
import { parseExperiment } from '../../src/core/experiment';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { instance, preset } from './helpers';

const src = readVegaSource();

describe('employment preset (real data from vega-datasets)', () => {
  it('is exactly what scripts/make-employment-preset.ts builds from node_modules/vega-datasets', () => {
    // If this fails after a vega-datasets update or a script change: npx tsx scripts/make-employment-preset.ts
    expect(readFileSync(OUTPUT, 'utf8')).toBe(presetJson(buildEmploymentPreset(src)));
  });

  it('validates, names its source and licence, and builds', () => {
    const doc = parseExperiment(preset('employment'));
    expect(doc.source).toMatch(/vega-datasets 3\.\d+\.\d+/);
    expect(doc.source).toMatch(/U\.S\. Bureau of Labor Statistics/);
    expect(doc.licence).toMatch(/U\.S\. Government Dataset/);
    expect(doc.licence).toMatch(/BSD-3-Clause/);
    const inst = instance(preset('employment'));
    expect(inst.problem.kind === 'factorization' && [inst.problem.n, inst.problem.m, inst.problem.r]).toEqual([15, 120, 3]);
  });

  it('uses the leaf series, which add up to total nonfarm employment', () => {
    const t = parseCsvMatrix(src.csv);
    const col = (name: string) => t.colLabels!.indexOf(name);
    for (let month = 0; month < t.Y.rows; month++) {
      const row = (c: number) => t.Y.data[month * t.Y.cols + c];
      const sum = LEAF_SERIES.reduce((a, s) => a + row(col(s)), 0);
      expect(Math.abs(sum - row(col('nonfarm')))).toBeLessThan(1); // thousands of jobs; some leaves have one decimal
    }
  });

  it('is centred per row, scaled to unit RMS, and quotes its singular-value figures correctly', () => {
    const doc = parseExperiment(preset('employment'));
    if (doc.problem.kind !== 'factorization' || !doc.problem.Y) throw new Error('expected an explicit Y');
    const [n, m] = doc.problem.Y.shape;
    const Y = doc.problem.Y.data;
    for (let i = 0; i < n; i++) expect(Math.abs(Y.slice(i * m, (i + 1) * m).reduce((a, b) => a + b, 0) / m)).toBeLessThan(1e-6);
    expect(Y.reduce((a, v) => a + v * v, 0) / (n * m)).toBeCloseTo(1, 6);
    const f = employmentFigures(Y, n, m, doc.problem.partition!);
    expect(f.energyTopR).toBeGreaterThan(0.99);
    expect(doc.description).toContain(`${(100 * f.energyTopR).toFixed(1)} % of ‖Y‖²`);
    expect(doc.description).toContain(`= ${f.minF.toFixed(2)})`);
    expect(doc.description).toContain(`= ${f.infG.toFixed(2)}.`);
  });

  it('on the CPU does what the description says: close to the best rank-3 fit, then below it without consensus (SPEC C-h)', async () => {
    const inst = instance(preset('employment'));
    if (inst.problem.kind !== 'factorization') throw new Error('expected a factorization');
    const norm2Y = inst.problem.Y.data.reduce((a, v) => a + v * v, 0);
    const { infG } = employmentFigures(Array.from(inst.problem.Y.data), 15, 120, inst.problem.partition);
    const { trace, stop } = await runSession(new CpuEngine(), inst);
    expect(stop.reason).toBe('completed');
    const at = (it: number) => trace.iteration.indexOf(it);
    const k2000 = at(2000), last = trace.iteration.length - 1;
    // within 0.1 % of ‖Y‖² of min f after 2 000 iterations
    expect(Math.abs(trace.optimalityGap[k2000])).toBeLessThan(1e-3 * norm2Y);
    // then below min f (a negative gap), above inf g, with a consensus error that does not vanish
    expect(trace.optimalityGap[last]).toBeLessThan(trace.optimalityGap[k2000]);
    expect(trace.optimalityGap[last]).toBeLessThan(0);
    expect(trace.objective[last]).toBeGreaterThan(infG);
    for (const k of [k2000, last]) {
      expect(trace.consensusError[k]).toBeGreaterThan(1e-3);
      expect(trace.consensusError[k]).toBeLessThan(1e-1);
    }
    // ‖U‖ shrinks and ‖V‖ grows: the factors drift out of balance
    expect(trace.imbalance[last]).toBeGreaterThan(trace.imbalance[k2000]);
  });
});
