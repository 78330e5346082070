import { describe, expect, it } from 'vitest';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { hmfProblem } from '../../src/core/hmf-build';
import { buildInstance } from '../../src/core/build';
import { type HmfParams, correct, evaluate, hmfLayout, hmfMetrics, misalignment, projectorDistance } from '../../src/core/hmf';
import { plantedHmf } from '../../src/core/hmf-model';
import { Rng } from '../../src/core/rng';
import { framesToClip } from '../../src/core/video';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { cli, preset } from './helpers';

function small(missing = 0.3) {
  const data = plantedHmf({ seed: 4, N: 3, n1: 7, n2: 5, r1: 2, r2: 2, noise: 0.1, missing, factors: 'gaussian' });
  const p: HmfParams = { r1: 2, r2: 2, beta: 0.3, eta: 0.1, correction: true };
  const L = hmfLayout(data, 2, 2);
  const g = new Rng(9);
  const z = { X: g.normals(7 * 2), Y: g.normals(L.length) };
  return { data, p, L, z };
}

describe('HMF objective and gradients (SPEC 7.2, 7.3)', () => {
  it('match central finite differences in every block, with missing entries and β > 0', () => {
    const { data, p, L, z } = small();
    const ev = evaluate(data, p, L, z, true);
    const f = () => evaluate(data, p, L, z, false).objective;
    const h = 1e-6;
    const gX = new Float64Array(z.X.length);
    for (const g of ev.gUg!) for (let k = 0; k < g.length; k++) gX[k] += g[k];
    let worst = 0;
    for (const [v, g] of [[z.X, gX], [z.Y, ev.gY!]] as const) {
      for (let k = 0; k < v.length; k++) {
        const x = v[k];
        v[k] = x + h;
        const fp = f();
        v[k] = x - h;
        const fm = f();
        v[k] = x;
        const fd = (fp - fm) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - g[k]) / Math.max(1, Math.abs(fd)));
      }
    }
    expect(worst).toBeLessThan(1e-6);
    expect(worst).toBeGreaterThanOrEqual(0);
  });

  it('the objective is ½‖P_Ω(residual)‖² plus the two β terms per source, by hand on one source', () => {
    const data = { n1: 2, sources: [{ M: Float64Array.from([1, 0, 0, 2]), n2: 2, mask: Uint8Array.from([1, 0, 1, 1]) }] };
    const p: HmfParams = { r1: 1, r2: 1, beta: 2, eta: 0.1, correction: true };
    const L = hmfLayout(data, 1, 1);
    // U_g = [1; 0], V_g = [1; 1], U_l = [0; 2], V_l = [0; 1]: model [[1, 1], [0, 2]]
    const z = { X: Float64Array.from([1, 0]), Y: Float64Array.from([1, 1, 0, 2, 0, 1]) };
    // residual on Ω: (1−1), (0−0), (2−2) = 0 → fit 0; β terms: ½·2·(1−1)² + ½·2·(4−1)² = 9
    expect(evaluate(data, p, L, z, false)).toEqual({ objective: 9, fit: 0 });
  });
});

describe('the correction step (7.5)', () => {
  it('leaves every source’s fit unchanged to 1e-12 and makes U_(i),l orthogonal to U_g', () => {
    const { data, p, L, z } = small();
    const before = data.sources.map((_, i) => evaluate({ n1: data.n1, sources: [data.sources[i]] }, p, hmfLayout({ n1: data.n1, sources: [data.sources[i]] }, 2, 2), { X: z.X, Y: z.Y.subarray(L.vg[i], i + 1 < L.vg.length ? L.vg[i + 1] : L.length) }, false).fit);
    const m0 = hmfMetrics(data, p, L, z);
    expect(m0.feasibility).toBeGreaterThan(0.1);
    correct(data, p, L, z);
    const after = data.sources.map((_, i) => evaluate({ n1: data.n1, sources: [data.sources[i]] }, p, hmfLayout({ n1: data.n1, sources: [data.sources[i]] }, 2, 2), { X: z.X, Y: z.Y.subarray(L.vg[i], i + 1 < L.vg.length ? L.vg[i + 1] : L.length) }, false).fit);
    after.forEach((a, i) => expect(Math.abs(a - before[i])).toBeLessThan(1e-12 * Math.max(1, before[i])));
    expect(hmfMetrics(data, p, L, z).feasibility).toBeLessThan(1e-13);
  });
});

