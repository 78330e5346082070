// The scalar toy of SPEC §4.3 (R1, R2): derivatives, critical points and their Hessians, GD's invariants
// and limits, the log(1/δ) law of saddle escape, the distributed toy, and the landscape parameters.
import { describe, expect, it } from 'vitest';
import {
  type Point, type ToyKind, ESCAPE_DELTAS, LandscapeParamsSchema, criticalPoints, defaultDistributedToy,
  defaultLandscapeParams, distributedToyExperiment, eigSym2, evaluateGridCpu, gdStep, gdTrajectory, gradientField,
  hyperbolaBranches, hyperbolaPoint, landscapeGridSpec, linearFit, manifoldDistance, parseLandscapeParams, runDistributedToy,
  saddleEscape, stableManifold, toyGradient, toyHessian, toyValue,
} from '../../src/core/toy';
import { parseExperiment } from '../../src/core/experiment';
import { Rng } from '../../src/core/rng';

const MUB = 1 / 16;
const kinds: { kind: ToyKind; mub: number }[] = [{ kind: 'plain', mub: 0 }, { kind: 'balanced', mub: MUB }, { kind: 'balanced', mub: 0.7 }];

describe.each(kinds)('$kind, μ_b = $mub: derivatives', ({ kind, mub }) => {
  const rng = new Rng(5);
  const pts: Point[] = Array.from({ length: 20 }, () => [2 * rng.normal(), 2 * rng.normal()]);
  const h = 1e-5;

  it('the gradient matches central differences of the value (relative error < 1e-8)', () => {
    for (const [u, v] of pts) {
      const fd = [(toyValue(kind, mub, u + h, v) - toyValue(kind, mub, u - h, v)) / (2 * h), (toyValue(kind, mub, u, v + h) - toyValue(kind, mub, u, v - h)) / (2 * h)];
      const g = toyGradient(kind, mub, u, v);
      expect(Math.hypot(g[0] - fd[0], g[1] - fd[1])).toBeLessThan(1e-8 * Math.max(1, Math.hypot(...g)));
    }
  });

  it('the Hessian matches central differences of the gradient (relative error < 1e-8)', () => {
    for (const [u, v] of pts) {
      const H = toyHessian(kind, mub, u, v);
      const du = [toyGradient(kind, mub, u + h, v), toyGradient(kind, mub, u - h, v)];
      const dv = [toyGradient(kind, mub, u, v + h), toyGradient(kind, mub, u, v - h)];
      const fd = { uu: (du[0][0] - du[1][0]) / (2 * h), uv: (dv[0][0] - dv[1][0]) / (2 * h), vu: (du[0][1] - du[1][1]) / (2 * h), vv: (dv[0][1] - dv[1][1]) / (2 * h) };
      const scale = Math.max(1, Math.abs(H.uu), Math.abs(H.uv), Math.abs(H.vv));
      for (const [a, b] of [[H.uu, fd.uu], [H.uv, fd.uv], [H.uv, fd.vu], [H.vv, fd.vv]]) expect(Math.abs(a - b)).toBeLessThan(1e-8 * scale);
    }
  });

  it('the origin is a strict saddle with g = ½ and Hessian [[0, −1], [−1, 0]] (eigenvalues ±1)', () => {
    const o = criticalPoints(kind, mub).find((p) => p.u === 0 && p.v === 0)!;
    expect(o.type).toBe('saddle');
    expect(o.value).toBe(0.5);
    expect(o.hessian).toEqual({ uu: 0, uv: -1, vv: 0 });
    expect(o.eigenvalues).toEqual([-1, 1]);
    const { vectors } = eigSym2(o.hessian);
    // −1 along (1, 1)/√2 (the escape direction), +1 along (1, −1)/√2 (the stable manifold's tangent)
    expect(Math.abs(vectors[0][0] * Math.SQRT1_2 + vectors[0][1] * Math.SQRT1_2)).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[1][0] * Math.SQRT1_2 - vectors[1][1] * Math.SQRT1_2)).toBeCloseTo(1, 14);
  });

  it('every listed critical point has zero gradient', () => {
    for (const p of criticalPoints(kind, mub)) expect(toyGradient(kind, mub, p.u, p.v).map(Math.abs)).toEqual([0, 0]);
  });
});

