/**
 * The live metrics, one small log-scale chart per metric, every run on screen overlaid (the active run
 * solid, pinned runs dashed). Values are relative to ‖Y‖² where that makes sense, so runs of different
 * data compare.
 */
import { memo, useMemo, useRef } from 'react';
import type { Data, Layout, PlotlyHTMLElement } from 'plotly.js';
import { type MetricsRow, type OptionalTraceKey, type TraceKey } from '../core/metrics';
import { isNodeKind, kindOf, onNetwork } from '../core/problems/registry';
import type { RunRecord } from '../state/store';
import { useLab } from '../state/store';
import { LiveChart, type LiveSeries } from './plots/LiveChart';
import { Plot } from './plots/Plot';
import type { Plotly } from './plots/plotly';
import { NEGATIVE_NOTE, chartValues } from './chart-values';
import { METRIC_COLORS } from './theme';

type MetricKey = TraceKey | OptionalTraceKey;

/**
 * `show`: whether the chart applies to a run, decided from its first row (the measured problems record
 * fitting and optimality errors; their objective's minimum is 0, so the "gap" chart would repeat it).
 * `networked`: only for runs on a network — centralized GD has no copies to disagree, and its g is f.
 */
export const METRICS: { key: MetricKey; title: string; relative: boolean; help: string; linear?: boolean; show?: (row: MetricsRow) => boolean; networked?: boolean }[] = [
  { key: 'objective', title: 'objective f(z) / ‖Y‖²', relative: true, help: 'Σⱼ fⱼ: the fit of every node to its own data, plus the λ (and Q) terms when set' },
  { key: 'fittingError', title: 'fitting error / ‖X⋆‖²', relative: true, help: 'the data term alone: ½Σⱼ‖𝒜ⱼ(UʲVⱼᵀ) − bⱼ‖² (sensing), the observed entries (completion), the residual after S (RPCA)', show: (r) => r.fittingError !== undefined },
  { key: 'optimalityError', title: 'optimality error Σ‖UʲVⱼᵀ − Xⱼ⋆‖² / ‖X⋆‖²', relative: true, help: 'distance of every node’s reconstruction from the planted low-rank matrix', show: (r) => r.optimalityError !== undefined },
  { key: 'consensusError', title: 'consensus error Σ‖Uʲ − Ū‖² / ‖Y‖²', relative: true, help: 'how far the copies of U disagree', networked: true },
  { key: 'supportMismatch', title: 'support mismatch |supp S Δ supp S⋆| / |supp S⋆|', relative: false, linear: true, help: 'robust PCA: the corrupted entries found (0: exactly those of S⋆)', show: (r) => r.supportMismatch !== undefined },
  { key: 'optimalityGap', title: 'optimality gap / ‖Y‖²', relative: true, help: 'f(z) minus the best rank-r fit; a negative value (noisy data: f below the best rank-r fit of the whole Y) is drawn as |value| and the title says so', show: (r) => r.fittingError === undefined },
  { key: 'distributedObjective', title: 'distributed objective g / ‖Y‖²', relative: true, help: 'f plus the consensus penalty with w = w̃/(4μ); DGD+LOCAL is gradient descent on it', networked: true },
  { key: 'gradientNorm', title: 'gradient norm ‖∇g‖', relative: false, help: 'zero at a critical point of g' },
];

/** The gradient chart of centralized GD, whose objective is f itself. */
const GRAD_F: (typeof METRICS)[number] = { key: 'gradientNorm', title: 'gradient norm ‖∇f‖', relative: false, help: 'zero at a critical point of f' };

/** Rating prediction ([H] §6.4): the RMSEs on the held-out and the training ratings (HMF and completion). */
const RATINGS_METRICS: typeof METRICS = [
  { key: 'testRmse', title: 'test RMSE (held-out ratings)', relative: false, linear: true, help: '[H] §6.4: √(mean squared error) of the unclipped predictions on the held-out ratings', show: (r) => r.testRmse !== undefined },
  { key: 'trainRmse', title: 'training RMSE', relative: false, linear: true, help: 'the same on the ratings the method fits', show: (r) => r.trainRmse !== undefined },
];

