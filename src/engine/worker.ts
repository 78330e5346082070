/**
 * The engine off the main thread. The page loads an experiment document, then plays, pauses or steps
 * it; the worker validates, picks the engine (src/engine/backend.ts), runs a Session and streams the
 * recorded rows back in batches (~30 a second), with the per-node disagreement for the network view.
 */
import { type Instance, type NodeInstance, buildInstance, dataScale, isFactorProblem, isNodeInstance } from '../core/build';
import type { State } from '../core/dgd';
import { DocumentError } from '../core/experiment';
import { norm2 } from '../core/linalg';
import type { MetricsRow } from '../core/metrics';
import { theoryReport } from '../core/theory';
import { shaderSources } from '../gpu/shaders';
import { chooseEngine } from './backend';
import type { FromWorker, RunExtras, ToWorker } from './protocol';
import { Session, finalSeries, resultDocument } from './session';
import { finalVerdict } from './curvature';
import { type PathPoint, keepPoint } from './path';
import { noSlice, sliceOfRun } from './slice-run';
import { resultToJson } from '../core/result';
import { providePageKernels } from './kernels-page';
import { providePageThreads } from './threads-page';
import { CpuEngine } from './cpu';
import { chooseKernels } from './kernels';

// the CPU engine runs on the WebAssembly products built into the bundle, a large run on threads when it can
providePageKernels();
providePageThreads();

interface Current {
  runId: number;
  session: Session;
  inst: Instance;
  playing: boolean;
  pending: MetricsRow[];
  lastPost: number;
  lastExtras: number;
  /** pacing of the current play: iterations per second (0 = unlimited) from (t0, it0) */
  speed: number;
  t0: number;
  it0: number;
  lastTick: number;
  /** iterates at records, for the slice panel's projected trajectory (see keepPath) */
  path: PathPoint[];
  pathMax: number;
  /** iterations between kept iterates; doubles whenever the path is thinned, so copies stay rare */
  pathEvery: number;
}

let cur: Current | null = null;
const post = (m: FromWorker, transfer: Transferable[] = []) => postMessage(m, { transfer });
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** ‖Uʲ − Ū‖ per node over the U part of each node's shared variable, and ‖Ū‖ (the network view's scale). */
function disagreement(inst: NodeInstance, z: State): { disagreement: number[]; average: number } {
  const J = inst.objective.J, s = inst.objective.sharedLen;
  const nu = isFactorProblem(inst.problem) ? inst.problem.n * inst.problem.r : s;
  const avg = new Float64Array(nu);
  for (let j = 0; j < J; j++) for (let k = 0; k < nu; k++) avg[k] += z.X[j * s + k] / J;
  return {
    disagreement: Array.from({ length: J }, (_, j) => Math.sqrt(norm2(z.X.subarray(j * s, j * s + nu).map((v, k) => v - avg[k])))),
    average: Math.sqrt(norm2(avg)),
  };
}

/** Ū Vᵀ for the image view (V̄ for classical DGD). */
function reconstruction(inst: NodeInstance, z: State): RunExtras['reconstruction'] {
  const p = inst.problem;
  if (!isFactorProblem(p)) return undefined;
  const { n, m, r } = p, J = inst.objective.J, s = inst.objective.sharedLen;
  const U = new Float64Array(n * r), V = new Float64Array(m * r);
  for (let j = 0; j < J; j++) for (let k = 0; k < n * r; k++) U[k] += z.X[j * s + k] / J;
  if (inst.experiment.algorithm.name === 'dgd') {
    for (let j = 0; j < J; j++) for (let k = 0; k < m * r; k++) V[k] += z.X[j * s + n * r + k] / J;
  } else V.set(z.Y.subarray(0, m * r));
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) {
    let v = 0;
    for (let k = 0; k < r; k++) v += U[i * r + k] * V[c * r + k];
    out[i * m + c] = v;
  }
  return { rows: n, cols: m, data: out };
}