describe('critical points (R1)', () => {
  it('g: at (t, 1/t) the eigenvalues are 0 and t² + t⁻², with eigenvectors ∝ (t, −1/t) and (1/t, t)', () => {
    for (const t of [0.3, 0.5, 1, 1.7, 3, -0.8, -2]) {
      const p = hyperbolaPoint(t);
      expect(p.value).toBeLessThan(1e-30);
      expect(toyGradient('plain', 0, p.u, p.v).map(Math.abs)).toEqual([0, 0]);
      expect(p.hessian.uu).toBeCloseTo(t ** -2, 12);
      expect(p.hessian.uv).toBeCloseTo(1, 12);
      expect(p.hessian.vv).toBeCloseTo(t ** 2, 12);
      expect(p.eigenvalues[0]).toBeCloseTo(0, 12);
      expect(p.eigenvalues[1]).toBeCloseTo(t * t + t ** -2, 12);
      const { vectors } = eigSym2(p.hessian);
      const along = (w: Point, d: Point) => Math.abs(w[0] * d[0] + w[1] * d[1]) / Math.hypot(...d);
      expect(along(vectors[0], [t, -1 / t])).toBeCloseTo(1, 12);
      expect(along(vectors[1], [1 / t, t])).toBeCloseTo(1, 12);
    }
    expect(criticalPoints('plain', MUB)).toHaveLength(1); // the minima of g are the hyperbola, not isolated
  });

  it('g̃, μ_b = 1/16: minima ±(1, 1) with Hessian [[9/8, 7/8], [7/8, 9/8]], eigenvalues 2 and 1/4', () => {
    const pts = criticalPoints('balanced', MUB);
    expect(pts.map((p) => [p.u, p.v, p.type])).toEqual([[0, 0, 'saddle'], [1, 1, 'minimum'], [-1, -1, 'minimum']]);
    for (const p of pts.slice(1)) {
      expect(p.value).toBe(0);
      expect(p.hessian).toEqual({ uu: 9 / 8, uv: 7 / 8, vv: 9 / 8 });
      expect(p.eigenvalues).toEqual([1 / 4, 2]);
    }
  });

  it('g̃, any μ_b > 0: eigenvalues 4μ_b and 2 at ±(1, 1); μ_b = 0 leaves only the saddle isolated', () => {
    for (const mub of [0.01, 0.3, 1]) for (const p of criticalPoints('balanced', mub).slice(1)) {
      const want = [4 * mub, 2].sort((a, b) => a - b); // eigenvalues come ascending
      expect(p.eigenvalues[0]).toBeCloseTo(want[0], 14);
      expect(p.eigenvalues[1]).toBeCloseTo(want[1], 14);
    }
    expect(criticalPoints('balanced', 0)).toHaveLength(1);
  });

  it('the hyperbola branches lie on uv = 1 and cover [−2, 2]²', () => {
    const br = hyperbolaBranches([-2, 2], 100);
    expect(br).toHaveLength(2);
    for (const b of br) for (const [u, v] of b) expect(u * v).toBeCloseTo(1, 14);
    expect(Math.max(...br[0].map(([u]) => u))).toBeCloseTo(2, 12);
    expect(Math.min(...br[0].map(([u]) => u))).toBeCloseTo(0.5, 12);
  });

  it('the stable manifold u + v = 0 clipped to a box', () => {
    expect(stableManifold([-2, 2])).toEqual([[-2, 2], [2, -2]]);
    expect(stableManifold([-1, 3], [-2, 2])).toEqual([[-1, 1], [2, -2]]);
    expect(stableManifold([1, 2], [1, 2])).toBeNull();
  });
});

