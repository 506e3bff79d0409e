import type { Statement } from 'better-sqlite3';
import { QUARANTINE_AFTER_WORKER_DEATHS } from '../../../shared/limits';
import type {
  CrawlTask,
  FetchedPage,
  RedirectHop,
  RedirectTarget,
} from '../../../shared/worker-protocol';
import { DEFAULT_URL_RULES, type UrlRules } from '../../../shared/url-normalize';
import type { Db } from '../store/database';
import { PageWriter } from '../store/page-writer';
import { WriteLockSharing } from '../store/write-lock-sharing';
import { URL_STATE } from '../store/url-state';
import { UNAVAILABLE_PATTERNS } from '../robots-unavailable';
import { ShortestPaths } from './shortest-paths';

export interface FrontierStoreOptions {
  maxDepth: number | null;
  /** The crawler's product token, for the robots directives addressed to it (PageWriter). */
  robotsAgent: string;
  /**
   * Main's own check on links a worker reports (workers filter too, but are
   * not trusted). Asked once per URL the memo below has not seen.
   */
  accepts?: (url: string) => boolean;
  /**
   * The whole scope, include and exclude patterns too, for URLs a sitemap
   * lists: they come from the network, not from a worker that applied the
   * patterns. Run here, so no user regular expression runs on main's loop.
   */
  acceptsSeed?: (url: string) => boolean;
  /** URLs remembered in memory as already known, before the memo starts over. */
  knownUrlMemo?: number;
  /** Record each page's external links in external_urls, for checking (checkExternal). */
  recordExternal?: boolean;
  /**
   * The job's URL rules and whether it honours nofollow (default: the job
   * defaults): which links a stored page followed, for lowering their depth
   * when a shorter path to it turns up (ShortestPaths).
   */
  urls?: UrlRules;
  honourNofollow?: boolean;
  /**
   * The caller runs every method but seedStartUrls inside a transaction of
   * its own, rolled back whole if one fails (the writer thread's
   * CommitGroup): the methods then open none. Nested, each would be a
   * savepoint, which copies every database page it changes that the
   * transaction had changed before: more than the shared commit saves
   * (bench/RESULTS.md, nineteenth session).
   */
  inCallersTransaction?: boolean;
}

export interface StoredPage {
  task: CrawlTask;
  page: FetchedPage;
  workerPid: number;
  /**
   * Main allows the page's redirect target (`page.target`) a row of its own
   * from this response: the page limit has room for it and robots.txt allows
   * it. It gets one if it is new to the frontier and within the depth limit,
   * or queued, or leased and withdrawn by main (see claimTarget).
   */
  storeTarget?: boolean;
  /**
   * The target's own task, which main held leased (not sent to a worker)
   * and has taken back so that it is not fetched: its leased row is
   * claimed, whatever the memo of known URLs says.
   */
  withdrawnTarget?: CrawlTask;
}

export interface StoredFailure {
  task: CrawlTask;
  error: string;
  state: typeof URL_STATE.failed | typeof URL_STATE.blocked;
  attempts: number | null;
  redirects: readonly RedirectHop[];
}

/** What writing a batch did beyond its own results. */
export interface BatchOutcome {
  /** New URLs queued. */
  queued: number;
  /**
   * Queued URLs that a redirect led to, stored from its response (among
   * `targets`): no longer queued. Withdrawn targets are not counted: main
   * had leased them.
   */
  claimed: number;
  /** Indexes (in `pages`) of the pages whose redirect target was stored as a page. */
  targets: number[];
}

/** One flush: results written in one transaction. */
export interface ResultBatch {
  pages: StoredPage[];
  failures: StoredFailure[];
  /**
   * The job's crawl time when the batch was sent (CrawlClock.totalMs), stored
   * with it so that a run that is killed keeps its time too; null or absent:
   * left as it is.
   */
  crawlMs?: number | null;
}

/**
 * The frontier's table and everything a result writes, as synchronous
 * statements on one connection: the store writer thread runs it during a
 * crawl (store-writer-thread.ts); tests and the results bench call it
 * directly. Each method is one transaction (or part of the caller's), so a
 * page, its URL's new state and the links it found commit together: a crash
 * never stores a page twice or loses one.
 */
