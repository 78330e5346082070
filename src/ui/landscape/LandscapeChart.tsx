/**
 * The landscape itself: a heatmap or contours of log10(g + ε) with the critical points, the stable
 * manifold, the optional −∇g field and the GD paths (clicking places a start); or a 3-D surface of the
 * same values with the paths lifted onto it (plotly's gl3d bundle, loaded only for this view).
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import { type Grid, type LandscapeParams, type Point, criticalPoints, stableManifold, toyParam, toyValue } from '../../core/toy';
import { toyFor } from '../../core/toys/registry';
import { Plot, type PlotPointer } from '../plots/Plot';
import { useNarrow } from '../plots/useNarrow';
import { MANIFOLD_COLOR, MAXIMUM_COLOR, MINIMUM_COLOR, SADDLE_COLOR, UV_AXES, gridArrays, landscapeTrace, logLabel, objectiveName, overlayTraces, pathTraces } from './traces';

export interface DrawnPath {
  points: readonly Point[];
  shown: number;
  color: string;
  name: string;
}

interface Props {
  params: LandscapeParams;
  grid: Grid;
  paths: DrawnPath[];
  /** a click in the 3-D view (the nearest surface point) */
  onPick(p: Point): void;
  /** clicks at the exact spot and drags of starts, in the 2-D views */
  pointer?: PlotPointer;
  height?: number;
}

export function LandscapeChart({ params, grid, paths, onPick, pointer, height: tall = 520 }: Props) {
  const { kind, range, view, showField } = params;
  const mub = toyParam(params);
  // a phone: the colour bar goes under the plot, so the square plot takes the screen's width
  const narrow = useNarrow();
  const height = narrow ? Math.min(tall, 480) : tall;
  const base = useMemo(() => {
    if (view === 'surface') return { under: [], over: [] };
    const o = overlayTraces(kind, mub, range, showField);
    return { under: [landscapeTrace(grid, view, narrow), ...o.under], over: o.over };
  }, [grid, view, kind, mub, range, showField, narrow]);
  const surface = useMemo(() => (view === 'surface' ? surfaceTraces(grid, kind, mub) : []), [grid, view, kind, mub]);
  const data = useMemo(() => {
    if (view === 'surface') return [...surface, ...paths.map((p) => liftedPath(p, kind, mub, grid.spec.eps))];
    return [...base.under, ...paths.flatMap((p) => pathTraces(p.points, p.shown, p.color, p.name)), ...base.over];
  }, [base, surface, paths, view, kind, mub, grid.spec.eps]);

  const layout = useMemo<Partial<Layout>>(() => {
    const title = { text: objectiveName(kind, mub), font: { size: 14 } };
    if (view === 'surface') {
      return {
        title, margin: { l: 0, r: 0, t: 36, b: 0 }, showlegend: false,
        scene: {
          xaxis: { title: { text: 'u' } }, yaxis: { title: { text: 'v' } }, zaxis: { title: { text: logLabel(kind) } },
          aspectmode: 'manual', aspectratio: { x: 1, y: 1, z: 0.6 }, camera: { eye: { x: -1.25, y: -1.4, z: 1.0 } },
        },
      } as Partial<Layout>;
    }
    return {
      // a click starts gradient descent, a press on a start picks it up; a drag elsewhere zooms (kept across
      // redraws by uirevision; a double click zooms out)
      title, ...UV_AXES(range), hovermode: 'closest', uirevision: `${range[0]},${range[1]}`, margin: narrow ? { l: 40, r: 8, t: 36, b: 110 } : { l: 56, r: 8, t: 36, b: 44 },
    } as Partial<Layout>;
  }, [kind, mub, range, view, narrow]);

  return (
    <Plot
      className="ls-chart"
      label={`Landscape of ${objectiveName(kind, mub)}; click to start gradient descent there`}
      data={data}
      layout={layout}
      bundle={view === 'surface' ? 'gl3d' : 'cartesian'}
      onClick={view === 'surface' ? (x, y) => onPick([x, y]) : undefined}
      pointer={view === 'surface' ? undefined : pointer}
      height={height}
    />
  );
}

function surfaceTraces(grid: Grid, kind: LandscapeParams['kind'], mub: number): Data[] {
  const { x, y, z } = gridArrays(grid);
  const eps = grid.spec.eps, range = grid.spec.u;
  const lift = (u: number, v: number) => Math.log10(toyValue(kind, mub, u, v) + eps) + 0.03;
  const curve = (pts: readonly Point[], name: string, line: object): Data => ({
    type: 'scatter3d', mode: 'lines', name, x: pts.map((p) => p[0]), y: pts.map((p) => p[1]), z: pts.map((p) => lift(p[0], p[1])), line, hoverinfo: 'skip',
  } as Data);
  const crit = criticalPoints(kind, mub);
  const out: Data[] = [
    { type: 'surface', x, y, z, colorscale: 'YlOrRd', reversescale: true, showscale: false, opacity: 0.95, hovertemplate: `u = %{x:.2f}<br>v = %{y:.2f}<br>${logLabel(kind)} = %{z:.2f}<extra></extra>` } as Data,
  ];
  const toy = toyFor(kind);
  const inside = (p: Point) => p[0] >= range[0] && p[0] <= range[1] && p[1] >= grid.spec.v[0] && p[1] <= grid.spec.v[1];
  for (const b of toy.minimumCurves?.(mub, range) ?? []) out.push(curve(b.filter(inside), toy.names.minimumCurve ?? toy.names.minimum, { color: MINIMUM_COLOR, width: 6 }));
  const seg = stableManifold(grid.spec.u, grid.spec.v, kind);
  if (seg) {
    const pts = Array.from({ length: 41 }, (_, k): Point => [seg[0][0] + ((seg[1][0] - seg[0][0]) * k) / 40, seg[0][1] + ((seg[1][1] - seg[0][1]) * k) / 40]);
    out.push(curve(pts, toy.names.manifold, { color: MANIFOLD_COLOR, width: 3, dash: 'dash' }));
  }
  for (const t of ['saddle', 'minimum', 'maximum'] as const) {
    const pts = crit.filter((p) => p.type === t);
    if (!pts.length) continue;
    out.push({
      type: 'scatter3d', mode: 'markers', name: t, x: pts.map((p) => p.u), y: pts.map((p) => p.v), z: pts.map((p) => lift(p.u, p.v)),
      marker: { size: 6, color: t === 'saddle' ? SADDLE_COLOR : t === 'maximum' ? MAXIMUM_COLOR : MINIMUM_COLOR, line: { color: '#fff', width: 1 } },
    } as Data);
  }
  return out;
}

function liftedPath(p: DrawnPath, kind: LandscapeParams['kind'], mub: number, eps: number): Data {
  const vis = p.points.slice(0, p.shown + 1);
  return {
    type: 'scatter3d', mode: 'lines', name: p.name, x: vis.map((q) => q[0]), y: vis.map((q) => q[1]),
    z: vis.map((q) => Math.log10(toyValue(kind, mub, q[0], q[1]) + eps) + 0.05), line: { color: p.color, width: 6 },
  } as Data;
}
