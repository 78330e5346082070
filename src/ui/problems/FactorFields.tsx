/**
 * The settings of the problems with factors U and V split by columns — factorization, matrix sensing,
 * completion, robust PCA — and of least squares: the planted model's sizes, the rank, λ, each kind's own
 * fields, and the data upload. Ids match the link's keys, so `hide=` works as for the other controls.
 */
import type { ExperimentInput } from '../../core/experiment';
import { kindOf } from '../../core/problems/registry';
import { editExperiment } from '../../state/actions';
import { useLab } from '../../state/store';
import { Control, NumberInput } from '../Control';
import { DataUpload } from './DataUpload';

type P = Record<string, unknown>;

export function FactorFields() {
  const exp = useLab((s) => s.experiment);
  const upload = useLab((s) => s.upload);
  const p = exp.problem as P;
  const g = (p.generate ?? {}) as P;
  const edit = (f: (d: { problem: P; network: P; algorithm: ExperimentInput['algorithm'] }) => void) => editExperiment((d) => f(d as never));
  const kind = kindOf(p.kind as string)!;
  const factored = kind.dataName !== undefined;
  const dataName = kind.dataName ?? '';
  return (
    <>
        {factored && p.generate !== undefined && (
          <>
            <Control id="n" label={`n (rows of ${dataName})`} help={`${dataName} is n × m; U is n × r.`}>
              {(id) => <NumberInput id={id} integer min={1} value={g.n as number} onChange={(v) => edit((d) => { (d.problem.generate as P).n = v; })} />}
            </Control>
            <Control id="m" label={`m (columns of ${dataName})`} help="Split into column blocks, one per node.">
              {(id) => <NumberInput id={id} integer min={1} value={g.m as number} onChange={(v) => edit((d) => { (d.problem.generate as P).m = v; delete d.problem.partition; })} />}
            </Control>
            <Control id="tr" label="true rank r*" help={`${dataName} = U⋆V⋆ᵀ with Gaussian factors of this rank.`}>
              {(id) => <NumberInput id={id} integer min={1} value={(g.trueRank ?? p.rank) as number} onChange={(v) => edit((d) => { (d.problem.generate as P).trueRank = v; })} />}
            </Control>
            {p.kind !== 'rpca' && (
              <Control id="noise" label="noise σ" help={p.kind === 'sensing' ? 'Gaussian noise added to every measurement b.' : 'Gaussian noise added to every entry; with noise, rank Y > r and the optimum is the best rank-r fit.'}>
                {(id) => <NumberInput id={id} min={0} value={(g.noise ?? 0) as number} onChange={(v) => edit((d) => { (d.problem.generate as P).noise = v; })} />}
              </Control>
            )}
            <Control id="seed" label="data seed" help="The same seed rebuilds the same data on any machine.">
              {(id) => <NumberInput id={id} integer min={0} value={g.seed as number} onChange={(v) => edit((d) => { (d.problem.generate as P).seed = v; })} />}
            </Control>
          </>
        )}
        {factored && (
          <>
            <Control id="r" label="rank r" help="Columns of the factors U and V.">
              {(id) => <NumberInput id={id} integer min={1} value={p.rank as number} onChange={(v) => edit((d) => { d.problem.rank = v; })} />}
            </Control>
            <Control id="lam" label="balancing λ" help="Adds (λ/4)‖UʲᵀUʲ − VⱼᵀVⱼ‖² on every node (SPEC §5.4). 0: the unregularised problem; with λ > 0 distributed runs stop just short of exact consensus.">
              {(id) => <NumberInput id={id} min={0} value={(p.lambda ?? 0) as number} onChange={(v) => edit((d) => { d.problem.lambda = v; })} />}
            </Control>
          </>
        )}
        {p.kind === 'sensing' && (
          <>
            <Control id="meas" label={g.split ? 'measurements (in all)' : 'measurements per node'} help="p Gaussian measurements ⟨A_k, Xⱼ⟩ of each node's block; [S] uses p = 3·max(m, n)·r.">
              {(id) => <NumberInput id={id} integer min={1} value={g.measurements as number} onChange={(v) => edit((d) => { (d.problem.generate as P).measurements = v; })} />}
            </Control>
            <Control id="msplit" label="split p over the nodes" help="Read p as the total, divided among the nodes (the other reading of [S]).">
              {(id) => <input id={id} type="checkbox" checked={!!g.split} onChange={(e) => edit((d) => { (d.problem.generate as P).split = e.target.checked; })} />}
            </Control>
            <Control id="mnorm" label="normalise 𝒜/√p" help="[G]'s scaling. It changes the relative weight of λ by p.">
              {(id) => <input id={id} type="checkbox" checked={!!g.normalize} onChange={(e) => edit((d) => { (d.problem.generate as P).normalize = e.target.checked; })} />}
            </Control>
          </>
        )}
        {p.kind === 'completion' && (
          <>
            {!p.mask && (
              <Control id="pobs" label="observed fraction p" help="Each entry is observed with probability p (a Bernoulli mask); the objective weighs the observed ones by 1/(2p).">
                {(id) => <NumberInput id={id} min={0} max={1} value={(p.pObs ?? 0.3) as number} onChange={(v) => edit((d) => { d.problem.pObs = v; })} />}
              </Control>
            )}
            <Control id="q" label="incoherence term Q" help="Q(U, V) of (6.2): penalises rows of U or V longer than α, which keeps the factors incoherent (SPEC §6.1).">
              {(id) => <input id={id} type="checkbox" checked={!!p.incoherence} onChange={(e) => edit((d) => { if (e.target.checked) d.problem.incoherence = { alpha: 1, weight: 1 }; else delete d.problem.incoherence; })} />}
            </Control>
            {!!p.incoherence && (
              <>
                <Control id="qa" label="Q: α × default" help="Multiplies α = 2√(νrσ₁/d), estimated from the data.">
                  {(id) => <NumberInput id={id} min={0} value={(p.incoherence as P).alpha as number ?? 1} onChange={(v) => edit((d) => { (d.problem.incoherence as P).alpha = v; })} />}
                </Control>
                <Control id="qw" label="Q: weight × default" help="Multiplies λᵢ = dᵢ/(νrκ).">
                  {(id) => <NumberInput id={id} min={0} value={(p.incoherence as P).weight as number ?? 1} onChange={(v) => edit((d) => { (d.problem.incoherence as P).weight = v; })} />}
                </Control>
              </>
            )}
          </>
        )}
        {p.kind === 'rpca' && (
          <>
            {p.generate !== undefined && (
              <Control id="corr" label="corrupted fraction α" help="At most this fraction of each row and column is corrupted, by ±b.">
                {(id) => <NumberInput id={id} min={0} max={1} value={g.corruption as number} onChange={(v) => edit((d) => { (d.problem.generate as P).corruption = v; })} />}
              </Control>
            )}
            <Control id="gamma" label="density slack γ" help="The projection keeps ⌈γα·m⌉ entries per row and ⌈γα·n⌉ per column (SPEC §6.2).">
              {(id) => <NumberInput id={id} min={1} value={(p.gamma ?? 2) as number} onChange={(v) => edit((d) => { d.problem.gamma = v; })} />}
            </Control>
          </>
        )}
        {p.kind === 'least-squares' && (
          <>
            <Control id="d" label="d (unknowns)" help="Each node holds Aⱼ (rows × d) and bⱼ.">
              {(id) => <NumberInput id={id} integer min={1} value={g.d as number} onChange={(v) => edit((d) => { (d.problem.generate as P).d = v; })} />}
            </Control>
            <Control id="rows" label="rows per node" help="Rows of each Aⱼ.">
              {(id) => <NumberInput id={id} integer min={1} value={g.rows as number} onChange={(v) => edit((d) => { (d.problem.generate as P).rows = v; })} />}
            </Control>
          </>
        )}
        <DataUpload />
        {upload && <p className="help">Data: {upload.name}. Links cannot carry uploaded data — export the experiment JSON to share it.</p>}
    </>
  );
}
