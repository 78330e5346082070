/**
 * Plotly traces for the Landscape view, built from what src/core/toy.ts computes (no arithmetic on the
 * landscape here beyond reshaping arrays for plotly and picking colours).
 */
import type { Data } from 'plotly.js';
import type { LegendItem } from './Legend';
import { type CriticalPoint, type Grid, type Point, type ToyKind, criticalPoints, gradientField, gridCoords, stableManifold } from '../../core/toy';
import { type LegendRole, fmt } from '../../core/toys/kind';
import { toyFor } from '../../core/toys/registry';

export { fmt } from '../../core/toys/kind';

export const MINIMUM_COLOR = '#1a9850';
export const SADDLE_COLOR = '#1f4fd8';
export const MANIFOLD_COLOR = '#222';
export const MAXIMUM_COLOR = '#8e0152';
/** trajectory colours: dark and saturated, away from the minima's green and the saddle's blue */
export const TRAJECTORY_COLORS = ['#111111', '#8e24aa', '#d81b60', '#455a64', '#6d4c41', '#4527a0', '#880e4f', '#9e9d24'];
/** the distributed toy's nodes: dark shades that read on every part of the colour scale */
export const NODE_COLORS = ['#111111', '#4a148c', '#880e4f', '#37474f', '#6a1b9a', '#3e2723', '#ad1457', '#283593'];
export const trajectoryColor = (k: number) => TRAJECTORY_COLORS[k % TRAJECTORY_COLORS.length];
/** pale (low g) to dark red (high g): the minima sit in the light valleys */
export const LANDSCAPE_COLORSCALE: [number, string][] = [[0, '#fffbf2'], [0.2, '#fde7c0'], [0.45, '#fcb57a'], [0.7, '#ec6a3d'], [0.88, '#c0281b'], [1, '#6b0d0d']];

/** The grid as plotly wants it: x = u, y = v, z[row j = v_j][column i = u_i]. */
export function gridArrays(grid: Grid, which: 'log' | 'value' = 'log'): { x: number[]; y: number[]; z: number[][] } {
  const { nu, nv } = grid.spec, src = grid[which];
  return {
    x: Array.from(gridCoords(grid.spec.u, nu)),
    y: Array.from(gridCoords(grid.spec.v, nv)),
    z: Array.from({ length: nv }, (_, j) => Array.from(src.subarray(j * nu, (j + 1) * nu))),
  };
}

export function objectiveName(kind: ToyKind, p: number): string {
  return toyFor(kind).objectiveName(p);
}

/** The colour's name: log₁₀(g + ε), with the toy's letter. */
export const logLabel = (kind: ToyKind) => `log₁₀(${toyFor(kind).symbol} + ε)`;

/** The background: a heatmap or filled contours of log10(g + ε); `narrow`: the colour bar under the plot (a phone). */
export function landscapeTrace(grid: Grid, view: 'heatmap' | 'contour', narrow = false): Data {
  const { x, y, z } = gridArrays(grid), label = logLabel(grid.spec.kind);
  const colorbar = narrow
    ? { title: { text: label, side: 'top' }, orientation: 'h', thickness: 10, len: 0.9, y: -0.32, yanchor: 'top' }
    : { title: { text: label, side: 'right' }, thickness: 12, len: 0.9 };
  const hovertemplate = `u = %{x:.3f}<br>v = %{y:.3f}<br>${label} = %{z:.2f}<extra></extra>`;
  const common = { x, y, z, colorscale: LANDSCAPE_COLORSCALE, colorbar, hovertemplate, name: 'landscape', showlegend: false };
  return (view === 'heatmap'
    ? { ...common, type: 'heatmap', zsmooth: false }
    : { ...common, type: 'contour', ncontours: 24, contours: { coloring: 'heatmap', showlines: true }, line: { width: 0.5, color: 'rgba(60,20,0,0.35)' } }) as Data;
}

function pointTrace(pts: CriticalPoint[], name: string, color: string, symbol: string): Data {
  return {
    type: 'scatter', mode: 'markers', name, x: pts.map((p) => p.u), y: pts.map((p) => p.v),
    marker: { color, size: 13, symbol, line: { color: '#fff', width: 2 } },
    text: pts.map((p) => `Hessian eigenvalues ${fmt(p.eigenvalues[0])}, ${fmt(p.eigenvalues[1])}`),
    hovertemplate: `${name}<br>(%{x}, %{y})<br>%{text}<extra></extra>`,
  } as Data;
}

