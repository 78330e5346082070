import { describe, expect, it } from 'vitest';
import { DataError, imageToMatrix, matrixToGray, parseCsvMatrix } from '../../src/core/data';
import { fromArray } from '../../src/core/linalg';

const rowsOf = (text: string, opts?: { maxEntries?: number }) => {
  const { Y } = parseCsvMatrix(text, opts);
  return Array.from({ length: Y.rows }, (_, i) => Array.from(Y.data.subarray(i * Y.cols, (i + 1) * Y.cols)));
};

describe('parseCsvMatrix: what it reads', () => {
  it('reads comma, semicolon and tab separated numbers', () => {
    const want = [[1, 2.5, -3], [4e2, 0.5, 6]];
    expect(rowsOf('1,2.5,-3\n4e2,.5,6')).toEqual(want);
    expect(rowsOf('1;2.5;-3\n4e2;.5;6')).toEqual(want);
    expect(rowsOf('1\t2.5\t-3\n4e2\t.5\t6')).toEqual(want);
  });

  it('reads a single column and a single number', () => {
    expect(rowsOf('1\n2\n3')).toEqual([[1], [2], [3]]);
    expect(rowsOf('7')).toEqual([[7]]);
  });

  it('accepts CRLF, a trailing newline, blank trailing lines, spaces around cells and a byte-order mark', () => {
    expect(rowsOf('\uFEFF 1 , 2\r\n3 ,4 \r\n\r\n  \n')).toEqual([[1, 2], [3, 4]]);
    expect(rowsOf('1,2\r3,4\r')).toEqual([[1, 2], [3, 4]]);
  });

  it('reads quoted cells, with delimiters, doubled quotes and newlines inside', () => {
    const r = parseCsvMatrix('"name","a, b","say ""hi"""\n"x\ny",1,"2"\nz,3,4\n');
    expect(r.colLabels).toEqual(['a, b', 'say "hi"']);
    expect(r.rowLabels).toEqual(['x\ny', 'z']);
    expect(Array.from(r.Y.data)).toEqual([1, 2, 3, 4]);
  });

  it('detects a header row', () => {
    const r = parseCsvMatrix('a,b,c\n1,2,3\n4,5,6');
    expect(r.colLabels).toEqual(['a', 'b', 'c']);
    expect(r.rowLabels).toBeUndefined();
    expect([r.Y.rows, r.Y.cols]).toEqual([2, 3]);
  });

  it('detects a label column', () => {
    const r = parseCsvMatrix('x;1;2\ny;3;4\nz;5;6');
    expect(r.rowLabels).toEqual(['x', 'y', 'z']);
    expect(r.colLabels).toBeUndefined();
    expect(Array.from(r.Y.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('detects both, with or without a corner label', () => {
    for (const corner of ['', 'month']) {
      const r = parseCsvMatrix(`${corner}\tA\tB\n2006-01\t1\t2\n2006-02\t3\t4\n`);
      expect(r.colLabels).toEqual(['A', 'B']);
      expect(r.rowLabels).toEqual(['2006-01', '2006-02']);
      expect(Array.from(r.Y.data)).toEqual([1, 2, 3, 4]);
    }
  });

  it('reads numeric column names (years) as data, since nothing tells them apart', () => {
    const r = parseCsvMatrix('2006,2007\n1,2');
    expect(r.colLabels).toBeUndefined();
    expect(r.Y.rows).toBe(2);
  });

  it('keeps every entry exactly as written', () => {
    expect(rowsOf('0.1,-0,1e-300,+7')).toEqual([[0.1, -0, 1e-300, 7]]);
  });
});

describe('parseCsvMatrix: every error is one DataError sentence naming row, column and cell', () => {
  const cases: { name: string; text: string; opts?: { maxEntries?: number }; message: string }[] = [
    { name: 'a word among numbers', text: '1,2,3\n4,5,6\n7,abc,9', message: 'row 3, column 2: "abc" is not a number' },
    { name: 'the same under a header, numbered as in the file', text: 'a,b\n1,2\n3,x', message: 'row 3, column 2: "x" is not a number' },
    { name: 'the same beside a label column', text: 'p;1;2\nq;3;oops', message: 'row 2, column 3: "oops" is not a number' },
    { name: 'a decimal comma in a semicolon file', text: '1;2\n3;4,5', message: 'row 2, column 2: "4,5" is not a number (decimal commas are not supported; write a point)' },
    { name: 'ragged rows', text: '1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5,6\n1,2,3,4,5', message: 'row 4 has 5 values, the rows above have 6' },
    { name: 'a row with one value', text: '1,2\n3', message: 'row 2 has 1 value, the rows above have 2' },
    { name: 'an empty cell', text: '1,2\n3,', message: 'row 2, column 2 is empty; every cell of the matrix needs a number' },
    { name: 'empty input', text: '', message: 'the data is empty: expected rows of numbers separated by commas, semicolons or tabs' },
    { name: 'blank lines only', text: '\r\n \n\t\n', message: 'the data is empty: expected rows of numbers separated by commas, semicolons or tabs' },
    { name: 'NaN', text: '1,NaN', message: 'row 1, column 2: "NaN" is not a finite number' },
    { name: 'Infinity', text: '1,2\n-inf,4', message: 'row 2, column 1: "-inf" is not a finite number' },
    { name: 'overflow', text: '1e999', message: 'row 1, column 1: "1e999" is not a finite number' },
    { name: 'too many entries', text: '1,2,3\n4,5,6', opts: { maxEntries: 5 }, message: 'the matrix has 2 × 3 = 6 entries, more than the limit of 5' },
    { name: 'a header and no rows', text: 'a,b,c\n', message: 'there are no rows of numbers below the header row' },
    { name: 'a column of words', text: 'a\nb\nc', message: 'row 2, column 1: "b" is not a number' },
    { name: 'labels and words', text: 'x,a\ny,b', message: 'row 2, column 2: "b" is not a number' },
    { name: 'an unclosed quote', text: '1,2\n3,"4\n5,6', message: 'row 2: a quoted cell opens with " but is never closed' },
    { name: 'a long cell is shortened', text: `1,${'x'.repeat(100)}\n2,3`, message: `row 1, column 2: "${'x'.repeat(37)}..." is not a number` },
  ];
  it.each(cases)('$name', ({ text, opts, message }) => {
    let err: unknown;
    try {
      parseCsvMatrix(text, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toBe(message);
    expect((err as DataError).name).toBe('DataError');
  });

  it('allows a million entries by default and refuses one more', () => {
    const row = new Array(1000).fill('1').join(',');
    const ok = new Array(1000).fill(row).join('\n');
    expect(parseCsvMatrix(ok).Y.data.length).toBe(1_000_000);
    expect(() => parseCsvMatrix(`${ok}\n${row}`)).toThrow('the matrix has 1001 × 1000 = 1,001,000 entries, more than the limit of 1,000,000');
  });
});

/** A w×h RGBA image with every pixel `rgba`. */
const solid = (w: number, h: number, rgba: [number, number, number, number]) => ({
  width: w, height: h, data: Uint8ClampedArray.from({ length: 4 * w * h }, (_, k) => rgba[k % 4]),
});

describe('imageToMatrix', () => {
  it('uses Rec. 601 luma, rows = image rows', () => {
    const img = { width: 3, height: 2, data: [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255, 51, 51, 51, 255] };
    const Y = imageToMatrix(img);
    expect([Y.rows, Y.cols]).toEqual([2, 3]);
    const want = [0.299, 0.587, 0.114, 0, 1, 0.2];
    want.forEach((v, k) => expect(Y.data[k]).toBeCloseTo(v, 12));
  });

  it('composites transparency on white', () => {
    expect(imageToMatrix(solid(1, 1, [0, 0, 0, 0])).data[0]).toBe(1);
    expect(imageToMatrix(solid(1, 1, [0, 0, 0, 255])).data[0]).toBe(0);
    expect(imageToMatrix(solid(1, 1, [0, 0, 0, 51])).data[0]).toBeCloseTo(0.8, 12);
  });

  it('leaves an image that fits alone and shrinks the longer side to maxSide, keeping the aspect ratio', () => {
    expect(imageToMatrix(solid(128, 40, [9, 9, 9, 255]))).toMatchObject({ rows: 40, cols: 128 });
    const Y = imageToMatrix(solid(300, 200, [102, 102, 102, 255]));
    expect([Y.rows, Y.cols]).toEqual([85, 128]);
    for (const v of Y.data) expect(v).toBeCloseTo(0.4, 12); // a constant image stays constant
    expect(imageToMatrix(solid(10, 1000, [0, 0, 0, 255]), { maxSide: 50 })).toMatchObject({ rows: 50, cols: 1 });
  });

  it('box-averages: integer factors average whole blocks, fractional ones weigh by overlap', () => {
    // 4×2 image, columns black, white, white, black: halved → [0.5, 0.5]
    const px = (g: number) => [g, g, g, 255];
    const img = { width: 4, height: 2, data: [0, 255, 255, 0, 0, 255, 255, 0].flatMap(px) };
    expect(Array.from(imageToMatrix(img, { maxSide: 2 }).data)).toEqual([0.5, 0.5]);
    // 3 columns white, black, white onto 2: [1 + 0.5·0]/1.5 = 2/3 each side
    const img3 = { width: 3, height: 1, data: [255, 0, 255].flatMap(px) };
    const Y = imageToMatrix(img3, { maxSide: 2 });
    expect(Y.cols).toBe(2);
    Y.data.forEach((v) => expect(v).toBeCloseTo(2 / 3, 12));
    // the mean is preserved
    const rnd = { width: 37, height: 23, data: Array.from({ length: 4 * 37 * 23 }, (_, k) => (k % 4 === 3 ? 255 : (k * 7919) % 256)) };
    const full = imageToMatrix(rnd), small = imageToMatrix(rnd, { maxSide: 10 });
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect([small.rows, small.cols]).toEqual([6, 10]);
    expect(mean(small.data)).toBeCloseTo(mean(full.data), 2);
  });

  it('refuses malformed images', () => {
    expect(() => imageToMatrix({ width: 0, height: 3, data: [] })).toThrow(new DataError('the image is 0×3 pixels; it needs at least one pixel'));
    expect(() => imageToMatrix({ width: 2, height: 2, data: [1, 2, 3] })).toThrow(new DataError('the image has 3 bytes but 2×2 RGBA pixels need 16'));
    expect(() => imageToMatrix(solid(2, 2, [0, 0, 0, 255]), { maxSide: 0 })).toThrow(new DataError('maxSide is 0; it must be a positive integer'));
  });
});

describe('matrixToGray', () => {
  it('writes opaque gray RGBA, clamped to [0, 1]', () => {
    const px = matrixToGray(fromArray(1, 5, [0, 0.5, 1, -3, 7]));
    expect(Array.from(px)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it('round-trips a gray image', () => {
    const img = { width: 4, height: 3, data: Array.from({ length: 12 }, (_, p) => [p * 20, p * 20, p * 20, 255]).flat() };
    expect(Array.from(matrixToGray(imageToMatrix(img)))).toEqual(img.data);
  });
});

describe('parseCsvMatrix with allowMissing (matrix completion)', () => {
  it('reads empty, NA, NaN and ? cells as missing: 0 in Y, 0 in the mask', () => {
    const r = parseCsvMatrix('1,,3\nNA,5,?\n7,NaN,9', { allowMissing: true });
    expect(Array.from(r.Y.data)).toEqual([1, 0, 3, 0, 5, 0, 7, 0, 9]);
    expect(Array.from(r.mask!)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1]);
  });
  it('has no mask when nothing is missing, and still refuses words and infinities', () => {
    expect(parseCsvMatrix('1,2\n3,4', { allowMissing: true }).mask).toBeUndefined();
    expect(() => parseCsvMatrix('1,x\n3,4', { allowMissing: true })).toThrow('row 1, column 2: "x" is not a number');
    expect(() => parseCsvMatrix('1,inf\n3,4', { allowMissing: true })).toThrow('row 1, column 2: "inf" is not a finite number');
  });
  it('refuses a table with no observed cell', () => {
    expect(() => parseCsvMatrix('NA,\n?,NaN', { allowMissing: true })).toThrow('every cell is missing');
  });
});
