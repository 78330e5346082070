/**
 * Communication graphs and mixing matrices W̃ for the distributed algorithms (SPEC §2).
 *
 * Every builder returns a symmetric, nonnegative, row-stochastic W̃ supported on the graph (eq. 2.1);
 * `omega` and `spectrum` give the diagnostics SPEC §2 asks the app to display (ω, 1 − 2ω, λ₂, λ_min,
 * Fiedler value). Whether ω < ½ (eq. 2.2) holds depends on the rule; `lazy` halves ω.
 */
import { identity, symEig, zeros, type Mat } from './linalg';
import { Rng } from './rng';

export type Topology = 'ring' | 'path' | 'star' | 'complete' | 'grid' | 'torus' | 'erdos-renyi' | 'random-threshold' | 'adjacency';
export type WeightRule = 'metropolis' | 'max-degree' | 'laplacian' | 'threshold';

export interface GraphSpec {
  topology: Topology;
  J: number; // number of nodes, integer ≥ 1
  /** grid/torus shape; rows·cols must equal J. If both are missing, the most nearly square factorization is used. */
  rows?: number; cols?: number;
  p?: number; // erdos-renyi edge probability in (0, 1]
  tau?: number; // random-threshold τ in [0, 1); default 0.5, SPEC §2's proposal
  seed?: number; // for the random topologies; default 0
  /** topology 'adjacency': a symmetric nonnegative J×J matrix; entries > 0 off the diagonal are edges, the diagonal is ignored. */
  adjacency?: Mat;
  maxTries?: number; // draws of a random graph until one is connected (SPEC §2 requires it); default 1000
}

/** adj: symmetric 0/1 with zero diagonal. values: random-threshold only, the kept T^τ (symmetric, zero diagonal) for the 'threshold' rule. */
export interface Graph { J: number; adj: Mat; values?: Mat }

const pairKey = (J: number, i: number, j: number): number => i * J + j;

function setEdge(A: Mat, i: number, j: number, v = 1): void {
  if (i === j) return; // wrap-around on a side of length 1 would be a self-loop
  A.data[pairKey(A.cols, i, j)] = v;
  A.data[pairKey(A.cols, j, i)] = v;
}

function gridShape(spec: GraphSpec): [number, number] {
  const { J } = spec;
  let { rows, cols } = spec;
  if (rows === undefined && cols === undefined) {
    rows = Math.floor(Math.sqrt(J));
    while (J % rows !== 0) rows--;
  }
  rows ??= J / (cols as number);
  cols ??= J / rows;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows * cols !== J) {
    throw new RangeError(`${spec.topology}: rows × cols must equal J = ${J} with positive integers, got rows = ${rows}, cols = ${cols}`);
  }
  return [rows, cols];
}

/**
 * Draw a random graph until it is connected (SPEC §2: "redraw until connected"). One Rng stream runs
 * through all attempts, so a seed fixes the whole sequence of redraws.
 */
function drawConnected(spec: GraphSpec, what: string, hint: string, draw: (rng: Rng) => Graph): Graph {
  const rng = new Rng(spec.seed ?? 0);
  const maxTries = spec.maxTries ?? 1000;
  for (let t = 0; t < maxTries; t++) {
    const g = draw(rng);
    if (isConnected(g.adj)) return g;
  }
  throw new Error(`${spec.topology}: no connected graph in ${maxTries} draws with J = ${spec.J}, ${what}; ${hint} or raise maxTries`);
}

