/**
 * Matrix completion (SPEC §6.1, [G]): a planted or given M observed on a Bernoulli(pObs) mask or a given
 * one, with the incoherence term Q of (6.2). Or rating prediction ([H] §6.4, `ratings`): the genre
 * clusters' ratings side by side (users × all movies), Ω = their training entries, the test entries held
 * out for the test RMSE — the pooled "matrix completion" HMF is compared with in Table 4 of [H].
 */
import * as z from 'zod';
import { type CheckContext, type Fail, GenerateFactorization, TensorSchema, finite, int, lambdaField, shapeText, unitOpen } from '../document';
import { B, UNIFORM, sigma1, svd } from '../cost-model';
import { fromArray } from '../linalg';
import { type CompletionProblem, completionProblem } from '../measured';
import { plantedY } from '../problem';
import {
  balancingFlops, checkFactorProblem, measuredExplain, describeFactor, describeFactorSizes, factorDataSubject, factorIterate, factorLink, factorSizes, factorMeasure, factorObjective, factorStart, factorTensors, splitFields, splitFor } from './factor-family';
import { defineKind } from './kind';
import { type LinkDoc, field } from './link';
import { RatingsSchema, checkRatings } from './ratings-schema';
import { ratingsPooled } from '../ratings-build';

export const CompletionSchema = z.strictObject({
  kind: z.literal('completion'),
  rank: int('rank', 1),
  lambda: lambdaField.optional(),
  /** sampling probability p (the 1/(2p) weight); with an explicit mask it defaults to the observed fraction */
  pObs: unitOpen('pObs', '(').optional(),
  generate: GenerateFactorization.optional(),
  M: TensorSchema.optional(),
  /** Ω as 0/1 entries, [n, m] */
  mask: TensorSchema.optional(),
  /** seed of the Bernoulli mask (default: the problem seed, or 0) */
  maskSeed: int('maskSeed', 0, Number.MAX_SAFE_INTEGER).optional(),
  /** the incoherence term Q of (6.2), as multipliers of SPEC §6.1's α and λ defaults */
  incoherence: z.strictObject({
    alpha: finite.pipe(z.number().positive('alpha must be > 0')).default(1),
    weight: finite.pipe(z.number().nonnegative('weight must be ≥ 0')).default(1),
  }).optional(),
  partition: z.array(int('every block size', 1)).min(1).optional(),
  /** rating prediction ([H] §6.4): the ratings of problem.ratings side by side, a test set held out */
  ratings: RatingsSchema.optional(),
});

