import { z } from 'zod';
import { MAX_URL_LENGTH } from './limits';
import type { ExtractionRule } from './extraction';
import type { ScopeSettings } from './scope';
import type { UrlRules } from './url-normalize';

/**
 * The protocol between main and worker processes. Main trusts nothing a
 * worker says: every message is parsed with `workerToMainSchema` where it
 * enters main.
 */

/** What a worker needs to know about the job; sent once after spawn. */
export interface WorkerConfig {
  concurrency: number;
  userAgent: string;
  timeouts: { connectMs: number; firstByteMs: number; totalMs: number };
  retry: { retries: number; baseDelayMs: number; maxDelayMs: number };
  /** Caps on the body as it comes off the wire and after decompression. */
  maxBodyBytes: number;
  maxDecodedBytes: number;
  maxRedirects: number;
  /** Which links are followed; the scope's boundary also decides what is internal. */
  scope: ScopeSettings;
  /** How links are normalized and which are refused as endless URL spaces. */
  urls: UrlRules;
  cookies: boolean;
  basicAuth: { host: string; username: string; password: string }[];
  proxy: string | null;
  ignoreTlsErrors: boolean;
  honourNofollow: boolean;
  /**
   * The crawler's product token (shared/robots-agent.ts): robots meta tags
   * and X-Robots-Tag directives addressed to it by name count.
   */
  robotsAgent: string;
  /**
   * Ask main (redirect-query) before following each redirect hop: robots.txt
   * and the host limits live there. False only where no job runs (the
   * extraction preview's single request).
   */
  askBeforeRedirects: boolean;
  extract: ExtractionRule[];
  /** Extra request headers. */
  headers: Record<string, string>;
  heartbeatMs: number;
}

export interface CrawlTask {
  /** Frontier row id; echoed back in the result. */
  id: number;
  url: string;
  depth: number;
  /** Set when the URL was in flight on a worker that died: it then runs alone. */
  suspect?: boolean;
}

export type MainToWorker =
  | { type: 'configure'; config: WorkerConfig }
  | { type: 'crawl'; tasks: CrawlTask[] }
  /** Finish what is being fetched, send the results, give back the rest (`returned`), then exit. */
  | { type: 'drain' }
  /** The answer to a redirect-query. */
  | { type: 'redirect-verdict'; queryId: number; verdict: RedirectVerdict };

/**
 * Main's answer before a redirect hop: `follow` it now; `refuse`, robots.txt
 * disallows the target; `give-back`, a graceful stop began while the hop
 * waited (for the target's robots.txt or host limits): the task goes back to
 * main unfinished, to be crawled whole on resume.
 */
export type RedirectVerdict = 'follow' | 'refuse' | 'give-back';

/**
 * An array whose every item passes `is`, checked in one loop and taken as it
 * came. `z.array` parses item by item into a new array: for a page's five
 * lists of about 50 links, 25 µs a page against 9 on main's thread, where
 * every page's result is checked (bench/RESULTS.md, twenty-first session).
 */
function listOf<T>(is: (item: unknown) => item is T, items: string) {
  return z.custom<T[]>((value) => Array.isArray(value) && value.every(is), {
    message: `expected a list of ${items}`,
  });
}

const isUrl = (item: unknown): item is string =>
  typeof item === 'string' && item.length <= MAX_URL_LENGTH;
const URLS = `URLs of at most ${MAX_URL_LENGTH} characters`;

/** One redirect response on the way to the final URL. */
const redirectHopSchema = z.object({
  url: z.string().max(MAX_URL_LENGTH),
  status: z.number().int(),
  /** The Location header as sent (may be relative), capped in length. */
  location: z.string(),
});
export type RedirectHop = z.infer<typeof redirectHopSchema>;

/**
 * Every `<a href>` on a page (http(s) targets only), in document order, as
 * parallel arrays: link i is `urls[i]`, `texts[i]`, `rels[i]`, `internal[i]`.
 * Not an object a link: a page's ~50 small objects were most of what its
 * result cost to serialize and to read back, at each of the boundaries it
 * crosses (worker to main, main's check, main to the store writer thread);
 * four arrays cost half as much (bench/RESULTS.md, fifteenth session).
 */
const outlinksSchema = z
  .object({
    urls: listOf(isUrl, URLS),
    /** Anchor text, whitespace collapsed, capped in length; the img alt for image links. */
    texts: listOf((item): item is string => typeof item === 'string', 'strings'),
    rels: listOf(
      (item): item is string | null => item === null || typeof item === 'string',
      'strings or nulls',
    ),
    /** Inside the job's scope boundary (same host by default). */
    internal: listOf((item): item is boolean => typeof item === 'boolean', 'booleans'),
  })
  .refine(
    ({ urls, texts, rels, internal }) =>
      texts.length === urls.length &&
      rels.length === urls.length &&
      internal.length === urls.length,
    { message: 'outlinks: urls, texts, rels and internal must have one entry a link each' },
  );
export type Outlinks = z.infer<typeof outlinksSchema>;

/** Custom extraction values by rule name (HTML pages only). */
const extractedSchema = z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()]));

