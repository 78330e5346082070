/**
 * Where to draw the nodes of a communication graph (for the network view). Pure and deterministic: the
 * same W̃ and options give the same picture on every machine, so a screenshot or a shared link shows the
 * network the run used.
 *
 * - ring, complete: nodes on a circle, node 0 at the top, clockwise;
 * - star: the hub (the node of largest degree, node 0 for `buildGraph`'s stars) in the centre;
 * - grid, torus: node r·cols + c at row r, column c (`buildGraph`'s numbering); a torus's wrap-around
 *   edges are marked so the view can draw them as stubs leaving the grid instead of long lines across it;
 * - anything else: Fruchterman–Reingold force-directed layout from a fixed seed and a fixed number of
 *   iterations, then a pass that pushes apart nodes closer than a minimum distance.
 */
import { cos, hypot, sin } from './fmath';
import type { Mat } from './linalg';
import { Rng } from './rng';

export interface Point { x: number; y: number }

export interface LayoutEdge {
  i: number;
  j: number;
  /** w̃ᵢⱼ (for drawing the width) */
  w: number;
  /** torus wrap-around edge: unit direction of the stub leaving node i (node j's stub points the other way) */
  wrap?: Point;
}

export type LayoutKind = 'circle' | 'star' | 'grid' | 'force';

export interface GraphLayout {
  kind: LayoutKind;
  points: Point[];
  edges: LayoutEdge[];
  /** the smallest distance between two nodes (Infinity for J = 1): the view sizes its nodes by it */
  minDistance: number;
  /** grid spacing (grid layouts only); a wrap stub is WRAP_STUB·spacing long */
  spacing?: number;
}

export interface LayoutOptions {
  /** the experiment's topology name; unknown or missing means force-directed */
  topology?: string;
  rows?: number;
  cols?: number;
  width: number;
  height: number;
  /** space kept free at each side of the box; default 12% of the shorter side */
  margin?: number;
  /** force-directed layout only: the jitter of the starting circle (default 1) */
  seed?: number;
  /** force-directed layout only: default 300, 100 above 300 nodes (each iteration costs J² steps) */
  iterations?: number;
}

/** Length of a torus wrap stub, as a fraction of the grid spacing. */
export const WRAP_STUB = 0.4;

/** Above this many nodes the O(J²) force layout is too slow for a page; such graphs are drawn on a circle. */
export const MAX_FORCE_NODES = 1024;

/** The edges of W̃ (i < j, w̃ᵢⱼ > 0 or w̃ⱼᵢ > 0), weight max(w̃ᵢⱼ, w̃ⱼᵢ). */
export function edgesOf(W: Mat): LayoutEdge[] {
  const J = W.rows;
  const edges: LayoutEdge[] = [];
  for (let i = 0; i < J; i++) {
    for (let j = i + 1; j < J; j++) {
      const w = Math.max(W.data[i * J + j], W.data[j * J + i]);
      if (w > 0) edges.push({ i, j, w });
    }
  }
  return edges;
}

export function degreesOf(J: number, edges: LayoutEdge[]): number[] {
  const d = new Array<number>(J).fill(0);
  for (const e of edges) { d[e.i]++; d[e.j]++; }
  return d;
}

/** Smallest pairwise distance (Infinity for fewer than two points). */
export function minPairDistance(points: Point[]): number {
  let best = Infinity;
  for (let a = 0; a < points.length; a++) {
    for (let b = a + 1; b < points.length; b++) best = Math.min(best, hypot(points[a].x - points[b].x, points[a].y - points[b].y));
  }
  return best;
}

/** rows × cols = J; the most nearly square shape when neither is given (as `buildGraph` does). */
function gridShape(J: number, rows?: number, cols?: number): [number, number] | null {
  if (rows === undefined && cols === undefined) {
    rows = Math.floor(Math.sqrt(J));
    while (J % rows !== 0) rows--;
  }
  rows ??= J / (cols as number);
  cols ??= J / rows;
  return Number.isInteger(rows) && Number.isInteger(cols) && rows * cols === J ? [rows, cols] : null;
}

