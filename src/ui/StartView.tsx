/**
 * The first visit (a bare link): what the lab is about in three sentences, one figure that moves — R3, ten
 * nodes reaching exact consensus, played at a pace the eye can follow —, one Play, and a path of five steps,
 * each a preset. The papers' notation waits behind "In the papers' notation". Every sentence about a result
 * is R3's claims (listed with ✓ / ✗ after the run) or a cited theorem.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Data, Layout } from 'plotly.js';
import { documentChanges } from '../core/doc-diff';
import { fetchPreset, reset, run, setLink, togglePlay } from '../state/actions';
import { activeRun, labStore, useLab } from '../state/store';
import { FIRST_VISIT } from '../state/url';
import { Claims } from './Claims';
import { NetworkView } from './NetworkView';
import { LiveChart, type LiveSeries } from './plots/LiveChart';
import { Plot } from './plots/Plot';
import { METRIC_COLORS } from './theme';

/** The preset the figure plays (a bare link opens it). */
const DEMO = FIRST_VISIT.preset;
/** The paces offered, in iterations per second (R3 runs 10 000); 0 is as fast as the engine can. */
const PACES = [
  { speed: 500, label: 'slow (about 20 s)' },
  { speed: FIRST_VISIT.speed, label: 'visible (about 8 s)' },
  { speed: 0, label: 'as fast as possible' },
] as const;

const SERIES = [
  { key: 'objective', name: 'objective f / ‖Y‖² (the fit)' },
  { key: 'consensusError', name: 'consensus error Σⱼ‖Uʲ − Ū‖² / ‖Y‖² (the copies’ disagreement)' },
] as const;

/** The path: each step a preset (or a landscape link), in the order a newcomer meets the ideas. */
const STEPS = [
  { link: '?view=landscape&lk=plain&ls=1:-0.999;1:-0.99999;1:-0.9999999;-1:0.999;1:-1', title: 'A saddle, up close',
    text: 'The smallest case, two numbers: g(u, v) = ½(1 − uv)² has its minima on the curve uv = 1 and a saddle at the origin (Li et al. 2020, Fig. 1). Click anywhere on the landscape to start gradient descent there.',
    checked: '?preset=escape' },
  { link: '?preset=saddle', title: 'How long an escape takes',
    text: 'A real problem started a distance δ from a saddle, for three δ: the loss waits on a plateau before it drops. Compare how long each plateau lasts.' },
  { link: '?preset=consensus', title: 'Nodes agreeing',
    text: 'DGD+LOCAL against classical DGD with the same fixed step on the figure’s data: both reach exact consensus, DGD+LOCAL far sooner.' },
  { link: '?preset=r4', title: 'Where classical DGD stalls',
    text: 'Nodes whose objectives share no minimiser (least squares with inconsistent data): with a fixed step classical DGD stops short of consensus.' },
  { link: '?preset=employment', title: 'Real data, and then yours',
    text: 'US employment by industry, where no low-rank model was planted. Then bring a CSV of your own: Settings → data → upload.' },
] as const;

/** The papers, found by title (the lab ships no copies). */
const PAPERS = [
  { cite: 'Zhu, Yang, Li, Tang, Wakin 2019', title: 'Distributed Low-rank Matrix Factorization With Exact Consensus', venue: 'NeurIPS 2019' },
  { cite: 'Li, Li, Zhu, Tang, Wakin 2020', title: 'The Global Geometry of Centralized and Distributed Low-rank Matrix Recovery Without Regularization', venue: 'IEEE Signal Processing Letters 2020' },
  { cite: 'Ge, Jin, Zheng 2017', title: 'No Spurious Local Minima in Nonconvex Low Rank Problems: A Unified Geometric Analysis', venue: 'ICML 2017' },
  { cite: 'Shi, Fattahi, Kontar', title: 'Heterogeneous Matrix Factorization', venue: '' },
] as const;
const searchLink = (title: string) => `https://arxiv.org/search/?searchtype=title&query=${encodeURIComponent(title)}`;

const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toExponential(1));

