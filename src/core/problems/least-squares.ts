/**
 * Distributed least squares (SPEC §1.5, R4): fⱼ(x) = ½‖Aⱼx − bⱼ‖², no private variables, so classical
 * DGD with a fixed step stalls when the nodes' objectives share no minimiser.
 */
import * as z from 'zod';
import { TensorSchema, int, shapeText } from '../document';
import { B, NORMAL, svd } from '../cost-model';
import { fromArray, spectralNorm } from '../linalg';
import { leastSquares as leastSquaresObjective } from '../objectives';
import { type LeastSquaresProblem, leastSquaresProblem, randomLeastSquares } from '../problem';
import { Rng, childSeed } from '../rng';
import { defineKind } from './kind';
import { field, givenData } from './link';

const GenerateLeastSquares = z.strictObject({
  seed: int('seed', 0, Number.MAX_SAFE_INTEGER),
  d: int('d', 1, 1 << 16),
  /** rows of each Aⱼ */
  rows: int('rows', 1, 1 << 16),
});

export const LeastSquaresSchema = z.strictObject({
  kind: z.literal('least-squares'),
  /** [J, rows, d] */
  A: TensorSchema.optional(),
  /** [J, rows] */
  b: TensorSchema.optional(),
  generate: GenerateLeastSquares.optional(),
});

