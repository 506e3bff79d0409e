import type { MenuCommand } from '../../../shared/crawler-api';
import type { JobSettingsAndUrls } from '../../../shared/results';
import type { PageColumn, PageFilters } from '../../../shared/results';
import type { AppState, SliceCreator } from './app-store';
import { errorMessage } from './error-message';
import {
  FIRST_RESULTS_VIEW,
  sameViewPart,
  type ResultsTab,
  type ResultsView,
  type Route,
  type TableSort,
  type View,
} from './route';

/** `refused`: the host answers, but not this page (it restarted with a new access token). */
export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'refused';

/** A job whose settings the New crawl form is to be filled with ("New crawl from these settings"). */
export interface FormSource extends JobSettingsAndUrls {
  jobId: number;
  /** Its name, which the new job's is made from. */
  name: string;
}

export interface HostInfo {
  version: string;
  coreCount: number;
}

export interface UiSlice {
  view: View;
  /** The job the dashboard and results show. */
  selectedJobId: number | null;
  /** What the results screen shows; the table's query follows the filters, sort and columns. */
  resultsTab: ResultsTab;
  resultsFilters: PageFilters;
  resultsSort: TableSort | null;
  resultsColumns: PageColumn[];
  /** The older job the comparison screen compares the selected job with; null: none chosen. */
  compareBase: number | null;
  host: HostInfo | null;
  hostError: string | null;
  connection: ConnectionStatus;
  /** A URL list imported from the native menu, waiting for the New crawl form to take it. */
  importedUrlList: string | null;
  /** A job's settings, waiting for the New crawl form to take them. */
  formSource: FormSource | null;
  /** Shows a screen; another job's results start from the first view (FIRST_RESULTS_VIEW). */
  navigate(view: View, jobId?: number): void;
  setResultsView(change: {
    tab?: ResultsTab;
    filters?: PageFilters;
    sort?: TableSort | null;
    columns?: PageColumn[];
  }): void;
  /** Compares the selected job with `base` (null: with none yet). */
  setCompareBase(base: number | null): void;
  /** Shows what an address names (a reload, back/forward, a bookmark). */
  openRoute(route: Route): void;
  /** What the desktop menu asks: a new crawl, or one from an imported URL list. */
  runMenuCommand(command: MenuCommand): void;
  clearImportedUrlList(): void;
  clearFormSource(): void;
  loadHostInfo(): Promise<void>;
  setConnection(status: ConnectionStatus): void;
}

const FIRST_VIEW = {
  resultsTab: FIRST_RESULTS_VIEW.tab,
  resultsFilters: FIRST_RESULTS_VIEW.filters,
  resultsSort: FIRST_RESULTS_VIEW.sort,
  resultsColumns: FIRST_RESULTS_VIEW.columns,
};

/** The results view the state holds, as a route has it. */
export function resultsViewOf(state: AppState): ResultsView {
  return {
    tab: state.resultsTab,
    filters: state.resultsFilters,
    sort: state.resultsSort,
    columns: state.resultsColumns,
    page: state.pageDetail?.url ?? null,
  };
}

export const createUiSlice: SliceCreator<UiSlice> = (api) => (set, get) => ({
  view: 'jobs',
  selectedJobId: null,
  ...FIRST_VIEW,
  compareBase: null,
  host: null,
  hostError: null,
  connection: 'open',
  importedUrlList: null,
  formSource: null,
  navigate(view, jobId) {
    // A failed action's message belongs to the screen it was tried on: another job's
    // dashboard showed "Could not resume job 2" as if about itself.
    const changed = view !== get().view || (jobId !== undefined && jobId !== get().selectedJobId);
    if (changed) set({ actionError: null });
    if (jobId === undefined || jobId === get().selectedJobId) return set({ view });
    get().closePageDetail();
    set({ view, selectedJobId: jobId, ...FIRST_VIEW, compareBase: null });
  },
  setCompareBase(base) {
    set({ compareBase: base });
  },
  setResultsView({ tab, filters, sort, columns }) {
    set((state) => ({
      resultsTab: tab ?? state.resultsTab,
      resultsFilters: filters ?? state.resultsFilters,
      resultsSort: sort === undefined ? state.resultsSort : sort,
      resultsColumns: columns ?? state.resultsColumns,
    }));
  },
  openRoute(route) {
    const { view, jobId, tab, page } = route;
    get().navigate(view, jobId ?? undefined);
    // A job made since the list was read (by the CLI, in another tab): asked for before
    // the screen says there is no such job.
    if (
      jobId !== null &&
      !get().jobs.some((job) => job.id === jobId) &&
      get().jobsState === 'ready'
    ) {
      set({ jobsState: 'loading' });
      void get().refreshJobs();
    }
    if (view === 'compare') set({ compareBase: route.compareBase });
    // Other screens' addresses say nothing about the results view: it stays as it was.
    if (view !== 'results' || jobId === null) return;
    // Equal parts keep their objects: the table is queried again only when one changes.
    const shown = resultsViewOf(get());
    const changed = (['filters', 'sort', 'columns'] as const).filter(
      (part) => !sameViewPart(part, route, shown),
    );
    get().setResultsView({
      tab,
      ...Object.fromEntries(changed.map((part) => [part, route[part]])),
    });
    if (page === shown.page) return;
    if (page === null) get().closePageDetail();
    else void get().openPageDetail(jobId, page);
  },
  runMenuCommand(command) {
    set({
      view: 'new',
      ...(command.type === 'import-url-list' ? { importedUrlList: command.text } : {}),
    });
  },
  clearImportedUrlList() {
    set({ importedUrlList: null });
  },
  clearFormSource() {
    set({ formSource: null });
  },
  async loadHostInfo() {
    try {
      const [version, coreCount] = await Promise.all([api.getVersion(), api.getCoreCount()]);
      set({ host: { version, coreCount }, hostError: null });
    } catch (error) {
      set({ hostError: errorMessage(error) });
    }
  },
  setConnection(status) {
    const previous = get().connection;
    const lost = previous === 'closed' || previous === 'refused';
    // Each reconnect attempt says `connecting`: the page stays marked lost until one succeeds.
    set({ connection: status === 'connecting' && lost ? previous : status });
    if (status === 'open' && lost) {
      // Jobs may have ended or been deleted meanwhile: what the page holds is stale.
      get().forgetLiveProgress();
      void get().refreshJobs();
    }
  },
});
