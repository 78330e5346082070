// Validate once, at the edge: the store keeps the parse of its document beside it, and what reads the
// document afterwards (Run's check, the heading, the claims, the step rule, the budget) uses that parse
// instead of parsing again.
import { describe, expect, it, vi } from 'vitest';
import * as experiment from '../../src/core/experiment';
import { factorizationDoc } from './helpers';

const calls = vi.hoisted(() => ({ docs: [] as unknown[] }));
vi.mock('../../src/core/experiment', async (importOriginal) => {
  const orig = await importOriginal<typeof experiment>();
  return { ...orig, parseExperiment: (input: unknown) => (calls.docs.push(input), orig.parseExperiment(input)) };
});

const { labStore } = await import('../../src/state/store');
const { overBudget, ruleStepsize } = await import('../../src/state/actions');
const { settingsTitle } = await import('../../src/state/defaults');
const { claimsView } = await import('../../src/state/claims');
const { parseDocument } = await import('../../src/state/parsed');

describe('the store keeps the parse beside the document', () => {
  it('a new document is parsed in the same update; an invalid one keeps its error', () => {
    const doc = factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 50 });
    labStore.setState({ experiment: doc });
    const p = labStore.getState().parsed;
    expect(p.ok).toBe(true);
    if (p.ok) expect([p.exp.problem.kind, p.exp.algorithm.iterations]).toEqual(['factorization', 50]);
    const bad = { ...doc, algorithm: { ...doc.algorithm, iterations: -3 } };
    labStore.setState((s) => ({ ...s, experiment: bad }));
    const q = labStore.getState().parsed;
    expect(q.ok).toBe(false);
    if (!q.ok) expect(q.error.message).toMatch(/iterations/);
    // an update that leaves the document alone keeps its parse
    labStore.setState({ speed: 5 });
    expect(labStore.getState().parsed).toBe(q);
  });

  it('a document is parsed once, however many readers use it', () => {
    const doc = { ...factorizationDoc({ n: 6, m: 8, rank: 2, J: 4, iterations: 50 }), claims: [{ text: 'completes', outcome: 'completed' }] } as experiment.ExperimentInput;
    calls.docs.length = 0;
    labStore.setState({ experiment: doc });
    expect(settingsTitle(doc)).toMatch(/DGD\+LOCAL on 4 nodes/);
    expect(claimsView(doc, [])!.results).toHaveLength(1);
    expect(ruleStepsize(doc, [])).toBeGreaterThan(0);
    expect(overBudget(doc)).toBeNull();
    expect(parseDocument(doc)).toBe(labStore.getState().parsed);
    expect(calls.docs.filter((d) => d === doc)).toHaveLength(1);
  });
});
