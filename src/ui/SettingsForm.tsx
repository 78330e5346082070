/** The settings form of the document's problem kind: a kind's own form (registered in problems/registry.tsx), or the lab's Controls. */
import { Controls } from './Controls';
import { OWN_FORMS } from './problems/registry';

/** The settings form of the document's kind: its own, or the lab's (problem, network, algorithm, run). */
export function SettingsForm({ kind }: { kind: string }) {
  const Form = OWN_FORMS[kind] ?? Controls;
  return <Form />;
}
