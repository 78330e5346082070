/**
 * Experiments holding data a link cannot carry (an uploaded CSV, image or video, an imported JSON with
 * data), kept in this browser (IndexedDB) so a reload or a restored tab loses none of them: the address bar
 * then reads `?upload=<id>&view=…`, where the id names the document here. Another browser has no such id —
 * the link says so in its notice (the exported experiment JSON is what travels). The last KEPT_UPLOADS
 * documents are kept. Without IndexedDB (Node, a private window that refuses it) nothing is kept and
 * nothing fails.
 */
import type { ExperimentInput } from '../core/experiment';
import { keptShelf } from './kept';
import { sweepKey } from './sweep-store';

const DB = 'lowrank-lab-uploads';
const STORE = 'documents';
/** documents kept; the oldest goes first */
export const KEPT_UPLOADS = 8;

export interface KeptUpload {
  id: string;
  savedAt: number;
  name: string;
  experiment: ExperimentInput;
}

/** FNV-1a (64-bit, as two 32-bit halves) of the document's sorted JSON: the same experiment, the same id. */
const ids = new WeakMap<object, string>();
export function uploadId(doc: ExperimentInput): string {
  let id = ids.get(doc);
  if (id) return id;
  const text = sweepKey(doc);
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  id = h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
  ids.set(doc, id);
  return id;
}

const shelf = keptShelf<KeptUpload>(DB, STORE, 'id', KEPT_UPLOADS);

/** Keep a document under its id (a newer save of the same one moves it to the front). */
export function keepUpload(doc: ExperimentInput, name: string): Promise<void> {
  return shelf.put({ id: uploadId(doc), savedAt: Date.now(), name, experiment: doc });
}

/** The document kept under `id` in this browser, if there is one. */
export function keptUpload(id: string): Promise<KeptUpload | null> {
  return shelf.get(id);
}
