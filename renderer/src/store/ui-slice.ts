import type { MenuCommand } from '../../../shared/crawler-api';
import type { SliceCreator } from './app-store';
import { errorMessage } from './error-message';

export type View = 'new' | 'jobs' | 'dashboard' | 'results';
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

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

export const createUiSlice: SliceCreator<UiSlice> = (api) => (set) => ({
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
  setConnection(connection) {
    set({ connection });
  },
});
