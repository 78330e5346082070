/**
 * The sweep view: the experiment's sweep (one or two parameters, seeds per cell), run in its worker
 * with a progress bar, the time left and cancel; the outcome of every cell as a heatmap (a phase
 * diagram) with the step-size bound of SPEC §3 drawn over it; a click on a cell opens that run in the
 * run view; the cells as CSV; the document's claims about its cells, ✓ or ✗ once the sweep has finished.
 */
import { useEffect, useMemo, useState } from 'react';
import { sweepCsv } from '../../core/sweep';
import type { SweepResult } from '../../state/engines';
import { useLab } from '../../state/store';
import { cancelSweep, openSweepCell, restoreKeptSweep, runSweep } from '../../state/sweep-actions';
import { sweepKey } from '../../state/sweep-store';
import { sweepClaimsView } from '../../state/claims';
import { ClaimList } from '../Claims';
import { download } from '../download';
import { SweepSettings, successMeasure } from './SweepSettings';
import { SweepHeatmap } from './SweepHeatmap';
import { About } from '../About';
import { type OutcomeKey, OUTCOMES, availableOutcomes, boundCurve, fmt } from './heatmap';

/** where the certified bound (3.7) is, in words (it usually lies far below the steps that work) */
function certifiedNote(cells: SweepResult['cells']): string {
  const b = cells.map((c) => c.certifiedBound).filter((v): v is number => v !== null && v > 0).sort((a, c) => a - c);
  return b.length ? ` (here μ < ${b[0].toExponential(1)} … ${b[b.length - 1].toExponential(1)})` : '';
}

/** "recovery error falls to 1e-6·‖X⋆‖²" */
function successText(doc: Parameters<typeof successMeasure>[0], tol: number): string {
  const [what, scale] = successMeasure(doc);
  return `${what} falls to ${tol.toExponential(0)}${scale === '1' ? '' : `·${scale}`}`;
}

