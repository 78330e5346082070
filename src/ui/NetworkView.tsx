/**
 * The communication network of a run as an SVG: edges as wide as their weight w̃ⱼᵢ, nodes coloured by
 * how far their copy Uʲ is from the average Ū (log scale), a tooltip per node. Layout comes from
 * src/core/graph-layout (deterministic), so the same experiment always draws the same picture.
 */
import { useMemo } from 'react';
import { type GraphLayout, type LayoutOptions, WRAP_STUB, degreesOf, layoutGraph } from '../core/graph-layout';
import type { Mat } from '../core/linalg';
import './network.css';

export interface NetworkViewProps {
  /** the mixing matrix W̃, J×J */
  W: number[][] | Mat;
  /** ‖Uʲ − Ū‖ per node at the latest record; null before the first */
  disagreement: number[] | null;
  /** the largest finite ‖Uʲ − Ū‖ the run has shown: the top of a fixed colour scale spanning DECADES below it */
  reference?: number;
  /** the experiment's topology (picks the layout); missing → force-directed */
  topology?: string;
  rows?: number;
  cols?: number;
  width?: number;
  height?: number;
}

/** ColorBrewer YlOrRd (9 classes): light = nodes agree, dark red = far from the average. */
const SCALE = ['#ffffcc', '#ffeda0', '#fed976', '#feb24c', '#fd8d3c', '#fc4e2a', '#e31a1c', '#bd0026', '#800026'];
const NO_DATA = '#c8c8c8';
/** Above this many nodes the index labels would overlap; the tooltips still name every node. */
const MAX_LABELLED = 40;

function toMat(W: number[][] | Mat): Mat {
  if (!Array.isArray(W)) return W;
  const J = W.length;
  const data = new Float64Array(J * J);
  W.forEach((row, i) => row.forEach((v, j) => (data[i * J + j] = v)));
  return { rows: J, cols: J, data };
}

/**
 * Layouts by content of W̃ and options: a store may hand over an equal W̃ as a new array on every
 * update, and a force layout of 256 nodes takes a few hundred milliseconds.
 */
const layoutCache = new Map<string, GraphLayout>();
function cachedLayout(W: Mat, opts: LayoutOptions): GraphLayout {
  let h = 0x811c9dc5; // FNV-1a over the float64 bytes of W̃
  const bytes = new Uint8Array(W.data.buffer, W.data.byteOffset, W.data.byteLength);
  for (let k = 0; k < bytes.length; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
  const key = `${W.rows}:${h >>> 0}:${JSON.stringify(opts)}`;
  let layout = layoutCache.get(key);
  if (!layout) {
    layout = layoutGraph(W, opts);
    layoutCache.set(key, layout);
    if (layoutCache.size > 16) layoutCache.delete(layoutCache.keys().next().value!);
  }
  return layout;
}

function hexToRgb(h: string): [number, number, number] {
  return [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)) as [number, number, number];
}

/** Colour of t ∈ [0, 1] on SCALE, interpolated linearly in RGB between its stops. */
export function scaleColour(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (SCALE.length - 1);
  const k = Math.min(SCALE.length - 2, Math.floor(u));
  const a = hexToRgb(SCALE[k]), b = hexToRgb(SCALE[k + 1]);
  const f = u - k;
  return `rgb(${a.map((v, c) => Math.round(v + f * (b[c] - v))).join(', ')})`;
}

/** Decades the colour scale spans below the run's largest disagreement: down to float64's floor. */
export const DECADES = 16;

/**
 * The nodes' colour scale: fixed for a run, from the largest finite disagreement it has shown (`reference`,
 * at the top) down DECADES decades, so nodes that reach consensus turn light as they agree (an auto-ranged
 * scale painted exact consensus red). Values below the bottom and zeros are the lightest; a value that is no
 * longer finite (a diverged run) is the darkest, as far from agreement as it gets. Before any record: null
 * (grey, "not measured yet").
 */
export function nodeScale(values: readonly number[] | null, reference: number | undefined): { domain: [number, number]; colour(v: number | undefined): string } | null {
  if (!values) return null;
  const top = reference !== undefined && reference > 0 && Number.isFinite(reference) ? reference
    : Math.max(0, ...values.filter((v) => Number.isFinite(v)));
  if (!(top > 0)) {
    // every node at exactly the average, or none finite (a run that diverged at once)
    return { domain: [-DECADES, 0], colour: (v) => (v === undefined ? NO_DATA : Number.isFinite(v) ? scaleColour(0) : scaleColour(1)) };
  }
  const hi = Math.ceil(Math.log10(top)), lo = hi - DECADES;
  return {
    domain: [lo, hi],
    colour(v) {
      if (v === undefined) return NO_DATA;
      if (!Number.isFinite(v)) return scaleColour(1);
      if (v <= 0) return scaleColour(0);
      return scaleColour((Math.log10(v) - lo) / (hi - lo));
    },
  };
}

const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toPrecision(3) : v.toExponential(1));
const pow10 = (e: number) => `1e${e}`;
const SUB = '₀₁₂₃₄₅₆₇₈₉', SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const sub = (k: number) => String(k).replace(/\d/g, (d) => SUB[Number(d)]);
const sup = (k: number) => String(k).replace(/\d/g, (d) => SUP[Number(d)]);
/** Whether dark text reads better than white on a fill (relative luminance, roughly). */
const darkText = (rgb: string) => {
  const [r, g, b] = (rgb.match(/\d+/g) ?? ['0', '0', '0']).map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b > 140;
};

