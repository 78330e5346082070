/**
 * Finished sweeps kept in this browser (IndexedDB), so a reload or a closed tab loses no sweep: the
 * result of the last few sweeps, each under its experiment document (sweep included). Opening the same
 * document again shows the kept result until the sweep is run again. Without IndexedDB (Node, a private
 * window that refuses it) nothing is kept and nothing fails.
 */
import type { SweepResult } from '../engine/sweep';

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

function open(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === 'undefined') return Promise.resolve(null);
  return new Promise((resolve) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' }).createIndex('savedAt', 'savedAt');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
  });
}

const done = (tx: IDBTransaction) => new Promise<void>((resolve, reject) => {
  tx.oncomplete = () => resolve();
  tx.onerror = () => reject(tx.error);
  tx.onabort = () => reject(tx.error);
});

/** Keep a finished sweep under its document (replacing an older result of the same one). */
export async function keepSweep(doc: unknown, result: SweepResult): Promise<void> {
  const db = await open();
  if (!db) return;
  try {
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    store.put({ key: sweepKey(doc), savedAt: Date.now(), result } satisfies KeptSweep);
    // newest first, by keys only (the results stay on disk): past the first KEPT_SWEEPS, delete
    let seen = 0;
    const cursor = store.index('savedAt').openKeyCursor(null, 'prev');
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (!c) return;
      if (++seen > KEPT_SWEEPS) store.delete(c.primaryKey);
      c.continue();
    };
    await done(tx);
  } catch {
    // storage full or refused: the sweep is still on the page
  } finally {
    db.close();
  }
}

/** The kept result of this document's sweep, if there is one. */
export async function keptSweep(doc: unknown): Promise<KeptSweep | null> {
  const db = await open();
  if (!db) return null;
  try {
    const req = db.transaction(STORE).objectStore(STORE).get(sweepKey(doc));
    return await new Promise((resolve) => {
      req.onsuccess = () => resolve((req.result as KeptSweep | undefined) ?? null);
      req.onerror = () => resolve(null);
    });
  } finally {
    db.close();
  }
}
