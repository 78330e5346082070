/**
 * Every parameter of the experiment, grouped as problem / network / algorithm / run. Editing writes the
 * experiment document in the store (and so the URL); the run starts with Run.
 */
import { memo } from 'react';
import type { ExperimentInput } from '../core/experiment';
import { ALGORITHM_LABELS } from '../core/document';
import { TOPOLOGIES, WEIGHT_RULES } from '../core/experiment';
import { editExperiment, ruleStepsize } from '../state/actions';
import { kindOf } from '../core/problems/registry';
import { labStore, useLab } from '../state/store';
import { Control, NumberInput, useRefsToggle } from './Control';
import { ProblemFields } from './problems/registry';
import { ProblemSwitch } from './ProblemSwitch';
import { RunSettings } from './RunSettings';

type P = Record<string, unknown>;
/** Grid and torus need rows × cols = J: the most nearly square factorisation of the current J. */
function fitGrid(net: P): void {
  if (net.topology !== 'grid' && net.topology !== 'torus') return;
  const J = net.J as number;
  let rows = Math.max(1, Math.floor(Math.sqrt(J)));
  while (J % rows) rows--;
  net.rows = rows;
  net.cols = J / rows;
}

/** Columns of the data (the most nodes a column split allows); 10 when the document does not say. */
function columnsOf(p: P): number {
  const g = p.generate as P | undefined;
  const t = (p.Y ?? p.M) as { shape: number[] } | undefined;
  return (g?.m as number | undefined) ?? t?.shape[1] ?? 10;
}

