// HMF's rivals of Table 2 (SPEC §7.8): JIVE and perPCA as algorithms of the hmf kind, float64 on the CPU
// (src/core/hmf-baselines.ts). Exact recovery on clean data, the constraint U_gᵀU_(i),l = 0, the bias that
// zeros for missing entries leave (against HMF on the same data), the documents they refuse, determinism,
// and the engine choice that sends them to the CPU.
import { describe, expect, it } from 'vitest';
import { buildInstance } from '../../src/core/build';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { checkRuns } from '../../src/core/compare';
import { gramTN } from '../../src/core/hmf';
import { hmfProblem } from '../../src/core/hmf-build';
import { chooseEngine } from '../../src/engine/backend';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';
import { shaderSources } from '../../src/gpu/shaders';
import { cli, docFolder, preset } from './helpers';

type Alg = 'hmf' | 'jive' | 'perpca';

const doc = (name: Alg, opts: { factors?: 'orthogonal' | 'gaussian'; missing?: number; iterations?: number; recordEvery?: number; N?: number; n1?: number; n2?: number } = {}): ExperimentInput => ({
  format: 'lowrank-lab/experiment', version: 1,
  problem: {
    kind: 'hmf', sharedRank: 2, uniqueRank: 2,
    generate: { seed: 1, N: opts.N ?? 4, n1: opts.n1 ?? 12, n2: opts.n2 ?? 10, missing: opts.missing ?? 0, factors: opts.factors ?? 'orthogonal' },
  },
  algorithm: { name, stepsize: 0.2, iterations: opts.iterations ?? 150, recordEvery: opts.recordEvery ?? 10, ...(name === 'hmf' ? { beta: 0.1 } : {}) },
  init: { seed: 1, scale: 0.01 },
} as ExperimentInput);

const run = (d: ExperimentInput) => {
  const inst = buildInstance(parseExperiment(d));
  return runSession(new CpuEngine(), inst).then((out) => ({ inst, out }));
};
const last = (xs: number[] | undefined) => xs![xs!.length - 1];

describe('JIVE and perPCA on clean data (no noise, nothing missing)', () => {
  it.each([
    ['jive', 'orthogonal'], ['jive', 'gaussian'], ['perpca', 'orthogonal'], ['perpca', 'gaussian'],
  ] as const)('%s recovers the planted joint/individual split exactly (%s factors)', async (name, factors) => {
    // perPCA on the unit singular values of the orthogonal model is a power iteration with ratio 1/(1 + η):
    // 1.2e-10 after 150 rounds, so 300
    const { out } = await run(doc(name, { factors, iterations: 300, recordEvery: 50 }));
    expect(out.stop.reason).toBe('completed');
    const t = out.trace;
    expect(last(t.subspaceError)).toBeLessThan(1e-10);
    // the parts themselves, relative to ‖M‖² (Σᵢ‖Mᵢ‖² is about 16 orthogonal, about 10³ Gaussian)
    expect(last(t.sharedError)).toBeLessThan(1e-20);
    expect(last(t.uniqueError)).toBeLessThan(1e-20);
    expect(last(t.objective)).toBeLessThan(1e-20);
    // the start is far from it (JIVE's first sweep is not exact with Gaussian factors; perPCA starts at random)
    if (name === 'perpca' || factors === 'gaussian') expect(t.subspaceError![0]).toBeGreaterThan(0.1);
  });

  it.each(['jive', 'perpca'] as const)('%s keeps every U_(i),l orthogonal to U_g, and U_g, U_(i),l orthonormal, at every record', async (name) => {
    const { inst, out } = await run(doc(name, { factors: 'gaussian', missing: 0.2 }));
    for (const v of out.trace.feasibility!) expect(v).toBeLessThan(1e-13);
    for (const v of out.trace.imbalance!) expect(v).toBeLessThan(1e-13);
    // by hand on the final iterate: U_gᵀU_(i),l = 0, U_(i),lᵀU_(i),l = I
    const h = hmfProblem(inst);
    const { n1 } = h.data, { r1, r2 } = h.params, z = out.final;
    h.data.sources.forEach((_, i) => {
      const C = gramTN(z.X, 0, r1, z.Y, h.layout.ul[i], r2, n1);
      for (const v of C) expect(Math.abs(v)).toBeLessThan(1e-13);
      const G = gramTN(z.Y, h.layout.ul[i], r2, z.Y, h.layout.ul[i], r2, n1);
      G.forEach((v, k) => expect(Math.abs(v - (k % (r2 + 1) === 0 ? 1 : 0))).toBeLessThan(1e-13));
    });
  });
});