/** Build the communication graph named by `spec`. Random topologies are redrawn until connected. */
export function buildGraph(spec: GraphSpec): Graph {
  const { J, topology } = spec;
  if (!Number.isInteger(J) || J < 1) throw new RangeError(`J must be an integer ≥ 1, got ${J}`);
  const adj = zeros(J, J);
  switch (topology) {
    case 'ring':
      for (let i = 0; i < J; i++) setEdge(adj, i, (i + 1) % J); // J = 2 sets the single edge twice
      return { J, adj };
    case 'path':
      for (let i = 0; i + 1 < J; i++) setEdge(adj, i, i + 1);
      return { J, adj };
    case 'star':
      for (let i = 1; i < J; i++) setEdge(adj, 0, i);
      return { J, adj };
    case 'complete':
      for (let i = 0; i < J; i++) for (let j = i + 1; j < J; j++) setEdge(adj, i, j);
      return { J, adj };
    case 'grid':
    case 'torus': {
      const [R, C] = gridShape(spec);
      const wrap = topology === 'torus';
      for (let r = 0; r < R; r++) {
        for (let c = 0; c < C; c++) {
          // Setting an entry twice is harmless, so sides of length 2 do not create double edges.
          if (c + 1 < C || wrap) setEdge(adj, r * C + c, r * C + ((c + 1) % C));
          if (r + 1 < R || wrap) setEdge(adj, r * C + c, ((r + 1) % R) * C + c);
        }
      }
      return { J, adj };
    }
    case 'erdos-renyi': {
      const p = spec.p;
      if (p === undefined || !(p > 0 && p <= 1)) throw new RangeError(`erdos-renyi needs an edge probability p in (0, 1], got ${p}`);
      return drawConnected(spec, `p = ${p}`, 'raise p', (rng) => {
        const A = zeros(J, J);
        for (let i = 0; i < J; i++) for (let j = i + 1; j < J; j++) if (rng.uniform() < p) setEdge(A, i, j);
        return { J, adj: A };
      });
    }
    case 'random-threshold': {
      const tau = spec.tau ?? 0.5;
      if (!(tau >= 0 && tau < 1)) throw new RangeError(`random-threshold needs tau in [0, 1), got ${tau}`);
      return drawConnected(spec, `tau = ${tau}`, 'lower tau', (rng) => {
        const A = zeros(J, J), V = zeros(J, J);
        for (let i = 0; i < J; i++) {
          for (let j = i + 1; j < J; j++) {
            const t = rng.uniform(); // T_ij ~ U(0,1), kept only if T_ij ≥ τ (SPEC §2 step 2)
            if (t >= tau) { setEdge(A, i, j); setEdge(V, i, j, t); }
          }
        }
        return { J, adj: A, values: V };
      });
    }
    case 'adjacency': {
      const M = spec.adjacency;
      if (!M) throw new Error(`topology 'adjacency' needs spec.adjacency`);
      if (M.rows !== J || M.cols !== J) throw new RangeError(`adjacency must be ${J}×${J}, got ${M.rows}×${M.cols}`);
      for (let i = 0; i < J; i++) {
        for (let j = 0; j < J; j++) {
          if (i === j) continue;
          const a = M.data[pairKey(J, i, j)], b = M.data[pairKey(J, j, i)];
          if (!Number.isFinite(a) || a < 0) throw new RangeError(`adjacency must be finite and nonnegative: A[${i}][${j}] = ${a}`);
          if (Math.abs(a - b) > 1e-12 * Math.max(1, Math.abs(a))) throw new RangeError(`adjacency must be symmetric: A[${i}][${j}] = ${a} but A[${j}][${i}] = ${b}`);
          if (a > 0) setEdge(adj, i, j);
        }
      }
      return { J, adj };
    }
    default:
      throw new Error(`unknown topology '${String(topology)}'`);
  }
}

/** Node degrees d_i (number of neighbours). */
export function degrees(g: Graph): number[] {
  const d = new Array<number>(g.J).fill(0);
  for (let i = 0; i < g.J; i++) for (let j = 0; j < g.J; j++) if (i !== j && g.adj.data[pairKey(g.J, i, j)] > 0) d[i]++;
  return d;
}

/** First node not reachable from node 0 through entries > 0 off the diagonal, or −1 if all are reached. */
function unreachable(A: Mat): number {
  const n = A.rows;
  if (n === 0) return -1;
  const seen = new Uint8Array(n);
  const queue = [0];
  seen[0] = 1;
  while (queue.length > 0) {
    const i = queue.pop() as number;
    for (let j = 0; j < n; j++) {
      if (!seen[j] && j !== i && A.data[i * n + j] > 0) { seen[j] = 1; queue.push(j); }
    }
  }
  return seen.indexOf(0);
}