describe('HMF metrics (7.6, 7.7)', () => {
  it('are zero at the planted factors and the projector distance matches the n₁×n₁ formula', () => {
    const data = plantedHmf({ seed: 2, N: 4, n1: 9, n2: 6, r1: 2, r2: 3, noise: 0, missing: 0, factors: 'orthogonal' });
    // a basis is at distance 0 from itself
    const B = data.bases!;
    expect(projectorDistance(B.shared, 0, 2, B.shared, 0, 2, 9)).toBeLessThan(1e-12);
    // against an explicit ‖P_A − P_B‖² on random bases
    const g = new Rng(3);
    const A = g.normals(9 * 2), C = g.normals(9 * 3);
    const proj = (U: Float64Array, r: number) => {
      // P = U(UᵀU)⁻¹Uᵀ via Gram–Schmidt
      const Q = U.slice();
      for (let c = 0; c < r; c++) {
        for (let q = 0; q < c; q++) {
          let d = 0;
          for (let i = 0; i < 9; i++) d += Q[i * r + c] * Q[i * r + q];
          for (let i = 0; i < 9; i++) Q[i * r + c] -= d * Q[i * r + q];
        }
        let s = 0;
        for (let i = 0; i < 9; i++) s += Q[i * r + c] ** 2;
        for (let i = 0; i < 9; i++) Q[i * r + c] /= Math.sqrt(s);
      }
      const P = new Float64Array(81);
      for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) for (let k = 0; k < r; k++) P[i * 9 + j] += Q[i * r + k] * Q[j * r + k];
      return P;
    };
    const PA = proj(A, 2), PC = proj(C, 3);
    let want = 0;
    for (let k = 0; k < 81; k++) want += (PA[k] - PC[k]) ** 2;
    expect(projectorDistance(A, 0, 2, C, 0, 3, 9)).toBeCloseTo(want, 10);
  });

  it('misalignment θ̂: 0 when every source has the same unique basis, 1 − 1/N for disjoint ones', () => {
    const e = (c: number) => Float64Array.from({ length: 6 }, (_, a) => (a === c ? 1 : 0));
    expect(misalignment([e(0), e(0), e(0)], 6, 1)).toBeCloseTo(0, 12);
    // the code's planted model at n₁ = 60: 100 sources × 3 columns of Q over the 55 columns 5 … 59, so a
    // column serves at most ⌈300/55⌉ = 6 sources: λ_max = 6/100, θ̂ = 0.94
    const d = plantedHmf({ seed: 7, N: 100, n1: 60, n2: 6, r1: 3, r2: 3, noise: 0, missing: 0, factors: 'orthogonal' });
    expect(misalignment(d.bases!.unique, 60, 3)).toBeCloseTo(0.94, 10);
    expect(misalignment([e(0), e(1), e(2)], 6, 1)).toBeCloseTo(2 / 3, 10);
  });
});

const hmfDoc = (over: Record<string, unknown> = {}, alg: Record<string, unknown> = {}): ExperimentInput => ({
  format: 'lowrank-lab/experiment', version: 1,
  problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 2, generate: { seed: 1, N: 4, n1: 8, n2: 6 }, ...over } as ExperimentInput['problem'],
  algorithm: { name: 'hmf', stepsize: 0.2, iterations: 20, ...alg } as ExperimentInput['algorithm'],
  init: { seed: 1, scale: 0.01 },
});
const t = (rows: number, cols: number, fill = 1) => ({ shape: [rows, cols], data: new Array(rows * cols).fill(fill) });
const build = (doc: unknown) => buildInstance(parseExperiment(doc));

