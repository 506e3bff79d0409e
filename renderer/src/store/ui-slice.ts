import type { MenuCommand } from '../../../shared/crawler-api';
import type { SliceCreator } from './app-store';
import { errorMessage } from './error-message';

export type View = 'new' | 'jobs' | 'dashboard' | 'results';
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
  host: HostInfo | null;
  hostError: string | null;
  connection: ConnectionStatus;
  /** A URL list imported from the native menu, waiting for the New crawl form to take it. */
  importedUrlList: string | null;
  navigate(view: View, jobId?: number): void;
  /** What the desktop menu asks: a new crawl, or one from an imported URL list. */
  runMenuCommand(command: MenuCommand): void;
  clearImportedUrlList(): void;
  loadHostInfo(): Promise<void>;
  setConnection(status: ConnectionStatus): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (api) => (set, get) => ({
  view: 'jobs',
  selectedJobId: null,
  host: null,
  hostError: null,
  connection: 'open',
  importedUrlList: null,
  navigate(view, jobId) {
    set((state) => ({ view, selectedJobId: jobId ?? state.selectedJobId }));
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
