import { setTimeout as sleep } from 'node:timers/promises';
import QuickLRU from 'quick-lru';
import robotsParser from 'robots-parser';
import type { RobotsUnavailable } from '../../shared/job-settings';
import { retryDelay, type RetryPolicy } from '../../shared/retry-policy';
import { withCertificateHint } from '../../shared/tls-errors';
import type { Logger } from './logger';
import { decodedBody, readCapped, type MainFetch } from './main-fetch';
import { RobotsRules } from './robots-match';
import { unavailableReason } from './robots-unavailable';
import { Slots } from './slots';

/**
 * What main keeps of a file: only what the job's token needs. robots-parser's
 * object, every group in it, is let go (kept too, an origin took 3.75 KB
 * instead of 1.66 for 12-line files).
 */
interface Rules {
  rules: RobotsRules;
  crawlDelaySeconds: number;
  sitemaps: string[];
}
/** A robots.txt that could not be read (5xx, 429, no answer), with why: `HTTP 503`. */
interface Unavailable {
  unavailable: string;
}
/** What is known of an origin: its rules, none (allow all), or that they could not be read. */
type Known = Rules | null | Unavailable;

const isUnavailable = (known: Known | undefined): known is Unavailable =>
  typeof known === 'object' && known !== null && 'unavailable' in known;

const ROBOTS_TIMEOUT_MS = 10_000;
const ROBOTS_MAX_BYTES = 500 * 1024;
/** RFC 9309: crawlers follow at least five redirects for robots.txt. */
const ROBOTS_MAX_REDIRECTS = 5;
/** Crawl-delay is honoured up to the largest --host-delay (10 minutes). */
const MAX_CRAWL_DELAY_MS = 600_000;
/**
 * Origins whose robots.txt stays parsed in memory: from this many to twice as
 * many (QuickLRU keeps a second generation). Kept for every origin, they
 * grew main's heap by 1.7 KB an origin for 12-line files: gigabytes for a
 * list of a million hosts (bench/RESULTS.md, seventeenth session). Well above
 * the origins whose URLs main holds at once (the frontier's window and the
 * host queues, 2,000 URLs), so a file read for a waiting URL is still there
 * when that URL goes.
 */
const ROBOTS_ORIGINS = 5_000;
/**
 * robots.txt requests at once. A list of many hosts asked for up to 1,000
 * at once (as many as main holds URLs), a socket each: under a limit of 400
 * open files, 596 of 1,000 hosts failed with EMFILE and were blocked as
 * unavailable. Waiting for a turn is not counted in a request's 10 s.
 */
const ROBOTS_FETCHES = 64;

/** Why robots.txt blocks a URL, as its frontier row records it; `unavailable`: no rule did. */
export interface RobotsBlocked {
  error: string;
  unavailable: boolean;
}
export type RobotsVerdict = 'allowed' | 'pending' | RobotsBlocked;

const BLOCKED_BY_RULE: RobotsBlocked = { error: 'blocked by robots.txt', unavailable: false };

/** A Crawl-delay in milliseconds, 0 for none or a value that is no delay. */
function delayMsOf(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(Math.round(seconds * 1000), MAX_CRAWL_DELAY_MS);
}

export interface RobotsOptions {
  /** A product token (`Googlebot`), never a whole User-Agent, which robots-parser would misread. */
  agent: string;
  /**
   * What a robots.txt that answers 5xx or 429, or not at all, means (RFC
   * 9309: disallow); null when robots.txt is ignored and read only for its
   * `Sitemap:` lines, which an unavailable one just does not have.
   */
  unavailable: RobotsUnavailable | null;
  /** The job's retries, also for robots.txt: one 503 does not close a whole host. */
  retry: RetryPolicy;
  /** Origins kept at least (ROBOTS_ORIGINS); one evicted is read again when met again. */
  maxOrigins?: number;
  /**
   * Aborted once nothing will ask any more (the job's workers are gone): a
   * file still being read, or waiting to be read again, is given up unjudged.
   */
  signal?: AbortSignal;
}

/**
 * robots.txt per origin, fetched once per run of a job (a resumed job reads
 * it again, and so does one that meets an origin evicted from the
 * ROBOTS_ORIGINS kept) and parsed by robots-parser, its groups matched against the
 * job's product token (shared/robots-agent.ts). A missing file (4xx but
 * 429) allows everything. One that answers 5xx or 429 or cannot be fetched,
 * after the job's retries, is unavailable: RFC 9309 §2.3.1.3 reads that as
 * disallowing the whole host, and so does Trawl unless the job says
 * `allow`; either way a warning says so. `onLoaded` hears of each origin
 * whose file is known, with its Crawl-delay for that token.
 */
export class RobotsCache {
  private readonly rules: QuickLRU<string, Known>;
  private readonly loading = new Map<string, Promise<Known>>();
  private readonly fetches = new Slots(ROBOTS_FETCHES);
  private readonly agent: string;

  constructor(
    private readonly options: RobotsOptions,
    private readonly fetch: MainFetch,
    private readonly logger: Logger,
    private readonly onLoaded: (origin: string, crawlDelayMs: number) => void = () => {},
  ) {
    this.agent = options.agent;
    this.rules = new QuickLRU({ maxSize: options.maxOrigins ?? ROBOTS_ORIGINS });
  }

  /**
   * `pending` until the origin's robots.txt is known (fetching starts now),
   * then the verdict: a blocked one with its reason, which the origin's
   * eviction before the caller records it cannot change.
   */
  check(url: string): RobotsVerdict {
    const origin = new URL(url).origin;
    if (!this.rules.has(origin)) {
      void this.load(origin);
      return 'pending';
    }
    return this.verdict(url, this.rules.get(origin)!);
  }