export class FrontierStore {
  /**
   * URLs known to be in the frontier, with the depth they are known at. Most
   * links on a page point to pages already seen at that depth or less;
   * skipping them here spares SQLite most lookups. Only a memo: the UNIQUE
   * index stays the truth, so clearing it when full is safe.
   */
  private readonly known = new Map<string, number>();
  private readonly knownUrlMemo: number;
  private readonly pageWriter: PageWriter;
  private readonly shortestPaths: ShortestPaths;
  /** Set when a write failed: its rollback may have undone what memos here remember. */
  private failure: Error | null = null;
  private readonly sql: Record<
    | 'insertUrl'
    | 'insertListed'
    | 'insertDone'
    | 'claimTarget'
    | 'startUrls'
    | 'markInSitemap'
    | 'markDone'
    | 'markFailed'
    | 'lease'
    | 'addDeath'
    | 'bumpJob'
    | 'release'
    | 'requeueUnavailable'
    | 'dropRedirects'
    | 'unbumpBlocked'
    | 'insertExternal'
    | 'uncheckedExternal'
    | 'recordCheck'
    | 'hasUrls',
    Statement
  >;

  constructor(
    private readonly db: Db,
    private readonly jobId: number,
    private readonly options: FrontierStoreOptions,
  ) {
    this.knownUrlMemo = options.knownUrlMemo ?? 200_000;
    const { queued, leased, done, blocked } = URL_STATE;
    this.sql = {
      insertUrl: db.prepare(
        'INSERT OR IGNORE INTO frontier (job_id, url, depth, found_on) VALUES (?, ?, ?, ?)',
      ),
      insertDone: db
        .prepare(
          `INSERT OR IGNORE INTO frontier (job_id, url, depth, found_on, state)
           VALUES (?, ?, ?, ?, ${done}) RETURNING id`,
        )
        .pluck(),
      // Keeps the shorter of the two paths, as ShortestPaths does (SET reads the old depth).
      // @claimable: the state besides queued that may be claimed (leased, once main withdrew it).
      claimTarget: db.prepare(
        `UPDATE frontier SET state = ${done}, depth = min(depth, @depth),
           found_on = CASE WHEN depth > @depth THEN @foundOn ELSE found_on END
         WHERE job_id = @jobId AND url = @url AND state IN (${queued}, @claimable)
         RETURNING id, depth`,
      ),
      startUrls: db.prepare('SELECT urls FROM job_start_urls WHERE job_id = ?').pluck(),
      insertListed: db.prepare(
        'INSERT OR IGNORE INTO frontier (job_id, url, depth, in_sitemap) VALUES (?, ?, 0, 1)',
      ),
      // A row marked already is left unwritten: a resume lists again every URL it marked.
      markInSitemap: db
        .prepare(
          `UPDATE frontier SET in_sitemap = 1 WHERE job_id = ? AND url = ? AND in_sitemap = 0
           RETURNING depth`,
        )
        .pluck(),
      markDone: db
        .prepare(`UPDATE frontier SET state = ${done} WHERE id = ? RETURNING depth`)
        .pluck(),
      markFailed: db.prepare('UPDATE frontier SET state = ?, error = ?, attempts = ? WHERE id = ?'),
      lease: db.prepare(
        `UPDATE frontier SET state = ${leased} WHERE id IN (
           SELECT id FROM frontier WHERE job_id = ? AND state = ${queued} ORDER BY depth, id LIMIT ?)
         RETURNING id, url, depth`,
      ),
      addDeath: db.prepare(
        'UPDATE frontier SET worker_deaths = worker_deaths + 1 WHERE id = ? RETURNING worker_deaths',
      ),
      bumpJob: db.prepare(
        `UPDATE jobs SET pages = pages + ?, failed = failed + ?, blocked = blocked + ?,
           crawl_ms = coalesce(?, crawl_ms) WHERE id = ?`,
      ),
      release: db.prepare(
        `UPDATE frontier SET state = ${queued} WHERE job_id = ? AND state = ${leased}`,
      ),
      requeueUnavailable: db
        .prepare(
          `UPDATE frontier SET state = ${queued}, error = NULL
           WHERE job_id = ? AND state = ${blocked} AND (error LIKE ? OR error LIKE ?) RETURNING id`,
        )
        .pluck(),
      dropRedirects: db.prepare('DELETE FROM redirects WHERE frontier_id = ?'),
      unbumpBlocked: db.prepare('UPDATE jobs SET blocked = blocked - ? WHERE id = ?'),
      insertExternal: db.prepare('INSERT OR IGNORE INTO external_urls (job_id, url) VALUES (?, ?)'),
      uncheckedExternal: db
        .prepare(
          `SELECT url FROM external_urls WHERE job_id = ? AND checked_at IS NULL AND url > ?
           ORDER BY url LIMIT ?`,
        )
        .pluck(),
      recordCheck: db.prepare(
        'UPDATE external_urls SET status = ?, error = ?, checked_at = ? WHERE job_id = ? AND url = ?',
      ),
      hasUrls: db.prepare('SELECT 1 FROM frontier WHERE job_id = ? LIMIT 1').pluck(),
    };
    this.pageWriter = new PageWriter(db, jobId, options.robotsAgent);
    this.shortestPaths = new ShortestPaths(
      db,
      jobId,
      {
        urls: options.urls ?? DEFAULT_URL_RULES,
        honourNofollow: options.honourNofollow ?? true,
        robotsAgent: options.robotsAgent,
      },
      (url, depth) => this.remember(url, depth),
    );
  }

