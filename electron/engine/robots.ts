import robotsParser from 'robots-parser';
import type { Logger } from './logger';
import { readCapped, type MainFetch } from './main-fetch';

type Rules = ReturnType<typeof robotsParser>;

const ROBOTS_TIMEOUT_MS = 10_000;
const ROBOTS_MAX_BYTES = 500 * 1024;
/** RFC 9309: crawlers follow at least five redirects for robots.txt. */
const ROBOTS_MAX_REDIRECTS = 5;
/** Crawl-delay is honoured up to the largest --host-delay (10 minutes). */
const MAX_CRAWL_DELAY_MS = 600_000;

/**
 * robots.txt per origin, fetched once per run of a job (a resumed job reads
 * it again) and parsed by robots-parser, its groups matched against the
 * job's product token (`agent`, from shared/robots-agent.ts). A missing
 * file (4xx but 429) allows everything; so does one that answers 5xx or 429
 * (with a warning) or cannot be fetched, so a flaky robots.txt does not
 * silently empty a crawl. `onLoaded` hears of each origin whose
 * file is known, with its Crawl-delay for that token.
 */
export class RobotsCache {
  private readonly rules = new Map<string, Rules | null>();
  private readonly loading = new Map<string, Promise<Rules | null>>();

  constructor(
    /** A product token (`Googlebot`), never a whole User-Agent, which robots-parser would misread. */
    private readonly agent: string,
    private readonly fetch: MainFetch,
    private readonly logger: Logger,
    private readonly onLoaded: (origin: string, crawlDelayMs: number) => void = () => {},
  ) {}

  /** `pending` until the origin's robots.txt is known (fetching starts now), then the verdict. */
  check(url: string): 'allowed' | 'blocked' | 'pending' {
    const origin = new URL(url).origin;
    if (!this.rules.has(origin)) {
      void this.load(origin);
      return 'pending';
    }
    const rules = this.rules.get(origin);
    return rules?.isDisallowed(url, this.agent) ? 'blocked' : 'allowed';
  }

  /** Settles once the origin's robots.txt is known (fetching it if need be). */
  async whenLoaded(origin: string): Promise<void> {
    await this.load(origin);
  }

  /** The `Sitemap:` lines of the origin's robots.txt (fetching it if need be). */
  async sitemaps(origin: string): Promise<string[]> {
    return (await this.load(origin))?.getSitemaps() ?? [];
  }

  private load(origin: string): Promise<Rules | null> {
    if (this.rules.has(origin)) return Promise.resolve(this.rules.get(origin)!);
    let loading = this.loading.get(origin);
    if (!loading) {
      loading = this.fetchRules(origin).then((rules) => {
        this.rules.set(origin, rules);
        this.loading.delete(origin);
        this.onLoaded(origin, this.crawlDelayMs(origin, rules));
        return rules;
      });
      this.loading.set(origin, loading);
    }
    return loading;
  }

  private crawlDelayMs(origin: string, rules: Rules | null): number {
    const seconds = rules?.getCrawlDelay(this.agent);
    if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return 0;
    const delayMs = Math.min(Math.round(seconds * 1000), MAX_CRAWL_DELAY_MS);
    this.logger(
      'info',
      `${origin}/robots.txt asks for a Crawl-delay of ${seconds} s; requests to it are spaced ${delayMs} ms apart`,
    );
    return delayMs;
  }

  private async fetchRules(origin: string): Promise<Rules | null> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const response = await this.fetch(robotsUrl, {
        maxRedirects: ROBOTS_MAX_REDIRECTS,
        timeoutMs: ROBOTS_TIMEOUT_MS,
      });
      if (response.status >= 200 && response.status < 300) {
        const text = (await readCapped(response.body, ROBOTS_MAX_BYTES)).toString('utf8');
        return robotsParser(robotsUrl, text);
      }
      response.body.destroy();
      // 429 is no missing file but an overloaded server, like a 5xx: said, not silent.
      if (response.status >= 500 || response.status === 429) {
        this.logger(
          'warn',
          `${robotsUrl} answered ${response.status}; crawling as if it allowed everything`,
        );
      }
    } catch (error) {
      // The host is unreachable: its pages will fail with the same error, said once there.
      this.logger('debug', `cannot fetch ${robotsUrl}: ${(error as Error).message}`);
    }
    return null;
  }
}
