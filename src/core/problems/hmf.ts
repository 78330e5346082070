/**
 * Heterogeneous matrix factorization (SPEC §7, [H]): N sources Mᵢ sharing a factor U_g, each with its own
 * U_(i),l orthogonal to it, fitted by Algorithm 1 (a server averages U_g every round). Data: a planted model,
 * given sources, or the video demo (one frame per source, 7×7 patches as rows).
 *
 * Its cross-checks: sources with different row counts, r₁ + r₂ > n₁, a source with no observed entry,
 * masks that are not 0/1, options that belong to another algorithm.
 */
import type { CheckContext, Fail } from '../document';
import { buildHmfInstance } from '../hmf-build';
import { PATCH } from '../video';
import { type HmfProblemConfig, HmfSchema } from './hmf-schema';
import { defineOwnKind } from './kind';

export { type HmfProblemConfig, HmfSchema } from './hmf-schema';


function checkHmf(p: HmfProblemConfig, ctx: CheckContext, fail: Fail): void {
  const e = ctx;
  // (an empty network object, or one with only the defaulted weights/lazy, describes no network)
  if (e.network && Object.keys(e.network).some((k) => k !== 'weights' && k !== 'lazy')) return fail(['network'], 'HMF averages U_g through a server each round; leave out "network"');
  for (const k of ['curvatureEvery', 'perturb'] as const) {
    if (e.algorithm[k] !== undefined) return fail(['algorithm', k], 'is for the gradient methods on node objectives; HMF (Algorithm 1) does not use it');
  }
  if (e.init.saddle) return fail(['init', 'saddle'], 'is for factorization problems; HMF starts from init.seed and init.scale');
  if (e.init.U || e.init.V || e.init.x) return fail(['init', e.init.U ? 'U' : e.init.V ? 'V' : 'x'], 'HMF starts from init.seed and init.scale (scale·N(0, 1) entries); explicit starts are not read');
  const given = [p.generate && 'generate', p.sources && 'sources', p.video && 'video'].filter(Boolean);
  if (given.length !== 1) return fail(['problem'], 'give exactly one of "generate" (a planted model), "sources" (data) or "video"');
  const r1 = p.sharedRank, r2 = p.uniqueRank;
  const tooMany = (n1: number) => fail(['problem', 'uniqueRank'], `sharedRank + uniqueRank = ${r1} + ${r2} = ${r1 + r2} exceeds n1 = ${n1}; U_g and U_(i),l must fit side by side in ℝ^n1`);
  let n1: number;
  if (p.generate) {
    const g = p.generate;
    n1 = g.n1;
    if (r1 + r2 > n1) return tooMany(n1);
    if ((g.factors ?? 'orthogonal') === 'orthogonal' && g.n2 < r1 + r2) {
      return fail(['problem', 'generate', 'n2'], `is ${g.n2} but the planted model with "orthogonal" factors needs n2 ≥ sharedRank + uniqueRank = ${r1 + r2} (V_(i),l orthonormal and orthogonal to V_(i),g)`);
    }
    if (Math.round(g.missing * g.n1 * g.n2) >= g.n1 * g.n2) return fail(['problem', 'generate', 'missing'], `removes all ${g.n1 * g.n2} entries of each source; every source needs at least one observed entry`);
  } else if (p.sources) {
    n1 = -1;
    for (let i = 0; i < p.sources.length; i++) {
      const s = p.sources[i];
      const at = (...k: (string | number)[]) => ['problem', 'sources', i, ...k];
      if (s.M.shape.length !== 2) return fail(at('M', 'shape'), `must be [n1, n2], got [${s.M.shape.join(', ')}]`);
      const [rows, cols] = s.M.shape;
      if (rows < 1 || cols < 1) return fail(at('M', 'shape'), `needs n1, n2 ≥ 1, got [${rows}, ${cols}]`);
      if (i === 0) n1 = rows;
      else if (rows !== n1) return fail(at('M', 'shape'), `has ${rows} rows but source 0 has ${n1}; every source needs the same n1 (rows)`);
      for (const key of ['mask', 'shared', 'unique'] as const) {
        const t = s[key];
        if (t && (t.shape.length !== 2 || t.shape[0] !== rows || t.shape[1] !== cols)) return fail(at(key, 'shape'), `must be [${rows}, ${cols}] like M, got [${t.shape.join(', ')}]`);
      }
      if ((s.shared === undefined) !== (s.unique === undefined)) return fail(at(s.shared ? 'unique' : 'shared'), 'give both true parts (shared and unique) or neither');
      if (s.mask) {
        if (s.mask.data.some((v) => v !== 0 && v !== 1)) return fail(at('mask'), 'entries must be 0 (missing) or 1 (observed)');
        if (!s.mask.data.some((v) => v === 1)) return fail(at('mask'), `observes no entry of source ${i}; every source needs at least one observed entry`);
      }
    }
  } else {
    const v = p.video!;
    let h = v.height, w = v.width;
    if (v.data) {
      if (v.data.shape.length !== 3) return fail(['problem', 'video', 'data', 'shape'], `must be [frames, height, width], got [${v.data.shape.join(', ')}]`);
      const [F, hh, ww] = v.data.shape;
      if (F < 2) return fail(['problem', 'video', 'data', 'shape'], `holds ${F} frame; HMF needs at least 2 (one source per frame)`);
      h = hh;
      w = ww;
    }
    if (h < PATCH || w < PATCH) return fail(['problem', 'video', v.data ? 'data' : 'height'], `frames of ${h}×${w} hold no ${PATCH}×${PATCH} patch`);
    n1 = Math.floor(h / PATCH) * Math.floor(w / PATCH);
    if (Math.round(v.missing * PATCH * PATCH * n1) >= PATCH * PATCH * n1) return fail(['problem', 'video', 'missing'], 'removes every pixel; every frame needs at least one observed pixel');
  }
  if (r1 + r2 > n1) return tooMany(n1);
}

export const hmf = defineOwnKind({
  kind: 'hmf',
  label: 'HMF',
  schema: HmfSchema,
  algorithms: ['hmf'],
  algorithmOptions: ['beta', 'correction'],
  usesNetwork: false,
  gpuFamily: 'hmf',
  // the planted Fig. 1 model at n₁ = 60 (preset r15)
  defaults: { kind: 'hmf', sharedRank: 3, uniqueRank: 3, generate: { seed: 1, N: 100, n1: 60, n2: 100 } },
  check: checkHmf,
  instance: buildHmfInstance,
});
