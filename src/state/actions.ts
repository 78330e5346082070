/**
 * Actions on the lab store, and the bridge to the engine worker. Plain functions: React components,
 * the keyboard handler and the URL sync call the same ones.
 */
import type { ExperimentInput } from '../core/experiment';
import type { DocumentError } from '../core/experiment';
import { experimentOf, parseDocument } from './parsed';
import { buildInstance } from '../core/build';
import { PAGE_BUDGET, checkBudget, estimateCost, refusal } from '../core/budget';
import { ALGORITHM_LABELS, type AlgorithmName } from '../core/document';
import type { FromWorker, ToWorker } from '../engine/protocol';
import type { PlaneKind } from '../core/slice';
import { type LabState, type RunRecord, activeRun, labStore, linkState } from './store';
import { DEFAULT_LINK, UPLOAD_PARAM, VIEWS, alsoDocument, alsoProblem, decodeUrl, encodeUrl, linkCarries, valid } from './url';
import { keepUpload, keptUpload, uploadId } from './upload-store';
import { compareDocument } from '../core/compare';
import { type CompareRun, MAIN_RUN } from '../core/document';

const COLORS = ['#1f6fd1', '#d1491f', '#2b9348', '#7b4fc9', '#b8860b', '#c2185b', '#00838f', '#5d4037'];

let worker: Worker | null = null;
let nextId = 1;
/** runs still to start: the link's `also` runs and the document's comparison runs, then the main document */
interface Queued { doc: ExperimentInput; pinned: boolean; tag?: string; label?: string; claimRun?: string; batch: number }
let queue: Queued[] = [];
let nextBatch = 1;
const resultWaiters = new Map<number, (json: string) => void>();
const sliceWaiters = new Map<number, (m: FromWorker & { type: 'slice' }) => void>();

/** A landscape slice through the active run's current iterate (its path projected on the plane). */
export function requestSlice(req: { plane: PlaneKind; range: number; res: number; seed: number }): Promise<FromWorker & { type: 'slice' }> | null {
  const id = get().activeId;
  if (id === null || !get().runs.find((r) => r.id === id)?.engine) return null;
  return new Promise((resolve) => {
    sliceWaiters.set(id, resolve);
    send({ type: 'slice', runId: id, ...req });
  });
}

/** The active run's result document (JSON), as the CLI writes it. */
export function requestResult(): Promise<string> | null {
  const id = get().activeId;
  if (id === null || !get().runs.find((r) => r.id === id)?.engine) return null;
  return new Promise((resolve) => {
    resultWaiters.set(id, resolve);
    send({ type: 'result', runId: id });
  });
}

const set = (patch: Partial<LabState> | ((s: LabState) => Partial<LabState>)) => labStore.setState(patch);
const get = () => labStore.getState();

function send(msg: ToWorker): void {
  if (!worker) {
    worker = new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<FromWorker>) => onWorker(ev.data);
    worker.onerror = (ev) => set({ status: 'error', error: `The engine worker failed: ${ev.message}` });
  }
  worker.postMessage(msg);
}

function updateRun(id: number, patch: Partial<RunRecord> | ((r: RunRecord) => Partial<RunRecord>)): void {
  set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...(typeof patch === 'function' ? patch(r) : patch) } : r)) }));
}

/** Rows reach the store at most 4 times a second (the charts need no more), and before any other message. */
let pendingRows: { runId: number; rows: FromWorker & { type: 'rows' } extends { rows: infer R } ? R : never; extras: RunRecord['extras'] } | null = null;
let rowTimer: ReturnType<typeof setTimeout> | null = null;

function flushRows(): void {
  if (rowTimer) clearTimeout(rowTimer);
  rowTimer = null;
  const p = pendingRows;
  pendingRows = null;
  if (p) updateRun(p.runId, (r) => ({ rows: p.rows.length ? [...r.rows, ...p.rows] : r.rows, extras: p.extras ?? r.extras }));
}