/** HMF runs (SPEC §7.5): the errors against the planted truth instead of consensus quantities. */
export const HMF_METRICS: typeof METRICS = [
  { key: 'sharedError', title: 'shared error Σᵢ‖U_gV_(i),gᵀ − truth‖²', relative: false, help: '(7.6): the shared part of every source against the planted one', show: (r) => r.sharedError !== undefined },
  { key: 'uniqueError', title: 'unique error Σᵢ‖U_(i),lV_(i),lᵀ − truth‖²', relative: false, help: '(7.6): the unique part of every source against the planted one', show: (r) => r.uniqueError !== undefined },
  { key: 'subspaceError', title: 'subspace error (7.7)', relative: false, help: '‖P_Ug − P_Ug⋆‖² + (1/N)Σᵢ‖P_Ul − P_Ul⋆‖², from the r × r Gram matrices (no n₁ × n₁ projector)', show: (r) => r.subspaceError !== undefined },
  { key: 'objective', title: 'objective Σᵢ f̃ᵢ / ‖M‖²', relative: true, help: '(7.2): ½‖P_Ω(Mᵢ − M̂ᵢ)‖² plus the β terms, summed over the sources' },
  { key: 'feasibility', title: 'feasibility maxᵢ ‖U_gᵀU_(i),l‖', relative: false, help: 'the constraint of (7.2): about 1e-16 after every correction step, far from 0 without them' },
  ...RATINGS_METRICS,
];

export type ChartRefs = Map<MetricKey, { el: PlotlyHTMLElement; plotly: Plotly }>;

/** What a relative metric is divided by: ‖Y‖², unless that is 0 or overflowed (data too large for float64). */
const scaleOf = (r: RunRecord, metric: (typeof METRICS)[number]): number => (metric.relative && r.scale > 0 && Number.isFinite(r.scale) ? r.scale : 1);

// While a run streams the charts are drawn on a canvas (LiveChart: ~1 ms a redraw, so the page's frames
// stay short); paused or stopped, they are Plotly charts again (hover, zoom, PNG/SVG export).

const MetricChart = memo(function MetricChart({ metric, runs, activeId, live, onReady, step }: {
  metric: (typeof METRICS)[number]; runs: RunRecord[]; activeId: number | null; live: boolean; onReady: (el: PlotlyHTMLElement, p: Plotly) => void;
  /** what the x axis counts: iterations, or HMF's rounds */
  step: string;
}) {
  // a diverged run's non-finite values are gaps (never ±∞, which would blank a log axis); negative values
  // are drawn as |value| (src/ui/chart-values.ts); a run with fewer than 3 finite values (one that diverged
  // at once) shows them as markers, which a line alone cannot
  const values = useMemo(() => runs.map((r) => chartValues(r.rows.map((row) => row[metric.key]), scaleOf(r, metric), metric.linear)), [runs, metric]);
  const negative = values.some((v) => v.negative);
  const title = `${metric.title}${negative ? NEGATIVE_NOTE : ''}`;
  const data = useMemo<Data[]>(() => (live ? [] : runs.map((r, k) => {
    const y = values[k].y;
    return {
      type: 'scatter', mode: y.filter((v) => v !== null).length < 3 ? 'lines+markers' : 'lines', name: r.label,
      x: r.rows.map((row) => row.iteration), y,
      line: { color: r.color, width: r.id === activeId ? 2.5 : 1.5, dash: r.id === activeId ? 'solid' : 'dash' },
    };
  })), [live, runs, activeId, values]);
  // where a run diverged: a dotted line at its first non-finite iteration
  const diverged = runs.filter((r) => r.stop?.reason === 'diverged').map((r) => `${r.stop!.iteration}|${r.color}`).join(',');
  const layout = useMemo<Partial<Layout>>(() => {
    const stops = diverged ? diverged.split(',').map((d) => d.split('|')) : [];
    return {
      title: { text: title, font: { size: 13 } },
      yaxis: metric.linear ? { rangemode: 'tozero' } : { type: 'log', exponentformat: 'power' },
      xaxis: { title: { text: step } },
      showlegend: false,
      uirevision: 'keep',
      shapes: stops.map(([x, color]) => ({ type: 'line', xref: 'x', yref: 'paper', x0: Number(x), x1: Number(x), y0: 0, y1: 1, line: { color, width: 1, dash: 'dot' } })),
      annotations: stops.map(([x, color]) => ({ x: Number(x), xref: 'x', y: 1, yref: 'paper', text: `diverged at ${x}`, showarrow: false, xanchor: 'right', yanchor: 'top', font: { size: 10, color } })),
    };
  }, [metric, diverged, title, step]);
  const liveSeries = useMemo<LiveSeries[]>(() => (live ? runs.map((r, k) => {
    return {
      xs: r.rows.map((row) => row.iteration), ys: values[k].y.map((v) => v ?? NaN),
      color: r.color, width: r.id === activeId ? 2.5 : 1.5, dashed: r.id !== activeId,
    };
  }) : []), [live, runs, activeId, values]);
  const label = `${metric.title} against ${step}, log scale`;
  return (
    <div className="chart" title={metric.help} style={METRIC_COLORS[metric.key] ? ({ '--metric': METRIC_COLORS[metric.key] } as React.CSSProperties) : undefined}>
      {live
        ? <LiveChart title={title} series={liveSeries} height={230} label={label} xLabel={step} />
        : <Plot data={data} layout={layout} label={label} height={230} onReady={onReady} />}
    </div>
  );
});

