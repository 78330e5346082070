// The bytes model of one factorization iteration (src/gpu/layout.ts iterationBytes), checked against a
// count made by hand from the kernels' descriptions for a small DGD+LOCAL batch: J = 2 nodes of
// n = 64 rows and 64 columns each, r = 8 (no padding), TB = 32 rows per factor_step workgroup.
import { describe, expect, it } from 'vitest';
import { type Mat } from '../../src/core/linalg';
import { computeLayout, iterationBytes } from '../../src/gpu/layout';

const block = (rows: number, cols: number): Mat => ({ rows, cols, data: new Float64Array(rows * cols) });

describe('iterationBytes', () => {
  it('counts Y once, U three times, V four times and the partials twice (4 bytes a word)', () => {
    const blocks = [block(64, 64), block(64, 64)];
    const W: Mat = { rows: 2, cols: 2, data: Float64Array.from([0.5, 0.5, 0.5, 0.5]) };
    const L = computeLayout({ n: 64, r: 8, partition: [64, 64], classical: false, trials: [{ blocks, W, mu: 0.01 }] });
    const Y = 64 * 128, U = 2 * 64 * 8, V = 128 * 8, P = (64 / 32) * 128 * 8;
    // grams: U + V; factor_step: Y + U (read) + U (written) + V + P (written); v_update: P + V (read) + V (written)
    expect(iterationBytes(L)).toBe(4 * (U + V + (Y + 2 * U + V + P) + (P + 2 * V)));
    expect(iterationBytes(L)).toBe(77824);
  });
});
