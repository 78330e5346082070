/**
 * Run / pause / single step / reset (space, →, r), the status line that says why a run stopped, the
 * link to this exact setup, and import / export in the CLI's formats.
 */
import { useEffect, useState } from 'react';
import { type MetricsRow, OPTIONAL_TRACE_KEYS, TRACE_KEYS } from '../core/metrics';
import { onNetwork, ownAlgorithm } from '../core/problems/registry';
import type { ExperimentInput } from '../core/experiment';
import { JsonFileError, parseJsonFile } from '../core/json-file';
import { clearRuns, importExperiment, pinActive, requestResult, reset, run, shareUrl, step, togglePlay } from '../state/actions';
import { experimentOf } from '../state/parsed';
import { activeRun, keptEntries, labStore, useLab } from '../state/store';
import type { ChartRefs } from './Charts';
import { toCsv } from '../core/csv';
import { CsvButton } from './CsvButton';
import { download } from './download';
import { METRIC_COLORS } from './theme';

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (labStore.getState().view !== 'run') return;
      if (e.key === ' ') {
        e.preventDefault();
        togglePlay();
      } else if (e.key === 'ArrowRight') {
        e.preventDefault();
        step();
      } else if (e.key === 'r' || e.key === 'R') reset();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function traceCsv(): string {
  const r = activeRun(labStore.getState());
  if (!r) return '';
  // λ_min when the run records curvature (empty where a record skipped it)
  const curv = r.rows.some((row) => row.curvature !== undefined);
  const cell = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '' : x);
  const keys = [...TRACE_KEYS, ...OPTIONAL_TRACE_KEYS.filter((k) => r.rows[0]?.[k] !== undefined)];
  const head = ['iteration', ...keys, ...(curv ? ['curvature'] : [])];
  return toCsv([head, ...r.rows.map((row) => [row.iteration, ...keys.map((k) => row[k]), ...(curv ? [cell(row.curvature)] : [])])]);
}

/**
 * The latest row's figures worth a column: consensus only for a network (centralized GD and HMF have
 * nothing to agree on), the gap only where it is not the objective again (HMF's optimum is 0), and the
 * measured problems' errors when they have them.
 */
function latestColumns(algorithm: string, r: MetricsRow): [string, number, string][] {
  const networked = onNetwork(algorithm);
  const cols: [string, number | undefined, string][] = [
    ['objective', r.objective, 'objective'],
    ['consensus error', networked ? r.consensusError : undefined, 'consensusError'],
    ['optimality gap', ownAlgorithm(algorithm) ? undefined : r.optimalityGap, 'optimalityGap'],
    [networked ? '‖∇g‖' : '‖∇f‖', r.gradientNorm, 'gradientNorm'],
    ['fitting error', r.fittingError, 'fittingError'],
    ['optimality error', r.optimalityError, 'optimalityError'],
    ['support mismatch', r.supportMismatch, 'supportMismatch'],
    ['train RMSE', r.trainRmse, 'trainRmse'],
    ['test RMSE', r.testRmse, 'testRmse'],
  ];
  return cols.filter((c): c is [string, number, string] => c[1] !== undefined);
}

/**
 * How far a run of a kind with its own method (HMF and its rivals, HAE) has come: rounds recorded of the
 * rounds asked for, as a bar beside the status line, with the loss of the latest record (HAE's training loss
 * Σᵢ‖P_Ω(Mᵢ − Net_V(·))‖², the objective of the others) and, on ratings, the latest test RMSE.
 */
function RoundProgress({ algorithm, total, last }: { algorithm: string; total: number; last: MetricsRow | undefined }) {
  const done = Math.min(last?.iteration ?? 0, total);
  const loss = last ? ` · ${algorithm === 'hae' ? 'train loss' : 'objective'} ${last.objective.toExponential(4)}` : '';
  const test = last?.testRmse !== undefined ? ` · test RMSE ${last.testRmse.toFixed(4)}` : '';
  return (
    <div className="run-progress">
      <progress aria-label="rounds done" max={Math.max(total, 1)} value={done} />
      <span data-testid="run-progress-text">round {done} of {total}{loss}{test}</span>
    </div>
  );
}

const LINK_COPIED = 'Link copied.';
/** how long a plain confirmation stays */
const CONFIRMATION_MS = 4000;

const WORD_NAMES: Record<string, string> = { title: 'title', description: 'description', claims: 'claims', compare: 'comparison runs', source: 'source', licence: 'licence' };
/** "title, description and claims" */
function wordList(words: string[]): string {
  const w = words.map((x) => WORD_NAMES[x] ?? x);
  return w.length > 1 ? `${w.slice(0, -1).join(', ')} and ${w[w.length - 1]}` : w[0];
}