async function flush(c: Current, force = false): Promise<void> {
  const now = performance.now();
  if (!force && now - c.lastPost < 33) return;
  let extras: RunExtras | undefined;
  const small = c.inst.init.X.length + c.inst.init.Y.length <= 2_000_000;
  // the network colours need the whole iterate: a copy on the CPU, but a full readback on a GPU, so there
  // at most every 2 s (the metrics themselves never need it)
  const inst = c.inst;
  const node = isNodeInstance(inst);
  const every = c.session.engine.kind === 'webgpu' ? 2000 : node ? 250 : 1000;
  if (!node && (force || now - c.lastExtras > every)) {
    // a kind with its own method: what its view shows beside the charts (HMF's video frames and θ̂)
    extras = { disagreement: [], ...inst.method.extras?.((await c.session.engine.snapshot()).state) };
    c.lastExtras = now;
  } else if (node && small && (force || now - c.lastExtras > every)) {
    const z = (await c.session.engine.snapshot()).state;
    await keepPath(c, z);
    extras = disagreement(inst, z);
    if (inst.experiment.display?.image) extras.reconstruction = reconstruction(inst, z);
    c.lastExtras = now;
  }
  if (c.pending.length || extras) {
    post({ type: 'rows', runId: c.runId, rows: c.pending, extras }, extras?.reconstruction ? [extras.reconstruction.data.buffer] : []);
    c.pending = [];
  }
  c.lastPost = now;
}

function fail(runId: number, err: unknown): void {
  const message = err instanceof DocumentError ? err.message : `internal error: ${(err as Error).message}`;
  post({ type: 'error', runId, message });
}

async function load(msg: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  cur?.session.engine.destroy();
  cur = null;
  // parsed once, at the page's edge (src/state/parsed.ts): a typed experiment, trusted here
  const inst = buildInstance(msg.experiment);
  chooseKernels(msg.kernels);
  const { engine, reason } = await chooseEngine({ prefer: msg.backend, gpu: self.navigator.gpu, shaders: shaderSources, instance: inst });
  const c: Current = {
    runId: msg.runId, inst, playing: false, pending: [], lastPost: 0, lastExtras: 0, speed: 0, t0: 0, it0: 0, lastTick: 0,
    path: [], pathMax: pathLength(inst.init.X.length + inst.init.Y.length), pathEvery: inst.recordEvery,
    session: null as unknown as Session,
  };
  c.session = new Session(engine, inst, {
    tolerance: msg.tolerance,
    breathe: () => pace(c),
    onRow: (row) => c.pending.push(row),
    onRewind: (iteration, why) => post({ type: 'rewind', runId: c.runId, iteration, reason: why }),
  });
  cur = c;
  const node = isNodeInstance(inst) ? inst : null;
  const J = node ? node.W.rows : 0;
  post({
    type: 'started', runId: c.runId, stepsize: inst.stepsize, omega: inst.omega, theory: node ? theoryReport(node) : null, engine: engine.kind, reason,
    // a kind with its own method (HMF averages through a server) has no graph: no network view
    W: node ? Array.from({ length: J }, (_, j) => Array.from(node.W.data.subarray(j * J, (j + 1) * J))) : null,
    scale: dataScale(inst),
  });
  await c.session.start();
  if (engine instanceof CpuEngine && engine.detail) post({ type: 'engine-detail', runId: c.runId, detail: engine.detail });
  await keepPath(c);
  await flush(c, true);
  if (c.session.stop) await stopped(c);
}

/** Numbers a path may hold in all: the iterates of small problems; none for large ones (see pathLength). */
const PATH_BUDGET = 4_000_000;

/** How many iterates the path keeps: up to 400, and none when fewer than 20 fit (copying megabytes per
 * record on a large problem competes with the page for the CPU and gives a path too coarse to read). */
function pathLength(N: number): number {
  const k = Math.min(400, Math.floor(PATH_BUDGET / N));
  return k >= 20 ? k : 0;
}

/** Keep the iterate at this record (CPU: a copy; on a GPU a readback, so there only with the extras). */
async function keepPath(c: Current, z?: State): Promise<void> {
  if (c.pathMax < 2) return;
  const last = c.path[c.path.length - 1];
  if (last && last.iteration === c.session.iteration) return;
  if (!z && (c.session.engine.kind !== 'cpu' || (last && c.session.iteration - last.iteration < c.pathEvery && !c.session.done))) return;
  const before = c.path.length;
  keepPoint(c.path, { iteration: c.session.iteration, state: z ? { X: z.X.slice(), Y: z.Y.slice() } : (await c.session.engine.snapshot()).state }, c.pathMax);
  if (c.path.length < before) c.pathEvery *= 2;
}

