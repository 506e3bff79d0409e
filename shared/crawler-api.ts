import type { ExtractedValue } from './extraction';
import type { JobSettingsInput, StoredJobSettings } from './job-settings';
import type { AnsweredAsJson } from './json-text';
import type { JobStatus, ProgressSnapshot } from './progress';
import type { ExportFormat, ExportProgress, ExportRequest, ResultsRequests } from './results';

/**
 * What the renderer may ask of its host. The desktop app exposes it as
 * `window.trawl` through the preload (one `ipcRenderer.invoke` per request
 * method, progress over a MessagePort); `trawl serve` implements the same
 * interface over a WebSocket (renderer/src/api/ws-client.ts).
 *
 * Every method crosses a process boundary: arguments and results must be
 * structured-cloneable plain data. Hosts validate arguments with
 * `CRAWLER_REQUEST_SCHEMAS` (crawler-api-schemas.ts) where they enter. This
 * module stays free of zod: the sandboxed preload bundles it.
 */
export interface CrawlerApi extends CrawlerRequests {
  /** Live progress of every job running in the host (about 10 snapshots a second per job). */
  onProgress(listener: (snapshot: ProgressSnapshot) => void): () => void;
  /** Progress of exports the host is writing (every 1,000 rows, and once when done). */
  onExportProgress(listener: (update: ExportUpdate) => void): () => void;
  /** Commands from the desktop app's native menu (never fired in a browser). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /**
   * A UI of this host started, resumed, renamed or deleted a job: the list is
   * worth reading again (a job's end comes as its last progress snapshot).
   * Another process (the CLI) changes jobs unheard.
   */
  onJobsChanged(listener: () => void): () => void;
}

/** How far an export of the host's has got; `total` is null while unknown (JSON, NDJSON, sitemaps). */
export interface ExportUpdate extends ExportProgress {
  /** The host's number for this export: what `cancelExport` takes. */
  exportId: number;
  jobId: number;
  format: ExportFormat;
  done: boolean;
  /** Set, with done, when the export failed. */
  error?: string;
  /** Set, with done, when `cancelExport` stopped it (its partial files are removed). */
  cancelled?: true;
  /** Set, with done, when the file leaves something out: why, one sentence each. */
  notes?: string[];
}

/**
 * `CrawlerRequests` as a host answers them: a job's settings as JSON text
 * (json-text.ts), which the transports pass on and the renderer receives
 * parsed.
 */
export type HostRequests = AnsweredAsJson<CrawlerRequests, 'getJobSettings'>;

/** `CrawlerApi` as a host implements it (see HostRequests). */
export type HostApi = HostRequests &
  Pick<CrawlerApi, 'onProgress' | 'onExportProgress' | 'onMenuCommand' | 'onJobsChanged'>;

/** What the native menu asks of the page; an imported list arrives read (main chose and read the file). */
export type MenuCommand =
  { type: 'new-crawl' } | { type: 'import-url-list'; fileName: string; text: string };

/** What the desktop app's progress port carries to the preload, one event per message. */
export type HostEvent =
  | { kind: 'progress'; snapshot: ProgressSnapshot }
  | { kind: 'export'; update: ExportUpdate }
  | { kind: 'menu'; command: MenuCommand }
  | { kind: 'jobs-changed' };

/**
 * The request/response half of `CrawlerApi`: what crosses IPC or the
 * WebSocket as a call. The results questions (queryPages, seekPages,
 * pageDetail, queryLinks, runReport, compareJobs, renameJob, deleteJob,
 * getJobSettings) are the results contract of shared/results.ts.
 */
export interface CrawlerRequests extends ResultsRequests {
  /** The app's version, e.g. `0.1.0`. */
  getVersion(): Promise<string>;
  /** Logical CPU cores of the host: the default number of worker processes. */
  getCoreCount(): Promise<number>;
  /** Every job in the database, newest first. */
  listJobs(): Promise<JobInfo[]>;
  /**
   * Validates the settings (a clear error if they are bad), stores the job and
   * starts it, named `name` (empty or left out: its first start URL's host).
   */
  startJob(settings: JobStartInput, options?: { name?: string }): Promise<JobInfo>;
  /** Graceful: finish pages in flight first. Force: kill the workers at once. */
  stopJob(jobId: number, options?: { force?: boolean }): Promise<void>;
  /**
   * Continues a stopped, interrupted or failed job with `workers` worker
   * processes, which it keeps; left out, with the size it last ran with (a
   * resize while it ran counts), like `trawl crawl --resume ID --workers N`.
   */
  resumeJob(jobId: number, options?: { workers?: number }): Promise<JobInfo>;
  /**
   * Starts a new job with an earlier job's settings and start URLs (the host
   * reads them: a list can be too long to send), optionally with another pool size.
   */
  rerunJob(jobId: number, options?: { workers?: number }): Promise<JobInfo>;
  /** Grows or shrinks the worker pool of a running job. */
  resizePool(jobId: number, workers: number): Promise<void>;
  /**
   * Exports a job's results. In the browser the host answers with a download
   * URL (the browser shows the download's progress); the desktop app asks
   * for a file with a save dialog and resolves once it is written.
   */
  exportJob(request: ExportRequest): Promise<ExportOutcome>;
  /** Stops an export the host is writing (see ExportUpdate.exportId); one that ended is left alone. */
  cancelExport(exportId: number): Promise<void>;
  /**
   * "Test on a URL": fetches one URL with the settings (User-Agent, headers,
   * auth, proxy, timeouts) and runs their extraction rules on it in a
   * one-off worker process, time-limited. Nothing is stored. A URL that
   * cannot be fetched is a clear error.
   */
  previewExtraction(request: ExtractionPreviewRequest): Promise<ExtractionPreview>;
}

