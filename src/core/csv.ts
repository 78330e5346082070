/**
 * The one CSV writer of the lab: every table the app or the CLI exports goes through `toCsv`, so a
 * method's name with a comma, a quote or a line break in it cannot shift a column.
 *
 * Fields follow RFC 4180: a field holding a comma, a double quote, CR or LF is enclosed in double quotes,
 * its quotes doubled. Records end with LF (as the lab's CSVs always have; every CSV reader takes it).
 */

/** One cell: text, a number (every digit; NaN and ±Infinity spelled as JavaScript spells them), or nothing (an empty field). */
export type CsvCell = string | number | null | undefined;

/** One field as RFC 4180 writes it. */
export function csvField(v: CsvCell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows of cells (the header is the first row) as CSV text, each record ended by LF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
