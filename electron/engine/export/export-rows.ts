import type { Db } from '../store/database';
import { PAGE_COLUMNS, type ExportRequest, type ReportRow } from '../../../shared/results';
import { iteratePageRows } from '../results/page-query';
import { iterateReport } from '../results/reports';

/** A table to export: column names, rows streamed in order, and the row count if cheap to know. */
export interface ExportTable {
  columns: readonly string[];
  rows: Iterable<ReportRow>;
  total: number | null;
}

/**
 * The rows an export writes: a report, or the URL table as a view of it
 * shows it (filtered, sorted with the table's keyset order, exactly the
 * columns chosen in their order; every column unless chosen).
 */
export function exportTable(db: Db, request: ExportRequest): ExportTable {
  if (request.report) {
    const { columns, rows } = iterateReport(db, request.jobId, request.report);
    return { columns, rows, total: null };
  }
  const table = iteratePageRows(db, {
    jobId: request.jobId,
    columns: request.columns ?? [...PAGE_COLUMNS],
    ...(request.filters && { filters: request.filters }),
    ...(request.sort && { sort: request.sort }),
  });
  const rows = table.rows as Iterable<ReportRow>;
  // The query always brings url and kind along; a view that hides them leaves them out.
  const chosen = request.columns;
  return chosen === undefined
    ? { columns: table.columns, rows, total: table.total() }
    : { columns: chosen, rows: only(chosen, rows), total: table.total() };
}

function* only(columns: readonly string[], rows: Iterable<ReportRow>): Generator<ReportRow> {
  for (const row of rows)
    yield Object.fromEntries(columns.map((column) => [column, row[column] ?? null]));
}
