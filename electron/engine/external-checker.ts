import { setTimeout as delay } from 'node:timers/promises';
import { hostWait, type RetryPolicy } from '../../shared/retry-policy';
import type { HostWait } from '../../shared/worker-protocol';
import { hostOf, type HostLimits } from './host-limits';
import type { Logger } from './logger';
import type { MainFetch } from './main-fetch';
import { describeError } from './sitemap-seeder';

/** Checks running at once: main only waits on sockets, but stays light. */
const CHECK_CONCURRENCY = 4;
/** Unchecked URLs read from the table at a time. */
const BATCH = 200;
/** Queued URLs looked at per pump for one whose host is free. */
const SCAN = 50;

export interface ExternalCheckerOptions {
  /**
   * Up to `limit` URLs not yet checked, in URL order, after `after` (the
   * job's writer: it sees the URLs and checks of its open transaction).
   */
  unchecked: (after: string, limit: number) => Promise<string[]>;
  record: (
    url: string,
    status: number | null,
    error: string | null,
    checkedAt: number,
  ) => Promise<void>;
  limits: HostLimits;
  /** Sends each check with the job's settings (proxy, auth, headers). */
  fetch: MainFetch;
  timeoutMs: number;
  /** The job's retry backoff: how long a 429 without Retry-After holds its host. */
  retry: RetryPolicy;
  /** A host answered 429, or 503 with Retry-After: no request to it for a while. */
  onHostWait: (wait: HostWait) => void;
  logger: Logger;
  /** Called when the checker has nothing left to do (for now). */
  onIdle: () => void;
  /** A read of the URLs left failed: no more are checked. */
  onError: (error: Error) => void;
}

/**
 * Checks each external link of a job once (checkExternal): a HEAD request,
 * or GET when the server refuses HEAD (405, 501), redirects not followed, so
 * the status recorded is the link's own. Runs in main with a few requests at
 * a time through the job's host limits and rate cap; robots.txt is not
 * consulted (a status check fetches no content, like a visitor following
 * the link). The table is the queue: a URL with no checked_at is unchecked,
 * so a resumed job checks only what is left. It is read and written through
 * the job's writer, in its open transaction: a crash loses the checks of
 * the last half second at most, which a resume makes again, as it crawls
 * again the pages stored then.
 */
export class ExternalChecker {
  private queue: string[] = [];
  private readonly running = new Map<string, Promise<void>>();
  /** Last URL read from the table: reads go on from there (keyset paging). */
  private cursor = '';
  /** The last read found no unchecked URL: never while one is in flight, so not idle then. */
  private exhausted = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  /** onIdle was called and nothing happened since. */
  private idleReported = false;
  /** The read of unchecked URLs in flight: one at a time. */
  private reading: Promise<void> | null = null;
  private checkedUrls = 0;

  constructor(private readonly options: ExternalCheckerOptions) {
    options.limits.onRelease(() => this.pump());
  }

  /** URLs checked by this run. */
  get checked(): number {
    return this.checkedUrls;
  }

  get idle(): boolean {
    return this.exhausted && this.queue.length === 0 && this.running.size === 0;
  }

  /** New external URLs may have been stored: look again. */
  notify(): void {
    this.exhausted = false;
    this.idleReported = false;
    this.pump();
  }

