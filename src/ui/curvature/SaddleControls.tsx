/**
 * Where a run starts and how it escapes saddles (SPEC §4.2 C-d): a random start, the origin, or a
 * partial-SVD critical point S plus a perturbation of size δ (on or off the consensus subspace);
 * perturbed gradient descent (a random kick when the gradient is small); and whether to record the
 * curvature λ_min along the run. Edits write the experiment document (and so the link).
 */
import { kindOf } from '../../core/problems/registry';
import { memo, useState } from 'react';
import type { ExperimentInput } from '../../core/experiment';
import { editExperiment } from '../../state/actions';
import { useLab } from '../../state/store';
import { Control, NumberInput } from '../Control';

type Saddle = { set: number[]; delta: number; seed?: number; consensus?: boolean };
type Perturb = { radius: number; threshold: number; wait?: number; seed?: number };

export const SaddleControls = memo(function SaddleControls() {
  const exp = useLab((s) => s.experiment);
  const fact = !!kindOf((exp.problem as { kind: string }).kind)?.saddles;
  const rank = (exp.problem as { rank?: number }).rank ?? 1;
  const saddle = (exp.init as { saddle?: Saddle } | undefined)?.saddle;
  const perturb = exp.algorithm.perturb as Perturb | undefined;
  const every = exp.algorithm.curvatureEvery;
  const mode = !saddle ? 'random' : saddle.set.length ? 'saddle' : 'origin';
  const [setText, setSetText] = useState(saddle?.set.length ? saddle.set.join(', ') : Array.from({ length: rank }, (_, i) => i + (i === rank - 1 ? 2 : 1)).join(', '));
  const editInit = (f: (i: Record<string, unknown>) => void) => editExperiment((d: ExperimentInput) => {
    d.init ??= {};
    f(d.init as Record<string, unknown>);
  });
  const editSaddle = (patch: Partial<Saddle>) => editInit((i) => { i.saddle = { ...(i.saddle as Saddle), ...patch }; });
  const parsedSet = setText.split(/[\s,]+/).filter(Boolean).map(Number);
  const distributed = exp.algorithm.name !== 'gd';
  return (
    <form className="saddle-controls" aria-label="saddles and curvature" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Start</legend>
        <Control id="start" label="start at" help="Random: scale·N(0, 1). Origin and partial-SVD saddles are critical points of f (SPEC §4.2 C-d).">
          {(id) => (
            <select id={id} value={mode} disabled={!fact} onChange={(e) => {
              const v = e.target.value;
              if (v === 'random') editInit((i) => { delete i.saddle; });
              else editInit((i) => { i.saddle = { delta: (i.saddle as Saddle | undefined)?.delta ?? 1e-6, seed: 1, ...(i.saddle as Saddle | undefined), set: v === 'origin' ? [] : parsedSet }; });
            }}>
              <option value="random">random</option>
              <option value="origin">the origin</option>
              <option value="saddle">a partial-SVD saddle S</option>
            </select>
          )}
        </Control>
        {mode === 'saddle' && (
          <Control id="sset" label={`S (${rank} indices of σ)`} help="1-based singular values kept: Uᵢ = pᵢ√σᵢ, Vᵢ = qᵢ√σᵢ for i ∈ S. λ_min = −2(σₖ − σₗ).">
            {(id) => (
              <input id={id} value={setText} onChange={(e) => setSetText(e.target.value)} onBlur={() => editSaddle({ set: parsedSet })}
                onKeyDown={(e) => e.key === 'Enter' && editSaddle({ set: parsedSet })} />
            )}
          </Control>
        )}
        {saddle && (
          <>
            <Control id="sdelta" label="perturbation δ" help="Frobenius norm of the random perturbation added to the critical point.">
              {(id) => <NumberInput id={id} min={0} value={saddle.delta} onChange={(v) => editSaddle({ delta: v })} />}
            </Control>
            {distributed && (
              <Control id="scons" label="on the consensus subspace" help="One perturbation of U shared by every node's copy; off: each copy its own.">
                {(id) => <input id={id} type="checkbox" checked={!!saddle.consensus} onChange={(e) => editSaddle({ consensus: e.target.checked })} />}
              </Control>
            )}
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>Perturbed gradient descent</legend>
        <Control id="kick" label="kick when ‖∇g‖ is small" help="Jin et al. 2017: add a random point of a small ball when the gradient falls below a threshold.">
          {(id) => <input id={id} type="checkbox" checked={!!perturb} onChange={(e) => editExperiment((d) => {
            if (e.target.checked) d.algorithm.perturb = { radius: 1e-3, threshold: 1e-3, wait: 50, seed: 0 };
            else delete d.algorithm.perturb;
          })} />}
        </Control>
        {perturb && (
          <>
            <Control id="kradius" label="kick radius" help="Radius of the ball the kick is drawn from.">
              {(id) => <NumberInput id={id} min={0} value={perturb.radius} onChange={(v) => editExperiment((d) => { (d.algorithm.perturb as Perturb).radius = v; })} />}
            </Control>
            <Control id="kthr" label="gradient threshold" help="Kick only when ‖∇g‖ is at most this.">
              {(id) => <NumberInput id={id} min={0} value={perturb.threshold} onChange={(v) => editExperiment((d) => { (d.algorithm.perturb as Perturb).threshold = v; })} />}
            </Control>
            <Control id="kwait" label="iterations between kicks" help="At least this many iterations pass before the next kick.">
              {(id) => <NumberInput id={id} integer min={1} value={perturb.wait ?? 50} onChange={(v) => editExperiment((d) => { (d.algorithm.perturb as Perturb).wait = v; })} />}
            </Control>
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>Curvature</legend>
        <Control id="cev" label="record λ_min every" help="Lanczos on Hessian–vector products at these iterations (and the end), plus a verdict; costs up to ~100 products each.">
          {(id) => (
            <span className="curv-every">
              <input type="checkbox" aria-label="record the curvature" checked={every !== undefined} onChange={(e) => editExperiment((d) => {
                if (e.target.checked) d.algorithm.curvatureEvery = Math.max(d.algorithm.recordEvery ?? 1, Math.ceil(d.algorithm.iterations / 40));
                else delete d.algorithm.curvatureEvery;
              })} />
              {every !== undefined && <NumberInput id={id} integer min={1} value={every} onChange={(v) => editExperiment((d) => { d.algorithm.curvatureEvery = v; })} />}
              {every !== undefined && ' iterations'}
            </span>
          )}
        </Control>
      </fieldset>
    </form>
  );
});
