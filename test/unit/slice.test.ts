import { describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../../src/core/experiment';
import { evaluateQuartic, qIndex, QUARTIC_TERMS } from '../../src/core/quartic';
import {
  type PlaneKind, type SliceSpec, computeSlice, planeValue, projectOnPlane, quarticCoefficients, quarticGrid,
  sliceBruteForce, slicePlane, stencilQuartic,
} from '../../src/core/slice';
import { Rng } from '../../src/core/rng';
import { factorizationDoc, nodeInstance, makeAlgorithm, preset } from './helpers';

const spec: SliceSpec = { a: [-1.5, 1], b: [-1, 2], na: 23, nb: 17 };

/** max |x − y| / max |y| over the grid */
function gridRelErr(x: Float64Array, y: Float64Array): number {
  let d = 0, m = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i] - y[i]));
    m = Math.max(m, Math.abs(y[i]));
  }
  return d / m;
}

const cases: { name: string; doc: ExperimentInput; planes: PlaneKind[]; method: string }[] = [
  { name: 'DGD+LOCAL, ring J=4', doc: factorizationDoc({ n: 6, m: 9, rank: 2, J: 4, partition: [1, 2, 3, 3] }), planes: ['random', 'consensus', 'hessian'], method: 'analytic' },
  { name: 'classical DGD, star J=3', doc: factorizationDoc({ n: 4, m: 6, rank: 2, J: 3, alg: 'dgd', topology: 'star' }), planes: ['random', 'consensus', 'hessian'], method: 'analytic' },
  { name: 'centralized GD', doc: factorizationDoc({ n: 5, m: 7, rank: 3, J: 1, alg: 'gd' }), planes: ['random', 'hessian'], method: 'analytic' },
  { name: 'least squares (no planeQuartic: the stencil route)', doc: { ...preset('r4'), network: { topology: 'ring', J: 4 } }, planes: ['random', 'consensus', 'hessian'], method: 'stencil' },
  { name: 'DGD+LOCAL with the balancing term λ = 0.4 (analytic)', doc: { ...factorizationDoc({ n: 6, m: 9, rank: 2, J: 3 }), problem: { kind: 'factorization', rank: 2, generate: { seed: 1, n: 6, m: 9 }, lambda: 0.4 } }, planes: ['random', 'consensus', 'hessian'], method: 'analytic' },
  { name: 'matrix sensing (R12; the stencil route)', doc: preset('r12'), planes: ['random'], method: 'stencil' },
  { name: 'distributed completion (R13; the stencil route)', doc: preset('r13-distributed'), planes: ['random', 'consensus'], method: 'stencil' },
];

describe.each(cases)('$name', ({ doc, planes, method }) => {
  const inst = nodeInstance(doc);
  const alg = makeAlgorithm(inst);
  const rng = new Rng(3);
  const z = { X: rng.normals(inst.init.X.length), Y: rng.normals(inst.init.Y.length) };
  it.each(planes)('plane %s: the quartic slice matches brute-force evaluation to 1e-9 relative', (kind) => {
    const plane = slicePlane(inst, alg, z, kind, 5);
    const s = computeSlice(alg, plane, spec);
    expect(s.method).toBe(method);
    expect(gridRelErr(s.value, sliceBruteForce(alg, plane, spec))).toBeLessThan(1e-9);
    // the plane passes through the iterate: φ(0, 0) = g(z)
    expect(evaluateQuartic(s.coefficients, 0, 0)).toBeCloseTo(alg.distributedObjective(z), 8);
  });
});

describe('objectives that are not polynomials of degree ≤ 4', () => {
  it.each(['r14'])('%s (robust PCA): the slice is refused, not drawn wrong', (id) => {
    const inst = nodeInstance(preset(id));
    const alg = makeAlgorithm(inst);
    const rng = new Rng(4);
    const z = { X: rng.normals(inst.init.X.length), Y: rng.normals(inst.init.Y.length) };
    expect(() => computeSlice(alg, slicePlane(inst, alg, z, 'random', 1), spec)).toThrow(/not a polynomial of degree ≤ 4 on the plane/);
  });
});