  /** Starts what the host limits allow; arms a timer for the earliest host delay. */
  pump(): void {
    if (this.stopped) return;
    if (this.queue.length === 0 && !this.exhausted) this.load();
    const now = Date.now();
    let wait = Infinity;
    for (let index = 0; index < Math.min(this.queue.length, SCAN);) {
      if (this.running.size >= CHECK_CONCURRENCY) return;
      const url = this.queue[index]!;
      const host = hostOf(url);
      const hostWait = this.options.limits.waitMs(host, now);
      if (hostWait > 0) {
        wait = Math.min(wait, hostWait);
        index++;
        continue;
      }
      this.queue.splice(index, 1);
      this.options.limits.start(host, now);
      this.running.set(url, this.check(url, host));
      if (this.queue.length === 0 && !this.exhausted) this.load();
    }
    if (wait !== Infinity && now + wait < this.timerAt) {
      if (this.timer) clearTimeout(this.timer);
      this.timerAt = now + wait;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.timerAt = Infinity;
        this.pump();
      }, wait);
    }
    if (this.idle && !this.idleReported) {
      this.idleReported = true;
      // Later, not inside whatever released a host slot (the job may be mid-way through results).
      setImmediate(() => this.options.onIdle());
    }
  }

  /**
   * Abandons checks in progress (they stay unchecked for a resume), and
   * waits for a read in flight: the job's writer closes after this.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await Promise.all([this.reading, ...this.running.values()]);
  }

  /**
   * Reads the next URLs to check, unless a read is in flight; pumps when
   * they come. Only while not `exhausted`, which only a read's end sets.
   */
  private load(): void {
    this.reading ??= this.read().then(
      () => {
        this.reading = null;
        this.pump();
      },
      (error: Error) => {
        this.reading = null;
        if (this.stopped) return;
        // No more reads: each would fail the same way.
        this.stopped = true;
        this.options.onError(error);
      },
    );
  }

  /**
   * The writer answers in the order it was asked, so a read sees every
   * batch and check answered before it: the URLs a notify() while it is in
   * flight announces are among those it returns.
   */
  private async read(): Promise<void> {
    const next = async () =>
      (await this.options.unchecked(this.cursor, BATCH)).filter((url) => !this.running.has(url));
    let urls = await next();
    if (urls.length === 0 && this.cursor !== '' && !this.stopped) {
      // URLs stored since may sort before the cursor: one pass from the start.
      this.cursor = '';
      urls = await next();
    }
    if (this.stopped) return;
    if (urls.length === 0) {
      this.exhausted = true;
      return;
    }
    this.cursor = urls[urls.length - 1]!;
    this.queue.push(...urls);
  }

  private async check(url: string, host: string): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await this.requestStatus(url, host);
    } catch (cause) {
      error = describeError(cause);
    }
    this.options.limits.release(host, Date.now());
    if (!this.abort.signal.aborted) {
      try {
        await this.options.record(url, status, error, Date.now());
        this.checkedUrls++;
      } catch (storeError) {
        this.options.logger(
          'error',
          `could not store the check of ${url}: ${(storeError as Error).message}`,
        );
      }
    }
    // Running until stored, so a read of the table meanwhile does not queue the URL again.
    this.running.delete(url);
    this.pump();
  }

  private async requestStatus(url: string, host: string): Promise<number> {
    const request = async (method: 'HEAD' | 'GET') => {
      const response = await this.options.fetch(url, {
        method,
        maxRedirects: 0,
        timeoutMs: this.options.timeoutMs,
        signal: this.abort.signal,
      });
      // Only the status matters: the body is never read.
      response.body.destroy();
      const { status } = response;
      const retryAfter = response.headers['retry-after'] ?? null;
      const wait = hostWait({ status, retryAfter }, 1, this.options.retry);
      if (wait !== null) this.options.onHostWait({ url, status, ...wait });
      return status;
    };
    const status = await request('HEAD');
    if (status !== 405 && status !== 501) return status;
    await this.startAgain(host);
    return request('GET');
  }

  /**
   * Waits until the host's delay and the job's rate let a check's second
   * request start (it keeps its slot), as a redirect hop does: the GET after
   * a refused HEAD is another request to that host.
   */
  private async startAgain(host: string): Promise<void> {
    const { limits } = this.options;
    const waitMs = () => limits.hopWaitMs(host, Date.now());
    for (let wait = waitMs(); wait > 0; wait = waitMs()) {
      await delay(wait, undefined, { signal: this.abort.signal });
    }
    limits.restart(host, Date.now());
  }
}
