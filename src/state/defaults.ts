/** The experiment a fresh page starts with: R3's setup, small enough to finish in a second or two. */
import { estimateCost } from '../core/budget';
import { ALGORITHM_LABELS } from '../core/document';
import type { ExperimentInput } from '../core/experiment';
import { KINDS, type ProblemKind, kindOf } from '../core/problems/registry';
import { parseDocument } from './parsed';

export const DEFAULT_EXPERIMENT: ExperimentInput = {
  format: 'lowrank-lab/experiment',
  version: 1,
  // no title: the heading follows the settings (settingsTitle), so it never describes other settings
  // the first kind of the registry, the factorization, at its defaults
  problem: structuredClone(KINDS[0].defaults) as ExperimentInput['problem'],
  network: { topology: 'erdos-renyi', J: 10, p: 0.4, seed: 3, weights: 'metropolis', lazy: true },
  algorithm: { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.5 }, iterations: 6000, recordEvery: 20 },
  init: { seed: 3, scale: 0.1 },
};

/**
 * The document after switching its problem to `to`: the kind's default problem; a kind without a network
 * (HMF) drops the network and the image view and starts from its own run settings, and leaving one brings
 * back the lab's network, algorithm and start; an algorithm the new kind does not run becomes its first.
 */
export function switchKind(doc: ExperimentInput, to: ProblemKind): ExperimentInput {
  const from = kindOf((doc.problem as { kind: string }).kind);
  const next: ExperimentInput = { ...doc, problem: structuredClone(to.defaults) as ExperimentInput['problem'] };
  if (!to.usesNetwork) {
    delete next.network;
    delete next.display;
    if (to.run) Object.assign(next, structuredClone(to.run));
  } else if (from && !from.usesNetwork) {
    Object.assign(next, structuredClone({ network: DEFAULT_EXPERIMENT.network, algorithm: DEFAULT_EXPERIMENT.algorithm, init: DEFAULT_EXPERIMENT.init }));
  }
  if (!to.algorithms.includes(next.algorithm.name)) next.algorithm = { ...next.algorithm, name: to.algorithms[0] };
  return next;
}

/**
 * A heading for a document without a title, from its settings ("classical DGD on 32 nodes: factorization
 * (30×100, rank 3)"); null when the document does not validate.
 */
export function settingsTitle(doc: ExperimentInput): string | null {
  const p = parseDocument(doc);
  if (!p.ok) return null;
  const e = p.exp;
  const s = estimateCost(e).sizes;
  const kind = kindOf(e.problem.kind)!;
  const nodes = e.network && kind.usesNetwork && e.algorithm.name !== 'gd' ? ` on ${s.J} nodes` : '';
  return `${ALGORITHM_LABELS[e.algorithm.name]}${nodes}: ${kind.budget.describe(s)}`;
}
