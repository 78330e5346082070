/**
 * The settings of the symmetric PSD problems (X = UUᵀ, Ge–Jin–Zheng §4): the planted M⋆'s size and rank,
 * the rank of U, and each kind's own fields (measurements, the observed fraction, the corruption). Ids
 * match the link's keys, so `hide=` works as for the other controls.
 */
import { editExperiment } from '../../state/actions';
import { useLab } from '../../state/store';
import { Control, NumberInput } from '../Control';

type P = Record<string, unknown>;

export function SymmetricFields() {
  const p = useLab((s) => s.experiment.problem) as P;
  const g = (p.generate ?? {}) as P;
  const edit = (f: (d: P, gen: P) => void) => editExperiment((d) => {
    const q = d.problem as P;
    f(q, (q.generate ??= {}) as P);
  });
  const kind = p.kind as string;
  return (
    <>
      <p className="help">One factor U (n × r), X = UUᵀ: every node keeps a copy of U and its share of the data. DGD+LOCAL needs a private factor per node, which X = UUᵀ does not have, so this problem runs with classical DGD or centralized GD.</p>
      {Array.isArray(g.spectrum) ? (
        <p className="help" data-testid="spectrum">
          M⋆ = diag({(g.spectrum as number[]).join(', ')}), {g.n as number} × {g.n as number}, as the document gives it (its nonzero entries set the true rank).{' '}
          <button type="button" onClick={() => edit((_q, gen) => { delete gen.spectrum; })}>Use a random M⋆ instead</button>
        </p>
      ) : (
        <>
          <Control id="n" label="n (M⋆ is n × n)" help="M⋆ = U⋆U⋆ᵀ is symmetric and positive semidefinite; the nodes split its columns.">
            {(id) => <NumberInput id={id} integer min={1} value={g.n as number} onChange={(v) => edit((_q, gen) => { gen.n = v; })} />}
          </Control>
          <Control id="tr" label="true rank r*" help="M⋆ = U⋆U⋆ᵀ with a Gaussian U⋆ of this rank.">
            {(id) => <NumberInput id={id} integer min={1} value={(g.trueRank ?? p.rank) as number} onChange={(v) => edit((_q, gen) => { gen.trueRank = v; })} />}
          </Control>
          <Control id="seed" label="data seed" help="The same seed rebuilds the same data on any machine.">
            {(id) => <NumberInput id={id} integer min={0} value={g.seed as number} onChange={(v) => edit((_q, gen) => { gen.seed = v; })} />}
          </Control>
        </>
      )}
      <Control id="r" label="rank r" help="Columns of the factor U.">
        {(id) => <NumberInput id={id} integer min={1} value={p.rank as number} onChange={(v) => edit((q) => { q.rank = v; })} />}
      </Control>
      {kind === 'sym-sensing' && (
        <>
          <Control id="meas" label={g.split ? 'measurements (in all)' : 'measurements per node'} help="Gaussian measurements ⟨Aₖ, M⋆⟩; the objective weighs them by 1/(2p) with p all of them.">
            {(id) => <NumberInput id={id} integer min={1} value={g.measurements as number} onChange={(v) => edit((_q, gen) => { gen.measurements = v; })} />}
          </Control>
          <Control id="msplit" label="split p over the nodes" help="Read the count as the total, divided among the nodes.">
            {(id) => <input id={id} type="checkbox" checked={!!g.split} onChange={(e) => edit((_q, gen) => { gen.split = e.target.checked; })} />}
          </Control>
          <Control id="noise" label="noise σ" help="Gaussian noise added to every measurement b.">
            {(id) => <NumberInput id={id} min={0} value={(g.noise ?? 0) as number} onChange={(v) => edit((_q, gen) => { gen.noise = v; })} />}
          </Control>
        </>
      )}
      {kind === 'sym-completion' && (
        <Control id="pobs" label="observed fraction p" help="Each entry of the upper triangle is observed with probability p and mirrored (a symmetric mask).">
          {(id) => <NumberInput id={id} min={0} max={1} value={p.pObs as number} onChange={(v) => edit((q) => { q.pObs = v; })} />}
        </Control>
      )}
      {kind === 'sym-rpca' && (
        <>
          <Control id="corr" label="corruption α" help="Fraction of corrupted entries per row and column of the symmetric S⋆.">
            {(id) => <NumberInput id={id} min={0} max={0.99} value={g.corruption as number} onChange={(v) => edit((_q, gen) => { gen.corruption = v; })} />}
          </Control>
          <Control id="gamma" label="slack γ" help="The projection keeps ⌈γα·mⱼ⌉ entries per row and ⌈γα·n⌉ per column.">
            {(id) => <NumberInput id={id} min={1} value={(p.gamma ?? 2) as number} onChange={(v) => edit((q) => { q.gamma = v; })} />}
          </Control>
        </>
      )}
    </>
  );
}
