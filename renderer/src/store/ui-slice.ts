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
  navigate(view: View, jobId?: number): void;
  loadHostInfo(): Promise<void>;
  setConnection(status: ConnectionStatus): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (api) => (set) => ({
  view: 'jobs',
  selectedJobId: null,
  host: null,
  hostError: null,
  connection: 'open',
  navigate(view, jobId) {
    set((state) => ({ view, selectedJobId: jobId ?? state.selectedJobId }));
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
