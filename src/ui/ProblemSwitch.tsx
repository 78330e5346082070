/**
 * The problem menu: every kind of the registry (src/core/problems), by its title. Switching writes the
 * kind's default problem (and, for a kind without a network, its own run settings) into the document.
 */
import { KINDS, kindOf } from '../core/problems/registry';
import { editExperiment } from '../state/actions';
import { switchKind } from '../state/defaults';
import { useLab } from '../state/store';
import { Control } from './Control';

export function ProblemSwitch() {
  const kind = useLab((s) => (s.experiment.problem as { kind: string }).kind);
  return (
    <Control id="kind" label="problem" help={kindOf(kind)?.help ?? ''}>
      {(id) => (
        <select id={id} value={kind} onChange={(e) => editExperiment((d) => {
          const next = switchKind(d, kindOf(e.target.value)!);
          delete next.display;
          for (const key of Object.keys(d) as (keyof typeof d)[]) if (!(key in next)) delete d[key];
          Object.assign(d, next);
        })}>
          {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.title}</option>)}
        </select>
      )}
    </Control>
  );
}
