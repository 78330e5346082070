/**
 * What the sweep varies: the parameter and its values for x (and optionally y), seeds per cell and the
 * success tolerance. Edits write `experiment.sweep` (and so the link); a value text that does not parse
 * stays in its box with the reason beside it and changes nothing.
 */
import { useState } from 'react';
import { parseExperiment } from '../../core/experiment';
import { SWEEP_PARAMS, type SweepInput, axisText, parseAxisText } from '../../core/sweep-schema';
import { labStore, useLab } from '../../state/store';
import { setSweep } from '../../state/sweep-actions';

const DEFAULT_SWEEP: SweepInput = { x: { param: 'algorithm.stepsize.c', values: [0.25, 0.5, 1, 2] }, seeds: 2, tolerance: 1e-8 };

function AxisEditor({ name, sweep }: { name: 'x' | 'y'; sweep: SweepInput }) {
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
          const choices = SWEEP_PARAMS.find((p) => p.path === e.target.value)?.choices;
          commit(e.target.value || null, choices ? choices.join(',') : axis && !SWEEP_PARAMS.find((p) => p.path === axis.param)?.choices ? text : '1,2');
        }}>
          {name === 'y' && <option value="">— none (one row) —</option>}
          {SWEEP_PARAMS.map((p) => <option key={p.path} value={p.path}>{p.path} — {p.label}</option>)}
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
  if (!sweep) {
    return (
      <section className="runbar" aria-label="sweep settings">
        <p>This experiment has no sweep. A sweep runs it over a grid of one or two parameters, several seeds per cell.</p>
        <button onClick={() => setSweep(DEFAULT_SWEEP)}>Sweep the step size</button>
      </section>
    );
  }
  const cells = (a: SweepInput['x'] | undefined) => (a ? a.values?.length ?? a.range?.steps ?? 1 : 1);
  return (
    <section className="runbar sweep-settings" aria-label="sweep settings">
      {/* keyed by the axis: an edit from elsewhere (a link, a preset) resets the text box */}
      <AxisEditor key={`x${JSON.stringify(sweep.x)}`} name="x" sweep={sweep} />
      <AxisEditor key={`y${JSON.stringify(sweep.y)}`} name="y" sweep={sweep} />
      {!sweep.y && <button onClick={() => setSweep({ ...sweep, y: { param: sweep.x.param === 'network.p' ? 'init.scale' : 'network.p', values: [0.3, 0.6, 1] } })}>Add a y axis</button>}
      <div className="sweep-axis">
        <label>seeds per cell: <input aria-label="seeds per cell" type="number" min={1} max={64} value={sweep.seeds ?? 1}
          onChange={(e) => Number.isInteger(Number(e.target.value)) && Number(e.target.value) >= 1 && Number(e.target.value) <= 64 && setSweep({ ...sweep, seeds: Number(e.target.value) })} /></label>{' '}
        <label>success: gap ≤ <input aria-label="sweep tolerance" size={7} defaultValue={String(sweep.tolerance ?? 1e-8)} key={String(sweep.tolerance)}
          onBlur={(e) => Number(e.target.value) > 0 && setSweep({ ...sweep, tolerance: Number(e.target.value) })} />·‖Y‖²</label>{' '}
        <span className="help">{cells(sweep.x) * cells(sweep.y)} cells × {sweep.seeds ?? 1} seeds = {cells(sweep.x) * cells(sweep.y) * (sweep.seeds ?? 1)} runs of {exp.algorithm.iterations} iterations</span>{' '}
        <button onClick={() => setSweep(undefined)}>Remove the sweep</button>
      </div>
      <p className="help">Values: a list (0.2,0.5,1) or a range from..to:steps, with :log for log spacing (1e-5..1e-2:8:log). Seed k adds k to the data and initial seeds.</p>
    </section>
  );
}