/** Report the stop, with the verdict when the document records curvature. */
async function stopped(c: Current): Promise<void> {
  let verdict;
  // a diverged run's metrics are not finite: a verdict there would be NaNs
  if (c.inst.experiment.algorithm.curvatureEvery !== undefined && c.session.stop?.reason !== 'diverged') {
    const z = (await c.session.engine.snapshot()).state;
    await keepPath(c, z);
    verdict = finalVerdict(c.inst, z, c.session.engine.kind);
  }
  post({ type: 'stopped', runId: c.runId, stop: c.session.stop!, ...(verdict ? { verdict } : {}) });
}

/** Between records: stream rows, hold the requested speed, and let messages (pause) in. */
async function pace(c: Current): Promise<void> {
  await keepPath(c);
  await flush(c);
  if (c.speed > 0) {
    const due = c.t0 + ((c.session.iteration - c.it0) / c.speed) * 1000;
    const wait = due - performance.now();
    if (wait > 0) {
      await new Promise((r) => setTimeout(r, wait));
      c.lastTick = performance.now();
      return;
    }
  }
  if (performance.now() - c.lastTick > 16) {
    await tick();
    c.lastTick = performance.now();
  }
}

async function play(c: Current, speed: number): Promise<void> {
  if (c.playing || c.session.done) return;
  c.playing = true;
  c.speed = speed;
  c.t0 = performance.now();
  c.it0 = c.session.iteration;
  await c.session.run(() => !c.playing || cur !== c);
  c.playing = false;
  if (cur !== c) return;
  await flush(c, true);
  if (c.session.stop) await stopped(c);
  else post({ type: 'paused', runId: c.runId, iteration: c.session.iteration });
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'load') return load(msg);
  const c = cur;
  if (!c || c.runId !== msg.runId) return;
  if (msg.type === 'play') await play(c, msg.speed);
  else if (msg.type === 'step' && !c.session.done) {
    await c.session.step(1);
    await keepPath(c);
    await flush(c, true);
    if (c.session.stop) await stopped(c);
  } else if (msg.type === 'result') {
    const s = c.session;
    const stop = s.stop ?? { reason: 'cancelled' as const, iteration: s.iteration, message: `Paused at iteration ${s.iteration}.` };
    const final = (await s.engine.snapshot()).state;
    const verdict = c.inst.experiment.algorithm.curvatureEvery !== undefined && stop.reason !== 'diverged' ? finalVerdict(c.inst, final, s.engine.kind) : undefined;
    const series = finalSeries(c.inst, final, stop.reason);
    const doc = resultDocument(c.inst, s.engine.kind, { trace: s.trace, stop, final, ...(verdict ? { verdict } : {}), ...(series ? { series } : {}) });
    post({ type: 'result', runId: c.runId, json: resultToJson(doc) });
  } else if (msg.type === 'slice') {
    try {
      const at = await c.session.engine.snapshot();
      await keepPath(c, at.state);
      const spec = { a: [-msg.range, msg.range] as [number, number], b: [-msg.range, msg.range] as [number, number], na: msg.res, nb: msg.res };
      if (!isNodeInstance(c.inst)) throw new Error(noSlice(c.inst));
      const result = sliceOfRun(c.inst, at, c.path, msg.plane, spec, { seed: msg.seed });
      post({ type: 'slice', runId: c.runId, result }, [result.value.buffer]);
    } catch (err) {
      post({ type: 'slice', runId: c.runId, error: (err as Error).message });
    }
  } else if (msg.type === 'dispose') {
    c.session.engine.destroy();
    cur = null;
  }
}

// Messages run one after another (a step waits for the load before it); pause, and anything that
// replaces the run, first stop a play in progress, which yields between records.
let chain: Promise<void> = Promise.resolve();
onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (cur && (msg.type === 'load' || ((msg.type === 'pause' || msg.type === 'dispose') && msg.runId === cur.runId))) cur.playing = false;
  if (msg.type === 'pause') return;
  chain = chain.then(() => handle(msg)).catch((err) => fail(msg.runId, err));
};