  /**
   * Adds start URLs at depth 0 in one transaction; already known URLs are
   * ignored. Returns how many were new. A long list goes through
   * seedStartUrls, which cuts it into transactions.
   */
  seed(urls: readonly string[]): number {
    return this.db.transaction(() => this.insertSeeds(urls, 0, urls.length))();
  }

  /** Inserts urls[from, to) at depth 0, in the caller's transaction; returns how many were new. */
  private insertSeeds(urls: readonly string[], from: number, to: number): number {
    let added = 0;
    for (let i = from; i < to; i++) {
      added += this.sql.insertUrl.run(this.jobId, urls[i], 0, null).changes;
    }
    return added;
  }

  /**
   * Seeds the job's start URLs, read here from the job's row: sending a
   * million to this thread cost main's loop a 0.3 s structured clone, and
   * keeping them there tens of MB for the whole crawl. SEED_STEP URLs at a
   * time, in transactions that share the write lock with another job's
   * writer (WriteLockSharing). A seed cut short is completed when the job
   * resumes (every launch seeds again).
   */
  async seedStartUrls(): Promise<number> {
    const list = this.sql.startUrls.get(this.jobId) as string | undefined;
    if (list === undefined) return 0;
    const urls = list.split('\n');
    let added = 0;
    let from = 0;
    await new WriteLockSharing(this.db).untilDone(() => {
      const to = Math.min(from + SEED_STEP, urls.length);
      added += this.insertSeeds(urls, from, to);
      from = to;
      return from < urls.length;
    });
    return added;
  }

  /**
   * Adds URLs a sitemap lists at depth 0, marked in_sitemap; a URL already
   * known (found by crawling) gets the mark and depth 0, a path as short as
   * any (ShortestPaths, so a page stored lowers those below it). Returns how
   * many were new.
   */
  seedFromSitemap(urls: readonly string[]): { added: number; refused: number } {
    let added = 0;
    let refused = 0;
    const accepts = this.options.acceptsSeed;
    this.atomically(() => {
      for (const url of urls) {
        if (accepts && !accepts(url)) {
          refused++;
          continue;
        }
        if (this.sql.insertListed.run(this.jobId, url).changes > 0) {
          added++;
          continue;
        }
        const depth = this.sql.markInSitemap.get(this.jobId, url) as number | undefined;
        if (depth !== undefined && depth > 0) this.shortestPaths.found(url, 0, null);
      }
    });
    return { added, refused };
  }

  /** Whether the job has any URL at all (queued, done or otherwise). */
  hasUrls(): boolean {
    return this.sql.hasUrls.get(this.jobId) !== undefined;
  }

  /** Leases up to `limit` queued URLs, breadth-first by depth. */
  lease(limit: number): CrawlTask[] {
    const rows = this.sql.lease.all(this.jobId, limit) as CrawlTask[];
    // RETURNING gives no order guarantee; keep breadth-first order.
    return rows.sort((a, b) => a.depth - b.depth || a.id - b.id);
  }

  /** Runs `write` as one transaction, or in the caller's (inCallersTransaction). */
  private atomically<T>(write: () => T): T {
    return this.options.inCallersTransaction ? write() : this.db.transaction(write)();
  }

  /** Writes a batch of results. */
  write(batch: ResultBatch): BatchOutcome {
    if (this.failure)
      throw new Error(`not written after an earlier failure: ${this.failure.message}`);
    try {
      return this.writeBatch(batch);
    } catch (error) {
      this.failure = error as Error;
      throw error;
    }
  }

