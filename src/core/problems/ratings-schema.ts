/**
 * `problem.ratings`: rating prediction with genre clusters as sources ([H] §6.4, SPEC §7.10;
 * src/core/ratings.ts) — a synthetic genre-structured data set, or given ratings (MovieLens-100k's u.data
 * and u.item, read by the app's upload into the two tensors below) — with the K-means clusters and the
 * train/test split. The hmf kind fits one source per cluster; the completion kind the same ratings side by
 * side (users × all movies, the clusters' columns in order) with the same training entries, so the two
 * record comparable test RMSEs.
 */
import * as z from 'zod';
import { DocumentError, type Fail, TensorSchema, finite, int } from '../document';
import { type RatingsData, type RatingsSources, SYNTHETIC_DEFAULTS, ratingsSources, syntheticRatings } from '../ratings';

const D = SYNTHETIC_DEFAULTS;
const nonneg = (what: string, d: number) => finite.pipe(z.number().nonnegative(`${what} must be ≥ 0`)).default(d);
const unit = (what: string, lo: 'open' | 'closed', d: number) => finite.pipe(lo === 'open'
  ? z.number().gt(0, `${what} must be in (0, 1]`).max(1, `${what} must be in (0, 1]`)
  : z.number().min(0, `${what} must be in [0, 1]`).max(1, `${what} must be in [0, 1]`)).default(d);

/** src/core/ratings.ts SyntheticRatingsSpec, with its defaults */
const SyntheticRatingsSchema = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).default(0),
  users: int('users', 1, 100_000),
  movies: int('movies', 1, 100_000),
  genres: int('genres', 1, 64).default(D.genres),
  sharedRank: int('sharedRank', 0, 256).default(D.sharedRank),
  genreRank: int('genreRank', 0, 256).default(D.genreRank),
  density: unit('density', 'open', D.density),
  sharedScale: nonneg('sharedScale', D.sharedScale),
  genreScale: nonneg('genreScale', D.genreScale),
  noise: nonneg('noise', D.noise),
  extraGenre: unit('extraGenre', 'closed', D.extraGenre),
  mean: finite.default(D.mean),
});

/** Given ratings: what the upload of u.data + u.item writes. */
const GivenRatingsSchema = z.strictObject({
  /** [R, 3]: user id, movie id (both from 1; movie id k is row k of `genres`), rating */
  ratings: TensorSchema,
  /** [movies, genres] of 0/1 flags */
  genres: TensorSchema,
  /** where the ratings came from (the files' names), for the summary */
  name: z.string({ error: 'name must be a string' }).optional(),
});

export const RatingsSchema = z.strictObject({
  synthetic: SyntheticRatingsSchema.optional(),
  given: GivenRatingsSchema.optional(),
  /** K-means clusters of the normalised genre vectors = sources (10 in [H]) */
  clusters: int('clusters', 1, 1024).default(10),
  /** fraction of each cluster's ratings held out for the test RMSE (0.1 in [H]) */
  testFraction: finite.pipe(z.number().min(0, 'testFraction must be in [0, 1)').lt(1, 'testFraction must be in [0, 1)')).default(0.1),
  /** seed of the K-means start and of the split */
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).default(0),
});
export type RatingsConfig = z.infer<typeof RatingsSchema>;

/** The cross-checks of `problem.ratings` (at `path`); returns the number of users (the sources' rows), or null after a failure. */
export function checkRatings(r: RatingsConfig, path: (string | number)[], fail: Fail): number | null {
  const at = (...k: (string | number)[]) => [...path, ...k];
  if (!r.synthetic === !r.given) {
    fail(path, 'give exactly one of "synthetic" (a generated data set) or "given" (ratings and genre flags, e.g. MovieLens-100k uploaded)');
    return null;
  }
  let movies: number, users: number;
  if (r.synthetic) {
    ({ movies, users } = r.synthetic);
  } else {
    const g = r.given!;
    if (g.genres.shape.length !== 2 || g.genres.shape[1] < 1) {
      fail(at('given', 'genres', 'shape'), `must be [movies, genres], got [${g.genres.shape.join(', ')}]`);
      return null;
    }
    movies = g.genres.shape[0];
    const badFlag = g.genres.data.findIndex((v) => v !== 0 && v !== 1);
    if (badFlag >= 0) {
      fail(at('given', 'genres', 'data', badFlag), `is ${g.genres.data[badFlag]}; genre flags must be 0 or 1`);
      return null;
    }
    if (g.ratings.shape.length !== 2 || g.ratings.shape[1] !== 3) {
      fail(at('given', 'ratings', 'shape'), `must be [ratings, 3] (user id, movie id, rating), got [${g.ratings.shape.join(', ')}]`);
      return null;
    }
    users = 0;
    const seen = new Set<number>();
    for (let k = 0; k < g.ratings.shape[0]; k++) {
      const [u, m, v] = g.ratings.data.slice(3 * k, 3 * k + 3);
      const row = at('given', 'ratings', 'data', 3 * k);
      if (!Number.isInteger(u) || u < 1 || u > 1 << 24) {
        fail(row, `rating ${k + 1}: the user id ${u} is not an integer from 1 to ${1 << 24}`);
        return null;
      }
      if (!Number.isInteger(m) || m < 1 || m > movies) {
        fail(row, `rating ${k + 1}: the movie id ${m} is not an integer from 1 to ${movies} (the rows of genres)`);
        return null;
      }
      if (!Number.isFinite(v)) {
        fail(row, `rating ${k + 1}: the rating ${v} is not a finite number`);
        return null;
      }
      const key = (u - 1) * movies + (m - 1);
      if (seen.has(key)) {
        fail(row, `rating ${k + 1}: user ${u} rated movie ${m} twice`);
        return null;
      }
      seen.add(key);
      users = Math.max(users, u);
    }
    if (users === 0) {
      fail(at('given', 'ratings'), 'holds no rating');
      return null;
    }
  }
  if (r.clusters > movies) {
    fail(at('clusters'), `is ${r.clusters} but there are only ${movies} movies to cluster`);
    return null;
  }
  return users;
}

/** The data of a checked `problem.ratings`. */
export function ratingsData(r: RatingsConfig): RatingsData {
  if (r.synthetic) return syntheticRatings(r.synthetic);
  const g = r.given!;
  const R = g.ratings.shape[0], movies = g.genres.shape[0];
  const user = new Uint32Array(R), movie = new Uint32Array(R), rating = new Float64Array(R);
  let users = 0;
  for (let k = 0; k < R; k++) {
    user[k] = g.ratings.data[3 * k] - 1;
    movie[k] = g.ratings.data[3 * k + 1] - 1;
    rating[k] = g.ratings.data[3 * k + 2];
    users = Math.max(users, user[k] + 1);
  }
  return { users, movies, genres: g.genres.shape[1], genreFlags: Uint8Array.from(g.genres.data), user, movie, rating };
}

/**
 * The sources of a checked `problem.ratings` (K-means, then the split); what cannot be clustered or split
 * is a DocumentError naming the field to change. `path` is where `ratings` sits (["problem", "ratings"]).
 */
export function buildRatings(r: RatingsConfig, path = 'problem.ratings'): RatingsSources {
  try {
    return ratingsSources(ratingsData(r), r);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const field = /none left for training/.test(err.message) ? 'testFraction' : 'clusters';
    throw new DocumentError(`${path}.${field}`, err.message);
  }
}
