/**
 * The engine off the main thread: the page posts an experiment document, the worker validates it, runs
 * it on the CPU engine and streams every recorded row back, so the UI never blocks on arithmetic.
 */
import { buildInstance } from '../core/build';
import { DocumentError, parseExperiment } from '../core/experiment';
import { theoryReport } from '../core/theory';
import { shaderSources } from '../gpu/shaders';
import { chooseEngine } from './backend';
import type { FromWorker, ToWorker } from './protocol';
import { runSession } from './session';

let abort: AbortController | null = null;
const post = (m: FromWorker) => postMessage(m);

onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') {
    abort?.abort();
    return;
  }
  abort?.abort();
  const ctl = new AbortController();
  abort = ctl;
  try {
    const inst = buildInstance(parseExperiment(msg.document));
    const { engine, reason } = await chooseEngine({ prefer: msg.backend, gpu: self.navigator.gpu, shaders: shaderSources, instance: inst });
    post({ type: 'started', stepsize: inst.stepsize, omega: inst.omega, theory: theoryReport(inst), engine: engine.kind, reason });
    let batch: FromWorker & { type: 'rows' } = { type: 'rows', rows: [] };
    let last = performance.now();
    let lastBreath = performance.now();
    const out = await runSession(engine, inst, {
      signal: ctl.signal,
      onRewind: (iteration, why) => post({ type: 'rewind', iteration, reason: why }),
      breathe: async () => {
        if (performance.now() - lastBreath < 30) return;
        await new Promise((r) => setTimeout(r, 0));
        lastBreath = performance.now();
      },
      onRow: (row) => {
        batch.rows.push(row);
        const now = performance.now();
        if (now - last > 33) {
          post(batch);
          batch = { type: 'rows', rows: [] };
          last = now;
        }
      },
    });
    engine.destroy();
    if (batch.rows.length) post(batch);
    post({ type: 'done', stop: out.stop });
  } catch (err) {
    post({ type: 'error', message: err instanceof DocumentError ? err.message : `internal error: ${(err as Error).message}` });
  }
};
