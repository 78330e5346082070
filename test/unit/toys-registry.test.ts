// The toy registry (src/core/toys): every toy the Landscape view lists keeps the promises the view relies
// on — derivatives that match finite differences, critical points that are critical and typed by their
// Hessians, a stable manifold that GD does not leave, a link that carries it and its parameter, and WGSL
// that defines the function the kernel calls. A toy added to the list is checked here without a new test.
import { describe, expect, it } from 'vitest';
import { criticalPoints, gdTrajectory, stableManifold, toyGradient, toyHessian, toyParam, toyValue } from '../../src/core/toy';
import { wgslName } from '../../src/core/toys/kind';
import { TOYS, TOY_NAMES, toyFor, toyIndex } from '../../src/core/toys/registry';
import { Rng } from '../../src/core/rng';
import { withToys } from '../../src/gpu/landscape';
import { decodeUrl, encodeUrl } from '../../src/state/url';

/** the parameter values each toy is checked at: its default and the ends of its slider */
const cases = TOYS.flatMap((t) => {
  const ps = t.param ? [t.param.schema.parse(undefined), t.param.min, t.param.max] : [0];
  return ps.map((p) => ({ name: t.name, p }));
});

describe('the toy list', () => {
  it('names, link keys and WGSL functions are unique; toyFor refuses an unknown name and says which exist', () => {
    expect(new Set(TOY_NAMES).size).toBe(TOYS.length);
    const keys = TOYS.flatMap((t) => (t.param ? [t.param.urlKey] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(TOYS.map(wgslName)).size).toBe(TOYS.length);
    expect(() => toyFor('nope')).toThrow(/unknown toy "nope"; the landscape knows plain, balanced, symmetric/);
    TOYS.forEach((t, k) => expect(toyIndex(t.name)).toBe(k));
  });

  it('the kernel source defines every toy’s function and a switch case for each index', () => {
    const src = withToys('// landscape.wgsl');
    TOYS.forEach((t, k) => {
      expect(t.wgsl).toMatch(new RegExp(`^fn ${wgslName(t)}\\(u: f32, v: f32, p: f32\\) -> f32 \\{`));
      expect(src).toContain(`case ${k}u: { return ${wgslName(t)}(u, v, p); }`);
    });
  });
});

describe.each(cases)('toy $name, p = $p', ({ name, p }) => {
  const rng = new Rng(11);
  const pts = Array.from({ length: 16 }, () => [1.5 * rng.normal(), 1.5 * rng.normal()] as [number, number]);
  const h = 1e-5;

  it('gradient and Hessian match central differences (relative 1e-7)', () => {
    for (const [u, v] of pts) {
      const g = toyGradient(name, p, u, v);
      const fd = [(toyValue(name, p, u + h, v) - toyValue(name, p, u - h, v)) / (2 * h), (toyValue(name, p, u, v + h) - toyValue(name, p, u, v - h)) / (2 * h)];
      expect(Math.hypot(g[0] - fd[0], g[1] - fd[1])).toBeLessThan(1e-7 * Math.max(1, Math.hypot(...g)));
      const H = toyHessian(name, p, u, v);
      const gu = [toyGradient(name, p, u + h, v), toyGradient(name, p, u - h, v)], gv = [toyGradient(name, p, u, v + h), toyGradient(name, p, u, v - h)];
      const scale = Math.max(1, Math.abs(H.uu), Math.abs(H.uv), Math.abs(H.vv));
      expect(Math.abs(H.uu - (gu[0][0] - gu[1][0]) / (2 * h))).toBeLessThan(1e-7 * scale);
      expect(Math.abs(H.uv - (gv[0][0] - gv[1][0]) / (2 * h))).toBeLessThan(1e-7 * scale);
      expect(Math.abs(H.uv - (gu[0][1] - gu[1][1]) / (2 * h))).toBeLessThan(1e-7 * scale);
      expect(Math.abs(H.vv - (gv[0][1] - gv[1][1]) / (2 * h))).toBeLessThan(1e-7 * scale);
    }
  });

  it('each listed critical point has zero gradient and the Hessian signs its type says', () => {
    const crit = criticalPoints(name, p);
    expect(crit.length).toBeGreaterThan(0);
    for (const c of crit) {
      expect(Math.hypot(...toyGradient(name, p, c.u, c.v))).toBeLessThan(1e-12);
      const [lo, hi] = c.eigenvalues;
      if (c.type === 'saddle') expect([lo < 0, hi > 0]).toEqual([true, true]);
      else if (c.type === 'maximum') expect(hi).toBeLessThan(0);
      else expect(lo).toBeGreaterThanOrEqual(0);
    }
  });

  it('GD from a point on the stable manifold stays on it and ends at a saddle', () => {
    const seg = stableManifold([-2, 2], [-2, 2], name)!;
    const t = 0.37, start: [number, number] = [seg[0][0] + t * (seg[1][0] - seg[0][0]), seg[0][1] + t * (seg[1][1] - seg[0][1])];
    const run = gdTrajectory(name, p, 0.05, start, 20000);
    expect(run.stop).toBe('converged to the saddle');
    const end = run.points[run.points.length - 1];
    const nearest = criticalPoints(name, p).filter((c) => c.type === 'saddle').map((c) => Math.hypot(c.u - end[0], c.v - end[1]));
    expect(Math.min(...nearest)).toBeLessThan(1e-6);
  });

  it('a link carries the toy and its parameter, and the lab writes them back', async () => {
    const toy = toyFor(name);
    const q = `?view=landscape&lk=${name}${toy.param ? `&${toy.param.urlKey}=${p}` : ''}`;
    const { state, ignored } = await decodeUrl(q, async () => null);
    expect(ignored).toEqual([]);
    expect(state.landscape.kind).toBe(name);
    if (toy.param) expect(toyParam(state.landscape)).toBe(p);
    expect((await decodeUrl(encodeUrl(state), async () => null)).state.landscape).toEqual(state.landscape);
  });
});

describe('links', () => {
  it('an unknown toy is refused with the list of known ones, and the rest of the link still opens', async () => {
    const { state, ignored } = await decodeUrl('?view=landscape&lk=bowl&leta=0.2', async () => null);
    expect(ignored.join(' ')).toMatch(/lk=bowl/);
    expect(ignored.join(' ')).toMatch(/plain.*balanced.*symmetric/);
    expect(state.landscape.eta).toBe(0.2);
  });
});
