import type { Statement } from 'better-sqlite3';
import type { CrawlTask, FetchedPage, RedirectHop } from '../../shared/worker-protocol';
import { QUARANTINE_AFTER_WORKER_DEATHS } from '../../shared/limits';
import type { Db } from './store/database';
import { PageWriter } from './store/page-writer';

const QUEUED = 0;
const LEASED = 1;
const DONE = 2;
const FAILED = 3;
const BLOCKED = 4;

export interface FrontierOptions {
  maxDepth: number | null;
  /**
   * Main's own check on links a worker reports (workers filter too, but are
   * not trusted). Asked once per URL the memo below has not seen.
   */
  accepts?: (url: string) => boolean;
  /** URLs leased from SQLite into memory at a time. */
  windowSize?: number;
  /** URLs remembered in memory as already known, before the memo starts over. */
  knownUrlMemo?: number;
  /** Record each page's external links in external_urls, for checking (checkExternal). */
  recordExternal?: boolean;
}

interface PendingPage {
  task: CrawlTask;
  page: FetchedPage;
  workerPid: number;
}

interface PendingFailure {
  task: CrawlTask;
  error: string;
  state: number;
  attempts: number | null;
  redirects: readonly RedirectHop[];
}

/** What a failed fetch leaves behind besides its error. */
export interface FailureDetails {
  attempts: number;
  redirects: readonly RedirectHop[];
}

/**
 * The crawl frontier. SQLite holds every URL with its state, so a job
 * resumes from the file alone; main keeps only a window of leased URLs in
 * memory. Results are buffered and written in one transaction per flush:
 * the page row, its URL's state and the links it found commit together, so a
 * crash never stores a page twice or loses one.
 */
export class Frontier {
  private readonly window: CrawlTask[] = [];
  private pendingPages: PendingPage[] = [];
  /** Failed or blocked URLs, not yet written. */
  private pendingFailures: PendingFailure[] = [];
  private queuedInDb: number;
  private storedPages: number;
  private failedUrls: number;
  private blockedUrls: number;
  readonly statusCounts = new Map<number, number>();

  private readonly windowSize: number;
  /**
   * URLs known to be in the frontier. Most links on a page point to pages
   * already seen; skipping them here spares SQLite most lookups. Only a memo:
   * the UNIQUE index stays the truth, so clearing it when full is safe.
   */
  private readonly known = new Set<string>();
  private readonly knownUrlMemo: number;
  private readonly pageWriter: PageWriter;
  private readonly sql: Record<
    | 'insertUrl'
    | 'markInSitemap'
    | 'markDone'
    | 'markFailed'
    | 'lease'
    | 'addDeath'
    | 'bumpJob'
    | 'release'
    | 'insertExternal',
    Statement
  >;

  constructor(
    private readonly db: Db,
    private readonly jobId: number,
    private readonly options: FrontierOptions,
  ) {
    this.windowSize = options.windowSize ?? 1000;
    this.knownUrlMemo = options.knownUrlMemo ?? 200_000;
    this.sql = {
      insertUrl: db.prepare(
        'INSERT OR IGNORE INTO frontier (job_id, url, depth, found_on) VALUES (?, ?, ?, ?)',
      ),
      markInSitemap: db.prepare('UPDATE frontier SET in_sitemap = 1 WHERE job_id = ? AND url = ?'),
      markDone: db.prepare(`UPDATE frontier SET state = ${DONE} WHERE id = ?`),
      markFailed: db.prepare('UPDATE frontier SET state = ?, error = ?, attempts = ? WHERE id = ?'),
      lease: db.prepare(
        `UPDATE frontier SET state = ${LEASED} WHERE id IN (
           SELECT id FROM frontier WHERE job_id = ? AND state = ${QUEUED} ORDER BY depth, id LIMIT ?)
         RETURNING id, url, depth`,
      ),
      addDeath: db.prepare(
        'UPDATE frontier SET worker_deaths = worker_deaths + 1 WHERE id = ? RETURNING worker_deaths',
      ),
      bumpJob: db.prepare(
        'UPDATE jobs SET pages = pages + ?, failed = failed + ?, blocked = blocked + ? WHERE id = ?',
      ),
      release: db.prepare(
        `UPDATE frontier SET state = ${QUEUED} WHERE job_id = ? AND state = ${LEASED}`,
      ),
      insertExternal: db.prepare('INSERT OR IGNORE INTO external_urls (job_id, url) VALUES (?, ?)'),
    };

    this.pageWriter = new PageWriter(db, jobId);
    // Whatever was leased when the job last ran (stopped or killed) is queued again.
    this.sql.release.run(jobId);
    this.queuedInDb = this.count(QUEUED);
    this.storedPages = (
      db.prepare('SELECT count(*) AS n FROM pages WHERE job_id = ?').get(jobId) as { n: number }
    ).n;
    this.failedUrls = this.count(FAILED);
    this.blockedUrls = this.count(BLOCKED);
    const statuses = db
      .prepare('SELECT status, count(*) AS n FROM pages WHERE job_id = ? GROUP BY status')
      .all(jobId) as {
      status: number;
      n: number;
    }[];
    for (const { status, n } of statuses) this.statusCounts.set(status, n);
  }

