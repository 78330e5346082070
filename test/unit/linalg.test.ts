import { describe, expect, it } from 'vitest';
import { fromArray, matmul, matmulNT, matmulTN, svd, symEig, transpose, norm2, sub, columns, spectralNorm } from '../../src/core/linalg';
import { Rng } from '../../src/core/rng';

const rand = (r: number, c: number, seed: number) => fromArray(r, c, new Rng(seed).normals(r * c));

describe('linalg', () => {
  it('multiplies a hand-computed example', () => {
    const A = fromArray(2, 3, [1, 2, 3, 4, 5, 6]);
    const B = fromArray(3, 2, [7, 8, 9, 10, 11, 12]);
    expect(Array.from(matmul(A, B).data)).toEqual([58, 64, 139, 154]);
  });

  it('transposed products agree with explicit transposes', () => {
    const A = rand(5, 3, 1), B = rand(5, 4, 2), C = rand(6, 3, 3);
    expect(norm2(sub(matmulTN(A, B), matmul(transpose(A), B)).data)).toBeLessThan(1e-26);
    expect(norm2(sub(matmulNT(A, C), matmul(A, transpose(C))).data)).toBeLessThan(1e-26);
  });

  it('SVD reconstructs wide and tall matrices with descending singular values', () => {
    for (const [r, c] of [[7, 4], [4, 7], [5, 5]]) {
      const A = rand(r, c, r * 10 + c);
      const { P, s, Q } = svd(A);
      for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
      const k = s.length;
      const PS = fromArray(P.rows, k, P.data.map((v, idx) => v * s[idx % k]));
      expect(norm2(sub(matmulNT(PS, Q), A).data)).toBeLessThan(1e-24);
    }
    expect(spectralNorm(fromArray(2, 2, [3, 0, 0, -5]))).toBeCloseTo(5, 14);
  });

  it('symmetric eigenvalues of a known matrix, ascending', () => {
    const { values } = symEig(fromArray(2, 2, [2, 1, 1, 2]));
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
  });

  it('extracts column blocks', () => {
    const A = fromArray(2, 3, [1, 2, 3, 4, 5, 6]);
    expect(Array.from(columns(A, 1, 2).data)).toEqual([2, 3, 5, 6]);
  });
});
