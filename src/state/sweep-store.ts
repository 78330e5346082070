/**
 * Finished sweeps kept in this browser (IndexedDB), so a reload or a closed tab loses no sweep: the
 * result of the last few sweeps, each under its experiment document (sweep included). Opening the same
 * document again shows the kept result until the sweep is run again. Without IndexedDB (Node, a private
 * window that refuses it) nothing is kept and nothing fails.
 */
import type { SweepResult } from '../engine/sweep';
import { keptShelf } from './kept';

const DB = 'lowrank-lab';
const STORE = 'sweeps';
/** sweeps kept; the oldest goes first */
export const KEPT_SWEEPS = 8;

export interface KeptSweep {
  key: string;
  savedAt: number;
  result: SweepResult;
}

/** The key of a document: its JSON with the keys sorted (the same experiment, however written). */
export function sweepKey(doc: unknown): string {
  const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(sorted(doc));
}

const shelf = keptShelf<KeptSweep>(DB, STORE, 'key', KEPT_SWEEPS);

/** Keep a finished sweep under its document (replacing an older result of the same one). */
export function keepSweep(doc: unknown, result: SweepResult): Promise<void> {
  return shelf.put({ key: sweepKey(doc), savedAt: Date.now(), result });
}

/** The kept result of this document's sweep, if there is one. */
export function keptSweep(doc: unknown): Promise<KeptSweep | null> {
  return shelf.get(sweepKey(doc));
}
