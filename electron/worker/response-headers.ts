import type { IncomingHttpHeaders } from 'node:http';
import { headerText } from '../../shared/header-text';
import { MAX_STORED_TEXT } from '../../shared/limits';
import { normalizeUrl } from '../../shared/url-normalize';

/**
 * Headers as stored with a page: names lowercased (Node does it), repeats
 * joined, raw UTF-8 read as UTF-8 (headerText), values capped.
 */
export function storedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    stored[name] = storedHeaderText(Array.isArray(value) ? value.join(', ') : value);
  }
  return stored;
}

/** One header value as stored: raw UTF-8 read as UTF-8, capped. */
export const storedHeaderText = (value: string): string =>
  headerText(value).slice(0, MAX_STORED_TEXT);

/** One `<target>; param; param` entry of a Link header (RFC 8288). */
const LINK_ENTRY = /<([^>]*)>((?:\s*;\s*[^;,]*)*)/g;
const CANONICAL_REL = /;\s*rel\s*=\s*"?(?:[^";,]*\s)?canonical(?:\s[^";,]*)?"?\s*(?:;|$)/i;

/** The absolute canonical URL from a `Link: <…>; rel="canonical"` header, if any. */
export function canonicalFromLinkHeader(
  link: string | string[] | undefined,
  base: string,
): string | null {
  if (link === undefined) return null;
  for (const entry of (Array.isArray(link) ? link.join(', ') : link).matchAll(LINK_ENTRY)) {
    if (CANONICAL_REL.test(`${entry[2]!};`)) return normalizeUrl(entry[1]!.trim(), base);
  }
  return null;
}