  private writeBatch({ pages, failures, crawlMs }: ResultBatch): BatchOutcome {
    const { sql, jobId } = this;
    const outcome: BatchOutcome = { queued: 0, claimed: 0, targets: [] };
    this.atomically(() => {
      pages.forEach(({ task, page, workerPid, storeTarget, withdrawnTarget }, index) => {
        // The depth stored now: a shorter path may have been found since the URL was leased.
        const pageDepth = sql.markDone.get(task.id) as number;
        this.pageWriter.writePage(task.id, task.url, pageDepth, page, workerPid);
        this.recordExternalLinks(page);
        const target = storeTarget ? page.target : undefined;
        const withdrawn = withdrawnTarget !== undefined;
        const row = target && this.targetRow(target.url, pageDepth + 1, task.id, withdrawn);
        if (target && row) {
          const ownPage = targetPage(page, target);
          this.pageWriter.writePage(row.id, target.url, row.depth, ownPage, workerPid);
          this.recordExternalLinks(ownPage);
          outcome.queued += this.queueLinks(target.links, row.depth + 1, row.id);
          if (row.claimed && !withdrawn) outcome.claimed++;
          outcome.targets.push(index);
        } else {
          outcome.queued += this.queueLinks(page.links, pageDepth + 1, task.id);
        }
      });
      let failed = 0;
      for (const { task, error, state, attempts, redirects } of failures) {
        sql.markFailed.run(state, error, attempts, task.id);
        this.pageWriter.writeRedirects(task.id, redirects);
        if (state === URL_STATE.failed) failed++;
      }
      sql.bumpJob.run(
        pages.length + outcome.targets.length,
        failed,
        failures.length - failed,
        crawlMs ?? null,
        jobId,
      );
      this.pageWriter.indexText();
    });
    return outcome;
  }

  /** A page's external links, to be checked (recordExternal). */
  private recordExternalLinks(page: FetchedPage): void {
    if (!this.options.recordExternal) return;
    const { urls, internal } = page.outlinks;
    urls.forEach((url, index) => {
      if (!internal[index]) this.sql.insertExternal.run(this.jobId, url);
    });
  }

  /**
   * A redirect's target as a URL done, found on `foundOn` at `depth`: a new
   * frontier row, or its queued one claimed, or its leased one when main has
   * `withdrawn` it (claimTarget). Undefined when it is out of scope, new and
   * beyond the depth limit, leased by main or a worker, or done.
   */
  private targetRow(
    url: string,
    depth: number,
    foundOn: number,
    withdrawn: boolean,
  ): TargetRow | undefined {
    // Its row is in scope and within the depth limit, as it was when it was queued.
    if (withdrawn) return this.claimTarget(url, depth, foundOn, true);
    const { maxDepth, accepts } = this.options;
    const knownAt = this.known.get(url);
    if (knownAt === OUT_OF_SCOPE || (knownAt === undefined && accepts && !accepts(url))) {
      return undefined;
    }
    if (knownAt === undefined && (maxDepth === null || depth <= maxDepth)) {
      const id = this.sql.insertDone.get(this.jobId, url, depth, foundOn) as number | undefined;
      if (id !== undefined) {
        this.remember(url, depth);
        return { id, depth, claimed: false };
      }
    }
    return this.claimTarget(url, depth, foundOn, false);
  }

  /**
   * A target found by a link and still queued is done now, at the smaller of
   * its depths: else it would be fetched a second time and its row hold the
   * fields of two responses. Its stored depth is within the limit, as every
   * queued URL's is. One leased is claimed only when main has `withdrawn`
   * it from its memory; else the lease is owned by main or a worker fetching
   * it, whose result will be its row. One done, failed or blocked has its
   * outcome.
   */
  private claimTarget(
    url: string,
    depth: number,
    foundOn: number,
    withdrawn: boolean,
  ): TargetRow | undefined {
    const { jobId } = this;
    const claimable = withdrawn ? URL_STATE.leased : URL_STATE.queued;
    const row = this.sql.claimTarget.get({ depth, foundOn, jobId, url, claimable }) as
      { id: number; depth: number } | undefined;
    if (row === undefined) return undefined;
    this.remember(url, row.depth);
    return { ...row, claimed: true };
  }