interface Box { x0: number; y0: number; w: number; h: number }

/** J points on the largest circle in the box, the first at the top, clockwise; one point in the centre. */
function circle(J: number, box: Box): Point[] {
  const cx = box.x0 + box.w / 2, cy = box.y0 + box.h / 2, R = J === 1 ? 0 : Math.min(box.w, box.h) / 2;
  return Array.from({ length: J }, (_, k) => {
    const a = -Math.PI / 2 + (2 * Math.PI * k) / J;
    return { x: cx + R * cos(a), y: cy + R * sin(a) };
  });
}

/**
 * Fruchterman & Reingold (1991) in the unit square: repulsion k²/d between all pairs, attraction d²/k
 * along edges, moves capped by a temperature that cools linearly to zero. Starts from a circle with a
 * small seeded jitter, so the result is fixed by (graph, seed, iterations).
 */
function forceDirected(J: number, edges: LayoutEdge[], seed: number, iterations: number): Point[] {
  const rng = new Rng(seed);
  const x = new Float64Array(J), y = new Float64Array(J);
  for (let k = 0; k < J; k++) {
    const a = (2 * Math.PI * k) / J;
    x[k] = 0.5 + 0.4 * cos(a) + 0.02 * (rng.uniform() - 0.5);
    y[k] = 0.5 + 0.4 * sin(a) + 0.02 * (rng.uniform() - 0.5);
  }
  const kk = Math.sqrt(1 / J), k2 = kk * kk;
  const dx = new Float64Array(J), dy = new Float64Array(J);
  for (let t = 0; t < iterations; t++) {
    const temp = 0.1 * (1 - t / iterations);
    dx.fill(0);
    dy.fill(0);
    for (let a = 0; a < J; a++) {
      for (let b = a + 1; b < J; b++) {
        let ex = x[a] - x[b], ey = y[a] - y[b];
        let d2 = ex * ex + ey * ey;
        if (d2 < 1e-12) { ex = 1e-6 * (a - b); ey = 1e-6; d2 = ex * ex + ey * ey; } // coincident: split along a fixed direction
        const f = k2 / d2; // (k²/d) along the unit vector (ex, ey)/d
        dx[a] += ex * f; dy[a] += ey * f;
        dx[b] -= ex * f; dy[b] -= ey * f;
      }
    }
    for (const e of edges) {
      const ex = x[e.i] - x[e.j], ey = y[e.i] - y[e.j];
      const d = hypot(ex, ey);
      const f = d / kk; // (d²/k) along the unit vector
      dx[e.i] -= ex * f; dy[e.i] -= ey * f;
      dx[e.j] += ex * f; dy[e.j] += ey * f;
    }
    for (let a = 0; a < J; a++) {
      const len = hypot(dx[a], dy[a]);
      if (len === 0) continue;
      const step = Math.min(len, temp) / len;
      x[a] += dx[a] * step; // no walls: walls pile nodes into the corners; \`fit\` rescales afterwards
      y[a] += dy[a] * step;
    }
  }
  return Array.from({ length: J }, (_, k) => ({ x: x[k], y: y[k] }));
}

/** Scale points uniformly (keeping the aspect ratio) and centre them so they fill the box. */
function fit(points: Point[], box: Box): Point[] {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const p of points) { x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y); }
  const sx = x1 > x0 ? box.w / (x1 - x0) : Infinity, sy = y1 > y0 ? box.h / (y1 - y0) : Infinity;
  const s = Math.min(sx, sy);
  const cx = box.x0 + box.w / 2, cy = box.y0 + box.h / 2;
  if (!Number.isFinite(s)) return points.map(() => ({ x: cx, y: cy }));
  return points.map((p) => ({ x: cx + (p.x - (x0 + x1) / 2) * s, y: cy + (p.y - (y0 + y1) / 2) * s }));
}