describe('gradient descent (R2)', () => {
  it('the imbalance u² − v² shrinks by exactly (1 − η²(uv − 1)²) per step on g', () => {
    const eta = 0.05;
    let p: Point = [1.7, -0.3];
    for (let k = 0; k < 50; k++) {
      const c = p[0] ** 2 - p[1] ** 2, factor = 1 - eta ** 2 * (p[0] * p[1] - 1) ** 2;
      p = gdStep('plain', 0, eta, p);
      expect(p[0] ** 2 - p[1] ** 2).toBeCloseTo(c * factor, 13);
    }
  });

  it('SPEC check: from (2, 0.1) with η = 0.01, GD reaches ≈ (2.0551, 0.4866) (flow: (2.0559, 0.4864))', () => {
    const t = gdTrajectory('plain', 0, 0.01, [2, 0.1], 100000, 1e-10);
    expect(t.stop).toBe('converged to a minimum');
    const [u, v] = t.points.at(-1)!;
    expect(Math.abs(u - 2.0551)).toBeLessThan(1e-3);
    expect(Math.abs(v - 0.4866)).toBeLessThan(1e-3);
    // the gradient flow's limit from the conserved c = u² − v² is a little further out
    const c = 4 - 0.01, uFlow = Math.sqrt((c + Math.sqrt(c * c + 4)) / 2);
    expect(uFlow).toBeCloseTo(2.0559, 4);
    expect(u).toBeLessThan(uFlow);
    // losses fall monotonically for this small step
    for (let k = 1; k < t.losses.length; k++) expect(t.losses[k]).toBeLessThanOrEqual(t.losses[k - 1]);
  });

  it.each(kinds)('$kind, μ_b = $mub: starts on the anti-diagonal converge to the saddle and stay on it exactly', ({ kind, mub }) => {
    for (const a of [0.3, 1, -1.8]) {
      const t = gdTrajectory(kind, mub, 0.1, [a, -a]);
      expect(t.stop).toBe('converged to the saddle');
      for (const [u, v] of t.points) expect(u + v).toBe(0);
      expect(Math.hypot(...t.points.at(-1)!)).toBeLessThan(1e-7);
    }
  });

  it('g̃: starts with u + v > 0 go to (1, 1), with u + v < 0 to (−1, −1)', () => {
    const rng = new Rng(11);
    for (let k = 0; k < 40; k++) {
      const start: Point = [2 * rng.uniform() - 1, 2 * rng.uniform() - 1].map((x) => 2 * x) as Point;
      const s = start[0] + start[1];
      if (Math.abs(s) < 1e-3) continue;
      const t = gdTrajectory('balanced', MUB, 0.1, start, 20000, 1e-10);
      expect(t.stop).toBe('converged to a minimum');
      const [u, v] = t.points.at(-1)!;
      expect(Math.abs(u - Math.sign(s))).toBeLessThan(1e-8);
      expect(Math.abs(v - Math.sign(s))).toBeLessThan(1e-8);
    }
  });

  it('g: other starts go to the branch of sign(u₀ + v₀)', () => {
    // (1.675, 1.9) stops where uv is a hair above 1 and the Hessian has a tiny negative eigenvalue: a minimum, not the saddle
    for (const start of [[0.4, 0.1], [-1.5, 0.2], [1.9, -1.2], [-0.1, -0.05], [1.675, 1.9]] as Point[]) {
      const t = gdTrajectory('plain', 0, 0.1, start);
      expect(t.stop).toBe('converged to a minimum');
      const [u, v] = t.points.at(-1)!;
      expect(u * v).toBeCloseTo(1, 7);
      expect(Math.sign(u)).toBe(Math.sign(start[0] + start[1]));
    }
  });

  it('a step far above 2/curvature diverges; a zero-gradient start stops at once', () => {
    expect(gdTrajectory('plain', 0, 1.5, [2, 2]).stop).toBe('diverged');
    const t = gdTrajectory('plain', 0, 0.1, [0, 0]);
    expect([t.stop, t.iterations, t.points.length, t.losses]).toEqual(['converged to the saddle', 0, 1, [0.5]]);
    expect(gdTrajectory('plain', 0, 1e-4, [1.5, -0.2], 10).stop).toBe('max iterations');
  });
});