export const completion = defineKind<typeof CompletionSchema, CompletionProblem>({
  kind: 'completion',
  label: 'completion',
  title: 'matrix completion',
  help: 'Recover M⋆ from a random subset of its entries: (1/2p)‖UVᵀ − M‖²_Ω (SPEC §6.1).',
  dataName: 'M',
  lhat: '3σ₁(P_Ω(M)/p)',
  schema: CompletionSchema,
  algorithms: ['dgd-local', 'gd'],
  usesNetwork: true,
  gpuFamily: 'measured',
  defaults: { kind: 'completion', rank: 3, pObs: 0.3, generate: { seed: 3, n: 60, m: 100 } },
  link: [
    ...factorLink('M'),
    field('pobs', 'num', 'problem', 'pObs'),
    field('mseed', 'int', 'problem', 'maskSeed'),
    { key: 'q', kind: 'bool', get: (doc) => !!incoherence(doc), set: (doc, v) => {
      const p = doc.problem as { incoherence?: object };
      if (v) p.incoherence ??= { alpha: 1, weight: 1 };
      else delete p.incoherence;
    } },
    // Q's multipliers: written only when Q is on (reading them would switch it on); writing one switches it on
    ...(['alpha', 'weight'] as const).map((k) => ({
      key: k === 'alpha' ? 'qa' : 'qw', kind: 'num' as const, skip: (doc: LinkDoc) => !incoherence(doc),
      get: (doc: LinkDoc) => incoherence(doc)?.[k],
      set: (doc: LinkDoc, v: unknown) => {
        const p = doc.problem as { incoherence?: Record<string, unknown> };
        (p.incoherence ??= { alpha: 1, weight: 1 })[k] = v;
      },
    })),
  ],
  // a planted truth: the recovery error; given data: the gap (src/core/sweep.ts TrialTracker)
  success: (q) => (q.generate ? ['recovery error', '‖X⋆‖²'] : ['optimality gap', '1']),
  explain: measuredExplain('Gⱼ = P_Ω(UʲVⱼᵀ − Mⱼ)/p: the residual on the node’s observed entries only (plus the gradient of Q when it is on).'),
  budget: {
    sizes(p, s) {
      factorSizes(p, p.ratings ? { shape: ratingsShape(p.ratings) } : p.M, s);
      s.incoherence = !!p.incoherence;
      s.maskGiven = !!p.mask || !!p.ratings;
    },
    data: (s) => factorDataSubject(s, 'M'),
    written: (s) => (s.source === 'given' ? s.n * s.m * (s.maskGiven ? 2 : 1) : 0),
    materialized: (s) => 2 * s.n * s.m,
    iterate: factorIterate,
    describe: describeFactorSizes,
    cost(l, { nodes, maxBlock }) {
      const s = l.s, { n, m, r } = s, nm = n * m;
      if (s.source === 'given') l.hold('M', nm * B, 'data');
      else {
        l.planted('X⋆ (the truth)', false);
        l.planted('M', s.noise);
      }
      l.hold(s.maskGiven ? 'the mask Ω' : 'the mask Ω (Bernoulli draws)', nm, 'data');
      if (!s.maskGiven) l.work('drawing the mask Ω', UNIFORM * nm, 'data');
      l.hold('P_Ω(M)', nm * B, 'data');
      const sv = s.incoherence ? svd(n, m) : sigma1(n, m);
      const what = s.incoherence ? 'the SVD of P_Ω(M)/p (σ₁, κ, ν of the incoherence term)' : 'σ₁(P_Ω(M)/p)';
      l.temp(`P_Ω(M)/p and ${what}`, nm * B + sv.bytes, 'data');
      l.work(what, sv.flops, 'data');
      l.hold('the objective’s buffers (2 n·mⱼ)', 2 * n * maxBlock * B, 'data', 'engine');
      l.hold('the products’ scratch in the CPU engine’s kernel memory (from the first step)', (2 * n * maxBlock + 4 * Math.max(n, maxBlock) * s.r) * B + 65536, 'iterate', 'engine', true);
      return { gradient: 6 * nm * r + 4 * nm + balancingFlops(s, nodes), record: 14 * nm * r + 4 * nm };
    },
  },
  check(p, ctx, fail) {
    if (p.ratings) return checkRatingsCompletion(p, ctx, fail);
    checkFactorProblem({
      problem: p,
      data: { key: 'M', tensor: p.M },
      sizes(n, m, fail) {
        const stop = (path: (string | number)[], message: string) => (fail(path, message), true);
        if (p.mask) {
          if (!p.M) return stop(['problem', 'mask'], 'a mask goes with given data "M"; a planted problem draws its mask from pObs');
          if (p.mask.shape.length !== 2 || p.mask.shape[0] !== n || p.mask.shape[1] !== m) return stop(['problem', 'mask', 'shape'], `must be [${n}, ${m}] like M, got ${shapeText(p.mask.shape)}`);
          const bad = p.mask.data.findIndex((v) => v !== 0 && v !== 1);
          if (bad >= 0) return stop(['problem', 'mask', 'data', bad], `is ${p.mask.data[bad]}; mask entries must be 0 (missing) or 1 (observed)`);
          if (!p.mask.data.some((v) => v === 1)) return stop(['problem', 'mask'], 'observes no entry at all');
        } else if (p.pObs === undefined) {
          return stop(['problem', 'pObs'], 'give the sampling probability pObs in (0, 1] (or an explicit mask)');
        }
        return false;
      },
    }, ctx, fail);
  },
  build(p, doc) {
    if (p.ratings) {
      // Ω = the training ratings; p = |Ω|/(nm), so (1/2p)‖P_Ω(·)‖² weighs the fit as for a Bernoulli mask
      const r = ratingsPooled(p.ratings);
      const observed = r.mask.reduce((a, b) => a + b, 0);
      return {
        ...completionProblem({
          n: r.n, m: r.m, r: p.rank, partition: splitFor(p, doc, r.m), lambda: p.lambda ?? 0, M: fromArray(r.n, r.m, r.M), truth: null,
          mask: r.mask, pObs: observed / r.mask.length, maskSeed: 0, incoherence: p.incoherence ?? null,
        }),
        heldOut: r.test,
      };
    }
    const truth = p.generate ? plantedY({ ...p.generate, noise: 0, trueRank: p.generate.trueRank ?? p.rank }) : null;
    const M = p.M ? fromArray(p.M.shape[0], p.M.shape[1], p.M.data) : plantedY({ ...p.generate!, trueRank: p.generate!.trueRank ?? p.rank });
    const mask = p.mask ? Uint8Array.from(p.mask.data) : null;
    const observed = mask ? mask.reduce((a, b) => a + b, 0) / mask.length : 0;
    return (completionProblem({
      n: M.rows, m: M.cols, r: p.rank, partition: splitFor(p, doc, M.cols), lambda: p.lambda ?? 0, M, truth, mask,
      pObs: p.pObs ?? observed, maskSeed: p.maskSeed ?? p.generate?.seed ?? 0, incoherence: p.incoherence ?? null,
    }));
  },
  objective: (p: CompletionProblem, alg) => factorObjective(p, alg),
  lipschitz: (p) => ({ value: 3 * p.sigma1, formula: '3σ₁(P_Ω(M)/p)', source: 'SPEC §3.4, §6.1' }),
  describe: describeFactor,
  // rating prediction keeps problem.ratings: the held-out entries live there
  materialize: (q, p, alg) => (q.ratings ? { ...q, ...splitFields(p, alg) } : {
    ...q, generate: undefined, maskSeed: undefined, pObs: p.pObs,
    M: { shape: [p.n, p.m], data: Array.from(p.M.data, (v, i) => (p.mask[i] ? v : 0)) },
    mask: { shape: [p.n, p.m], data: Array.from(p.mask) }, ...splitFields(p, alg),
  }),
  data: (p) => ({ name: 'M', arrays: [p.Y.data] }),
  scale: (p) => ({ sigma1: p.sigma1, n: p.n, lambda: p.lambda }),
  start: factorStart,
  tensors: factorTensors,
  measure: factorMeasure,
});

