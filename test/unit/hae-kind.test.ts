// HAE as an algorithm of the hmf kind (algorithm.name "hae", src/core/hae-build.ts): the documents it refuses
// and why, a run on the CPU engine through the session (the loss falls, the group orthogonality holds, the
// rows carry the RMSEs), and its test RMSE on ratings against predictions formed here from its own networks.
import { describe, expect, it } from 'vitest';
import { buildInstance } from '../../src/core/build';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { haeSourcePass, nodeParams } from '../../src/core/hae';
import { haeOf } from '../../src/core/hae-build';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';

const ratings = { synthetic: { seed: 2, users: 30, movies: 40, genres: 4, density: 0.4 }, clusters: 3, testFraction: 0.2, seed: 5 };

const doc = (problem: Record<string, unknown> = {}, algorithm: Record<string, unknown> = {}): ExperimentInput => ({
  format: 'lowrank-lab/experiment', version: 1,
  problem: { kind: 'hmf', sharedRank: 4, uniqueRank: 4, ratings, ...problem },
  algorithm: { name: 'hae', stepsize: 0.003, iterations: 60, recordEvery: 20, hae: { hidden: [8], groups: 1 }, ...algorithm },
  init: { seed: 1 },
} as ExperimentInput);

const refusal = (d: ExperimentInput) => {
  try {
    parseExperiment(d);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('the documents HAE refuses', () => {
  it.each([
    ['uniqueRank ≠ sharedRank', doc({ uniqueRank: 3 }), /problem\.uniqueRank: is 3 but HAE's decoder reads the sum .* give uniqueRank = 4/],
    ['k that does not divide r', doc({}, { hae: { groups: 3 } }), /algorithm\.hae\.groups: is 3, which does not divide the embedding length r = sharedRank = 4/],
    ['k² ≥ r (the shared vectors span every slice)', doc({}, { hae: { groups: 2 } }), /algorithm\.hae\.groups: is 2 with r = 4: .* leave no unique embedding/],
    ['the step rule', doc({}, { stepsize: { rule: 'practical', c: 0.5 } }), /algorithm\.stepsize: HAE takes AdamW's learning rate η as a number/],
    ['β, an option of Algorithm 1', doc({}, { beta: 0.1 }), /algorithm\.beta: is an option of HMF's Algorithm 1 .* HAE \(Algorithm 2\) does not use it/],
    ['an unknown HAE option', doc({}, { hae: { lr: 0.1 } }), /unknown HAE option "lr"; the options are hidden, activation, groups/],
    ['an activation it does not have', doc({}, { hae: { activation: 'tanh' } }), /activation must be "relu" or "none"/],
    ['β₂ = 1', doc({}, { hae: { beta2: 1 } }), /beta2 must be in \[0, 1\)/],
    ['HAE options on Algorithm 1', { ...doc(), algorithm: { name: 'hmf', stepsize: 0.01, iterations: 10, hae: { groups: 1 } } } as ExperimentInput, /algorithm\.hae: is the settings of HAE \(Algorithm 2\); algorithm "hmf" does not read them/],
  ])('%s', (_, d, message) => {
    expect(refusal(d)).toMatch(message);
  });

  it('a document within the rules is accepted (the refusals are not of everything)', () => {
    expect(refusal(doc({}, { hae: { hidden: [8, 6], activation: 'none', groups: 1, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0 } }))).toBe('accepted');
    expect(refusal(doc({ sharedRank: 9, uniqueRank: 9 }, { hae: { groups: 2 } }))).toMatch(/does not divide/);
    expect(refusal(doc({ sharedRank: 8, uniqueRank: 8 }, { hae: { groups: 2 } }))).toBe('accepted');
  });
});

describe('HAE runs on the CPU engine', () => {
  it('the loss falls, the group orthogonality holds at every record, and the rows carry train, test and baseline RMSEs', async () => {
    const inst = buildInstance(parseExperiment(doc({}, { iterations: 200, recordEvery: 50, stepsize: 0.01 })));
    const out = await runSession(new CpuEngine(), inst);
    expect(out.stop.reason).toBe('completed');
    const t = out.trace;
    expect(t.objective[t.objective.length - 1]).toBeLessThan(0.5 * t.objective[0]);
    for (const v of t.feasibility!) expect(v).toBeLessThan(1e-12);
    expect(t.trainRmse!.length).toBe(t.objective.length);
    expect(t.testRmse!.length).toBe(t.objective.length);
    // the baseline does not depend on the iterate
    expect(new Set(t.baselineRmse).size).toBe(1);
  });

  it('its test RMSE is that of its own predictions on the held-out ratings', async () => {
    const inst = buildInstance(parseExperiment(doc()));
    const out = await runSession(new CpuEngine(), inst);
    const { problem, layout } = haeOf(inst)!;
    let s = 0, c = 0;
    problem.sources.forEach((src, i) => {
      const f = haeSourcePass(problem, layout, i, nodeParams(layout, out.final, i), null);
      src.test!.index.forEach((q, t) => {
        s += (f.out[q] - src.test!.value[t]) ** 2;
        c++;
      });
    });
    expect(c).toBeGreaterThan(50);
    const test = out.trace.testRmse!;
    expect(test[test.length - 1]).toBeCloseTo(Math.sqrt(s / c), 12);
  });

  it('the same document gives the same bits twice (the start is drawn from init.seed)', async () => {
    const a = await runSession(new CpuEngine(), buildInstance(parseExperiment(doc())));
    const b = await runSession(new CpuEngine(), buildInstance(parseExperiment(doc())));
    expect(Array.from(b.final.X)).toEqual(Array.from(a.final.X));
    const c = await runSession(new CpuEngine(), buildInstance(parseExperiment({ ...doc(), init: { seed: 2 } } as ExperimentInput)));
    expect(Array.from(c.final.X)).not.toEqual(Array.from(a.final.X));
  });
});
