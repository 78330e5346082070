/**
 * What the experiment is: the document's title and description (a preset's words), its data source, and
 * — when the settings were changed from the preset's, by the form or a link — which ones, since the words
 * describe the preset and no longer the run, with a way back. In the run view, the description's claims
 * with ✓ / ✗ once a run has checked them (Claims.tsx).
 */
import { useMemo } from 'react';
import { changeText, documentChanges } from '../core/doc-diff';
import { restorePreset } from '../state/actions';
import { settingsTitle } from '../state/defaults';
import { useLab } from '../state/store';
import { Claims } from './Claims';

const SHOWN = 6;

/** `claims`: list the description's claims under it (the run view; the sweep view runs no single run to check them on). */
export function About({ claims = false }: { claims?: boolean }) {
  const exp = useLab((s) => s.experiment);
  const preset = useLab((s) => s.preset);
  const presetDoc = useLab((s) => s.presetDoc);
  const changes = useMemo(() => (preset && presetDoc ? documentChanges(presetDoc, exp) ?? [] : []), [preset, presetDoc, exp]);
  const heading = useMemo(() => exp.title ?? settingsTitle(exp), [exp]);
  if (!heading && !exp.description) return null;
  const source = 'source' in exp && exp.source ? String(exp.source) : null;
  const licence = 'licence' in exp && exp.licence ? String(exp.licence) : null;
  return (
    <section className="about">
      {heading && <h2 data-testid="heading">{heading}</h2>}
      {exp.description && <p>{exp.description}</p>}
      {claims && <Claims />}
      {source && <p className="source">Data: {source}{licence ? ` — licence: ${licence}` : ''}</p>}
      {changes.length > 0 && (
        <p className="changed" data-testid="preset-changes">
          Changed from the preset (the text above describes the preset): {changes.slice(0, SHOWN).map(changeText).join('; ')}
          {changes.length > SHOWN ? `; and ${changes.length - SHOWN} more` : ''}.{' '}
          <button type="button" onClick={restorePreset}>Back to the preset</button>
        </p>
      )}
    </section>
  );
}
