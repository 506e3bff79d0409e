import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { StoredJobSettings } from '../../shared/job-settings';
import { PROGRESS_HZ } from '../../shared/limits';
import {
  averagePerSecond,
  type JobStatus,
  type JobSummary,
  type ProgressSnapshot,
} from '../../shared/progress';
import type {
  CrawlTask,
  FailedPage,
  FetchedPage,
  HostWait,
  PageResult,
  RedirectHop,
  RedirectVerdict,
} from '../../shared/worker-protocol';
import { robotsAgent } from '../../shared/robots-agent';
import type { ScopeSettings } from '../../shared/scope';
import { CrawlClock } from './crawl-clock';
import { ExternalChecker } from './external-checker';
import { Frontier } from './frontier';
import { StoreWriter } from './store-writer/store-writer';
import { HostLimits, hostOf } from './host-limits';
import { HostScheduler } from './host-scheduler';
import { createMainFetch, type MainFetch } from './main-fetch';
import { RecentErrors } from './recent-errors';
import { RobotsCache, type RobotsBlocked, type RobotsOptions } from './robots';
import { redirectedInto } from './robots-unavailable';
import { seedFromSitemaps } from './sitemap-seeder';
import type { Logger } from './logger';
import type { ProcessLauncher } from './process-launcher';
import type { Db } from './store/database';
import { holdDiskReserve } from './store/disk-reserve';
import { writeWhenFree } from './store/write-when-free';
import { JobStore } from './store/job-store';
import { Throughput } from './throughput';
import { UserError } from './user-error';
import { retryPolicyOf, scopeOf, urlRulesOf, workerConfigFor } from './worker-config';
import { WorkerPool } from './worker-pool';

/**
 * Results buffered before a batch goes to the writer, and the longest a
 * result waits. Larger batches cost SQLite less per page (each commit writes
 * the index pages the batch dirtied); the writer thread keeps them off main.
 */
const FLUSH_BATCH = 256;
const FLUSH_DELAY_MS = 100;
/**
 * Batches the writer may be behind before no more URLs are dispatched: one
 * being written and one waiting keep it busy; each more held up to 256 pages
 * in main's memory (4 took main's peak from 170 to 200 MB once workers got faster).
 */
const MAX_WRITES_IN_FLIGHT = 2;
/** URLs held in the per-host queues, on top of the frontier's window. */
const SCHEDULER_BUFFER = 1000;
/** The histogram records whole timer intervals: the delay is what exceeds this. */
const LOOP_DELAY_RESOLUTION_MS = 5;

export interface CrawlJobOptions {
  db: Db;
  jobId: number;
  /** Without the start URLs: a list job's million would stay in main's heap for the whole crawl. */
  settings: StoredJobSettings;
  /** The start URLs that draw the scope's boundary (ScopeRoots), found while they were checked. */
  scopeRoots: string[];
  launcher: ProcessLauncher;
  logger: Logger;
  /**
   * The job's crawl time over its earlier runs (null: unknown) and when the
   * last one ended, from JobStore.markStarted: CrawlService claims the job
   * before it runs.
   */
  earlier: { crawlMs: number | null; finishedAt: number | null };
}

/**
 * One running crawl: feeds the frontier's URLs to the worker pool, stores
 * what comes back, and knows when it is done. Created by CrawlService.
 */