/** A metric under the title the problem kind gives it (X = UUᵀ has no Y, V or Xⱼ⋆), when it gives one. */
const retitle = (m: (typeof METRICS)[number], titles: Partial<Record<string, string>>) => (titles[m.key] ? { ...m, title: titles[m.key]! } : m);

export function Charts({ refs }: { refs: React.RefObject<ChartRefs | null> }) {
  const runs = useLab((s) => s.runs);
  const activeId = useLab((s) => s.activeId);
  const live = useLab((s) => s.status === 'running');
  const local = useRef<ChartRefs>(new Map());
  const kind = kindOf(useLab((s) => (s.experiment.problem as { kind: string }).kind));
  // a kind with its own method (HMF) records its own metrics
  const hmf = !!kind && !isNodeKind(kind);
  const titles = kind?.metricTitles ?? {};
  const algorithm = useLab((s) => s.experiment.algorithm.name);
  // runs on a network (or, before any run, the experiment): consensus charts and ‖∇g‖; else ‖∇f‖
  const networked = runs.length ? runs.some((r) => onNetwork(r.experiment.algorithm.name)) : onNetwork(algorithm);
  refs.current ??= local.current;
  return (
    <>
    {runs.length > 1 && (
      <ul className="run-legend" aria-label="runs on the charts">
        {runs.map((r) => (
          <li key={r.id}>
            <svg width="28" height="10" aria-hidden="true"><line x1="1" y1="5" x2="27" y2="5" stroke={r.color} strokeWidth={r.id === activeId ? 3 : 2} strokeDasharray={r.id === activeId ? undefined : '6 4'} /></svg>
            {r.label}{r.id === activeId ? ' (current)' : ''}
          </li>
        ))}
      </ul>
    )}
    <section className="charts" aria-label="metrics">
      {(hmf ? HMF_METRICS : METRICS).filter((m) => (!m.show || runs.some((r) => r.rows[0] && m.show!(r.rows[0])))
        && (!m.networked || networked)).map((m) => (
        <MetricChart key={m.key} metric={retitle(m.key === 'gradientNorm' && !networked ? GRAD_F : m, titles)} runs={runs} activeId={activeId} live={live} step={kind?.step ?? 'iteration'} onReady={(el, plotly) => refs.current?.set(m.key, { el, plotly })} />
      ))}
    </section>
    </>
  );
}
