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

/** The rows an export writes: a report, or the URL table (filtered; every column unless chosen). */
export function exportTable(db: Db, request: ExportRequest): ExportTable {
  if (request.report) {
    const { columns, rows } = iterateReport(db, request.jobId, request.report);
    return { columns, rows, total: null };
  }
  const table = iteratePageRows(db, {
    jobId: request.jobId,
    columns: request.columns ?? [...PAGE_COLUMNS],
    ...(request.filters && { filters: request.filters }),
  });
  return { columns: table.columns, rows: table.rows as Iterable<ReportRow>, total: table.total() };
}
