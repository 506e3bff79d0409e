import {
  applyUrlRules,
  normalizeUrl,
  parseCrawlableUrl,
  type UrlRules,
} from '../../shared/url-normalize';
import { withCertificateHint } from '../../shared/tls-errors';
import type { Logger } from './logger';
import type { MainFetch } from './main-fetch';
import type { RobotsCache } from './robots';
import { readSitemap } from './sitemap-reader';

/** Sitemaps (files and indexes) fetched per run of a job, and URLs seeded from them. */
export const MAX_SITEMAPS = 1000;
export const MAX_SITEMAP_URLS = 1_000_000;

export interface SitemapSeedOptions {
  startUrls: readonly string[];
  /** Sends each request with the job's settings (proxy, auth, headers). */
  fetch: MainFetch;
  maxRedirects: number;
  /**
   * The job's rules, applied to each URL listed as to a link, so a page a
   * sitemap lists and a page links to is one URL (the trap limits aside: a
   * listed URL is no trap).
   */
  urlRules: UrlRules;
  /** Reads each site's `Sitemap:` lines. */
  robots: RobotsCache;
  /**
   * Stores the URLs the job's scope (include and exclude patterns too)
   * accepts, asynchronously (the writer thread, where the patterns run);
   * resolves with how many were new and how many were refused.
   */
  seed: (urls: string[]) => Promise<{ added: number; refused: number }>;
  logger: Logger;
  signal: AbortSignal;
}

export interface SitemapSeedSummary {
  sitemaps: number;
  failed: number;
  /** URLs in scope that the sitemaps listed (new or already known). */
  listed: number;
  added: number;
}

/** A start URL whose path ends in .xml or .xml.gz is a sitemap; any other names a site. */
export function isSitemapUrl(url: string): boolean {
  return /\.xml(\.gz)?$/i.test(new URL(url).pathname);
}

/**
 * Sitemap mode's seeding: finds the sitemaps of each start URL (itself when
 * it is one, else the site's robots.txt `Sitemap:` lines, else
 * /sitemap.xml), follows sitemap indexes breadth-first (each sitemap read
 * once, at most MAX_SITEMAPS), and seeds the in-scope URLs they list. A
 * sitemap that fails is logged and skipped; the rest go on.
 */
export async function seedFromSitemaps(options: SitemapSeedOptions): Promise<SitemapSeedSummary> {
  const { logger } = options;
  const summary: SitemapSeedSummary = { sitemaps: 0, failed: 0, listed: 0, added: 0 };
  const queue: string[] = [];
  const seen = new Set<string>();
  const enqueue = (href: string, base?: string) => {
    const url = normalizeUrl(href, base);
    if (url && !seen.has(url)) {
      seen.add(url);
      queue.push(url);
    }
  };
  for (const start of options.startUrls) {
    if (isSitemapUrl(start)) {
      enqueue(start);
      continue;
    }
    const origin = new URL(start).origin;
    const declared = await options.robots.sitemaps(origin);
    if (declared.length > 0) for (const href of declared) enqueue(href, origin);
    else enqueue('/sitemap.xml', origin);
  }

  let skipped = 0;
  /** URLs handed to `seed`, in scope or not: what MAX_SITEMAP_URLS caps. */
  let offered = 0;
  // Seeds are written while reading goes on (each sitemap's before its log line); each
  // failure is kept, and the first one thrown at the end.
  const seeds: Promise<void>[] = [];
  let seedError: Error | undefined;
  const onUrls = (locs: string[]): boolean => {
    const urls: string[] = [];
    for (const loc of locs) {
      const url = parseCrawlableUrl(loc);
      if (url) urls.push(applyUrlRules(url, options.urlRules).href);
      else skipped++;
    }
    const kept = urls.slice(0, MAX_SITEMAP_URLS - offered);
    offered += kept.length;
    seeds.push(
      options.seed(kept).then(
        ({ added, refused }) => {
          summary.added += added;
          summary.listed += kept.length - refused;
          skipped += refused;
        },
        (error: Error) => void (seedError ??= error),
      ),
    );
    return offered < MAX_SITEMAP_URLS;
  };

  while (queue.length > 0 && !options.signal.aborted) {
    if (summary.sitemaps >= MAX_SITEMAPS) {
      logger('warn', `more than ${MAX_SITEMAPS} sitemaps; the other ${queue.length} are not read`);
      break;
    }
    if (offered >= MAX_SITEMAP_URLS) {
      logger('warn', `sitemaps list more than ${MAX_SITEMAP_URLS} URLs; the rest are not seeded`);
      break;
    }
    const url = queue.shift()!;
    summary.sitemaps++;
    const before = summary.listed;
    skipped = 0;
    try {
      const contents = await readSitemap(url, {
        fetch: options.fetch,
        maxRedirects: options.maxRedirects,
        signal: options.signal,
        onUrls,
      });
      await Promise.all(seeds.splice(0));
      for (const child of contents.sitemaps) enqueue(child, url);
      logger(
        'info',
        contents.kind === 'sitemapindex'
          ? `sitemap index ${url}: ${contents.sitemaps.length} sitemaps`
          : `sitemap ${url}: ${summary.listed - before} URLs` +
              (skipped > 0 ? ` (${skipped} outside the scope or its patterns skipped)` : ''),
      );
    } catch (error) {
      await Promise.all(seeds.splice(0));
      if (options.signal.aborted) break;
      summary.failed++;
      logger(
        'warn',
        `sitemap ${url} failed: ${describeError(error)}; continuing with ${summary.listed - before} URLs found in it`,
      );
    }
  }
  await Promise.all(seeds);
  if (seedError) throw seedError;
  return summary;
}

/** fetch() says only "fetch failed"; the reason is in its cause. */
export function describeError(error: unknown): string {
  const { message, code, cause } = error as Error & {
    code?: string;
    cause?: { code?: string; message?: string };
  };
  if (cause?.message) {
    return cause.code && !cause.message.includes(cause.code)
      ? `${cause.code}: ${cause.message}`
      : cause.message;
  }
  if (cause?.code) return cause.code;
  if ((error as Error).name === 'TimeoutError') return 'timed out';
  return withCertificateHint(message, code);
}
