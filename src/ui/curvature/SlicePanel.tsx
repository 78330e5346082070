/**
 * A landscape slice of the current run (src/core/slice.ts): the objective being descended on a plane
 * through the current iterate — random directions, consensus / disagreement, or the two lowest Hessian
 * eigenvectors — drawn like the toy landscape (log colour scale), with the run's path projected on the
 * plane. The worker computes the plane and the 15 quartic coefficients; a new range only re-evaluates
 * the quartic here (15 multiply-adds per point), so it redraws within a frame.
 */
import { useMemo, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import { PLANES, type PlaneKind, gridAxis, quarticGrid } from '../../core/slice';
import type { SliceResult } from '../../state/engines';
import { requestSlice } from '../../state/actions';
import { useLab } from '../../state/store';
import { LANDSCAPE_COLORSCALE } from '../landscape/traces';
import { Plot } from '../plots/Plot';

const PLANE_LABEL: Record<PlaneKind, string> = {
  random: 'two random directions (per factor)',
  consensus: 'consensus and disagreement',
  hessian: 'two lowest Hessian eigenvectors',
};

export function SlicePanel() {
  const status = useLab((s) => s.status);
  const hasRun = useLab((s) => s.runs.some((r) => r.id === s.activeId && r.engine));
  const [plane, setPlane] = useState<PlaneKind>('random');
  const [range, setRange] = useState(1);
  const [res, setRes] = useState(128);
  const [view, setView] = useState<'heatmap' | 'contour'>('contour');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [slice, setSlice] = useState<SliceResult | null>(null);

  const compute = async () => {
    const p = requestSlice({ plane, range, res, seed: 0 });
    if (!p) return;
    setBusy(true);
    setError(null);
    const m = await p;
    setBusy(false);
    if (m.error || !m.result) setError(m.error ?? 'no slice');
    else setSlice(m.result);
  };

  // the drawn grid: the worker's values at its own range, else the quartic re-evaluated at the new one
  const grid = useMemo(() => {
    if (!slice) return null;
    const spec = { ...slice.spec, a: [-range, range] as [number, number], b: [-range, range] as [number, number] };
    const same = spec.a[1] === slice.spec.a[1];
    return { spec, value: same ? slice.value : quarticGrid(slice.coefficients, spec) };
  }, [slice, range]);

  const data = useMemo<Data[]>(() => {
    if (!slice || !grid) return [];
    const { spec, value } = grid;
    let max = 0;
    for (const v of value) max = Math.max(max, v);
    const eps = 1e-9 * max || 1e-12;
    const z = Array.from({ length: spec.nb }, (_, j) => Array.from(value.subarray(j * spec.na, (j + 1) * spec.na), (v) => Math.log10(Math.max(v, 0) + eps)));
    const common = {
      x: Array.from(gridAxis(spec.a, spec.na)), y: Array.from(gridAxis(spec.b, spec.nb)), z, colorscale: LANDSCAPE_COLORSCALE,
      colorbar: { title: { text: 'log₁₀ g', side: 'right' }, thickness: 12, len: 0.9 }, name: 'slice', showlegend: false,
      hovertemplate: 'a = %{x:.3f}<br>b = %{y:.3f}<br>log₁₀ g = %{z:.3f}<extra></extra>',
    };
    const bg = (view === 'heatmap'
      ? { ...common, type: 'heatmap', zsmooth: false }
      : { ...common, type: 'contour', ncontours: 30, contours: { coloring: 'heatmap', showlines: true }, line: { width: 0.5, color: 'rgba(60,20,0,0.35)' } }) as Data;
    const t = slice.trajectory;
    const path = {
      type: 'scatter', mode: 'lines+markers', name: 'the run, projected', x: t.a, y: t.b,
      line: { color: '#111', width: 2 }, marker: { size: 4, color: '#111' },
      text: t.iteration.map((it, k) => `iteration ${it}, g = ${t.value[k].toExponential(3)}`),
      hovertemplate: '%{text}<br>(a, b) = (%{x:.3f}, %{y:.3f})<extra></extra>',
    } as Data;
    const start = { type: 'scatter', mode: 'markers', name: 'start', x: t.a.slice(0, 1), y: t.b.slice(0, 1), marker: { size: 11, symbol: 'circle-open', color: '#111', line: { width: 2 } }, hoverinfo: 'skip' } as Data;
    const here = { type: 'scatter', mode: 'markers', name: `iterate ${slice.iteration}`, x: [0], y: [0], marker: { size: 14, symbol: 'star', color: '#1f4fd8', line: { color: '#fff', width: 1.5 } }, hovertemplate: `the plane's origin: iteration ${slice.iteration}<extra></extra>` } as Data;
    return [bg, path, start, here];
  }, [slice, grid, view]);

  const layout = useMemo<Partial<Layout>>(() => ({
    title: { text: slice ? `g on the plane through iteration ${slice.iteration}` : '', font: { size: 13 } },
    xaxis: { title: { text: slice ? `a: ${slice.labels[0]}` : 'a' }, range: [-range, range] },
    yaxis: { title: { text: slice ? `b: ${slice.labels[1]}` : 'b' }, range: [-range, range], scaleanchor: 'x' },
    margin: { l: 60, r: 8, t: 36, b: 48 }, showlegend: true, legend: { orientation: 'h', y: -0.2 }, hovermode: 'closest', uirevision: 'slice',
  }), [slice, range]);

  return (
    <section className="slice-panel" aria-label="landscape slice">
      <h3>Landscape slice through the current iterate</h3>
      <div className="slice-controls">
        <label>plane{' '}
          <select aria-label="plane" value={plane} onChange={(e) => setPlane(e.target.value as PlaneKind)}>
            {PLANES.map((p) => <option key={p} value={p}>{PLANE_LABEL[p]}</option>)}
          </select>
        </label>
        <label>range ±{' '}
          <input aria-label="range" type="number" min={0.01} step="any" value={range} onChange={(e) => { const v = Number(e.target.value); if (v > 0) setRange(v); }} />
        </label>
        <label>resolution{' '}
          <select aria-label="resolution" value={res} onChange={(e) => setRes(Number(e.target.value))}>
            {[64, 128, 256, 512].map((r) => <option key={r} value={r}>{r}×{r}</option>)}
          </select>
        </label>
        <label>view{' '}
          <select aria-label="view" value={view} onChange={(e) => setView(e.target.value as 'heatmap' | 'contour')}>
            <option value="contour">contours</option>
            <option value="heatmap">heatmap</option>
          </select>
        </label>
        <button type="button" onClick={() => void compute()} disabled={!hasRun || busy || status === 'running'}>
          {busy ? 'Computing…' : 'Slice at the current iterate'}
        </button>
      </div>
      {!hasRun && <p className="help">Run (or step) an experiment first; the slice passes through its current iterate.</p>}
      {status === 'running' && hasRun && <p className="help">Pause the run to slice at its current iterate.</p>}
      {error && <p className="warn" role="alert">{error}</p>}
      {slice && (
        <>
          <Plot data={data} layout={layout} label={`Landscape slice on the ${slice.plane} plane with the run's path projected`} height={460} />
          <p className="help">
            {slice.method === 'analytic' ? 'Exact quartic from one pass over the data' : 'Exact quartic fitted on a 5×5 stencil'} ({slice.spec.na}×{slice.spec.nb} in {slice.ms.toFixed(0)} ms);
            the path is each recorded iterate projected orthogonally on the plane, so off-plane motion does not show.
          </p>
        </>
      )}
    </section>
  );
}
