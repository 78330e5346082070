// Rating prediction as runs ([H] §6.4, SPEC §7.10): problem.ratings for the hmf kind (one source per genre
// cluster, the training entries as the mask, the test entries held out) and for the completion kind (the
// clusters side by side, the same training entries as Ω). The recorded test/train RMSEs and the mean
// baseline are checked against predictions formed here from the final factors and the sources of
// src/core/ratings.ts; and the documents the two kinds refuse.
import { describe, expect, it } from 'vitest';
import { buildInstance } from '../../src/core/build';
import { type ExperimentInput, parseExperiment } from '../../src/core/experiment';
import { readFileSync } from 'node:fs';
import { buildRatings } from '../../src/core/problems/ratings-schema';
import { type RatingsSources, SYNTHETIC_DEFAULTS, movieLensSources, parseMovieLens, ratingsTensors, syntheticRatingsSources } from '../../src/core/ratings';
import { CpuEngine } from '../../src/engine/cpu';
import { runSession } from '../../src/engine/session';

const synthetic = { seed: 2, users: 30, movies: 40, genres: 4, density: 0.4 };
const split = { clusters: 3, testFraction: 0.2, seed: 5 };
const ratings = { synthetic, ...split };
const sources = (): RatingsSources => syntheticRatingsSources({ ...SYNTHETIC_DEFAULTS, ...synthetic }, split);

const hmfDoc = (extra: Record<string, unknown> = {}): ExperimentInput => ({
  format: 'lowrank-lab/experiment', version: 1,
  problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 1, ratings, ...extra },
  algorithm: { name: 'hmf', stepsize: 0.01, iterations: 60, recordEvery: 20, beta: 0.1 },
  init: { seed: 1, scale: 0.1 },
} as ExperimentInput);
const completionDoc = (problem: Record<string, unknown> = {}, algorithm: Record<string, unknown> = {}): ExperimentInput => ({
  format: 'lowrank-lab/experiment', version: 1,
  problem: { kind: 'completion', rank: 3, ratings, ...problem },
  algorithm: { name: 'gd', stepsize: { rule: 'practical', c: 0.5 }, iterations: 60, recordEvery: 20, ...algorithm },
  init: { seed: 1, scale: 0.1 },
} as ExperimentInput);

/** √(mean squared error) over the marked entries for predictions pred(i, a, b), and the mean-rating baseline. */
function rmses(r: RatingsSources, pred: (i: number, a: number, b: number) => number) {
  const acc = { test: [0, 0], train: [0, 0], base: 0, sum: 0 };
  r.sources.forEach((s) => s.train.forEach((t, q) => { if (t) acc.sum += s.values[q]; }));
  const trainCount = r.sources.reduce((a, s) => a + s.train.reduce((x, v) => x + v, 0), 0);
  const mean = acc.sum / trainCount;
  r.sources.forEach((s, i) => {
    for (let a = 0; a < r.users; a++) {
      for (let b = 0; b < s.n2; b++) {
        const q = a * s.n2 + b;
        const e = pred(i, a, b) - s.values[q];
        if (s.train[q]) { acc.train[0] += e * e; acc.train[1]++; }
        if (s.test[q]) { acc.test[0] += e * e; acc.test[1]++; acc.base += (mean - s.values[q]) ** 2; }
      }
    }
  });
  return { test: Math.sqrt(acc.test[0] / acc.test[1]), train: Math.sqrt(acc.train[0] / acc.train[1]), baseline: Math.sqrt(acc.base / acc.test[1]) };
}

