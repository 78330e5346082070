// Rating prediction's data (SPEC §7.10, [H] §6.4; src/core/ratings.ts): the MovieLens-100k loader on
// hand-written files in GroupLens's format (test/fixtures/movielens), its errors for malformed lines, the
// synthetic genre-structured generator, K-means on normalised genre vectors, the 90/10 split and the RMSE.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MOVIELENS_GENRES, RatingsFileError, kmeans, movieLensSources, normalizedGenres, parseMovieLens, parseUData, parseUItem, ratingsRmse,
  ratingsSources, SYNTHETIC_DEFAULTS, syntheticRatings, syntheticRatingsSources,
} from '../../src/core/ratings';

const dir = new URL('../fixtures/movielens/', import.meta.url);
const uData = readFileSync(new URL('u.data', dir), 'latin1');
const uItem = readFileSync(new URL('u.item', dir), 'latin1');
const flagsOf = (flags: Uint8Array, m: number) => MOVIELENS_GENRES.filter((_, g) => flags[m * 19 + g]);

describe('the MovieLens-100k loader (u.data, u.item as GroupLens distributes them)', () => {
  it('reads the fixture: 4 users, 6 movies, 9 ratings, the genre flags of each movie', () => {
    const d = parseMovieLens(uData, uItem);
    expect([d.users, d.movies, d.genres, d.rating.length]).toEqual([4, 6, 19, 9]);
    expect(flagsOf(d.genreFlags, 0)).toEqual(['Animation', "Children's", 'Comedy']);
    expect(flagsOf(d.genreFlags, 1)).toEqual(['Action', 'Adventure', 'Thriller']);
    expect(flagsOf(d.genreFlags, 3)).toEqual(['Action', 'Comedy', 'Drama']);
    expect(flagsOf(d.genreFlags, 4)).toEqual(['Comedy']); // the latin-1 title (Café) does not disturb the fields
    // line 2 of u.data: user 1 rated item 2 with 3 stars → user index 0, movie index 1
    expect([d.user[1], d.movie[1], d.rating[1]]).toEqual([0, 1, 3]);
    expect([d.user[6], d.movie[6], d.rating[6]]).toEqual([3, 5, 5]);
  });

  it('maps item ids through u.item, whatever their order there', () => {
    const item = parseUItem('7|B||||' + '0|'.repeat(18) + '1\n3|A||||1' + '|0'.repeat(18) + '\n');
    expect(item.ids).toEqual([7, 3]);
    const d = parseUData('2\t3\t4\t0\n1\t7\t5\t0\n', new Map(item.ids.map((id, k) => [id, k])));
    expect(Array.from(d.movie)).toEqual([1, 0]);
    expect(Array.from(d.user)).toEqual([1, 0]);
    expect(d.users).toBe(2);
  });

  const itemLine = (id: string, flags = '0|'.repeat(18) + '1') => `${id}|T (1995)|01-Jan-1995||http://x|${flags}`;
  it.each([
    ['u.item', `${itemLine('1')}\n1|T|d||url|0|1`, 'u.item, line 2: has 7 \'|\'-separated fields, expected 24'],
    ['u.item', itemLine('x1'), 'u.item, line 1: the movie id "x1" is not a positive integer'],
    ['u.item', `${itemLine('1')}\n\n${itemLine('1')}`, 'u.item, line 3: movie id 1 was already given on line 1'],
    ['u.item', itemLine('2', '0|'.repeat(17) + '2|0'), 'u.item, line 1: genre flag 18 (War) is "2", expected 0 or 1'],
    ['u.item', '\n\n', 'u.item: holds no movie'],
  ])('refuses a malformed %s line with its line number: %s', (_file, text, message) => {
    expect(() => parseUItem(text)).toThrow(RatingsFileError);
    expect(() => parseUItem(text)).toThrow(message);
  });

  it.each([
    ['1 1 5 874965758', 'u.data, line 1: has 1 tab-separated fields, expected 4'],
    ['1\t1\t5', 'u.data, line 1: has 3 tab-separated fields, expected 4'],
    ['0\t1\t5\t1', 'u.data, line 1: the user id "0" is not a positive integer'],
    ['1\t-1\t5\t1', 'u.data, line 1: the item id "-1" is not a positive integer'],
    ['1\t1\t6\t1', 'u.data, line 1: the rating "6" is not a whole number of stars from 1 to 5'],
    ['1\t1\t4.5\t1', 'u.data, line 1: the rating "4.5" is not a whole number'],
    ['1\t1\t4\tyesterday', 'u.data, line 1: the timestamp "yesterday" is not a non-negative integer'],
    ['1\t1\t4\t1\n1\t9\t4\t1', 'u.data, line 2: item id 9 is not a movie of u.item'],
    ['1\t1\t4\t1\n2\t1\t4\t1\n1\t1\t3\t2', 'u.data, line 3: user 1 rated item 1 already on line 1'],
    ['', 'u.data: holds no rating'],
  ])('refuses the u.data text %j: %s', (text, message) => {
    expect(() => parseUData(text, new Map([[1, 0], [2, 1]]))).toThrow(message);
  });
});