/** The cells as a table (readable values, keyboard and screen-reader access to every cell's run). */
function CellTable({ result, outcome }: { result: SweepResult; outcome: OutcomeKey }) {
  const { plan, cells } = result;
  const label = OUTCOMES[outcome].label.replace(/ \(.*\)$/, '');
  const value = (c: SweepResult['cells'][number]) => {
    if (outcome === 'successRate' || outcome === 'divergedRate') return `${Math.round(100 * c[outcome])} %`;
    const s = c[outcome];
    return s ? `${fmt(s.median)} [${fmt(s.min)}, ${fmt(s.max)}]` : '—';
  };
  return (
    <details className="sweep-table">
      <summary>The {cells.length} cells as a table</summary>
      <div className="scroll-x"><table className="latest">
        <thead><tr><th>{plan.x.label}</th>{plan.y && <th>{plan.y.label}</th>}<th>{label}: median [min, max]</th><th>success</th><th>diverged</th><th /></tr></thead>
        <tbody>
          {cells.map((c) => (
            <tr key={c.cell}>
              <td>{fmt(c.x)}</td>{plan.y && <td>{fmt(c.y)}</td>}<td>{value(c)}</td>
              <td>{Math.round(100 * c.successRate)} %</td><td>{Math.round(100 * c.divergedRate)} %</td>
              <td><button type="button" onClick={() => openSweepCell(c.xi, c.yi)}>Open run</button></td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </details>
  );
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

export default function SweepTab() {
  const exp = useLab((s) => s.experiment);
  const sr = useLab((s) => s.sweepRun);
  const [picked, setOutcome] = useState<OutcomeKey | null>(null);
  const busy = sr.status === 'starting' || sr.status === 'running';
  const p = sr.progress;
  const result = sr.result;
  // by default the recovery error where there is a truth to recover (planted measured problems, HMF)
  const available = result ? availableOutcomes(result.cells) : [];
  const outcome: OutcomeKey = picked && available.includes(picked) ? picked
    : (['relativeError', 'subspaceError'] as const).find((k) => available.includes(k)) ?? 'relativeGap';
  const csv = useMemo(() => (result ? sweepCsv(result.plan, result.cells) : ''), [result]);
  // a sweep finished before a reload is shown again
  useEffect(() => void restoreKeptSweep(), [exp]);
  const currentKey = useMemo(() => sweepKey(exp), [exp]);
  // the claims about the cells, on this result when it is for these settings and complete
  const fresh = result && !busy && (sr.docKey === null || sr.docKey === currentKey) ? result : null;
  const claims = useMemo(() => sweepClaimsView(exp, fresh), [exp, fresh]);
  return (
    <div className="sweepview">
      <About />
      <SweepSettings />
      {exp.sweep && (
        <section className="runbar" aria-label="sweep run">
          <button onClick={runSweep} disabled={busy}>Run sweep</button>{' '}
          <button onClick={cancelSweep} disabled={!busy}>Cancel</button>{' '}
          {result && <button onClick={() => download('lowrank-lab-sweep.csv', csv, 'text/csv')}>Export CSV</button>}
          {(busy || p) && (
            <div className="sweep-progress">
              <progress aria-label="sweep progress" max={1} value={p?.fraction ?? 0} />
              <span data-testid="sweep-progress-text">
                {p ? `${p.runsDone} / ${p.runs} runs, ${Math.floor(100 * p.fraction)} %` : 'starting…'}
                {busy && p?.etaMs != null ? `, about ${seconds(p.etaMs)} left` : ''}
                {!busy && result ? ` — ${result.cancelled ? 'cancelled' : 'done'} in ${seconds(result.elapsedMs)}` : ''}
              </span>
            </div>
          )}
          {sr.reason && <p className="engine">{sr.reason}</p>}
          {result && !busy && sr.docKey !== null && sr.docKey !== currentKey && (
            <p className="warn" data-testid="sweep-stale">The settings have changed since this result was computed: the diagram below is for the earlier ones. Run sweep to update it.</p>
          )}
          {sr.kept !== null && result && (
            <p className="engine" data-testid="sweep-kept">
              Kept in this browser from {new Date(sr.kept).toLocaleString()}: {result.trials.length} runs on the {result.backend === 'webgpu' ? 'WebGPU' : 'CPU'} engine
              in {seconds(result.elapsedMs)}. Run sweep to compute it again.
            </p>
          )}
          {result && result.recoveries > 0 && (
            <p className="engine">The GPU device was lost {result.recoveries === 1 ? 'once' : `${result.recoveries} times`}; each time a new device ran the interrupted chunk again, so no run was lost.</p>
          )}
          {sr.status === 'error' && <p className="error" role="alert">{sr.error}</p>}
        </section>
      )}
      {result && (
        <section className="sweep-result" aria-label="phase diagram">
          <label>
            colour:{' '}
            <select aria-label="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as OutcomeKey)}>
              {available.map((k) => <option key={k} value={k}>{OUTCOMES[k].label}</option>)}
            </select>
          </label>
          <SweepHeatmap result={result} outcome={outcome} onCell={openSweepCell} />
          <CellTable result={result} outcome={outcome} />
          <p className="help">
            Each cell aggregates {result.plan.seeds} seed{result.plan.seeds === 1 ? '' : 's'} (median; hover for the spread).
            A run succeeds when its {successText(result.plan.base, result.plan.sweep.tolerance)}; {result.plan.y ? 'grey cells' : 'no point'}: every seed diverged.{' '}
            {boundCurve(result.plan, result.cells)
              ? <>The line is the step-size bound μ &lt; (1 − 2ω)/L̂ with L̂ = 6σ₁(Y) (SPEC 3.2, §3.4);
                the certified bound (3.7) is drawn too when it falls inside the grid{certifiedNote(result.cells)}. </>
              : result.cells.some((c) => c.bound !== null) ? <>With a step size on an axis, the bound μ &lt; (1 − 2ω)/L̂ of SPEC (3.2) is drawn over the diagram. </>
                : <>HMF has no step-size bound of SPEC §3 to draw (its server averages exactly). </>}
            Click a {result.plan.y ? 'cell' : 'point'} to open its run (first seed) in the run view.
          </p>
        </section>
      )}
      {claims && <ClaimList view={claims} waiting="checked when the sweep finishes" testId="sweep-claims" />}
    </div>
  );
}
