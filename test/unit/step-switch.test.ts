/** Switching the step size from the rule to a fixed μ keeps the μ the rule gives (issue 14: it was reset to 10⁻⁴). */
import { describe, expect, it } from 'vitest';
import { buildInstance } from '../../src/core/build';
import { parseExperiment } from '../../src/core/experiment';
import { ruleStepsize } from '../../src/state/actions';
import type { RunRecord } from '../../src/state/store';
import { preset } from './helpers';

describe('rule → fixed step', () => {
  it('starts the fixed μ at the rule’s μ, so the run it builds is the same', () => {
    const rule = preset('r3');
    const mu = ruleStepsize(rule, [])!;
    expect(mu).toBeGreaterThan(1e-4); // R3's rule gives 2.6·10⁻⁴, not the old reset value
    const fixed = { ...rule, algorithm: { ...rule.algorithm, stepsize: mu } };
    const a = buildInstance(parseExperiment(rule)), b = buildInstance(parseExperiment(fixed));
    expect(b.stepsize).toBe(a.stepsize);
  });

  it('takes the μ the latest run of this very document resolved, and ignores runs of other documents', () => {
    const rule = preset('r3');
    const other = { ...rule, init: { ...rule.init, seed: 99 } };
    const run = (experiment: object, stepsize: number) => ({ experiment, stepsize } as unknown as RunRecord);
    expect(ruleStepsize(rule, [run(rule, 0.000123), run(other, 0.5)])).toBe(0.000123);
    expect(ruleStepsize(other, [run(rule, 0.000123)])).toBe(buildInstance(parseExperiment(other)).stepsize);
  });

  it('is null for a document that does not build (the control then falls back)', () => {
    const bad = { ...preset('r3'), problem: { kind: 'factorization', rank: 50, generate: { seed: 1, n: 4, m: 5 } } };
    expect(ruleStepsize(bad as never, [])).toBeNull();
  });
});
