import { z } from 'zod';
import './schema-messages';
import { extractionRuleSchema } from './extraction';
import { requestHeaderProblems, unsendableHeaderNames } from './request-headers';
import { ROBOTS_TOKEN } from './robots-agent';
import { regexError, SCOPE_MODES } from './scope';
import { DEFAULT_URL_RULES } from './url-normalize';

export const CRAWL_MODES = ['spider', 'list', 'sitemap'] as const;
export type CrawlMode = (typeof CRAWL_MODES)[number];
/** What a robots.txt that answers 5xx or 429, or not at all, means for its host. */
export const ROBOTS_UNAVAILABLE = ['disallow', 'allow'] as const;
export type RobotsUnavailable = (typeof ROBOTS_UNAVAILABLE)[number];
import {
  DEFAULT_CONCURRENCY_PER_WORKER,
  MAX_CONCURRENCY_PER_WORKER,
  MAX_URL_LENGTH,
  MAX_WORKERS,
} from './limits';

/**
 * A start URL parsed, or why it cannot be one: an absolute http(s) URL of at
 * most MAX_URL_LENGTH characters, one to a value. The schema's check, and the
 * one a long list is checked with (electron/engine/start-urls.ts), which keeps
 * the URL.
 */
export function parseStartUrl(value: string): URL | string {
  if (value.length > MAX_URL_LENGTH) return `URL longer than ${MAX_URL_LENGTH} characters`;
  const url = URL.parse(value);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    return `"${value.slice(0, 200)}" is not an absolute http(s) URL`;
  }
  // The URL parser drops tabs and line breaks, so two columns of a spreadsheet would be
  // crawled as one URL that never was. A space it writes %20, as a browser does, which
  // is right within a path but not between two URLs on one line.
  const inner = value.trim();
  if (/[\t\n\f\r]/.test(inner)) {
    return `${JSON.stringify(value.slice(0, 200))} holds a tab or line break, which a URL cannot (two columns of a spreadsheet?)`;
  }
  return / https?:\/\//i.test(inner)
    ? `"${value.slice(0, 200)}" holds two URLs (give one a line)`
    : url;
}

const httpUrl = z.string().superRefine((value, context) => {
  const parsed = parseStartUrl(value);
  if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed });
});

const regex = z.string().superRefine((pattern, context) => {
  const problem = regexError(pattern);
  if (problem)
    context.addIssue({
      code: 'custom',
      message: `bad regular expression /${pattern}/: ${problem}`,
    });
});

/** Request headers whose names `problems` finds nothing wrong with; values HTTP cannot carry are refused. */
const headersChecked = (problems: (names: readonly string[]) => string[]) =>
  z
    .record(
      z.string(),
      z.string().regex(/^[^\r\n\0]*$/, 'header values cannot contain line breaks'),
    )
    .superRefine((value, context) => {
      for (const message of problems(Object.keys(value))) {
        context.addIssue({ code: 'custom', message });
      }
    });

/**
 * Everything that defines a crawl job. Persisted with the job so `--resume`
 * and "re-run" use exactly the settings the job started with.
 */
