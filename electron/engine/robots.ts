import robotsParser from 'robots-parser';
import type { Logger } from './logger';

type Rules = ReturnType<typeof robotsParser>;

const ROBOTS_TIMEOUT_MS = 10_000;
const ROBOTS_MAX_BYTES = 500 * 1024;

/**
 * robots.txt per origin, fetched once per run of a job (a resumed job reads
 * it again) and parsed by robots-parser, matched against the job's
 * User-Agent. A missing file (4xx) allows everything; so does one that
 * answers 5xx (with a warning) or cannot be fetched, so a flaky robots.txt
 * does not silently empty a crawl.
 */
export class RobotsCache {
  private readonly rules = new Map<string, Rules | null>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly userAgent: string,
    private readonly logger: Logger,
    private readonly onLoaded: () => void,
  ) {}

  /** `pending` until the origin's robots.txt is known (fetching starts now), then the verdict. */
  check(url: string): 'allowed' | 'blocked' | 'pending' {
    const origin = new URL(url).origin;
    if (!this.rules.has(origin)) {
      if (!this.pending.has(origin)) void this.load(origin);
      return 'pending';
    }
    const rules = this.rules.get(origin);
    return rules?.isDisallowed(url, this.userAgent) ? 'blocked' : 'allowed';
  }

  private async load(origin: string): Promise<void> {
    this.pending.add(origin);
    const robotsUrl = `${origin}/robots.txt`;
    let rules: Rules | null = null;
    try {
      // Node's built-in fetch: main stays free of got (about 12 MB less resident).
      const response = await fetch(robotsUrl, {
        headers: { 'user-agent': this.userAgent },
        signal: AbortSignal.timeout(ROBOTS_TIMEOUT_MS),
      });
      if (response.ok) {
        rules = robotsParser(robotsUrl, await readCapped(response, ROBOTS_MAX_BYTES));
      } else if (response.status >= 500) {
        this.logger(
          'warn',
          `${robotsUrl} answered ${response.status}; crawling as if it allowed everything`,
        );
      }
    } catch (error) {
      // The host is unreachable: its pages will fail with the same error, said once there.
      this.logger('debug', `cannot fetch ${robotsUrl}: ${(error as Error).message}`);
    }
    this.rules.set(origin, rules);
    this.pending.delete(origin);
    this.onLoaded();
  }
}

/** The body as text, cut off after `maxBytes` (a hostile robots.txt can be endless). */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
