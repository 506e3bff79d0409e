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
  elapsedMs: number;
  pagesDone: number;
  failed: number;
  /** URLs robots.txt disallows: recorded, never fetched. */
  blocked: number;
  queued: number;
  inFlight: number;
  /** Pages per second over the last few seconds. */
  pagesPerSecond: number;
  statusCounts: Record<string, number>;
  workers: WorkerSnapshot[];
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
  seconds: number;
  pagesPerSecond: number;
  workers: number;
  /** Why the job failed, when it did. */
  error?: string;
}
