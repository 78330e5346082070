/**
 * The foundation build's page: pick a shipped reproduction, run it on the float64 engine in a worker,
 * watch the metrics fall, and read the step-size theory for the chosen μ. The full lab (controls for
 * every parameter, plotly charts, the landscape, shareable links) grows from here.
 */
import { useEffect, useRef, useState } from 'react';
import type { MetricsRow } from '../core/metrics';
import type { Stop } from '../core/result';
import type { TheoryReport } from '../core/theory';
import type { BackendPreference } from '../engine/backend';
import type { FromWorker, ToWorker } from '../engine/protocol';
import { LogPlot, type Series } from './LogPlot';

const PRESETS = [
  { id: 'r3', label: 'R3 — DGD+LOCAL: exact consensus' },
  { id: 'r4', label: 'R4 — classical DGD stalls' },
];

const SERIES: Series[] = [
  { key: 'objective', label: 'objective f(z)', color: '#1f6fd1' },
  { key: 'consensusError', label: 'consensus error Σ‖xʲ − x̄‖²', color: '#d1491f' },
  { key: 'optimalityGap', label: 'optimality gap', color: '#2b9348' },
  { key: 'gradientNorm', label: '‖∇g‖', color: '#7b4fc9' },
];

interface Doc { title?: string; description?: string }

export function App() {
  const [presetId, setPresetId] = useState('r3');
  const [doc, setDoc] = useState<Doc | null>(null);
  const [rows, setRows] = useState<MetricsRow[]>([]);
  const [theory, setTheory] = useState<TheoryReport | null>(null);
  const [stepsize, setStepsize] = useState<number | null>(null);
  const [stop, setStop] = useState<Stop | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [backend, setBackend] = useState<BackendPreference>('auto');
  const [engineNote, setEngineNote] = useState<string>('');
  const worker = useRef<Worker | null>(null);

  useEffect(() => {
    const w = new Worker(new URL('../engine/worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (ev: MessageEvent<FromWorker>) => {
      const m = ev.data;
      if (m.type === 'started') {
        setTheory(m.theory);
        setStepsize(m.stepsize);
        setEngineNote(m.reason);
      } else if (m.type === 'rows') setRows((r) => [...r, ...m.rows]);
      else if (m.type === 'rewind') {
        setRows((r) => r.filter((row) => row.iteration <= m.iteration));
        setEngineNote((n) => `${n} The GPU device was lost (${m.reason}); resumed from iteration ${m.iteration}.`);
      }
      else if (m.type === 'done') {
        setStop(m.stop);
        setRunning(false);
      } else {
        setError(m.message);
        setRunning(false);
      }
    };
    worker.current = w;
    return () => w.terminate();
  }, []);

  useEffect(() => {
    let live = true;
    fetch(`${import.meta.env.BASE_URL}presets/${presetId}.json`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`preset ${presetId}: HTTP ${r.status}`))))
      .then((d) => live && setDoc(d))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [presetId]);

  const run = () => {
    if (!doc || !worker.current) return;
    setRows([]);
    setStop(null);
    setError(null);
    setTheory(null);
    setRunning(true);
    worker.current.postMessage({ type: 'run', document: doc, backend } satisfies ToWorker);
  };
  const cancel = () => worker.current?.postMessage({ type: 'cancel' } satisfies ToWorker);
  const last = rows.at(-1);

  return (
    <main>
      <header>
        <h1>Low-Rank Lab</h1>
        <p className="lead">
          Distributed low-rank matrix factorization in the browser: J nodes each hold a copy Uʲ of a shared
          factor and a private block Vⱼ, mix Uʲ with their neighbours and take gradient steps (DGD+LOCAL).
          With a fixed step it reaches <b>exact consensus and a global optimum</b>; classical DGD does not.
        </p>
      </header>
      <section className="controls">
        <label>
          Reproduction{' '}
          <select value={presetId} onChange={(e) => setPresetId(e.target.value)} disabled={running}>
            {PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
          </select>
        </label>
        <button onClick={run} disabled={!doc || running}>Run</button>
        <button onClick={cancel} disabled={!running}>Stop</button>
        <label title="auto: WebGPU on a hardware GPU, the float64 CPU engine otherwise">
          Engine{' '}
          <select value={backend} onChange={(e) => setBackend(e.target.value as BackendPreference)} disabled={running}>
            <option value="auto">auto</option>
            <option value="webgpu">WebGPU (float32)</option>
            <option value="cpu">CPU (float64)</option>
          </select>
        </label>
        {engineNote && <span className="engine" data-testid="engine-note">{engineNote}</span>}
      </section>
      {doc && (
        <section>
          <h2>{doc.title}</h2>
          <p>{doc.description}</p>
        </section>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      <section className="plot-wrap">
        <LogPlot rows={rows} series={SERIES} />
        <ul className="legend">
          {SERIES.map((s) => (
            <li key={s.key}><span style={{ background: s.color }} />{s.label}{last ? `: ${last[s.key].toExponential(2)}` : ''}</li>
          ))}
        </ul>
        <p className="status">{stop ? stop.message : running ? `running… iteration ${last?.iteration ?? 0}` : 'press Run'}</p>
      </section>
      {theory && stepsize !== null && (
        <section>
          <h2>Step size against the theory (SPEC §3)</h2>
          <p>μ = {stepsize.toPrecision(4)}, ω = {theory.omega.toFixed(4)}, 1 − 2ω = {theory.oneMinus2Omega.toFixed(4)}</p>
          <table>
            <thead><tr><th>bound</th><th>source</th><th>value</th><th>μ satisfies it?</th></tr></thead>
            <tbody>
              {theory.verdicts.map((v) => (
                <tr key={v.name}><td>{v.name}</td><td>{v.source}</td><td>{v.bound.toPrecision(3)}</td><td>{v.ok ? 'yes' : 'no'}</td></tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
