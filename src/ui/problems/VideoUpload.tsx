/**
 * Your own short image sequence for the video demo: the files (sorted by name) become grayscale frames
 * (channel mean, [0, 1]); frames of different sizes are refused with the first that differs named. Wide
 * frames are scaled down to at most 154 px wide and the clip to at most 60 frames, so a run stays cheap.
 */
import { useState } from 'react';
import { DocumentError, type ExperimentInput } from '../../core/experiment';
import { framesToClip } from '../../core/video';
import { importExperiment } from '../../state/actions';
import { labStore, useLab } from '../../state/store';

const MAX_WIDTH = 154;
const MAX_FRAMES = 60;

async function decode(file: File): Promise<{ name: string; width: number; height: number; bitmap: ImageBitmap }> {
  const bitmap = await createImageBitmap(file);
  return { name: file.name, width: bitmap.width, height: bitmap.height, bitmap };
}

function gray(bitmap: ImageBitmap, width: number, height: number): Float64Array {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot read images (no 2-D canvas)');
  ctx.drawImage(bitmap, 0, 0, width, height);
  const px = ctx.getImageData(0, 0, width, height).data;
  const out = new Float64Array(width * height);
  for (let k = 0; k < out.length; k++) out[k] = (px[4 * k] + px[4 * k + 1] + px[4 * k + 2]) / (3 * 255);
  return out;
}

export function VideoUpload() {
  const [error, setError] = useState<string | null>(null);
  const hidden = useLab((s) => s.hide.includes('vupload'));
  const onFiles = async (list: FileList | null) => {
    setError(null);
    if (!list?.length) return;
    const files = [...list].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })).slice(0, MAX_FRAMES);
    try {
      const bad = files.find((f) => !f.type.startsWith('image/'));
      if (bad) throw new DocumentError('problem.video.data', `${bad.name} is not an image; choose PNG or JPEG frames`);
      const decoded = await Promise.all(files.map(decode));
      // the size check runs on the frames as uploaded, before any scaling
      framesToClip(decoded.map((d) => ({ ...d, gray: new Float64Array(d.width * d.height) })));
      const s = Math.min(1, MAX_WIDTH / decoded[0].width);
      const w = Math.max(7, Math.round(decoded[0].width * s)), h = Math.max(7, Math.round(decoded[0].height * s));
      const frames = decoded.map((d) => gray(d.bitmap, w, h));
      // the preset's claims and comparison runs are about its data, not this upload
      const { claims: _claims, compare: _compare, ...cur } = labStore.getState().experiment;
      const p = cur.problem as { sharedRank: number; uniqueRank: number; video?: { missing?: number; seed?: number } };
      const doc: ExperimentInput = {
        ...cur,
        title: `Your sequence: ${files.length} frames`,
        description: `${files.length} frames from ${files[0].name} … ${files[files.length - 1].name}, grayscale, ${w}×${h}${s < 1 ? ' (scaled down)' : ''}; 7×7 patches as rows, ${Math.round(100 * (p.video?.missing ?? 0.4))} % of the pixels removed. With no ground truth, the view shows the separation but no MSE / PSNR.`,
        problem: { kind: 'hmf', sharedRank: p.sharedRank, uniqueRank: p.uniqueRank, video: { seed: p.video?.seed ?? 0, missing: p.video?.missing ?? 0.4, data: { shape: [frames.length, h, w], data: frames.flatMap((f) => Array.from(f)) } } },
      };
      void importExperiment(doc, `${files.length} frames (${files[0].name} …)`);
    } catch (err) {
      setError(err instanceof DocumentError ? err.message : `Could not read the frames: ${(err as Error).message}`);
    }
  };
  if (hidden) return null;
  return (
    <div className="control" data-control="vupload">
      <label htmlFor="ctl-vupload">your frames (images)</label>
      <input id="ctl-vupload" type="file" multiple accept="image/*" onChange={(e) => void onFiles(e.target.files)} />
      <small className="help">A short sequence, all frames the same size; sorted by file name, at most {MAX_FRAMES} frames, scaled to ≤ {MAX_WIDTH} px wide.</small>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