/** [users, movies] of problem.ratings (users: the largest user id of given ratings). */
function ratingsShape(r: NonNullable<z.infer<typeof CompletionSchema>['ratings']>): [number, number] {
  if (r.synthetic) return [r.synthetic.users, r.synthetic.movies];
  const g = r.given!;
  let users = 1;
  for (let k = 0; k < g.ratings.data.length; k += 3) users = Math.max(users, g.ratings.data[k]);
  return [users, g.genres.shape[0]];
}

/** Completion on problem.ratings: the ratings define M and Ω, so the other data fields are refused. */
function checkRatingsCompletion(p: z.infer<typeof CompletionSchema>, ctx: CheckContext, fail: Fail): void {
  for (const k of ['M', 'generate', 'mask', 'pObs', 'maskSeed'] as const) {
    if (p[k] !== undefined) return fail(['problem', k], 'leave it out: with "ratings" the matrix is the ratings side by side, Ω their training entries and p = |Ω|/(nm)');
  }
  const users = checkRatings(p.ratings!, ['problem', 'ratings'], fail);
  if (users === null) return;
  const movies = p.ratings!.synthetic ? p.ratings!.synthetic.movies : p.ratings!.given!.genres.shape[0];
  checkFactorProblem({ problem: p, data: { key: 'ratings', tensor: { shape: [users, movies], data: [] } } }, ctx, fail);
}

const incoherence = (doc: LinkDoc) => (doc.problem as { incoherence?: Record<string, unknown> }).incoherence;