export function RunBar({ charts }: { charts: React.RefObject<ChartRefs | null> }) {
  const status = useLab((s) => s.status);
  const run0 = useLab(activeRun);
  const error = useLab((s) => s.error);
  const upload = useLab((s) => s.upload);
  const hide = useLab((s) => s.hide);
  const [copied, setCopied] = useState<string | null>(null);
  // a plain confirmation goes after a few seconds; a notice the user must act on (a link to copy by hand,
  // a warning about uploaded data) stays until the next one
  useEffect(() => {
    if (copied !== LINK_COPIED) return;
    const t = setTimeout(() => setCopied((c) => (c === LINK_COPIED ? null : c)), CONFIRMATION_MS);
    return () => clearTimeout(t);
  }, [copied]);
  const last = run0?.rows.at(-1);
  const running = status === 'running';

  const copyLink = async () => {
    const url = shareUrl();
    try {
      await navigator.clipboard.writeText(url);
      const lost = keptEntries(labStore.getState()).filter((e) => e === null).length;
      setCopied(upload ? 'Link copied, with the settings only: a link cannot carry the data of this experiment (this browser keeps it; a reload opens it again) — export the experiment JSON to share it.'
        : lost ? `Link copied, with the kept runs it can carry; ${lost === 1 ? 'one kept run differs' : `${lost} kept runs differ`} in what a link cannot say (data, a start or a list) — export its experiment JSON to share it.`
          : LINK_COPIED);
    } catch {
      setCopied(`Copy this link: ${url}`);
    }
  };
  const exportResult = async () => {
    const json = await requestResult();
    if (json) download('lowrank-lab-result.json', json);
  };
  const importJson = async (file: File | undefined) => {
    if (!file) return;
    try {
      // UTF-8 with or without a byte-order mark, or UTF-16 (as the CLI reads it)
      const doc = parseJsonFile(new Uint8Array(await file.arrayBuffer()), file.name) as { format?: unknown; experiment?: unknown } | null;
      const exp = doc?.format === 'lowrank-lab/result' ? doc.experiment : doc;
      // parsed here, at the edge; the store keeps this parse beside the document
      experimentOf(exp as ExperimentInput);
      const { carried, words } = await importExperiment(exp as ExperimentInput, file.name);
      setCopied(`Loaded ${file.name}. ${!carried
        ? 'A link cannot carry all of it (it holds data or a start no link parameter sets): this browser keeps it, so a reload opens it again; export the experiment JSON to share it.'
        : words.length ? `The address bar links to its settings; its ${wordList(words)} stay in the file.` : 'The address bar links to it.'} Press Run to run it.`);
    } catch (err) {
      labStore.setState({ status: 'error', error: err instanceof JsonFileError ? err.message : `${file.name}: ${(err as Error).message}` });
    }
  };
  const image = async (format: 'png' | 'svg') => {
    const c = charts.current?.get('objective');
    if (c) await c.plotly.downloadImage(c.el, { format, filename: 'lowrank-lab-objective', width: 900, height: 500 });
  };

  return (
    <section className="runbar" aria-label="run controls">
      <div className="buttons">
        <button className="primary" onClick={run} title="Start the experiment from iteration 0">Run</button>
        <button onClick={togglePlay} disabled={!run0 || !!run0.stop} title="Pause or continue (space)">{running ? 'Pause' : 'Continue'}</button>
        <button onClick={step} disabled={running} title="One iteration (→)">Step</button>
        <button onClick={reset} title="Back to iteration 0 (r)">Reset</button>
        <button onClick={pinActive} disabled={!run0} title="Keep this run on the charts to compare the next one with it">Keep for comparison</button>
        <button onClick={clearRuns} title="Remove the kept runs from the charts">Clear kept</button>
        <button onClick={copyLink} title="A link that rebuilds this exact setup on any machine">Copy link</button>
      </div>
      {!hide.includes('settings') && <a className="to-settings" href="#settings">Settings (problem, network, algorithm) ↓</a>}
      <p className="shortcuts">Keys: <kbd>space</kbd> run / pause · <kbd>→</kbd> one step · <kbd>r</kbd> reset</p>
      <p className="status" role="status" aria-live="polite">
        {error ? <span className="error">{error}</span>
          : run0?.stop ? run0.stop.message
            : status === 'running' ? `running… iteration ${last?.iteration ?? 0}`
              : status === 'paused' ? `paused at iteration ${last?.iteration ?? 0}`
                : 'Press Run (or space) to start.'}
      </p>
      {run0 && ownAlgorithm(run0.experiment.algorithm.name) && (
        <RoundProgress algorithm={run0.experiment.algorithm.name} total={run0.experiment.algorithm.iterations} last={last} />
      )}
      {last && run0 && (
        <div className="scroll-x"><table className="latest" aria-label="latest recorded metrics">
          <thead><tr><th>iteration</th>{latestColumns(run0.experiment.algorithm.name, last).map(([h, , key]) => (
            <th key={h}>{METRIC_COLORS[key as keyof typeof METRIC_COLORS] && <span className="swatch-dot" style={{ background: METRIC_COLORS[key as keyof typeof METRIC_COLORS] }} aria-hidden="true" />}{h}</th>
          ))}</tr></thead>
          <tbody><tr data-testid="latest-row">
            <td>{last.iteration}</td>
            {latestColumns(run0.experiment.algorithm.name, last).map(([h, v]) => <td key={h}>{v.toExponential(4)}</td>)}
          </tr></tbody>
        </table>
        <CsvButton file="lowrank-lab-latest.csv" what="the latest recorded metrics" rows={() => {
          const cols = latestColumns(run0.experiment.algorithm.name, last);
          return [['iteration', ...cols.map(([h]) => h)], [last.iteration, ...cols.map(([, v]) => v)]];
        }} /></div>
      )}
      {run0?.reason && <p className="engine" data-testid="engine-note">{run0.reason}</p>}
      {copied && <p className="copied" role="status">{copied}</p>}
      <details className="io">
        <summary>Import / export</summary>
        <button onClick={() => download('lowrank-lab-experiment.json', JSON.stringify(labStore.getState().experiment, null, 2))}>Experiment JSON</button>
        <button onClick={() => void exportResult()} disabled={!run0}>Result JSON</button>
        <button onClick={() => download('lowrank-lab-trace.csv', traceCsv(), 'text/csv')} disabled={!run0}>Trace CSV</button>
        <button onClick={() => void image('png')} disabled={!run0}>Plot PNG</button>
        <button onClick={() => void image('svg')} disabled={!run0}>Plot SVG</button>
        <label className="import">Import experiment or result JSON <input type="file" accept=".json,application/json" onChange={(e) => void importJson(e.target.files?.[0])} /></label>
      </details>
    </section>
  );
}
