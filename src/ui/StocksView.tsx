/**
 * The stock case study's view (SPEC §7.10, [H] Fig. 3): the heterogeneity index over time — per day, the
 * column-wise ℓ₁ norm of U_(i),lV_(i),lᵀ, and per window its mean — with the market index's price underneath
 * on the same time axis, the largest windows labelled with their dates, and the planted events shaded (the
 * model market). The numbers come from the worker (src/core/stocks.ts); this only draws them.
 */
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import type { HeterogeneityIndex, StockSetup } from '../core/stocks';
import { rowUnit, topIndices } from '../core/stocks';
import { Plot } from './plots/Plot';
import { CsvButton } from './CsvButton';

/** below this many stocks the shared/unique split of a window rests on few rows: the view says so */
const FEW_STOCKS = 20;

export function StocksView({ stocks: s, index: h }: { stocks: StockSetup; index: HeterogeneityIndex }) {
  const N = h.values.length, w = s.window;
  const unit = `${rowUnit(s.dates)}s`;
  // as many labels as planted events (the peaks the model market's claims count), else the 5 largest
  const events = s.events?.filter(Boolean).length ?? 0;
  const k = Math.min(N, events > 0 ? events : 5);
  const top = useMemo(() => topIndices(h.values, k), [h.values, k]);
  const { data, layout } = useMemo(() => {
    const x: (string | number)[] = s.dates ?? Array.from({ length: s.days }, (_, t) => t + 1);
    const at = (t: number) => x[Math.min(t, x.length - 1)];
    const traces: Data[] = [
      { type: 'scatter', mode: 'lines', x, y: h.daily, name: `heterogeneity index (per ${unit.slice(0, -1)})`, line: { color: '#3b5bdb', width: 1 }, yaxis: 'y', hovertemplate: `%{x}: %{y:.3g}<extra>per ${unit.slice(0, -1)}</extra>` } as Data,
      {
        type: 'scatter', mode: 'lines', name: `mean over each window of ${w} ${unit}`, line: { color: '#1f2a44', width: 2, shape: 'hv' }, yaxis: 'y',
        x: [...h.values.map((_, i) => at(i * w)), at(N * w - 1)], y: [...h.values, h.values[N - 1]], hovertemplate: '%{y:.3g}<extra>window mean</extra>',
      } as Data,
    ];
    if (s.index) traces.push({ type: 'scatter', mode: 'lines', x, y: s.index.prices, name: s.index.name, line: { color: '#e8590c', width: 1.5 }, xaxis: 'x', yaxis: 'y2', hovertemplate: '%{x}: %{y:.4g}<extra>index</extra>' } as Data);
    // the planted events' windows, shaded over both panels
    const shapes = (s.events ?? []).flatMap((ev, i) => (ev ? [{
      type: 'rect', xref: 'x', yref: 'paper', x0: at(i * w), x1: at(i * w + w - 1), y0: 0, y1: 1, fillcolor: '#fd7e14', opacity: 0.14, line: { width: 0 }, layer: 'below',
    }] : []));
    // each labelled window at its largest day
    const annotations = top.map((i, rank) => {
      let best = i * w;
      for (let t = i * w; t < (i + 1) * w; t++) if (h.daily[t] > h.daily[best]) best = t;
      return {
        x: at(best), y: h.daily[best], xref: 'x', yref: 'y', text: `${rank + 1}: ${s.dates ? s.dates[best] : `day ${best + 1}`}`,
        showarrow: true, arrowhead: 2, ax: 0, ay: -26 - 14 * (rank % 2), font: { size: 11 }, bgcolor: 'rgba(255,255,255,0.8)',
      };
    });
    const lay: Partial<Layout> = {
      xaxis: { title: { text: s.dates ? 'date' : 'trading day' }, ...(s.dates ? { type: 'date' } : {}), anchor: 'y2', automargin: true },
      yaxis: { title: { text: 'heterogeneity index' }, domain: s.index ? [0.4, 1] : [0, 1], rangemode: 'tozero', automargin: true },
      ...(s.index ? { yaxis2: { title: { text: 'index price' }, domain: [0, 0.3], automargin: true } } : {}),
      shapes: shapes as Layout['shapes'], annotations: annotations as Layout['annotations'],
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' }, margin: { l: 70, r: 16, t: 40, b: 50 }, showlegend: true,
    };
    return { data: traces, layout: lay };
  }, [s, h, w, N, top, unit]);
  return (
    <section className="hmf-stocks" aria-label="heterogeneity index">
      <h3>Stocks: the heterogeneity index over time</h3>
      <Plot data={data} layout={layout} height={460} label="heterogeneity index over time, with the market index underneath" className="chart" />
      <table className="latest" aria-label="largest windows of the heterogeneity index" data-testid="stock-peaks">
        <thead><tr><th>rank</th><th>window</th><th>index (window mean)</th>{s.events && <th>planted event</th>}</tr></thead>
        <tbody>
          {top.map((i, rank) => (
            <tr key={i}><td>{rank + 1}</td><td>{h.labels[i]}</td><td>{h.values[i].toPrecision(4)}</td>{s.events && <td>{s.events[i] ? 'yes' : 'no'}</td>}</tr>
          ))}
        </tbody>
      </table>
      <CsvButton file="lowrank-lab-heterogeneity-peaks.csv" what="the largest windows of the heterogeneity index"
        rows={() => [['rank', 'window', 'index (window mean)', ...(s.events ? ['planted event'] : [])],
          ...top.map((i, rank) => [rank + 1, h.labels[i], h.values[i], ...(s.events ? [s.events[i] ? 'yes' : 'no'] : [])])]} />
      <p className="help">
        Each window of {w} {unit} is one source Mᵢ ({s.tickers.length} stocks × {w} {unit} of returns, each stock standardised over the whole period; [H] §6.3).
        The index of a {unit.slice(0, -1)} is Σ over the stocks of |U_(i),lV_(i),lᵀ| in its column — what the window’s own factor moves, beyond the factors all windows share —
        in units of the standardised returns; a window’s value is the mean of its {unit}.
        {s.events && ' Shaded: the windows with a planted event.'}
      </p>
      {s.tickers.length < FEW_STOCKS && (
        <p className="help" data-testid="few-stocks">
          Only {s.tickers.length} stocks: each window’s split into a shared and a unique part rests on {s.tickers.length} rows and {w} columns, so it is weakly
          determined, and the index moves with single stocks rather than with the market. [H] uses 214 stocks of daily prices in 30-day windows.
        </p>
      )}
    </section>
  );
}
