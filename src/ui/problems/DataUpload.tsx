/**
 * Use your own matrix: a CSV file (numbers, optional header row / label column) or an image, turned into
 * a grayscale matrix whose reconstruction ŪVᵀ the run view draws. Errors name the row and column.
 */
import { useState } from 'react';
import { DataError, imageToMatrix, parseCsvMatrix } from '../../core/data';
import type { ExperimentInput } from '../../core/experiment';
import type { Mat } from '../../core/linalg';
import { importExperiment } from '../../state/actions';
import { labStore, useLab } from '../../state/store';

/**
 * The uploaded matrix as the experiment's data. A CSV with missing cells (empty, NA, NaN, ?) becomes a
 * matrix-completion problem on exactly the observed cells; with the completion problem chosen, a complete
 * matrix or an image gets a Bernoulli(pObs) mask instead (hide entries, then complete them).
 */
function applyMatrix(Y: Mat, name: string, image: boolean, mask?: Uint8Array): void {
  // the preset's claims and comparison runs are about its data, not this upload
  const { claims: _claims, compare: _compare, ...cur } = labStore.getState().experiment;
  // at least two columns a node: with one column each, DGD+LOCAL crawls (measured on completion: 10⁻⁹ after
  // 6 000 iterations against 10⁻¹⁷ with two)
  const J = Math.max(1, Math.min((cur.network as { J?: number } | undefined)?.J ?? 1, Math.floor(Y.cols / 2)));
  const curP = cur.problem as { kind: string; rank?: number; lambda?: number; pObs?: number };
  const rank = Math.min(Y.rows, Y.cols, Math.max(1, curP.rank ?? 3));
  const data = { shape: [Y.rows, Y.cols], data: Array.from(Y.data) };
  const complete = !!mask || curP.kind === 'completion';
  const observed = mask ? mask.reduce((a, b) => a + b, 0) : 0;
  // completion starts without the balancing term (λ = 0): a node-local one leaves distributed runs short of
  // the data (R11; measured on a 40×30 rank-2 upload, 70 % observed: fitting error 2 with λ = 0.5, 10⁻¹⁶ with 0)
  const problem: ExperimentInput['problem'] = !complete
    ? { kind: 'factorization', rank, Y: data }
    : mask
      ? { kind: 'completion', rank, lambda: 0, M: data, mask: { shape: [Y.rows, Y.cols], data: Array.from(mask) } }
      : { kind: 'completion', rank, lambda: 0, M: data, pObs: curP.pObs ?? 0.5, maskSeed: 0 };
  const what = mask
    ? `${observed} of ${Y.rows * Y.cols} entries observed (${((100 * observed) / (Y.rows * Y.cols)).toFixed(1)} %); the rest are completed`
    : complete ? `entries hidden at random (observed with probability pObs) and completed` : `split over ${J} nodes by columns`;
  const doc: ExperimentInput = {
    ...cur,
    title: `Uploaded: ${name}`,
    description: `${Y.rows} × ${Y.cols} matrix from ${name}: ${what}.`,
    problem,
    network: cur.network && 'topology' in cur.network ? { ...cur.network, J } : { topology: 'ring', J, weights: 'metropolis', lazy: true },
    algorithm: { ...cur.algorithm, name: cur.algorithm.name === 'gd' ? 'gd' : cur.algorithm.name === 'dgd' && !complete ? 'dgd' : 'dgd-local', stepsize: { rule: 'practical', c: 0.5 } },
    // the data and ŪVᵀ as pictures, and ŪVᵀ to download (src/ui/problems/ImageView.tsx); a large CSV is
    // left out (its ŪVᵀ would cross from the worker four times a second)
    display: image || Y.rows * Y.cols <= 250_000 ? { image: true } : undefined,
  };
  void importExperiment(doc, name);
}

async function readImage(file: File, maxSide: number): Promise<Mat> {
  const bitmap = await createImageBitmap(file);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new DataError('this browser cannot read images (no 2-D canvas)');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return imageToMatrix({ width: data.width, height: data.height, data: data.data }, { maxSide });
}

export function DataUpload() {
  const [error, setError] = useState<string | null>(null);
  const hidden = useLab((s) => s.hide.includes('upload'));
  const onFile = async (file: File | undefined) => {
    setError(null);
    if (!file) return;
    try {
      if (/\.(csv|tsv|txt)$/i.test(file.name) || file.type.startsWith('text/')) {
        const { Y, mask } = parseCsvMatrix(await file.text(), { allowMissing: true });
        applyMatrix(Y, file.name, false, mask);
      } else if (file.type.startsWith('image/')) {
        applyMatrix(await readImage(file, 96), file.name, true);
      } else throw new DataError(`${file.name}: choose a CSV file or an image (PNG, JPEG, …)`);
    } catch (err) {
      setError(err instanceof DataError ? err.message : `Could not read ${file.name}: ${(err as Error).message}`);
    }
  };
  if (hidden) return null;
  return (
    <div className="control" data-control="upload">
      <label htmlFor="ctl-upload">your data (CSV or image)</label>
      <input id="ctl-upload" type="file" accept=".csv,.tsv,.txt,text/csv,image/*" onChange={(e) => void onFile(e.target.files?.[0])} />
      <small className="help">Replaces the data; an image becomes a grayscale matrix (at most 96 px a side). Empty or NA cells in a CSV are completed (matrix completion); with the completion problem chosen, entries are hidden at random first.</small>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