describe('HMF: bad input gets one clear message naming the field', () => {
  it.each([
    ['sources with different row counts', hmfDoc({ generate: undefined, sources: [{ M: t(8, 4) }, { M: t(9, 4) }] }), /problem\.sources\[1\]\.M\.shape: has 9 rows but source 0 has 8; every source needs the same n1/],
    ['r₁ + r₂ > n₁', hmfDoc({ sharedRank: 5, uniqueRank: 4 }), /problem\.uniqueRank: sharedRank \+ uniqueRank = 5 \+ 4 = 9 exceeds n1 = 8/],
    ['β < 0', hmfDoc({}, { beta: -0.1 }), /algorithm\.beta: beta must be ≥ 0/],
    ['a source with no observed entries', hmfDoc({ generate: undefined, sources: [{ M: t(8, 4) }, { M: t(8, 4), mask: t(8, 4, 0) }] }), /problem\.sources\[1\]\.mask: observes no entry of source 1; every source needs at least one observed entry/],
    ['a mask that is not 0/1', hmfDoc({ generate: undefined, sources: [{ M: t(8, 4), mask: t(8, 4, 0.5) }] }), /problem\.sources\[0\]\.mask: entries must be 0 \(missing\) or 1 \(observed\)/],
    ['generate removing every entry', hmfDoc({ generate: { seed: 1, N: 2, n1: 4, n2: 1, missing: 0.9, factors: 'gaussian' }, sharedRank: 1, uniqueRank: 1 }), /problem\.generate\.missing: removes all 4 entries of each source/],
    ['a planted model with n₂ < r₁ + r₂', hmfDoc({ generate: { seed: 1, N: 2, n1: 8, n2: 3 } }), /problem\.generate\.n2: is 3 but the planted model with "orthogonal" factors needs n2 ≥ sharedRank \+ uniqueRank = 4/],
    ['missing ratio of 1', hmfDoc({ generate: { seed: 1, N: 2, n1: 8, n2: 6, missing: 1 } }), /problem\.generate\.missing: missing must be in \[0, 1\)/],
    ['an hmf problem with another algorithm', hmfDoc({}, { name: 'gd' }), /algorithm\.name: is "gd", but an "hmf" problem runs with algorithm "hmf", "jive", "perpca" or "hae"/],
    ['a network for HMF', { ...hmfDoc(), network: { topology: 'ring', J: 4 } }, /network: HMF averages U_g through a server each round; leave out "network"/],
    ['curvature on HMF', hmfDoc({}, { curvatureEvery: 10 }), /algorithm\.curvatureEvery: is for the gradient methods on node objectives; HMF \(Algorithm 1\) does not use it/],
    ['β on another algorithm', { ...preset('r3'), algorithm: { name: 'dgd-local', stepsize: 0.001, iterations: 5, beta: 0.1 } }, /algorithm\.beta: is an HMF option; algorithm "dgd-local" does not use it/],
  ])('%s', (_name, doc, message) => {
    expect(() => build(doc)).toThrow(message);
  });

  it('an uploaded sequence with frames of different sizes', () => {
    const f = (name: string, width: number, height: number) => ({ name, width, height, gray: new Float64Array(width * height) });
    expect(() => framesToClip([f('a.png', 14, 14), f('b.png', 14, 14), f('c.png', 21, 14)])).toThrow(/problem\.video\.data: frame 3 \(c\.png\) is 21×14 but frame 1 \(a\.png\) is 14×14; every frame must have the same size/);
    expect(() => framesToClip([f('a.png', 14, 14)])).toThrow(/1 frame loaded; HMF needs at least 2/);
    expect(framesToClip([f('a.png', 14, 14), f('b.png', 14, 14)]).frames).toHaveLength(2);
  });
});

describe('HMF runs through the session (CPU engine)', () => {
  it('records the HMF metrics under their names, feasibility ~0 after each correction', async () => {
    const inst = build(hmfDoc({}, { iterations: 60, recordEvery: 20 }));
    const out = await runSession(new CpuEngine(), inst);
    expect(out.trace.iteration).toEqual([0, 20, 40, 60]);
    for (const k of ['sharedError', 'uniqueError', 'subspaceError', 'feasibility'] as const) expect(out.trace[k]).toHaveLength(4);
    for (const v of out.trace.feasibility!) expect(v).toBeLessThan(1e-12);
    expect(out.trace.objective[3]).toBeLessThan(out.trace.objective[0]);
  });
});