function bufferRows(runId: number, rows: (FromWorker & { type: 'rows' })['rows'], extras: RunRecord['extras'] | undefined): void {
  if (pendingRows && pendingRows.runId !== runId) flushRows();
  pendingRows ??= { runId, rows: [], extras: null };
  pendingRows.rows.push(...rows);
  if (extras) pendingRows.extras = extras;
  rowTimer ??= setTimeout(flushRows, 250);
}

function onWorker(m: FromWorker): void {
  if (m.type !== 'rows') flushRows();
  const run = get().runs.find((r) => r.id === m.runId);
  if (!run) return;
  const active = m.runId === get().activeId;
  switch (m.type) {
    case 'started':
      updateRun(m.runId, { engine: m.engine, reason: m.reason, stepsize: m.stepsize, omega: m.omega, theory: m.theory, W: m.W, scale: m.scale,
        label: `${run.label}, μ = ${m.stepsize.toPrecision(3)}` });
      break;
    case 'rows':
      bufferRows(m.runId, m.rows, m.extras);
      break;
    case 'engine-detail':
      updateRun(m.runId, (r) => ({ reason: `${r.reason} ${m.detail}` }));
      break;
    case 'rewind':
      updateRun(m.runId, (r) => ({ rows: r.rows.filter((row) => row.iteration <= m.iteration), reason: `${r.reason} The GPU device was lost (${m.reason}); resumed from iteration ${m.iteration}.` }));
      break;
    case 'paused':
      if (active) set({ status: 'paused' });
      break;
    case 'stopped':
      updateRun(m.runId, { stop: m.stop, ...(m.verdict ? { verdict: m.verdict } : {}) });
      if (active) {
        set({ status: 'stopped' });
        const next = queue.shift();
        if (next) startRun(next, true);
      }
      break;
    case 'result':
      resultWaiters.get(m.runId)?.(m.json);
      resultWaiters.delete(m.runId);
      break;
    case 'slice':
      sliceWaiters.get(m.runId)?.(m);
      sliceWaiters.delete(m.runId);
      break;
    case 'error':
      queue = [];
      if (active) set({ status: 'error', error: m.message });
      break;
  }
}

/** Start a run of `doc` in the worker (replacing the previous run unless it is pinned). */
function startRun({ doc, pinned, tag, label, claimRun, batch }: Queued, autoplay: boolean): void {
  const id = nextId++;
  const s = get();
  const kept = s.runs.filter((r) => r.pinned);
  const algorithm = ALGORITHM_LABELS[doc.algorithm.name as AlgorithmName] ?? doc.algorithm.name;
  const record: RunRecord = {
    id, label: label ? `${algorithm} (${label})` : `${algorithm}${tag && !tag.startsWith(doc.algorithm.name) && tag.includes('=') ? ` (${tag})` : ''}`, color: COLORS[(kept.length) % COLORS.length], experiment: doc,
    rows: [], stop: null, engine: null, reason: '', stepsize: null, omega: null, theory: null, W: null, scale: 1, extras: null, pinned,
    batch, ...(claimRun ? { claimRun } : {}),
  };
  if (s.activeId !== null) send({ type: 'dispose', runId: s.activeId });
  set({ runs: [...kept, record], activeId: id, status: autoplay ? 'running' : 'loading', error: null });
  send({ type: 'load', runId: id, experiment: experimentOf(doc), backend: s.backend, kernels: s.kernels, tolerance: s.tolerance });
  if (autoplay) send({ type: 'play', runId: id, speed: s.speed });
  else set({ status: 'paused' });
}

/** Validate the edited experiment; on error show it and return null. */
function checkedDoc(): ExperimentInput | null {
  const doc = get().experiment;
  try {
    checkBudget(experimentOf(doc), PAGE_BUDGET);
    return doc;
  } catch (err) {
    set({ status: 'error', error: (err as Error).message });
    return null;
  }
}

/**
 * The document's comparison runs (its `compare` list) that the experiment, as edited, still allows — each
 * a valid experiment within the page's budget; one that is not is skipped, like an `also` run.
 */
