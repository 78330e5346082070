/**
 * `problem.ratings` ([H] §6.4, src/core/ratings.ts) as the data of the two kinds that fit it: HMF's sources
 * (one per genre cluster, the training entries as the mask of ℓ_pse, the test entries held out) and the
 * completion kind's one matrix (the clusters side by side: users × all movies, the same training entries
 * as Ω — the pooled matrix of [H]'s "standard collaborative filtering … on ∪ᵢΩᵢ^train").
 */
import type { HmfData } from './hmf-model';
import { type RatingsConfig, buildRatings } from './problems/ratings-schema';
import type { RatingsSources } from './ratings';

/** Held-out entries: row-major indices into a matrix and their values. */
export interface HeldOut {
  index: Uint32Array;
  value: Float64Array;
}

function heldOut(values: Float64Array, test: Uint8Array): HeldOut {
  const index: number[] = [];
  for (let q = 0; q < test.length; q++) if (test[q]) index.push(q);
  return { index: Uint32Array.from(index), value: Float64Array.from(index, (q) => values[q]) };
}

/** HMF's sources: Mᵢ = the training ratings (0 elsewhere), mask = the training entries, test = the held-out ones. */
export function ratingsHmfData(r: RatingsConfig): { data: HmfData; ratings: RatingsSources } {
  const rs = buildRatings(r);
  const sources = rs.sources.map((s) => ({
    M: Float64Array.from(s.values, (v, q) => (s.train[q] ? v : 0)),
    n2: s.n2,
    mask: s.train.slice(),
    test: heldOut(s.values, s.test),
  }));
  return { data: { n1: rs.users, sources }, ratings: rs };
}

/** The pooled matrix for completion: users × all movies, the clusters' columns side by side in source order. */
export function ratingsPooled(r: RatingsConfig): { n: number; m: number; M: Float64Array; mask: Uint8Array; test: HeldOut } {
  const rs = buildRatings(r);
  const n = rs.users, m = rs.sources.reduce((a, s) => a + s.n2, 0);
  const M = new Float64Array(n * m), mask = new Uint8Array(n * m), test = new Uint8Array(n * m), values = new Float64Array(n * m);
  let o = 0;
  for (const s of rs.sources) {
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < s.n2; b++) {
        const q = a * m + o + b, k = a * s.n2 + b;
        values[q] = s.values[k];
        if (s.train[k]) {
          M[q] = s.values[k];
          mask[q] = 1;
        }
        test[q] = s.test[k];
      }
    }
    o += s.n2;
  }
  return { n, m, M, mask, test: heldOut(values, test) };
}