describe('with missing entries as zeros the rivals are biased; HMF is not (Table 2’s ordering)', () => {
  // N = 10 sources of 20×30, r₁ = r₂ = 2, 10 % missing. Measured: JIVE 5.49e-2 (flat from sweep 1),
  // perPCA 5.50e-2 (flat by round 100), HMF 1.1e-8 at round 200 and 1.3e-14 at 400
  const d = { N: 10, n1: 20, n2: 30, missing: 0.1 };
  it('JIVE ≈ perPCA ≈ 0.055 while HMF is below 1e-6 after 200 rounds', async () => {
    const [jive, perpca, hmf] = await Promise.all([
      run(doc('jive', { ...d, iterations: 10, recordEvery: 5 })),
      run(doc('perpca', { ...d, iterations: 150, recordEvery: 50 })),
      run(doc('hmf', { ...d, iterations: 200, recordEvery: 50 })),
    ]);
    const sj = last(jive.out.trace.subspaceError), sp = last(perpca.out.trace.subspaceError), sh = last(hmf.out.trace.subspaceError);
    for (const s of [sj, sp]) {
      expect(s).toBeGreaterThan(0.03);
      expect(s).toBeLessThan(0.1);
    }
    expect(Math.abs(sj - sp)).toBeLessThan(0.01 * sj);
    expect(sh).toBeLessThan(1e-6);
    expect(sh).toBeLessThan(1e-4 * Math.min(sj, sp));
    // their fit on the observed entries stalls too, where HMF's goes on falling
    expect(last(jive.out.trace.objective)).toBeGreaterThan(0.1);
    expect(last(hmf.out.trace.objective)).toBeLessThan(1e-5);
  });
});

