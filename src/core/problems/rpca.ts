/**
 * Robust PCA (SPEC §6.2, [G]): Mₒ = M⋆ + S⋆, planted or given; S estimated by the row/column top-k
 * projection.
 */
import * as z from 'zod';
import { PlantedMeasured, TensorSchema, finite, int, lambdaField, unitOpen } from '../document';
import { B, UNIFORM, log2, sigma1, svd } from '../cost-model';
import { fromArray } from '../linalg';
import { type RpcaProblem, plantedRpca, rpcaProblem, sparseBound } from '../measured';
import {
  balancingFlops, checkFactorProblem, measuredExplain, describeFactor, describeFactorSizes, factorDataSubject, factorIterate, factorLink, factorSizes, factorMeasure, factorObjective, factorStart, factorTensors, splitFields, splitFor } from './factor-family';
import { defineKind } from './kind';
import { field } from './link';

export const RpcaSchema = z.strictObject({
  kind: z.literal('rpca'),
  rank: int('rank', 1),
  lambda: lambdaField.optional(),
  generate: PlantedMeasured.extend({
    /** α: fraction of corrupted entries per row and column */
    corruption: unitOpen('corruption', '['),
    values: z.enum(['sign', 'uniform']).default('sign'),
  }).optional(),
  M: TensorSchema.optional(),
  /** the density α the projection assumes (default: generate.corruption) */
  alpha: unitOpen('alpha', '[').optional(),
  /** slack γ ≥ 1 on the density: budgets ⌈γα·cols⌉ per row, ⌈γα·rows⌉ per column */
  gamma: finite.pipe(z.number().min(1, 'gamma must be ≥ 1')).default(2),
  /** entry bound b of the sparse set (default 2νrσ₁/√(nm) from the data, SPEC §6.2) */
  bound: finite.pipe(z.number().positive('bound must be > 0')).optional(),
  partition: z.array(int('every block size', 1)).min(1).optional(),
});

export const rpca = defineKind<typeof RpcaSchema, RpcaProblem>({
  kind: 'rpca',
  label: 'robust PCA',
  title: 'robust PCA',
  help: 'Separate a low-rank M⋆ from sparse corruption S⋆: S is re-estimated every step by a row/column top-k projection (SPEC §6.2).',
  dataName: 'M',
  lhat: '3σ₁(Mₒ)',
  schema: RpcaSchema,
  algorithms: ['dgd-local', 'gd'],
  usesNetwork: true,
  gpuFamily: 'measured',
  defaults: { kind: 'rpca', rank: 3, gamma: 2, generate: { seed: 3, n: 60, m: 100, corruption: 0.05 } },
  link: [
    ...factorLink('M', false),
    field('corr', 'num', 'problem', 'generate.corruption'),
    field('svals', { enum: ['sign', 'uniform'] }, 'problem', 'generate.values'),
    field('gamma', 'num', 'problem', 'gamma'),
    field('alpha', 'num', 'problem', 'alpha'),
  ],
  // a planted truth: the recovery error; given data: the gap (src/core/sweep.ts TrialTracker)
  success: (q) => (q.generate ? ['recovery error', '‖X⋆‖²'] : ['optimality gap', '1']),
  explain: measuredExplain('Gⱼ = UʲVⱼᵀ + Sⱼ − Mⱼ with Sⱼ re-estimated every step: the residual’s entries that are largest in both their row and their column, clipped to ±b.'),
  budget: {
    sizes(p, s) {
      factorSizes(p, p.M, s);
      s.boundGiven = p.bound !== undefined;
    },
    data: (s) => factorDataSubject(s, 'M'),
    written: (s) => (s.source === 'given' ? s.n * s.m : 0),
    materialized: (s) => s.n * s.m,
    iterate: factorIterate,
    describe: describeFactorSizes,
    cost(l, { nodes, maxBlock }) {
      const s = l.s, { n, m, r } = s, nm = n * m;
      if (s.source === 'given') {
        l.hold('Mₒ', nm * B, 'data');
        if (!s.boundGiven) {
          const sv = svd(n, m);
          l.temp('the SVD of Mₒ for the bound b', sv.bytes, 'data');
          l.work('the SVD of Mₒ for the bound b', sv.flops, 'data');
        }
      } else {
        l.planted('M⋆ (the truth)', false);
        l.hold('S⋆ and Mₒ = M⋆ + S⋆', 2 * nm * B, 'data');
        const sv = svd(n, m);
        l.temp('the SVD of M⋆ for the bound b', sv.bytes + m * B, 'data');
        l.work('the SVD of M⋆ for the bound b', sv.flops + 2 * UNIFORM * nm, 'data');
      }
      const s1 = sigma1(n, m);
      l.temp('σ₁(Mₒ)', s1.bytes, 'data');
      l.work('σ₁(Mₒ)', s1.flops, 'data');
      l.hold('the objective’s buffers (4 n·mⱼ)', 4 * n * maxBlock * B, 'data', 'engine');
      l.hold('the products’ scratch in the CPU engine’s kernel memory (from the first step)', (2 * n * maxBlock + 4 * Math.max(n, maxBlock) * s.r) * B + 65536, 'iterate', 'engine', true);
      l.temp('the sparse estimates of a record', nm * B, 'data');
      const sort = 3 * nm * (log2(n) + log2(maxBlock));
      return { gradient: 6 * nm * r + 8 * nm + sort + balancingFlops(s, nodes), record: 16 * nm * r + sort };
    },
  },
  check(p, ctx, fail) {
    checkFactorProblem({
      problem: p,
      data: { key: 'M', tensor: p.M },
      sizes(_n, _m, fail) {
        if (p.M && p.alpha === undefined) {
          fail(['problem', 'alpha'], 'given data needs the corruption density alpha the projection assumes, in [0, 1)');
          return true;
        }
        return false;
      },
    }, ctx, fail);
  },
  build(p, doc) {
    const lambda = p.lambda ?? 0;
    if (p.generate) {
      const g = p.generate;
      const d = plantedRpca({ seed: g.seed, n: g.n, m: g.m, trueRank: g.trueRank ?? p.rank, corruption: g.corruption, values: g.values });
      return rpcaProblem({
        n: g.n, m: g.m, r: p.rank, partition: splitFor(p, doc, g.m), lambda, M: d.M, truth: d.truth, Sstar: d.S,
        alpha: p.alpha ?? g.corruption, gamma: p.gamma, bound: p.bound ?? d.bound,
      });
    }
    const M = fromArray(p.M!.shape[0], p.M!.shape[1], p.M!.data);
    return rpcaProblem({
      n: M.rows, m: M.cols, r: p.rank, partition: splitFor(p, doc, M.cols), lambda, M, truth: null, Sstar: null,
      alpha: p.alpha!, gamma: p.gamma, bound: p.bound ?? sparseBound(M, p.rank),
    });
  },
  objective: (p: RpcaProblem, alg) => factorObjective(p, alg),
  lipschitz: (p) => ({ value: 3 * p.sigma1, formula: '3σ₁(Mₒ)', source: 'SPEC §3.4, §6.2' }),
  describe: describeFactor,
  materialize: (q, p, alg) => ({
    ...q, generate: undefined, M: { shape: [p.n, p.m], data: Array.from(p.M.data) }, alpha: p.alpha, bound: p.bound, ...splitFields(p, alg),
  }),
  data: (p) => ({ name: 'M', arrays: [p.Y.data] }),
  scale: (p) => ({ sigma1: p.sigma1, n: p.n, lambda: p.lambda }),
  start: factorStart,
  tensors: factorTensors,
  measure: factorMeasure,
});
