/**
 * The video separation demo (SPEC §7.9, browser substitute): a procedural clip — a static textured
 * background with blobs moving along a circle, like cars on a roundabout — deterministic from a seed, so the
 * true background and foreground are known. Each frame is one HMF source: cut into non-overlapping 7×7
 * patches, each patch flattened into one row of Mᵢ (n₁ = patches, n₂ = 49). Background = U_gV_{i,g}ᵀ,
 * foreground = U_{i,l}V_{i,l}ᵀ, folded back into images; MSE and PSNR on [0, 1] intensities against the
 * truth. Also turns a user's image sequence (grayscale frames) into sources, refusing frames of
 * different sizes.
 */
import { DocumentError } from './document';
import { cos, hypot, log10, sin } from './fmath';
import type { HmfData, HmfSource } from './hmf-model';
import { Rng, childSeed } from './rng';

/** Patches of the video demo: 7×7, as in SPEC §7.9. */
export const PATCH = 7;

export interface ClipSpec {
  seed: number;
  frames: number;
  height: number;
  width: number;
  blobs: number;
}

export interface Clip {
  height: number;
  width: number;
  /** frames, each height×width row-major in [0, 1] */
  frames: Float64Array[];
  /** the true background (the same in every frame), when known */
  background?: Float64Array;
}

/**
 * Static texture: a plaid of nine fine gratings (periods of 4 to 12 pixels) around mid-grey, clamped to
 * [0, 1]. A grating sin(ω·(x, y) + φ) is rank 2 as a patch matrix (patch position and pixel-in-patch
 * separate) and, at these periods, both parts are strong inside a 7×7 patch; with the constant the
 * background has rank 19 in patch space. It nearly fills the r₁ = 20 shared directions of SPEC §7.9, which
 * leaves U_g little spare room in which to copy what the moving objects have in common (their circle).
 */
function texture(rng: Rng, h: number, w: number): Float64Array {
  const g = Array.from({ length: 9 }, (_, k) => {
    const f = 0.08 + 0.02 * k + 0.01 * rng.uniform(), a = Math.PI * (k / 9 + 0.1 * rng.uniform());
    return { fx: f * cos(a), fy: f * sin(a), ph: 2 * Math.PI * rng.uniform(), amp: 0.055 + 0.01 * rng.uniform() };
  });
  const bg = new Float64Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = 0.5;
      for (const q of g) v += q.amp * sin(2 * Math.PI * (q.fx * x + q.fy * y) + q.ph);
      bg[y * w + x] = Math.min(1, Math.max(0, v));
    }
  }
  return bg;
}

/** The procedural clip: the same background each frame, with `blobs` discs going round a circle. */
export function makeClip(spec: ClipSpec): Clip {
  const { frames: F, height: h, width: w, blobs } = spec;
  const rng = new Rng(childSeed(spec.seed, 'video'));
  const background = texture(rng, h, w);
  const cx = w / 2, cy = h / 2, R = 0.36 * Math.min(h, w);
  const cars = Array.from({ length: blobs }, (_, k) => ({
    phase: (2 * Math.PI * k) / blobs + 0.3 * rng.uniform(),
    speed: (2 * Math.PI * (1 + 0.6 * rng.uniform())) / F * (k % 2 ? -1 : 1),
    radius: 0.06 * Math.min(h, w) + 0.03 * Math.min(h, w) * rng.uniform(),
    level: k % 2 ? 0.95 : 0.05,
    lane: R * (0.8 + 0.4 * rng.uniform()),
  }));
  const frames: Float64Array[] = [];
  for (let t = 0; t < F; t++) {
    const f = background.slice();
    for (const c of cars) {
      const a = c.phase + c.speed * t;
      const bx = cx + c.lane * cos(a) * (w / Math.min(h, w)) * 0.9, by = cy + c.lane * sin(a);
      for (let y = Math.max(0, Math.floor(by - c.radius - 1)); y < Math.min(h, Math.ceil(by + c.radius + 1)); y++) {
        for (let x = Math.max(0, Math.floor(bx - c.radius - 1)); x < Math.min(w, Math.ceil(bx + c.radius + 1)); x++) {
          // soft edge over one pixel
          const cover = Math.min(1, Math.max(0, c.radius + 0.5 - hypot(x - bx, y - by)));
          f[y * w + x] = (1 - cover) * f[y * w + x] + cover * c.level;
        }
      }
    }
    frames.push(f);
  }
  return { height: h, width: w, frames, background };
}

