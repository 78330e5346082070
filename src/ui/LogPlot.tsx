/** A small log-scale line plot in SVG, enough to watch a run decay (the full plots come with plotly). */
import type { MetricsRow } from '../core/metrics';

export interface Series {
  key: 'objective' | 'consensusError' | 'optimalityGap' | 'gradientNorm' | 'distributedObjective';
  label: string;
  color: string;
}

const W = 640, H = 300, PAD = { l: 56, r: 12, t: 10, b: 36 };

export function LogPlot({ rows, series }: { rows: MetricsRow[]; series: Series[] }) {
  const pts = series.map((s) => rows.map((r) => [r.iteration, r[s.key]] as const).filter(([, v]) => v > 0 && Number.isFinite(v)));
  const all = pts.flat();
  if (all.length < 2) return <svg className="plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="no data yet" />;
  const xMax = Math.max(...all.map(([x]) => x)) || 1;
  const lo = Math.floor(Math.log10(Math.min(...all.map(([, v]) => v))));
  const hi = Math.ceil(Math.log10(Math.max(...all.map(([, v]) => v))));
  const sx = (x: number) => PAD.l + (x / xMax) * (W - PAD.l - PAD.r);
  const sy = (v: number) => PAD.t + ((hi - Math.log10(v)) / Math.max(1, hi - lo)) * (H - PAD.t - PAD.b);
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += step) ticks.push(e);
  return (
    <svg className="plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="metrics on a log scale">
      {ticks.map((e) => (
        <g key={e}>
          <line x1={PAD.l} x2={W - PAD.r} y1={sy(10 ** e)} y2={sy(10 ** e)} className="grid" />
          <text x={PAD.l - 6} y={sy(10 ** e) + 4} textAnchor="end" className="tick">1e{e}</text>
        </g>
      ))}
      <text x={W / 2} y={H - 6} textAnchor="middle" className="tick">iteration (0 … {xMax})</text>
      {pts.map((p, i) => (
        <polyline key={series[i].key} fill="none" stroke={series[i].color} strokeWidth={2}
          points={p.map(([x, v]) => `${sx(x).toFixed(1)},${sy(v).toFixed(1)}`).join(' ')} />
      ))}
    </svg>
  );
}
