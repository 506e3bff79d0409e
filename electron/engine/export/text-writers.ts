import { stringify } from 'csv-stringify';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportTable } from './export-rows';

/** Counts rows as they pass and reports progress. */
export function* counted<T>(rows: Iterable<T>, onRow: () => void): Generator<T> {
  for (const row of rows) {
    onRow();
    yield row;
  }
}

/**
 * RFC 4180 CSV (CRLF line ends, quotes where needed: around any line break), UTF-8, a header row,
 * optional BOM; optionally with formulas escaped (csv-stringify's OWASP rule).
 */
export async function writeCsv(
  table: ExportTable,
  out: Writable,
  options: { bom: boolean; escapeFormulas: boolean },
): Promise<void> {
  await pipeline(
    Readable.from(table.rows),
    stringify({
      header: true,
      columns: [...table.columns],
      bom: options.bom,
      escape_formulas: options.escapeFormulas,
      record_delimiter: 'windows',
      // With CRLF records, a lone LF or CR in a value would go unquoted: Excel and Python's
      // csv end a record there too.
      quote_record_delimiter: true,
      cast: { boolean: (value) => (value ? 'true' : 'false') },
    }),
    out,
  );
}

/** Text made of pieces, written with backpressure (Readable.from pulls only as fast as `out` drains). */
export async function writeLines(lines: Iterable<string>, out: Writable): Promise<void> {
  await pipeline(Readable.from(lines), out);
}

const LINE_SEPARATORS = /[\u0085\u2028\u2029]/g;

/**
 * A value as JSON on one line. U+0085, U+2028 and U+2029 (from scraped text)
 * are written escaped: JSON as they are, but Python's `splitlines()`, and
 * editors, end a line at them, splitting a record in two.
 */
export function jsonLine(value: unknown): string {
  const text = JSON.stringify(value);
  return text.search(LINE_SEPARATORS) === -1
    ? text
    : text.replace(
        LINE_SEPARATORS,
        (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
}

export function* ndjsonLines(rows: Iterable<unknown>): Generator<string> {
  for (const row of rows) yield `${jsonLine(row)}\n`;
}

/** One JSON array, one element a line, streamed. */
export function* jsonArrayLines(rows: Iterable<unknown>): Generator<string> {
  let first = true;
  yield '[';
  for (const row of rows) {
    yield `${first ? '\n' : ',\n'}${jsonLine(row)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