const ROLE_MARK: Record<LegendRole, Pick<LegendItem, 'mark' | 'color'>> = {
  'minimum': { mark: 'dot', color: MINIMUM_COLOR },
  'minimum-curve': { mark: 'line', color: MINIMUM_COLOR },
  'saddle': { mark: 'diamond', color: SADDLE_COLOR },
  'maximum': { mark: 'diamond', color: MAXIMUM_COLOR },
  'manifold': { mark: 'dashed', color: MANIFOLD_COLOR },
};

/** What overlayTraces draws, for the HTML legend under the chart: the toy's words, the view's marks. */
export function overlayLegend(kind: ToyKind, p: number, showField: boolean): LegendItem[] {
  const toy = toyFor(kind);
  return [
    ...toy.legend(p).map(({ role, label }) => ({ ...ROLE_MARK[role], label })),
    ...(showField ? [{ mark: 'arrow' as const, color: '#555', label: `direction of −∇${toy.symbol} (length not to scale)` }] : []),
  ];
}

/**
 * Global minima (green), saddles (blue), maxima, the stable manifold (dashed) and the optional −∇g field:
 * `under` goes below the GD paths, `over` (the isolated critical points) on top of them.
 */
export function overlayTraces(kind: ToyKind, p: number, range: Point, showField: boolean): { under: Data[]; over: Data[] } {
  const toy = toyFor(kind), out: Data[] = [];
  if (showField) {
    const f = gradientField(kind, p, range, 17, (range[1] - range[0]) / 30);
    out.push({ type: 'scatter', mode: 'lines', name: `direction of −∇${toy.symbol}`, x: f.u, y: f.v, line: { color: 'rgba(40,40,40,0.45)', width: 1 }, hoverinfo: 'skip' } as Data);
  }
  (toy.minimumCurves?.(p, range) ?? []).forEach((b, k) => out.push({
    type: 'scatter', mode: 'lines', name: toy.names.minimumCurve ?? toy.names.minimum, legendgroup: 'minima', showlegend: k === 0,
    x: b.map((q) => q[0]), y: b.map((q) => q[1]), line: { color: MINIMUM_COLOR, width: 3 }, hoverinfo: 'skip',
  } as Data));
  const seg = stableManifold(range, range, kind);
  if (seg) {
    out.push({
      type: 'scatter', mode: 'lines', name: toy.names.manifold, x: [seg[0][0], seg[1][0]], y: [seg[0][1], seg[1][1]],
      line: { color: MANIFOLD_COLOR, width: 1.5, dash: 'dash' }, hoverinfo: 'skip',
    } as Data);
  }
  const crit = criticalPoints(kind, p);
  const over: Data[] = [];
  for (const [type, color, symbol] of [['saddle', SADDLE_COLOR, 'diamond'], ['minimum', MINIMUM_COLOR, 'circle'], ['maximum', MAXIMUM_COLOR, 'diamond']] as const) {
    const pts = crit.filter((c) => c.type === type);
    if (pts.length) over.push(pointTrace(pts, toy.names[type], color, symbol));
  }
  return { under: out, over };
}

/** A path drawn up to `shown` points: the line, its start (open circle) and its current point. */
export function pathTraces(points: readonly Point[], shown: number, color: string, name: string, width = 2, legend = false): Data[] {
  const vis = points.slice(0, Math.max(1, Math.min(points.length, shown + 1)));
  const last = vis[vis.length - 1];
  return [
    {
      type: 'scatter', mode: 'lines', name, legendgroup: name, showlegend: legend, x: vis.map((p) => p[0]), y: vis.map((p) => p[1]),
      line: { color, width }, hovertemplate: `${name}<br>(%{x:.3f}, %{y:.3f})<extra></extra>`,
    } as Data,
    {
      type: 'scatter', mode: 'markers', name, legendgroup: name, showlegend: false, x: [vis[0][0], last[0]], y: [vis[0][1], last[1]],
      marker: { color, size: [9, 8], symbol: ['circle-open', 'circle'], line: { color, width: 2 } }, hoverinfo: 'skip',
    } as Data,
  ];
}

export const UV_AXES = (range: Point) => ({
  showlegend: false,
  xaxis: { title: { text: 'u' }, range: [range[0], range[1]], constrain: 'domain' as const, zeroline: false },
  yaxis: { title: { text: 'v' }, range: [range[0], range[1]], scaleanchor: 'x' as const, scaleratio: 1, constrain: 'domain' as const, zeroline: false },
});