export class CrawlJob {
  readonly id: number;
  readonly finished: Promise<JobSummary>;
  private status: JobStatus = 'running';
  private readonly frontier: Frontier;
  private readonly writer: StoreWriter;
  private readonly pool: WorkerPool;
  private readonly db: Db;
  private readonly jobs: JobStore;
  private readonly settings: StoredJobSettings;
  private readonly scope: ScopeSettings;
  private readonly robots: RobotsCache | null;
  private readonly limits: HostLimits;
  /**
   * Why robots.txt blocked a redirect main refused a task in flight, until
   * its result is recorded: the origin's file may be evicted meanwhile.
   */
  private readonly refusedRedirects = new Map<number, RobotsBlocked>();
  private readonly scheduler: HostScheduler;
  private readonly checker: ExternalChecker | null;
  /** Main's own requests (robots.txt, sitemaps, external checks), sent with the job's settings. */
  private readonly mainFetch: MainFetch;
  /** Sitemap mode: seeding is under way (it ends the job if it finds nothing). */
  private seeding: Promise<void> | null = null;
  private readonly seedingAbort = new AbortController();
  /** Aborted once the workers are gone: a robots.txt still being read holds up no stop. */
  private readonly robotsAbort = new AbortController();
  /** Aborted when the job begins to end: redirect hops still waiting give their task back. */
  private readonly hopsAbort = new AbortController();
  private readonly logger: Logger;
  private readonly clock: CrawlClock;
  private readonly earlierFinishedAt: number | null;
  private readonly throughput = new Throughput();
  private readonly loopDelay: IntervalHistogram;
  private readonly progressTimer: NodeJS.Timeout;
  private readonly progressListeners = new Set<(snapshot: ProgressSnapshot) => void>();
  private readonly recentErrors = new RecentErrors();
  private readonly pagesAtStart: number;
  private flushTimer: NodeJS.Timeout | null = null;
  private ending: Promise<void> | null = null;
  private readonly freeDiskReserve: () => void;
  private resolveFinished!: (summary: JobSummary) => void;

  constructor(options: CrawlJobOptions) {
    this.id = options.jobId;
    this.settings = options.settings;
    this.logger = options.logger;
    this.db = options.db;
    this.jobs = new JobStore(options.db);
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    this.clock = new CrawlClock(options.earlier.crawlMs);
    this.earlierFinishedAt = options.earlier.finishedAt;
    this.freeDiskReserve = holdDiskReserve(options.db, this.id);
    this.limits = new HostLimits(this.settings, (host) => this.robots?.crawlDelayMs(host) ?? 0);
    this.mainFetch = createMainFetch(this.settings);
    this.robots = this.settings.ignoreRobots
      ? null
      : new RobotsCache(
          this.robotsOptions(),
          this.mainFetch,
          this.logger,
          (origin, crawlDelayMs) => {
            // For a host kept now (busy or its delay running); others take it when they start.
            if (crawlDelayMs > 0) this.limits.raiseDelay(origin, crawlDelayMs);
            this.scheduler.robotsLoaded(origin);
            this.pump();
          },
        );
    this.scope = scopeOf(this.settings, options.scopeRoots);
    this.writer = new StoreWriter(
      options.db,
      {
        jobId: this.id,
        // A list crawl fetches exactly its URLs: nothing found on them is queued.
        maxDepth: this.settings.mode === 'list' ? 0 : this.settings.maxDepth,
        robotsAgent: robotsAgent(this.settings),
        scope: this.scope,
        recordExternal: this.settings.checkExternal,
        urls: urlRulesOf(this.settings),
        honourNofollow: this.settings.honourNofollow,
      },
      this.logger,
    );
    this.frontier = new Frontier(options.db, this.id, this.writer, {
      depthLimited: this.settings.maxDepth !== null,
      seedsComing: () => this.seeding !== null,
      onWake: () => {
        this.checker?.notify();
        this.pump();
      },
      onError: (error) => void this.end('failed', error),
      crawlMs: () => this.clock.totalMs(),
    });
    this.scheduler = new HostScheduler({
      take: () => this.frontier.take(),
      limits: this.limits,
      robots: this.robots && ((url) => this.robots!.check(url)),
      onBlocked: (task, why) => this.recordBlocked(task, why),
      onWake: () => this.pump(),
      maxBuffered: SCHEDULER_BUFFER,
    });
    this.checker = this.settings.checkExternal
      ? new ExternalChecker({
          unchecked: (after, limit) => this.writer.uncheckedExternal(after, limit),
          record: (url, status, error, checkedAt) => {
            this.recentErrors.noteCheck(url, status, error);
            return this.writer.recordCheck(url, status, error, checkedAt);
          },
          limits: this.limits,
          fetch: this.mainFetch,
          timeoutMs: this.settings.timeoutMs,
          retry: retryPolicyOf(this.settings),
          onHostWait: (wait) => this.holdOff(wait),
          logger: this.logger,
          onIdle: () => this.pump(),
          onError: (error) => void this.end('failed', error),
        })
      : null;
    if (this.settings.mode === 'sitemap') this.seedFromSitemaps();
    else this.frontier.seedStartUrls();
    this.pagesAtStart = this.frontier.processed;

    this.loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    this.loopDelay.enable();
    this.pool = new WorkerPool(
      options.launcher,
      {
        size: this.settings.workers,
        stallMs: this.settings.workerStallMs,
        config: workerConfigFor(this.settings, this.scope),
      },
      {
        onResults: (results, pid) => this.store(results, pid),
        onTasksReturned: (tasks, died, reason) => this.takeBack(tasks, died, reason),
        onCapacity: () => this.pump(),
        onFatal: (error) => void this.end('failed', error),
        onRedirectQuery: (taskId, url, asked) => this.redirectVerdict(taskId, url, asked),
        onHostWait: (wait) => this.holdOff(wait),
        onLog: (level, message) => this.logger(level, message),
      },
    );
    this.progressTimer = setInterval(() => this.emitProgress(), 1000 / PROGRESS_HZ);
  }