  /** The verdict once the origin's robots.txt is known (fetching it if need be). */
  async checkLoaded(url: string): Promise<Exclude<RobotsVerdict, 'pending'>> {
    return this.verdict(url, await this.load(new URL(url).origin));
  }

  /** The `Sitemap:` lines of the origin's robots.txt (fetching it if need be). */
  async sitemaps(origin: string): Promise<string[]> {
    const known = await this.load(origin);
    return isUnavailable(known) ? [] : (known?.sitemaps ?? []);
  }

  private verdict(url: string, known: Known): Exclude<RobotsVerdict, 'pending'> {
    if (isUnavailable(known)) {
      return this.options.unavailable === 'disallow'
        ? { error: unavailableReason(known.unavailable), unavailable: true }
        : 'allowed';
    }
    return known?.rules.isDisallowed(url) ? BLOCKED_BY_RULE : 'allowed';
  }

  /**
   * The Crawl-delay the origin's robots.txt asks of the job's token, while
   * main keeps the file; else 0 (one read again reaches `onLoaded`).
   */
  crawlDelayMs(origin: string): number {
    const known = this.rules.peek(origin);
    return known === undefined ? 0 : delayMsOf(this.crawlDelaySeconds(known));
  }

  private load(origin: string): Promise<Known> {
    if (this.rules.has(origin)) return Promise.resolve(this.rules.get(origin)!);
    let loading = this.loading.get(origin);
    if (!loading) {
      loading = this.fetchRules(origin).then(
        (rules) => {
          this.rules.set(origin, rules);
          this.loading.delete(origin);
          const seconds = this.crawlDelaySeconds(rules);
          const delayMs = delayMsOf(seconds);
          if (delayMs > 0) {
            this.logger(
              'info',
              `${origin}/robots.txt asks for a Crawl-delay of ${seconds} s; requests to it are spaced ${delayMs} ms apart`,
            );
          }
          this.onLoaded(origin, delayMs);
          return rules;
        },
        (error: unknown) => {
          this.loading.delete(origin);
          // A stop gave it up: no URL is judged by it, and no warning says it was unavailable.
          if (this.options.signal?.aborted) return null;
          throw error;
        },
      );
      this.loading.set(origin, loading);
    }
    return loading;
  }

  private crawlDelaySeconds(known: Known): number {
    return isUnavailable(known) ? 0 : (known?.crawlDelaySeconds ?? 0);
  }

  private async fetchRules(origin: string): Promise<Known> {
    const robotsUrl = `${origin}/robots.txt`;
    const why = await this.fetchText(robotsUrl);
    if (why === null) return null;
    if (typeof why === 'string') {
      const file = robotsParser(robotsUrl, why);
      return {
        rules: new RobotsRules(file, this.agent),
        crawlDelaySeconds: file.getCrawlDelay(this.agent) ?? 0,
        sitemaps: file.getSitemaps(),
      };
    }
    const { unavailable } = this.options;
    this.logger(
      unavailable === null ? 'debug' : 'warn',
      `${robotsUrl} is unavailable (${why.unavailable}); ` +
        (unavailable === 'disallow'
          ? 'RFC 9309 reads that as disallowing the whole host: its URLs are recorded as blocked ' +
            '(--robots-unavailable allow crawls them anyway)'
          : unavailable === 'allow'
            ? 'crawling as if it allowed everything (--robots-unavailable allow)'
            : 'no sitemaps from it'),
    );
    return why;
  }

  /**
   * The file's text; null when it is missing (4xx but 429), which allows
   * everything; else why it is unavailable, once the retries are spent.
   * 429 is no missing file but an overloaded server, like a 5xx.
   */
  private async fetchText(robotsUrl: string): Promise<string | null | Unavailable> {
    for (let attempt = 1; ; attempt++) {
      let delayMs: number | null;
      let unavailable: string;
      try {
        const answer = await this.fetches.run(() => this.request(robotsUrl));
        if (typeof answer === 'string') return answer;
        if (answer.status < 500 && answer.status !== 429) return null;
        unavailable = `HTTP ${answer.status}`;
        delayMs = retryDelay(answer, attempt, this.options.retry);
      } catch (error) {
        if (this.options.signal?.aborted) throw error;
        const { message, code } = error as Error & { code?: string };
        unavailable = withCertificateHint(message, code);
        // Any failure to answer is worth another try here: a timeout too.
        delayMs = retryDelay({ status: 503, retryAfter: null }, attempt, this.options.retry);
      }
      if (delayMs === null) return { unavailable };
      await sleep(delayMs, undefined, { signal: this.options.signal });
    }
  }

  /** One request for the file, read to its end: its text on 2xx, else its status. */
  private async request(
    robotsUrl: string,
  ): Promise<string | { status: number; retryAfter: string | null }> {
    const response = await this.fetch(robotsUrl, {
      maxRedirects: ROBOTS_MAX_REDIRECTS,
      timeoutMs: ROBOTS_TIMEOUT_MS,
      signal: this.options.signal,
    });
    if (response.status >= 200 && response.status < 300) {
      // The server answered: a body cut off or not decoding is its fault, not "no answer".
      const text = await readCapped(decodedBody(response), ROBOTS_MAX_BYTES).catch(
        (error: Error) => {
          if (this.options.signal?.aborted) throw error;
          throw new Error(`HTTP ${response.status}, its body unreadable: ${error.message}`);
        },
      );
      return text.toString('utf8');
    }
    response.body.destroy();
    return { status: response.status, retryAfter: response.headers['retry-after'] ?? null };
  }
}
