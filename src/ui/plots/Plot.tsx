/**
 * A plotly chart as a React component. Plotly loads lazily (see plotly.ts); until it arrives the box
 * keeps its size and says so. Updates go through Plotly.react, so a chart redraws in place.
 */
import { useEffect, useRef, useState } from 'react';
import type { Config, Data, Layout, PlotlyHTMLElement } from 'plotly.js';
import { type Plotly, loadPlotly } from './plotly';

/**
 * Redraws are queued and run one per animation frame, newest data for each chart winning, so a burst of
 * updates to several charts never blocks the main thread for more than one chart's redraw.
 */
const queue = new Map<HTMLElement, () => Promise<unknown>>();
let scheduled = false;
function scheduleRedraw(el: HTMLElement, draw: () => Promise<unknown>): void {
  queue.set(el, draw);
  if (scheduled) return;
  scheduled = true;
  const next = () => {
    const first = queue.entries().next();
    if (first.done) {
      scheduled = false;
      return;
    }
    const [key, job] = first.value;
    queue.delete(key);
    void job().finally(() => requestAnimationFrame(next));
  };
  requestAnimationFrame(next);
}

export interface PlotProps {
  data: Data[];
  layout: Partial<Layout>;
  /** 'gl3d' only for 3-D surfaces */
  bundle?: 'cartesian' | 'gl3d';
  config?: Partial<Config>;
  className?: string;
  /** accessible name of the chart */
  label: string;
  /** plotly click events, as data coordinates */
  onClick?: (x: number, y: number) => void;
  /** receives the element and plotly once drawn (for image export) */
  onReady?: (el: PlotlyHTMLElement, plotly: Plotly) => void;
  height?: number;
}

export function Plot({ data, layout, bundle = 'cartesian', config, className, label, onClick, onReady, height = 320 }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [plotly, setPlotly] = useState<Plotly | null>(null);
  const [error, setError] = useState<string | null>(null);
  const clickRef = useRef(onClick);
  useEffect(() => {
    clickRef.current = onClick;
  }, [onClick]);

  useEffect(() => {
    let live = true;
    loadPlotly(bundle).then((p) => live && setPlotly(() => p), (e: Error) => live && setError(`The chart library failed to load: ${e.message}`));
    return () => {
      live = false;
    };
  }, [bundle]);

  useEffect(() => {
    const el = ref.current;
    if (!plotly || !el) return;
    scheduleRedraw(el, () => plotly.react(el, data, { autosize: true, height, margin: { l: 60, r: 16, t: 28, b: 44 }, ...layout },
      { responsive: true, displaylogo: false, ...config }).then((gd) => {
      // the click handler can only be attached once plotly has drawn into the element
      const g = gd as PlotlyHTMLElement & { __labClick?: boolean };
      if (!g.__labClick) {
        g.__labClick = true;
        g.on('plotly_click', (ev) => {
          const pt = ev.points?.[0];
          if (pt && typeof pt.x === 'number' && typeof pt.y === 'number') clickRef.current?.(pt.x, pt.y);
        });
      }
      onReady?.(gd, plotly);
    }));
  }, [plotly, data, layout, config, height, onReady]);

  useEffect(() => () => {
    if (plotly && ref.current) plotly.purge(ref.current);
  }, [plotly]);

  return (
    <div className={className} role="img" aria-label={label} style={{ minHeight: height }}>
      {!plotly && !error && <p className="plot-loading">loading chart…</p>}
      {error && <p className="error">{error}</p>}
      <div ref={ref} />
    </div>
  );
}
