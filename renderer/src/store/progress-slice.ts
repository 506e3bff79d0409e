import type { ProgressSnapshot } from '../../../shared/progress';
import type { SliceCreator } from './app-store';

export interface RatePoint {
  at: number;
  pagesPerSecond: number;
}

export interface ProgressSlice {
  /** The latest snapshot of each job seen on the progress stream. */
  progress: Record<number, ProgressSnapshot>;
  /** Pages per second, one point a second, for the chart (the last RATE_HISTORY_POINTS). */
  rateHistory: Record<number, RatePoint[]>;
  applyProgress(snapshot: ProgressSnapshot, now?: number): void;
  /**
   * Drops the snapshots of jobs that were running: after a lost connection
   * they may have ended unseen. The host streams the ones still running again.
   */
  forgetLiveProgress(): void;
}

export const RATE_HISTORY_POINTS = 300;
const RATE_POINT_INTERVAL_MS = 1000;
const ENDED = new Set(['finished', 'stopped', 'failed']);

export const createProgressSlice: SliceCreator<ProgressSlice> = () => (set, get) => ({
  progress: {},
  rateHistory: {},
  applyProgress(snapshot, now = Date.now()) {
    const previous = get().progress[snapshot.jobId];
    const history = get().rateHistory[snapshot.jobId] ?? [];
    const last = history[history.length - 1];
    const nextHistory =
      last === undefined || now - last.at >= RATE_POINT_INTERVAL_MS
        ? [...history, { at: now, pagesPerSecond: snapshot.pagesPerSecond }].slice(
            -RATE_HISTORY_POINTS,
          )
        : history;
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

/** Whether a job can be stopped and resized: it is running in the host right now. */
export function isLive(snapshot: ProgressSnapshot | undefined): boolean {
  return (
    snapshot !== undefined && (snapshot.status === 'running' || snapshot.status === 'stopping')
  );
}
