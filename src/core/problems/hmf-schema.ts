/** The `problem` section of an HMF document (SPEC §7): a planted model, given sources, the video demo, or stock prices (a model market or given prices). */
import * as z from 'zod';
import { TensorSchema, finite, int } from '../document';
import { RatingsSchema } from './ratings-schema';

const GenerateHmf = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  /** number of sources */
  N: int('N', 1, 4096),
  n1: int('n1', 1, 1 << 14),
  n2: int('n2', 1, 1 << 14),
  noise: finite.pipe(z.number().nonnegative('noise must be ≥ 0')).default(0),
  /** fraction of each Mᵢ's entries removed uniformly at random (SPEC §7.8) */
  missing: finite.pipe(z.number().min(0, 'missing must be in [0, 1)').lt(1, 'missing must be in [0, 1)')).default(0),
  /** "orthogonal": the authors' code (columns of a random orthogonal Q); "gaussian": the paper's (SPEC §7.7) */
  factors: z.enum(['orthogonal', 'gaussian']).default('orthogonal'),
});

const HmfSourceSchema = z.strictObject({
  /** Mᵢ, [n₁, n₂,ᵢ] */
  M: TensorSchema,
  /** 1 = observed, 0 = missing, same shape as M */
  mask: TensorSchema.optional(),
  /** the true shared and unique parts, when known (for the errors (7.6)) */
  shared: TensorSchema.optional(),
  unique: TensorSchema.optional(),
});

/** The video demo of SPEC §7.9: a procedural clip, or the user's frames `data` [F, H, W] in [0, 1]. */
const HmfVideo = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).default(0),
  frames: int('frames', 2, 240).default(48),
  height: int('height', 7, 2048).default(112),
  width: int('width', 7, 2048).default(154),
  blobs: int('blobs', 1, 8).default(3),
  missing: finite.pipe(z.number().min(0, 'missing must be in [0, 1)').lt(1, 'missing must be in [0, 1)')).default(0.4),
  data: TensorSchema.optional(),
});

/**
 * The stock case study of [H] §6.3 on a model market (SPEC §7.10, src/core/stocks-model.ts): daily returns
 * of `stocks` stocks over `days` days from a market factor, `sectors` sector factors and noise, with
 * `events` planted runs of `eventDays` days on which a share `eventShare` of the stocks moves together by
 * `eventSize`·σ_ε along a direction in neither factor; windows of `window` days are the sources.
 */
const HmfStocks = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER).default(0),
  stocks: int('stocks', 2, 4096).default(200),
  days: int('days', 4, 100_000).default(1500),
  window: int('window', 2, 1000).default(30),
  sectors: int('sectors', 1, 64).default(4),
  events: int('events', 0, 10_000).default(4),
  eventDays: int('eventDays', 1, 1000).default(3),
  eventShare: finite.pipe(z.number().gt(0, 'eventShare must be in (0, 1]').max(1, 'eventShare must be in (0, 1]')).default(0.6),
  eventSize: finite.pipe(z.number().nonnegative('eventSize must be ≥ 0 (0: no events)')).default(3),
  /** each stock's returns to mean 0 and standard deviation 1 (src/core/stocks.ts) */
  standardize: z.boolean({ error: 'standardize must be true or false' }).default(true),
});

/**
 * Daily prices a user brings (src/core/price-csv.ts reads a CSV into this): `data` [dates, tickers], with a
 * `mask` (1 = observed) where prices are missing, and optionally a market index drawn underneath.
 */
const HmfPrices = z.strictObject({
  tickers: z.array(z.string({ error: 'every ticker must be a string' }).min(1, 'a ticker must not be empty')).min(1, 'tickers must list at least one ticker'),
  /** one per row of data, ascending (ISO dates sort as strings) */
  dates: z.array(z.string({ error: 'every date must be a string' })).optional(),
  data: TensorSchema,
  mask: TensorSchema.optional(),
  index: z.strictObject({
    name: z.string({ error: 'the index needs a name' }).min(1, 'the index needs a name'),
    prices: z.array(finite),
  }).optional(),
  window: int('window', 2, 1000).default(30),
  standardize: z.boolean({ error: 'standardize must be true or false' }).default(true),
});

/** Heterogeneous matrix factorization (SPEC §7): N sources sharing U_g, each with its own U_{i,l}. */
export const HmfSchema = z.strictObject({
  kind: z.literal('hmf'),
  /** r₁, the rank of the shared factor U_g */
  sharedRank: int('sharedRank', 1, 256),
  /** r₂, the rank of every unique factor U_{i,l} */
  uniqueRank: int('uniqueRank', 1, 256),
  generate: GenerateHmf.optional(),
  sources: z.array(HmfSourceSchema).min(1, 'sources must list at least one source').optional(),
  /** rating prediction ([H] §6.4): one source per genre cluster, a test set held out (src/core/ratings.ts) */
  ratings: RatingsSchema.optional(),
  video: HmfVideo.optional(),
  stocks: HmfStocks.optional(),
  prices: HmfPrices.optional(),
});
export type HmfProblemConfig = z.infer<typeof HmfSchema>;
