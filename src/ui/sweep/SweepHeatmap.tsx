/**
 * The phase diagram: one outcome per cell as a plotly heatmap, the theory bound as a line over it; a
 * sweep of one parameter is a curve instead (median over the seeds, min–max as error bars), the bound a
 * vertical line.
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { SweepResult } from '../../state/engines';
import { Plot } from '../plots/Plot';
import { type OutcomeKey, OUTCOMES, boundCurve, fmt, grid, lineSeries, tick } from './heatmap';


export function SweepHeatmap({ result, outcome, onCell }: { result: SweepResult; outcome: OutcomeKey; onCell: (xi: number, yi: number) => void }) {
  const { plan, cells } = result;
  const { data, layout } = useMemo(() => {
    const nx = plan.x.values.length, ny = plan.y?.values.length ?? 1;
    const z = grid(plan, cells, outcome);
    const text = Array.from({ length: ny }, () => new Array<string>(nx).fill('not run'));
    for (const c of cells) {
      const g = c.relativeGap;
      text[c.yi][c.xi] = [
        `${plan.x.label} = ${fmt(c.x)}`, ...(plan.y ? [`${plan.y.label} = ${fmt(c.y)}`] : []),
        c.bound === null ? `η = ${fmt(c.stepsize)}`
          : `μ = ${fmt(c.stepsize)}, ω = ${fmt(c.omega)}, bound (1 − 2ω)/L̂ = ${fmt(c.bound)}${c.certifiedBound !== null ? `, certified (3.7) ${fmt(c.certifiedBound)}` : ''}`,
        `gap/‖Y‖²: ${g ? `${fmt(g.median)} [${fmt(g.min)}, ${fmt(g.max)}]` : 'diverged'}`,
        ...(c.consensusError ? [`consensus error: ${fmt(c.consensusError.median)}`] : []),
        ...(c.relativeError ? [`recovery error: ${fmt(c.relativeError.median)}`] : []),
        ...(c.subspaceError ? [`shared / unique / subspace error: ${fmt(c.sharedError?.median)} / ${fmt(c.uniqueError?.median)} / ${fmt(c.subspaceError.median)}`] : []),
        `iterations to tolerance: ${fmt(c.iterationsToTolerance?.median)}`,
        `success ${Math.round(100 * c.successRate)} %, diverged ${Math.round(100 * c.divergedRate)} % of ${c.trials}`,
      ].join('<br>');
    }
    const axis = (values: (number | string)[], title: string) => ({
      title: { text: title }, automargin: true, tickmode: 'array' as const, tickvals: values.map((_, i) => i), ticktext: values.map(tick), range: [-0.5, values.length - 0.5], zeroline: false, showgrid: false,
    });
    if (!plan.y) {
      const s = lineSeries(plan, cells, outcome);
      const diff = (a: (number | null)[], b: (number | null)[]) => a.map((v, i) => (v === null || b[i] === null ? 0 : v - b[i]!));
      const log = OUTCOMES[outcome].log;
      const line: Data[] = [{
        type: 'scatter', mode: 'lines+markers', x: plan.x.values.map((_, i) => i), y: s.median, text: text[0] as never, hovertemplate: '%{text}<extra></extra>',
        name: 'median over the seeds', line: { color: '#3b5bdb', width: 2 }, marker: { size: 7 },
        error_y: { type: 'data', symmetric: false, array: diff(s.hi, s.median), arrayminus: diff(s.median, s.lo), visible: true, color: '#8da2e8' },
      } as Data];
      const curve = boundCurve(plan, cells);
      const ys = [...s.lo, ...s.hi].filter((v): v is number => v !== null);
      if (curve && ys.length) {
        line.push({ type: 'scatter', mode: 'lines', x: curve.x, y: [Math.min(...ys), Math.max(...ys)], name: 'bound (1 − 2ω)/L̂', line: { color: '#ff3b30', width: 3, dash: 'dash' }, hoverinfo: 'name' } as Data);
      }
      return {
        data: line,
        layout: {
          xaxis: axis(plan.x.values, plan.x.label),
          yaxis: { title: { text: OUTCOMES[outcome].label.replace(/ \(median.*\)/, '') }, type: log ? 'log' : 'linear', exponentformat: 'power', automargin: true },
          showlegend: true, legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' }, margin: { l: 70, r: 16, t: 40, b: 50 },
        } as Partial<Layout>,
      };
    }
    const traces: Data[] = [{
      type: 'heatmap', x: plan.x.values.map((_, i) => i), y: Array.from({ length: ny }, (_, i) => i), z, text: text as never,
      hovertemplate: '%{text}<extra></extra>', colorscale: outcome === 'successRate' ? 'Greens' : 'Viridis', reversescale: outcome === 'successRate',
      colorbar: { title: { text: OUTCOMES[outcome].label.replace(/ \(.*\)/, ''), side: 'right' } }, xgap: 1, ygap: 1,
    } as Data];
    const curve = boundCurve(plan, cells);
    if (curve) {
      traces.push({ type: 'scatter', mode: 'lines', x: curve.x, y: curve.y, name: 'bound (1 − 2ω)/L̂', line: { color: '#ff3b30', width: 3, dash: 'dash' }, hoverinfo: 'name' } as Data);
    }
    // the certified bound (3.7) is orders of magnitude smaller: drawn when it falls inside the grid
    const cert = boundCurve(plan, cells, 'certified');
    const along = cert ? (cert.stepAxis === 'x' ? cert.x : cert.y) : [];
    const n = cert?.stepAxis === 'x' ? nx : ny;
    if (cert && along.some((v) => v >= -0.5 && v <= n - 0.5)) {
      traces.push({ type: 'scatter', mode: 'lines', x: cert.x, y: cert.y, name: 'certified (3.7)', line: { color: '#ff9500', width: 2, dash: 'dot' }, hoverinfo: 'name' } as Data);
    }
    const lay: Partial<Layout> = {
      xaxis: axis(plan.x.values, plan.x.label),
      yaxis: plan.y ? axis(plan.y.values, plan.y.label) : { ...axis([0], ''), showticklabels: false },
      showlegend: !!curve, legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' }, margin: { l: 70, r: 16, t: 40, b: 50 },
      // cells without a value (every seed diverged) show the background
      plot_bgcolor: '#c9c9cf',
    };
    return { data: traces, layout: lay };
  }, [plan, cells, outcome]);
  return (
    <Plot className="chart sweep-heatmap" label="sweep heatmap" data={data} layout={layout} height={Math.min(700, Math.max(320, 90 + 36 * (plan.y?.values.length ?? 1)))}
      onClick={(x, y) => {
        // a curve's point: its x is the cell; a heatmap's cell: both
        const xi = Math.round(x), yi = plan.y ? Math.round(y) : 0;
        if (xi >= 0 && xi < plan.x.values.length && yi >= 0 && yi < (plan.y?.values.length ?? 1)) onCell(xi, yi);
      }} />
  );
}