export function compareRuns(doc: ExperimentInput): { name: string; doc: ExperimentInput }[] {
  return (doc.compare ?? []).flatMap((entry) => {
    const run = entry as CompareRun;
    const patched = compareDocument(doc, run);
    return valid(patched) === null ? [{ name: run.name, doc: patched }] : [];
  });
}

/**
 * Run: the link's comparison algorithms and the document's comparison runs first (each kept on the
 * charts), then the experiment itself.
 */
export function run(): void {
  const doc = checkedDoc();
  if (!doc) return;
  const batch = nextBatch++;
  // a comparison run that no longer fits the edited experiment is skipped, so the experiment's own run starts
  const also = get().also.filter((a) => a !== doc.algorithm.name && alsoProblem(doc, a) === null);
  queue = [
    ...also.map((a) => ({ doc: alsoDocument(doc, a), pinned: true, tag: a, batch })),
    ...compareRuns(doc).map((c) => ({ doc: c.doc, pinned: true, label: c.name, claimRun: c.name, batch })),
    { doc, pinned: false, claimRun: MAIN_RUN, batch },
  ];
  startRun(queue.shift()!, true);
}

export function play(): void {
  const s = get();
  const r = activeRun(s);
  if (!r || r.stop || s.status === 'error') return run();
  if (s.status === 'running') return;
  set({ status: 'running' });
  send({ type: 'play', runId: r.id, speed: s.speed });
}

export function pause(): void {
  const r = activeRun(get());
  if (r && get().status === 'running') send({ type: 'pause', runId: r.id });
}

export function togglePlay(): void {
  if (get().status === 'running') pause();
  else play();
}

/** One iteration (loads the experiment first when nothing is loaded). */
export function step(): void {
  const s = get();
  const r = activeRun(s);
  if (s.status === 'running') return;
  if (!r || r.stop) {
    const doc = checkedDoc();
    if (!doc) return;
    queue = [];
    startRun({ doc, pinned: false, claimRun: MAIN_RUN, batch: nextBatch++ }, false);
  }
  send({ type: 'step', runId: get().activeId! });
}

/** Back to iteration 0 of the current experiment, paused. */
export function reset(): void {
  const doc = checkedDoc();
  if (!doc) return;
  queue = [];
  startRun({ doc, pinned: false, claimRun: MAIN_RUN, batch: nextBatch++ }, false);
}

export function pinActive(): void {
  const id = get().activeId;
  if (id !== null) updateRun(id, { pinned: true });
}

export function clearRuns(): void {
  set((s) => ({ runs: s.runs.filter((r) => r.id === s.activeId).map((r) => ({ ...r, pinned: false })) }));
}

/**
 * Why the page does not take this document: its sizes are past the page's budget of memory or work
 * (src/core/budget.ts), decided before anything is built. Null when it fits — or when it does not validate
 * yet, which Run reports as before.
 */
export function overBudget(doc: ExperimentInput): DocumentError | null {
  const p = parseDocument(doc);
  return p.ok ? refusal(estimateCost(p.exp), PAGE_BUDGET) : null;
}

/** Edit the experiment document (a copy is mutated); a change past the page's budget is refused with the reason, and the experiment stays as it was. */
/**
 * The μ a switch from the step rule to a fixed step starts from: the rule's μ for these settings — the μ
 * the latest run of this very document resolved, else the rule computed here — so the switch changes no
 * number; null when the document does not build.
 */
export function ruleStepsize(doc: ExperimentInput, runs: readonly RunRecord[] = get().runs): number | null {
  const key = JSON.stringify(doc);
  const ran = [...runs].reverse().find((r) => r.stepsize !== null && JSON.stringify(r.experiment) === key);
  if (ran) return ran.stepsize;
  try {
    return buildInstance(experimentOf(doc)).stepsize;
  } catch {
    return null;
  }
}

export function editExperiment(mutate: (doc: ExperimentInput) => void): void {
  const doc = structuredClone(get().experiment);
  mutate(doc);
  const refused = overBudget(doc);
  if (refused) return set({ error: refused.message });
  set({ experiment: doc, error: null });
}

