import { QUARANTINE_AFTER_WORKER_DEATHS } from '../../shared/limits';
import type { CrawlTask, FetchedPage, RedirectHop } from '../../shared/worker-protocol';
import { ownStatus } from '../../shared/own-status';
import type { Db } from './store/database';
import {
  frontierCounts,
  type ResultBatch,
  type StoredFailure,
  type StoredPage,
} from './store-writer/frontier-store';
import type { StoreWriter } from './store-writer/store-writer';
import { URL_STATE } from './store/url-state';

export interface FrontierOptions {
  /** URLs leased from SQLite into memory at a time. */
  windowSize?: number;
  /** The job has a depth limit: hand URLs out level by level (see take). */
  depthLimited?: boolean;
  /** Sitemaps are still being read: any URL found may yet be listed, at depth 0. */
  seedsComing?: () => boolean;
  /** Something the frontier was waiting for arrived: URLs leased, a batch written. */
  onWake: () => void;
  /** A write failed: the job cannot go on. */
  onError: (error: Error) => void;
  /** The job's crawl time now, stored with each batch (see ResultBatch.crawlMs). */
  crawlMs: () => number | null;
}

const byDepth = (a: CrawlTask, b: CrawlTask) => a.depth - b.depth || a.id - b.id;

/** What a failed fetch leaves behind besides its error. */
export interface FailureDetails {
  attempts: number;
  redirects: readonly RedirectHop[];
}

/**
 * Main's view of the crawl frontier. SQLite holds every URL with its state,
 * so a job resumes from the file alone; main keeps a window of leased URLs,
 * the results not yet written, and the counters. Every write goes to the
 * job's writer thread in batches; main never waits for one: it learns of new
 * URLs when a batch is acknowledged and is woken (onWake) then.
 */
