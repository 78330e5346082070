/**
 * Each problem kind's settings, registered like the kinds (src/core/problems/registry.ts): the fields shown
 * under the problem menu. Controls.tsx keeps the network, algorithm and run sections.
 */
import type { ComponentType } from 'react';
import { HmfControls } from '../HmfControls';
import { HmfView } from '../HmfView';
import { FactorFields } from './FactorFields';
import { SymmetricFields } from './SymmetricFields';

const FIELDS: Record<string, ComponentType> = {
  factorization: FactorFields,
  'least-squares': FactorFields,
  sensing: FactorFields,
  completion: FactorFields,
  rpca: FactorFields,
  'sym-sensing': SymmetricFields,
  'sym-completion': SymmetricFields,
  'sym-rpca': SymmetricFields,
};

/** The settings of the document's problem kind (nothing for a kind with its own form, HMF). */
export function ProblemFields({ kind }: { kind: string }) {
  const Fields = FIELDS[kind];
  return Fields ? <Fields /> : null;
}

/** Kinds whose whole settings form is their own (HMF: no network, its own run settings); null: the lab's Controls. */
export const OWN_FORMS: Record<string, ComponentType | undefined> = { hmf: HmfControls };

/** Views a kind adds to the run view (HMF: its video and images). */
const VIEWS: Record<string, ComponentType> = { hmf: HmfView };

export function ProblemView({ kind }: { kind: string }) {
  const View = VIEWS[kind];
  return View ? <View /> : null;
}
