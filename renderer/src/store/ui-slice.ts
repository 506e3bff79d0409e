import type { MenuCommand } from '../../../shared/crawler-api';
import type { PageFilters } from '../../../shared/results';
import type { SliceCreator } from './app-store';
import { errorMessage } from './error-message';
import { sameFilters, type ResultsTab, type Route, type View } from './route';

/** `refused`: the host answers, but not this page (it restarted with a new access token). */
export type ConnectionStatus = 'connecting' | 'open' | 'closed' | 'refused';

export interface HostInfo {
  version: string;
  coreCount: number;
}

export interface UiSlice {
  view: View;
  /** The job the dashboard and results show. */
  selectedJobId: number | null;
  /** What the results screen shows; the table's query follows `resultsFilters`. */
  resultsTab: ResultsTab;
  resultsFilters: PageFilters;
  host: HostInfo | null;
  hostError: string | null;
  connection: ConnectionStatus;
  /** A URL list imported from the native menu, waiting for the New crawl form to take it. */
  importedUrlList: string | null;
  /** Shows a screen; another job's results start from the URL table with no filters. */
  navigate(view: View, jobId?: number): void;
  setResultsView(change: { tab?: ResultsTab; filters?: PageFilters }): void;
  /** Shows what an address names (a reload, back/forward, a bookmark). */
  openRoute(route: Route): void;
  /** What the desktop menu asks: a new crawl, or one from an imported URL list. */
  runMenuCommand(command: MenuCommand): void;
  clearImportedUrlList(): void;
  loadHostInfo(): Promise<void>;
  setConnection(status: ConnectionStatus): void;
}

const FIRST_RESULTS_VIEW = { resultsTab: 'urls', resultsFilters: {} } as const;

export const createUiSlice: SliceCreator<UiSlice> = (api) => (set, get) => ({
  view: 'jobs',
  selectedJobId: null,
  ...FIRST_RESULTS_VIEW,
  host: null,
  hostError: null,
  connection: 'open',
  importedUrlList: null,
  navigate(view, jobId) {
    set((state) =>
      jobId === undefined || jobId === state.selectedJobId
        ? { view }
        : { view, selectedJobId: jobId, ...FIRST_RESULTS_VIEW },
    );
  },
  setResultsView({ tab, filters }) {
    set((state) => ({
      resultsTab: tab ?? state.resultsTab,
      resultsFilters: filters ?? state.resultsFilters,
    }));
  },
  openRoute({ view, jobId, tab, filters }) {
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
    // Other screens' addresses say nothing about the results view: it stays as it was.
    if (view !== 'results' || jobId === null) return;
    // Equal filters keep their object: the table is queried again only when they change.
    get().setResultsView({
      tab,
      ...(sameFilters(filters, get().resultsFilters) ? {} : { filters }),
    });
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
