/**
 * The HMF part of the link (SPEC §7): its parameters (ranks, planted-model sizes, the video demo, β and
 * the correction switch) and what `kind=hmf` does to the rest of the document. Kept beside url.ts's table
 * and appended to it, with getters that never create fields, so encoding a link never edits the state.
 */
import type { ExperimentInput } from '../core/experiment';
import { DEFAULT_EXPERIMENT } from './defaults';

interface S { experiment: ExperimentInput }
type Kind = 'int' | 'num' | 'bool';
interface HmfParam { key: string; kind: Kind; only: 'hmf'; get(s: S): unknown; set(s: S, v: unknown): void }

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

export const HMF_PARAMS: HmfParam[] = [
  { key: 'r1', kind: 'int', only: 'hmf', ...top('problem', 'sharedRank') },
  { key: 'r2', kind: 'int', only: 'hmf', ...top('problem', 'uniqueRank') },
  { key: 'hN', kind: 'int', only: 'hmf', ...sub('generate', 'N') },
  { key: 'hn1', kind: 'int', only: 'hmf', ...sub('generate', 'n1') },
  { key: 'hn2', kind: 'int', only: 'hmf', ...sub('generate', 'n2') },
  { key: 'hnoise', kind: 'num', only: 'hmf', ...sub('generate', 'noise') },
  { key: 'hmiss', kind: 'num', only: 'hmf', ...sub('generate', 'missing') },
  { key: 'hseed', kind: 'int', only: 'hmf', ...sub('generate', 'seed') },
  { key: 'vframes', kind: 'int', only: 'hmf', ...sub('video', 'frames') },
  { key: 'vblobs', kind: 'int', only: 'hmf', ...sub('video', 'blobs') },
  { key: 'vmiss', kind: 'num', only: 'hmf', ...sub('video', 'missing') },
  { key: 'vseed', kind: 'int', only: 'hmf', ...sub('video', 'seed') },
  { key: 'beta', kind: 'num', only: 'hmf', ...top('algorithm', 'beta') },
  { key: 'corr', kind: 'bool', only: 'hmf', ...top('algorithm', 'correction') },
];

/** `kind=` to or from "hmf": swap in the HMF defaults (no network), or back to the lab's defaults. */
export function switchHmf(s: S, kind: string): boolean {
  const from = (s.experiment.problem as { kind: string }).kind;
  if (kind === 'hmf') {
    const { network: _drop, ...rest } = s.experiment;
    void _drop;
    s.experiment = { ...rest, ...structuredClone(DEFAULT_HMF) };
    return true;
  }
  if (from === 'hmf') {
    s.experiment = { ...s.experiment, network: structuredClone(DEFAULT_EXPERIMENT.network), algorithm: structuredClone(DEFAULT_EXPERIMENT.algorithm), init: structuredClone(DEFAULT_EXPERIMENT.init) };
  }
  return false;
}
