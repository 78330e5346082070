/**
 * Beside the landscape: the loss g(z_k) of every GD path on a log scale, animated with the paths, and
 * one line per path saying where it started and how it ended.
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { Trajectory } from '../../core/toy';
import { Plot } from '../plots/Plot';
import { fmt } from './traces';

export interface ShownTrajectory {
  key: string;
  trajectory: Trajectory;
  shown: number;
  color: string;
  name: string;
}

const layout = (symbol: string): Partial<Layout> => ({
  title: { text: 'Loss along each path', font: { size: 14 } },
  xaxis: { title: { text: 'iteration k' }, rangemode: 'tozero' },
  yaxis: { title: { text: `${symbol}(z_k)` }, type: 'log', exponentformat: 'power' },
  showlegend: false, margin: { l: 64, r: 12, t: 36, b: 44 },
});

export function LossPanel({ items, onRemove, manifold, symbol = 'g' }: { items: ShownTrajectory[]; onRemove(index: number): void; manifold: string; symbol?: string }) {
  const LAYOUT = useMemo(() => layout(symbol), [symbol]);
  const data = useMemo<Data[]>(() => items.map(({ trajectory: t, shown, color, name }) => {
    const n = Math.min(t.losses.length, shown + 1);
    // a loss of exactly 0 has no place on a log axis: clamp to the smallest positive double
    return {
      type: 'scatter', mode: 'lines', name, x: Array.from({ length: n }, (_, k) => k),
      y: t.losses.slice(0, n).map((l) => Math.max(l, 1e-300)), line: { color, width: 2 },
    } as Data;
  }), [items]);

  return (
    <div className="ls-loss">
      {items.length ? (
        <Plot label="Loss of each gradient-descent path against the iteration, log scale" data={data} layout={LAYOUT} height={300} />
      ) : (
        <p className="ls-hint">Click the landscape (or use “Add start”) to run gradient descent from that point. Try a point close to {manifold}.</p>
      )}
      <ol className="ls-paths" aria-label="Gradient-descent paths">
        {items.map(({ key, trajectory: t, shown, color, name }, k) => {
          const end = t.points[t.points.length - 1];
          const finished = shown >= t.points.length - 1;
          return (
            <li key={key}>
              <span className="ls-swatch" style={{ background: color }} aria-hidden="true" />
              <span>
                {name}: {finished ? `${t.stop} after ${t.iterations} iterations, at (${fmt(end[0], 4)}, ${fmt(end[1], 4)})` : `running… iteration ${shown}`}
              </span>
              <button type="button" className="ls-remove" onClick={() => onRemove(k)} title={`Remove the path from ${name}`} aria-label={`Remove path ${k + 1}`}>×</button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
