import { parseCrawlableUrl } from '../../shared/url-normalize';

/**
 * Where a `<meta http-equiv="refresh">` content or a `Refresh` header
 * (`5; url=/next`) sends the visitor, as an absolute URL; null when it only
 * reloads the page (`30`) or cannot be read. Follows the HTML standard's
 * declarative refresh parsing, leniently about the separator: `0;URL='/x'`,
 * `0, url=/x` and `0; /x` all lead to /x.
 */
export function refreshTarget(content: string | null | undefined, base: string): string | null {
  if (!content) return null;
  const match = /^\s*[\d.]+\s*[;,]?\s*(?:url\s*=\s*)?(.*)$/is.exec(content);
  if (match === null) return null; // no delay first: not a refresh a browser acts on
  let url = match[1]!.trim();
  const quote = url[0];
  if (quote === '"' || quote === "'") {
    const end = url.indexOf(quote, 1);
    url = end < 0 ? url.slice(1) : url.slice(1, end);
  }
  return url === '' ? null : (parseCrawlableUrl(url, base)?.href ?? null);
}