describe('saddle escape (R2): iterations near the saddle grow like ln(1/δ)/ln(1 + η)', () => {
  it('linearFit recovers a line', () => {
    expect(linearFit([1, 2, 3], [3, 5, 7])).toEqual({ slope: 2, intercept: 1, r2: 1 });
  });

  it.each([
    { kind: 'plain' as const, eta: 0.1 }, { kind: 'balanced' as const, eta: 0.1 }, { kind: 'plain' as const, eta: 0.02 }, { kind: 'balanced' as const, eta: 0.3 },
  ])('$kind, η = $eta: linear in ln(1/δ) for δ = 1e-1 … 1e-8 (R² > 0.99, slope within 20 % of theory)', ({ kind, eta }) => {
    const s = saddleEscape(kind, MUB, eta, ESCAPE_DELTAS);
    expect(s.runs.map((r) => r.delta)).toEqual(ESCAPE_DELTAS);
    // measured (η = 0.1, plain): 25 49 73 97 121 146 170 194, slope 10.50 vs 1/ln 1.1 = 10.49, R² = 0.99998
    for (let k = 1; k < s.runs.length; k++) expect(s.runs[k].nearSaddle).toBeGreaterThan(s.runs[k - 1].nearSaddle);
    expect(s.fit.r2).toBeGreaterThan(0.99);
    expect(s.theory.slope).toBeCloseTo(1 / Math.log(1 + eta), 12);
    expect(Math.abs(s.fit.slope / s.theory.slope - 1)).toBeLessThan(0.2);
    for (const r of s.runs) {
      expect(r.trajectory.stop).toBe('converged to a minimum');
      // the start is δ from the manifold and d0 = 1 from the saddle along it
      expect((r.start[0] + r.start[1]) * Math.SQRT1_2).toBeCloseTo(r.delta, 15);
      expect((r.start[0] - r.start[1]) * Math.SQRT1_2).toBeCloseTo(s.d0, 14);
    }
    expect(s.onManifold.stop).toBe('converged to the saddle');
    expect(manifoldDistance(s.onManifold.points).every((x) => x === 0)).toBe(true);
    // near the saddle the distance from the manifold grows by ≈ 1 + η per step (SPEC 4.6)
    const dist = manifoldDistance(s.runs.at(-1)!.trajectory.points);
    expect(Math.abs(dist[0] / 1e-8 - 1)).toBeLessThan(1e-7); // u, v ≈ ±0.7 carry δ only to ~1e-16 absolute
    expect(dist[21] / dist[20]).toBeCloseTo(1 + eta, 2);
  });
});

describe('the distributed toy (DGD+LOCAL, n = r = 1, one column per node)', () => {
  it('is an ordinary experiment document of the lab', () => {
    const doc = distributedToyExperiment({ ...defaultDistributedToy, J: 3, y: [1, 2, 0.5] });
    const e = parseExperiment(doc);
    expect(e.problem).toMatchObject({ kind: 'factorization', rank: 1, Y: { shape: [1, 3], data: [1, 2, 0.5] }, partition: [1, 1, 1] });
    expect(e.network).toMatchObject({ topology: 'ring', J: 3, weights: 'metropolis', lazy: true });
    expect(e.algorithm).toMatchObject({ name: 'dgd-local', stepsize: defaultDistributedToy.stepsize });
    expect(e.init.U!.shape).toEqual([3, 1, 1]);
  });

  it.each([
    { J: 8, y: Array(8).fill(1), topology: 'ring' as const },
    { J: 5, y: [1, 2, 0.5, 1.5, 1], topology: 'ring' as const },
    { J: 4, y: [1, 1, 1, 1], topology: 'star' as const },
  ])('J = $J, $topology, y = $y: exact consensus of the uʲ and uʲvⱼ → yⱼ', ({ J, y, topology }) => {
    const run = runDistributedToy({ ...defaultDistributedToy, J, y, topology, iterations: 3000 });
    expect(run.nodes).toHaveLength(J);
    for (const n of run.nodes) expect(n.u).toHaveLength(3001);
    expect(run.consensus[0]).toBeGreaterThan(0.01);
    expect(run.consensus.at(-1)).toBeLessThan(1e-20);
    const u = run.nodes.map((n) => n.u.at(-1)!);
    for (const uj of u) expect(Math.abs(uj - u[0])).toBeLessThan(1e-10);
    run.nodes.forEach((n, j) => expect(Math.abs(n.u.at(-1)! * n.v.at(-1)! - y[j])).toBeLessThan(1e-10));
    expect(run.objective.at(-1)).toBeLessThan(1e-20);
  });
});