export function StartView() {
  const preset = useLab((s) => s.preset);
  const presetDoc = useLab((s) => s.presetDoc);
  const exp = useLab((s) => s.experiment);
  const r = useLab(activeRun);
  const status = useLab((s) => s.status);
  const speed = useLab((s) => s.speed);
  const error = useLab((s) => s.error);
  // the figure plays R3 as published; other settings (edited in the Run tab) would make its words untrue
  const isDemo = useMemo(() => preset === DEMO && !!presetDoc && (documentChanges(presetDoc, exp) ?? []).length === 0, [preset, presetDoc, exp]);
  const [loading, setLoading] = useState(false);

  // the network is drawn before Play: load the run at iteration 0 (paused)
  useEffect(() => {
    const s = labStore.getState();
    if (isDemo && !s.runs.length && s.status === 'idle') reset();
  }, [isDemo]);

  const play = async () => {
    if (isDemo) {
      if (!r || r.stop || status === 'error') run();
      else togglePlay();
      return;
    }
    setLoading(true);
    try {
      const doc = await fetchPreset(DEMO);
      if (!doc) throw new Error('the demo preset could not be loaded');
      labStore.setState({ experiment: structuredClone(doc), preset: DEMO, presetDoc: doc, also: [], runs: [], activeId: null, status: 'idle', error: null, upload: null });
      run();
    } catch (err) {
      labStore.setState({ status: 'error', error: (err as Error).message });
    } finally {
      setLoading(false);
    }
  };

  const rows = isDemo ? r?.rows ?? [] : [];
  const last = rows.at(-1);
  const total = exp.algorithm.iterations;
  const running = status === 'running' && isDemo;
  const scale = r && r.scale > 0 && Number.isFinite(r.scale) ? r.scale : 1;
  const ys = (key: (typeof SERIES)[number]['key']) => rows.map((row) => {
    const v = row[key] / scale;
    return v > 0 && Number.isFinite(v) ? v : NaN;
  });
  const xs = rows.map((row) => row.iteration);
  const live: LiveSeries[] = running ? SERIES.map((s) => ({ xs, ys: ys(s.key), color: METRIC_COLORS[s.key]!, width: 2.5, dashed: false })) : [];
  const data: Data[] = running ? [] : SERIES.map((s) => ({ type: 'scatter', mode: 'lines', name: s.name, x: xs, y: ys(s.key).map((v) => (Number.isNaN(v) ? null : v)), line: { color: METRIC_COLORS[s.key], width: 2.5 } }));
  const layout = useMemo<Partial<Layout>>(() => ({
    // R3's curves run from 1 down to about 10⁻³⁰: the axes show that span before Play
    yaxis: { type: 'log', exponentformat: 'power', range: [-32, 1] }, xaxis: { title: { text: 'iteration' }, range: [0, total] }, showlegend: false, uirevision: 'start',
    margin: { t: 16, r: 12, b: 44, l: 58 },
  }), [total]);

  const playLabel = loading ? 'Loading…' : running ? 'Pause' : !isDemo ? 'Play the demo' : r?.stop ? 'Play again' : last && last.iteration > 0 ? 'Continue' : 'Play';
  const statusText = error ? error
    : !isDemo ? 'The Run tab holds other settings now; “Play the demo” loads R3 (your settings stay reachable with the browser’s Back only if you copied their link).'
      : r?.stop ? `${r.stop.message}`
        : last ? `iteration ${last.iteration.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} · objective ${fmt(last.objective / scale)} · consensus error ${fmt(last.consensusError / scale)}`
          : 'Press Play.';

  return (
    <section className="start" aria-label="start here">
      <div className="start-intro">
        <h2>Factor a matrix — together, across a network</h2>
        <p>
          A large table of numbers — films rated by users, sensors read over time, the frames of a video — is often close
          to the product of two thin matrices, <i>Y</i> ≈ <i>UV</i>ᵀ: a few hidden factors explain it. Finding <i>U</i> and <i>V</i> is
          not a convex problem, yet gradient descent from a random start finds a best fit: no local minimum is worse than
          the best, and every saddle point has a way down (Zhu et al. 2019, Theorems 2.2 and 3.1).
        </p>
        <p>
          When no single computer may hold the whole table — hospitals, phones, sensors — each node keeps its own columns,
          its own part of <i>V</i> and its own copy of <i>U</i>, and after every gradient step averages its copy with its
          neighbours’: <b>DGD+LOCAL</b>. With a fixed step the copies come to agree exactly (Zhu et al. 2019, Theorem 3.2;
          its conditions are under “In the papers’ notation” below).
        </p>
      </div>

      <figure className="start-figure">
        <div className="start-play">
          <button className="big-play" onClick={() => void play()} disabled={loading} aria-label={playLabel}>
            <span aria-hidden="true">{running ? '❚❚' : '▶'}</span> {playLabel}
          </button>
          <label className="pace">
            pace{' '}
            <select value={PACES.some((p) => p.speed === speed) ? speed : 'other'} onChange={(e) => setLink({ speed: Number(e.target.value) })} aria-label="pace">
              {PACES.map((p) => <option key={p.speed} value={p.speed}>{p.label}</option>)}
              {!PACES.some((p) => p.speed === speed) && <option value="other" disabled>{speed.toLocaleString('en-US')} iterations/s (set in Run)</option>}
            </select>
          </label>
          <p className="start-status" role="status" aria-live="polite">{statusText}</p>
        </div>
        <div className="start-panels">
          <div className="start-network">
            {isDemo && r?.W ? (
              <NetworkView W={r.W} disagreement={r.extras?.disagreement ?? null} reference={r.extras?.average} topology={(exp.network as { topology?: string } | undefined)?.topology} />
            ) : <p className="plot-loading">the network appears here</p>}
            <p className="caption">10 nodes and who talks to whom. A node’s colour: how far its copy of <i>U</i> is from the average — dark red far, pale when they agree.</p>
          </div>
          <div className="start-chart">
            {running
              ? <LiveChart title="" series={live} height={260} label="objective and consensus error against iteration, log scale" />
              : <Plot data={data} layout={layout} height={260} label="objective and consensus error against iteration, log scale" />}
            <ul className="metric-legend">
              {SERIES.map((s) => <li key={s.key}><span className="swatch" style={{ background: METRIC_COLORS[s.key] }} />{s.name}</li>)}
            </ul>
          </div>
        </div>
        <figcaption>
          Ten nodes share a 30 × 100 table of rank 3, ten columns each (R3 of Zhu et al. 2019, Fig. 1). Both curves are on a
          log scale: each falls more than ten-thousand-fold from iteration 1 000 to 2 000 and again from 3 000 to 4 000, and
          both stop below 10⁻²⁰ — the limit of the computer’s arithmetic, not of the method. The lab checks these statements
          on every run:
        </figcaption>
        {isDemo && <Claims />}
      </figure>

      <h3>Five steps further</h3>
      <ol className="start-path">
        {STEPS.map((s) => (
          <li key={s.link}>
            <a href={s.link}><b>{s.title}</b></a>
            <p>{s.text}</p>
            {'checked' in s && <p className="checked-link"><a href={s.checked}>the same starts as runs, with their claims checked</a></p>}
          </li>
        ))}
      </ol>

      <p className="start-more">
        <button onClick={() => setLink({ view: 'run' })}>Open the full lab</button>{' '}
        every setting, all the charts, export, your own data — or browse the <button className="linkish" onClick={() => setLink({ view: 'gallery' })}>presets</button> (each paper figure the lab reproduces, checked).
      </p>

      <details className="notation">
        <summary>In the papers’ notation</summary>
        <p>
          Node <i>j</i> of <i>J</i> holds its columns <i>Y</i>ⱼ of <i>Y</i>, its copy <i>U</i>ʲ and its block <i>V</i>ⱼ; fⱼ is its
          fit ‖<i>U</i>ʲ<i>V</i>ⱼᵀ − <i>Y</i>ⱼ‖². DGD+LOCAL is gradient descent with a fixed step μ on
          g = Σⱼ [fⱼ + Σᵢ wⱼᵢ‖<i>U</i>ʲ − <i>U</i>ⁱ‖²], weights wⱼᵢ from the network’s mixing matrix W̃ (Zhu et al. 2019, (2) and
          (5)): each step mixes the copies <i>U</i>ʲ with the neighbours’ and moves every block <i>V</i>ⱼ along its own
          gradient. Classical DGD keeps a copy of all of <i>V</i> at every node and mixes it too. Theorem 3.2 guarantees exact consensus and
          a global optimum almost surely, from a random start whose iterates stay bounded, when rank <i>Y</i> ≤ r, the network
          is connected and μ is below its bound (19); the Run tab typesets
          the rule being run with its numbers (μ, ω) and places μ against that bound.
        </p>
        <ul>
          {PAPERS.map((p) => (
            <li key={p.title}>{p.cite}: <a href={searchLink(p.title)} target="_blank" rel="noreferrer">“{p.title}”</a>{p.venue ? `, ${p.venue}` : ''}.</li>
          ))}
        </ul>
      </details>
    </section>
  );
}
