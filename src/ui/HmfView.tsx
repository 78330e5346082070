/**
 * The HMF panel of the run view (SPEC §7): the latest HMF metrics and the misalignment θ̂ of the planted
 * unique factors; for the video demo, the corrupted frames, the background (shared) and foreground
 * (unique) reconstructions side by side with the truth, and MSE / PSNR on [0, 1] intensities; for stock
 * prices, the heterogeneity index over time (StocksView).
 */
import { useEffect, useRef } from 'react';
import type { HmfImages } from '../core/hmf-images';
import { activeRun, useLab } from '../state/store';
import { CsvButton } from './CsvButton';
import { RatingsView } from './RatingsView';
import { StocksView } from './StocksView';

/** A grayscale picture; `offset` maps a value x to gray x + offset, NaN (a missing pixel) is drawn red. */
function Picture({ w, h, data, label, offset = 0 }: { w: number; h: number; data: Float32Array; label: string; offset?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = new ImageData(w, h);
    for (let k = 0; k < w * h; k++) {
      const x = data[k];
      if (Number.isNaN(x)) img.data.set([200, 40, 40, 255], 4 * k);
      else {
        const g = Math.round(255 * Math.min(1, Math.max(0, x + offset)));
        img.data.set([g, g, g, 255], 4 * k);
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [w, h, data, offset]);
  return <canvas ref={ref} width={w} height={h} aria-label={label} title={label} style={{ width: w, height: h }} />;
}

function Video({ v }: { v: HmfImages }) {
  const rows: { name: string; imgs: Float32Array[]; offset: number }[] = [
    { name: 'frame (red: missing)', imgs: v.observed, offset: 0 },
    { name: 'background U_gV_(i),gᵀ', imgs: v.background, offset: 0 },
    { name: 'foreground U_(i),lV_(i),lᵀ (on grey)', imgs: v.foreground, offset: 0.5 },
  ];
  if (v.trueBackground) rows.push({ name: 'true background', imgs: v.trueBackground, offset: 0 });
  if (v.trueForeground) rows.push({ name: 'true foreground (on grey)', imgs: v.trueForeground, offset: 0.5 });
  const s = v.scores;
  return (
    <section className="hmf-video" aria-label="video separation">
      <h3>Video: background (shared) and moving objects (unique)</h3>
      {s && (<>
        <table className="latest" aria-label="separation quality">
          <thead><tr><th /><th>MSE</th><th>PSNR (dB)</th></tr></thead>
          <tbody>
            <tr data-testid="bg-score"><th>background</th><td>{s.background.mse.toExponential(2)}</td><td>{s.background.psnr.toFixed(1)}</td></tr>
            <tr data-testid="fg-score"><th>foreground</th><td>{s.foreground.mse.toExponential(2)}</td><td>{s.foreground.psnr.toFixed(1)}</td></tr>
            <tr><th>corrupted frames as background</th><td>{s.zeroFill.mse.toExponential(2)}</td><td>{s.zeroFill.psnr.toFixed(1)}</td></tr>
          </tbody>
        </table>
        <CsvButton file="lowrank-lab-separation.csv" what="the separation quality" rows={() => [['', 'MSE', 'PSNR (dB)'],
          ['background', s.background.mse, s.background.psnr], ['foreground', s.foreground.mse, s.foreground.psnr],
          ['corrupted frames as background', s.zeroFill.mse, s.zeroFill.psnr]]} />
      </>)}
      <div className="scroll-x">
        <table className="frames">
          <thead><tr><th />{v.frames.map((f) => <th key={f}>frame {f + 1}</th>)}</tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <th>{r.name}</th>
                {r.imgs.map((img, k) => <td key={k}><Picture w={v.width} h={v.height} data={img} offset={r.offset} label={`${r.name}, frame ${v.frames[k] + 1}`} /></td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="help">MSE and PSNR = 10·log₁₀(1/MSE) over all frames and pixels, on [0, 1] intensities, against the clip's true background and foreground. The last row is the baseline: the corrupted frames themselves taken as the background.</p>
    </section>
  );
}

const fmt = (x: number | undefined) => (x === undefined ? '—' : x.toExponential(3));

const HMF_HEAD = ['round', 'shared error', 'unique error', 'subspace error', 'feasibility', 'objective Σf̃ᵢ', '‖U_gᵀU_g − I‖'];

export function HmfView() {
  const r = useLab(activeRun);
  const last = r?.rows.at(-1);
  const extras = r?.extras;
  return (
    <div className="hmf">
      {last && (
        <div className="scroll-x"><table className="latest" aria-label="latest HMF metrics">
          <thead><tr>{HMF_HEAD.map((h) => <th key={h}>{h}</th>)}</tr></thead>
          <tbody><tr data-testid="hmf-row">
            <td>{last.iteration}</td>
            {[last.sharedError, last.uniqueError, last.subspaceError, last.feasibility, last.objective, last.imbalance].map((x, i) => <td key={i}>{fmt(x)}</td>)}
          </tr></tbody>
        </table>
        <CsvButton file="lowrank-lab-hmf-latest.csv" what="the latest HMF metrics"
          rows={() => [HMF_HEAD, [last.iteration, last.sharedError, last.uniqueError, last.subspaceError, last.feasibility, last.objective, last.imbalance]]} /></div>
      )}
      {extras?.misalignment !== undefined && (
        <p className="help" data-testid="misalignment">Misalignment of the planted unique factors: θ̂ = 1 − λ_max((1/N)Σᵢ P_U(i),l⋆) = {extras.misalignment.toFixed(4)} (SPEC §7.5; larger is easier to separate).</p>
      )}
      {extras?.images && <Video v={extras.images} />}
      {last?.testRmse !== undefined && <RatingsView row={last} />}
      {extras?.stocks && extras.heterogeneity && <StocksView stocks={extras.stocks} index={extras.heterogeneity} />}
    </div>
  );
}
