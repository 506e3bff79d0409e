import { MAX_URL_LENGTH } from './limits';

/** Per-job rules on top of the canonical form (see the job settings of the same names). */
export interface UrlRules {
  stripTrackingParams: boolean;
  /** Parameter names removed from the query and from `;name=value` path parameters, in any case. */
  stripParams: readonly string[];
  sortQueryParams: boolean;
  maxRepeatedPathSegments: number;
  /** Links with more query parameters than this are not followed; null for no limit. */
  maxQueryParams: number | null;
  /** Links longer than this are not followed. */
  maxUrlLength: number;
}

/** The rules of a job that sets none of them (the job settings' defaults). */
export const DEFAULT_URL_RULES: UrlRules = {
  stripTrackingParams: false,
  stripParams: [],
  sortQueryParams: false,
  maxRepeatedPathSegments: 3,
  maxQueryParams: null,
  maxUrlLength: MAX_URL_LENGTH,
};

/**
 * Parses a link into the one canonical form used for deduplication. The
 * WHATWG parser already lowercases scheme and host, drops default ports and
 * resolves dot segments; the fragment never reaches the server, so it is
 * dropped, and so is an empty query. Returns null for anything that is not an
 * http(s) URL a crawler may fetch.
 */
export function parseCrawlableUrl(href: string, base?: string | URL): URL | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? canonicalize(url) : null;
}

/**
 * What each escape `%XX` (by its byte) reads as in the canonical form: the
 * character itself for RFC 3986's unreserved ones (ALPHA, DIGIT, `-._~`),
 * whose escapes mean the same (§6.2.2.2), else the escape in uppercase hex
 * (§6.2.2.1). Reserved characters stay escaped: `%2F` is not a `/`.
 */
const CANONICAL_ESCAPE = Array.from({ length: 256 }, (_, byte) => {
  const char = String.fromCharCode(byte);
  return /[A-Za-z0-9\-._~]/.test(char)
    ? char
    : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});
const ESCAPE = /%[0-9A-Fa-f]{2}/g;
/**
 * An escape that may not be canonical: lowercase hex, or a byte in the range
 * of the unreserved ones. Most escapes on the web (UTF-8 bytes, `%20`, `%2F`)
 * are neither, so most URLs with escapes skip the rewrite.
 */
const MAYBE_NONCANONICAL = /%(?:[0-9A-Fa-f][a-f]|[a-f][0-9A-F]|2[DE]|[3-7][0-9A-F])/;

/** `text` with every percent-escape in its canonical form (see CANONICAL_ESCAPE). */
export function canonicalEscapes(text: string): string {
  return text.replace(ESCAPE, (escape) => CANONICAL_ESCAPE[parseInt(escape.slice(1), 16)]!);
}

/**
 * An http(s) URL in canonical form, in place (see parseCrawlableUrl), or null
 * when that form is longer than MAX_URL_LENGTH (percent-encoding lengthens).
 */
export function canonicalize(url: URL): URL | null {
  // Each setter re-serializes the URL: only call them when there is work.
  if (url.hash !== '' || url.href.endsWith('#')) url.hash = '';
  // A bare "?" is no query at all: `/a?` and `/a` are one page.
  if (url.search === '' && url.href.endsWith('?')) url.search = '';
  // The parser leaves escapes as written (`%7e`, `%7E`, `~` are three
  // strings); it decodes them in the host itself, and writes its own in uppercase.
  const href = url.href;
  if (href.includes('%') && MAYBE_NONCANONICAL.test(href)) {
    const path = canonicalEscapes(url.pathname);
    if (path !== url.pathname) url.pathname = path;
    const search = canonicalEscapes(url.search);
    if (search !== url.search) url.search = search;
  }
  return url.href.length > MAX_URL_LENGTH ? null : url;
}

/** The canonical string form of a link, or null (see parseCrawlableUrl). */
export function normalizeUrl(href: string, base?: string | URL): string | null {
  return parseCrawlableUrl(href, base)?.href ?? null;
}

