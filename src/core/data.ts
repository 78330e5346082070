/**
 * User data → Y: a CSV/TSV table of numbers, or an image as a grayscale matrix (and back, to draw a
 * reconstruction). Pure functions, no DOM: the page decodes an image into RGBA pixels (a canvas
 * `ImageData`) and reads a file into a string; everything after that happens here, so the CLI and the
 * tests see the same rules.
 *
 * Every user error is a `DataError` whose message is one sentence naming the row and column as they
 * appear in the file (both counted from 1, the header row and the label column included) and the cell.
 */
import { type Mat, zeros } from './linalg';

/** A problem with the user's data, as one sentence a user can act on. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export interface CsvMatrix {
  Y: Mat;
  /** the first column, when it holds labels rather than numbers (one per row of Y) */
  rowLabels?: string[];
  /** the header row, when it holds names rather than numbers (one per column of Y) */
  colLabels?: string[];
  /** with `allowMissing`: 1 where the cell held a number, 0 where it was missing (Y holds 0 there); absent when none was */
  mask?: Uint8Array;
}

/** Cells read as "missing" when missing entries are allowed (matrix completion). */
const MISSING = /^(|na|n\/a|nan|null|\?)$/i;

/** One record of the file: its cells and the line it starts on (1-based). */
interface CsvRecord { line: number; cells: string[] }

const DELIMITERS = [',', ';', '\t'] as const;

/** Plain decimal or scientific notation, as written by spreadsheets and numpy. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Non-finite spellings (numpy, R, spreadsheets): numbers, but not ones Y may hold. */
const NON_FINITE = /^[+-]?(?:inf|infinity|nan|na)$/i;

const isNumeric = (cell: string): boolean => NUMBER.test(cell) || NON_FINITE.test(cell);
const plural = (k: number, word: string): string => `${k} ${word}${k === 1 ? '' : 's'}`;
const grouped = (k: number): string => String(k).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const quote = (cell: string): string => JSON.stringify(cell.length > 40 ? `${cell.slice(0, 37)}...` : cell);

/**
 * The delimiter that occurs most often (outside quotes) in the first non-blank line; ties and
 * single-column files go to the comma. Decimal commas ("1,5") are not supported.
 */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuotes = false, seenContent = false;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (seenContent) break;
    } else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
    if (ch.trim() !== '') seenContent = true;
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/**
 * Split the text into records: RFC 4180 quoting (a quoted cell may hold the delimiter, a newline or a
 * doubled quote ""), LF, CRLF or CR line ends, spaces around cells trimmed, blank lines skipped.
 */
function splitRecords(text: string, delim: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false; // the current cell had a quoted part, kept verbatim (not trimmed)
  let inQuotes = false;
  let quotedSeen = false; // the record had a quoted cell (so a lone "" is a row, not a blank line)
  let line = 1, recordLine = 1, quoteLine = 1;
  const endCell = () => {
    cells.push(quoted ? cell : cell.trim());
    cell = '';
    quoted = false;
  };
  const endRecord = () => {
    endCell();
    const blank = cells.length === 1 && cells[0] === '' && !quotedSeen;
    if (!blank) records.push({ line: recordLine, cells });
    cells = [];
    quotedSeen = false;
  };
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (inQuotes) {
      if (ch === '"') {
        if (text[k + 1] === '"') { cell += '"'; k++; } else inQuotes = false;
      } else {
        if (ch === '\n' || (ch === '\r' && text[k + 1] !== '\n')) line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"') {
      // A quote opens a quoted part; spaces before it are layout, not content.
      if (cell.trim() === '') cell = '';
      inQuotes = true;
      quoted = quotedSeen = true;
      quoteLine = line;
    } else if (ch === delim) {
      endCell();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[k + 1] === '\n') k++;
      endRecord();
      line++;
      recordLine = line;
    } else if (quoted && ch.trim() === '') {
      // spaces after a closing quote: ignore
    } else {
      cell += ch;
    }
  }
  if (inQuotes) throw new DataError(`row ${quoteLine}: a quoted cell opens with " but is never closed`);
  endRecord();
  return records;
}

/**
 * The records of a CSV/TSV text as cells (delimiter detected, quoting and line ends as parseCsvMatrix reads
 * them), each with the line it starts on; for tables that are not all numbers (a price file's tickers and dates).
 */
export function csvRecords(text: string): { line: number; cells: string[] }[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new DataError('the file is empty');
  return splitRecords(body, detectDelimiter(body));
}

/**
 * Parse a table of numbers into Y. Comma, semicolon or tab separated (detected from the first line);
 * quoted cells, CRLF and blank lines are fine. A header row is recognised when most of its cells (after
 * any label column) are not numbers, a label column when most rows below the first start with a cell
 * that is not a number; numeric names such as years are therefore read as data.
 */
