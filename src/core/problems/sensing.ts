/**
 * Matrix sensing (SPEC §5, [S] and [G]): X⋆ planted as in the factorization, Gaussian operators 𝒜ⱼ per
 * node (or one set of measurements split over the nodes), b = 𝒜(X⋆) (+ noise).
 */
import * as z from 'zod';
import { PlantedMeasured, aboveMax, finite, int, lambdaField } from '../document';
import { B, NORMAL, sigma1 } from '../cost-model';
import { type SensingProblem, sensingProblem } from '../measured';
import {
  balancingFlops, checkFactorProblem, measuredExplain, describeFactor, describeFactorSizes, factorDataSubject, factorIterate, factorLink, factorSizes, factorMeasure, factorObjective, factorStart, factorTensors, splitFor } from './factor-family';
import { defineKind } from './kind';
import { field } from './link';

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

export const sensing = defineKind<typeof SensingSchema, SensingProblem>({
  kind: 'sensing',
  label: 'sensing',
  title: 'matrix sensing',
  help: 'Recover X⋆ from Gaussian measurements b = 𝒜(X⋆): ½‖𝒜(UVᵀ) − b‖² (SPEC §5). Each node has its own operator on its block.',
  dataName: 'X⋆',
  lhat: '3pσ₁(X⋆)',
  schema: SensingSchema,
  algorithms: ['dgd-local', 'gd'],
  usesNetwork: true,
  gpuFamily: 'measured',
  defaults: { kind: 'sensing', rank: 3, generate: { seed: 3, n: 20, m: 30, measurements: 300 } },
  link: [
    ...factorLink(null),
    field('meas', 'int', 'problem', 'generate.measurements'),
    field('msplit', 'bool', 'problem', 'generate.split'),
    field('mnorm', 'bool', 'problem', 'generate.normalize'),
  ],
  // a planted truth: the recovery error; given data: the gap (src/core/sweep.ts TrialTracker)
  success: (q) => (q.generate ? ['recovery error', '‖X⋆‖²'] : ['optimality gap', '1']),
  explain: measuredExplain('Gⱼ = 𝒜ⱼ*(𝒜ⱼ(UʲVⱼᵀ) − bⱼ): the node’s measurement residual mapped back by the adjoint of its own operator.'),
  budget: {
    sizes(p, s) {
      factorSizes(p, undefined, s);
      s.measurements = p.generate.measurements;
      s.split = !!p.generate.split;
    },
    data: (s) => factorDataSubject(s, 'M', `, ${s.measurements} measurements${s.split ? ' in all' : ' per node'}`),
    // the operators are n·m·p numbers: materialize keeps the generator
    written: () => 0,
    materialized: () => 0,
    iterate: factorIterate,
    describe: describeFactorSizes,
    cost(l, { nodes, maxBlock }) {
      const s = l.s, { n, m, r } = s, nm = n * m;
      l.planted('X⋆ (the truth)', false);
      const perNode = s.split ? Math.ceil(s.measurements / nodes) : s.measurements;
      const entries = perNode * nm;
      l.hold('𝒜ⱼ, the measurement operators (rows × n·mⱼ per node)', entries * B, 'operator');
      l.hold('b', perNode * nodes * B, 'operator');
      l.temp('one node’s operator as drawn', perNode * n * maxBlock * B, 'operator');
      l.work('drawing 𝒜 and b = 𝒜(X⋆)', (NORMAL + 2) * entries, 'operator');
      const s1 = sigma1(n, m);
      l.temp('σ₁(X⋆)', s1.bytes, 'data');
      l.work('σ₁(X⋆)', s1.flops, 'data');
      l.hold('the objective’s buffers (2 n·mⱼ)', 2 * n * maxBlock * B, 'data', 'engine');
      // the CPU engine's WebAssembly memory (measured.ts kernelOps): the operators again, copied at the first step
      l.hold('𝒜ⱼ again in the CPU engine’s kernel memory (from the first step)', entries * B, 'operator', 'engine', true);
      l.hold('the products’ scratch in the CPU engine’s kernel memory (from the first step)', (4 * n * maxBlock + perNode + 4 * Math.max(n, maxBlock) * r) * B + 65536, 'iterate', 'engine', true);
      return { gradient: 4 * entries + 6 * nm * r + balancingFlops(s, nodes), record: 8 * entries + 12 * nm * r };
    },
  },
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
  build(p, doc) {
    const g = p.generate;
    return (sensingProblem({
      seed: g.seed, n: g.n, m: g.m, r: p.rank, trueRank: g.trueRank ?? p.rank, partition: splitFor(p, doc, g.m), lambda: p.lambda ?? 0,
      measurements: g.measurements, split: !!g.split, normalize: !!g.normalize, noise: g.noise ?? 0,
    }));
  },
  objective: (p: SensingProblem, alg) => factorObjective(p, alg),
  // halved objective: 3σ₁ times the data term's curvature scale p̄ (measurements per node; 1 with 𝒜/√p), so
  // c = 1 gives SPEC §5.5's η = 1/(3pσ₁(X⋆))
  lipschitz: (p) => ({
    value: 3 * (p.normalized ? 1 : Math.max(...p.A.map((A) => A.rows))) * p.sigma1,
    formula: `3${p.normalized ? '' : 'p'}σ₁(X⋆)`, source: 'SPEC §3.4, §5.5',
  }),
  describe: describeFactor,
  // the operators are n·m·p numbers: the generator (seed) is the compact, exact form
  materialize: (q) => q,
  data: (p) => ({ name: 'b', arrays: p.b }),
  scale: (p) => ({ sigma1: p.sigma1, n: p.n, lambda: p.lambda }),
  start: factorStart,
  tensors: factorTensors,
  measure: factorMeasure,
});
