/**
 * Rating prediction with genre clusters as sources (SPEC §7.10, [H] §6.4 "Case study: rating prediction on
 * MovieLens"): ratings (user, movie, stars) plus each movie's multi-hot genre vector → K-means clusters of
 * the movies → one source per cluster, Mᵢ = users × movies-in-cluster, with its observed entries Ωᵢ split
 * at random into a training and a test part. HMF, the lab's matrix completion and HAE all read the same
 * sources (`ratingsSources`), so their test RMSEs are comparable.
 *
 * What [H] §6.4 says, and what is chosen here where it is silent:
 * - "we use multi-hot encoding to create its genre information vector g_m ∈ ℝ¹⁹ … we normalize g_m and use
 *   K-means clustering to cluster the normalized g_m's into 10 groups": normalised = divided by its
 *   Euclidean length (a movie with no genre flag keeps the zero vector — chosen; MovieLens flags every movie).
 *   The K-means variant is not given: here one k-means++ start (Arthur & Vassilvitskii 2007) from the lab's
 *   seeded Rng, then Lloyd iterations until no assignment changes (at most 300); a cluster left empty is
 *   re-seeded at the point farthest from its centre. Clusters are numbered by their first movie, so
 *   source i is the same on every machine.
 * - "Each M(i) has 943 rows, and its number of columns is equal to the number of movies in cluster i":
 *   row a = user a + 1, columns = the cluster's movies in the order of their ids.
 * - "we randomly split each Ω(i) into 90% training set … and 10% test set": per cluster, exactly
 *   round(0.1·|Ωᵢ|) test entries drawn uniformly (partial Fisher–Yates) from the sub-stream
 *   `ratings-split-i` of the split seed.
 * - Predictions are "the entries of Û_gV̂_(i),g + Û_(i),lV̂_(i),l", not clipped to [1, 5]: the paper names
 *   no clipping, so the RMSEs here are of the raw predictions (`rmse`).
 *
 * Data: MovieLens-100k as GroupLens distributes it (`parseMovieLens`: u.data and u.item; the licence does
 * not allow shipping them, so the user brings them), or a synthetic genre-structured data set
 * (`syntheticRatings`) for the checked preset. Only + − × ÷ √ and the lab's Rng feed anything here.
 */
import { Rng, childSeed } from './rng';

/** Ratings with 0-based user and movie indices, and the movies' genre flags. */
export interface RatingsData {
  /** number of users (rows of every source) */
  users: number;
  /** number of movies */
  movies: number;
  /** number of genre flags per movie (19 for MovieLens) */
  genres: number;
  /** movies × genres, row-major, 0/1 */
  genreFlags: Uint8Array;
  /** one entry per rating: user index, movie index, value */
  user: Uint32Array;
  movie: Uint32Array;
  rating: Float64Array;
}

/** The genre flags of MovieLens-100k's u.item, in file order. */
export const MOVIELENS_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
] as const;

/** A malformed line of u.data or u.item: the file, the 1-based line and what is wrong. */
export class RatingsFileError extends Error {
  constructor(readonly file: string, readonly line: number, message: string) {
    super(line > 0 ? `${file}, line ${line}: ${message}` : `${file}: ${message}`);
    this.name = 'RatingsFileError';
  }
}

