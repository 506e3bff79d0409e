import { MAX_URL_LENGTH } from './limits';

/** Per-job rules on top of the canonical form (see the job settings of the same names). */
export interface UrlRules {
  stripTrackingParams: boolean;
  sortQueryParams: boolean;
  maxRepeatedPathSegments: number;
}

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

function isTrackingParam(pair: string): boolean {
  const end = pair.indexOf('=');
  const name = (end < 0 ? pair : pair.slice(0, end)).toLowerCase();
  return name.startsWith('utm_') || TRACKING_PARAMS.has(name);
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
  if (url.search === '' || !(rules.stripTrackingParams || rules.sortQueryParams)) return url;
  let pairs = url.search.slice(1).split('&');
  if (rules.stripTrackingParams) pairs = pairs.filter((pair) => !isTrackingParam(pair));
  if (rules.sortQueryParams) pairs.sort(byName);
  const search = pairs.filter((pair) => pair !== '').join('&');
  if (search !== url.search.slice(1)) url.search = search;
  return url;
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