export const leastSquares = defineKind<typeof LeastSquaresSchema, LeastSquaresProblem>({
  kind: 'least-squares',
  label: 'least squares',
  title: 'least squares (DGD)',
  help: 'Distributed least squares: where classical DGD stalls with a fixed step (R4).',
  lhat: 'maxⱼ‖Aⱼ‖²',
  schema: LeastSquaresSchema,
  algorithms: ['dgd', 'gd'],
  refuse: { 'dgd-local': 'DGD+LOCAL needs private variables; a least-squares problem has none, use "dgd" or "gd"' },
  usesNetwork: true,
  gpuFamily: null,
  defaults: { kind: 'least-squares', generate: { seed: 4, d: 10, rows: 5 } },
  link: [
    field('seed', 'int', 'problem', 'generate.seed', givenData('A')),
    field('d', 'int', 'problem', 'generate.d', givenData('A')),
    field('rows', 'int', 'problem', 'generate.rows', givenData('A')),
  ],
  explain: () => ({
    tex: String.raw`x^j \leftarrow \textstyle\sum_i \tilde w_{ji} x^i - \mu\,A_j^\top (A_j x^j - b_j)`,
    words: 'Classical DGD on distributed least squares: the nodes’ objectives share no minimiser, so with a fixed step they stop at a disagreement that a smaller μ lowers but does not remove (preset R4; SPEC §8 R4).',
  }),
  budget: {
    sizes(p, s) {
      if (p.A) {
        s.source = 'given';
        [s.J, s.rows, s.d] = p.A.shape;
      } else {
        s.d = p.generate!.d;
        s.rows = p.generate!.rows;
      }
    },
    data: (s) => ({
      field: s.source === 'given' ? 'problem.A' : 'problem.generate', what: `d = ${s.d}, rows = ${s.rows}${s.J > 1 ? ` on each of ${s.J} nodes` : ''}`,
      knobs: [
        { key: 'rows', label: 'rows', min: () => 1, with: (x) => `d = ${x.d}` },
        { key: 'd', label: 'd', min: () => 1, with: (x) => `rows = ${x.rows}` },
      ],
    }),
    written: (s) => (s.source === 'given' ? s.J * s.rows * (s.d + 1) : 0),
    materialized: (s) => s.J * s.rows * (s.d + 1),
    describe: (s) => `least-squares (d = ${s.d})`,
    iterate: (s, nodes) => ({ shared: s.d, local: 0, what: `J = ${nodes} copies of x ∈ ℝ^${s.d}`, rankKnob: false }),
    cost(l) {
      const s = l.s, { d, rows, J } = s;
      const entries = J * rows * d;
      l.hold('A (J × rows × d)', entries * B, 'data');
      l.hold('b', J * rows * B, 'data');
      l.temp('one node’s A as drawn or sliced', rows * d * B * 2, 'data');
      if (s.source !== 'given') l.work('drawing A and b', NORMAL * J * rows * (d + 1), 'data');
      const sv = svd(d, d);
      l.temp('the normal equations (d × d, in several copies) and their SVD solve', 6 * d * d * B + sv.bytes, 'normal');
      l.work('the normal equations Σ AⱼᵀAⱼ and their SVD solve', 2 * entries * d + sv.flops, 'normal');
      const sa = svd(rows, d);
      l.temp('the SVD of one Aⱼ (‖Aⱼ‖₂ for L̂)', sa.bytes, 'data');
      l.work('‖Aⱼ‖₂ of every node (an SVD each)', J * sa.flops, 'data');
      return { gradient: 4 * entries, record: 3 * 4 * entries };
    },
  },
  check(p, ctx, fail) {
    const alg = ctx.algorithm.name, J = ctx.J;
    const explicit = !!(p.A || p.b);
    if (explicit === !!p.generate) return fail(['problem'], 'give exactly one of "A" and "b" (data) or "generate"');
    let Jp: number, d: number;
    if (explicit) {
      if (!p.A || !p.b) return fail(['problem', p.A ? 'b' : 'A'], 'explicit least squares needs both A and b');
      if (p.A.shape.length !== 3) return fail(['problem', 'A', 'shape'], `must be [J, rows, d], got ${shapeText(p.A.shape)}`);
      const [Ja, rows, dd] = p.A.shape;
      if (p.b.shape.length !== 2 || p.b.shape[0] !== Ja || p.b.shape[1] !== rows) return fail(['problem', 'b', 'shape'], `must be [${Ja}, ${rows}] to match A, got ${shapeText(p.b.shape)}`);
      if (Ja < 1 || rows < 1 || dd < 1) return fail(['problem', 'A', 'shape'], `needs every size ≥ 1, got ${shapeText(p.A.shape)}`);
      Jp = Ja;
      d = dd;
    } else {
      Jp = J ?? 1;
      d = p.generate!.d;
    }
    if (J !== undefined && explicit && Jp !== J) return fail(['problem', 'A', 'shape'], `holds ${Jp} nodes but the network has J = ${J}`);
    const i = ctx.init;
    if (i.U || i.V) return fail(['init', i.U ? 'U' : 'V'], 'is for factorization problems; least squares starts from x');
    if (i.saddle) return fail(['init', 'saddle'], 'is for factorization problems (partial-SVD critical points of f)');
    if (i.x) {
      const want = alg === 'gd' ? [[d], [1, d]] : [[Jp, d]];
      const ok = want.some((s) => s.length === i.x!.shape.length && s.every((v, k) => v === i.x!.shape[k]));
      if (!ok) return fail(['init', 'x', 'shape'], `must be ${want.map(shapeText).join(' or ')} for "${alg}", got ${shapeText(i.x.shape)}`);
    }
  },
  build(p, doc) {
    if (p.generate) return randomLeastSquares(p.generate.seed, doc.nodes, p.generate.rows, p.generate.d);
    const [Jp, rows, d] = p.A!.shape;
    const A = Array.from({ length: Jp }, (_, j) => fromArray(rows, d, p.A!.data.slice(j * rows * d, (j + 1) * rows * d)));
    const b = Array.from({ length: Jp }, (_, j) => Float64Array.from(p.b!.data.slice(j * rows, (j + 1) * rows)));
    return leastSquaresProblem(A, b);
  },
  objective: (p: LeastSquaresProblem, alg) => leastSquaresObjective(p, alg === 'gd'),
  // maxⱼ‖Aⱼ‖₂²: the exact Lipschitz constant of ∇fⱼ here
  lipschitz: (p) => ({ value: Math.max(...p.A.map((A) => { const s = spectralNorm(A); return s * s; })), formula: 'maxⱼ‖Aⱼ‖₂²', source: 'Prop. 2.1' }),
  describe: (p) => `d = ${p.d}`,
  materialize: (_q, p) => ({
    kind: 'least-squares',
    A: { shape: [p.J, p.A[0].rows, p.d], data: p.A.flatMap((A) => Array.from(A.data)) },
    b: { shape: [p.J, p.A[0].rows], data: p.b.flatMap((b) => Array.from(b)) },
  }),
  data: (p) => ({ name: 'A and b', arrays: [...p.A.map((A) => A.data), ...p.b] }),
  start(_p, obj, doc) {
    const X = new Float64Array(obj.J * obj.sharedLen);
    const i = doc.init;
    if (i.x) X.set(i.x.data);
    else if ((i.scale ?? 0.1) > 0) X.set(new Rng(childSeed(i.seed ?? 0, 'x')).normals(X.length, i.scale ?? 0.1));
    return { X, Y: new Float64Array(0) };
  },
  tensors: (p, alg, obj, z) => ({ x: alg === 'gd' ? { shape: [p.d], data: Array.from(z.X) } : { shape: [obj.J, p.d], data: Array.from(z.X) } }),
  // the gap of the average x̄ (the nodes' copies disagree at a DGD fixed point, SPEC C-b)
  measure(p, alg, z, row) {
    const xbar = alg.average(z);
    let f = 0;
    for (let j = 0; j < alg.obj.J; j++) f += alg.obj.evaluate(j, xbar, new Float64Array(0));
    row.optimalityGap = f - p.fStar;
  },
  // maxⱼ‖Aⱼ‖₂² is the exact Lipschitz constant of every ∇fⱼ: one verdict, (3.2) itself
  theory(_p, t) {
    const v = { ...t.practical, name: '(3.2) μ < (1 − 2ω)/L, L = maxⱼ‖Aⱼ‖₂²' };
    return { verdicts: [v], ballL: t.lipschitz };
  },
});
