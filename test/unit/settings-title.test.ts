/** The run heading follows the settings (issue 14: "DGD+LOCAL on a 10-node network" stayed for J = 32 with classical DGD, also in exported JSON). */
import { describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../src/core/experiment';
import { DEFAULT_EXPERIMENT, settingsTitle } from '../../src/state/defaults';

describe('the heading of a document without a title', () => {
  it('the default experiment carries no fixed title, so an export does not either', () => {
    expect(DEFAULT_EXPERIMENT.title).toBeUndefined();
    expect(settingsTitle(DEFAULT_EXPERIMENT)).toBe('DGD+LOCAL on 10 nodes: factorization (30×100, rank 3)');
  });

  it('says what the settings are after an edit: nodes, algorithm, sizes', () => {
    const d = structuredClone(DEFAULT_EXPERIMENT) as ExperimentInput & { network: { J: number } };
    d.network.J = 32;
    d.algorithm.name = 'dgd';
    d.problem = { kind: 'factorization', rank: 2, generate: { seed: 3, n: 40, m: 96 } };
    expect(settingsTitle(d)).toBe('classical DGD on 32 nodes: factorization (40×96, rank 2)');
    d.algorithm.name = 'gd';
    expect(settingsTitle(d)).toBe('centralized GD: factorization (40×96, rank 2)');
  });

  it('is null for a document that does not validate', () => {
    expect(settingsTitle({ ...DEFAULT_EXPERIMENT, algorithm: { ...DEFAULT_EXPERIMENT.algorithm, iterations: -1 } })).toBeNull();
  });
});
