// ŪV̄ᵀ from a result's final iterate (the completed matrix the app downloads), against a direct product.
import { describe, expect, it } from 'vitest';
import { matrixCsv, productOfFactors } from '../../src/core/result';

describe('productOfFactors', () => {
  it('averages per-node factors, multiplies, and writes every digit', () => {
    // two nodes' U (2×1 each) and one V (3×1): Ū = [1.5, 3], V = [1, 2, 1/3]
    const m = productOfFactors({ U: { shape: [2, 2, 1], data: [1, 2, 2, 4] }, V: { shape: [3, 1], data: [1, 2, 1 / 3] } })!;
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(Array.from(m.data)).toEqual([1.5, 3, 0.5, 3, 6, 1]);
    expect(matrixCsv(m)).toBe('1.5,3,0.5\n3,6,1\n');
    expect(matrixCsv({ rows: 1, cols: 1, data: [1 / 3] })).toBe('0.3333333333333333\n');
  });

  it('a per-node V is averaged too; a result without both factors has none', () => {
    const m = productOfFactors({ U: { shape: [1, 1], data: [2] }, V: { shape: [2, 1, 1], data: [1, 3] } })!;
    expect(Array.from(m.data)).toEqual([4]);
    expect(productOfFactors({ U: { shape: [2, 1], data: [1, 2] } })).toBeNull();
    expect(productOfFactors({ U: { shape: [2, 1], data: [1, 2] }, V: { shape: [2, 2], data: [1, 2, 3, 4] } })).toBeNull();
  });
});