const POSITIVE_INT = /^[1-9][0-9]*$/;
const lines = (text: string) => text.split(/\r?\n/);
const shown = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}…` : s);

/**
 * u.item: one movie a line, `|`-separated: movie id | title | release date | video release date | IMDb URL
 * | 19 genre flags (0 or 1). Read as latin-1 by the caller (titles only; nothing here reads them). Ids must
 * be distinct positive integers; blank lines are skipped.
 */
export function parseUItem(text: string, file = 'u.item'): { ids: number[]; genreFlags: Uint8Array } {
  const G = MOVIELENS_GENRES.length;
  const ids: number[] = [];
  const flags: number[] = [];
  const seen = new Map<number, number>();
  lines(text).forEach((raw, k) => {
    if (raw.trim() === '') return;
    const line = k + 1;
    const f = raw.split('|');
    if (f.length !== 5 + G) {
      throw new RatingsFileError(file, line, `has ${f.length} '|'-separated fields, expected ${5 + G} (movie id | title | release date | video release date | IMDb URL | ${G} genre flags)`);
    }
    if (!POSITIVE_INT.test(f[0])) throw new RatingsFileError(file, line, `the movie id ${shown(f[0])} is not a positive integer`);
    const id = Number(f[0]);
    const before = seen.get(id);
    if (before !== undefined) throw new RatingsFileError(file, line, `movie id ${id} was already given on line ${before}`);
    seen.set(id, line);
    for (let g = 0; g < G; g++) {
      const v = f[5 + g];
      if (v !== '0' && v !== '1') throw new RatingsFileError(file, line, `genre flag ${g + 1} (${MOVIELENS_GENRES[g]}) is ${shown(v)}, expected 0 or 1`);
      flags.push(v === '1' ? 1 : 0);
    }
    ids.push(id);
  });
  if (ids.length === 0) throw new RatingsFileError(file, 0, 'holds no movie');
  return { ids, genreFlags: Uint8Array.from(flags) };
}

/**
 * u.data: one rating a line, tab-separated: user id | item id | rating | timestamp. User ids are positive
 * integers (row = id − 1, so there are max-id rows); item ids must be movies of u.item; ratings are whole
 * stars 1–5; a (user, movie) pair may appear once. Blank lines are skipped.
 */
export function parseUData(text: string, movieIndex: ReadonlyMap<number, number>, file = 'u.data'): { users: number; user: Uint32Array; movie: Uint32Array; rating: Float64Array } {
  const user: number[] = [], movie: number[] = [], rating: number[] = [];
  const pairs = new Map<number, number>();
  let users = 0;
  const M = movieIndex.size;
  lines(text).forEach((raw, k) => {
    if (raw.trim() === '') return;
    const line = k + 1;
    const f = raw.split('\t');
    if (f.length !== 4) throw new RatingsFileError(file, line, `has ${f.length} tab-separated fields, expected 4 (user id, item id, rating, timestamp)`);
    const [u, i, r, t] = f;
    if (!POSITIVE_INT.test(u)) throw new RatingsFileError(file, line, `the user id ${shown(u)} is not a positive integer`);
    if (!POSITIVE_INT.test(i)) throw new RatingsFileError(file, line, `the item id ${shown(i)} is not a positive integer`);
    if (!/^[1-5]$/.test(r)) throw new RatingsFileError(file, line, `the rating ${shown(r)} is not a whole number of stars from 1 to 5`);
    if (!/^[0-9]+$/.test(t)) throw new RatingsFileError(file, line, `the timestamp ${shown(t)} is not a non-negative integer`);
    const mi = movieIndex.get(Number(i));
    if (mi === undefined) throw new RatingsFileError(file, line, `item id ${i} is not a movie of u.item`);
    const ui = Number(u) - 1;
    if (ui >= 1 << 24) throw new RatingsFileError(file, line, `the user id ${u} is implausibly large (at most ${1 << 24})`);
    const key = ui * M + mi;
    const before = pairs.get(key);
    if (before !== undefined) throw new RatingsFileError(file, line, `user ${u} rated item ${i} already on line ${before}`);
    pairs.set(key, line);
    users = Math.max(users, ui + 1);
    user.push(ui);
    movie.push(mi);
    rating.push(Number(r));
  });
  if (user.length === 0) throw new RatingsFileError(file, 0, 'holds no rating');
  return { users, user: Uint32Array.from(user), movie: Uint32Array.from(movie), rating: Float64Array.from(rating) };
}

/** MovieLens-100k from the text of its two files (u.data, and u.item decoded as latin-1). Movies in u.item's order. */
export function parseMovieLens(uData: string, uItem: string): RatingsData {
  const item = parseUItem(uItem);
  const index = new Map(item.ids.map((id, k) => [id, k]));
  const d = parseUData(uData, index);
  return { users: d.users, movies: item.ids.length, genres: MOVIELENS_GENRES.length, genreFlags: item.genreFlags, user: d.user, movie: d.movie, rating: d.rating };
}

// ------------------------------------------------------------------------------------------ synthetic

/**
 * A synthetic genre-structured data set: rating(a, m) = mean + u_aᵀv_m (shared taste) + the movie's
 * genre-specific taste (1/√|G_m|)·Σ_{g∈G_m} w_{a,g}ᵀz_m + noise, rounded to whole stars and clipped to 1–5
 * (like u.data). Each movie has a primary genre drawn uniformly and every other genre with probability
 * `extraGenre`; each (user, movie) pair is rated with probability `density`.
 */
export interface SyntheticRatingsSpec {
  seed: number;
  users: number;
  movies: number;
  genres: number;
  /** rank of the shared taste (u_a, v_m) */
  sharedRank: number;
  /** rank of each genre's taste (w_{a,g}, z_m) */
  genreRank: number;
  /** probability that a (user, movie) pair is rated */
  density: number;
  /** standard deviations of the shared and genre-specific tastes and of the noise, in stars */
  sharedScale: number;
  genreScale: number;
  noise: number;
  /** probability of each genre besides the primary one */
  extraGenre: number;
  /** the mean rating */
  mean: number;
}

export const SYNTHETIC_DEFAULTS = {
  genres: 6, sharedRank: 3, genreRank: 2, density: 0.1, sharedScale: 0.7, genreScale: 0.7, noise: 0.3, extraGenre: 0.15, mean: 3.5,
} as const;

export function syntheticRatings(s: SyntheticRatingsSpec): RatingsData {
  const { users, movies, genres: G, sharedRank: r1, genreRank: r2 } = s;
  const gG = new Rng(childSeed(s.seed, 'ratings-genres'));
  const gT = new Rng(childSeed(s.seed, 'ratings-taste'));
  const gO = new Rng(childSeed(s.seed, 'ratings-observed'));
  const gE = new Rng(childSeed(s.seed, 'ratings-noise'));
  const flags = new Uint8Array(movies * G);
  for (let m = 0; m < movies; m++) {
    const primary = gG.int(G);
    for (let g = 0; g < G; g++) flags[m * G + g] = g === primary || gG.uniform() < s.extraGenre ? 1 : 0;
  }
  // u_aᵀv_m has variance sharedScale² (entries of u are N(0, sharedScale²/r₁), of v N(0, 1)); likewise the genre parts
  const U = gT.normals(users * r1, s.sharedScale / Math.sqrt(r1));
  const V = gT.normals(movies * r1);
  const W = gT.normals(G * users * r2, s.genreScale / Math.sqrt(r2));
  const Z = gT.normals(movies * r2);
  const user: number[] = [], movie: number[] = [], rating: number[] = [];
  for (let a = 0; a < users; a++) {
    for (let m = 0; m < movies; m++) {
      if (!(gO.uniform() < s.density)) continue;
      let x = s.mean;
      for (let k = 0; k < r1; k++) x += U[a * r1 + k] * V[m * r1 + k];
      let own = 0, count = 0;
      for (let g = 0; g < G; g++) {
        if (!flags[m * G + g]) continue;
        count++;
        for (let k = 0; k < r2; k++) own += W[(g * users + a) * r2 + k] * Z[m * r2 + k];
      }
      x += own / Math.sqrt(count) + s.noise * gE.normal();
      user.push(a);
      movie.push(m);
      rating.push(Math.min(5, Math.max(1, Math.round(x))));
    }
  }
  return { users, movies, genres: G, genreFlags: flags, user: Uint32Array.from(user), movie: Uint32Array.from(movie), rating: Float64Array.from(rating) };
}

// ------------------------------------------------------------------------------------------ K-means

/**
 * K-means of n points in ℝᵈ (row-major): one k-means++ start from `seed`, then Lloyd iterations until no
 * assignment changes (at most `maxIterations`). Ties go to the lower cluster index; an emptied cluster is
 * re-seeded at the point farthest from its centre. Labels are renumbered by first appearance (point 0 is in
 * cluster 0). Throws when there are fewer distinct points than k.
 */
export function kmeans(points: Float64Array, n: number, d: number, k: number, seed: number, maxIterations = 300): Int32Array {
  if (!(k >= 1 && k <= n)) throw new RangeError(`K-means: ${k} clusters of ${n} points`);
  const rng = new Rng(childSeed(seed, 'kmeans'));
  const C = new Float64Array(k * d);
  const dist2 = (p: number, c: number, centres: Float64Array) => {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const x = points[p * d + t] - centres[c * d + t];
      s += x * x;
    }
    return s;
  };
  // k-means++: the first centre uniformly, each next one with probability ∝ D(x)², D = distance to the nearest centre
  const D = new Float64Array(n).fill(Infinity);
  let first = rng.int(n);
  for (let c = 0; c < k; c++) {
    C.set(points.subarray(first * d, (first + 1) * d), c * d);
    let total = 0;
    for (let p = 0; p < n; p++) {
      D[p] = Math.min(D[p], dist2(p, c, C));
      total += D[p];
    }
    if (c === k - 1) break;
    if (!(total > 0)) throw new RangeError(`K-means: the points take only ${c + 1} distinct values, fewer than the ${k} clusters asked for`);
    const u = rng.uniform() * total;
    let acc = 0;
    first = -1;
    for (let p = 0; p < n; p++) {
      acc += D[p];
      if (D[p] > 0 && acc > u) {
        first = p;
        break;
      }
    }
    // (u within rounding of the total: the last point with D > 0)
    for (let p = n - 1; first < 0 && p >= 0; p--) if (D[p] > 0) first = p;
  }
  const label = new Int32Array(n).fill(-1);
  const count = new Int32Array(k);
  for (let it = 0; it < maxIterations; it++) {
    let changed = false;
    for (let p = 0; p < n; p++) {
      let best = 0, bd = dist2(p, 0, C);
      for (let c = 1; c < k; c++) {
        const x = dist2(p, c, C);
        if (x < bd) {
          bd = x;
          best = c;
        }
      }
      if (label[p] !== best) {
        label[p] = best;
        changed = true;
      }
    }
    if (!changed) break;
    C.fill(0);
    count.fill(0);
    for (let p = 0; p < n; p++) {
      count[label[p]]++;
      for (let t = 0; t < d; t++) C[label[p] * d + t] += points[p * d + t];
    }
    for (let c = 0; c < k; c++) {
      if (count[c] > 0) {
        for (let t = 0; t < d; t++) C[c * d + t] /= count[c];
        continue;
      }
      // an empty cluster: re-seed it at the point farthest from its own centre (its label changes next sweep)
      let far = 0, fd = -1;
      for (let p = 0; p < n; p++) {
        const x = dist2(p, label[p], C);
        if (x > fd) {
          fd = x;
          far = p;
        }
      }
      C.set(points.subarray(far * d, (far + 1) * d), c * d);
    }
  }
  // number the clusters by first appearance
  const rename = new Int32Array(k).fill(-1);
  let next = 0;
  const out = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    if (rename[label[p]] < 0) rename[label[p]] = next++;
    out[p] = rename[label[p]];
  }
  if (next < k) throw new RangeError(`K-means: only ${next} of the ${k} clusters hold a point`);
  return out;
}

/** Each movie's genre vector divided by its length (a movie with no genre keeps the zero vector). */
export function normalizedGenres(data: RatingsData): Float64Array {
  const { movies, genres: G, genreFlags } = data;
  const out = new Float64Array(movies * G);
  for (let m = 0; m < movies; m++) {
    let c = 0;
    for (let g = 0; g < G; g++) c += genreFlags[m * G + g];
    if (c === 0) continue;
    const s = 1 / Math.sqrt(c);
    for (let g = 0; g < G; g++) out[m * G + g] = genreFlags[m * G + g] * s;
  }
  return out;
}

// ------------------------------------------------------------------------------------------ sources

/** How the movies are grouped and the ratings split. */
export interface RatingsSplitSpec {
  /** number of K-means clusters = sources (10 in [H]) */
  clusters: number;
  /** fraction of each cluster's observed entries held out for testing (0.1 in [H]) */
  testFraction: number;
  /** seed of the K-means start and of the split */
  seed: number;
}

/** One genre cluster as a source: rows = users, columns = the cluster's movies. */
export interface RatingsSource {
  /** the cluster's movies (indices into the data's movies), ascending: column b is movie movies[b] */
  movies: Uint32Array;
  n2: number;
  /** users × n2, row-major: the rating where one is known (train or test), 0 elsewhere */
  values: Float64Array;
  /** 1 on the training entries (what a method may read) */
  train: Uint8Array;
  /** 1 on the held-out test entries (disjoint from train) */
  test: Uint8Array;
}

export interface RatingsSources {
  /** n₁: the number of users, the rows of every source */
  users: number;
  sources: RatingsSource[];
  /** the cluster of every movie */
  cluster: Int32Array;
}

/**
 * The sources of [H] §6.4 for a data set: K-means clusters of the normalised genre vectors, one source per
 * cluster, each cluster's observed entries split into train and test. Throws a RangeError (with what to
 * change) when a cluster ends up with no training entry.
 */
export function ratingsSources(data: RatingsData, spec: RatingsSplitSpec): RatingsSources {
  const { users, movies } = data;
  const cluster = kmeans(normalizedGenres(data), movies, data.genres, spec.clusters, spec.seed);
  const col = new Int32Array(movies);
  const members: number[][] = Array.from({ length: spec.clusters }, () => []);
  for (let m = 0; m < movies; m++) {
    col[m] = members[cluster[m]].length;
    members[cluster[m]].push(m);
  }
  const sources: RatingsSource[] = members.map((ms) => {
    const n2 = ms.length;
    return { movies: Uint32Array.from(ms), n2, values: new Float64Array(users * n2), train: new Uint8Array(users * n2), test: new Uint8Array(users * n2) };
  });
  for (let k = 0; k < data.rating.length; k++) {
    const s = sources[cluster[data.movie[k]]];
    const at = data.user[k] * s.n2 + col[data.movie[k]];
    s.values[at] = data.rating[k];
    s.train[at] = 1;
  }
  sources.forEach((s, i) => {
    // Ωᵢ in row-major order, then round(f·|Ωᵢ|) of them to the test set by a partial Fisher–Yates shuffle
    const omega: number[] = [];
    for (let q = 0; q < s.train.length; q++) if (s.train[q]) omega.push(q);
    const t = Math.round(spec.testFraction * omega.length);
    if (omega.length - t < 1) {
      throw new RangeError(`genre cluster ${i + 1} (${s.n2} movies) has ${omega.length} rating${omega.length === 1 ? '' : 's'} and none left for training; use fewer clusters or a smaller test fraction`);
    }
    const rng = new Rng(childSeed(spec.seed, `ratings-split-${i}`));
    for (let j = 0; j < t; j++) {
      const pick = j + rng.int(omega.length - j);
      const q = omega[pick];
      omega[pick] = omega[j];
      omega[j] = q;
      s.train[q] = 0;
      s.test[q] = 1;
    }
  });
  return { users, sources, cluster };
}

/** The sources for a synthetic spec (the HAE engineer's and the presets' entry point). */
export function syntheticRatingsSources(spec: SyntheticRatingsSpec, split: RatingsSplitSpec): RatingsSources {
  return ratingsSources(syntheticRatings(spec), split);
}

/** The sources for MovieLens-100k's two files (the text of u.data, and of u.item decoded as latin-1). */
export function movieLensSources(uData: string, uItem: string, split: RatingsSplitSpec): RatingsSources {
  return ratingsSources(parseMovieLens(uData, uItem), split);
}

/**
 * √(mean of (prediction − rating)²) over the entries a mask marks, for predictions given per source as a
 * function of (row, column): the test RMSE with the `test` masks, the train RMSE with `train`. NaN when no
 * entry is marked.
 */
export function ratingsRmse(r: RatingsSources, which: 'train' | 'test', predict: (source: number, row: number, col: number) => number): number {
  let s = 0, c = 0;
  r.sources.forEach((src, i) => {
    const mask = src[which];
    for (let a = 0; a < r.users; a++) {
      for (let b = 0; b < src.n2; b++) {
        if (!mask[a * src.n2 + b]) continue;
        const e = predict(i, a, b) - src.values[a * src.n2 + b];
        s += e * e;
        c++;
      }
    }
  });
  return c === 0 ? NaN : Math.sqrt(s / c);
}

/**
 * Given ratings as `problem.ratings.given` stores them (src/core/problems/ratings-schema.ts): rows of
 * (user id, movie id, rating) with ids from 1 (movie id k = the k-th movie), and the genre flags.
 */
export function ratingsTensors(d: RatingsData): { ratings: { shape: [number, 3]; data: number[] }; genres: { shape: [number, number]; data: number[] } } {
  const data: number[] = [];
  for (let k = 0; k < d.rating.length; k++) data.push(d.user[k] + 1, d.movie[k] + 1, d.rating[k]);
  return { ratings: { shape: [d.rating.length, 3], data }, genres: { shape: [d.movies, d.genres], data: Array.from(d.genreFlags) } };
}
