/**
 * Plotly, loaded lazily as partial bundles so first paint never waits for it: the cartesian bundle
 * (scatter, heatmap, contour) for every 2-D chart, the gl3d bundle only when a 3-D surface is shown.
 */
import type * as PlotlyTypes from 'plotly.js';

export type Plotly = typeof PlotlyTypes;

let cartesian: Promise<Plotly> | null = null;
let gl3d: Promise<Plotly> | null = null;

export function loadPlotly(kind: 'cartesian' | 'gl3d' = 'cartesian'): Promise<Plotly> {
  if (kind === 'gl3d') {
    gl3d ??= import('plotly.js-gl3d-dist-min').then((m) => (m.default ?? m) as unknown as Plotly);
    return gl3d;
  }
  cartesian ??= import('plotly.js-cartesian-dist-min').then((m) => (m.default ?? m) as unknown as Plotly);
  return cartesian;
}
