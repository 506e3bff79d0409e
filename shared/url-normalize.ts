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
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Each setter re-serializes the URL: only call them when there is work.
  if (url.hash !== '' || url.href.endsWith('#')) url.hash = '';
  // A bare "?" is no query at all: `/a?` and `/a` are one page.
  if (url.search === '' && url.href.endsWith('?')) url.search = '';
  return url.href.length > MAX_URL_LENGTH ? null : url;
}

/** The canonical string form of a link, or null (see parseCrawlableUrl). */
export function normalizeUrl(href: string, base?: string | URL): string | null {
  return parseCrawlableUrl(href, base)?.href ?? null;
}