export class Frontier {
  private readonly window: CrawlTask[] = [];
  /** The window's tasks by URL (see withdraw). */
  private readonly windowByUrl = new Map<string, CrawlTask>();
  private pending: ResultBatch = { pages: [], failures: [] };
  private queuedInDb = 0;
  private storedPages = 0;
  private failedUrls = 0;
  private blockedUrls = 0;
  /** Redirect targets allowed a row (StoredPage.storeTarget) whose batch is not yet written. */
  private targetsUnwritten = 0;
  private byStatus = new Map<number, number>();
  private readonly windowSize: number;
  /** Requests sent to the writer and not yet answered. */
  private unanswered = new Set<Promise<unknown>>();
  private batchesInFlight = 0;
  private leasing = false;
  /** URLs handed out by `take` and not yet written, by depth. */
  private readonly takenByDepth = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly jobId: number,
    private readonly writer: StoreWriter,
    private readonly options: FrontierOptions,
  ) {
    this.windowSize = options.windowSize ?? 1000;
    this.countStored();
    this.track(writer.release());
    // So is what an unavailable robots.txt blocked: this run reads the file again.
    this.track(writer.requeueUnavailable(), (requeued) => {
      this.queuedInDb += requeued;
      this.blockedUrls -= requeued;
    });
  }

  /**
   * Takes the counters from what the file holds: at the start, and after a
   * failed write, which rolls back batches the writer had already answered
   * (its transaction spans several, see CommitGroup).
   */
  countStored(): void {
    const { byState, byStatus } = frontierCounts(this.db, this.jobId);
    const count = (state: number) => byState.get(state) ?? 0;
    // Whatever was leased when the job last ran (stopped or killed) is queued again.
    this.queuedInDb = count(URL_STATE.queued) + count(URL_STATE.leased);
    this.storedPages = count(URL_STATE.done);
    this.failedUrls = count(URL_STATE.failed);
    this.blockedUrls = count(URL_STATE.blocked);
    this.byStatus = byStatus;
  }

  /** Adds the job's start URLs at depth 0 (the writer reads them); known URLs are ignored. */
  seedStartUrls(): void {
    this.track(this.writer.seedStartUrls(), (added) => (this.queuedInDb += added));
  }

  /** Adds the in-scope URLs a sitemap lists (see FrontierStore.seedFromSitemap). */
  async seedFromSitemap(urls: readonly string[]): Promise<{ added: number; refused: number }> {
    const seeded = await this.track(this.writer.seedFromSitemap([...urls]));
    this.queuedInDb += seeded.added;
    this.refill();
    return seeded;
  }

  /**
   * The next URL to crawl, breadth-first by depth, or undefined if none may
   * go now. With a depth limit, a URL goes only at its final depth
   * (finalUpTo): a URL crawled at too great a depth has its links cut by the
   * limit (pages within it were never crawled, depending on which server
   * answered first).
   */
  take(): CrawlTask | undefined {
    if (this.window.length <= this.windowSize / 2) this.refill();
    const next = this.window[0];
    if (next === undefined) return undefined;
    if (this.options.depthLimited && next.depth > this.finalUpTo()) return undefined;
    this.window.shift();
    this.windowByUrl.delete(next.url);
    this.countTaken([next], 1);
    return next;
  }

  /**
   * Takes the task for `url` out of the window, if it is there: a
   * redirect's response holds its page, and the writer claims its leased
   * row (StoredPage.withdrawnTarget). Counted as taken until that batch is
   * written, since its links are not queued before.
   */
  withdraw(url: string): CrawlTask | undefined {
    const task = this.windowByUrl.get(url);
    if (task === undefined) return undefined;
    this.windowByUrl.delete(url);
    this.window.splice(this.window.indexOf(task), 1);
    this.countTaken([task], 1);
    return task;
  }

  /** True while URLs are queued, or results and requests not yet written may add some. */
  hasQueued(): boolean {
    return (
      this.window.length > 0 ||
      this.queuedInDb > 0 ||
      this.pendingWrites > 0 ||
      this.unanswered.size > 0
    );
  }

  get queued(): number {
    return this.window.length + this.queuedInDb;
  }

  /** Pages stored plus URLs failed, including results not yet written. */
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

  /**
   * Redirect targets that may still be stored as pages, or not: until their
   * batch is written, the page limit counts them as if in flight.
   */
  get targetsPending(): number {
    return this.targetsUnwritten;
  }

  /**
   * Whether a redirect target found by a page at `depth` is at its shortest
   * depth there: with a depth limit, only once that depth is final, as `take`
   * decides (finalUpTo).
   */
  targetDepthFinal(depth: number): boolean {
    return !this.options.depthLimited || depth + 1 <= this.finalUpTo();
  }

  /**
   * The depth up to which a URL's depth is final: none deeper than 0 while
   * sitemaps may still list it; else one below the shallowest page
   * unwritten, as a page two or more levels above a URL could still find it
   * by a shorter path.
   */
  private finalUpTo(): number {
    return this.options.seedsComing?.() ? 0 : this.shallowestTaken() + 1;
  }

  /** Stored pages by HTTP status. */
  get statusCounts(): ReadonlyMap<number, number> {
    return this.byStatus;
  }

  /** Results recorded and not yet sent to the writer. */
  get pendingWrites(): number {
    return this.pending.pages.length + this.pending.failures.length;
  }

  /** Batches sent to the writer and not yet written: the caller's backpressure signal. */
  get writesInFlight(): number {
    return this.batchesInFlight;
  }

  /**
   * A fetched page. `storeTarget`: its redirect target may be stored as a
   * page of its own from this response (see StoredPage); counted as one
   * once the writer has done so. `withdrawnTarget`: the target's task,
   * taken back from main's memory (see withdraw).
   */
  recordPage(
    task: CrawlTask,
    page: FetchedPage,
    workerPid: number,
    {
      storeTarget = false,
      withdrawnTarget,
    }: Pick<StoredPage, 'storeTarget' | 'withdrawnTarget'> = {},
  ): void {
    this.pending.pages.push({ task, page, workerPid, storeTarget, withdrawnTarget });
    this.storedPages++;
    this.countStatus(ownStatus(page));
    if (storeTarget) this.targetsUnwritten++;
  }

  recordFailure(task: CrawlTask, error: string, details?: FailureDetails): void {
    this.fail(task, error, URL_STATE.failed, details);
    this.failedUrls++;
  }

  /** A URL robots.txt disallows; `why` and `redirects` when it was a redirect's target. */
  recordBlocked(
    task: CrawlTask,
    why = 'blocked by robots.txt',
    redirects: readonly RedirectHop[] = [],
  ): void {
    this.fail(task, why, URL_STATE.blocked, { attempts: null, redirects });
    this.blockedUrls++;
  }

  /**
   * Takes back URLs that were in flight on a worker. When the worker died,
   * each URL's death count rises and a URL that has now been on
   * QUARANTINE_AFTER_WORKER_DEATHS dead workers is failed instead of retried.
   * `then` receives the tasks to run again (first in line, in order: they
   * were taken first) and the quarantined ones with the error recorded for
   * each, before the job is woken: until then the request counts as
   * unanswered, so the job does not end with them in neither place.
   * `reason` says how the last worker died.
   */
  giveBack(
    tasks: readonly CrawlTask[],
    workerDied: boolean,
    reason: string,
    then: (outcome: {
      retry: CrawlTask[];
      quarantined: { task: CrawlTask; error: string }[];
    }) => void,
  ): void {
    if (!workerDied) {
      then({ retry: [...tasks], quarantined: [] });
      return;
    }
    this.track(this.writer.addDeaths(tasks.map((task) => task.id)), (ids) => {
      const doomed = new Set(ids);
      const error = `quarantined: in flight on ${QUARANTINE_AFTER_WORKER_DEATHS} workers that died (the last ${reason})`;
      const quarantined = tasks.filter((task) => doomed.has(task.id));
      for (const task of quarantined) this.recordFailure(task, error);
      then({
        retry: tasks
          .filter((task) => !doomed.has(task.id))
          .map((task) => ({ ...task, suspect: true })),
        quarantined: quarantined.map((task) => ({ task, error })),
      });
    });
  }

  /** Sends the results recorded so far to the writer as one batch (one transaction). */
  flush(): void {
    if (this.pendingWrites === 0) return;
    const { pages, failures } = this.pending;
    this.pending = { pages: [], failures: [] };
    // The answer needs only these, not the pages: held until it came, a batch's pages
    // outlived young-generation collections and filled main's old generation with
    // garbage, 10-20 MB of main's peak (bench/RESULTS.md, fourteenth session).
    const statuses = pages.map((stored) => stored.page.status);
    const targetsStored = pages.filter((stored) => stored.storeTarget).length;
    const written = [...pages, ...failures].map((result) => result.task);
    // A withdrawn target is written as a page with its redirect (the writer claims its row).
    for (const { withdrawnTarget } of pages) if (withdrawnTarget) written.push(withdrawnTarget);
    this.batchesInFlight++;
    const batch = { pages, failures, crawlMs: this.options.crawlMs() };
    this.track(this.writer.write(batch), ({ queued, claimed, targets }) => {
      this.batchesInFlight--;
      this.queuedInDb += queued - claimed;
      this.targetsUnwritten -= targetsStored;
      this.storedPages += targets.length;
      // A target's own status is the final one: it answered without redirecting.
      for (const index of targets) this.countStatus(statuses[index]!);
      this.countTaken(written, -1);
    });
  }

  /**
   * On stop: writes what is recorded, returns leased-but-undispatched URLs
   * (`unsent`: taken from here but held elsewhere) to the queue, and resolves
   * once the writer has done all of it. Rejects if any write failed.
   */
  async release(unsent: readonly CrawlTask[] = []): Promise<void> {
    this.flush();
    this.track(this.writer.release());
    this.queuedInDb += this.window.length + unsent.length;
    this.window.length = 0;
    this.windowByUrl.clear();
    this.takenByDepth.clear();
    // Settled one by one: requests made while waiting (a late refill) are waited for too.
    while (this.unanswered.size > 0) await Promise.all(this.unanswered);
  }

  /** Leases more URLs when some are queued and no lease is under way; results first, so their links count. */
  private refill(): void {
    if (this.leasing) return;
    if (this.window.length === 0) this.flush();
    if (this.queuedInDb <= 0) return;
    this.leasing = true;
    this.track(this.writer.lease(this.windowSize - this.window.length), (rows) => {
      this.leasing = false;
      this.queuedInDb -= rows.length;
      const last = this.window.at(-1);
      this.window.push(...rows);
      for (const row of rows) this.windowByUrl.set(row.url, row);
      // Links found meanwhile may be shallower than what the window holds.
      if (last && rows[0] && rows[0].depth < last.depth) this.window.sort(byDepth);
    });
  }

  private countStatus(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  private countTaken(tasks: readonly CrawlTask[], change: 1 | -1): void {
    for (const { depth } of tasks) {
      const count = (this.takenByDepth.get(depth) ?? 0) + change;
      if (count > 0) this.takenByDepth.set(depth, count);
      else this.takenByDepth.delete(depth);
    }
  }

  /** The depth of the shallowest URL handed out and not yet written (Infinity if none). */
  private shallowestTaken(): number {
    return Math.min(...this.takenByDepth.keys());
  }

  private fail(
    task: CrawlTask,
    error: string,
    state: StoredFailure['state'],
    details?: { attempts: number | null; redirects: readonly RedirectHop[] },
  ): void {
    this.pending.failures.push({
      task,
      error,
      state,
      attempts: details?.attempts ?? null,
      redirects: details?.redirects ?? [],
    });
  }

  /**
   * Follows a writer request: `then` runs when it is answered, then the job
   * is woken; a failure goes to onError. Returns the request, for callers
   * that wait on it.
   */
  private track<T>(request: Promise<T>, then?: (value: T) => void): Promise<T> {
    this.unanswered.add(request);
    request.then(
      (value) => {
        this.unanswered.delete(request);
        then?.(value);
        this.options.onWake();
      },
      (error: Error) => {
        this.unanswered.delete(request);
        this.options.onError(error);
      },
    );
    return request;
  }
}
