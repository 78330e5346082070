/**
 * The saddle-escape demo (R2): GD from δ = 10⁻¹ … 10⁻⁸ off the stable manifold u + v = 0, the iterations
 * each run spends near the saddle against δ (log axis) with the fitted and the theoretical line, the
 * paths by the saddle, and the start exactly on the manifold that never leaves it.
 */
import { useMemo, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import { ESCAPE_DELTAS, type EscapeStudy, type LandscapeParams, manifoldDistance, saddleEscape, stableManifold, toyParam } from '../../core/toy';
import { Plot } from '../plots/Plot';
import { CsvButton } from '../CsvButton';
import { MANIFOLD_COLOR, SADDLE_COLOR, UV_AXES, fmt, pathTraces } from './traces';

/** the window of the paths chart: the saddle's neighbourhood and the minima nearest to it */
const R: [number, number] = [-1.3, 1.3];
const PATH_LAYOUT: Partial<Layout> = {
  title: { text: 'Paths past the saddle', font: { size: 13 } }, ...UV_AXES(R), showlegend: false, margin: { l: 48, r: 12, t: 36, b: 40 },
};
const DELTA_COLORS = ['#fdae61', '#f98e52', '#f46d43', '#e34a33', '#d7301f', '#b30000', '#8c1d6e', '#4a1486'];

export function EscapePanel({ params }: { params: LandscapeParams }) {
  const [open, setOpen] = useState(false);
  const { kind, eta } = params;
  const mub = toyParam(params);
  const study = useMemo(() => (open ? saddleEscape(kind, mub, eta, ESCAPE_DELTAS) : null), [open, kind, mub, eta]);

  return (
    <section className="ls-panel" aria-labelledby="ls-escape-title">
      <h3 id="ls-escape-title">Saddle escape: how long does GD linger near the saddle?</h3>
      <p className="ls-explain">
        Gradient descent is pulled <em>into</em> the saddle at the origin along the dashed line u + v = 0 (its stable
        manifold) and pushed <em>away</em> from it along u = v. A start exactly on the line slides into the saddle and
        stays there. A start a distance δ off the line first slides toward the saddle, then its distance from the line
        grows by a factor of about 1 + η per step, so it needs about ln(1/δ)/ln(1 + η) steps to get away: every
        tenfold smaller δ costs the same number of extra steps. The saddle slows GD down only logarithmically, and the
        tiniest nudge off the line is enough to escape.
      </p>
      <button
        type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open}
        title="Run GD from starts 10⁻¹ … 10⁻⁸ off the stable manifold and count the iterations spent near the saddle"
      >
        {open ? 'Hide the saddle-escape demo' : 'Run the saddle-escape demo'}
      </button>
      {study && <EscapeResults study={study} />}
    </section>
  );
}