/** Whether the graph with edges where A[i][j] > 0 (i ≠ j) is connected; SPEC §2 requires it. */
export function isConnected(adj: Mat): boolean {
  return unreachable(adj) < 0;
}

export interface WeightOptions {
  /** laplacian rule: W̃ = I − ε·L. Default 1/(2·d_max + 1), which is < 1/(2·d_max), so ω = ε·d_max < ½ (SPEC §2). */
  epsilon?: number;
  /** threshold rule: ω_t, default 0.4 (SPEC §2 mode (b)); the resulting ω equals ω_t. */
  omegaT?: number;
}

/**
 * Mixing matrix W̃ on graph g by one of SPEC §2's rules. All give eq. (2.1): symmetric, nonnegative,
 * unit row sums, support = graph + diagonal (laplacian and threshold may have zero diagonal only in
 * degenerate settings such as ε·d_max = 1).
 */
export function mixingMatrix(g: Graph, rule: WeightRule, opts: WeightOptions = {}): Mat {
  const { J } = g;
  const d = degrees(g);
  const dmax = Math.max(0, ...d);
  const W = zeros(J, J);
  const edge = (i: number, j: number): boolean => i !== j && g.adj.data[pairKey(J, i, j)] > 0;
  let off: (i: number, j: number) => number;
  switch (rule) {
    case 'metropolis': // Metropolis–Hastings: 1/(1 + max(d_i, d_j)) on edges
      off = (i, j) => 1 / (1 + Math.max(d[i], d[j]));
      break;
    case 'max-degree':
      off = () => 1 / (dmax + 1);
      break;
    case 'laplacian': { // I − εL: off-diagonal ε on edges, diagonal 1 − ε·d_i
      const eps = opts.epsilon ?? 1 / (2 * dmax + 1);
      if (!(eps > 0) || eps * dmax > 1) throw new RangeError(`laplacian rule needs 0 < epsilon ≤ 1/d_max = ${1 / dmax} (< 1/(2·d_max) for ω < ½), got ${eps}`);
      off = () => eps;
      break;
    }
    case 'threshold': { // SPEC §2 mode (b): W_off = ω_t · T^τ / max_j Σ_i T^τ_ji
      const V = g.values;
      if (!V) throw new Error(`weight rule 'threshold' needs the T^tau values of topology 'random-threshold'`);
      const omegaT = opts.omegaT ?? 0.4;
      if (!(omegaT > 0 && omegaT <= 1)) throw new RangeError(`threshold rule needs omegaT in (0, 1], got ${omegaT}`);
      let maxRow = 0;
      for (let j = 0; j < J; j++) {
        let s = 0;
        for (let i = 0; i < J; i++) if (i !== j) s += V.data[pairKey(J, j, i)];
        maxRow = Math.max(maxRow, s);
      }
      off = (i, j) => (omegaT * V.data[pairKey(J, i, j)]) / maxRow; // only called on edges, so maxRow > 0
      break;
    }
    default:
      throw new Error(`unknown weight rule '${String(rule)}'`);
  }
  for (let i = 0; i < J; i++) {
    let s = 0;
    for (let j = 0; j < J; j++) {
      if (!edge(i, j)) continue;
      const w = off(i, j);
      W.data[pairKey(J, i, j)] = w;
      s += w;
    }
    W.data[pairKey(J, i, i)] = 1 - s; // diagonal completes the unit row sum (eq. 2.1)
  }
  return W;
}

/** Lazy version (W̃ + I)/2 (SPEC §2): same support, ω' = ω/2, eigenvalues (1 + λ)/2 ≥ 0. */
export function lazy(W: Mat): Mat {
  const n = W.rows;
  const L = identity(n);
  for (let k = 0; k < L.data.length; k++) L.data[k] = (L.data[k] + W.data[k]) / 2;
  return L;
}

/** ω = max_j Σ_{i≠j} W̃_ji (SPEC eq. 2.2); DGD+LOCAL's theory needs ω < ½. Summed off-diagonals, not 1 − W̃_jj, so it is meaningful for non-stochastic input too. */
export function omega(W: Mat): number {
  const n = W.rows;
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) if (i !== j) s += W.data[j * n + i];
    best = Math.max(best, s);
  }
  return best;
}

