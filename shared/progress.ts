/** Live state of a job, sent to UIs as throttled snapshots (never per page). */

/**
 * `interrupted`: marked running, but the process crawling it is gone (killed, crashed).
 * `deleting`: its rows are being deleted, or a deletion was cut short (deleting it again finishes).
 */
export type JobStatus =
  | 'queued'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'finished'
  | 'failed'
  | 'interrupted'
  | 'deleting';

export type WorkerState = 'starting' | 'running' | 'draining' | 'dead';

export interface WorkerSnapshot {
  /** Stable slot name, e.g. `worker-3`. */
  name: string;
  pid: number | null;
  state: WorkerState;
  inFlight: number;
  pagesDone: number;
  /** CPU use over the last heartbeat interval, 0..100 per core. */
  cpuPercent: number;
  rssBytes: number;
  restarts: number;
}

export interface ProgressSnapshot {
  jobId: number;
  status: JobStatus;
  /**
   * The job's crawl time over all its runs, so that a resumed job goes on
   * from where it stopped (the pauses between runs not counted); null when an
   * earlier run's time is unknown (it ran before Trawl stored it).
   */
  elapsedMs: number | null;
  /** This run's time: since the job was started or resumed. */
  runElapsedMs: number;
  /** URLs fetched or failed in this run (pagesDone, failed and blocked are the job's). */
  crawled: number;
  pagesDone: number;
  failed: number;
  /** URLs robots.txt disallows: recorded, never fetched. */
  blocked: number;
  queued: number;
  inFlight: number;
  /** URLs fetched or failed per second over the last 5 seconds. */
  pagesPerSecond: number;
  /** Pages per HTTP status, each URL by its own answer (a redirect as its 301, 302…). */
  statusCounts: Record<string, number>;
  workers: WorkerSnapshot[];
  /**
   * The last 20 URLs, newest first, that failed or answered 4xx or 5xx (also
   * at the end of their redirects, or as external links checked).
   */
  recentErrors: { url: string; error: string; at: number }[];
  /** Main event loop delay p99 in milliseconds since the job started. */
  eventLoopDelayP99Ms: number;
  maxPages: number | null;
}

export interface JobSummary {
  jobId: number;
  status: JobStatus;
  pages: number;
  failed: number;
  blocked: number;
  /** URLs fetched or failed in this run (a resumed job's earlier pages not counted). */
  crawled: number;
  /** This run's time and average: averagePerSecond(crawled, seconds * 1000), rounded. */
  seconds: number;
  pagesPerSecond: number;
  workers: number;
  /** Why the job failed, when it did. */
  error?: string;
}

/**
 * URLs per second over a stretch of a run: the URLs fetched or failed in it
 * over its time. The end of run figure and each point of the dashboard's
 * chart use it on the same counts, so the run's average is a weighted mean
 * of the chart's points and never above its peak.
 */
export function averagePerSecond(crawled: number, ms: number): number {
  return ms > 0 ? (crawled * 1000) / ms : 0;
}
