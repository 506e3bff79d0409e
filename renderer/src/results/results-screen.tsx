import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../shared/crawler-api';
import type { PageColumn, ReportName } from '../../../shared/results';
import { viewOf } from '../store/results-slice';
import type { ResultsTab } from '../store/route';
import { useApp } from '../store/store-context';
import { ColumnChooser } from './column-chooser';
import { ExportDialog } from './export-dialog';
import { FilterBar } from './filter-bar';
import { GoToRow } from './go-to-row';
import { PageDetailDrawer } from './page-detail-drawer';
import { PagesTable } from './pages-table';
import { REPORT_LABELS, REPORT_NAMES, ReportView } from './report-view';

/** A job's results: the URL table with its filters, the reports, page detail and export. */
export function ResultsScreen({ job }: { job: JobInfo }) {
  const table = useApp((state) => state.table);
  const queryTable = useApp((state) => state.queryTable);
  const loadMoreRows = useApp((state) => state.loadMoreRows);
  const goToRow = useApp((state) => state.goToRow);
  const pageDetail = useApp((state) => state.pageDetail);
  const openPageDetail = useApp((state) => state.openPageDetail);
  const closePageDetail = useApp((state) => state.closePageDetail);
  const loadMoreLinks = useApp((state) => state.loadMoreLinks);
  const openReport = useApp((state) => state.openReport);
  const refreshTable = useApp((state) => state.refreshTable);
  // The view is the address's (location-sync): reload and back/forward keep it.
  const tab = useApp((state) => state.resultsTab);
  const filters = useApp((state) => state.resultsFilters);
  const sort = useApp((state) => state.resultsSort);
  const columns = useApp((state) => state.resultsColumns);
  const setResultsView = useApp((state) => state.setResultsView);
  const [exporting, setExporting] = useState(false);

  const query = table?.query.jobId === job.id ? table.query : null;
  // The table follows the view shown: its filters, sort and columns.
  useEffect(() => {
    if (query?.filters !== filters || query.sort !== sort || query.columns !== columns)
      void queryTable({ jobId: job.id, columns, sort, filters });
  }, [job.id, query, filters, sort, columns, queryTable]);
  useEffect(() => {
    if (tab !== 'urls') void openReport(job.id, tab);
  }, [job.id, tab, openReport]);

  const sortBy = (column: PageColumn) => {
    const direction = sort?.column === column && sort.direction === 'asc' ? 'desc' : 'asc';
    setResultsView({ sort: { column, direction } });
  };

  return (
    <section className="results" aria-labelledby="results-title">
      <div className="screen-head">
        <h2 id="results-title">
          Results of job {job.id}: {job.name}
        </h2>
        <div className="actions">
          <label>
            View{' '}
            <select
              value={tab}
              onChange={(event) => setResultsView({ tab: event.target.value as ResultsTab })}
            >
              <option value="urls">All URLs</option>
              <optgroup label="Reports">
                {REPORT_NAMES.map((name) => (
                  <option key={name} value={name}>
                    {REPORT_LABELS[name]}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          {/* A crawl (here, or `trawl crawl`) stores rows after they were asked for. */}
          <button
            type="button"
            onClick={() => void (tab === 'urls' ? refreshTable() : openReport(job.id, tab))}
          >
            Refresh
          </button>
          <button type="button" onClick={() => setExporting(true)}>
            Export…
          </button>
        </div>
      </div>
      {tab === 'urls' && query && table && (
        <>
          <div className="table-tools">
            <FilterBar
              key={query.jobId}
              filters={filters}
              onChange={(next) => setResultsView({ filters: next })}
            />
            <GoToRow total={table.total} onGo={(row) => void goToRow(row)} />
            <ColumnChooser
              columns={query.columns}
              onChange={(chosen) => setResultsView({ columns: chosen })}
            />
          </div>
          <PagesTable
            table={table}
            onSort={sortBy}
            onOpen={(url) => void openPageDetail(job.id, url)}
            onLoadMore={loadMoreRows}
          />
        </>
      )}
      {tab !== 'urls' && <ReportView jobId={job.id} />}
      {pageDetail && (
        <PageDetailDrawer
          view={pageDetail}
          onClose={closePageDetail}
          onMoreLinks={(direction) => void loadMoreLinks(job.id, direction)}
        />
      )}
      {exporting && (
        <ExportDialog
          base={
            // Exactly what the table shows: its rows in its order, its columns in theirs.
            tab === 'urls' && query
              ? { ...viewOf(query), columns: query.columns }
              : { jobId: job.id, report: tab as ReportName }
          }
          onClose={() => setExporting(false)}
        />
      )}
    </section>
  );
}
