import {
  type LinkQueryResult,
  type PageColumn,
  type PageDetail,
  type PageFilters,
  type PageRow,
  type ReportName,
  type ReportResult,
} from '../../../shared/results';
import type { SliceCreator } from './app-store';
import { errorMessage } from './error-message';
import type { LoadState } from './jobs-slice';
import { isCrawling } from './progress-slice';
import type { TableSort } from './route';

/** Rows fetched per request while scrolling. */
export const RESULTS_BATCH = 200;

export interface TableQuery {
  jobId: number;
  columns: PageColumn[];
  sort: TableSort | null;
  filters: PageFilters;
}

export interface ResultsTable {
  query: TableQuery;
  /** The row number (1-based, in the whole view) of `rows[0]`: above 1 after "go to row". */
  firstRow: number;
  rows: PageRow[];
  nextCursor: string | null;
  total: number | null;
  state: LoadState;
  error: string | null;
}

/** Links to or on a page, a batch at a time (a home page has one from every page). */
export interface LinkList extends LinkQueryResult {
  loading: boolean;
}

export interface PageDetailView {
  url: string;
  state: LoadState;
  error: string | null;
  detail: PageDetail | null;
  inlinks: LinkList;
  outlinks: LinkList;
}

const NO_LINKS: LinkList = { rows: [], nextCursor: null, loading: false };
const LINK_LISTS = { in: 'inlinks', out: 'outlinks' } as const;

export interface ReportView {
  name: ReportName;
  state: LoadState;
  error: string | null;
  result: ReportResult | null;
}

export interface ResultsSlice {
  table: ResultsTable | null;
  pageDetail: PageDetailView | null;
  report: ReportView | null;
  /** Starts a new table (a job, columns, sort or filters changed) from its first rows. */
  queryTable(query: TableQuery): Promise<void>;
  /** Fetches the next rows of the table (keyset paging); no-op while loading or at the end. */
  loadMoreRows(): Promise<void>;
  /** Restarts the table at row `row` (1-based) of the same view: the host seeks its cursor. */
  goToRow(row: number): Promise<void>;
  openPageDetail(jobId: number, url: string): Promise<void>;
  /** Fetches the next links of the open page detail's inlinks (`in`) or outlinks (`out`). */
  loadMoreLinks(jobId: number, direction: 'in' | 'out'): Promise<void>;
  closePageDetail(): void;
  openReport(jobId: number, name: ReportName): Promise<void>;
  loadMoreReport(jobId: number): Promise<void>;
  /** Asks for the table's view again from its first row, newly counted: a crawl stores more. */
  refreshTable(): Promise<void>;
}

/** Only the filters that say something: the schema refuses empty strings and lists. */
function cleanFilters(filters: PageFilters): PageFilters {
  return Object.fromEntries(
    Object.entries(filters).filter(
      ([, value]) =>
        value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0),
    ),
  ) as PageFilters;
}

/** The view a query shows, as the host's page questions (and exports) take it. */
export const viewOf = (query: TableQuery) => ({
  jobId: query.jobId,
  ...(query.sort ? { sort: query.sort } : {}),
  filters: cleanFilters(query.filters),
});