describe('JIVE and perPCA documents', () => {
  const bad = (name: Alg, alg: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) => {
    const base = doc(name);
    return { ...base, algorithm: { ...base.algorithm, ...alg }, ...rest };
  };
  it.each([
    ['β on JIVE', bad('jive', { beta: 0.1 }), /algorithm\.beta: is an option of HMF's Algorithm 1 \(the weight β of the regulariser in \(7\.2\)\); JIVE does not use it: leave it out \(in a comparison run's patch, "beta": null\)/],
    ['the correction switch on perPCA', bad('perpca', { correction: false }), /algorithm\.correction: is an option of HMF's Algorithm 1 \(the correction step \(7\.5\)\); perPCA does not use it/],
    ['a network for JIVE', bad('jive', {}, { network: { topology: 'ring', J: 4 } }), /network: JIVE runs on the sources themselves, with no network; leave out "network"/],
    ['curvature on perPCA', bad('perpca', { curvatureEvery: 10 }), /algorithm\.curvatureEvery: is for the gradient methods on node objectives; perPCA does not use it/],
    ['an explicit start for JIVE', bad('jive', {}, { init: { U: { shape: [1], data: [0] } } }), /init\.U: JIVE starts from A = 0 \(its first sweep\) and reads no start; explicit starts are not read/],
    ['a saddle start for perPCA', bad('perpca', {}, { init: { saddle: { set: [], delta: 0.1 } } }), /init\.saddle: is for factorization problems; perPCA starts from random orthonormal bases drawn from init\.seed/],
    ['an hmf problem with a node algorithm', bad('jive', { name: 'dgd' }), /algorithm\.name: is "dgd", but an "hmf" problem runs with algorithm "hmf", "jive", "perpca" or "hae"/],
    ['JIVE on a factorization', { ...preset('r3'), network: undefined, algorithm: { name: 'jive', stepsize: 0.001, iterations: 5 } }, /algorithm\.name: "jive" needs a problem of kind "hmf", not "factorization"/],
    ['r₁ + r₂ > n₁ for perPCA', { ...bad('perpca'), problem: { kind: 'hmf', sharedRank: 7, uniqueRank: 6, generate: { seed: 1, N: 2, n1: 12, n2: 14 } } }, /problem\.uniqueRank: sharedRank \+ uniqueRank = 7 \+ 6 = 13 exceeds n1 = 12/],
  ])('%s: one clear message naming the field', (_name, d, message) => {
    expect(() => buildInstance(parseExperiment(d))).toThrow(message);
  });

  it('a comparison run switches HMF to a rival by its patch; β must go with Algorithm 1', () => {
    const main = doc('hmf');
    const ok = parseExperiment({ ...main, compare: [{ name: 'JIVE', patch: { algorithm: { name: 'jive', beta: null } } }, { name: 'perPCA', patch: { algorithm: { name: 'perpca', beta: null } } }] });
    const runs = checkRuns(ok);
    expect(runs.get('JIVE')!.algorithm).toEqual({ name: 'jive', stepsize: 0.2, iterations: 150, recordEvery: 10 });
    expect(runs.get('perPCA')!.algorithm.name).toBe('perpca');
    const kept = parseExperiment({ ...main, compare: [{ name: 'JIVE', patch: { algorithm: { name: 'jive' } } }] });
    expect(() => checkRuns(kept)).toThrow(/algorithm\.beta: is an option of HMF's Algorithm 1/);
  });

  it('the same document gives the same trace, bit for bit, for both rivals', async () => {
    for (const name of ['jive', 'perpca'] as const) {
      const d = doc(name, { factors: 'gaussian', missing: 0.3, iterations: 40, recordEvery: 5 });
      const a = await run(d), b = await run(JSON.parse(JSON.stringify(d)));
      for (const k of ['objective', 'sharedError', 'uniqueError', 'subspaceError', 'feasibility', 'gradientNorm'] as const) {
        const x = a.out.trace[k]!, y = b.out.trace[k]!;
        expect(y.length).toBe(x.length);
        x.forEach((v, i) => expect(Object.is(v, y[i])).toBe(true));
      }
      expect(Array.from(b.out.final.Y)).toEqual(Array.from(a.out.final.Y));
    }
  });

  it('validate names the rival and its settings', async () => {
    const { writeDoc } = docFolder('lowrank-baselines-');
    const r = await cli(['validate', writeDoc(doc('jive', { missing: 0.1 }))]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/hmf: N = 4 sources of 12×10, r1 = 2, r2 = 2, 10\.0 % missing; JIVE \(no step: η is not read\), missing entries as zeros/);
    const p = await cli(['validate', writeDoc(doc('perpca'))]);
    expect(p.stdout).toMatch(/perPCA, η = 0\.2000, missing entries as zeros/);
  });
});

describe('the engine choice sends JIVE and perPCA to the CPU engine, saying why', () => {
  it.each([['jive', 'JIVE'], ['perpca', 'perPCA']] as const)('%s', async (name, label) => {
    const inst = buildInstance(parseExperiment(doc(name)));
    // the HMF family refuses before it asks for a device: the reason is the algorithm, with or without WebGPU
    const none = { requestAdapter: async () => null } as unknown as GPU;
    for (const gpu of [undefined, none]) {
      const c = await chooseEngine({ prefer: 'webgpu', gpu, shaders: shaderSources, instance: inst });
      expect(c.engine).toBeInstanceOf(CpuEngine);
      expect(c.reason).toBe(`The HMF WebGPU engine runs HMF's Algorithm 1 only; ${label} (a rival of Table 2) runs in float64 on the CPU engine.`);
    }
  });
});