  /** Adds start URLs at depth 0; already known URLs are ignored. */
  seed(urls: readonly string[]): void {
    this.db.transaction(() => {
      for (const url of urls)
        this.queuedInDb += this.sql.insertUrl.run(this.jobId, url, 0, null).changes;
    })();
  }

  /**
   * Adds URLs a sitemap lists at depth 0, marked in_sitemap; a URL already
   * known (found by crawling) keeps its place and gets the mark. One
   * transaction per call. Returns how many were new.
   */
  seedFromSitemap(urls: readonly string[]): number {
    let added = 0;
    this.db.transaction(() => {
      for (const url of urls) {
        const inserted = this.sql.insertUrl.run(this.jobId, url, 0, null).changes;
        added += inserted;
        this.sql.markInSitemap.run(this.jobId, url);
      }
    })();
    this.queuedInDb += added;
    return added;
  }

  /** True once the job has any URL at all (queued, done or otherwise). */
  hasUrls(): boolean {
    return (
      this.db.prepare('SELECT 1 FROM frontier WHERE job_id = ? LIMIT 1').get(this.jobId) !==
      undefined
    );
  }

  /** The next URL to crawl, breadth-first by depth, or undefined if none is queued now. */
  take(): CrawlTask | undefined {
    if (this.window.length === 0) this.refill();
    return this.window.shift();
  }

  /** True while URLs are queued or results not yet flushed may add some. */
  hasQueued(): boolean {
    return this.window.length > 0 || this.queuedInDb > 0 || this.pendingPages.length > 0;
  }

  get queued(): number {
    return this.window.length + this.queuedInDb;
  }

  /** Pages stored plus URLs failed, including results not yet flushed. */
  get processed(): number {
    return this.storedPages + this.failedUrls;
  }

  get pages(): number {
    return this.storedPages;
  }

  /** URLs robots.txt disallows: recorded, never fetched. */
  get blocked(): number {
    return this.blockedUrls;
  }

  get failed(): number {
    return this.failedUrls;
  }

  get pendingWrites(): number {
    return this.pendingPages.length + this.pendingFailures.length;
  }

  recordPage(task: CrawlTask, page: FetchedPage, workerPid: number): void {
    this.pendingPages.push({ task, page, workerPid });
    this.storedPages++;
    this.statusCounts.set(page.status, (this.statusCounts.get(page.status) ?? 0) + 1);
  }

  recordFailure(task: CrawlTask, error: string, details?: FailureDetails): void {
    this.pendingFailures.push({
      task,
      error,
      state: FAILED,
      attempts: details?.attempts ?? null,
      redirects: details?.redirects ?? [],
    });
    this.failedUrls++;
  }

  /** A URL robots.txt disallows; `why` and `redirects` when it was a redirect's target. */
  recordBlocked(
    task: CrawlTask,
    why = 'blocked by robots.txt',
    redirects: readonly RedirectHop[] = [],
  ): void {
    this.pendingFailures.push({ task, error: why, state: BLOCKED, attempts: null, redirects });
    this.blockedUrls++;
  }

