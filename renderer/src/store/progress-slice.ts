import type { JobStatus, ProgressSnapshot } from '../../../shared/progress';
import type { SliceCreator } from './app-store';
import { ENDED, nextRateHistory, type RatePoint } from './rate-history';

export interface ProgressSlice {
  /** The latest snapshot of each job seen on the progress stream. */
  progress: Record<number, ProgressSnapshot>;
  /** Each job's chart of its current run (see nextRateHistory). */
  rateHistory: Record<number, RatePoint[]>;
  applyProgress(snapshot: ProgressSnapshot): void;
  /**
   * Drops the snapshots of jobs that were running: after a lost connection
   * they may have ended unseen. The host streams the ones still running again.
   */
  forgetLiveProgress(): void;
}

export const createProgressSlice: SliceCreator<ProgressSlice> = () => (set, get) => ({
  progress: {},
  rateHistory: {},
  applyProgress(snapshot) {
    const previous = get().progress[snapshot.jobId];
    const history = get().rateHistory[snapshot.jobId] ?? [];
    const nextHistory = nextRateHistory(history, previous, snapshot);
    set((state) => ({
      progress: { ...state.progress, [snapshot.jobId]: snapshot },
      rateHistory:
        nextHistory === history
          ? state.rateHistory
          : { ...state.rateHistory, [snapshot.jobId]: nextHistory },
    }));
    // A job that just ended (or one this page has not listed yet): the list's counts changed.
    const ended = ENDED.has(snapshot.status) && !ENDED.has(previous?.status ?? '');
    const unknown = !get().jobs.some((job) => job.id === snapshot.jobId);
    if (ended || unknown) void get().refreshJobs();
  },
  forgetLiveProgress() {
    set((state) => ({
      progress: Object.fromEntries(
        Object.entries(state.progress).filter(([, snapshot]) => !isLive(snapshot)),
      ),
    }));
  },
});

/** Whether a job in this status is being crawled, so its pages and figures still grow. */
export function isCrawling(status: JobStatus | undefined): boolean {
  return status === 'running' || status === 'stopping';
}

/** Whether a job can be stopped and resized: it is running in the host right now. */
export function isLive(snapshot: ProgressSnapshot | undefined): boolean {
  return isCrawling(snapshot?.status);
}
