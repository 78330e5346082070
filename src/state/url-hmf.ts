/**
 * The HMF part of the link (SPEC §7): its parameters (ranks, planted-model sizes, the video demo, β and
 * the correction switch) and what `kind=hmf` does to the rest of the document. Kept beside url.ts's table
 * and appended to it, with getters that never create fields, so encoding a link never edits the state.
 */
import type { ExperimentInput } from '../core/experiment';
import { DEFAULT_EXPERIMENT } from './defaults';

interface S { experiment: ExperimentInput }
type Kind = 'int' | 'num' | 'bool';
interface HmfParam { key: string; kind: Kind; only: readonly 'hmf'[]; get(s: S): unknown; set(s: S, v: unknown): void }

/** The planted Fig. 1 model at n₁ = 60 (preset r15), what `kind=hmf` switches to. */
export const DEFAULT_HMF: Pick<ExperimentInput, 'problem' | 'algorithm' | 'init'> = {
  problem: { kind: 'hmf', sharedRank: 3, uniqueRank: 3, generate: { seed: 1, N: 100, n1: 60, n2: 100 } },
  algorithm: { name: 'hmf', stepsize: 0.2, iterations: 500, recordEvery: 5, beta: 0.1 },
  init: { seed: 1, scale: 0.01 },
};

/** Keys of the factorization / network table that an HMF link does not carry. */
export const HMF_SKIPPED = new Set(['seed', 'J', 'topo', 'p', 'tau', 'gr', 'gc', 'nseed', 'w', 'lazy', 'part']);

const obj = (s: S, k: 'generate' | 'video', create: boolean) => {
  const p = s.experiment.problem as Record<string, unknown>;
  if (create) p[k] ??= {};
  return (p[k] ?? {}) as Record<string, unknown>;
};
const sub = (k: 'generate' | 'video', name: string) => ({
  get: (s: S) => obj(s, k, false)[name],
  set: (s: S, v: unknown) => {
    obj(s, k, true)[name] = v;
  },
});
const top = (where: 'problem' | 'algorithm', name: string) => ({
  get: (s: S) => (s.experiment[where] as Record<string, unknown>)[name],
  set: (s: S, v: unknown) => {
    (s.experiment[where] as Record<string, unknown>)[name] = v;
  },
});

const H = ['hmf'] as const;

export const HMF_PARAMS: HmfParam[] = [
  { key: 'r1', kind: 'int', only: H, ...top('problem', 'sharedRank') },
  { key: 'r2', kind: 'int', only: H, ...top('problem', 'uniqueRank') },
  { key: 'hN', kind: 'int', only: H, ...sub('generate', 'N') },
  { key: 'hn1', kind: 'int', only: H, ...sub('generate', 'n1') },
  { key: 'hn2', kind: 'int', only: H, ...sub('generate', 'n2') },
  { key: 'hnoise', kind: 'num', only: H, ...sub('generate', 'noise') },
  { key: 'hmiss', kind: 'num', only: H, ...sub('generate', 'missing') },
  { key: 'hseed', kind: 'int', only: H, ...sub('generate', 'seed') },
  { key: 'vframes', kind: 'int', only: H, ...sub('video', 'frames') },
  { key: 'vblobs', kind: 'int', only: H, ...sub('video', 'blobs') },
  { key: 'vmiss', kind: 'num', only: H, ...sub('video', 'missing') },
  { key: 'vseed', kind: 'int', only: H, ...sub('video', 'seed') },
  { key: 'beta', kind: 'num', only: H, ...top('algorithm', 'beta') },
  { key: 'hcorr', kind: 'bool', only: H, ...top('algorithm', 'correction') },
];

/** The document with the HMF defaults in place of its problem, algorithm and start, and no network. */
export function toHmf(doc: ExperimentInput): ExperimentInput {
  const { network: _drop, display: _display, ...rest } = doc;
  void _drop;
  void _display;
  return { ...rest, ...structuredClone(DEFAULT_HMF) };
}

/** Back from HMF: the lab's default network, algorithm and start (the caller sets the problem). */
export function leaveHmf(doc: ExperimentInput): ExperimentInput {
  return { ...doc, network: structuredClone(DEFAULT_EXPERIMENT.network), algorithm: structuredClone(DEFAULT_EXPERIMENT.algorithm), init: structuredClone(DEFAULT_EXPERIMENT.init) };
}

/** `kind=` to or from "hmf": true when it switched to HMF (nothing else to do). */
export function switchHmf(s: S, kind: string): boolean {
  const from = (s.experiment.problem as { kind: string }).kind;
  if (kind === 'hmf') {
    s.experiment = toHmf(s.experiment);
    return true;
  }
  if (from === 'hmf') s.experiment = leaveHmf(s.experiment);
  return false;
}