/** Patch grid of an image: floor(h/7) × floor(w/7) patches (the remainder is cropped). */
export function patchGrid(height: number, width: number): { rows: number; cols: number; n1: number } {
  const rows = Math.floor(height / PATCH), cols = Math.floor(width / PATCH);
  return { rows, cols, n1: rows * cols };
}

/** Image (height×width) → patch matrix (n₁×49): patch p = (pr, pc) row-major, pixel (dy, dx) → column 7dy + dx. */
export function toPatches(img: ArrayLike<number>, height: number, width: number): Float64Array {
  const { rows, cols } = patchGrid(height, width);
  const n2 = PATCH * PATCH;
  const M = new Float64Array(rows * cols * n2);
  for (let pr = 0; pr < rows; pr++) for (let pc = 0; pc < cols; pc++) {
    const p = pr * cols + pc;
    for (let dy = 0; dy < PATCH; dy++) for (let dx = 0; dx < PATCH; dx++) {
      M[p * n2 + dy * PATCH + dx] = img[(pr * PATCH + dy) * width + pc * PATCH + dx];
    }
  }
  return M;
}

/** Patch matrix → image of the cropped size (rows·7 × cols·7). */
export function fromPatches(M: ArrayLike<number>, height: number, width: number): { height: number; width: number; data: Float64Array } {
  const { rows, cols } = patchGrid(height, width);
  const H = rows * PATCH, W = cols * PATCH, n2 = PATCH * PATCH;
  const data = new Float64Array(H * W);
  for (let pr = 0; pr < rows; pr++) for (let pc = 0; pc < cols; pc++) {
    const p = pr * cols + pc;
    for (let dy = 0; dy < PATCH; dy++) for (let dx = 0; dx < PATCH; dx++) {
      data[(pr * PATCH + dy) * W + pc * PATCH + dx] = M[p * n2 + dy * PATCH + dx];
    }
  }
  return { height: H, width: W, data };
}

/** The clip as HMF sources, with `missing` of each frame's pixels removed uniformly at random. */
export function clipToHmf(clip: Clip, missing: number, seed: number): HmfData {
  const { height: h, width: w } = clip;
  const { n1 } = patchGrid(h, w);
  const n2 = PATCH * PATCH;
  const rng = new Rng(childSeed(seed, 'video-mask'));
  const bgP = clip.background ? toPatches(clip.background, h, w) : undefined;
  const sources: HmfSource[] = clip.frames.map((f) => {
    const M = toPatches(f, h, w);
    // the mask is drawn per pixel of the cropped frame, then read in patch order
    let mask: Uint8Array | null = null;
    const k = Math.round(missing * M.length);
    if (k > 0) {
      mask = new Uint8Array(M.length).fill(1);
      const idx = Uint32Array.from({ length: M.length }, (_, i) => i);
      for (let t = 0; t < k; t++) {
        const j = t + rng.int(M.length - t);
        [idx[t], idx[j]] = [idx[j], idx[t]];
        mask[idx[t]] = 0;
        M[idx[t]] = 0;
      }
    }
    const src: HmfSource = { M, n2, mask };
    if (bgP) {
      src.shared = bgP;
      const full = toPatches(f, h, w);
      src.unique = full.map((v, i) => v - bgP[i]);
    }
    return src;
  });
  return { n1, sources };
}

/** Mean squared error and PSNR = 10·log₁₀(1/MSE) on [0, 1] intensities (SPEC §7.9, Prop). */
export function mseAndPsnr(a: ArrayLike<number>, b: ArrayLike<number>): { mse: number; psnr: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  const mse = s / a.length;
  return { mse, psnr: 10 * log10(1 / mse) };
}

/**
 * A user's image sequence, already decoded to grayscale (channel mean, [0, 1]), as a clip: every frame must
 * have the size of the first; the error names the first frame that does not.
 */
export function framesToClip(frames: { name: string; width: number; height: number; gray: ArrayLike<number> }[]): Clip {
  if (frames.length < 2) throw new DocumentError('problem.video.data', `${frames.length} frame${frames.length === 1 ? '' : 's'} loaded; HMF needs at least 2 (one source per frame)`);
  const { width, height } = frames[0];
  for (let k = 1; k < frames.length; k++) {
    const f = frames[k];
    if (f.width !== width || f.height !== height) {
      throw new DocumentError('problem.video.data', `frame ${k + 1} (${f.name}) is ${f.width}×${f.height} but frame 1 (${frames[0].name}) is ${width}×${height}; every frame must have the same size`);
    }
  }
  if (width < PATCH || height < PATCH) throw new DocumentError('problem.video.data', `frames of ${width}×${height} hold no ${PATCH}×${PATCH} patch`);
  return { width, height, frames: frames.map((f) => Float64Array.from(f.gray)) };
}
