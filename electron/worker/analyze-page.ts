import { MAX_OUTLINKS_PER_PAGE } from '../../shared/limits';
import { robotsSay } from '../../shared/robots-directives';
import { createPatternFilter, createScope } from '../../shared/scope';
import {
  applyUrlRules,
  isUrlTrap,
  normalizeUrl,
  parseCrawlableUrl,
} from '../../shared/url-normalize';
import type { ExtractedValue, ExtractionRule } from '../../shared/extraction';
import { outlinkColumns } from '../../shared/outlinks';
import type { FetchedPage, WorkerConfig } from '../../shared/worker-protocol';
import type { CssExtraction } from './css-extract';
import { extract } from './extract';
import { htmlSource } from './html-source';
import { refreshTarget } from './meta-refresh';
import { parseHtml } from './parse-html';
import { queryEncoderFor } from './query-encoding';

/** What the body of an HTML page gives: every HTML-derived field of a FetchedPage. */
export type PageAnalysis = Pick<
  FetchedPage,
  | 'charset'
  | 'title'
  | 'metaDescription'
  | 'metaRobots'
  | 'canonical'
  | 'metaRefresh'
  | 'h1'
  | 'h1Count'
  | 'h2Count'
  | 'hreflang'
  | 'lang'
  | 'wordCount'
  | 'contentHash'
  | 'imagesWithoutAlt'
  | 'outlinks'
  | 'links'
  | 'linkCount'
> & { extracted: Record<string, ExtractedValue> };

/** What a page without an HTML body (non-HTML, an empty redirect) reports. */
export const NO_ANALYSIS: PageAnalysis = {
  charset: null,
  title: null,
  metaDescription: null,
  metaRobots: null,
  canonical: null,
  metaRefresh: null,
  h1: null,
  h1Count: 0,
  h2Count: 0,
  hreflang: [],
  lang: null,
  wordCount: 0,
  contentHash: null,
  imagesWithoutAlt: 0,
  outlinks: outlinkColumns([]),
  links: [],
  linkCount: 0,
  extracted: {},
};

/** What decides which links of a page are internal and which are followed. */
export interface LinkRules {
  /** Inside the scope's boundary: an internal link. */
  boundary: (url: URL) => boolean;
  /** The include and exclude patterns, which an internal link must pass to be followed. */
  patterns: (url: URL) => boolean;
  urls: WorkerConfig['urls'];
  honourNofollow: boolean;
  /** The crawler's product token, lowercase: robots directives addressed to it count. */
  robotsAgent: string;
}

export function linkRulesFor(
  config: Pick<WorkerConfig, 'scope' | 'urls' | 'honourNofollow' | 'robotsAgent'>,
): LinkRules {
  return {
    boundary: createScope(config.scope, { withPatterns: false }),
    patterns: createPatternFilter(config.scope),
    urls: config.urls,
    honourNofollow: config.honourNofollow,
    robotsAgent: config.robotsAgent.toLowerCase(),
  };
}

/** Whether an internal URL (rules applied) is one to crawl: it passes the patterns and is no URL trap. */
function worthCrawling(url: URL, rules: LinkRules): boolean {
  return rules.patterns(url) && !isUrlTrap(url, rules.urls);
}

/**
 * Where a redirect ended, or a refresh sends the visitor, as a URL to crawl
 * in its own right (as a link from the page is), or null when the link rules
 * would not follow it. A redirecting URL is stored as the redirect it is, not
 * as its target's page: the target gets a page of its own, as in an SEO
 * spider's list. Nofollow does not apply: neither is a link.
 */
export function crawlTarget(target: string, rules: LinkRules): string | null {
  const url = parseCrawlableUrl(target);
  if (url === null) return null;
  applyUrlRules(url, rules.urls);
  return rules.boundary(url) && worthCrawling(url, rules) ? url.href : null;
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

/** What else than its body and address a page's analysis may use. */
export interface AnalysisExtras {
  /** The response's `X-Robots-Tag`: its nofollow counts as meta robots nofollow does. */
  xRobotsTag?: string | null;
  extraction?: readonly ExtractionRule[];
  css?: CssExtraction;
}

/**
 * Everything the worker does to an HTML body once it has it: the CPU part of
 * a page, measured alone by the benchmark's parse ceiling.
 */
export function analyzePage(
  body: Buffer,
  contentType: string | null,
  pageUrl: string,
  rules: LinkRules,
  { xRobotsTag, extraction = [], css }: AnalysisExtras = {},
): PageAnalysis {
  const source = htmlSource(body, contentType);
  const parsed = parseHtml(source, rules.robotsAgent);
  // Every URL the page writes is read as a browser reads it in the page's encoding.
  const encodeQuery = queryEncoderFor(source.encoding);
  const asWritten = (href: string) => (encodeQuery === null ? href : encodeQuery(href));
  const base =
    parsed.baseHref !== null
      ? (normalizeUrl(asWritten(parsed.baseHref), pageUrl) ?? pageUrl)
      : pageUrl;
  const resolve = resolveAgainst(new URL(base));
  const hrefs = encodeQuery === null ? parsed.hrefs : parsed.hrefs.map(encodeQuery);
  const mayFollow = !(
    rules.honourNofollow && robotsSay('nofollow', rules.robotsAgent, parsed.metaRobots, xRobotsTag)
  );
  const outlinks = outlinkColumns([]);
  const followed = new Set<string>();
  hrefs.forEach((href, index) => {
    const url = resolve(href);
    if (url === null) return;
    applyUrlRules(url, rules.urls);
    const internal = rules.boundary(url);
    if (outlinks.urls.length < MAX_OUTLINKS_PER_PAGE) {
      outlinks.urls.push(url.href);
      outlinks.texts.push(parsed.anchorTexts[index]!);
      outlinks.rels.push(parsed.rels[index]!);
      outlinks.internal.push(internal);
    }
    if (
      mayFollow &&
      internal &&
      !(rules.honourNofollow && parsed.nofollow.has(index)) &&
      worthCrawling(url, rules)
    )
      followed.add(url.href);
  });
  return {
    charset: source.encoding,
    title: parsed.title,
    metaDescription: parsed.metaDescription,
    metaRobots: parsed.metaRobots,
    canonical:
      parsed.canonicalHref === null ? null : normalizeUrl(asWritten(parsed.canonicalHref), base),
    // The content's only "?" is the target's: its query is encoded as a link's is.
    metaRefresh: refreshTarget(parsed.refresh === null ? null : asWritten(parsed.refresh), base),
    h1: parsed.h1,
    h1Count: parsed.h1Count,
    h2Count: parsed.h2Count,
    hreflang: parsed.hreflang.flatMap(({ lang, href }) => {
      const url = normalizeUrl(asWritten(href), base);
      return url === null ? [] : [{ lang, url }];
    }),
    lang: parsed.lang,
    wordCount: parsed.wordCount,
    contentHash: parsed.contentHash,
    imagesWithoutAlt: parsed.imagesWithoutAlt,
    outlinks,
    links: [...followed],
    linkCount: parsed.hrefs.length,
    extracted: extract(source, extraction, css),
  };
}