export const createResultsSlice: SliceCreator<ResultsSlice> = (api) => (set, get) => {
  /** Whether a job is crawling (here, or elsewhere as last listed), so its rows still grow. */
  const crawling = (jobId: number) => {
    const { progress, jobs } = get();
    return isCrawling(progress[jobId]?.status ?? jobs.find((job) => job.id === jobId)?.status);
  };
  /**
   * Fetches one batch of the table, after `cursor` (null: from the first row,
   * counting the view too, as every batch of a crawling job does: its count
   * grows meanwhile); `fresh` replaces the rows instead of appending.
   * Stale answers (the query or position changed meanwhile) are dropped.
   */
  const fetchRows = async (query: TableQuery, cursor: string | null, fresh: boolean) => {
    try {
      const result = await api.queryPages({
        ...viewOf(query),
        columns: query.columns,
        limit: RESULTS_BATCH,
        ...(cursor === null ? {} : { cursor }),
        ...((cursor === null || crawling(query.jobId)) && { withTotal: true }),
      });
      const table = get().table;
      if (table === null || table.query !== query) return;
      set({
        table: {
          ...table,
          rows: fresh ? result.rows : [...table.rows, ...result.rows],
          nextCursor: result.nextCursor,
          total: result.total ?? table.total,
          state: 'ready',
          error: null,
        },
      });
    } catch (error) {
      const table = get().table;
      if (table === null || table.query !== query) return;
      set({ table: { ...table, state: 'error', error: errorMessage(error) } });
    }
  };

  return {
    table: null,
    pageDetail: null,
    report: null,
    async queryTable(query) {
      set({
        table: {
          query,
          firstRow: 1,
          rows: [],
          nextCursor: null,
          total: null,
          state: 'loading',
          error: null,
        },
      });
      await fetchRows(query, null, true);
    },
    async loadMoreRows() {
      const table = get().table;
      if (table === null || table.state !== 'ready' || table.nextCursor === null) return;
      set({ table: { ...table, state: 'loading' } });
      await fetchRows(table.query, table.nextCursor, false);
    },
    async goToRow(row) {
      const table = get().table;
      if (table === null) return;
      // A copy of the query marks this jump: answers for an earlier position are dropped.
      const query = { ...table.query };
      set({
        table: { ...table, query, firstRow: row, rows: [], nextCursor: null, state: 'loading' },
      });
      try {
        const { cursor } = await api.seekPages({ ...viewOf(query), row });
        if (get().table?.query !== query) return;
        await fetchRows(query, cursor, true);
      } catch (error) {
        const current = get().table;
        if (current?.query === query)
          set({ table: { ...current, state: 'error', error: errorMessage(error) } });
      }
    },
    async openPageDetail(jobId, url) {
      const view: PageDetailView = {
        url,
        state: 'loading',
        error: null,
        detail: null,
        inlinks: NO_LINKS,
        outlinks: NO_LINKS,
      };
      set({ pageDetail: view });
      try {
        const [detail, inlinks, outlinks] = await Promise.all([
          api.pageDetail({ jobId, url }),
          api.queryLinks({ jobId, url, direction: 'in', limit: RESULTS_BATCH }),
          api.queryLinks({ jobId, url, direction: 'out', limit: RESULTS_BATCH }),
        ]);
        if (get().pageDetail?.url !== url) return;
        set({
          pageDetail: {
            ...view,
            state: 'ready',
            detail,
            inlinks: { ...inlinks, loading: false },
            outlinks: { ...outlinks, loading: false },
          },
        });
      } catch (error) {
        if (get().pageDetail?.url !== url) return;
        set({ pageDetail: { ...view, state: 'error', error: errorMessage(error) } });
      }
    },
    async loadMoreLinks(jobId, direction) {
      const view = get().pageDetail;
      const key = LINK_LISTS[direction];
      const list = view?.[key];
      if (!view || !list || list.loading || list.nextCursor === null) return;
      // Only to the same page's list, still where this batch follows on (not reopened).
      const update = (next: (current: LinkList) => Partial<PageDetailView>) => {
        const current = get().pageDetail;
        if (current?.url === view.url && current[key].nextCursor === list.nextCursor)
          set({ pageDetail: { ...current, ...next(current[key]) } });
      };
      update((current) => ({ [key]: { ...current, loading: true } }));
      try {
        const more = await api.queryLinks({
          jobId,
          url: view.url,
          direction,
          limit: RESULTS_BATCH,
          cursor: list.nextCursor,
        });
        update((current) => ({
          [key]: {
            rows: [...current.rows, ...more.rows],
            nextCursor: more.nextCursor,
            loading: false,
          },
        }));
      } catch (error) {
        update((current) => ({
          state: 'error',
          error: errorMessage(error),
          [key]: { ...current, loading: false },
        }));
      }
    },
    closePageDetail() {
      set({ pageDetail: null });
    },
    async openReport(jobId, name) {
      set({ report: { name, state: 'loading', error: null, result: null } });
      try {
        const result = await api.runReport({ jobId, name, limit: RESULTS_BATCH });
        if (get().report?.name === name)
          set({ report: { name, state: 'ready', error: null, result } });
      } catch (error) {
        if (get().report?.name === name)
          set({ report: { name, state: 'error', error: errorMessage(error), result: null } });
      }
    },
    async loadMoreReport(jobId) {
      const report = get().report;
      const cursor = report?.result?.nextCursor;
      if (!report || report.state !== 'ready' || !cursor) return;
      set({ report: { ...report, state: 'loading' } });
      try {
        const more = await api.runReport({
          jobId,
          name: report.name,
          limit: RESULTS_BATCH,
          cursor,
        });
        const current = get().report;
        if (current?.name !== report.name || current.result === null) return;
        set({
          report: {
            ...current,
            state: 'ready',
            result: { ...more, rows: [...current.result.rows, ...more.rows] },
          },
        });
      } catch (error) {
        set({ report: { ...report, state: 'error', error: errorMessage(error) } });
      }
    },
    async refreshTable() {
      const table = get().table;
      // A copy of the query, as for a jump: answers for the rows shown before are dropped.
      if (table !== null) await get().queryTable({ ...table.query });
    },
  };
};