const fetchedSchema = z.object({
  taskId: z.number().int(),
  ok: z.literal(true),
  /** The URL the content came from: the last hop of the redirect chain. */
  finalUrl: z.string(),
  status: z.number().int(),
  /** Each redirect followed before the final response, in order; empty when none. */
  redirects: z.array(redirectHopSchema),
  contentType: z.string().nullable(),
  /** The charset the HTML was decoded with (null for non-HTML). */
  charset: z.string().nullable(),
  /** Decoded body bytes (what the parser saw), and bytes as they came off the wire. */
  bytes: z.number().int().nonnegative(),
  wireBytes: z.number().int().nonnegative(),
  /** Time to the final response's headers and to its last byte, from the first request. */
  ttfbMs: z.number().nonnegative(),
  responseMs: z.number().nonnegative(),
  /** Response headers of the final response, names lowercased (repeated ones joined by ", "). */
  headers: z.record(z.string(), z.string()),
  title: z.string().nullable(),
  /** The fields below are null (or 0, or empty) for anything but HTML. */
  metaDescription: z.string().nullable(),
  metaRobots: z.string().nullable(),
  /** Every X-Robots-Tag header, one a line (for any type): where one ended counts. */
  xRobotsTag: z.string().nullable(),
  /** Absolute canonical URL from `<link rel=canonical>` (or the Link header). */
  canonical: z.string().nullable(),
  /**
   * Where `<meta http-equiv="refresh">` (or a Refresh header, for any type)
   * sends the visitor, absolute; null when none, or it only reloads the page.
   */
  metaRefresh: z.string().max(MAX_URL_LENGTH).nullable(),
  h1: z.string().nullable(),
  h1Count: z.number().int().nonnegative(),
  h2Count: z.number().int().nonnegative(),
  hreflang: z.array(z.object({ lang: z.string(), url: z.string() })),
  /** `<html lang>`, else the Content-Language header. */
  lang: z.string().nullable(),
  wordCount: z.number().int().nonnegative(),
  /** Hash of the page's visible text, for finding duplicate content; null for non-HTML. */
  contentHash: z.string().nullable(),
  imagesWithoutAlt: z.number().int().nonnegative(),
  /** Every link on the page (capped at MAX_OUTLINKS_PER_PAGE). */
  outlinks: outlinksSchema,
  /** Links to follow: in scope and patterns, not nofollow, normalized, deduplicated. */
  links: listOf(isUrl, URLS),
  /** Links seen on the page in total, in scope or not. */
  linkCount: z.number().int().nonnegative(),
  /**
   * Set when the URL redirected to a URL Trawl crawls: that page's own
   * links and extraction values, which the redirect's row does not keep (its
   * `links` hold only the target). Main may store the target's row from this response (its
   * status, fields and these links), so that a page reached only through
   * a redirect is not fetched a second time.
   */
  target: z
    .object({
      url: z.string().max(MAX_URL_LENGTH),
      outlinks: outlinksSchema,
      links: listOf(isUrl, URLS),
      linkCount: z.number().int().nonnegative(),
      metaRefresh: z.string().max(MAX_URL_LENGTH).nullable(),
      extracted: extractedSchema,
    })
    .optional(),
  /** Custom extraction values by rule name (HTML pages only). */
  extracted: extractedSchema,
  /** Attempts made, 1 when the first one was kept. */
  attempts: z.number().int().min(1),
  /** Why each earlier attempt was retried (`HTTP 503`, `ECONNRESET: …`). */
  retryReasons: z.array(z.string()),
  fetchedAt: z.number(),
});

const failedSchema = z.object({
  taskId: z.number().int(),
  ok: z.literal(false),
  error: z.string(),
  /** The redirects followed before the failure (a loop, too many hops, an error on a target). */
  redirects: z.array(redirectHopSchema),
  /** Set when the failure is a redirect to this URL, which robots.txt disallows (never requested). */
  blockedTarget: z.string().max(MAX_URL_LENGTH).optional(),
  attempts: z.number().int().min(1),
  fetchedAt: z.number(),
});

export const pageResultSchema = z.discriminatedUnion('ok', [fetchedSchema, failedSchema]);
export type PageResult = z.infer<typeof pageResultSchema>;
export type FetchedPage = z.infer<typeof fetchedSchema>;
export type RedirectTarget = NonNullable<FetchedPage['target']>;
export type FailedPage = z.infer<typeof failedSchema>;

const hostWaitSchema = z.object({
  url: z.string().max(MAX_URL_LENGTH).refine(URL.canParse, 'expected an absolute URL'),
  status: z.number().int(),
  delayMs: z.number().nonnegative(),
  retryAfter: z.boolean(),
});
export type HostWait = z.infer<typeof hostWaitSchema>;

export const workerToMainSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('results'), results: z.array(pageResultSchema) }),
  z.object({
    type: z.literal('heartbeat'),
    inFlight: z.number().int().nonnegative(),
    rssBytes: z.number().nonnegative(),
    /** Process CPU time (user + system) in microseconds since start. */
    cpuMicros: z.number().nonnegative(),
  }),
  /**
   * Task `taskId` was redirected to `url`: may it request it?
   * Main answers (redirect-verdict) once robots.txt is known and the target
   * host's limits (concurrency, delay, rate) allow the request.
   */
  z.object({
    type: z.literal('redirect-query'),
    queryId: z.number().int(),
    taskId: z.number().int(),
    url: z.string().max(MAX_URL_LENGTH),
  }),
  /**
   * The server of `url` answered `status` 429, or 503 with Retry-After: no
   * new request to its host may start for `delayMs` (main caps it at the
   * job's maxRetryDelayMs), Retry-After's wait or else the retry's backoff.
   * Sent whether or not the task will retry.
   */
  hostWaitSchema.extend({ type: z.literal('host-wait') }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string(),
  }),
  /**
   * On drain: tasks the worker gives back unrun, those waiting for a free
   * slot or for a retry's delay (a Retry-After of a minute held a stop that long).
   */
  z.object({ type: z.literal('returned'), taskIds: z.array(z.number().int()) }),
]);

export type WorkerToMain = z.infer<typeof workerToMainSchema>;