function EscapeResults({ study }: { study: EscapeStudy }) {
  const { runs, fit, theory, eta } = study;
  const perDecade = (s: number) => s * Math.LN10;
  const countData = useMemo<Data[]>(() => {
    const d = runs.map((r) => r.delta);
    const line = (s: { slope: number; intercept: number }) => d.map((x) => s.slope * Math.log(1 / x) + s.intercept);
    return [
      { type: 'scatter', mode: 'markers', name: 'measured', x: d, y: runs.map((r) => r.nearSaddle), marker: { size: 9, color: DELTA_COLORS } },
      { type: 'scatter', mode: 'lines', name: `fit: ${fmt(perDecade(fit.slope))} per decade`, x: d, y: line(fit), line: { color: '#444', width: 1.5 } },
      { type: 'scatter', mode: 'lines', name: `theory ln 10/ln(1 + η): ${fmt(perDecade(theory.slope))} per decade`, x: d, y: line(theory), line: { color: SADDLE_COLOR, dash: 'dot', width: 2 } },
    ] as Data[];
  }, [runs, fit, theory]);
  const countLayout = useMemo<Partial<Layout>>(() => ({
    title: { text: `Iterations within ‖z‖ < ${study.rho} of the saddle (η = ${fmt(eta)})`, font: { size: 13 } },
    xaxis: { title: { text: 'distance δ from the stable manifold (log scale)' }, type: 'log', autorange: 'reversed', exponentformat: 'power' },
    yaxis: { title: { text: 'iterations near the saddle' }, rangemode: 'tozero' },
    legend: { x: 0.02, y: 0.98, yanchor: 'top', bgcolor: 'rgba(255,255,255,0.85)', font: { size: 11 } }, margin: { l: 60, r: 12, t: 36, b: 44 },
  }), [study.rho, eta]);

  const distData = useMemo<Data[]>(() => [
    ...runs.map((r, k) => {
      const d = manifoldDistance(r.trajectory.points);
      return {
        type: 'scatter', mode: 'lines', name: `δ = ${fmt(r.delta, 1)}`, x: d.map((_, i) => i), y: d,
        line: { color: DELTA_COLORS[k % DELTA_COLORS.length], width: 1.5 },
      };
    }),
  ] as Data[], [runs]);
  const distLayout = useMemo<Partial<Layout>>(() => ({
    title: { text: 'Distance from the manifold: ×(1 + η) per step', font: { size: 13 } },
    xaxis: { title: { text: 'iteration k' }, range: [0, Math.max(...runs.map((r) => r.nearSaddle)) * 1.25] },
    yaxis: { title: { text: '|u + v|/√2 (log scale)' }, type: 'log', exponentformat: 'power' },
    showlegend: false, margin: { l: 60, r: 12, t: 36, b: 44 },
  }), [runs]);

  const pathData = useMemo<Data[]>(() => {
    const seg = stableManifold(R)!;
    return [
      { type: 'scatter', mode: 'lines', name: 'stable manifold', x: [seg[0][0], seg[1][0]], y: [seg[0][1], seg[1][1]], line: { color: MANIFOLD_COLOR, dash: 'dash', width: 1 }, hoverinfo: 'skip' },
      ...runs.flatMap((r, k) => pathTraces(r.trajectory.points, r.trajectory.points.length, DELTA_COLORS[k % DELTA_COLORS.length], `δ = ${fmt(r.delta, 1)}`, 1.5)),
      ...pathTraces(study.onManifold.points, study.onManifold.points.length, SADDLE_COLOR, 'on the manifold (δ = 0)', 3),
      { type: 'scatter', mode: 'markers', name: 'saddle', x: [0], y: [0], marker: { color: SADDLE_COLOR, symbol: 'diamond', size: 12, line: { color: '#fff', width: 2 } } },
    ] as Data[];
  }, [runs, study.onManifold]);

  return (
    <div className="ls-escape">
      <div className="ls-row ls-row3">
        <Plot className="ls-escape-count" label="Iterations near the saddle against the distance δ from the stable manifold, with the fitted and the theoretical line" data={countData} layout={countLayout} height={340} />
        <Plot className="ls-escape-dist" label="Distance from the stable manifold against the iteration for each δ, log scale: parallel straight lines" data={distData} layout={distLayout} height={340} />
        <Plot className="ls-escape-paths" label="Gradient-descent paths past the saddle for each δ, and the path that starts on the stable manifold" data={pathData} layout={PATH_LAYOUT} height={340} />
      </div>
      <p className="ls-note">
        Left: measured counts (dots, coloured by δ as in the other charts), the least-squares line and the theory.
        Middle: while near the saddle every run's distance from u + v = 0 grows by the same factor 1 + η per step, so a
        tenfold smaller start costs ln 10/ln(1 + η) more steps. Right: the runs in the (u, v) plane; the thick blue path
        starts exactly on the manifold and ends at the saddle.
      </p>
      <p className="ls-summary" data-testid="escape-summary">
        Fitted slope {fmt(fit.slope, 4)} iterations per unit of ln(1/δ) ({fmt(perDecade(fit.slope), 3)} per decade, R² = {fit.r2.toFixed(5)});
        theory 1/ln(1 + η) = {fmt(theory.slope, 4)} ({fmt(perDecade(theory.slope), 3)} per decade). The start on the manifold:{' '}
        {study.onManifold.stop} after {study.onManifold.iterations} iterations.
      </p>
      <table className="ls-table" aria-describedby="ls-escape-setup">
        <thead><tr><th scope="row">δ</th>{runs.map((r) => <th key={r.delta} scope="col">{fmt(r.delta, 1)}</th>)}</tr></thead>
        <tbody><tr><th scope="row">iterations</th>{runs.map((r) => <td key={r.delta}>{r.nearSaddle}</td>)}</tr></tbody>
      </table>
      <CsvButton file="lowrank-lab-escape.csv" what="the iterations near the saddle for each δ"
        rows={() => [['delta', 'iterations near the saddle'], ...runs.map((r) => [r.delta, r.nearSaddle])]} />
      <p className="ls-note" id="ls-escape-setup">
        Starts (d0/√2)(1, −1) + (δ/√2)(1, 1) with d0 = {study.d0}: on the ball's edge, δ off the manifold; iterations
        counted while ‖z‖ &lt; ρ = {study.rho}.
      </p>
    </div>
  );
}
