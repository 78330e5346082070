/**
 * MovieLens-100k from the user's own copy ([H] §6.4; the licence does not allow the lab to ship it): the
 * two files as GroupLens distributes them, u.data (tab-separated ratings) and u.item (`|`-separated movies
 * with 19 genre flags, latin-1), read by src/core/ratings.ts. A malformed line is refused with its file and
 * line number. The ratings replace the current data; the clusters, the split and the method are kept.
 */
import { useState } from 'react';
import { DocumentError, type ExperimentInput } from '../../core/experiment';
import { parseMovieLens, RatingsFileError, ratingsTensors } from '../../core/ratings';
import { importExperiment } from '../../state/actions';
import { labStore, useLab } from '../../state/store';

const text = async (file: File, encoding: string) => new TextDecoder(encoding).decode(await file.arrayBuffer());

export function RatingsUpload() {
  const [error, setError] = useState<string | null>(null);
  const hidden = useLab((s) => s.hide.includes('rupload'));
  const onFiles = async (list: FileList | null) => {
    setError(null);
    if (!list?.length) return;
    const files = [...list];
    const data = files.find((f) => f.name.endsWith('.data')), item = files.find((f) => f.name.endsWith('.item'));
    try {
      if (!data || !item) throw new DocumentError('problem.ratings.given', `choose both files, u.data and u.item (got ${files.map((f) => f.name).join(', ')})`);
      const d = parseMovieLens(await text(data, 'utf-8'), await text(item, 'latin1'));
      // the preset's claims and comparison runs are about its data, not this upload
      const { claims: _claims, compare: _compare, ...cur } = labStore.getState().experiment;
      const p = cur.problem as { sharedRank: number; uniqueRank: number; ratings?: { clusters?: number; testFraction?: number; seed?: number } };
      const r = p.ratings ?? {};
      const doc: ExperimentInput = {
        ...cur,
        title: `Your ratings: ${data.name} + ${item.name}`,
        description: `${d.rating.length} ratings of ${d.movies} movies by ${d.users} users; movies in ${r.clusters ?? 10} genre clusters (K-means on normalised genre vectors), ${Math.round(100 * (r.testFraction ?? 0.1))} % of each cluster's ratings held out for the test RMSE ([H] §6.4).`,
        problem: { kind: 'hmf', sharedRank: p.sharedRank, uniqueRank: p.uniqueRank, ratings: { given: { ...ratingsTensors(d), name: `${data.name} + ${item.name}` }, clusters: r.clusters ?? 10, testFraction: r.testFraction ?? 0.1, seed: r.seed ?? 0 } },
      } as ExperimentInput;
      void importExperiment(doc, `${data.name} + ${item.name}`);
    } catch (err) {
      setError(err instanceof RatingsFileError || err instanceof DocumentError ? err.message : `Could not read the files: ${(err as Error).message}`);
    }
  };
  if (hidden) return null;
  return (
    <div className="control" data-control="rupload">
      <label htmlFor="ctl-rupload">your MovieLens-100k (u.data and u.item)</label>
      <input id="ctl-rupload" type="file" multiple accept=".data,.item" onChange={(e) => void onFiles(e.target.files)} />
      <small className="help">Both files of GroupLens&apos;s ml-100k at once; they stay in this browser.</small>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