describe('HMF WebGPU engine: layout and limits (GPU-free)', () => {
  const limits = { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28, maxComputeWorkgroupStorageSize: 16384, maxComputeWorkgroupsPerDimension: 65535 };
  it('packs the iterate for the GPU and back without loss, for sources of different widths', async () => {
    const { hmfGpuLayout, packHmfState, unpackHmfState } = await import('../../src/gpu/families/hmf');
    const inst = build({ ...hmfDoc(), problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 1, sources: [{ M: t(5, 3) }, { M: t(5, 4) }] } });
    const L = hmfGpuLayout(hmfProblem(inst));
    // rows padded to 4 columns: U_g 5×4, V_g (3 + 4)×4, U_l 2×5×4, V_l 7×4
    expect([L.r1p, L.r2p]).toEqual([4, 4]);
    expect([L.offVg, L.offUl, L.offVl, L.stateWords]).toEqual([5 * 4, 20 + 7 * 4, 48 + 2 * 5 * 4, 88 + 7 * 4]);
    const z = { X: inst.init.X.map((_, k) => k + 1), Y: inst.init.Y.map((_, k) => -k - 1) };
    const packed = packHmfState(hmfProblem(inst), L, z);
    // the padding is zero (the kernels rely on it), the values are all there
    const padding = Array.from(packed).filter((_, k) => (k < L.offUl ? k % 4 >= 2 : k % 4 >= 1));
    expect(padding.every((v) => v === 0)).toBe(true);
    expect(packed.filter((v) => v !== 0).length).toBe(z.X.length + z.Y.length);
    const back = unpackHmfState(hmfProblem(inst), L, packed);
    // nothing missing: the data alone, no masks
    expect([L.dataWords, L.maskOff]).toEqual([5 * 7, 0]);
    const masked = hmfGpuLayout(hmfProblem(build({ ...hmfDoc(), problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 1, sources: [{ M: t(5, 3) }, { M: t(5, 4), mask: { shape: [5, 4], data: Array.from({ length: 20 }, (_, k) => k % 3 ? 1 : 0) } }] } })));
    expect([masked.dataWords, masked.maskOff]).toEqual([2 * 5 * 7, 5 * 7]);
    expect(Array.from(back.X)).toEqual(Array.from(z.X));
    expect(Array.from(back.Y)).toEqual(Array.from(z.Y));
  });
  it.each([
    [{ sharedRank: 33, uniqueRank: 2 }, {}, /sharedRank r1 = 33: the WebGPU engine inverts U_gᵀU_g in workgroup memory and handles r1 ≤ 32/],
    // r₂ = 97 pads to 100: grad_u gives a thread 4 of the 200 rows and one of 1 + 25 vec4 chunks, 50 · 26 threads = 21 workgroups
    [{ sharedRank: 2, uniqueRank: 97 }, { maxComputeWorkgroupsPerDimension: 16 }, /the HMF dispatch needs 21 workgroups in one dimension, above this device's 16/],
    [{ sharedRank: 2, uniqueRank: 2 }, { maxStorageBufferBindingSize: 1024 }, /the HMF data needs a 0\.0 MiB buffer, above this device's limit of 0\.0 MiB/],
  ])('refuses what does not fit, with a clear message (%o)', async (ranks, lim, message) => {
    const { checkHmfLimits, hmfGpuLayout } = await import('../../src/gpu/families/hmf');
    const n1 = 200;
    const inst = build({ ...hmfDoc(), problem: { kind: 'hmf', ...ranks, generate: { seed: 1, N: 2, n1, n2: 4, factors: 'gaussian' } } });
    expect(() => checkHmfLimits(hmfGpuLayout(hmfProblem(inst)), { ...limits, ...lim })).toThrow(message);
  });
});

