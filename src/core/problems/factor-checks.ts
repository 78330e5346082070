/**
 * The cross-checks every problem with factors U (n×r) and V (m×r) split by columns shares — the
 * factorization and the measured kinds (sensing, completion, robust PCA): sizes from the data or the
 * planted model, the rank, the column partition against the network, and the start's layout.
 */
import type { CheckContext, Fail, Tensor } from '../document';
import { shapeText } from '../document';

export interface FactorCheck {
  /** the problem section's fields this check reads */
  problem: {
    kind: string;
    rank: number;
    partition?: number[];
    generate?: { n: number; m: number; trueRank?: number };
  };
  /** the document key of given data ("Y", "M"), with the tensor; null when the kind is always planted */
  data: { key: string; tensor: Tensor | undefined } | null;
  /** kind-specific checks once n and m are known; return true when one failed */
  sizes?(n: number, m: number, fail: Fail): boolean;
  /** the kind starts from a saddle (`init.saddle`): its own check, or undefined to refuse it */
  saddle?(n: number, m: number, fail: Fail): void;
}

export function checkFactorProblem(c: FactorCheck, ctx: CheckContext, fail: Fail): void {
  const p = c.problem;
  const alg = ctx.algorithm.name;
  const J = ctx.J;
  const data = c.data?.tensor;
  if (c.data && !!data === !!p.generate) return fail(['problem'], `give exactly one of "${c.data.key}" (data) or "generate" (a planted model)`);
  let n: number, m: number;
  if (data) {
    const key = c.data!.key;
    if (data.shape.length !== 2) return fail(['problem', key, 'shape'], `must be [n, m], got ${shapeText(data.shape)}`);
    [n, m] = data.shape;
    if (n < 1 || m < 1) return fail(['problem', key, 'shape'], `needs n, m ≥ 1, got ${shapeText(data.shape)}`);
  } else {
    ({ n, m } = p.generate!);
    const tr = p.generate!.trueRank;
    if (tr !== undefined && tr > Math.min(n, m)) return fail(['problem', 'generate', 'trueRank'], `is ${tr} but must be at most min(n, m) = ${Math.min(n, m)}`);
  }
  if (c.sizes?.(n, m, fail)) return;
  if (p.rank > Math.min(n, m)) return fail(['problem', 'rank'], `is ${p.rank} but must be at most min(n, m) = ${Math.min(n, m)}`);
  if (alg !== 'gd' && J !== undefined) {
    if (p.partition) {
      const sum = p.partition.reduce((a, b) => a + b, 0);
      if (sum !== m) return fail(['problem', 'partition'], `sums to ${sum} but Y has m = ${m} columns`);
      if (p.partition.length !== J) return fail(['problem', 'partition'], `has ${p.partition.length} blocks but the network has J = ${J} nodes`);
    } else if (m < J) {
      return fail(['problem'], `Y has m = ${m} columns, fewer than the J = ${J} nodes (each node needs at least one)`);
    }
  }
  // --- initial iterate layout
  const i = ctx.init;
  if (i.U || i.V) {
    if (!i.U || !i.V) return fail(['init', i.U ? 'V' : 'U'], 'an explicit start needs both U and V');
    const r = p.rank;
    const Jn = J ?? 1;
    const wantU = alg === 'gd' ? [[n, r], [1, n, r]] : [[Jn, n, r]];
    const wantV = alg === 'dgd' ? [[Jn, m, r]] : [[m, r]];
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, k) => v === b[k]);
    if (!wantU.some((s) => same(s, i.U!.shape))) return fail(['init', 'U', 'shape'], `must be ${wantU.map(shapeText).join(' or ')} for "${alg}", got ${shapeText(i.U.shape)}`);
    if (!wantV.some((s) => same(s, i.V!.shape))) return fail(['init', 'V', 'shape'], `must be ${wantV.map(shapeText).join(' or ')} for "${alg}", got ${shapeText(i.V.shape)}`);
  }
  if (i.x) return fail(['init', 'x'], 'is for least-squares problems; a factorization starts from U and V');
  if (i.saddle) {
    if (!c.saddle) return fail(['init', 'saddle'], `is for factorization problems (partial-SVD critical points of ‖UVᵀ − Y‖²), not ${p.kind}`);
    if (i.U || i.V) return fail(['init', 'saddle'], 'give either an explicit U and V or a saddle, not both');
    c.saddle(n, m, fail);
  }
}