describe('HMF on problem.ratings', () => {
  it('records the test, train and baseline RMSEs of its own factors, and the held-out entries are not in its data', async () => {
    const inst = buildInstance(parseExperiment(hmfDoc()));
    const r = sources();
    const setup = inst.problem as unknown as { data: { n1: number; sources: { M: Float64Array; mask: Uint8Array; n2: number }[] }; layout: { vg: number[]; ul: number[]; vl: number[] } };
    expect(setup.data.n1).toBe(30);
    expect(setup.data.sources.map((s) => s.n2)).toEqual(r.sources.map((s) => s.n2));
    setup.data.sources.forEach((s, i) => {
      expect(Array.from(s.mask)).toEqual(Array.from(r.sources[i].train));
      r.sources[i].test.forEach((t, q) => { if (t) expect(s.M[q]).toBe(0); });
    });
    const out = await runSession(new CpuEngine(), inst);
    const { X, Y } = out.final;
    const L = setup.layout, r1 = 2, r2 = 1;
    const pred = (i: number, a: number, b: number) => {
      let x = 0;
      for (let k = 0; k < r1; k++) x += X[a * r1 + k] * Y[L.vg[i] + b * r1 + k];
      for (let k = 0; k < r2; k++) x += Y[L.ul[i] + a * r2 + k] * Y[L.vl[i] + b * r2 + k];
      return x;
    };
    const want = rmses(r, pred);
    const t = out.trace;
    expect(t.testRmse!.at(-1)).toBeCloseTo(want.test, 12);
    expect(t.trainRmse!.at(-1)).toBeCloseTo(want.train, 12);
    expect(t.baselineRmse!.at(-1)).toBeCloseTo(want.baseline, 12);
    // from the 0.1-scale start (predictions ≈ 0) the fit has come down to below the mean baseline's level
    expect(t.testRmse![0]).toBeGreaterThan(2.5);
    expect(t.testRmse!.at(-1)).toBeLessThan(want.baseline * 1.5);
  });

  it('refuses ratings beside another data source, and bad ratings, with the field named', () => {
    expect(() => parseExperiment(hmfDoc({ generate: { seed: 1, N: 2, n1: 5, n2: 5 } }))).toThrow('problem: give exactly one of "generate" (a planted model), "sources" (data), "ratings" (rating prediction)');
    expect(() => parseExperiment(hmfDoc({ ratings: { clusters: 3 } }))).toThrow('problem.ratings: give exactly one of "synthetic" (a generated data set) or "given"');
    expect(() => parseExperiment(hmfDoc({ ratings: { ...ratings, clusters: 41 } }))).toThrow('problem.ratings.clusters: is 41 but there are only 40 movies to cluster');
    expect(() => parseExperiment(hmfDoc({ ratings: { ...ratings, testFraction: 1 } }))).toThrow('testFraction must be in [0, 1)');
    const given = (rows: number[], genres = [1, 0, 0, 1]) => hmfDoc({ ratings: { given: { ratings: { shape: [rows.length / 3, 3], data: rows }, genres: { shape: [2, 2], data: genres } }, clusters: 2 } });
    expect(() => parseExperiment(given([1, 3, 4]))).toThrow('problem.ratings.given.ratings.data[0]: rating 1: the movie id 3 is not an integer from 1 to 2');
    expect(() => parseExperiment(given([1, 1, 4, 2, 2, 5, 1, 1, 3]))).toThrow('problem.ratings.given.ratings.data[6]: rating 3: user 1 rated movie 1 twice');
    expect(() => parseExperiment(given([1, 1, 4], [1, 0, 0, 2]))).toThrow('problem.ratings.given.genres.data[3]: is 2; genre flags must be 0 or 1');
    // sharedRank + uniqueRank must fit in n₁ = the number of users
    expect(() => parseExperiment({ ...hmfDoc(), problem: { kind: 'hmf', sharedRank: 2, uniqueRank: 1, ratings: { given: { ratings: { shape: [2, 3], data: [1, 1, 4, 2, 2, 5] }, genres: { shape: [2, 2], data: [1, 0, 0, 1] } }, clusters: 2 } } } as ExperimentInput)).toThrow('exceeds n1 = 2');
  });

  it('says when a split leaves a cluster nothing to train on', () => {
    const doc = hmfDoc({ ratings: { given: { ratings: { shape: [2, 3], data: [1, 1, 4, 3, 2, 5] }, genres: { shape: [2, 2], data: [1, 0, 0, 1] } }, clusters: 2, testFraction: 0.5 } });
    const d = { ...doc, problem: { ...(doc.problem as object), sharedRank: 1, uniqueRank: 1 } } as ExperimentInput;
    expect(() => buildInstance(parseExperiment(d))).toThrow(/problem\.ratings\.testFraction: genre cluster 1 \(1 movies\) has 1 rating and none left for training/);
  });
});

