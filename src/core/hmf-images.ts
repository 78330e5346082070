/**
 * What the video view draws (SPEC §7.9): for a few frames, the corrupted frame (missing pixels as NaN),
 * the background U_gV_{i,g}ᵀ and the foreground U_{i,l}V_{i,l}ᵀ folded back from 7×7 patches into images,
 * the truth when it is known, and MSE / PSNR on [0, 1] intensities over all frames and pixels.
 */
import type { HmfSetup } from './hmf';
import { reconstructions, type HmfState } from './hmf';
import { fromPatches, mseAndPsnr } from './video';

export interface HmfImages {
  height: number;
  width: number;
  /** indices of the frames shown */
  frames: number[];
  observed: Float32Array[];
  background: Float32Array[];
  foreground: Float32Array[];
  trueBackground?: Float32Array[];
  trueForeground?: Float32Array[];
  /** over all frames: background and foreground against the truth, when known */
  scores?: { background: { mse: number; psnr: number }; foreground: { mse: number; psnr: number }; zeroFill: { mse: number; psnr: number } };
}

/** `shown` frames evenly spread over the clip. */
export function shownFrames(F: number, shown = 5): number[] {
  if (F <= shown) return Array.from({ length: F }, (_, i) => i);
  return Array.from({ length: shown }, (_, k) => Math.round((k * (F - 1)) / (shown - 1)));
}

export function hmfImages(s: HmfSetup, z: HmfState, shown = 5): HmfImages | undefined {
  const v = s.video;
  if (!v) return undefined;
  const { data } = s;
  const rec = reconstructions(data, s.params, s.layout, z);
  const fold = (M: ArrayLike<number>) => fromPatches(M, v.height, v.width);
  const frames = shownFrames(data.sources.length, shown);
  const f32 = (a: ArrayLike<number>) => Float32Array.from(a);
  const first = fold(rec.shared[0]);
  const out: HmfImages = {
    height: first.height, width: first.width, frames,
    observed: frames.map((i) => {
      const src = data.sources[i];
      return f32(fold(src.mask ? src.M.map((x, k) => (src.mask![k] ? x : NaN)) : src.M).data);
    }),
    background: frames.map((i) => f32(fold(rec.shared[i]).data)),
    foreground: frames.map((i) => f32(fold(rec.unique[i]).data)),
  };
  if (data.sources.every((src) => src.shared && src.unique)) {
    out.trueBackground = frames.map((i) => f32(fold(data.sources[i].shared!).data));
    out.trueForeground = frames.map((i) => f32(fold(data.sources[i].unique!).data));
    const cat = (xs: ArrayLike<number>[]) => {
      const n = xs.reduce((a, x) => a + x.length, 0);
      const o = new Float64Array(n);
      let off = 0;
      for (const x of xs) {
        o.set(x, off);
        off += x.length;
      }
      return o;
    };
    const tb = cat(data.sources.map((src) => src.shared!)), tf = cat(data.sources.map((src) => src.unique!));
    out.scores = {
      background: mseAndPsnr(cat(rec.shared), tb),
      foreground: mseAndPsnr(cat(rec.unique), tf),
      // the baseline of R17: the corrupted frames themselves (missing pixels 0) taken as the background
      zeroFill: mseAndPsnr(cat(data.sources.map((src) => src.M)), tb),
    };
  }
  return out;
}
