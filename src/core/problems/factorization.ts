/**
 * Matrix factorization (SPEC §1): min ‖UVᵀ − Y‖²_F over the columns of Y split among J nodes, given data
 * Y or a planted U⋆V⋆ᵀ (+ noise); the problem DGD+LOCAL was made for, and the only one that starts from a
 * partial-SVD saddle (SPEC §4.2 C-d).
 */
import * as z from 'zod';
import { GenerateFactorization, TensorSchema, int, lambdaField } from '../document';
import { B, sigma1, sigmas, svd } from '../cost-model';
import { pow } from '../fmath';
import { fromArray, norm2 } from '../linalg';
import { type FactorizationProblem, factorizationProblem, plantedY } from '../problem';
import type { State } from '../dgd';
import { saddleState } from '../saddle';
import { CONSTANTS, ballConstants, omegaStepBound, rhoStepBound } from '../step-bounds';
import {
  balancingFlops, checkFactorProblem, describeFactor, describeFactorSizes, factorDataSubject, factorIterate, factorLink, factorSizes, factorMeasure, factorObjective, factorStart, factorTensors, splitFields, splitFor } from './factor-family';
import { defineKind } from './kind';
import type { LinkDoc, LinkParam } from './link';

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
  title: 'factorization ‖UVᵀ − Y‖²',
  help: 'Fit Y ≈ UVᵀ: every critical point is a global minimum or a strict saddle (SPEC §4).',
  dataName: 'Y',
  lhat: '6σ₁(Y)',
  schema: FactorizationSchema,
  algorithms: ['dgd-local', 'dgd', 'gd'],
  usesNetwork: true,
  saddles: true,
  gpuFamily: 'factor',
  defaults: { kind: 'factorization', rank: 3, generate: { seed: 3, n: 30, m: 100, trueRank: 3, noise: 0 } },
  link: [...factorLink('Y'), ...saddleLink()],
  explain: (alg) => FACTOR_RULES[alg] ?? FACTOR_RULES.gd,
  budget: {
    sizes: (p, s) => factorSizes(p, p.Y, s),
    data: (s) => factorDataSubject(s, 'Y'),
    written: (s) => (s.source === 'given' ? s.n * s.m : 0),
    materialized: (s) => s.n * s.m,
    iterate: factorIterate,
    describe: describeFactorSizes,
    cost(l, { nodes, nnz }) {
      const s = l.s, { n, m, r } = s, nm = n * m;
      if (s.source === 'given') l.hold('Y', nm * B, 'data');
      else l.planted('Y', s.noise);
      l.hold('the node blocks of Y', nm * B, 'data');
      // the CPU engine's WebAssembly memory (kernels.ts, factor-threads.ts): Y's blocks again, and for DGD+LOCAL the
      // iterate (two buffers of the J copies of U, the blocks of V) and the neighbour lists, with a page of slack
      // for its growth. Classical DGD and GD copy Y's blocks at their first step, so the load holds them not yet.
      const J = s.alg === 'gd' ? 1 : nodes;
      const local = s.alg === 'dgd-local';
      l.hold('Y’s blocks in the CPU engine’s kernel memory', nm * B, 'data', 'engine', !local);
      const iterate = (local ? 2 * J * n * r + m * r : 0) + 4 * Math.max(n, m / J) * r;
      l.hold('the iterate and scratch in the CPU engine’s kernel memory', iterate * B + (local ? 12 * nnz : 0) + 65536, 'iterate', 'engine', !local);
      const s1 = sigma1(n, m), all = sigmas(n, m);
      if (s.rule) {
        l.temp('σ₁(Y) for the step rule', s1.bytes, 'data');
        l.work('σ₁(Y) for the step rule', s1.flops, 'data');
      }
      l.temp('the singular values of Y (f⋆ of the optimality gap, ‖Y‖_* of the bounds)', all.bytes, 'data');
      l.work('the singular values of Y (f⋆ of the optimality gap, ‖Y‖_* of the bounds)', all.flops, 'data');
      if (s.saddle) {
        const sv = svd(n, m);
        l.temp('the SVD of Y for the saddle start', sv.bytes, 'data');
        l.work('the SVD of Y for the saddle start', sv.flops, 'data');
      }
      return { gradient: 6 * nm * r + balancingFlops(s, nodes), record: 8 * nm * r + 2 * nm };
    },
  },
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
  describe: describeFactor,
  materialize: (_q, p, alg) => {
    const { partition, ...lambda } = splitFields(p, alg);
    return { kind: 'factorization', rank: p.r, ...lambda, Y: { shape: [p.n, p.m], data: Array.from(p.Y.data) }, ...(partition ? { partition } : {}) };
  },
  data: (p) => ({ name: 'Y', arrays: [p.Y.data] }),
  scale: (p) => ({ sigma1: p.sigma1, n: p.n, lambda: p.lambda }),
  // σ₁(Y)^{3/2}: the gradient's size for O(1) relative errors in factors of size √σ₁
  gradientScale: (p) => pow(p.sigma1, 1.5),
  start: (p, obj, doc) => (doc.init.saddle ? saddleState(doc, p, obj, doc.init.saddle) : factorStart(p, obj, doc)),
  tensors: factorTensors,
  measure: factorMeasure,
  // ρ defaults to 1.05·max(‖z⁰‖, √((J+1)‖Y‖_*)): the start and a balanced solution, whose squared norm is
  // (J+1)‖Y‖_* (SPEC §3.4), must both lie in B_ρ
  theory(p, t) {
    const blockNorms = p.blocks.map((Y) => Math.sqrt(norm2(Y.data)));
    const rho = t.rho ?? defaultRho(p, t.J, t.init);
    const ballL = Math.max(...blockNorms.map((y) => ballConstants(y, rho).L2));
    return {
      rho, ballL, verdicts: [
        t.practical,
        t.atStart,
        { name: '(3.2) with L₂ of (3.6) on B₂ρ', source: 'Prop. 2.1, eq. 3.6', bound: omegaStepBound(t.omega, ballL), ok: false },
        { name: '(3.7) certified, [N] constants', source: CONSTANTS.N.label, bound: rhoStepBound(t.omega, blockNorms, rho, 'N'), ok: false },
        { name: '(3.7) certified, [A] constants', source: CONSTANTS.A.label, bound: rhoStepBound(t.omega, blockNorms, rho, 'A'), ok: false },
      ],
    };
  },
  certified: (p, omega, J, init) => rhoStepBound(omega, p.blocks.map((Y) => Math.sqrt(norm2(Y.data))), defaultRho(p, J, init), 'N'),
});