export const jobSettingsSchema = z.object({
  startUrls: z.array(httpUrl).min(1, 'at least one start URL is required'),
  /**
   * `spider` follows links from the start URLs; `list` fetches exactly the
   * start URLs; `sitemap` seeds from sitemaps (a start URL ending in `.xml` or
   * `.xml.gz` is a sitemap, any other names a site whose sitemaps are found via
   * robots.txt `Sitemap:` lines or `/sitemap.xml`) and follows links from there.
   */
  mode: z.enum(CRAWL_MODES).default('spider'),
  scope: z.enum(SCOPE_MODES).default('host'),
  include: z.array(regex).default([]),
  exclude: z.array(regex).default([]),
  /** robots.txt is obeyed unless this is set. */
  ignoreRobots: z.boolean().default(false),
  /**
   * A robots.txt that answers 5xx or 429, or not at all (after the retries),
   * disallows its whole host, as RFC 9309 §2.3.1.3 says; `allow` crawls the
   * host as if it had none.
   */
  robotsUnavailable: z.enum(ROBOTS_UNAVAILABLE).default('disallow'),
  /**
   * Links marked rel=nofollow, and all links of a page whose meta robots or
   * X-Robots-Tag says nofollow, are not followed.
   */
  honourNofollow: z.boolean().default(true),
  /** Custom extraction rules, each value stored per page. */
  extract: z
    .array(extractionRuleSchema)
    .default([])
    .refine(
      (rules) => new Set(rules.map((rule) => rule.name)).size === rules.length,
      'extraction rule names must be unique',
    ),
  /** Extra request headers, sent with every request of the job. */
  headers: headersChecked(requestHeaderProblems).default({}),
  /** Requests in flight to one host at a time, whatever the pool size. */
  hostConcurrency: z.number().int().min(1).max(1024).default(2),
  /** Least time between the starts of two requests to one host; robots.txt Crawl-delay raises it. */
  hostDelayMs: z.number().int().min(0).max(600_000).default(0),
  /** Job-wide cap on requests started per second; null for none. */
  maxRequestsPerSecond: z.number().min(0.01).max(100_000).nullable().default(null),
  /** External links (outside the scope) get one request each for their status; never crawled. */
  checkExternal: z.boolean().default(false),
  /** Remove tracking query parameters (`utm_*`, `gclid`, `fbclid` and friends) from links. */
  stripTrackingParams: z.boolean().default(false),
  /**
   * Query parameters (and `;name=value` path parameters) removed from every
   * link, by name in any case: session ids (`jsessionid`, `PHPSESSID`, `sid`)
   * that make each visit's links new URLs, or a sort order not worth a page.
   */
  stripParams: z
    .array(
      z
        .string()
        .regex(/^[^\s=&;#/?]+$/, 'a parameter name is one word without = & ; # / ? or spaces'),
    )
    .default([]),
  /** Sort query parameters so `?b=1&a=2` and `?a=2&b=1` are one page. */
  sortQueryParams: z.boolean().default(false),
  /** Links whose path repeats one segment more often than this are not followed (endless URL spaces). */
  maxRepeatedPathSegments: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(DEFAULT_URL_RULES.maxRepeatedPathSegments),
  /** Links with more query parameters than this are not followed (faceted navigation); null for no limit. */
  maxQueryParams: z.number().int().min(0).max(1000).nullable().default(null),
  /** Links longer than this many characters are not followed (queries that grow on every page). */
  maxUrlLength: z.number().int().min(20).max(MAX_URL_LENGTH).default(MAX_URL_LENGTH),
  /** Keep cookies the site sets for the rest of the job (per worker process). */
  cookies: z.boolean().default(false),
  /** HTTP basic auth credentials by host (`host` or `host:port`). */
  basicAuth: z
    .array(
      z.object({
        host: z.string().min(1),
        username: z.string(),
        password: z.string(),
      }),
    )
    .default([]),
  /** An HTTP(S) proxy for every request, e.g. `http://proxy.local:3128`. */
  proxy: httpUrl.nullable().default(null),
  /**
   * Crawl HTTPS servers whose certificate does not verify (self-signed,
   * expired, issued for another name): staging sites. Off, such a URL fails.
   */
  ignoreTlsErrors: z.boolean().default(false),
  /** Redirect hops followed before the URL is recorded as failed. */
  maxRedirects: z.number().int().min(0).max(20).default(10),
  /** Worker processes; the host fills in the core count when omitted. */
  workers: z.number().int().min(1).max(MAX_WORKERS),
  /** Requests in flight per worker. */
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(MAX_CONCURRENCY_PER_WORKER)
    .default(DEFAULT_CONCURRENCY_PER_WORKER),
  /** Stop after this many URLs have been processed (pages stored plus failures). */
  maxPages: z.number().int().min(1).nullable().default(null),
  /** Start URLs are depth 0; links deeper than this are not followed. */
  maxDepth: z.number().int().min(0).nullable().default(null),
  userAgent: z
    .string()
    .min(1)
    .max(512)
    .default('Trawl/0.1 (+https://github.com/trawl-crawler/trawl)'),
  /**
   * The product token robots.txt groups are matched against (`Googlebot`);
   * null: the one the User-Agent names (shared/robots-agent.ts).
   */
  robotsUserAgent: z
    .string()
    .max(100)
    .regex(ROBOTS_TOKEN, 'a robots.txt user-agent is one word: letters, digits, "_" and "-"')
    .nullable()
    .default(null),
  /** Timeouts: to connect, to the response headers (first byte), and for the whole request. */
  connectTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  firstByteTimeoutMs: z.number().int().min(100).max(600_000).default(20_000),
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** Further attempts after network errors, 5xx and 429, with exponential backoff and jitter. */
  retries: z.number().int().min(0).max(10).default(2),
  retryBaseDelayMs: z.number().int().min(0).max(60_000).default(500),
  /** The longest wait before a retry, also when Retry-After asks for more. */
  maxRetryDelayMs: z.number().int().min(0).max(600_000).default(30_000),
  /** Bodies above this many bytes on the wire are cut off and recorded as failed. */
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Bodies that decompress to more than this are cut off and recorded as failed (compression bombs). */
  maxDecodedBytes: z
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** A worker silent for this long is considered hung and replaced. */
  workerStallMs: z.number().int().min(500).max(600_000).default(10_000),
});

export type JobSettings = z.infer<typeof jobSettingsSchema>;
export type JobSettingsInput = z.input<typeof jobSettingsSchema>;

/**
 * A new job's settings as its row holds them: every setting but the start
 * URLs, which have a table of their own (a list job can have a million).
 */
export const newJobSettingsSchema = jobSettingsSchema.omit({ startUrls: true });

/**
 * The same, as read back: a job an earlier Trawl stored with a header it now
 * refuses to be given (Host, Connection…) stays readable, and resumes as it
 * ran; so does one stored before robotsUnavailable, which crawled as `allow`.
 */
export const storedJobSettingsSchema = newJobSettingsSchema.extend({
  headers: headersChecked(unsendableHeaderNames).default({}),
  robotsUnavailable: z.enum(ROBOTS_UNAVAILABLE).default('allow'),
});
export type StoredJobSettings = z.infer<typeof storedJobSettingsSchema>;
/** A stored job's settings with its start URLs: everything a new crawl from it starts with. */
export type StoredJobSettingsAndUrls = StoredJobSettings & { startUrls: string[] };

/** Turns a zod error into one line a person can act on (the first few problems). */
export function describeSchemaError(error: z.ZodError, most = 3): string {
  return describeIssues(error.issues, most);
}

/**
 * Problems at paths in settings, as one line: the first `most`, then how many
 * more of `total` (for a caller that kept only the first few).
 */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  most = 3,
  total = issues.length,
): string {
  const lines = issues.slice(0, most).map((issue) => {
    const path = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
    return `${path}${issue.message}`;
  });
  const more = total - most;
  return lines.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}