  /**
   * Takes back URLs that were in flight on a worker. When the worker died,
   * each URL's death count rises and a URL that has now been on
   * QUARANTINE_AFTER_WORKER_DEATHS dead workers is failed instead of retried.
   * Returns the tasks to run again (first in line, in order: they were
   * taken first) and the quarantined ones with the error recorded for each;
   * `reason` says how the last worker died.
   */
  giveBack(
    tasks: readonly CrawlTask[],
    workerDied: boolean,
    reason: string,
  ): { retry: CrawlTask[]; quarantined: { task: CrawlTask; error: string }[] } {
    const quarantined: CrawlTask[] = [];
    const retry: CrawlTask[] = [];
    if (workerDied) {
      this.db.transaction(() => {
        for (const task of tasks) {
          const { worker_deaths: deaths } = this.sql.addDeath.get(task.id) as {
            worker_deaths: number;
          };
          (deaths >= QUARANTINE_AFTER_WORKER_DEATHS ? quarantined : retry).push(task);
        }
      })();
    } else {
      retry.push(...tasks);
    }
    const error = `quarantined: in flight on ${QUARANTINE_AFTER_WORKER_DEATHS} workers that died (the last ${reason})`;
    for (const task of quarantined) this.recordFailure(task, error);
    return {
      retry: retry.map((task) => (workerDied ? { ...task, suspect: true } : task)),
      quarantined: quarantined.map((task) => ({ task, error })),
    };
  }

  /** Writes buffered results in one transaction. */
  flush(): void {
    if (this.pendingPages.length === 0 && this.pendingFailures.length === 0) return;
    const pages = this.pendingPages;
    const failures = this.pendingFailures;
    this.pendingPages = [];
    this.pendingFailures = [];
    const { maxDepth, accepts, recordExternal } = this.options;
    const sql = this.sql;
    const jobId = this.jobId;
    let added = 0;
    this.db.transaction(() => {
      for (const { task, page, workerPid } of pages) {
        this.pageWriter.writePage(task.id, task.url, task.depth, page, workerPid);
        sql.markDone.run(task.id);
        if (recordExternal) {
          for (const link of page.outlinks)
            if (!link.internal) sql.insertExternal.run(jobId, link.url);
        }
        const depth = task.depth + 1;
        if (maxDepth !== null && depth > maxDepth) continue;
        for (const url of page.links) {
          if (this.known.has(url)) continue;
          if (this.known.size >= this.knownUrlMemo) this.known.clear();
          // Remembered either way: the verdict on a URL never changes.
          this.known.add(url);
          if (accepts && !accepts(url)) continue;
          added += sql.insertUrl.run(jobId, url, depth, task.id).changes;
        }
      }
      let failed = 0;
      for (const { task, error, state, attempts, redirects } of failures) {
        sql.markFailed.run(state, error, attempts, task.id);
        this.pageWriter.writeRedirects(task.id, redirects);
        if (state === FAILED) failed++;
      }
      sql.bumpJob.run(pages.length, failed, failures.length - failed, jobId);
    })();
    this.queuedInDb += added;
  }

  /** Returns leased-but-undispatched URLs (`unsent`: taken from here but held elsewhere) to the queue (on stop). */
  release(unsent: readonly CrawlTask[] = []): void {
    this.flush();
    this.sql.release.run(this.jobId);
    this.queuedInDb += this.window.length + unsent.length;
    this.window.length = 0;
  }

  private refill(): void {
    this.flush();
    if (this.queuedInDb === 0) return;
    const rows = this.sql.lease.all(this.jobId, this.windowSize) as CrawlTask[];
    // RETURNING gives no order guarantee; keep breadth-first order.
    rows.sort((a, b) => a.depth - b.depth || a.id - b.id);
    this.queuedInDb -= rows.length;
    this.window.push(...rows);
  }

  private count(state: number): number {
    return (
      this.db
        .prepare('SELECT count(*) AS n FROM frontier WHERE job_id = ? AND state = ?')
        .get(this.jobId, state) as {
        n: number;
      }
    ).n;
  }
}
