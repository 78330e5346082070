/**
 * The curvature trace: λ_min of the Hessian of the objective being descended at the records the document
 * asks for (algorithm.curvatureEvery), every run on screen overlaid, on a linear axis with the zero line —
 * negative near a saddle, ≥ 0 (up to rounding) at a minimum — and the end-of-run verdict with its numbers.
 * While a run streams only the latest value is shown (a Plotly redraw is too slow for the live page).
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { RunRecord } from '../../state/store';
import { Plot } from '../plots/Plot';

const fmt = (x: number) => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(3));

export function CurvatureChart({ runs, activeId, live }: { runs: RunRecord[]; activeId: number | null; live: boolean }) {
  const withCurv = runs.filter((r) => r.rows.some((row) => row.curvature !== undefined && Number.isFinite(row.curvature)));
  const data = useMemo<Data[]>(() => (live ? [] : withCurv.map((r) => {
    const rows = r.rows.filter((row) => row.curvature !== undefined && Number.isFinite(row.curvature));
    return {
      type: 'scatter', mode: 'lines+markers', name: r.label,
      x: rows.map((row) => row.iteration), y: rows.map((row) => row.curvature!),
      line: { color: r.color, width: r.id === activeId ? 2.5 : 1.5, dash: r.id === activeId ? 'solid' : 'dash' }, marker: { size: 4 },
      hovertemplate: 'iteration %{x}<br>λ_min = %{y:.4g}<extra></extra>',
    } as Data;
  })), [live, withCurv, activeId]);
  const layout = useMemo<Partial<Layout>>(() => ({
    title: { text: 'curvature λ_min of the Hessian', font: { size: 13 } },
    yaxis: { zeroline: true, zerolinecolor: '#444', zerolinewidth: 1.5, exponentformat: 'power' },
    xaxis: { title: { text: 'iteration' } },
    showlegend: false, uirevision: 'keep',
  }), []);
  const active = runs.find((r) => r.id === activeId);
  if (!withCurv.length) return null;
  const last = active?.rows.filter((row) => row.curvature !== undefined && Number.isFinite(row.curvature)).at(-1);
  return (
    <section className="curv-chart" aria-label="curvature trace">
      {live
        ? <p className="curv-live">λ_min = {last ? fmt(last.curvature!) : '…'} at iteration {last?.iteration ?? '…'} (the chart is drawn when the run pauses or stops)</p>
        : <Plot data={data} layout={layout} label="λ_min of the Hessian against iteration, linear scale" height={230} />}
      {active?.verdict && (
        <p className={`curv-verdict curv-${active.verdict.kind}`} role="status">
          <strong>{active.verdict.kind === 'minimum' ? 'Global minimum' : active.verdict.kind === 'strict-saddle' ? 'Strict saddle' : 'Not converged'}</strong>
          {' — '}‖∇‖ = {fmt(active.verdict.gradientNorm)}, λ_min = {fmt(active.verdict.lambdaMin)}, λ_max = {fmt(active.verdict.lambdaMax)}, optimality gap {fmt(active.verdict.optimalityGap)}.
        </p>
      )}
    </section>
  );
}
