/**
 * The lab's one store (zustand, usable without React): the experiment being edited, the run controls,
 * the runs on screen, and what the link said. Components read it through narrow selectors; actions are
 * plain functions (src/state/actions.ts) that the worker bridge and the keyboard handler call too.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { MetricsRow } from '../core/metrics';
import type { Stop } from '../core/result';
import type { TheoryReport } from '../core/theory';
import type { ExperimentInput } from '../core/experiment';
import type { RunExtras } from '../engine/protocol';
import type { Verdict } from '../core/curvature';
import type { SweepProgress, SweepResult } from '../engine/sweep';
import { DEFAULT_LINK, type LinkState, alsoEntry } from './url';
import { type Parsed, hold } from './parsed';

export interface RunRecord {
  id: number;
  label: string;
  color: string;
  /** the document that ran */
  experiment: ExperimentInput;
  rows: MetricsRow[];
  stop: Stop | null;
  engine: 'cpu' | 'webgpu' | null;
  reason: string;
  stepsize: number | null;
  omega: number | null;
  theory: TheoryReport | null;
  W: number[][] | null;
  /** ‖Y‖² (factorization), for relative values */
  scale: number;
  extras: RunExtras | null;
  /** kept on the charts when the next run starts */
  pinned: boolean;
  /** the end-of-run verdict (algorithm.curvatureEvery): minimum / strict saddle / not converged */
  verdict?: Verdict;
  /** which Run started it (runs started by one press of Run share it; src/state/claims.ts reads the last) */
  batch?: number;
  /** the name the document's claims give it: "main", or a comparison run's name (not set for a link's `also` runs) */
  claimRun?: string;
}

export type RunStatus = 'idle' | 'loading' | 'running' | 'paused' | 'stopped' | 'error';

/** The sweep view's run (src/state/sweep-actions.ts). */
export interface SweepRun {
  id: number;
  status: 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'error';
  engine: 'cpu' | 'webgpu' | null;
  reason: string;
  progress: SweepProgress | null;
  result: SweepResult | null;
  error: string | null;
  /** the result was kept in this browser at this time (ms) and shown again, not computed now */
  kept: number | null;
  /** sweepKey of the document the result is for (to tell when the settings have changed since) */
  docKey: string | null;
}

export interface LabState extends LinkState {
  /** `experiment` parsed: the typed experiment, or what is wrong with it (kept in step below) */
  parsed: Parsed;
  /** what the link asked for that could not be used */
  notice: string[];
  /** data the user uploaded (not carried by links) */
  upload: { name: string } | null;
  /** the document of `preset` as published, to say what the experiment changes against it */
  presetDoc: ExperimentInput | null;
  runs: RunRecord[];
  activeId: number | null;
  status: RunStatus;
  error: string | null;
  sweepRun: SweepRun;
  /** the sweep's document (with its preset and link state) a cell was opened from: the Sweep tab's way back */
  sweepOrigin: { experiment: ExperimentInput; preset: string | null; presetDoc: ExperimentInput | null; cellTitle: string } | null;
}

const initial = structuredClone(DEFAULT_LINK);

export const labStore = createStore<LabState>(() => ({
  ...initial,
  parsed: hold(initial.experiment),
  notice: [],
  upload: null,
  presetDoc: null,
  runs: [],
  activeId: null,
  status: 'idle',
  error: null,
  sweepRun: { id: 0, status: 'idle', engine: null, reason: '', progress: null, result: null, error: null, kept: null, docKey: null },
  sweepOrigin: null,
}));

/**
 * `parsed` follows `experiment`: every update that replaces the document freezes and parses the new one
 * (once: the parse of a frozen document is remembered, src/state/parsed.ts) in the same update, so no
 * reader sees a document beside another document's parse.
 */
const setRaw = labStore.setState;
labStore.setState = ((partial: Partial<LabState> | ((s: LabState) => Partial<LabState>), replace?: boolean) => setRaw((s) => {
  const p = typeof partial === 'function' ? partial(s) : partial;
  return p.experiment && p.experiment !== s.experiment ? { ...p, parsed: hold(p.experiment) } : p;
}, replace as false)) as typeof setRaw;

export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(labStore, selector);
}

export const activeRun = (s: LabState): RunRecord | null => s.runs.find((r) => r.id === s.activeId) ?? null;

/** The `also` entry of each run kept for comparison (not the document's own comparison runs), against `experiment`: null when a link cannot say it, '' when it is the experiment itself. */
const entries = new WeakMap<object, { base: ExperimentInput; entry: string | null }>();
export function keptEntries(s: Pick<LabState, 'runs' | 'experiment'>): (string | null)[] {
  return s.runs.filter((r) => r.pinned && !r.claimRun).map((r) => {
    let e = entries.get(r.experiment);
    if (!e || e.base !== s.experiment) entries.set(r.experiment, (e = { base: s.experiment, entry: alsoEntry(s.experiment, r.experiment) }));
    return e.entry;
  });
}

/** The part of the state a link carries: the runs kept for comparison join the link's `also` runs. */
export function linkState(s: LabState): LinkState {
  const { experiment, preset, backend, kernels, tolerance, speed, view, hide, landscape } = s;
  const kept = keptEntries(s).filter((e): e is string => !!e);
  const also = kept.length ? [...new Set([...s.also, ...kept])] : s.also;
  return { experiment, preset, backend, kernels, tolerance, speed, view, hide, also, landscape };
}