/** Push apart pairs closer than `dmin` (half the shortfall each), clamped to the box, for a few rounds. */
function separate(points: Point[], box: Box, dmin: number, rounds = 50): void {
  const J = points.length;
  for (let round = 0; round < rounds; round++) {
    let moved = false;
    for (let a = 0; a < J; a++) {
      for (let b = a + 1; b < J; b++) {
        const pa = points[a], pb = points[b];
        let ex = pb.x - pa.x, ey = pb.y - pa.y;
        let d = hypot(ex, ey);
        if (d >= dmin) continue;
        if (d < 1e-9) { ex = 1; ey = (a % 7) / 7; d = hypot(ex, ey); }
        const push = (dmin - d) / 2 / d;
        pa.x -= ex * push; pa.y -= ey * push;
        pb.x += ex * push; pb.y += ey * push;
        moved = true;
      }
    }
    for (const p of points) {
      p.x = Math.min(box.x0 + box.w, Math.max(box.x0, p.x));
      p.y = Math.min(box.y0 + box.h, Math.max(box.y0, p.y));
    }
    if (!moved) break;
  }
}

/** The node positions and edges to draw for mixing matrix W̃ in a width × height box. */
export function layoutGraph(W: Mat, opts: LayoutOptions): GraphLayout {
  const J = W.rows;
  const { width, height } = opts;
  const margin = opts.margin ?? 0.12 * Math.min(width, height);
  const box: Box = { x0: margin, y0: margin, w: Math.max(0, width - 2 * margin), h: Math.max(0, height - 2 * margin) };
  const edges = edgesOf(W);
  const done = (kind: LayoutKind, points: Point[], spacing?: number): GraphLayout =>
    ({ kind, points, edges, minDistance: minPairDistance(points), ...(spacing !== undefined ? { spacing } : {}) });
  const topo = opts.topology;

  if (J <= 1) return done('circle', circle(J, box));
  if (topo === 'ring' || topo === 'complete') return done('circle', circle(J, box));
  if (topo === 'star') {
    const deg = degreesOf(J, edges);
    const hub = deg.indexOf(Math.max(...deg));
    const rim = circle(J - 1, box);
    return done('star', Array.from({ length: J }, (_, k) => (k === hub ? { x: box.x0 + box.w / 2, y: box.y0 + box.h / 2 } : rim[k < hub ? k : k - 1])));
  }
  if (topo === 'grid' || topo === 'torus') {
    const shape = gridShape(J, opts.rows, opts.cols);
    if (shape) {
      const [R, C] = shape;
      // a torus keeps WRAP_STUB·s free on each side for the stubs of its wrap-around edges
      const pad = topo === 'torus' ? 2 * WRAP_STUB : 0;
      const s = Math.min(box.w / (C - 1 + pad), box.h / (R - 1 + pad));
      const ox = box.x0 + (box.w - s * (C - 1)) / 2, oy = box.y0 + (box.h - s * (R - 1)) / 2;
      const points = Array.from({ length: J }, (_, k) => ({ x: ox + s * (k % C), y: oy + s * Math.floor(k / C) }));
      for (const e of edges) {
        const ri = Math.floor(e.i / C), ci = e.i % C, rj = Math.floor(e.j / C), cj = e.j % C;
        // a wrap edge joins the two ends of a row or column (only sides longer than 2 have one)
        if (Math.abs(ci - cj) > 1) e.wrap = { x: ci < cj ? -1 : 1, y: 0 };
        else if (Math.abs(ri - rj) > 1) e.wrap = { x: 0, y: ri < rj ? -1 : 1 };
      }
      return done('grid', points, s);
    }
  }
  if (J > MAX_FORCE_NODES) return done('circle', circle(J, box));
  const raw = forceDirected(J, edges, opts.seed ?? 1, opts.iterations ?? (J > 300 ? 100 : 300));
  const points = fit(raw, box);
  separate(points, box, 0.4 * Math.sqrt((box.w * box.h) / J));
  return done('force', points);
}