type Saddle = { set: number[]; delta: number; seed?: number; consensus?: boolean };
const saddleOf = (doc: LinkDoc) => (doc.init as { saddle?: Saddle } | undefined)?.saddle;
const needSaddle = (doc: LinkDoc) => {
  const sd = saddleOf(doc);
  if (!sd) throw new Error('needs a saddle start (sset)');
  return sd;
};

/** Saddle starts (SPEC §4.2 C-d): S as 1-based indices "1,3", "origin" for S = ∅, "none" to remove the saddle start. */
function saddleLink(): LinkParam[] {
  return [
    { key: 'sset', kind: 'str', get: (doc) => {
      const sd = saddleOf(doc);
      return sd ? (sd.set.length ? sd.set.join(',') : 'origin') : undefined;
    }, set: (doc, v) => {
      const t = String(v);
      const d = doc as { init?: { saddle?: Saddle } };
      d.init ??= {};
      if (t === 'none') return void delete d.init.saddle;
      const set = t === 'origin' ? [] : t.split(',').map(Number);
      if (set.some((x) => !Number.isInteger(x))) throw new Error('must be "origin", "none" or 1-based indices separated by commas');
      d.init.saddle = { delta: 1e-6, ...d.init.saddle, set };
    } },
    { key: 'sdelta', kind: 'num', get: (doc) => saddleOf(doc)?.delta, set: (doc, v) => { needSaddle(doc).delta = v as number; } },
    { key: 'scons', kind: 'bool', get: (doc) => saddleOf(doc)?.consensus, set: (doc, v) => { needSaddle(doc).consensus = v as boolean; } },
    { key: 'sseed', kind: 'int', get: (doc) => saddleOf(doc)?.seed, set: (doc, v) => { needSaddle(doc).seed = v as number; } },
  ];
}

/** The three iterations on the factorization (SPEC (1.10), (1.12), GD), and what they do. */
const FACTOR_RULES: Record<string, { tex: string; words: string }> = {
  'dgd-local': {
    tex: String.raw`\begin{aligned}U^j &\leftarrow \textstyle\sum_i \tilde w_{ji} U^i - 2\mu\,(U^j V_j^\top - Y_j)\,V_j\\ V_j &\leftarrow V_j - 2\mu\,(U^j V_j^\top - Y_j)^\top U^j\end{aligned}`,
    words: 'Each node averages its copy Uʲ with its neighbours’ and takes a gradient step on its own data; Vⱼ never leaves the node. This is exactly gradient descent on g = f + Σ wⱼᵢ‖Uʲ − Uⁱ‖² with wⱼᵢ = w̃ⱼᵢ/(4μ), whose critical points all have Uʲ equal (Zhu et al. 2019, Prop. 2.3 and Thm. 3.2): so a fixed step below the theorem’s bound reaches exact consensus (preset R3 checks it).',
  },
  dgd: {
    tex: String.raw`\begin{aligned}U^j &\leftarrow \textstyle\sum_i \tilde w_{ji} U^i - 2\mu\,(U^j V_j^{(j)\top} - Y_j)\,V^{(j)}_j\\ V^{(j)} &\leftarrow \textstyle\sum_i \tilde w_{ji} V^{(i)} - 2\mu\,S_j^\top (U^j V_j^{(j)\top} - Y_j)^\top U^j\end{aligned}`,
    words: 'Classical DGD: every node keeps copies of U and of the whole V and mixes both. With a fixed step it reaches exact consensus only where the nodes’ objectives share a minimiser — on a noiseless factorization it does, later than DGD+LOCAL (preset consensus); where they share none it stops short of consensus (R4).',
  },
  gd: {
    tex: String.raw`\begin{aligned}U &\leftarrow U - 2\mu\,(UV^\top - Y)\,V\\ V &\leftarrow V - 2\mu\,(UV^\top - Y)^\top U\end{aligned}`,
    words: 'Centralized gradient descent on f = ‖UVᵀ − Y‖², the reference the distributed methods are measured against.',
  },
};

/** ρ = 1.05·max(‖z⁰‖, √((J+1)‖Y‖_*)): the start and a balanced solution both in B_ρ (SPEC §3.4). */
function defaultRho(p: FactorizationProblem, J: number, init: State): number {
  const nuclear = p.sigma.reduce((a, b) => a + b, 0); // ‖Y‖_*
  const z0 = Math.sqrt(norm2(init.X) + norm2(init.Y));
  return 1.05 * Math.max(z0, Math.sqrt((J + 1) * nuclear));
}
