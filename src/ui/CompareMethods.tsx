/**
 * The Compare methods table under the charts: the last Run's own run and its comparison runs side by side,
 * each run's last recorded metrics (src/core/compare-table.ts), filled in as each run records and
 * stops; the CSV button writes what the CLI's `run --table-csv` writes.
 */
import { useMemo } from 'react';
import { ALGORITHM_LABELS, type AlgorithmName } from '../core/document';
import { compareCaption, compareCsvRows, formatCompareValue } from '../core/compare-table';
import { compareView } from '../state/compare-view';
import { useLab } from '../state/store';
import { CsvButton } from './CsvButton';
import { METRIC_COLORS } from './theme';

const STATUS: Record<string, string> = { completed: 'completed', tolerance: 'reached the tolerance', diverged: 'diverged', cancelled: 'cancelled', unfinished: 'running…', waiting: 'waiting' };

export function CompareMethods() {
  const runs = useLab((s) => s.runs);
  const experiment = useLab((s) => s.experiment);
  const view = useMemo(() => compareView(experiment, runs), [experiment, runs]);
  if (!view) return null;
  const { table, colors } = view;
  return (
    <section className="compare-methods" aria-label="runs side by side">
      <h3>Compare methods <CsvButton file="lowrank-lab-compare.csv" rows={() => compareCsvRows(table)} what="the comparison table" /></h3>
      <p className="help" data-testid="compare-caption">{compareCaption(table)}</p>
      <div className="scroll-x"><table className="compare-values" aria-label="last recorded values of each run" data-testid="compare-table">
        <thead><tr>
          <th scope="col">run</th><th scope="col">algorithm</th><th scope="col">status</th><th scope="col">{table.step}</th>
          {table.columns.map((c) => (
            <th scope="col" key={c.key}>{METRIC_COLORS[c.key] && <span className="swatch-dot" style={{ background: METRIC_COLORS[c.key] }} aria-hidden="true" />}{c.label}</th>
          ))}
        </tr></thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i} data-status={r.status}>
              <th scope="row">
                {colors[i] && <svg width="22" height="10" aria-hidden="true"><line x1="1" y1="5" x2="21" y2="5" stroke={colors[i]!} strokeWidth={2.5} /></svg>}
                {r.name}
              </th>
              <td>{ALGORITHM_LABELS[r.algorithm as AlgorithmName] ?? r.algorithm}</td>
              <td className={r.status === 'diverged' ? 'bad' : undefined}>{STATUS[r.status] ?? r.status}</td>
              <td>{r.iteration ?? ''}</td>
              {r.values.map((v, j) => <td key={table.columns[j].key} title={v === null ? 'not recorded by this run' : String(v)}>{formatCompareValue(v)}</td>)}
            </tr>
          ))}
        </tbody>
      </table></div>
    </section>
  );
}
