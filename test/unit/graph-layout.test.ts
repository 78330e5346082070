import { describe, expect, it } from 'vitest';
import { type GraphSpec, buildGraph, lazy, mixingMatrix } from '../../src/core/network';
import { layoutGraph, minPairDistance } from '../../src/core/graph-layout';

const W = (spec: GraphSpec) => lazy(mixingMatrix(buildGraph(spec), 'metropolis'));
const box = { width: 400, height: 300, margin: 20 };

const cases: { name: string; spec: GraphSpec; kind: string }[] = [
  { name: 'ring 10', spec: { topology: 'ring', J: 10 }, kind: 'circle' },
  { name: 'complete 6', spec: { topology: 'complete', J: 6 }, kind: 'circle' },
  { name: 'star 8', spec: { topology: 'star', J: 8 }, kind: 'star' },
  { name: 'grid 4×5', spec: { topology: 'grid', J: 20, rows: 4, cols: 5 }, kind: 'grid' },
  { name: 'torus 3×4', spec: { topology: 'torus', J: 12, rows: 3, cols: 4 }, kind: 'grid' },
  { name: 'path 12', spec: { topology: 'path', J: 12 }, kind: 'force' },
  { name: 'Erdős–Rényi 30', spec: { topology: 'erdos-renyi', J: 30, p: 0.15, seed: 2 }, kind: 'force' },
  { name: 'Erdős–Rényi 256', spec: { topology: 'erdos-renyi', J: 256, p: 0.03, seed: 1 }, kind: 'force' },
  { name: 'ring 256', spec: { topology: 'ring', J: 256 }, kind: 'circle' },
];

describe('layoutGraph', () => {
  it.each(cases)('$name: deterministic, inside the box, nodes apart', ({ spec, kind }) => {
    const Wm = W(spec);
    const opts = { ...box, topology: spec.topology, rows: spec.rows, cols: spec.cols };
    const a = layoutGraph(Wm, opts), b = layoutGraph(Wm, opts);
    expect(a.kind).toBe(kind);
    expect(b.points).toEqual(a.points);
    for (const p of a.points) {
      expect(p.x).toBeGreaterThanOrEqual(box.margin - 1e-9);
      expect(p.x).toBeLessThanOrEqual(box.width - box.margin + 1e-9);
      expect(p.y).toBeGreaterThanOrEqual(box.margin - 1e-9);
      expect(p.y).toBeLessThanOrEqual(box.height - box.margin + 1e-9);
    }
    // at least a quarter of the spacing J points would have on a square lattice filling the box
    const J = spec.J;
    const lattice = Math.sqrt(((box.width - 2 * box.margin) * (box.height - 2 * box.margin)) / J);
    // a circle of J nodes has spacing 2πR/J, which for large J is below the lattice's
    const ringSpacing = 2 * Math.sin(Math.PI / J) * ((box.height - 2 * box.margin) / 2);
    expect(a.minDistance).toBe(minPairDistance(a.points));
    expect(a.minDistance).toBeGreaterThan(0.99 * Math.min(0.25 * lattice, ringSpacing));
    expect(a.edges.length).toBe(buildGraph(spec).adj.data.filter((v) => v > 0).length / 2);
  });

  it('puts a ring on a circle from the top, clockwise, and the star hub in the centre', () => {
    const ring = layoutGraph(W({ topology: 'ring', J: 4 }), { width: 100, height: 100, margin: 10, topology: 'ring' });
    const close = (p: { x: number; y: number }, x: number, y: number) => { expect(p.x).toBeCloseTo(x, 9); expect(p.y).toBeCloseTo(y, 9); };
    [[50, 10], [90, 50], [50, 90], [10, 50]].forEach(([x, y], k) => close(ring.points[k], x, y));
    const star = layoutGraph(W({ topology: 'star', J: 5 }), { width: 100, height: 100, margin: 10, topology: 'star' });
    close(star.points[0], 50, 50);
    star.points.slice(1).forEach((p) => expect(Math.hypot(p.x - 50, p.y - 50)).toBeCloseTo(40, 9));
  });

  it('lays a grid out row by row and marks only the torus wrap-around edges', () => {
    const grid = layoutGraph(W({ topology: 'grid', J: 6, rows: 2, cols: 3 }), { width: 220, height: 120, margin: 10, topology: 'grid', rows: 2, cols: 3 });
    expect(grid.points).toEqual([{ x: 10, y: 10 }, { x: 110, y: 10 }, { x: 210, y: 10 }, { x: 10, y: 110 }, { x: 110, y: 110 }, { x: 210, y: 110 }]);
    expect(grid.spacing).toBe(100);
    expect(grid.edges.some((e) => e.wrap)).toBe(false);
    const torus = layoutGraph(W({ topology: 'torus', J: 12, rows: 3, cols: 4 }), { ...box, topology: 'torus', rows: 3, cols: 4 });
    const wraps = torus.edges.filter((e) => e.wrap);
    expect(wraps.map((e) => [e.i, e.j, e.wrap!.x, e.wrap!.y])).toEqual([
      [0, 3, -1, 0], [0, 8, 0, -1], [1, 9, 0, -1], [2, 10, 0, -1], [3, 11, 0, -1], [4, 7, -1, 0], [8, 11, -1, 0],
    ]);
  });

  it('draws edge weights from W̃ and handles a single node', () => {
    const l = layoutGraph(W({ topology: 'path', J: 3 }), box);
    expect(l.edges.map((e) => [e.i, e.j, e.w])).toEqual([[0, 1, 1 / 6], [1, 2, 1 / 6]]);
    const one = layoutGraph(W({ topology: 'ring', J: 1 }), box);
    expect(one.points).toEqual([{ x: 200, y: 150 }]);
    expect(one.minDistance).toBe(Infinity);
  });

  it('changes the force layout with the seed only', () => {
    const Wm = W({ topology: 'erdos-renyi', J: 20, p: 0.2, seed: 4 });
    const a = layoutGraph(Wm, { ...box, seed: 1 }), b = layoutGraph(Wm, { ...box, seed: 2 });
    expect(a.points).not.toEqual(b.points);
  });
});