export function NetworkView({ W, disagreement, reference, topology, rows, cols, width = 360, height = 360 }: NetworkViewProps) {
  const Wm = useMemo(() => toMat(W), [W]);
  const J = Wm.rows;
  const layout: GraphLayout = useMemo(
    () => cachedLayout(Wm, { topology, rows, cols, width, height, margin: Math.max(14, 0.06 * Math.min(width, height)) }),
    [Wm, topology, rows, cols, width, height],
  );
  const degree = useMemo(() => degreesOf(J, layout.edges), [J, layout]);

  // Node size from the closest pair; edge widths ∝ w̃ⱼᵢ, the largest as thick as a third of a node.
  const radius = Math.min(14, Math.max(1.5, 0.32 * (Number.isFinite(layout.minDistance) ? layout.minDistance : 40)));
  const wMax = Math.max(0, ...layout.edges.map((e) => e.w));
  const maxStroke = Math.min(5, Math.max(0.6, 0.66 * radius));
  // wrap stubs run from the node's rim; the layout keeps WRAP_STUB·spacing free and the margin takes the rest
  const stub = Math.max(WRAP_STUB * (layout.spacing ?? 0), radius + 10);
  // hundreds of edges would paint the picture grey: fade them as they multiply
  const edgeOpacity = Math.min(1, Math.sqrt(150 / Math.max(1, layout.edges.length)));

  const values = disagreement && disagreement.length === J ? disagreement : null;
  const scale = nodeScale(values, reference);
  const domain = scale?.domain ?? null;
  const colour = (v: number | undefined): string => (scale ? scale.colour(v) : NO_DATA);
  const maxDis = values ? Math.max(...values.filter(Number.isFinite)) : NaN;
  const diverged = !!values && values.some((v) => !Number.isFinite(v));
  const summary = `network of ${J} node${J === 1 ? '' : 's'}, ${layout.edges.length} edge${layout.edges.length === 1 ? '' : 's'}, ` +
    (diverged ? 'disagreement no longer finite (diverged)' : Number.isFinite(maxDis) ? `max disagreement ${fmt(maxDis)}` : 'disagreement not measured yet');
  const labelled = J <= MAX_LABELLED;
  const fontSize = Math.min(12, Math.max(8, radius));

  return (
    <figure className="network-view" style={{ width }}>
      <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
        <g className="network-edges" strokeOpacity={edgeOpacity}>
          {layout.edges.map((e) => {
            const a = layout.points[e.i], b = layout.points[e.j];
            const sw = Math.max(0.4, (maxStroke * e.w) / (wMax || 1));
            if (e.wrap) {
              // torus wrap-around: a dashed stub out of each end instead of a line across the grid
              const { x: ux, y: uy } = e.wrap;
              return (
                <g key={`${e.i}-${e.j}`} className="network-wrap" strokeWidth={sw}>
                  <line x1={a.x + ux * radius} y1={a.y + uy * radius} x2={a.x + ux * stub} y2={a.y + uy * stub} />
                  <line x1={b.x - ux * radius} y1={b.y - uy * radius} x2={b.x - ux * stub} y2={b.y - uy * stub} />
                </g>
              );
            }
            return <line key={`${e.i}-${e.j}`} x1={a.x} y1={a.y} x2={b.x} y2={b.y} strokeWidth={sw} />;
          })}
        </g>
        <g className="network-nodes" strokeWidth={Math.min(1, radius / 3)}>
          {layout.points.map((p, j) => {
            const v = values?.[j];
            const fill = colour(v);
            return (
              <g key={j}>
                <circle cx={p.x} cy={p.y} r={radius} fill={fill}>
                  <title>
                    {`node ${j}\ndegree ${degree[j]}\nw̃${sub(j)}${j >= 10 ? ',' : ''}${sub(j)} = ${fmt(Wm.data[j * J + j])}\n‖U${sup(j)} − Ū‖ = ${v === undefined ? 'not measured yet' : !Number.isFinite(v) ? 'not finite (diverged)' : fmt(v)}`}
                  </title>
                </circle>
                {labelled && (
                  <text x={p.x} y={p.y} fontSize={fontSize} className={darkText(fill === NO_DATA ? 'rgb(200,200,200)' : fill) ? 'on-light' : 'on-dark'}
                    dy="0.35em" textAnchor="middle" aria-hidden="true">{j}</text>
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <figcaption className="network-legend">
        {domain ? (
          <>
            <span className="network-legend-title">‖Uʲ − Ū‖, log scale{diverged ? '; darkest: no longer finite' : ''}</span>
            <span className="network-legend-scale">
              <span>{pow10(domain[0])}</span>
              <span className="network-legend-bar" style={{ background: `linear-gradient(to right, ${SCALE.join(', ')})` }} />
              <span>{pow10(domain[1])}</span>
            </span>
          </>
        ) : (
          <span className="network-legend-title">
            <span className="network-legend-swatch" style={{ background: NO_DATA }} /> ‖Uʲ − Ū‖ not measured yet
          </span>
        )}
      </figcaption>
    </figure>
  );
}