/** What each algorithm does with the copies, for the kinds it runs (X = UUᵀ has only U; least squares only x). */
const ALG_HELP: Record<string, string> = {
  'dgd-local': 'DGD+LOCAL keeps Vⱼ private and mixes the copies of U',
  dgd: 'classical DGD mixes copies of everything',
  gd: 'GD is centralized (one node, no network)',
};
/** Memoised: it reads the store itself, so a parent re-render (every streamed row) skips it. */
export const Controls = memo(function Controls() {
  const exp = useLab((s) => s.experiment);
  const p = exp.problem as P;
  const net = (exp.network ?? {}) as P;
  const alg = exp.algorithm;
  const mu = alg.stepsize;
  const edit = (f: (d: { problem: P; network: P; algorithm: ExperimentInput["algorithm"] }) => void) => editExperiment((d) => f(d as never));
  const kind = kindOf(p.kind as string)!;

  const [refs, refsToggle] = useRefsToggle();
  return (
    <form id="settings" className={refs ? 'controls-panel show-refs' : 'controls-panel'} onSubmit={(e) => e.preventDefault()} aria-label="experiment settings">
      {refsToggle}
      <fieldset>
        <legend>Problem</legend>
        <ProblemSwitch />
        <ProblemFields kind={kind.kind} />
      </fieldset>

      <fieldset>
        <legend>Network</legend>
        {alg.name === 'gd' ? (
          <p className="help" data-testid="no-network">Centralized gradient descent runs on one node: there is no network. Choose a distributed algorithm to split the data over nodes.</p>
        ) : (
          <>
            <Control id="J" label="nodes J" help="Each node holds a block of columns and a copy of U.">
              {(id) => <NumberInput id={id} integer min={1} value={net.J as number} onChange={(v) => edit((d) => { d.network.J = v; delete d.problem.partition; fitGrid(d.network); })} />}
            </Control>
            <Control id="topo" label="topology" help="Who talks to whom. Random graphs are redrawn until connected.">
              {(id) => (
                <select id={id} value={net.topology as string} onChange={(e) => edit((d) => {
                  const t = e.target.value;
                  d.network.topology = t;
                  if (t === 'erdos-renyi') d.network.p ??= 0.4;
                  fitGrid(d.network);
                  if (d.network.weights === 'threshold' && t !== 'random-threshold') d.network.weights = 'metropolis';
                })}>
                  {TOPOLOGIES.filter((t) => t !== 'adjacency').map((t) => <option key={t} value={t}>{t}</option>)}
                </select>
              )}
            </Control>
            {net.topology === 'erdos-renyi' && (
              <Control id="p" label="edge probability p" help="Erdős–Rényi G(J, p).">
                {(id) => <NumberInput id={id} min={0.01} max={1} value={net.p as number} onChange={(v) => edit((d) => { d.network.p = v; })} />}
              </Control>
            )}
            <Control id="w" label="weights" help="How a node averages its neighbours (mixing matrix W̃).">
              {(id) => (
                <select id={id} value={net.weights as string ?? 'metropolis'} onChange={(e) => edit((d) => { d.network.weights = e.target.value; })}>
                  {WEIGHT_RULES.filter((w) => w !== 'threshold' || net.topology === 'random-threshold').map((w) => <option key={w} value={w}>{w}</option>)}
                </select>
              )}
            </Control>
            <Control id="lazy" label="lazy (W̃ + I)/2" help="Halves ω; the theory needs ω < 1/2.">
              {(id) => <input id={id} type="checkbox" checked={net.lazy !== false} onChange={(e) => edit((d) => { d.network.lazy = e.target.checked; })} />}
            </Control>
            <Control id="nseed" label="network seed" help="Seed of the random graph.">
              {(id) => <NumberInput id={id} integer min={0} value={(net.seed ?? 0) as number} onChange={(v) => edit((d) => { d.network.seed = v; })} />}
            </Control>
          </>
        )}
      </fieldset>

      <fieldset>
        <legend>Algorithm</legend>
        <Control id="alg" label="algorithm" help={kind.algorithms.map((a) => ALG_HELP[a]).filter(Boolean).join('; ') + '.'}>
          {(id) => (
            <select id={id} value={alg.name} onChange={(e) => edit((d) => {
              d.algorithm.name = e.target.value as ExperimentInput['algorithm']['name'];
              // a centralized preset has no network: a distributed algorithm gets a ring of up to 10 nodes
              if (d.algorithm.name !== 'gd' && !d.network && kind.usesNetwork) {
                d.network = { topology: 'ring', J: Math.max(1, Math.min(10, columnsOf(d.problem))), weights: 'metropolis', lazy: true };
                delete d.problem.partition;
              }
            })}>
              {kind.algorithms.map((a) => <option key={a} value={a}>{ALGORITHM_LABELS[a]}</option>)}
            </select>
          )}
        </Control>
        <Control id="mu" label={typeof mu === 'number' ? 'step size μ' : 'step factor c'} help={typeof mu === 'number' ? 'A fixed step. See the theory bar for the bounds.' : `μ = c·(1 − 2ω)/L̂, L̂ = ${kind.lhat ?? '?'} (SPEC §3.4).`}>
          {(id) => (
            <span className="row">
              <NumberInput id={id} min={0} value={typeof mu === 'number' ? mu : mu.c} onChange={(v) => edit((d) => { d.algorithm.stepsize = typeof mu === 'number' ? v : { rule: 'practical', c: v }; })} />
              <select aria-label="step size mode" value={typeof mu === 'number' ? 'fixed' : 'rule'} onChange={(e) => {
                const fixed = e.target.value === 'fixed' ? ruleStepsize(labStore.getState().experiment) ?? 1e-4 : null;
                edit((d) => { d.algorithm.stepsize = fixed ?? { rule: 'practical', c: 0.5 }; });
              }}>
                <option value="rule">rule c·(1−2ω)/L̂</option>
                <option value="fixed">fixed μ</option>
              </select>
            </span>
          )}
        </Control>
        <Control id="K" label="iterations" help="The run stops here at the latest.">
          {(id) => <NumberInput id={id} integer min={0} value={alg.iterations} onChange={(v) => edit((d) => { d.algorithm.iterations = v; })} />}
        </Control>
        <Control id="rec" label="record every" help="Metrics are read back every this many iterations (never in between).">
          {(id) => <NumberInput id={id} integer min={1} value={alg.recordEvery ?? Math.max(1, Math.ceil(alg.iterations / 1000))} onChange={(v) => edit((d) => { d.algorithm.recordEvery = v; })} />}
        </Control>
        <Control id="iscale" label="initial scale" help="Start from scale·N(0,1) entries; small starts sit near the saddle at 0.">
          {(id) => <NumberInput id={id} min={0} value={(exp.init as P | undefined)?.scale as number ?? 0.1} onChange={(v) => editExperiment((d) => { d.init = { ...(d.init ?? {}), scale: v }; })} />}
        </Control>
      </fieldset>

      <RunSettings unit="iterations" tolLabel="stop at gap ≤ tol·‖Y‖²" />
    </form>
  );
});