describe('completion on problem.ratings (the clusters side by side)', () => {
  it('fits the same training entries and records the RMSEs of UVᵀ on the same held-out ones', async () => {
    const inst = buildInstance(parseExperiment(completionDoc()));
    const r = sources();
    const p = inst.problem as unknown as { n: number; m: number; mask: Uint8Array; M: { data: Float64Array } };
    expect([p.n, p.m]).toEqual([30, 40]);
    // column o + b of the pooled matrix is column b of source i (o = the widths of the sources before i)
    let o = 0;
    for (const s of r.sources) {
      for (let a = 0; a < 30; a++) {
        for (let b = 0; b < s.n2; b++) {
          expect(p.mask[a * 40 + o + b]).toBe(s.train[a * s.n2 + b]);
          if (s.train[a * s.n2 + b]) expect(p.M.data[a * 40 + o + b]).toBe(s.values[a * s.n2 + b]);
        }
      }
      o += s.n2;
    }
    const out = await runSession(new CpuEngine(), inst);
    const { X, Y } = out.final, rank = 3;
    const offsets = r.sources.map((_, i) => r.sources.slice(0, i).reduce((a, s) => a + s.n2, 0));
    const want = rmses(r, (i, a, b) => {
      let x = 0;
      for (let k = 0; k < rank; k++) x += X[a * rank + k] * Y[(offsets[i] + b) * rank + k];
      return x;
    });
    expect(out.trace.testRmse!.at(-1)).toBeCloseTo(want.test, 12);
    expect(out.trace.trainRmse!.at(-1)).toBeCloseTo(want.train, 12);
    expect(out.trace.baselineRmse!.at(-1)).toBeCloseTo(want.baseline, 12);
  });

  it('predicts each column with its own node’s copy of U under DGD+LOCAL', async () => {
    const doc = completionDoc({}, { name: 'dgd-local', stepsize: { rule: 'practical', c: 0.3 } });
    const d = { ...doc, network: { topology: 'ring', J: 4 } } as ExperimentInput;
    const inst = buildInstance(parseExperiment(d));
    const out = await runSession(new CpuEngine(), inst);
    const p = inst.problem as unknown as { n: number; m: number; r: number; offsets: number[]; partition: number[] };
    const r = sources();
    const { X, Y } = out.final, rank = 3, n = 30;
    const offsets = r.sources.map((_, i) => r.sources.slice(0, i).reduce((a, s) => a + s.n2, 0));
    const node = (c: number) => p.offsets.findIndex((o, j) => c >= o && c < o + p.partition[j]);
    const want = rmses(r, (i, a, b) => {
      const c = offsets[i] + b, j = node(c);
      let x = 0;
      for (let k = 0; k < rank; k++) x += X[j * n * rank + a * rank + k] * Y[c * rank + k];
      return x;
    });
    expect(p.partition.length).toBe(4);
    expect(out.trace.testRmse!.at(-1)).toBeCloseTo(want.test, 12);
  });

  it('refuses M, a mask or pObs beside ratings', () => {
    expect(() => parseExperiment(completionDoc({ pObs: 0.3 }))).toThrow('problem.pObs: leave it out: with "ratings" the matrix is the ratings side by side');
    expect(() => parseExperiment(completionDoc({ generate: { seed: 1, n: 5, m: 5 } }))).toThrow('problem.generate: leave it out');
    expect(() => parseExperiment(completionDoc({ rank: 31 }))).toThrow('problem.rank: is 31 but must be at most min(n, m) = 30');
  });
});

describe('given ratings (what the upload of u.data + u.item writes)', () => {
  it('build the same sources as the loader on the files themselves', () => {
    const dir = new URL('../fixtures/movielens/', import.meta.url);
    const uData = readFileSync(new URL('u.data', dir), 'latin1'), uItem = readFileSync(new URL('u.item', dir), 'latin1');
    const split = { clusters: 3, testFraction: 0.2, seed: 4 };
    const given = buildRatings({ given: ratingsTensors(parseMovieLens(uData, uItem)), ...split });
    const direct = movieLensSources(uData, uItem, split);
    expect(given.users).toBe(4);
    expect(Array.from(given.cluster)).toEqual(Array.from(direct.cluster));
    given.sources.forEach((s, i) => {
      expect(Array.from(s.values)).toEqual(Array.from(direct.sources[i].values));
      expect(Array.from(s.test)).toEqual(Array.from(direct.sources[i].test));
    });
    // and an HMF document on them validates and builds: 3 clusters, n₁ = 4 users
    const doc = { ...hmfDoc(), problem: { kind: 'hmf', sharedRank: 1, uniqueRank: 1, ratings: { given: ratingsTensors(parseMovieLens(uData, uItem)), ...split } } } as ExperimentInput;
    const inst = buildInstance(parseExperiment(doc));
    expect((inst.problem as unknown as { data: { n1: number; sources: unknown[] } }).data.sources).toHaveLength(3);
  });
});