describe('planes', () => {
  const inst = nodeInstance(factorizationDoc({ n: 6, m: 8, rank: 2, J: 4 }));
  const alg = makeAlgorithm(inst);
  const rng = new Rng(9);
  const z = { X: rng.normals(inst.init.X.length), Y: rng.normals(inst.init.Y.length) };
  const s = inst.objective.sharedLen;
  const block = (v: Float64Array, j: number) => Math.hypot(...v.subarray(j * s, (j + 1) * s));

  it('random directions are normalised per factor (each Uʲ block has the norm of the iterate’s)', () => {
    const p = slicePlane(inst, alg, z, 'random', 1);
    for (let j = 0; j < 4; j++) expect(block(p.d1.X, j)).toBeCloseTo(block(z.X, j), 10);
  });
  it('consensus: d₁ moves every copy the same way, d₂ is the disagreement and has zero mean', () => {
    const p = slicePlane(inst, alg, z, 'consensus', 1);
    for (let j = 1; j < 4; j++) for (let k = 0; k < s; k++) expect(p.d1.X[j * s + k]).toBe(p.d1.X[k]);
    for (let k = 0; k < s; k++) expect(Math.abs(p.d2.X[k] + p.d2.X[s + k] + p.d2.X[2 * s + k] + p.d2.X[3 * s + k])).toBeLessThan(1e-12);
    expect(p.d2.Y.every((v) => v === 0)).toBe(true);
  });
  it('consensus needs J ≥ 2; the error names the plane', () => {
    const c = nodeInstance(factorizationDoc({ n: 4, m: 5, rank: 1, J: 1, alg: 'gd' }));
    expect(() => slicePlane(c, makeAlgorithm(c), c.init, 'consensus')).toThrow(/^plane: the consensus plane needs a distributed run \(J ≥ 2 nodes\)/);
  });
  it('hessian: at a partial-SVD saddle of f, φ curves down along d₁ (the escape direction)', () => {
    const c = nodeInstance({ ...factorizationDoc({ n: 6, m: 8, rank: 2, J: 1, alg: 'gd', seed: 4 }), init: { saddle: { set: [1, 3], delta: 0 } } });
    const a = makeAlgorithm(c);
    const p = slicePlane(c, a, c.init, 'hessian');
    const { c: q } = quarticCoefficients(a, p);
    expect(q[qIndex(1, 0)]).toBeCloseTo(0, 6); // a critical point: no linear term
    expect(q[qIndex(2, 0)]).toBeLessThan(0);
    expect(planeValue(a, p, 0.1, 0)).toBeLessThan(planeValue(a, p, 0, 0));
  });
  it('projectOnPlane recovers (a, b) of a point on the plane', () => {
    const p = slicePlane(inst, alg, z, 'random', 2);
    const w = { X: z.X.map((v, i) => v + 0.3 * p.d1.X[i] - 1.2 * p.d2.X[i]), Y: z.Y.map((v, i) => v + 0.3 * p.d1.Y[i] - 1.2 * p.d2.Y[i]) };
    const [a, b] = projectOnPlane(p, w);
    expect(a).toBeCloseTo(0.3, 10);
    expect(b).toBeCloseTo(-1.2, 10);
  });
});

describe('quartics', () => {
  it('the stencil reproduces a known quartic and flags a non-polynomial', () => {
    const c = Float64Array.from(QUARTIC_TERMS, ([p, q], k) => (k + 1) * (p === 4 ? 0.5 : 1) * (q % 2 ? -1 : 1));
    const fit = stencilQuartic((a, b) => evaluateQuartic(c, a, b), 3);
    for (let k = 0; k < 15; k++) expect(fit.c[k]).toBeCloseTo(c[k], 9);
    expect(fit.check).toBeLessThan(1e-12);
    expect(stencilQuartic((a, b) => Math.exp(a) + b, 1).check).toBeGreaterThan(1e-6);
  });
  it('quarticGrid equals pointwise evaluation; bad grids are refused with the field named', () => {
    const c = Float64Array.from({ length: 15 }, (_, k) => Math.sin(k + 1));
    const g = quarticGrid(c, spec);
    expect(g[5 * spec.na + 7]).toBeCloseTo(evaluateQuartic(c, -1.5 + (2.5 * 7) / 22, -1 + (3 * 5) / 16), 12);
    expect(() => quarticGrid(c, { ...spec, na: 1 })).toThrow(/na must be an integer in 2 … 4096/);
    expect(() => quarticGrid(c, { ...spec, b: [1, 1] })).toThrow(/range b must be finite with low < high/);
  });
});
