/**
 * A log-scale line chart on a canvas, for metrics while a run streams: a redraw costs about a millisecond,
 * where a Plotly redraw costs tens (the live page must keep its frames short). When the run pauses or stops,
 * the charts switch back to Plotly (hover, zoom, export).
 */
import { useEffect, useRef } from 'react';

export interface LiveSeries {
  xs: number[];
  /** values ≤ 0 or not finite are skipped (log scale) */
  ys: number[];
  color: string;
  width: number;
  dashed: boolean;
}

const PAD = { l: 58, r: 14, t: 30, b: 40 };

export function LiveChart({ title, series, height, label, xLabel = 'iteration' }: { title: string; series: LiveSeries[]; height: number; label: string; xLabel?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const frame = requestAnimationFrame(() => draw(canvas, title, series, height, xLabel));
    return () => cancelAnimationFrame(frame);
  }, [title, series, height, xLabel]);
  return <canvas ref={ref} role="img" aria-label={label} className="live-chart" style={{ width: '100%', height }} />;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
/** 10^e as plotly's log axes write it (exponentformat 'power'): 1, 10, 10⁻⁵ … */
export const powerLabel = (e: number): string => (e === 0 ? '1' : e === 1 ? '10' : `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`);

function draw(canvas: HTMLCanvasElement, title: string, series: LiveSeries[], height: number, xLabel: string): void {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 400;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  g.font = '13px system-ui, sans-serif';
  g.fillStyle = '#222';
  g.textAlign = 'center';
  g.fillText(title, width / 2, 18);
  let xMax = 1, lo = Infinity, hi = -Infinity;
  for (const s of series) {
    xMax = Math.max(xMax, s.xs[s.xs.length - 1] ?? 1);
    for (const y of s.ys) if (y > 0 && Number.isFinite(y)) {
      const e = Math.log10(y);
      lo = Math.min(lo, e);
      hi = Math.max(hi, e);
    }
  }
  if (!Number.isFinite(lo)) return;
  lo = Math.floor(lo);
  hi = Math.max(Math.ceil(hi), lo + 1);
  const W = width - PAD.l - PAD.r, H = height - PAD.t - PAD.b;
  const sx = (x: number) => PAD.l + (x / xMax) * W;
  const sy = (e: number) => PAD.t + ((hi - e) / (hi - lo)) * H;
  g.strokeStyle = '#e6e8ec';
  g.fillStyle = '#555';
  g.font = '11px system-ui, sans-serif';
  g.textAlign = 'right';
  const step = Math.max(1, Math.ceil((hi - lo) / 6));
  for (let e = lo; e <= hi; e += step) {
    g.beginPath();
    g.moveTo(PAD.l, sy(e));
    g.lineTo(PAD.l + W, sy(e));
    g.stroke();
    g.fillText(powerLabel(e), PAD.l - 6, sy(e) + 4);
  }
  g.textAlign = 'center';
  g.fillText('0', sx(0), PAD.t + H + 16);
  g.fillText(String(xMax), sx(xMax) - 10, PAD.t + H + 16);
  g.fillText(xLabel, PAD.l + W / 2, PAD.t + H + 32);
  for (const s of series) {
    g.strokeStyle = s.color;
    g.lineWidth = s.width;
    g.setLineDash(s.dashed ? [6, 4] : []);
    g.beginPath();
    let pen = false;
    const shown = (i: number) => s.ys[i] > 0 && Number.isFinite(s.ys[i]);
    const dots: [number, number][] = [];
    s.xs.forEach((x, i) => {
      if (!shown(i)) {
        pen = false;
        return;
      }
      const px = sx(x), py = sy(Math.log10(s.ys[i]));
      if (pen) g.lineTo(px, py);
      else g.moveTo(px, py);
      // a value with no drawable neighbour (e.g. before a divergence) would be an invisible line of one point
      if (!pen && !shown(i + 1)) dots.push([px, py]);
      pen = true;
    });
    g.stroke();
    g.fillStyle = s.color;
    for (const [px, py] of dots) {
      g.beginPath();
      g.arc(px, py, s.width + 1, 0, 2 * Math.PI);
      g.fill();
    }
  }
  g.setLineDash([]);
}
