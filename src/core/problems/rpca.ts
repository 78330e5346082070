/**
 * Robust PCA (SPEC §6.2, [G]): Mₒ = M⋆ + S⋆, planted or given; S estimated by the row/column top-k
 * projection.
 */
import * as z from 'zod';
import { PlantedMeasured, TensorSchema, finite, int, lambdaField, unitOpen } from '../document';
import { fromArray } from '../linalg';
import { type RpcaProblem, plantedRpca, rpcaProblem, sparseBound } from '../measured';
import { checkFactorProblem, factorMeasure, factorObjective, factorStart, factorTensors, naming, splitFor } from './factor-family';
import { defineKind } from './kind';

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
  schema: RpcaSchema,
  algorithms: ['dgd-local', 'gd'],
  usesNetwork: true,
  gpuFamily: 'measured',
  defaults: { kind: 'rpca', rank: 3, gamma: 2, generate: { seed: 3, n: 60, m: 100, corruption: 0.05 } },
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
    return naming(() => {
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
    });
  },
  objective: (p: RpcaProblem, alg) => factorObjective(p, alg),
  lipschitz: (p) => ({ value: 3 * p.sigma1, formula: '3σ₁(Mₒ)', source: 'SPEC §3.4, §6.2' }),
  start: factorStart,
  tensors: factorTensors,
  measure: factorMeasure,
});
