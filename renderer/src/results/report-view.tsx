import { REPORT_NAMES, type PageColumn, type ReportName } from '../../../shared/results';
import { LoadMoreButton } from '../common/load-more';
import { COLUMN_LABELS } from './cell-text';
import { useApp } from '../store/store-context';

export const REPORT_LABELS: Record<ReportName, string> = {
  'broken-links': 'Broken links',
  'redirect-chains': 'Redirect chains',
  'duplicate-titles': 'Duplicate titles',
  'duplicate-descriptions': 'Duplicate descriptions',
  'duplicate-content': 'Duplicate content',
  'missing-titles': 'Missing titles',
  'missing-descriptions': 'Missing descriptions',
  'missing-h1': 'Missing H1',
  'multiple-h1': 'Multiple H1',
  'non-indexable': 'Non-indexable',
  'blocked-by-robots': 'Blocked by robots.txt',
  'slowest-pages': 'Slowest pages',
  'largest-pages': 'Largest pages',
  'depth-distribution': 'Depth distribution',
  'status-codes': 'Status codes',
  'sitemap-not-linked': 'In sitemap, not linked',
  'external-links': 'External links',
  'extracted-values': 'Extracted values',
};

export { REPORT_NAMES };

/**
 * A report column's heading: the URL table's for a column it shares
 * (`responseMs`: Response (ms)), else its name in words (`linkedFrom`:
 * Linked from). Exports keep the names, which scripts read.
 */
export function reportHeading(column: string): string {
  if (Object.hasOwn(COLUMN_LABELS, column)) return COLUMN_LABELS[column as PageColumn];
  if (column === 'urls') return 'URLs';
  const words = column.replace(/[A-Z]/g, (letter) => ` ${letter.toLowerCase()}`);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One report of a job: its own columns, rows fetched a batch at a time. */
export function ReportView({ jobId }: { jobId: number }) {
  const report = useApp((state) => state.report);
  const loadMore = useApp((state) => state.loadMoreReport);
  if (report === null) return null;
  const { result } = report;
  return (
    <section aria-label={REPORT_LABELS[report.name]} className="report">
      {report.state === 'error' && (
        <p className="error" role="alert">
          Could not run the report: {report.error}
        </p>
      )}
      {result === null && report.state === 'loading' && (
        <p className="loading">Running the report…</p>
      )}
      {result !== null && (
        <>
          <h3>{result.title}</h3>
          {result.rows.length === 0 ? (
            <p className="empty">Nothing to report: no URL of this job matches.</p>
          ) : (
            <div className="report-scroller">
              <table className="data compact">
                <thead>
                  <tr>
                    {result.columns.map((column) => (
                      <th key={column} scope="col">
                        {reportHeading(column)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {result.rows.map((row, index) => (
                    <tr key={index}>
                      {result.columns.map((column) => (
                        <td key={column} className="long-text">
                          {row[column] === null ? '' : String(row[column])}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {result.nextCursor !== null && (
            <LoadMoreButton
              loading={report.state === 'loading'}
              onClick={() => void loadMore(jobId)}
            />
          )}
        </>
      )}
    </section>
  );
}