/**
 * Query parameters that only say where a visitor came from, never what the
 * page shows: Google Analytics / Ads (`utm_*`, `gclid`, `gclsrc`, `dclid`,
 * `gbraid`, `wbraid`, `_ga`, `_gl`), Meta (`fbclid`), Microsoft (`msclkid`),
 * Mailchimp (`mc_cid`, `mc_eid`), Yandex (`yclid`), Instagram (`igshid`),
 * X (`twclid`), TikTok (`ttclid`), HubSpot (`_hsenc`, `_hsmi`), Marketo
 * (`mkt_tok`).
 */
const TRACKING_PARAMS = new Set([
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  '_ga',
  '_gl',
  'fbclid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  'yclid',
  'igshid',
  'twclid',
  'ttclid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
]);

/** The name of a `name=value` pair (or of a bare `name`), lowercased. */
function paramName(pair: string): string {
  const end = pair.indexOf('=');
  return (end < 0 ? pair : pair.slice(0, end)).toLowerCase();
}

function isTrackingParam(pair: string): boolean {
  const name = paramName(pair);
  return name.startsWith('utm_') || TRACKING_PARAMS.has(name);
}

/**
 * `path` without its `;name=value` parameters whose names are in `names`
 * (lowercase): the `;jsessionid=…` a Java server appends to every link.
 */
function withoutPathParams(path: string, names: readonly string[]): string {
  return path.replace(/;([^;/]*)/g, (param: string, pair: string) =>
    names.includes(paramName(pair)) ? '' : param,
  );
}

/** Sorts `name=value` pairs by name; equal names keep their order (`?a=2&a=1` stays). */
function byName(a: string, b: string): number {
  const nameA = a.split('=', 1)[0]!;
  const nameB = b.split('=', 1)[0]!;
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
}

/**
 * Applies a job's query rules to a parsed URL in place. The query is edited
 * as raw `name=value` pairs, never through URLSearchParams, which would
 * re-encode the parameters it keeps (`a%20b` into `a+b`, `/` into `%2F`).
 */
export function applyUrlRules(url: URL, rules: UrlRules): URL {
  const stripped = rules.stripParams.map((name) => name.toLowerCase());
  if (stripped.length > 0 && url.pathname.includes(';')) {
    const path = withoutPathParams(url.pathname, stripped);
    if (path !== url.pathname) url.pathname = path;
  }
  if (url.search === '') return url;
  if (!(rules.stripTrackingParams || rules.sortQueryParams || stripped.length > 0)) return url;
  let pairs = url.search.slice(1).split('&');
  if (rules.stripTrackingParams) pairs = pairs.filter((pair) => !isTrackingParam(pair));
  if (stripped.length > 0) pairs = pairs.filter((pair) => !stripped.includes(paramName(pair)));
  if (rules.sortQueryParams) pairs.sort(byName);
  const search = pairs.filter((pair) => pair !== '').join('&');
  if (search !== url.search.slice(1)) url.search = search;
  return url;
}

/**
 * Whether a link (rules applied) is not followed as a likely endless URL
 * space: a path repeating a segment, more query parameters than allowed
 * (faceted navigation combining filters), or a URL longer than allowed
 * (queries that grow on every page).
 */
export function isUrlTrap(url: URL, rules: UrlRules): boolean {
  return (
    url.href.length > rules.maxUrlLength ||
    (rules.maxQueryParams !== null && queryParamCount(url) > rules.maxQueryParams) ||
    repeatsPathSegments(url, rules.maxRepeatedPathSegments)
  );
}

function queryParamCount(url: URL): number {
  if (url.search === '') return 0;
  return url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '').length;
}

/**
 * The endless-URL-space guard: true when one path segment occurs more than
 * `max` times (`/a/b/a/b/a/b/a/b/`, calendars nesting `/2024/next/2024/…`).
 */
export function repeatsPathSegments(url: URL, max: number): boolean {
  const path = url.pathname;
  let slashes = 0;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) slashes++;
  // A path with no more segments than `max` cannot repeat one too often.
  if (slashes <= max) return false;
  const seen = new Map<string, number>();
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    const count = (seen.get(segment) ?? 0) + 1;
    if (count > max) return true;
    seen.set(segment, count);
  }
  return false;
}
