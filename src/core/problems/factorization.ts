/**
 * Matrix factorization (SPEC §1): min ‖UVᵀ − Y‖²_F over the columns of Y split among J nodes, given data
 * Y or a planted U⋆V⋆ᵀ (+ noise); the problem DGD+LOCAL was made for, and the only one that starts from a
 * partial-SVD saddle (SPEC §4.2 C-d).
 */
import * as z from 'zod';
import { GenerateFactorization, TensorSchema, int, lambdaField } from '../document';
import { fromArray } from '../linalg';
import { type FactorizationProblem, factorizationProblem, plantedY } from '../problem';
import { saddleState } from '../saddle';
import { checkFactorProblem, factorMeasure, factorObjective, factorStart, factorTensors, splitFor } from './factor-family';
import { defineKind } from './kind';

export const FactorizationSchema = z.strictObject({
  kind: z.literal('factorization'),
  rank: int('rank', 1),
  lambda: lambdaField.optional(),
  Y: TensorSchema.optional(),
  generate: GenerateFactorization.optional(),
  /** column counts m₁ … m_J; default: as equal as possible over the network's J nodes */
  partition: z.array(int('every block size', 1)).min(1).optional(),
});

export const factorization = defineKind<typeof FactorizationSchema, FactorizationProblem>({
  kind: 'factorization',
  label: 'factorization',
  schema: FactorizationSchema,
  algorithms: ['dgd-local', 'dgd', 'gd'],
  usesNetwork: true,
  gpuFamily: 'factor',
  defaults: { kind: 'factorization', rank: 3, generate: { seed: 3, n: 30, m: 100, trueRank: 3, noise: 0 } },
  check(p, ctx, fail) {
    checkFactorProblem({
      problem: p,
      data: { key: 'Y', tensor: p.Y },
      saddle(n, m, fail) {
        const sd = ctx.init.saddle!;
        const r = p.rank, kmax = Math.min(n, m);
        if (sd.set.length !== 0 && sd.set.length !== r) return fail(['init', 'saddle', 'set'], `has ${sd.set.length} indices but the rank is ${r} (give ${r} singular-value indices, or [] for the origin)`);
        const bad = sd.set.find((k) => k > kmax);
        if (bad !== undefined) return fail(['init', 'saddle', 'set'], `index ${bad} is out of range; Y has min(n, m) = ${kmax} singular values (indices are 1-based)`);
        if (new Set(sd.set).size !== sd.set.length) return fail(['init', 'saddle', 'set'], 'lists an index twice');
      },
    }, ctx, fail);
  },
  build(p, doc) {
    const Y = p.Y ? fromArray(p.Y.shape[0], p.Y.shape[1], p.Y.data) : plantedY({ ...p.generate!, trueRank: p.generate!.trueRank ?? p.rank });
    return factorizationProblem(Y, p.rank, splitFor(p, doc, Y.cols), p.lambda ?? 0);
  },
  objective: (p: FactorizationProblem, alg) => factorObjective(p, alg),
  lipschitz: (p) => ({ value: 6 * p.sigma1, formula: '6σ₁(Y)', source: 'SPEC §3.4' }),
  start: (p, obj, doc) => (doc.init.saddle ? saddleState(doc, p, obj, doc.init.saddle) : factorStart(p, obj, doc)),
  tensors: factorTensors,
  measure: factorMeasure,
});
