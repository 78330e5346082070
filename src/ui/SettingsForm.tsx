/** The settings form of the document's problem kind: a kind's own form (HMF), or the lab's Controls. */
import type { ComponentType } from 'react';
import { Controls } from './Controls';
import { HmfControls } from './HmfControls';

/** Kinds whose settings are a form of their own (no network; their own run settings). */
const FORMS: Record<string, ComponentType> = { hmf: HmfControls };

/** The settings form of the document's kind: its own, or the lab's (problem, network, algorithm, run). */
export function SettingsForm({ kind }: { kind: string }) {
  const Form = FORMS[kind] ?? Controls;
  return <Form />;
}
