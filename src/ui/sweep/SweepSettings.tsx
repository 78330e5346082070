/**
 * What the sweep varies: the parameter and its values for x (and optionally y), seeds per cell and the
 * success tolerance. Edits write `experiment.sweep` (and so the link); a value text that does not parse
 * stays in its box with the reason beside it and changes nothing.
 */
import { useState } from 'react';
import { parseExperiment } from '../../core/experiment';
import { MAIN_RUN } from '../../core/document';
import { SWEEP_PARAMS, type SweepInput, axisText, parseAxisText, sweepParamsFor } from '../../core/sweep-schema';
import { isNodeKind, kindOf as registeredKind } from '../../core/problems/registry';
import { labStore, useLab } from '../../state/store';
import { backToSweep, setSweep } from '../../state/sweep-actions';

/** What the defaults read of the store's experiment document. */
type Doc = { problem: unknown; algorithm: { stepsize?: unknown }; network?: unknown };
const kindOf = (exp: Doc) => (exp.problem as { kind: string }).kind;
const own = (exp: Doc) => { const k = registeredKind(kindOf(exp)); return !!k && !isNodeKind(k); };

/** A first sweep of the step size: the factor c of the practical rule, or multiples of an HMF experiment's fixed η. */
function defaultSweep(exp: Doc): SweepInput {
  const eta = exp.algorithm.stepsize;
  // a kind with its own method (HMF) fixes η: multiples of it; the others sweep the rule's factor c
  const x = own(exp) && typeof eta === 'number'
    ? { param: 'algorithm.stepsize', values: [0.25, 0.5, 1, 2].map((f) => Number((f * eta).toPrecision(3))) }
    : { param: 'algorithm.stepsize.c', values: [0.25, 0.5, 1, 2] };
  return { x, seeds: 2, tolerance: 1e-8 };
}

/** What "success" measures (src/core/sweep.ts TrialTracker): the recovery error where a truth is planted, else the gap. */
export function successMeasure(exp: Doc): [string, string] {
  const p = exp.problem as { kind: string; generate?: unknown };
  return registeredKind(p.kind)?.success?.(p) ?? ['optimality gap', '‖Y‖²'];
}

/** A second axis that fits the experiment: the kind's own (β for HMF), connectivity on a random graph, else the initial scale. */
function defaultY(exp: Doc, sweep: SweepInput): SweepInput['y'] {
  const er = (exp.network as { topology?: string } | undefined)?.topology === 'erdos-renyi';
  const options: SweepInput['x'][] = [
    // the kind's own second axis (HMF: β)
    ...(registeredKind(kindOf(exp))?.sweepY ? [registeredKind(kindOf(exp))!.sweepY!] : []),
    ...(er ? [{ param: 'network.p', values: [0.3, 0.6, 1] }] : []),
    { param: 'init.scale', values: [0.01, 0.1, 1] },
    { param: 'init.seed', values: [1, 2, 3] },
  ];
  return options.find((o) => o.param !== sweep.x.param);
}

