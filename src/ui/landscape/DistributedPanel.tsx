/**
 * The distributed toy: J scalar nodes of DGD+LOCAL on a network, node j holding a copy uʲ and a private
 * vⱼ with fⱼ = (uʲvⱼ − yⱼ)² (runDistributedToy builds it as one of the lab's experiment documents). Their
 * paths (uʲ_k, vⱼ_k) are drawn on the plain g with y = 1, beside the consensus error.
 */
import type { GridEvaluator } from '../../state/engines';
import { useMemo } from 'react';
import type { Data, Layout } from 'plotly.js';
import {
  type DistributedToy, type LandscapeParams, type Point, TOY_TOPOLOGIES, defaultDistributedToy, landscapeGridSpec, runDistributedToy,
} from '../../core/toy';
import { Plot } from '../plots/Plot';
import { Legend, type LegendItem } from './Legend';
import { NumberField } from './NumberField';
import { NODE_COLORS, UV_AXES, landscapeTrace, overlayLegend, overlayTraces, pathTraces } from './traces';
import { useGrid } from './useGrid';
import { useProgress } from './useProgress';

interface Props {
  params: LandscapeParams;
  onChange(p: LandscapeParams): void;
  gpu?: GridEvaluator | null;
}

const NETWORK_NAME: Record<DistributedToy['topology'], string> = { ring: 'a ring', path: 'a path', star: 'a star', complete: 'a complete graph' };
const nodeColor = (j: number) => NODE_COLORS[j % NODE_COLORS.length];
const LEGEND: LegendItem[] = [
  ...overlayLegend('plain', 0, false),
  { mark: 'line', color: NODE_COLORS[1], label: 'node paths (uʲ, vⱼ), each from its open circle' },
];

export function DistributedPanel({ params, onChange, gpu }: Props) {
  const d = params.distributed;
  const set = (next: DistributedToy | null) => onChange({ ...params, distributed: next });
  return (
    <section className="ls-panel" aria-labelledby="ls-dist-title">
      <h3 id="ls-dist-title">The distributed toy: J nodes, one shared factor</h3>
      <p className="ls-explain">
        Each of J nodes keeps its own copy uʲ of the shared factor and a private vⱼ, and wants uʲvⱼ = yⱼ, i.e. minimises
        fⱼ = (uʲvⱼ − yⱼ)². DGD+LOCAL averages each uʲ with its neighbours and takes a gradient step on fⱼ. The copies
        reach exact consensus and every product uʲvⱼ reaches yⱼ — with a fixed step size.
      </p>
      <label className="ls-check" title="Run J scalar nodes of DGD+LOCAL and draw their paths">
        <input type="checkbox" checked={!!d} onChange={(e) => set(e.target.checked ? defaultDistributedToy : null)} />
        Show the distributed toy
      </label>
      {d && <DistributedBody d={d} set={set} params={params} gpu={gpu} />}
    </section>
  );
}