export function parseCsvMatrix(text: string, opts: { maxEntries?: number; allowMissing?: boolean } = {}): CsvMatrix {
  const maxEntries = opts.maxEntries ?? 1_000_000;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // byte-order mark from Excel
  if (body.trim() === '') throw new DataError('the data is empty: expected rows of numbers separated by commas, semicolons or tabs');

  const records = splitRecords(body, detectDelimiter(body));
  const width = records[0].cells.length;
  for (const rec of records) {
    if (rec.cells.length !== width) {
      throw new DataError(`row ${rec.line} has ${plural(rec.cells.length, 'value')}, the rows above have ${width}`);
    }
  }

  // Label column: decided on the rows below the first (which are data whether or not row 1 is a header).
  const below = records.length > 1 ? records.slice(1) : records;
  const labelCol = width > 1 && below.filter((r) => !isNumeric(r.cells[0])).length * 2 > below.length;
  const c0 = labelCol ? 1 : 0;
  const head = records[0].cells.slice(c0);
  const header = head.filter((c) => !isNumeric(c)).length * 2 > head.length;
  const data = header ? records.slice(1) : records;

  if (data.length < 1) throw new DataError('there are no rows of numbers below the header row');
  const n = data.length, m = width - c0;
  if (n * m > maxEntries) {
    throw new DataError(`the matrix has ${n} × ${m} = ${grouped(n * m)} entries, more than the limit of ${grouped(maxEntries)}`);
  }

  const Y = zeros(n, m);
  const mask = opts.allowMissing ? new Uint8Array(n * m).fill(1) : null;
  let missing = 0;
  data.forEach((rec, i) => {
    for (let j = 0; j < m; j++) {
      const cell = rec.cells[c0 + j];
      const where = `row ${rec.line}, column ${c0 + j + 1}`;
      if (mask && MISSING.test(cell.trim())) {
        mask[i * m + j] = 0;
        missing++;
        continue;
      }
      if (cell === '') throw new DataError(`${where} is empty; every cell of the matrix needs a number`);
      if (!isNumeric(cell)) {
        const hint = /^[+-]?\d+,\d+$/.test(cell) ? ' (decimal commas are not supported; write a point)' : '';
        throw new DataError(`${where}: ${quote(cell)} is not a number${hint}`);
      }
      const v = NON_FINITE.test(cell) ? NaN : Number(cell);
      if (!Number.isFinite(v)) throw new DataError(`${where}: ${quote(cell)} is not a finite number`);
      Y.data[i * m + j] = v;
    }
  });
  if (mask && missing === n * m) throw new DataError('every cell is missing: there is nothing to complete from');
  return {
    Y,
    ...(mask && missing ? { mask } : {}),
    ...(labelCol ? { rowLabels: data.map((r) => r.cells[0]) } : {}),
    ...(header ? { colLabels: head } : {}),
  };
}

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major from the top-left (a canvas ImageData's layout) */
  data: Uint8ClampedArray | number[];
}

/**
 * Box-filter weights for resampling `src` samples onto `dst` ≤ `src` equal cells: output k averages the
 * source interval [k·src/dst, (k+1)·src/dst), each source sample weighted by its overlap with it.
 */
function boxWeights(src: number, dst: number): { start: number; w: number[] }[] {
  const step = src / dst;
  const out: { start: number; w: number[] }[] = [];
  for (let k = 0; k < dst; k++) {
    const a = k * step, b = (k + 1) * step;
    const start = Math.floor(a);
    const w: number[] = [];
    for (let s = start; s < b && s < src; s++) w.push((Math.min(b, s + 1) - Math.max(a, s)) / step);
    out.push({ start, w });
  }
  return out;
}

/**
 * An RGBA image as a grayscale matrix in [0, 1] (rows = image rows): Rec. 601 luma
 * 0.299R + 0.587G + 0.114B, transparent pixels composited on white, then box-averaged down so the longer
 * side is at most `maxSide` (default 128) pixels, keeping the aspect ratio.
 */
export function imageToMatrix(img: RgbaImage, opts: { maxSide?: number } = {}): Mat {
  const { width: w, height: h, data } = img;
  const maxSide = opts.maxSide ?? 128;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1) throw new DataError(`the image is ${w}×${h} pixels; it needs at least one pixel`);
  if (data.length !== 4 * w * h) throw new DataError(`the image has ${data.length} bytes but ${w}×${h} RGBA pixels need ${4 * w * h}`);
  if (!Number.isInteger(maxSide) || maxSide < 1) throw new DataError(`maxSide is ${maxSide}; it must be a positive integer`);

  const gray = new Float64Array(w * h);
  for (let p = 0; p < w * h; p++) {
    const luma = (0.299 * data[4 * p] + 0.587 * data[4 * p + 1] + 0.114 * data[4 * p + 2]) / 255;
    const alpha = data[4 * p + 3] / 255;
    gray[p] = alpha * luma + (1 - alpha); // over white
  }
  const longer = Math.max(w, h);
  if (longer <= maxSide) return { rows: h, cols: w, data: gray };

  const outW = Math.max(1, Math.round((w * maxSide) / longer));
  const outH = Math.max(1, Math.round((h * maxSide) / longer));
  // Separable box filter: first along rows (w → outW), then along columns (h → outH).
  const cw = boxWeights(w, outW), ch = boxWeights(h, outH);
  const tmp = new Float64Array(h * outW);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < outW; x++) {
      const { start, w: ws } = cw[x];
      let s = 0;
      for (let t = 0; t < ws.length; t++) s += ws[t] * gray[y * w + start + t];
      tmp[y * outW + x] = s;
    }
  }
  const out = zeros(outH, outW);
  for (let y = 0; y < outH; y++) {
    const { start, w: ws } = ch[y];
    for (let x = 0; x < outW; x++) {
      let s = 0;
      for (let t = 0; t < ws.length; t++) s += ws[t] * tmp[(start + t) * outW + x];
      out.data[y * outW + x] = s;
    }
  }
  return out;
}

/** Y as opaque RGBA gray pixels (a canvas ImageData's layout), entries clamped to [0, 1]; NaN is black. */
export function matrixToGray(Y: Mat): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * Y.rows * Y.cols);
  for (let p = 0; p < Y.rows * Y.cols; p++) {
    const v = Y.data[p];
    const g = Number.isNaN(v) ? 0 : Math.round(255 * Math.min(1, Math.max(0, v)));
    out[4 * p] = out[4 * p + 1] = out[4 * p + 2] = g;
    out[4 * p + 3] = 255;
  }
  return out;
}