describe('K-means on normalised multi-hot genre vectors', () => {
  it('normalises each genre vector to unit length', () => {
    const d = parseMovieLens(uData, uItem);
    const g = normalizedGenres(d);
    expect(g[0 * 19 + 3]).toBeCloseTo(1 / Math.sqrt(3), 15);
    expect(g[4 * 19 + 5]).toBe(1);
    for (let m = 0; m < 6; m++) {
      let s = 0;
      for (let k = 0; k < 19; k++) s += g[m * 19 + k] ** 2;
      expect(s).toBeCloseTo(1, 14);
    }
  });

  it('finds three well-separated groups, numbered by first appearance, the same for every seed', () => {
    // 3 groups of 4 points around (0, 0), (10, 0), (0, 10), listed interleaved
    const centres = [[10, 0], [0, 0], [0, 10]];
    const pts: number[] = [];
    for (let k = 0; k < 12; k++) pts.push(centres[k % 3][0] + 0.1 * (k % 4), centres[k % 3][1] - 0.1 * (k % 2));
    for (const seed of [0, 1, 2, 3, 99]) {
      expect(Array.from(kmeans(Float64Array.from(pts), 12, 2, 3, seed))).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    }
  });

  it('is deterministic for a seed, and refuses more clusters than distinct points', () => {
    const d = syntheticRatings({ ...SYNTHETIC_DEFAULTS, seed: 3, users: 5, movies: 80 });
    const g = normalizedGenres(d);
    expect(Array.from(kmeans(g, 80, 6, 5, 7))).toEqual(Array.from(kmeans(g, 80, 6, 5, 7)));
    const dup = Float64Array.from([1, 0, 1, 0, 0, 1, 0, 1]);
    expect(() => kmeans(dup, 4, 2, 3, 0)).toThrow('the points take only 2 distinct values, fewer than the 3 clusters asked for');
  });

  it('puts movies with the same genres in the same cluster when there are as many clusters as genre combinations', () => {
    // the fixture has 6 different genre vectors: 6 clusters give one movie each, 1 cluster all of them
    const d = parseMovieLens(uData, uItem);
    const g = normalizedGenres(d);
    expect(Array.from(kmeans(g, 6, 19, 6, 1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(kmeans(g, 6, 19, 1, 1))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('the sources and the train/test split', () => {
  const spec = { ...SYNTHETIC_DEFAULTS, seed: 5, users: 40, movies: 60 };
  const split = { clusters: 4, testFraction: 0.1, seed: 2 };

  it('lays every rating in its cluster\'s source, and splits each cluster\'s ratings 90/10 exactly', () => {
    const d = syntheticRatings(spec);
    const r = ratingsSources(d, split);
    expect(r.users).toBe(40);
    expect(r.sources.reduce((a, s) => a + s.n2, 0)).toBe(60);
    let total = 0;
    r.sources.forEach((s, i) => {
      // the columns are the cluster's movies, ascending
      for (let b = 1; b < s.n2; b++) expect(s.movies[b]).toBeGreaterThan(s.movies[b - 1]);
      for (const m of s.movies) expect(r.cluster[m]).toBe(i);
      let train = 0, test = 0;
      for (let q = 0; q < s.values.length; q++) {
        expect(s.train[q] & s.test[q]).toBe(0);
        if (s.train[q]) train++;
        if (s.test[q]) test++;
        if (!s.train[q] && !s.test[q]) expect(s.values[q]).toBe(0);
      }
      expect(test).toBe(Math.round(0.1 * (train + test)));
      total += train + test;
    });
    expect(total).toBe(d.rating.length);
    for (let k = 0; k < d.rating.length; k++) {
      const s = r.sources[r.cluster[d.movie[k]]];
      const b = s.movies.indexOf(d.movie[k]);
      const q = d.user[k] * s.n2 + b;
      expect(s.values[q]).toBe(d.rating[k]);
      expect(s.train[q] + s.test[q]).toBe(1);
    }
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const a = syntheticRatingsSources(spec, split), b = syntheticRatingsSources(spec, split);
    const c = syntheticRatingsSources(spec, { ...split, seed: 3 });
    expect(a.sources.map((s) => Array.from(s.test))).toEqual(b.sources.map((s) => Array.from(s.test)));
    const same = (x: typeof a, y: typeof a) => x.sources.length === y.sources.length && x.sources.every((s, i) => s.n2 === y.sources[i].n2 && s.test.every((v, q) => v === y.sources[i].test[q]));
    expect(same(a, c)).toBe(false);
  });

  it('refuses a cluster with no rating left for training', () => {
    // the fixture with 6 clusters: movie 6 (Drama only) has one rating, which a test fraction of 0.5 takes
    expect(() => movieLensSources(uData, uItem, { clusters: 6, testFraction: 0.5, seed: 1 })).toThrow(/genre cluster \d \(1 movies\) has 1 rating and none left for training/);
  });

  it('splits the fixture: 6 clusters of one movie; Ω of movie 1 (3 ratings) keeps 3, 10 % of 3 rounds to 0', () => {
    const r = movieLensSources(uData, uItem, { clusters: 6, testFraction: 0.1, seed: 1 });
    expect(r.sources.map((s) => s.n2)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(r.sources[0].values)).toEqual([5, 4, 0, 4]);
    expect(Array.from(r.sources[0].train)).toEqual([1, 1, 0, 1]);
  });
});

describe('the synthetic genre-structured ratings', () => {
  it('draws whole stars 1–5 for about density·users·movies pairs, every movie with a genre, the same for a seed', () => {
    const s = { ...SYNTHETIC_DEFAULTS, seed: 11, users: 100, movies: 120 };
    const d = syntheticRatings(s);
    expect(d.rating.every((x) => Number.isInteger(x) && x >= 1 && x <= 5)).toBe(true);
    const expected = s.density * 100 * 120;
    expect(Math.abs(d.rating.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
    for (let m = 0; m < 120; m++) expect(d.genreFlags.subarray(m * 6, m * 6 + 6).some((x) => x === 1)).toBe(true);
    const mean = d.rating.reduce((a, x) => a + x, 0) / d.rating.length;
    expect(Math.abs(mean - 3.5)).toBeLessThan(0.15);
    expect(syntheticRatings(s).rating).toEqual(d.rating);
    expect(syntheticRatings({ ...s, seed: 12 }).rating).not.toEqual(d.rating);
  });

  it('carries genre-specific taste: a user\'s ratings agree more within a genre than across genres', () => {
    // no shared taste and no noise: two movies of the same single genre share w_{a,g}, of different genres not
    const d = syntheticRatings({ ...SYNTHETIC_DEFAULTS, seed: 4, users: 300, movies: 40, density: 1, sharedScale: 0, noise: 0, extraGenre: 0, genres: 2 });
    const byGenre = [0, 1].map((g) => Array.from({ length: 40 }, (_, m) => m).filter((m) => d.genreFlags[m * 2 + g]));
    const corr = (m1: number, m2: number) => {
      let sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
      for (let a = 0; a < 300; a++) {
        const x = d.rating[a * 40 + m1], y = d.rating[a * 40 + m2];
        sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
      }
      const n = 300;
      return (sxy - (sx * sy) / n) / Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
    };
    let within = 0, across = 0, nw = 0, na = 0;
    for (const a of byGenre[0]) {
      for (const b of byGenre[0]) if (a < b) { within += Math.abs(corr(a, b)); nw++; }
      for (const b of byGenre[1]) { across += Math.abs(corr(a, b)); na++; }
    }
    expect(within / nw).toBeGreaterThan(0.3);
    expect(across / na).toBeLessThan(0.1);
  });
});

describe('ratingsRmse', () => {
  it('is √(mean squared error) over the marked entries only', () => {
    const r = movieLensSources(uData, uItem, { clusters: 1, testFraction: 0, seed: 1 });
    // every rating is a training entry; predicting 3 everywhere: errors 2, 0, 1, −1, −2, 1, 2, 0, 1
    expect(ratingsRmse(r, 'train', () => 3)).toBeCloseTo(Math.sqrt(16 / 9), 15);
    expect(ratingsRmse(r, 'test', () => 3)).toBeNaN();
  });
});
