import { averagePerSecond, type ProgressSnapshot } from '../../../shared/progress';

/** One point of the chart: URLs per second over the stretch of the run since the previous point. */
export interface RatePoint {
  /** Milliseconds into the run (the engine's clock, not the page's). */
  at: number;
  /** URLs fetched or failed in the run by then. */
  crawled: number;
  pagesPerSecond: number;
}

export const RATE_HISTORY_POINTS = 300;
const RATE_POINT_INTERVAL_MS = 1000;
/** The statuses a run ends with. */
export const ENDED = new Set(['finished', 'stopped', 'failed']);
/** Each run's chart starts at nothing crawled, at its start. */
const RUN_START: RatePoint = { at: 0, crawled: 0, pagesPerSecond: 0 };

/**
 * Where the chart of a run starts: at the run's start when the page sees it
 * from its first second, else (a reload, a second tab) at this snapshot with
 * the engine's rate of the last 5 s, since a point from the run's start would
 * average the whole run, a spike or a dip beside the current rate.
 */
function runStart(snapshot: ProgressSnapshot, sawStart: boolean): RatePoint {
  if (sawStart || snapshot.runElapsedMs < RATE_POINT_INTERVAL_MS) return RUN_START;
  const { runElapsedMs: at, crawled, pagesPerSecond } = snapshot;
  return { at, crawled, pagesPerSecond };
}

/**
 * The chart's points after a snapshot: about one a second, each the average
 * over its own stretch (averagePerSecond on the run's counts, as the run's
 * final average is), so that together they cover the run and its average is
 * never above their peak. A resumed job starts a new chart, as its clock does.
 */
export function nextRateHistory(
  history: RatePoint[],
  previous: ProgressSnapshot | undefined,
  snapshot: ProgressSnapshot,
): RatePoint[] {
  const { runElapsedMs: at, crawled } = snapshot;
  const last = history[history.length - 1];
  // A resume this page saw the job's end before: the page sees the run from its start.
  const resumed =
    previous !== undefined && ENDED.has(previous.status) && !ENDED.has(snapshot.status);
  const newRun = last === undefined || resumed || at < last.at || crawled < last.crawled;
  const run = newRun ? [runStart(snapshot, resumed)] : history;
  const latest = run[run.length - 1]!;
  const pointFrom = (from: RatePoint): RatePoint => ({
    at,
    crawled,
    pagesPerSecond: averagePerSecond(crawled - from.crawled, at - from.at),
  });
  if (at - latest.at >= RATE_POINT_INTERVAL_MS) {
    return [...run, pointFrom(latest)].slice(-RATE_HISTORY_POINTS);
  }
  // The run's last moments, less than a second: they join its last point, so
  // the chart covers the whole run without a spike made of a few pages.
  if (ENDED.has(snapshot.status) && at > latest.at) {
    return run.length > 1
      ? [...run.slice(0, -1), pointFrom(run[run.length - 2]!)]
      : [...run, pointFrom(latest)];
  }
  return run;
}