function DistributedBody({ d, set, params, gpu }: { d: DistributedToy; set(d: DistributedToy): void; params: LandscapeParams; gpu?: GridEvaluator | null }) {
  const run = useMemo(() => runDistributedToy(d), [d]);
  const key = JSON.stringify(d);
  const items = useMemo(() => [{ key, length: run.consensus.length }], [key, run]);
  const { progress } = useProgress(items);
  const shown = progress(key);
  const { grid, note } = useGrid(landscapeGridSpec({ ...params, kind: 'plain', mub: 0 }), gpu);

  const base = useMemo(() => {
    const o = overlayTraces('plain', 0, params.range, false);
    return { under: [landscapeTrace(grid, 'heatmap'), ...o.under], over: o.over };
  }, [grid, params.range]);
  const data = useMemo<Data[]>(() => [
    ...base.under,
    ...run.nodes.flatMap((n, j) => pathTraces(n.u.map((u, k): Point => [u, n.v[k]]), shown, nodeColor(j), `node ${j + 1}`, 1.5)),
    ...base.over,
  ], [base, run, shown]);
  const layout = useMemo<Partial<Layout>>(() => ({
    title: { text: `${d.J} nodes on ${NETWORK_NAME[d.topology]}, μ = ${d.stepsize}; background: g with y = 1`, font: { size: 13 } },
    ...UV_AXES(params.range), hovermode: 'closest', dragmode: false, margin: { l: 48, r: 8, t: 36, b: 44 },
  }), [d.J, d.topology, d.stepsize, params.range]);

  const consensusData = useMemo<Data[]>(() => {
    const x = Array.from({ length: shown + 1 }, (_, k) => k);
    const clamp = (a: number[]) => a.slice(0, shown + 1).map((v) => Math.max(v, 1e-300));
    return [
      { type: 'scatter', mode: 'lines', name: 'consensus error Σⱼ(uʲ − ū)²', x, y: clamp(run.consensus), line: { color: '#d1491f', width: 2 } },
      { type: 'scatter', mode: 'lines', name: 'objective Σⱼ fⱼ', x, y: clamp(run.objective), line: { color: '#333', width: 2 } },
    ] as Data[];
  }, [run, shown]);

  const setJ = (J: number) => {
    set({ ...d, J, y: Array.from({ length: J }, (_, j) => d.y[j] ?? 1) });
  };

  return (
    <div className="ls-dist">
      <div className="ls-controls">
        <NumberField
          label="Nodes J" title="Number of nodes (2–16)" value={d.J} min={2} max={16} step={1}
          accept={(J) => Number.isInteger(J) && J >= 2 && J <= 16} onCommit={setJ}
        />
        <label className="ls-field" title="Who talks to whom; weights are lazy Metropolis–Hastings">
          Network
          <select value={d.topology} onChange={(e) => set({ ...d, topology: e.target.value as DistributedToy['topology'] })}>
            {TOY_TOPOLOGIES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        <NumberField
          label="Node step μ" title="DGD+LOCAL step size μ (fⱼ is un-halved, so μ moves like GD with η = 2μ)"
          value={d.stepsize} min={0.001} max={0.5} step={0.005} accept={(v) => v > 0 && v <= 0.5} onCommit={(v) => set({ ...d, stepsize: v })}
        />
        <TargetsInput key={d.y.join(',')} y={d.y} onCommit={(y) => set({ ...d, y })} />
        <p className="ls-note">Click the chart to move the nodes' starting cloud.</p>
      </div>
      <div className="ls-row">
        <div>
          <Plot className="ls-chart" label="Paths of the distributed toy's nodes on the landscape of g; click to move their start" data={data} layout={layout}
            pointer={{ click: (u, v) => set({ ...d, start: [Number(u.toFixed(4)), Number(v.toFixed(4))] }) }} height={460} />
          <Legend label="Legend of the distributed toy's landscape" items={LEGEND} />
        </div>
        <Plot className="ls-consensus" label="Consensus error and objective of the distributed toy against the iteration, log scale" data={consensusData} layout={CONSENSUS_LAYOUT} height={300} />
      </div>
      <p className="ls-note">{note}. Node j's own landscape is fⱼ = (uv − yⱼ)², minimised on the hyperbola uv = yⱼ; the background is g for y = 1.</p>
    </div>
  );
}

const CONSENSUS_LAYOUT: Partial<Layout> = {
  title: { text: 'Consensus and objective', font: { size: 13 } },
  xaxis: { title: { text: 'iteration k' } }, yaxis: { title: { text: 'log scale' }, type: 'log', exponentformat: 'power' },
  legend: { x: 0.98, xanchor: 'right', y: 0.98, yanchor: 'top', bgcolor: 'rgba(255,255,255,0.85)', font: { size: 11 } },
  margin: { l: 60, r: 12, t: 36, b: 44 },
};

/** The targets y₁ … y_J as one comma-separated field, committed on blur or Enter when it parses. */
function TargetsInput({ y, onCommit }: { y: number[]; onCommit(y: number[]): void }) {
  const commit = (text: string) => {
    const v = text.split(',').map((s) => Number(s.trim()));
    if (v.length === y.length && v.every(Number.isFinite)) onCommit(v);
  };
  return (
    <label className="ls-field ls-wide" title={`Targets y₁ … y_${y.length}, comma-separated (one per node); Enter to apply`}>
      Targets y
      <input
        type="text" defaultValue={y.join(', ')} onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit(e.currentTarget.value)}
      />
    </label>
  );
}
