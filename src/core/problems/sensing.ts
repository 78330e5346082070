/**
 * Matrix sensing (SPEC §5, [S] and [G]): X⋆ planted as in the factorization, Gaussian operators 𝒜ⱼ per
 * node (or one set of measurements split over the nodes), b = 𝒜(X⋆) (+ noise).
 */
import * as z from 'zod';
import { PlantedMeasured, aboveMax, finite, int, lambdaField } from '../document';
import { checkFactorProblem } from './factor-checks';
import { defineKind } from './kind';

export const SensingSchema = z.strictObject({
  kind: z.literal('sensing'),
  rank: int('rank', 1),
  lambda: lambdaField.optional(),
  generate: PlantedMeasured.extend({
    /** measurements per node (all of them, split over the nodes, when `split`) */
    measurements: z.number({ error: 'measurements must be a number' }).min(1, 'measurements must be at least 1 per node').max(1e7, aboveMax(1e7)).int('measurements must be an integer'),
    split: z.boolean().optional(),
    /** 𝒜/√p ([G]'s scaling; changes the relative weight of λ by p, SPEC §5.5) */
    normalize: z.boolean().optional(),
    /** std of Gaussian noise added to b */
    noise: finite.pipe(z.number().nonnegative('noise must be ≥ 0')).optional(),
  }),
  partition: z.array(int('every block size', 1)).min(1).optional(),
});

export const sensing = defineKind({
  kind: 'sensing',
  label: 'sensing',
  schema: SensingSchema,
  algorithms: ['dgd-local', 'gd'],
  usesNetwork: true,
  gpuFamily: 'measured',
  defaults: { kind: 'sensing', rank: 3, generate: { seed: 3, n: 20, m: 30, measurements: 300 } },
  check(p, ctx, fail) {
    checkFactorProblem({
      problem: p,
      data: null,
      sizes(_n, _m, fail) {
        const g = p.generate;
        if (g.split && ctx.J !== undefined && ctx.algorithm.name !== 'gd' && g.measurements < ctx.J) {
          fail(['problem', 'generate', 'measurements'], `${g.measurements} measurements split over J = ${ctx.J} nodes leave some node with none (p < 1 per node)`);
          return true;
        }
        return false;
      },
    }, ctx, fail);
  },
});
