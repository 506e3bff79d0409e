import { normalizeUrl, parseCrawlableUrl } from '../../shared/url-normalize';
import { htmlSource } from './html-source';
import { parseHtml } from './parse-html';

export interface PageAnalysis {
  title: string | null;
  /** In-scope links, absolute and normalized, each once. */
  links: string[];
  /** Every `<a href>` on the page, in scope or not. */
  linkCount: number;
}

/**
 * `new URL(href, base)` parses the base again for every link. Most links are
 * root-relative or absolute and need only the origin or nothing, which
 * halves the URL work of a page.
 */
function resolveAgainst(base: URL): (href: string) => URL | null {
  const origin = base.origin;
  const baseHref = base.href;
  return (href) => {
    if (href[0] === '/' && href[1] !== '/' && href[1] !== '\\')
      return parseCrawlableUrl(origin + href);
    if (/^https?:\/\//i.test(href)) return parseCrawlableUrl(href);
    return parseCrawlableUrl(href, baseHref);
  };
}

/** Resolves, normalizes and scope-filters a page's links, dropping repeats. */
export function resolveLinks(
  hrefs: readonly string[],
  baseUrl: string,
  scopeOrigins: ReadonlySet<string>,
): string[] {
  const resolve = resolveAgainst(new URL(baseUrl));
  const inScope = new Set<string>();
  for (const href of hrefs) {
    const url = resolve(href);
    if (url !== null && scopeOrigins.has(url.origin)) inScope.add(url.href);
  }
  return [...inScope];
}

/**
 * Everything the worker does to an HTML body once it has it: the CPU part of
 * a page, measured alone by the benchmark's parse ceiling.
 */
export function analyzePage(
  body: Buffer,
  contentType: string | null,
  pageUrl: string,
  scopeOrigins: ReadonlySet<string>,
): PageAnalysis {
  const parsed = parseHtml(htmlSource(body, contentType));
  const base =
    parsed.baseHref !== null ? (normalizeUrl(parsed.baseHref, pageUrl) ?? pageUrl) : pageUrl;
  return {
    title: parsed.title,
    links: resolveLinks(parsed.hrefs, base, scopeOrigins),
    linkCount: parsed.hrefs.length,
  };
}
