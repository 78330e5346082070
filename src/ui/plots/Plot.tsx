/**
 * A plotly chart as a React component. Plotly loads lazily (see plotly.ts); until it arrives the box
 * keeps its size and says so. Updates go through Plotly.react, so a chart redraws in place.
 */
import { useEffect, useRef, useState } from 'react';
import type { Config, Data, Layout, PlotlyHTMLElement } from 'plotly.js';
import { type Plotly, loadPlotly } from './plotly';
import { useNarrow } from './useNarrow';

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
  /** plotly click events, as data coordinates of the clicked (nearest plotted) point */
  onClick?: (x: number, y: number) => void;
  /** exact pointer positions on a 2-D chart, in data coordinates (instead of the nearest plotted point), and drags */
  pointer?: PlotPointer;
  /** receives the element and plotly once drawn (for image export) */
  onReady?: (el: PlotlyHTMLElement, plotly: Plotly) => void;
  height?: number;
}

/**
 * Pointer input on a 2-D chart. `down` is asked first: returning true takes the gesture as a drag (moves
 * and the release go to `move` and `up`, and plotly does not zoom); otherwise a press and release within a
 * few pixels is a `click`, and a longer drag is plotly's own (a zoom box; a double click zooms back out).
 * `tolerance` is 10 screen pixels in data units along x, for hit tests.
 */
export interface PlotPointer {
  click?(x: number, y: number): void;
  down?(x: number, y: number, tolerance: number): boolean;
  move?(x: number, y: number): void;
  up?(x: number, y: number): void;
  /** the drag ended without a release on the page (the browser took the pointer) */
  cancel?(): void;
}

interface Axis { type: string; range: [number, number]; _offset: number; _length: number }

/** Client coordinates → data coordinates of a drawn 2-D chart (linear axes); null outside the plot area. */
export function dataPoint(gd: HTMLElement, clientX: number, clientY: number, clamp = false): [number, number] | null {
  const fl = (gd as unknown as { _fullLayout?: { xaxis?: Axis; yaxis?: Axis } })._fullLayout;
  const xa = fl?.xaxis, ya = fl?.yaxis;
  if (!xa || !ya || xa.type !== 'linear' || ya.type !== 'linear' || !(xa._length > 0) || !(ya._length > 0)) return null;
  const r = gd.getBoundingClientRect();
  let px = clientX - r.left - xa._offset, py = clientY - r.top - ya._offset;
  if (clamp) {
    px = Math.min(Math.max(px, 0), xa._length);
    py = Math.min(Math.max(py, 0), ya._length);
  } else if (px < 0 || px > xa._length || py < 0 || py > ya._length) return null;
  return [
    xa.range[0] + (px / xa._length) * (xa.range[1] - xa.range[0]),
    ya.range[1] - (py / ya._length) * (ya.range[1] - ya.range[0]),
  ];
}

/** 10 screen pixels in data units along x. */
function tolerance(gd: HTMLElement): number {
  const xa = (gd as unknown as { _fullLayout?: { xaxis?: Axis } })._fullLayout?.xaxis;
  return xa && xa._length > 0 ? (10 * Math.abs(xa.range[1] - xa.range[0])) / xa._length : 0;
}

export function Plot({ data, layout, bundle = 'cartesian', config, className, label, onClick, pointer, onReady, height = 320 }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const pointerRef = useRef(pointer);
  useEffect(() => {
    pointerRef.current = pointer;
  }, [pointer]);
  const hasPointer = pointer !== undefined;
  const narrow = useNarrow();

  // exact positions: pointer events caught before plotly's own drag layer sees them
  useEffect(() => {
    const box = ref.current;
    if (!box || !hasPointer) return;
    let gesture: { id: number; x0: number; y0: number; drag: boolean } | null = null;
    const at = (e: PointerEvent, clamp = false) => dataPoint(box, e.clientX, e.clientY, clamp);
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const p = at(e);
      if (!p) return;
      const drag = pointerRef.current?.down?.(p[0], p[1], tolerance(box)) ?? false;
      gesture = { id: e.pointerId, x0: e.clientX, y0: e.clientY, drag };
      if (drag) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    // moves and the release are heard on the window: plotly covers the page with its own layer while a button is down
    const move = (e: PointerEvent) => {
      if (!gesture?.drag || e.pointerId !== gesture.id) return;
      const p = at(e, true);
      if (p) pointerRef.current?.move?.(p[0], p[1]);
      e.stopPropagation();
    };
    const up = (e: PointerEvent) => {
      const g = gesture;
      if (!g || e.pointerId !== g.id) return;
      gesture = null;
      const p = at(e, g.drag);
      if (g.drag) {
        e.stopPropagation();
        if (p) pointerRef.current?.up?.(p[0], p[1]);
      } else if (p && Math.hypot(e.clientX - g.x0, e.clientY - g.y0) < 5) pointerRef.current?.click?.(p[0], p[1]);
    };
    const cancel = () => {
      if (gesture?.drag) pointerRef.current?.cancel?.();
      gesture = null;
    };
    // plotly starts its zoom box on mousedown (after pointerdown): not when the press took a drag
    const mouse = (e: MouseEvent) => {
      if (gesture?.drag) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    box.addEventListener('pointerdown', down, true);
    box.addEventListener('mousedown', mouse, true);
    window.addEventListener('pointermove', move, true);
    window.addEventListener('pointerup', up, true);
    window.addEventListener('pointercancel', cancel, true);
    return () => {
      box.removeEventListener('pointerdown', down, true);
      box.removeEventListener('mousedown', mouse, true);
      window.removeEventListener('pointermove', move, true);
      window.removeEventListener('pointerup', up, true);
      window.removeEventListener('pointercancel', cancel, true);
    };
  }, [hasPointer]);

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
      // on a phone plotly's toolbar would sit on the chart's title: the page's own export buttons stand in for it
      { responsive: true, displaylogo: false, ...(narrow ? { displayModeBar: false } : {}), ...config }).then((gd) => {
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
  }, [plotly, data, layout, config, height, onReady, narrow]);

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