describe('the landscape grid and field', () => {
  it('evaluateGridCpu: g and log10(g + ε) at u_i, v_j, row j = v_j', () => {
    const spec = { kind: 'balanced' as const, mub: MUB, u: [-2, 1] as Point, v: [-1, 3] as Point, nu: 7, nv: 5, eps: 1e-3 };
    const G = evaluateGridCpu(spec);
    expect(G.value).toHaveLength(35);
    const u = -2 + (3 * 4) / 6, v = -1 + (4 * 2) / 4;
    expect(G.value[2 * 7 + 4]).toBe(toyValue('balanced', MUB, u, v));
    expect(G.log[2 * 7 + 4]).toBe(Math.log10(toyValue('balanced', MUB, u, v) + 1e-3));
    expect(() => evaluateGridCpu({ ...spec, nu: 1 })).toThrow(/nu must be an integer ≥ 2/);
  });

  it('the field points along −∇g (unit arrows of the given length)', () => {
    const f = gradientField('plain', 0, [-2, 2], 4, 0.2);
    const [u0, u1, v0, v1] = [f.u[0]!, f.u[1]!, f.v[0]!, f.v[1]!];
    const g = toyGradient('plain', 0, (u0 + u1) / 2, (v0 + v1) / 2);
    expect(Math.hypot(u1 - u0, v1 - v0)).toBeCloseTo(0.2, 12);
    expect(((u1 - u0) * -g[0] + (v1 - v0) * -g[1]) / (0.2 * Math.hypot(...g))).toBeCloseTo(1, 12);
  });
});

describe('LandscapeParams', () => {
  it('defaults: plain g on [−2, 2]², μ_b = 1/16, no starts, no distributed toy; JSON round trip', () => {
    expect(defaultLandscapeParams).toMatchObject({ kind: 'plain', mub: 1 / 16, range: [-2, 2], starts: [], view: 'heatmap', distributed: null });
    expect(parseLandscapeParams(JSON.parse(JSON.stringify(defaultLandscapeParams)))).toEqual(defaultLandscapeParams);
    expect(parseLandscapeParams({ kind: 'balanced' })).toEqual({ ...defaultLandscapeParams, kind: 'balanced' });
    const withToy = { ...defaultLandscapeParams, starts: [[0.5, -0.4]], distributed: defaultDistributedToy };
    expect(LandscapeParamsSchema.parse(JSON.parse(JSON.stringify(withToy)))).toEqual(withToy);
    expect(landscapeGridSpec(defaultLandscapeParams)).toMatchObject({ u: [-2, 2], v: [-2, 2], nu: 161, nv: 161 });
  });

  it('refuses bad values with a message naming the field', () => {
    expect(() => parseLandscapeParams({ eta: -1 })).toThrow(/^eta: eta must be > 0/);
    expect(() => parseLandscapeParams({ range: [2, -2] })).toThrow(/^range: range must be \[lo, hi\]/);
    expect(() => parseLandscapeParams({ kind: 'other' })).toThrow(/^kind:/);
    expect(() => parseLandscapeParams({ distributed: { ...defaultDistributedToy, J: 3 } })).toThrow(/^distributed\.y: needs one target/);
    expect(() => parseLandscapeParams({ distributed: { ...defaultDistributedToy, J: 17, y: Array(17).fill(1) } })).toThrow(/^distributed\.J: J must be at most 16/);
    expect(() => parseLandscapeParams({ extra: 1 })).toThrow();
  });
});
