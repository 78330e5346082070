/**
 * The step size against the theory (SPEC §3): μ and each bound on one log axis, with ω, so a user sees
 * which guarantee covers the step and how far the certified bounds are below steps that work.
 */
import { memo } from 'react';
import type { TheoryReport } from '../core/theory';

export const StepBar = memo(function StepBar({ mu, theory }: { mu: number; theory: TheoryReport }) {
  const vals = theory.verdicts.filter((v) => v.bound > 0).map((v) => v.bound).concat(mu);
  const lo = Math.floor(Math.log10(Math.min(...vals))) - 0.2, hi = Math.ceil(Math.log10(Math.max(...vals))) + 0.2;
  const x = (v: number) => `${(100 * (Math.log10(v) - lo)) / (hi - lo)}%`;
  return (
    <section className="stepbar" aria-label="step size against the theory">
      <h3>Step size against the theory</h3>
      <p>
        μ = <b>{mu.toPrecision(3)}</b>, ω = {theory.omega.toFixed(3)}, 1 − 2ω = {theory.oneMinus2Omega.toFixed(3)}
        {theory.oneMinus2Omega <= 0 && <span className="warn"> — ω ≥ 1/2: no fixed step is covered; use lazy weights.</span>}
      </p>
      <div className="axis">
        {theory.verdicts.filter((v) => v.bound > 0).map((v) => (
          <span key={v.name} className={`tick ${v.at ? 'at' : v.ok ? 'ok' : 'no'}`} style={{ left: x(v.bound) }} title={`${v.name} — ${v.source}: ${v.bound.toExponential(2)}`} />
        ))}
        <span className="mu" style={{ left: x(mu) }} title={`μ = ${mu.toExponential(2)}`}>μ</span>
      </div>
      <ul className="verdicts">
        {theory.verdicts.map((v) => (
          <li key={v.name} className={v.at ? 'at' : v.ok ? 'ok' : 'no'}>
            {v.at ? '= μ on' : v.ok ? '✓ μ <' : '✗ μ ≥'} {v.bound > 0 ? v.bound.toExponential(2) : '—'}: {v.name} <small>({v.source})</small>
            {v.at && <small> — the step sits exactly on this bound (c = 1), the edge of the strict condition</small>}
          </li>
        ))}
      </ul>
    </section>
  );
});