export function setLink(patch: Partial<Pick<LabState, 'backend' | 'kernels' | 'tolerance' | 'speed' | 'view' | 'hide' | 'also' | 'preset'>>): void {
  set(patch);
}

export function setLandscape(landscape: LabState['landscape']): void {
  set({ landscape });
}

export async function fetchPreset(id: string): Promise<ExperimentInput | null> {
  const r = await fetch(`${import.meta.env.BASE_URL}presets/${id}.json`);
  if (!r.ok) return null;
  return (await r.json()) as ExperimentInput;
}

/** Back to the preset's published document (the experiment's changes against it are dropped). */
export function restorePreset(): void {
  const doc = get().presetDoc;
  if (doc) set({ experiment: structuredClone(doc), error: null });
}

/**
 * Use an experiment document from a file (the CLI's format) or from data the user brought. A document
 * past the page's budget is refused at once (thrown; the caller shows why) and the current one kept.
 * Resolves to whether a link carries it: when it does, the address bar follows it (a reload keeps it),
 * otherwise it counts as uploaded data that only the exported JSON can share.
 */
export function importExperiment(doc: ExperimentInput, name: string): Promise<{ carried: boolean; words: string[] }> {
  const refused = overBudget(doc);
  if (refused) throw refused;
  set({ experiment: doc, preset: null, upload: { name }, error: null });
  return linkCarries(doc).then((r) => {
    if (r.carried && get().experiment === doc) set({ upload: null });
    return r;
  });
}

/**
 * Read the page's URL into the store (once, at start-up). `upload=<id>` names data kept in this browser
 * (src/state/upload-store.ts): that document opens, in the view the link names; an id this browser does
 * not hold opens the default lab with a notice saying why.
 */
export async function loadFromUrl(search: string): Promise<void> {
  const q = new URLSearchParams(search);
  const uploadKey = q.get(UPLOAD_PARAM);
  if (uploadKey !== null) {
    const kept = /^[0-9a-f]{16}$/.test(uploadKey) ? await keptUpload(uploadKey) : null;
    const view = q.get('view');
    const views = VIEWS as readonly string[];
    if (kept) {
      set({ ...structuredClone(DEFAULT_LINK), view: view && views.includes(view) ? (view as LabState['view']) : 'run', experiment: kept.experiment, upload: { name: kept.name }, notice: [], presetDoc: null });
      return;
    }
    const lost = `${UPLOAD_PARAM}=${uploadKey.slice(0, 40)}: this link names data uploaded in a browser, and this browser does not hold it (another browser or machine, or its storage was cleared); links cannot carry uploaded data — open the experiment JSON exported from the page that has it`;
    set({ ...structuredClone(DEFAULT_LINK), view: 'run', notice: [lost], presetDoc: null });
    return;
  }
  let presetDoc: ExperimentInput | null = null;
  const { state, ignored } = await decodeUrl(search, async (id) => (presetDoc = await fetchPreset(id)));
  set({ ...state, notice: ignored, presetDoc: state.preset ? presetDoc : null });
}

export function dismissNotice(): void {
  set({ notice: [] });
}

/**
 * Keep the address bar in step with the state (replaceState: no history entry per keystroke). Data a link
 * cannot carry is kept in this browser instead, and the address bar names it (`upload=<id>`), so a reload
 * opens it again.
 */
export function syncUrl(): () => void {
  let last = '';
  return labStore.subscribe((s) => {
    if (s.upload) {
      const q = `${UPLOAD_PARAM}=${uploadId(s.experiment)}&view=${s.view}`;
      if (q !== last) {
        last = q;
        void keepUpload(s.experiment, s.upload.name);
        history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
      }
      return;
    }
    const q = encodeUrl(linkState(s));
    if (q !== last) {
      last = q;
      history.replaceState(null, '', `${location.pathname}?${q}${location.hash}`);
    }
  });
}

export function shareUrl(): string {
  return `${location.origin}${location.pathname}?${encodeUrl(linkState(get()))}`;
}
