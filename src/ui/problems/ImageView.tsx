/**
 * For data the user brought (an image or a CSV): the data and the current reconstruction ŪVᵀ side by side,
 * as grayscale pictures, and ŪVᵀ to download in float64 — for completion, the completed matrix.
 */
import { useEffect, useRef, useState } from 'react';
import { matrixToGray } from '../../core/data';
import type { ExperimentInput } from '../../core/experiment';
import { matrixCsv, productOfFactors } from '../../core/result';
import { requestResult } from '../../state/actions';
import { download } from '../download';

function Gray({ rows, cols, data, label }: { rows: number; cols: number; data: ArrayLike<number>; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const px = matrixToGray({ rows, cols, data: Float64Array.from(data) });
    ctx.putImageData(new ImageData(new Uint8ClampedArray(px), cols, rows), 0, 0);
  }, [rows, cols, data]);
  return (
    <figure>
      <canvas ref={ref} width={cols} height={rows} aria-label={label} style={{ width: Math.min(240, cols * 3), imageRendering: 'pixelated' }} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}

export function ImageView({ data, reconstruction }: { data: ExperimentInput; reconstruction: { rows: number; cols: number; data: Float32Array } }) {
  type T = { shape: number[]; data: number[] };
  const p = data.problem as { kind: string; Y?: T; M?: T; mask?: T; pObs?: number };
  const Y = p.Y ?? p.M;
  const label = p.kind === 'completion'
    ? p.mask ? 'M as observed (missing entries black)' : `M (the run observes about ${Math.round(100 * (p.pObs ?? 1))} % of it)`
    : p.kind === 'rpca' ? 'Mₒ (the corrupted data)' : 'Y (the data)';
  const [note, setNote] = useState<string | null>(null);
  const save = async () => {
    const json = await requestResult();
    const m = json ? productOfFactors((JSON.parse(json) as { final: Parameters<typeof productOfFactors>[0] }).final) : null;
    if (!m) return setNote('No factors to multiply yet: run first.');
    download(p.kind === 'completion' ? 'lowrank-lab-completed.csv' : 'lowrank-lab-reconstruction.csv', matrixCsv(m));
    setNote(null);
  };
  return (
    <section className="imageview" aria-label="image reconstruction">
      <h3>Data and reconstruction</h3>
      <div className="row">
        {Y && <Gray rows={Y.shape[0]} cols={Y.shape[1]} data={p.mask ? Y.data.map((v, i) => (p.mask!.data[i] ? v : 0)) : Y.data} label={label} />}
        <Gray rows={reconstruction.rows} cols={reconstruction.cols} data={reconstruction.data} label="ŪVᵀ (rank r, now)" />
      </div>
      <button type="button" onClick={() => void save()} title="ŪVᵀ of the current iterate, every digit (float64), one CSV line per row">
        {p.kind === 'completion' ? 'Completed matrix ŪVᵀ (CSV)' : 'Reconstruction ŪVᵀ (CSV)'}
      </button>
      {note && <p className="help">{note}</p>}
    </section>
  );
}
