/**
 * The Landscape view's controls: objective (one per toy of src/core/toys/registry.ts), the toy's parameter, step size, view, gradient field, a typed start point
 * (the keyboard's way to add what a click on the chart adds), replay and clear. Every control has a
 * label and a one-line title.
 */
import { useId, useState } from 'react';
import { LANDSCAPE_VIEWS, type LandscapeParams, type Point } from '../../core/toy';
import { TOYS, toyFor } from '../../core/toys/registry';
import { NumberField } from './NumberField';
import { fmt } from './traces';

interface Props {
  params: LandscapeParams;
  onChange(p: LandscapeParams): void;
  onReplay(): void;
}

const VIEW_LABEL: Record<(typeof LANDSCAPE_VIEWS)[number], string> = { heatmap: 'heatmap', contour: 'contours', surface: '3-D surface' };

export function Controls({ params, onChange, onReplay }: Props) {
  const id = useId();
  const set = <K extends keyof LandscapeParams>(k: K, v: LandscapeParams[K]) => onChange({ ...params, [k]: v });
  const [start, setStart] = useState<[string, string]>(['0.5', '-0.45']);
  const parsed = start.map(Number) as Point;
  const startOk = parsed.every(Number.isFinite);
  const param = toyFor(params.kind).param;
  const addStart = () => startOk && params.starts.length < 32 && set('starts', [...params.starts, parsed]);

  return (
    <div className="ls-controls">
      <fieldset className="ls-group" title="Which objective to draw and descend">
        <legend>Objective</legend>
        {TOYS.map((t) => (
          <label key={t.name} title={t.title}>
            <input type="radio" name={`${id}-kind`} value={t.name} checked={params.kind === t.name} onChange={() => set('kind', t.name)} />
            {t.label}
          </label>
        ))}
      </fieldset>

      {param && (
        <label className="ls-field" title={param.title}>
          {param.symbol} = {fmt(params[param.field] as number)}
          <input
            type="range" aria-label={param.aria} min={param.min} max={param.max} step={param.step} value={params[param.field] as number}
            onChange={(e) => onChange({ ...params, [param.field]: Number(e.target.value) })}
          />
        </label>
      )}

      <NumberField
        label="Step size η" title="Gradient-descent step size η; GD cannot settle where the curvature exceeds 2/η"
        value={params.eta} min={0.001} max={2} step={0.01} accept={(v) => v > 0 && v <= 2} onCommit={(v) => set('eta', v)}
      />

      <label className="ls-field" title="How to draw the landscape">
        View
        <select value={params.view} onChange={(e) => set('view', e.target.value as LandscapeParams['view'])}>
          {LANDSCAPE_VIEWS.map((v) => <option key={v} value={v}>{VIEW_LABEL[v]}</option>)}
        </select>
      </label>

      <label className="ls-check" title="Draw short arrows along −∇g, the direction GD moves (their length is not to scale)">
        <input type="checkbox" checked={params.showField} onChange={(e) => set('showField', e.target.checked)} />
        Gradient field
      </label>

      <fieldset className="ls-group" title="Add a GD start by typing it (or click the chart)">
        <legend>Start point</legend>
        <label title="u coordinate of the start">
          u <input type="number" step={0.05} value={start[0]} onChange={(e) => setStart([e.target.value, start[1]])} aria-label="start u" />
        </label>
        <label title="v coordinate of the start">
          v <input type="number" step={0.05} value={start[1]} onChange={(e) => setStart([start[0], e.target.value])} aria-label="start v" />
        </label>
        <button type="button" onClick={addStart} disabled={!startOk || params.starts.length >= 32} title="Run gradient descent from this point">
          Add start
        </button>
      </fieldset>

      <button type="button" onClick={onReplay} disabled={!params.starts.length} title="Animate every trajectory again from its start">Replay</button>
      <button type="button" onClick={() => set('starts', [])} disabled={!params.starts.length} title="Remove every trajectory">Clear</button>
    </div>
  );
}