export interface ExtractionPreviewRequest {
  url: string;
  /** The New crawl form's settings; their `extract` rules are the ones tested. */
  settings: JobStartInput;
}

export interface ExtractionPreview {
  /** Where the content came from, after redirects. */
  finalUrl: string;
  status: number;
  contentType: string | null;
  /** False when the response is not HTML: rules run on HTML pages only. */
  html: boolean;
  /** One entry per rule, in order: text, a list for rules that keep every match, null for no match. */
  values: { name: string; value: ExtractedValue }[];
}

export type ExportOutcome =
  | { kind: 'download'; url: string; fileName: string }
  | { kind: 'saved'; path: string }
  | { kind: 'cancelled' };

/** A job as the UI lists it. */
export interface JobInfo {
  id: number;
  /** The host of the first start URL. */
  name: string;
  status: JobStatus;
  /** Every setting but the start URLs (a list job can have a million); null if unreadable. */
  settings: StoredJobSettings | null;
  /**
   * Why the stored settings cannot be read (a file edited by hand, or written
   * by a newer Trawl), else null. Such a job can be browsed and deleted, not run.
   */
  problem: string | null;
  /** Null only for a job stored without start URLs (its `problem` says so). */
  firstStartUrl: string | null;
  startUrlCount: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  pages: number;
  failed: number;
  /** URLs robots.txt disallows: recorded, never fetched. */
  blocked: number;
  /**
   * URLs still to crawl (queued, or in flight when it stopped) for a job
   * that can be resumed (stopped, interrupted, failed); null for the others.
   */
  queued: number | null;
  /** Time spent crawling over all its runs, pauses between them not counted; null when a run predates Trawl storing it. */
  crawlMs: number | null;
  /**
   * The id of another process crawling the job right now (`trawl crawl`,
   * another Trawl), which alone can stop or resize it; else null.
   */
  crawledElsewhereBy: number | null;
}

/** Job settings as a UI sends them: `workers` may be left to the host (all cores). */
export type JobStartInput = Omit<JobSettingsInput, 'workers'> & { workers?: number };

/**
 * IPC channel names, one per request method. Main handles only channels
 * with the `trawl:` prefix and only from the app's own pages.
 */
export const CRAWLER_API_CHANNELS = {
  getVersion: 'trawl:get-version',
  getCoreCount: 'trawl:get-core-count',
  listJobs: 'trawl:list-jobs',
  startJob: 'trawl:start-job',
  getJobSettings: 'trawl:get-job-settings',
  stopJob: 'trawl:stop-job',
  resumeJob: 'trawl:resume-job',
  rerunJob: 'trawl:rerun-job',
  resizePool: 'trawl:resize-pool',
  exportJob: 'trawl:export-job',
  cancelExport: 'trawl:cancel-export',
  previewExtraction: 'trawl:preview-extraction',
  queryPages: 'trawl:query-pages',
  seekPages: 'trawl:seek-pages',
  pageDetail: 'trawl:page-detail',
  queryLinks: 'trawl:query-links',
  runReport: 'trawl:run-report',
  compareJobs: 'trawl:compare-jobs',
  renameJob: 'trawl:rename-job',
  deleteJob: 'trawl:delete-job',
} as const satisfies Record<keyof CrawlerRequests, `trawl:${string}`>;

export type CrawlerApiChannel = (typeof CRAWLER_API_CHANNELS)[keyof typeof CRAWLER_API_CHANNELS];

export type CrawlerRequestMethod = keyof CrawlerRequests;
export const CRAWLER_REQUEST_METHODS = Object.keys(CRAWLER_API_CHANNELS) as CrawlerRequestMethod[];

/**
 * Builds the request methods from one transport function (IPC invoke, a
 * WebSocket request). Trailing `undefined` arguments are dropped: they mean
 * "left out", and JSON would turn them into `null`.
 */
export function bindRequests(
  call: (method: CrawlerRequestMethod, args: unknown[]) => Promise<unknown>,
): CrawlerRequests {
  const entries = CRAWLER_REQUEST_METHODS.map((method) => [
    method,
    (...args: unknown[]) => {
      while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
      return call(method, args);
    },
  ]);
  return Object.fromEntries(entries) as CrawlerRequests;
}

/** Main → preload: carries the progress MessagePort, with the nonce the preload expects. */
export const PROGRESS_PORT_CHANNEL = 'trawl:progress-port';
/** The preload finds the nonce in `process.argv` as `--trawl-port-nonce=<nonce>`. */
export const PORT_NONCE_ARG = '--trawl-port-nonce=';
