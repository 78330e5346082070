/**
 * The description's claims (the document's `claims`), under it: each with a neutral mark before a run,
 * then ✓ or ✗ and what was measured once the runs it reads have stopped (src/state/claims.ts). A claim the
 * edited settings cannot answer says why, with "?". The claims about a sweep's cells are listed the same way
 * on the Sweep tab (ClaimList), against its finished sweep.
 */
import { useMemo } from 'react';
import { STATUS_MARK } from '../core/claims';
import { MAIN_RUN } from '../core/document';
import { type ClaimsView, claimsView } from '../state/claims';
import { useLab } from '../state/store';

const WORD = { holds: 'holds', fails: 'does not hold', pending: 'not checked yet', error: 'cannot be checked' } as const;

export function Claims() {
  const exp = useLab((s) => s.experiment);
  const runs = useLab((s) => s.runs);
  // the last Run's own document (its claims are what that run checks), or the experiment before any run
  const doc = useMemo(() => {
    const batch = Math.max(-1, ...runs.map((r) => r.batch ?? -1));
    return runs.find((r) => r.batch === batch && r.claimRun === MAIN_RUN)?.experiment ?? exp;
  }, [runs, exp]);
  const view = useMemo(() => claimsView(doc, runs), [doc, runs]);
  if (!view) return null;
  return <ClaimList view={view} waiting={view.idle ? 'checked when the run finishes' : 'checked when the runs finish'} />;
}

/** The list of claims with their marks (the description's, and the Sweep tab's about the cells); `waiting` heads it while a claim is pending. */
export function ClaimList({ view, waiting, testId = 'claims' }: { view: ClaimsView; waiting: string; testId?: string }) {
  const held = view.results.filter((r) => r.status === 'holds').length;
  const unanswerable = view.results.filter((r) => r.status === 'error').length;
  const done = view.results.every((r) => r.status !== 'pending');
  return (
    <div className="claims" data-testid={testId}>
      <p className="claims-head">
        Claims{done ? `: ${held} of ${view.results.length} hold${unanswerable ? `; ${unanswerable} cannot be checked on these settings` : ''}` : ` — ${waiting}`}
      </p>
      <ul>
        {view.results.map((r, i) => (
          <li key={i} className={`claim ${r.status}`} data-status={r.status}>
            <span className="mark" role="img" aria-label={WORD[r.status]} title={WORD[r.status]}>{STATUS_MARK[r.status]}</span>{' '}
            <span className="text">{r.claim.text}</span>
            {r.status !== 'pending' && <span className="measured">{r.detail}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}