  /** Queues the links a page found at `depth`; returns how many were new. */
  private queueLinks(links: readonly string[], depth: number, foundOn: number): number {
    const { maxDepth, accepts } = this.options;
    const { sql, jobId } = this;
    if (maxDepth !== null && depth > maxDepth) return 0;
    let added = 0;
    for (const url of links) {
      const knownAt = this.known.get(url);
      if (knownAt !== undefined && knownAt <= depth) continue;
      // The verdict on a URL never changes.
      if (knownAt === undefined && accepts && !accepts(url)) {
        this.remember(url, OUT_OF_SCOPE);
        continue;
      }
      this.remember(url, depth);
      const inserted = sql.insertUrl.run(jobId, url, depth, foundOn).changes;
      if (inserted === 0) this.shortestPaths.found(url, depth, foundOn);
      added += inserted;
    }
    return added;
  }

  private remember(url: string, depth: number): void {
    if (this.known.size >= this.knownUrlMemo) this.known.clear();
    this.known.set(url, depth);
  }

  /**
   * Counts one more worker death for each URL; returns the ids of those
   * that have now been in flight on QUARANTINE_AFTER_WORKER_DEATHS dead
   * workers (the caller fails them).
   */
  addDeaths(ids: readonly number[]): number[] {
    const quarantined: number[] = [];
    this.atomically(() => {
      for (const id of ids) {
        const { worker_deaths: deaths } = this.sql.addDeath.get(id) as { worker_deaths: number };
        if (deaths >= QUARANTINE_AFTER_WORKER_DEATHS) quarantined.push(id);
      }
    });
    return quarantined;
  }

  /**
   * Queues every leased URL again and indexes every link past the inlinks
   * watermark (at the start of a run, and when it stops, pauses or ends), so
   * a job that is not running leaves readers no links to scan.
   */
  release(): void {
    this.atomically(() => {
      this.sql.release.run(this.jobId);
      this.pageWriter.inlinks.add({ all: true });
    });
  }

  /**
   * Queues again the URLs blocked because robots.txt was unavailable (by a
   * redirect into such a host too), with the hops recorded on the way there,
   * at the start of a run: it reads robots.txt anew, so they are judged again
   * like any queued URL. Returns how many. A URL a rule blocked stays blocked.
   */
  requeueUnavailable(): number {
    return this.atomically(() => {
      const ids = this.sql.requeueUnavailable.all(this.jobId, ...UNAVAILABLE_PATTERNS) as number[];
      for (const id of ids) this.sql.dropRedirects.run(id);
      if (ids.length > 0) this.sql.unbumpBlocked.run(ids.length, this.jobId);
      return ids.length;
    });
  }

  /**
   * Up to `limit` external URLs not yet checked, in URL order, after `after`
   * (keyset paging; '' from the start).
   */
  uncheckedExternal(after: string, limit: number): string[] {
    return this.sql.uncheckedExternal.all(this.jobId, after, limit) as string[];
  }

  /** Stores the outcome of one external link check. */
  recordCheck(url: string, status: number | null, error: string | null, checkedAt: number): void {
    this.sql.recordCheck.run(status, error, checkedAt, this.jobId, url);
  }
}

/** A redirect target's frontier row: new, or `claimed` from the queue. */
interface TargetRow {
  id: number;
  depth: number;
  claimed: boolean;
}

/** The depth the memo of known URLs gives a URL out of scope. */
const OUT_OF_SCOPE = -1;

/**
 * The page a redirect ended at, as a URL of its own: the final response's
 * fields with no redirects (its status is the final one) and its own links.
 */
function targetPage(
  { target: _, ...page }: FetchedPage,
  { url: __, ...links }: RedirectTarget,
): FetchedPage {
  return { ...page, ...links, redirects: [] };
}

/** How many of a job's URLs are in each state, and its pages by status; read when a run starts. */
export function frontierCounts(
  db: Db,
  jobId: number,
): { byState: Map<number, number>; byStatus: Map<number, number> } {
  const rows = (sql: string) =>
    (db.prepare(sql).all(jobId) as { key: number; n: number }[]).map(
      ({ key, n }) => [key, n] as const,
    );
  return {
    byState: new Map(
      rows('SELECT state AS key, count(*) AS n FROM frontier WHERE job_id = ? GROUP BY state'),
    ),
    byStatus: new Map(
      rows('SELECT status AS key, count(*) AS n FROM pages WHERE job_id = ? GROUP BY status'),
    ),
  };
}

/**
 * Start URLs a seeding step inserts: about 25 ms here. A transaction takes
 * as many steps as fit in WriteLockSharing's budget (about 200,000 URLs
 * here); each commit writes the dirtied pages of the URL index again, so
 * much smaller transactions cost more (20,000 a transaction made seeding a
 * million twice as slow).
 */
const SEED_STEP = 10_000;
