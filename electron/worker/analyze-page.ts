import { normalizeUrl, parseCrawlableUrl } from '../../shared/url-normalize';
import type { ExtractedValue, ExtractionRule } from '../../shared/extraction';
import type { CssExtraction } from './css-extract';
import { extract } from './extract';
import { htmlSource } from './html-source';
import { parseHtml } from './parse-html';

export interface PageAnalysis {
  title: string | null;
  /** In-scope links, absolute and normalized, each once. */
  links: string[];
  /** Every `<a href>` on the page, in scope or not. */
  linkCount: number;
  /** Custom extraction values by rule name. */
  extracted: Record<string, ExtractedValue>;
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

/** What decides which links of a page are followed. */
export interface FollowRules {
  inScope: (url: URL) => boolean;
  honourNofollow: boolean;
}

/**
 * Resolves, normalizes and scope-filters a page's links, dropping repeats
 * and the links at the positions in `skip` (nofollow).
 */
export function resolveLinks(
  hrefs: readonly string[],
  baseUrl: string,
  inScope: (url: URL) => boolean,
  skip: ReadonlySet<number> = new Set(),
): string[] {
  const resolve = resolveAgainst(new URL(baseUrl));
  const followed = new Set<string>();
  hrefs.forEach((href, index) => {
    if (skip.has(index)) return;
    const url = resolve(href);
    if (url !== null && inScope(url)) followed.add(url.href);
  });
  return [...followed];
}

/**
 * Everything the worker does to an HTML body once it has it: the CPU part of
 * a page, measured alone by the benchmark's parse ceiling.
 */
export function analyzePage(
  body: Buffer,
  contentType: string | null,
  pageUrl: string,
  rules: FollowRules,
  extraction: readonly ExtractionRule[] = [],
  css?: CssExtraction,
): PageAnalysis {
  const source = htmlSource(body, contentType);
  const parsed = parseHtml(source);
  const base =
    parsed.baseHref !== null ? (normalizeUrl(parsed.baseHref, pageUrl) ?? pageUrl) : pageUrl;
  return {
    title: parsed.title,
    links:
      rules.honourNofollow && parsed.metaNofollow
        ? []
        : resolveLinks(
            parsed.hrefs,
            base,
            rules.inScope,
            rules.honourNofollow ? parsed.nofollow : undefined,
          ),
    linkCount: parsed.hrefs.length,
    extracted: extract(source, extraction, css),
  };
}
