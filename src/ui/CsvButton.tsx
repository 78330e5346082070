/** A table's CSV download: every table of numbers in the app exports through the one writer (src/core/csv.ts). */
import { type CsvCell, toCsv } from '../core/csv';
import { download } from './download';

/** `rows` (the header first) are read when the button is pressed; `what` names the table for a screen reader and the tooltip. */
export function CsvButton({ file, rows, what }: { file: string; rows: () => readonly (readonly CsvCell[])[]; what: string }) {
  return (
    <button type="button" className="csv-button" aria-label={`${what} as CSV`} title={`Download ${what} as CSV (${file}), every digit`}
      onClick={() => download(file, toCsv(rows()), 'text/csv')}>
      CSV
    </button>
  );
}
