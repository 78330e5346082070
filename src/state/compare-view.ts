/**
 * The Compare methods table of the run view (src/core/compare-table.ts) from the runs on screen: the last
 * Run's own run and the comparison runs it started (its document's `compare` list, and a link's `also`
 * runs), each as far as it has come — a comparison run still in the queue is a row that waits. Null when
 * that Run started no comparison run, or before any Run.
 */
import { type CompareRunInput, type CompareTable, compareTable, traceOfRows } from '../core/compare-table';
import { compareDocument } from '../core/compare';
import { type CompareRun, MAIN_RUN } from '../core/document';
import type { ExperimentInput } from '../core/experiment';
import { parseDocument } from './parsed';
import type { RunRecord } from './store';

export interface CompareView {
  table: CompareTable;
  /** per row, the run's colour on the charts (null: not started) */
  colors: (string | null)[];
}

const kindOf = (doc: ExperimentInput) => (doc.problem as { kind: string }).kind;

export function compareView(experiment: ExperimentInput, runs: readonly RunRecord[]): CompareView | null {
  const batch = Math.max(-1, ...runs.map((r) => r.batch ?? -1));
  const records = runs.filter((r) => r.batch === batch && batch >= 0);
  if (!records.length) return null;
  const main = records.find((r) => r.claimRun === MAIN_RUN);
  // the document the Run ran (once its own run has started), else the experiment as it stands
  const doc = main?.experiment ?? experiment;
  // the comparison runs not started yet, in the document's order (one the settings no longer allow is not queued)
  const started = new Set(records.map((r) => r.claimRun));
  const waiting = (doc.compare ?? []).flatMap((entry) => {
    const run = entry as CompareRun;
    if (started.has(run.name)) return [];
    const patched = compareDocument(doc, run);
    return parseDocument(patched).ok ? [{ name: run.name, doc: patched }] : [];
  });
  const others = records.filter((r) => r !== main);
  if (!others.length && !waiting.length) return null;
  const row = (r: RunRecord): CompareRunInput => ({
    name: r.claimRun ?? r.label, kind: kindOf(r.experiment), algorithm: r.experiment.algorithm.name, trace: traceOfRows(r.rows), stop: r.stop,
  });
  const inputs: CompareRunInput[] = [
    main ? row(main) : { name: MAIN_RUN, kind: kindOf(doc), algorithm: doc.algorithm.name, trace: { iteration: [] }, stop: null },
    ...others.map(row),
    ...waiting.map((w) => ({ name: w.name, kind: kindOf(w.doc), algorithm: w.doc.algorithm.name, trace: { iteration: [] }, stop: null })),
  ];
  return { table: compareTable(inputs), colors: [main?.color ?? null, ...others.map((r) => r.color), ...waiting.map(() => null)] };
}