function AxisEditor({ name, sweep, kind, runs }: { name: 'x' | 'y'; sweep: SweepInput; kind: string; runs: string[] }) {
  const axis = sweep[name];
  const [text, setText] = useState(axis ? axisText(axis) : '');
  const [err, setErr] = useState<string | null>(null);
  const commit = (param: string | null, t: string) => {
    if (param === null) {
      const { y: _y, ...rest } = sweep;
      return setSweep(rest as SweepInput);
    }
    try {
      const a = parseAxisText(param, t);
      const next = { ...sweep, [name]: a } as SweepInput;
      const exp = { ...structuredClone(labStore.getState().experiment), sweep: next };
      parseExperiment(exp);
      setErr(null);
      setSweep(next);
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  return (
    <div className="sweep-axis">
      <label>
        {name}:{' '}
        <select aria-label={`sweep ${name} parameter`} value={axis?.param ?? ''} onChange={(e) => {
          // the run axis starts with every run of the document (main and its comparison runs)
          const choices = e.target.value === 'run' ? runs : SWEEP_PARAMS.find((p) => p.path === e.target.value)?.choices;
          commit(e.target.value || null, choices ? choices.join(',') : axis && !SWEEP_PARAMS.find((p) => p.path === axis.param)?.choices ? text : '1,2');
        }}>
          {name === 'y' && <option value="">— none (one row) —</option>}
          {sweepParamsFor(kind).map((p) => <option key={p.path} value={p.path}>{p.path} — {p.label}</option>)}
        </select>
      </label>{' '}
      {axis && (
        <input aria-label={`sweep ${name} values`} value={text} size={24} onChange={(e) => setText(e.target.value)}
          onBlur={() => commit(axis.param, text)} onKeyDown={(e) => e.key === 'Enter' && commit(axis.param, text)} />
      )}
      {err && <span className="error"> {err}</span>}
    </div>
  );
}

export function SweepSettings() {
  const sweep = useLab((s) => s.experiment.sweep);
  const exp = useLab((s) => s.experiment);
  const origin = useLab((s) => s.sweepOrigin);
  // (only while the run view holds that cell, perhaps edited: another preset or link has its own title)
  if (!sweep && origin && exp.title === origin.cellTitle) {
    return (
      <section className="runbar" aria-label="sweep settings" data-testid="sweep-cell-note">
        <p>The run view holds one cell of the sweep “{origin.experiment.title ?? 'sweep'}”; the heatmap below is that sweep’s.{' '}
          <button type="button" onClick={backToSweep}>Back to the whole sweep</button></p>
      </section>
    );
  }
  if (!sweep) {
    return (
      <section className="runbar" aria-label="sweep settings">
        <p>This experiment has no sweep. A sweep runs it over a grid of one or two parameters, several seeds per cell.</p>
        <button onClick={() => setSweep(defaultSweep(exp))}>Sweep the step size</button>
      </section>
    );
  }
  const cells = (a: SweepInput['x'] | undefined) => (a ? a.values?.length ?? a.range?.steps ?? 1 : 1);
  const [measure, scale] = successMeasure(exp);
  const runs = [MAIN_RUN, ...(exp.compare ?? []).map((c) => c.name)];
  return (
    <section className="runbar sweep-settings" aria-label="sweep settings">
      {/* keyed by the axis: an edit from elsewhere (a link, a preset) resets the text box */}
      <AxisEditor key={`x${JSON.stringify(sweep.x)}`} name="x" sweep={sweep} kind={kindOf(exp)} runs={runs} />
      <AxisEditor key={`y${JSON.stringify(sweep.y)}`} name="y" sweep={sweep} kind={kindOf(exp)} runs={runs} />
      {!sweep.y && <button onClick={() => setSweep({ ...sweep, y: defaultY(exp, sweep) })}>Add a y axis</button>}
      <div className="sweep-axis">
        <label>seeds per cell: <input aria-label="seeds per cell" type="number" min={1} max={64} value={sweep.seeds ?? 1}
          onChange={(e) => Number.isInteger(Number(e.target.value)) && Number(e.target.value) >= 1 && Number(e.target.value) <= 64 && setSweep({ ...sweep, seeds: Number(e.target.value) })} /></label>{' '}
        <label>success: {measure} ≤ <input aria-label="sweep tolerance" size={7} defaultValue={String(sweep.tolerance ?? 1e-8)} key={String(sweep.tolerance)}
          onBlur={(e) => Number(e.target.value) > 0 && setSweep({ ...sweep, tolerance: Number(e.target.value) })} />{scale === '1' ? '' : `·${scale}`}</label>{' '}
        <span className="help">{cells(sweep.x) * cells(sweep.y)} cells × {sweep.seeds ?? 1} seeds = {cells(sweep.x) * cells(sweep.y) * (sweep.seeds ?? 1)} runs of {exp.algorithm.iterations} iterations</span>{' '}
        <button onClick={() => setSweep(undefined)}>Remove the sweep</button>
      </div>
      <p className="help">Values: a list (0.2,0.5,1) or a range from..to:steps, with :log for log spacing (1e-5..1e-2:8:log). Seed k adds k to the data and initial seeds.</p>
    </section>
  );
}
