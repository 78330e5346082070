/**
 * The Landscape view (SPEC §4.3, R1 and R2): a toy of src/core/toys/registry.ts — the scalar toy
 * g = ½(1 − uv)², its balanced version g̃, the symmetric f(u) —, its critical points and the saddles' stable manifold; GD paths from clicked or typed starts, animated a
 * few iterations per frame beside their losses; the saddle-escape demo; the distributed toy.
 *
 * Everything it shows is derived from `params` (the object the app's store and URL hold) by
 * src/core/toy.ts; the only local state is the animation's progress. With a GPUDevice the landscape grid
 * is computed by the WebGPU kernel, otherwise on the CPU; the note under the chart says which.
 */
import type { GridEvaluator } from '../../state/engines';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type LandscapeParams, type Point, gdTrajectory, landscapeGridSpec, toyParam } from '../../core/toy';
import { toyFor } from '../../core/toys/registry';
import { Controls } from './Controls';
import { DistributedPanel } from './DistributedPanel';
import { EscapePanel } from './EscapePanel';
import { LandscapeChart } from './LandscapeChart';
import { LossPanel, type ShownTrajectory } from './LossPanel';
import { Legend, type LegendItem } from './Legend';
import { overlayLegend, trajectoryColor } from './traces';
import { useGrid } from './useGrid';
import { useProgress } from './useProgress';
import './landscape.css';

export interface LandscapeViewProps {
  params: LandscapeParams;
  onChange(p: LandscapeParams): void;
  gpu?: GridEvaluator | null;
  /** why the grid is on the CPU when there is no evaluator (no WebGPU here) */
  cpuReason?: string;
}

const PATH_LEGEND: LegendItem[] = [
  { mark: 'open', color: '#111', label: 'GD start' },
  { mark: 'dot', color: '#111', label: 'current iterate' },
];

/** up to 8 significant digits, so a start 10⁻⁵ off the manifold does not read as on it */
const coord = (x: number) => String(Number(x.toPrecision(8)));
const startName = (p: Point) => `start (${coord(p[0])}, ${coord(p[1])})`;
/** a start as the link keeps it: 6 decimals (clicks resolve about 10⁻² on the default square) */
const keep = (p: Point): Point => [Number(p[0].toFixed(6)), Number(p[1].toFixed(6))];

export function LandscapeView({ params, onChange, gpu, cpuReason }: LandscapeViewProps) {
  const { kind, eta, maxIter, starts } = params;
  const mub = toyParam(params), toy = toyFor(kind);
  const { grid, note } = useGrid(landscapeGridSpec(params), gpu, cpuReason);

  // a start being dragged: its path follows the pointer, drawn whole, until it is dropped
  const [drag, setDrag] = useState<{ index: number; at: Point } | null>(null);
  const dragRef = useRef(drag);
  useEffect(() => {
    dragRef.current = drag;
  }, [drag]);
  const live = useMemo(() => (drag ? starts.map((s, k) => (k === drag.index ? drag.at : s)) : starts), [starts, drag]);
  const trajectories = useMemo(() => live.map((s, k) => ({
    key: `${k}|${kind}|${mub}|${eta}|${maxIter}|${s[0]},${s[1]}`,
    trajectory: gdTrajectory(kind, mub, eta, s, maxIter),
    color: trajectoryColor(k),
    name: startName(s),
  })), [live, kind, mub, eta, maxIter]);
  const items = useMemo(() => trajectories.map((t) => ({ key: t.key, length: t.trajectory.points.length })), [trajectories]);
  const { progress, replay } = useProgress(items);
  const shown: ShownTrajectory[] = trajectories.map((t, k) => ({ ...t, shown: k === drag?.index ? t.trajectory.points.length - 1 : progress(t.key) }));
  const paths = shown.map((t) => ({ points: t.trajectory.points, shown: t.shown, color: t.color, name: t.name }));

  const pick = (p: Point) => {
    if (starts.length >= 32) return;
    onChange({ ...params, starts: [...starts, keep(p)] });
  };
  const pointer = useMemo(() => ({
    click: (x: number, y: number) => {
      if (starts.length < 32) onChange({ ...params, starts: [...starts, keep([x, y])] });
    },
    // a press within 10 px of a start picks it up
    down: (x: number, y: number, tol: number) => {
      const d = starts.map((s) => Math.hypot(s[0] - x, s[1] - y));
      const k = d.indexOf(Math.min(...d));
      if (k < 0 || !(d[k] <= tol)) return false;
      setDrag({ index: k, at: starts[k] });
      return true;
    },
    move: (x: number, y: number) => setDrag((g) => (g ? { ...g, at: [x, y] } : g)),
    cancel: () => setDrag(null),
    up: (x: number, y: number) => {
      const g = dragRef.current;
      setDrag(null);
      if (g) onChange({ ...params, starts: starts.map((s, k) => (k === g.index ? keep([x, y]) : s)) });
    },
  }), [starts, params, onChange]);
  const remove = (k: number) => onChange({ ...params, starts: starts.filter((_, i) => i !== k) });

  return (
    <div className="landscape-view">
      <header className="ls-header">
        <h2>{toy.heading}</h2>
        <p className="ls-lead">{toy.lead}</p>
      </header>
      <Controls params={params} onChange={onChange} onReplay={replay} />
      <div className="ls-main">
        <div className="ls-main-chart">
          <LandscapeChart params={params} grid={grid} paths={paths} onPick={pick} pointer={pointer} />
          <Legend label="Legend of the landscape" items={params.view === 'surface' ? overlayLegend(kind, mub, false) : [...overlayLegend(kind, mub, params.showField), ...PATH_LEGEND]} />
          <p className="ls-note" data-testid="grid-note">
            {note}; colour = log₁₀({toy.symbol} + {grid.spec.eps}) on {grid.spec.nu}×{grid.spec.nv} points.
          </p>
        </div>
        <LossPanel items={shown} onRemove={remove} manifold={toy.names.manifoldWhere} symbol={toy.symbol} />
      </div>
      {toy.escape && <EscapePanel params={params} />}
      <DistributedPanel params={params} onChange={onChange} gpu={gpu} />
    </div>
  );
}