describe('HMF in links', () => {
  it('a preset with HMF parameters round-trips, without network keys, and the document stays valid', async () => {
    const { decodeUrl, encodeUrl } = await import('../../src/state/url');
    const load = async (id: string) => preset(id);
    const { state, ignored } = await decodeUrl('?preset=r15&r1=2&beta=0.2&hcorr=0&K=40', load);
    expect(ignored).toEqual([]);
    const q = encodeUrl(state);
    expect(q).toMatch(/preset=r15/);
    expect(q).toMatch(/r1=2&r2=3&hN=100&hn1=60&hn2=100/);
    expect(q).toMatch(/beta=0\.2&hcorr=0/);
    expect(q).not.toMatch(/[&?](J|topo|seed|lazy)=/);
    expect(state.experiment.network).toBeUndefined(); // encoding created no network
    const again = await decodeUrl(q, load);
    expect(again.ignored).toEqual([]);
    expect(again.state.experiment).toEqual(state.experiment);
    expect(() => parseExperiment(again.state.experiment)).not.toThrow();
  });

  it('HAE\'s network options ride in the link: hidden widths (empty: linear), σ, groups, weight decay; bad widths are refused with a reason', async () => {
    const { decodeUrl, encodeUrl } = await import('../../src/state/url');
    const load = async (id: string) => preset(id);
    const { state, ignored } = await decodeUrl('?preset=hae&r1=16&r2=16&hhid=16,8&hact=relu&hk=2&hwd=0.05&K=30', load);
    expect(ignored).toEqual([]);
    expect((state.experiment.algorithm as { hae?: object }).hae).toEqual({ hidden: [16, 8], activation: 'relu', groups: 2, weightDecay: 0.05 });
    const q = encodeUrl(state);
    expect(q).toMatch(/hhid=16%2C8|hhid=16,8/);
    expect(q).toMatch(/hact=relu&hk=2&hwd=0\.05/);
    const again = await decodeUrl(q, load);
    expect(again.ignored).toEqual([]);
    expect(again.state.experiment).toEqual(state.experiment);
    expect(() => parseExperiment(again.state.experiment)).not.toThrow();
    // the preset's linear networks: an empty list, written and read back as such
    const linear = await decodeUrl('?preset=hae', load);
    expect((linear.state.experiment.algorithm as { hae?: { hidden?: number[] } }).hae?.hidden).toEqual([]);
    const q2 = encodeUrl(linear.state);
    expect((await decodeUrl(q2, load)).state.experiment).toEqual(linear.state.experiment);
    // a width that is no whole number, and an option of HAE on Algorithm 1: each refused alone, with why
    const bad = await decodeUrl('?preset=hae&r1=16&r2=16&hhid=16,x&hk=2', load);
    expect(bad.ignored).toEqual([expect.stringMatching(/^hhid=16,x: must be layer widths separated by commas/)]);
    expect((bad.state.experiment.algorithm as { hae?: { groups?: number } }).hae?.groups).toBe(2);
  });

  it('kind=hmf switches to the planted Fig. 1 model; kind=factorization switches back; network keys are ignored with a reason', async () => {
    const { decodeUrl } = await import('../../src/state/url');
    const { state, ignored } = await decodeUrl('?kind=hmf&hn1=30&J=5', async () => null);
    expect((state.experiment.problem as { kind: string; generate: { n1: number } }).generate.n1).toBe(30);
    expect(state.experiment.algorithm.name).toBe('hmf');
    expect(ignored).toEqual([expect.stringMatching(/^J=5: network: HMF averages U_g through a server/)]);
    const back = await decodeUrl('?preset=r15&kind=factorization', async () => preset('r15'));
    expect(back.ignored).toEqual([]);
    expect(back.state.experiment.algorithm.name).toBe('dgd-local');
    expect(() => parseExperiment(back.state.experiment)).not.toThrow();
  });
});

describe('HMF in the CLI', () => {
  it('validate describes the sources, ranks, η, β and θ̂', async () => {
    const r = await cli(['validate', 'public/presets/r15.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hmf: N = 100 sources of 60×100, r1 = 3, r2 = 3, 0\.0 % missing; η = 0\.2000, β = 0\.1, correction on, misalignment θ̂ = 0\.9400/);
  });
  it('a bad HMF document exits 2 with one line naming the field', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const f = join(mkdtempSync(join(tmpdir(), 'hmf-cli-')), 'bad.json');
    writeFileSync(f, JSON.stringify(hmfDoc({}, { beta: -1 })));
    const r = await cli(['run', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: algorithm.beta: beta must be ≥ 0');
  });
});

describe('HMF materialize', () => {
  it('writes the sources (data, masks, true parts) out; the explicit document reruns the same trace', async () => {
    const { materialize } = await import('../../src/cli/cli');
    const doc = parseExperiment(hmfDoc({ generate: { seed: 2, N: 3, n1: 8, n2: 6, missing: 0.25 } }, { iterations: 30, recordEvery: 10 }));
    const inst = buildInstance(doc);
    const explicit = materialize(doc, inst);
    const p = explicit.problem as { kind: string; sources: { M: { shape: number[] }; mask?: unknown; shared?: unknown }[] };
    expect(p.sources).toHaveLength(3);
    expect(p.sources[0].M.shape).toEqual([8, 6]);
    expect(p.sources.every((s) => s.mask && s.shared)).toBe(true);
    const a = await runSession(new CpuEngine(), inst);
    const b = await runSession(new CpuEngine(), build(JSON.parse(JSON.stringify(explicit))));
    for (const k of ['objective', 'sharedError', 'uniqueError', 'feasibility'] as const) expect(b.trace[k]).toEqual(a.trace[k]);
    expect(b.trace.subspaceError).toBeUndefined(); // the true bases are not part of a sources document
  });
});