export interface MixingCheck { symmetric: boolean; nonnegative: boolean; rowStochastic: boolean; connected: boolean; problems: string[] }

/** Check the assumptions (2.1) on W̃ and a connected support; each failure adds one sentence naming the first offending entry or row. */
export function checkMixing(W: Mat, tol = 1e-10): MixingCheck {
  const n = W.rows;
  const problems: string[] = [];
  if (W.cols !== n) {
    problems.push(`W is not square: it is ${W.rows}×${W.cols}`);
    return { symmetric: false, nonnegative: false, rowStochastic: false, connected: false, problems };
  }
  const at = (i: number, j: number): number => W.data[i * n + j];
  let symmetric = true, nonnegative = true, rowStochastic = true;
  for (let k = 0; k < n * n && symmetric; k++) {
    const i = Math.floor(k / n), j = k % n;
    if (Math.abs(at(i, j) - at(j, i)) > tol) {
      problems.push(`W is not symmetric: W[${i}][${j}] = ${at(i, j)} but W[${j}][${i}] = ${at(j, i)}`);
      symmetric = false;
    }
  }
  for (let k = 0; k < n * n && nonnegative; k++) {
    if (W.data[k] < -tol) {
      problems.push(`W has a negative entry: W[${Math.floor(k / n)}][${k % n}] = ${W.data[k]}`);
      nonnegative = false;
    }
  }
  for (let i = 0; i < n && rowStochastic; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += at(i, j);
    if (Math.abs(s - 1) > tol) {
      problems.push(`W is not row-stochastic: row ${i} sums to ${s}, not 1`);
      rowStochastic = false;
    }
  }
  const lost = unreachable(W);
  if (lost >= 0) problems.push(`the support of W is not connected: node ${lost} cannot be reached from node 0`);
  return { symmetric, nonnegative, rowStochastic, connected: lost < 0, problems };
}

/**
 * λ₂ is the second-largest eigenvalue (1 if the support is disconnected); λ_min near −1 means oscillating
 * consensus modes; spectralGap = 1 − max(|λ₂|, |λ_min|) is the per-step contraction of disagreement under
 * plain averaging; fiedler is the second-smallest eigenvalue of the unweighted Laplacian of W̃'s support.
 */
export interface Spectrum { eigenvalues: Float64Array /* ascending */; lambda2: number; lambdaMin: number; spectralGap: number; fiedler: number }

/**
 * Eigen-diagnostics of a symmetric W̃ (SPEC §2 "Diagnostics to display"). Throws if W̃ is not symmetric,
 * because the symmetric eigensolver would silently return wrong values. J = 1 has no second eigenvalue;
 * we define λ₂ = 0, λ_min = W̃₀₀, spectral gap 1 and Fiedler value 0 (a single node is trivially in consensus).
 */
export function spectrum(W: Mat): Spectrum {
  const n = W.rows;
  const check = checkMixing(W, 1e-10);
  if (W.cols !== n || !check.symmetric) throw new RangeError(`spectrum needs a symmetric square W: ${check.problems[0]}`);
  const eigenvalues = symEig(W).values;
  if (n === 1) return { eigenvalues, lambda2: 0, lambdaMin: W.data[0], spectralGap: 1, fiedler: 0 };
  const lambda2 = eigenvalues[n - 2], lambdaMin = eigenvalues[0];
  const L = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j || W.data[i * n + j] <= 0) continue;
      L.data[i * n + j] = -1;
      L.data[i * n + i] += 1;
    }
  }
  const fiedler = symEig(L).values[1];
  return { eigenvalues, lambda2, lambdaMin, spectralGap: 1 - Math.max(Math.abs(lambda2), Math.abs(lambdaMin)), fiedler };
}

/** Everything SPEC §2 asks the app to display for a W̃: ω, the factor 1 − 2ω of the theory, and the spectrum. */
export function networkFigures(W: Mat): { omega: number; oneMinus2Omega: number } & Spectrum {
  const w = omega(W);
  return { omega: w, oneMinus2Omega: 1 - 2 * w, ...spectrum(W) };
}
