/**
 * Use your own matrix: a CSV file (numbers, optional header row / label column) or an image, turned into
 * a grayscale matrix whose reconstruction ŪVᵀ the run view draws. Errors name the row and column.
 */
import { useState } from 'react';
import { DataError, imageToMatrix, parseCsvMatrix } from '../core/data';
import type { ExperimentInput } from '../core/experiment';
import type { Mat } from '../core/linalg';
import { importExperiment } from '../state/actions';
import { labStore, useLab } from '../state/store';

function applyMatrix(Y: Mat, name: string, image: boolean): void {
  const cur = labStore.getState().experiment;
  const J = Math.max(1, Math.min((cur.network as { J?: number } | undefined)?.J ?? 1, Y.cols));
  const rank = Math.min(Y.rows, Y.cols, Math.max(1, (cur.problem as { rank?: number }).rank ?? 3));
  const doc: ExperimentInput = {
    ...cur,
    title: `Uploaded: ${name}`,
    description: `${Y.rows} × ${Y.cols} matrix from ${name}, split over ${J} nodes by columns.`,
    problem: { kind: 'factorization', rank, Y: { shape: [Y.rows, Y.cols], data: Array.from(Y.data) } },
    network: cur.network && 'topology' in cur.network ? { ...cur.network, J } : { topology: 'ring', J, weights: 'metropolis', lazy: true },
    algorithm: { ...cur.algorithm, name: cur.algorithm.name === 'gd' ? 'gd' : cur.algorithm.name === 'dgd' ? 'dgd' : 'dgd-local', stepsize: { rule: 'practical', c: 0.5 } },
    display: image ? { image: true } : undefined,
  };
  importExperiment(doc, name);
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
        const { Y } = parseCsvMatrix(await file.text());
        applyMatrix(Y, file.name, false);
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
      <small className="help">Replaces Y; an image becomes a grayscale matrix (at most 96 px a side).</small>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
