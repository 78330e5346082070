/**
 * Your own daily prices for the stock case study (SPEC §7.10): a CSV of dates × tickers (or symbol, date,
 * price rows), read by src/core/price-csv.ts into `problem.prices`; then, optionally, a market index
 * (date, price) drawn under the heterogeneity index. Errors name the row and the cell. Like every upload,
 * the document is kept in this browser (src/state/upload-store.ts) since a link cannot carry it.
 */
import { useState } from 'react';
import { DataError } from '../../core/data';
import { DocumentError, type ExperimentInput } from '../../core/experiment';
import { defaultWindow, parseIndexCsv, parsePriceCsv, pricesSection } from '../../core/price-csv';
import { importExperiment } from '../../state/actions';
import { labStore, useLab } from '../../state/store';

type P = { sharedRank: number; uniqueRank: number; prices?: { dates?: string[]; window?: number; tickers: string[] } };

export function PricesUpload() {
  const [error, setError] = useState<string | null>(null);
  const hidden = useLab((s) => s.hide.includes('pupload'));
  const prices = useLab((s) => (s.experiment.problem as P).prices);
  const current = () => {
    // the preset's claims and comparison runs are about its data, not this upload
    const { claims: _claims, compare: _compare, ...cur } = labStore.getState().experiment;
    return cur;
  };
  const onPrices = async (file: File | undefined) => {
    setError(null);
    if (!file) return;
    try {
      const t = parsePriceCsv(await file.text());
      const cur = current();
      const p = cur.problem as P;
      const window = defaultWindow(t.dates.length);
      const n = t.tickers.length;
      // the ranks must fit n stocks side by side: r₁ + r₂ ≤ n
      const r1 = Math.max(1, Math.min(p.sharedRank, Math.floor(n / 2))), r2 = Math.max(1, Math.min(p.uniqueRank, n - r1));
      const doc: ExperimentInput = {
        ...cur,
        title: `Your prices: ${file.name}`,
        description: `${n} tickers over ${t.dates.length} dates (${t.dates[0]} … ${t.dates[t.dates.length - 1]}) from ${file.name}: daily returns, each stock standardised, cut into windows of ${window} rows; the heterogeneity index per window, as in [H] §6.3. No events are planted in real data, so there is nothing for a claim to count.`,
        problem: { kind: 'hmf', sharedRank: r1, uniqueRank: r2, prices: pricesSection(t, window) } as ExperimentInput['problem'],
      };
      await importExperiment(doc, file.name);
    } catch (err) {
      setError(err instanceof DataError || err instanceof DocumentError ? err.message : `Could not read ${file.name}: ${(err as Error).message}`);
    }
  };
  const onIndex = async (file: File | undefined) => {
    setError(null);
    if (!file || !prices?.dates) return;
    try {
      const values = parseIndexCsv(await file.text(), prices.dates);
      const cur = current();
      const name = file.name.replace(/\.(csv|tsv|txt)$/i, '');
      const doc = { ...cur, problem: { ...(cur.problem as P), prices: { ...prices, index: { name, prices: values } } } } as ExperimentInput;
      await importExperiment(doc, labStore.getState().upload?.name ?? file.name);
    } catch (err) {
      setError(err instanceof DataError || err instanceof DocumentError ? err.message : `Could not read ${file.name}: ${(err as Error).message}`);
    }
  };
  if (hidden) return null;
  return (
    <div className="control" data-control="pupload">
      <label htmlFor="ctl-pupload">your prices (CSV)</label>
      <input id="ctl-pupload" type="file" accept=".csv,.tsv,.txt,text/csv" onChange={(e) => void onPrices(e.target.files?.[0])} />
      <small className="help">Daily prices: date,TICKER1,TICKER2,… (one row a date) or symbol,date,price rows. Empty or NA cells are missing; the returns that need them are left out of the fit.</small>
      {prices?.dates && (
        <>
          <label htmlFor="ctl-pindex">market index (CSV, optional)</label>
          <input id="ctl-pindex" type="file" accept=".csv,.tsv,.txt,text/csv" onChange={(e) => void onIndex(e.target.files?.[0])} />
          <small className="help">date,price — drawn under the heterogeneity index at your prices’ dates.</small>
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