  private robotsOptions(): RobotsOptions {
    return {
      agent: robotsAgent(this.settings),
      unavailable: this.settings.ignoreRobots ? null : this.settings.robotsUnavailable,
      retry: retryPolicyOf(this.settings),
      signal: this.robotsAbort.signal,
    };
  }

  /** Graceful stop finishes in-flight pages first; force kills workers at once. */
  stop(options: { force?: boolean } = {}): Promise<JobSummary> {
    if (options.force) void this.pool.kill();
    void this.end('stopped');
    return this.finished;
  }

  resize(workers: number): void {
    if (this.ending) return;
    this.pool.resize(workers);
    // A resume, and the job's dashboard once it ends, take the size chosen last. The pool's
    // size when the write runs: of two resizes waiting for the lock, either may run first.
    writeWhenFree(this.db, () => this.jobs.setWorkers(this.id, this.pool.size)).catch(
      (error: Error) =>
        this.logger('warn', `could not store the pool size of job ${this.id}: ${error.message}`),
    );
  }

  onProgress(listener: (snapshot: ProgressSnapshot) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  snapshot(now = Date.now()): ProgressSnapshot {
    const statusCounts: Record<string, number> = {};
    for (const [status, count] of this.frontier.statusCounts) statusCounts[status] = count;
    return {
      jobId: this.id,
      status: this.status,
      elapsedMs: this.clock.totalMs(now),
      runElapsedMs: this.clock.runMs(now),
      crawled: this.crawled,
      pagesDone: this.frontier.pages,
      failed: this.frontier.failed,
      blocked: this.frontier.blocked,
      queued: this.frontier.queued + this.scheduler.size,
      inFlight: this.pool.inFlight,
      pagesPerSecond: Math.round(this.throughput.perSecond() * 10) / 10,
      statusCounts,
      workers: this.pool.snapshot(),
      recentErrors: this.recentErrors.snapshot,
      eventLoopDelayP99Ms:
        this.loopDelay.count > 0
          ? Math.max(0, this.loopDelay.percentile(99) / 1e6 - LOOP_DELAY_RESOLUTION_MS)
          : 0,
      maxPages: this.settings.maxPages,
    };
  }

  /** URLs fetched or failed in this run. */
  private get crawled(): number {
    return this.frontier.processed - this.pagesAtStart;
  }

  /**
   * Whether the page limit is reached, with `more` pages on top of those
   * stored, in flight and redirect targets whose row is not yet written.
   */
  private maxPagesReached(more = 0): boolean {
    const { maxPages } = this.settings;
    const counted = this.frontier.processed + this.pool.inFlight + this.frontier.targetsPending;
    return maxPages !== null && counted + more >= maxPages;
  }

  /** The next URL the host limits, robots.txt and the page limit allow now. */
  private nextTask = (): CrawlTask | undefined =>
    this.maxPagesReached() ? undefined : this.scheduler.next();

  private pump(): void {
    if (this.status !== 'running') return;
    // Backpressure: while the writer is behind, results wait in memory, not more fetches.
    if (this.frontier.writesInFlight < MAX_WRITES_IN_FLIGHT) {
      this.pool.dispatch(this.nextTask, (task) => this.scheduler.putBack(task));
    }
    if (this.pool.inFlight > 0 || this.seeding) return;
    // Nothing in flight: done once nothing is queued (after writing what may add to the queue).
    this.writeResults();
    // A redirect target not yet written may take the last page of the limit, or leave it free.
    if (this.frontier.targetsPending > 0) return;
    const crawled =
      this.maxPagesReached() || (!this.frontier.hasQueued() && this.scheduler.size === 0);
    if (crawled && (this.checker?.idle ?? true)) void this.end('finished');
  }

  private store(results: { task: CrawlTask; result: PageResult }[], workerPid: number): void {
    for (const { task } of results) this.scheduler.finished(task);
    for (const { task, result } of results) this.storeOne(task, result, workerPid);
    if (this.frontier.pendingWrites >= FLUSH_BATCH) this.writeResults();
    else this.flushTimer ??= setTimeout(() => this.writeResults(), FLUSH_DELAY_MS);
  }

  private storeOne(task: CrawlTask, result: PageResult, workerPid: number): void {
    const refused = this.refusedRedirects.get(task.id);
    this.refusedRedirects.delete(task.id);
    if (result.ok) this.recordPage(task, result, workerPid);
    else if (result.blockedTarget !== undefined)
      this.recordBlockedRedirect(task, result, result.blockedTarget, refused);
    else {
      this.frontier.recordFailure(task, result.error, result);
      this.recentErrors.note(task.url, result.error);
    }
  }

  /**
   * A fetched page. When its redirect target may be stored from it and main
   * holds the target's task, not yet sent to a worker, the task is taken
   * back so that the target is fetched once; one in flight is left to its
   * worker.
   */
  private recordPage(task: CrawlTask, page: FetchedPage, workerPid: number): void {
    const storeTarget = this.mayStoreTarget(task, page);
    const url = page.target?.url;
    const withdrawnTarget =
      storeTarget && url !== undefined
        ? (this.scheduler.withdraw(url) ?? this.frontier.withdraw(url))
        : undefined;
    this.frontier.recordPage(task, page, workerPid, { storeTarget, withdrawnTarget });
    this.recentErrors.notePage(task.url, page);
  }

  /**
   * Whether the page a task redirected to may be stored from the response
   * already fetched (the writer stores it if it is new to the frontier,
   * queued, or withdrawn from main's memory): robots.txt allows its URL as
   * crawled (the redirect gate asked about the URL as requested, before the
   * URL rules), the page limit has room for it besides the task's own page,
   * and its depth is final.
   */
  private mayStoreTarget(task: CrawlTask, page: FetchedPage): boolean {
    if (page.target === undefined) return false;
    if (this.robots && this.robots.check(page.target.url) !== 'allowed') return false;
    return !this.maxPagesReached(1) && this.frontier.targetDepthFinal(task.depth);
  }

  /**
   * A URL robots.txt blocks, itself or as a redirect's target (`redirects`).
   * One blocked because the file was unavailable says so and is listed with
   * the errors too: no rule of the site's asked for it.
   */
  private recordBlocked(task: CrawlTask, why: RobotsBlocked, redirects?: RedirectHop[]): void {
    this.frontier.recordBlocked(task, why.error, redirects);
    if (why.unavailable) this.recentErrors.note(task.url, why.error);
  }

  /**
   * A task whose redirect to `target` main refused, `why` as main's verdict
   * said then (none if the worker did not ask): a redirect into a host whose
   * robots.txt was unavailable gets the reason of that host's URLs, one a
   * rule blocked the worker's words.
   */
  private recordBlockedRedirect(
    task: CrawlTask,
    redirect: FailedPage,
    target: string,
    why: RobotsBlocked | undefined,
  ): void {
    this.recordBlocked(
      task,
      why?.unavailable
        ? { error: redirectedInto(target, why.error), unavailable: true }
        : { error: redirect.error, unavailable: false },
      redirect.redirects,
    );
  }

  /**
   * A worker's question before each redirect hop, answered `give-back` once
   * the job begins to end: a hop may wait a robots.txt request's whole
   * timeout, which held a stop, and the task was then blocked as unavailable.
   */
  private redirectVerdict(
    taskId: number,
    url: string,
    asked: () => boolean,
  ): Promise<RedirectVerdict> {
    const ending = this.hopsAbort.signal;
    if (ending.aborted) return Promise.resolve('give-back');
    return new Promise((resolve) => {
      const giveBack = () => resolve('give-back');
      ending.addEventListener('abort', giveBack, { once: true });
      void this.redirectAllowed(taskId, url, asked).then((allowed) => {
        ending.removeEventListener('abort', giveBack);
        resolve(allowed ? 'follow' : 'refuse');
      });
    });
  }

  /**
   * Whether a task may follow its redirect to `url`: false when robots.txt
   * disallows the target (an origin not seen yet has its robots.txt read
   * first); else true once the target host's limits let the request start.
   * `asked`: whether the worker that asked still runs the task.
   */
  private async redirectAllowed(
    taskId: number,
    url: string,
    asked: () => boolean,
  ): Promise<boolean> {
    if (this.robots) {
      const verdict = await this.robots.checkLoaded(url);
      // Its worker died meanwhile: the task, sent again, holds its own host's slot, which
      // this hop would move to the target's while it is requested there again.
      if (!asked()) return false;
      if (verdict !== 'allowed') {
        this.refusedRedirects.set(taskId, verdict);
        return false;
      }
    }
    return new Promise((resolve) => this.scheduler.hop(taskId, url, () => resolve(true)));
  }

  /** A host asked for fewer requests: none starts until its wait is over (said once a wait). */
  private holdOff({ url, status, delayMs, retryAfter }: HostWait): void {
    const host = hostOf(url);
    const waitMs = Math.min(delayMs, this.settings.maxRetryDelayMs);
    if (!this.limits.holdOff(host, Date.now(), waitMs)) return;
    const seconds = Math.round(waitMs / 100) / 10;
    const why = retryAfter ? 'Retry-After' : 'backoff';
    this.logger(
      'info',
      `${host} answered HTTP ${status}: no new request to it for ${seconds} s (${why})`,
    );
  }

  /** URLs a worker gave back (it died, or drained); a death is counted by the writer first. */
  private takeBack(tasks: CrawlTask[], died: boolean, reason: string): void {
    for (const task of tasks) {
      this.scheduler.finished(task);
      this.refusedRedirects.delete(task.id);
    }
    this.frontier.giveBack(tasks, died, reason, ({ retry, quarantined }) => {
      this.scheduler.requeue(retry);
      for (const { task, error } of quarantined) this.recentErrors.note(task.url, error);
      this.pump();
    });
  }

  /** Sends buffered results to the writer (a failure there ends the job through onError). */
  private writeResults(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.frontier.flush();
  }

  /**
   * Sitemap mode: seeds the frontier from the start URLs' sitemaps while the
   * crawl runs; each batch found is crawlable at once. Nothing found at all
   * (and nothing from an earlier run) fails the job.
   */
  private seedFromSitemaps(): void {
    const seeding = seedFromSitemaps({
      startUrls: this.jobs.settings(this.id).startUrls,
      fetch: this.mainFetch,
      maxRedirects: this.settings.maxRedirects,
      urlRules: this.settings,
      // With robots.txt ignored, it is still where a site names its sitemaps.
      robots: this.robots ?? new RobotsCache(this.robotsOptions(), this.mainFetch, this.logger),
      // A failed write ends the job (the frontier's onError), and the seeding with it.
      seed: (urls) => this.frontier.seedFromSitemap(urls),
      logger: this.logger,
      signal: this.seedingAbort.signal,
    });
    this.seeding = seeding
      .then(async (summary) => {
        if (this.ending) return false;
        this.logger(
          'info',
          `sitemaps: ${summary.sitemaps} read (${summary.failed} failed), ` +
            `${summary.listed} URLs in scope listed, ${summary.added} new`,
        );
        // Asked of the writer: main's connection may not see the seeds committed yet.
        if (await this.writer.hasUrls()) return true;
        throw new UserError(
          `sitemap mode found no URLs to crawl (sitemaps read: ${summary.sitemaps}, failed: ${summary.failed}; ` +
            `see the log above)`,
        );
      })
      .then(
        (found) => {
          // Only now: the job must not end as finished while the question is open.
          this.seeding = null;
          if (found) this.pump();
        },
        (error: Error) => {
          this.seeding = null;
          void this.end('failed', error);
        },
      );
  }

  private emitProgress(): void {
    this.throughput.sample(this.crawled);
    if (this.progressListeners.size > 0) this.publish(this.snapshot());
  }

  private publish(snapshot: ProgressSnapshot): void {
    for (const listener of this.progressListeners) listener(snapshot);
  }

  private end(outcome: 'finished' | 'stopped' | 'failed', error?: Error): Promise<void> {
    this.ending ??= this.shutDown(outcome, error);
    return this.ending;
  }

  private async shutDown(outcome: 'finished' | 'stopped' | 'failed', error?: Error): Promise<void> {
    this.status = outcome === 'finished' ? 'running' : 'stopping';
    this.hopsAbort.abort();
    if (error) this.logger('error', error.message);
    this.seedingAbort.abort();
    const checksStopped = this.checker?.stop();
    if (outcome === 'failed') await this.pool.kill();
    else await this.pool.drain();
    this.robotsAbort.abort();
    await Promise.all([this.seeding, checksStopped]);
    if (this.checker && this.checker.checked > 0) {
      this.logger('info', `external links checked: ${this.checker.checked}`);
    }
    let status: 'finished' | 'stopped' | 'failed' = outcome;
    try {
      await this.frontier.release(this.scheduler.drain());
    } catch (storeError) {
      status = 'failed';
      this.logger('error', `could not save the job's results: ${(storeError as Error).message}`);
    }
    // The writer's connection closes first, so main's is the only one left to write.
    await this.writer.close().catch(() => undefined);
    // A failed write took the batches since the writer's last commit with it.
    if (status === 'failed') this.frontier.countStored();
    // A full disk leaves no room for even this one row: the reserve is that room.
    this.freeDiskReserve();
    // One moment for the stored time, the last snapshot and the summary: they agree.
    const endedAt = Date.now();
    // A run that crawled nothing (a finished job resumed, every URL left blocked)
    // leaves the job's crawl time and end as they were.
    const crawledNothing = this.crawled === 0;
    if (crawledNothing) this.clock.discardRun();
    const finishedAt = crawledNothing ? (this.earlierFinishedAt ?? endedAt) : endedAt;
    try {
      await writeWhenFree(this.db, () =>
        this.jobs.markEnded(this.id, status, this.clock.totalMs(endedAt), finishedAt),
      );
    } catch (storeError) {
      status = 'failed';
      this.logger(
        'error',
        `could not save the job's final state: ${(storeError as Error).message}`,
      );
    }
    this.status = status;
    clearInterval(this.progressTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.loopDelay.disable();
    this.throughput.sample(this.crawled, endedAt);
    const last = this.snapshot(endedAt);
    this.publish(last);
    this.resolveFinished({
      jobId: this.id,
      status,
      pages: last.pagesDone,
      failed: last.failed,
      blocked: last.blocked,
      crawled: last.crawled,
      seconds: Math.round(last.runElapsedMs / 10) / 100,
      pagesPerSecond: Math.round(averagePerSecond(last.crawled, last.runElapsedMs) * 10) / 10,
      workers: this.pool.size,
      ...(error ? { error: error.message } : {}),
    });
  }
}
