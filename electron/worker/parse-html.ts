import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { MAX_STORED_TEXT } from '../../shared/limits';
import { forAgent, relSaysNofollow } from '../../shared/robots-directives';
import { BrowserParser, HEADINGS } from './browser-parser';
import type { HtmlSource } from './html-source';
import { fingerprintText } from './visible-text';

export interface ParsedHtml {
  title: string | null;
  /** `href` values of `<a>` elements, decoded, in document order. */
  hrefs: string[];
  /** For each of `hrefs`: the anchor text (collapsed, capped), else the alt of an image inside it. */
  anchorTexts: string[];
  /** For each of `hrefs`: the `rel` attribute, if any. */
  rels: (string | null)[];
  /** `href` of the first `<base>` element, if any. */
  baseHref: string | null;
  /** Positions in `hrefs` of links marked `rel="nofollow"`. */
  nofollow: Set<number>;
  metaDescription: string | null;
  /**
   * Every `<meta name="robots">` content and, with each directive prefixed
   * `agent: `, every `<meta name="AGENT">` content, joined by ", ".
   */
  metaRobots: string | null;
  /** `content` of the first `<meta http-equiv="refresh">`, as written (`0; url=/next`). */
  refresh: string | null;
  /** `href` of the first `<link rel="canonical">`, as written. */
  canonicalHref: string | null;
  /** `<link rel="alternate" hreflang>` entries, hrefs as written. */
  hreflang: { lang: string; href: string }[];
  /** `lang` of the `<html>` element. */
  lang: string | null;
  /** Text of the first `<h1>`. */
  h1: string | null;
  h1Count: number;
  h2Count: number;
  /** `<img>` elements with no or an empty `alt`. */
  imagesWithoutAlt: number;
  /** Of the visible text, whitespace collapsed (see visible-text.ts). */
  wordCount: number;
  contentHash: string;
}

/**
 * Elements whose text a visitor does not see: a browser shows the frame or
 * the embed, never the fallback written inside `<iframe>`, `<noembed>` or
 * `<noframes>`.
 */
const HIDDEN = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'title',
  'iframe',
  'noembed',
  'noframes',
]);
/**
 * Phrasing elements: their tags do not separate words (`foo<b>bar</b>` is one
 * word). Every other tag does (`<p>foo</p><p>bar</p>` is two).
 */
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
]);
/** Raw anchor and h1 text kept before decoding: room for entities and whitespace. */
const RAW_TEXT_CAP = MAX_STORED_TEXT * 4;

/**
 * Streaming (SAX) parse: no DOM is built, so the cost is one pass over the
 * markup, and every field comes out of that one pass. htmlparser2 was chosen
 * by measurement (bench/RESULTS.md). Entities are decoded only in what is
 * kept, after `source.text`, which the latin1 view of the markup requires
 * (see html-source.ts).
 */
export function parseHtml(
  source: Pick<HtmlSource, 'markup' | 'text' | 'latin1View'>,
  /** The crawler's product token, lowercase: its own robots meta tag is read too. */
  robotsAgent: string | null = null,
): ParsedHtml {
  const rawHrefs: string[] = [];
  const rawAnchors: string[] = [];
  const anchorAlts: (string | null)[] = [];
  const rels: (string | null)[] = [];
  const nofollow = new Set<number>();
  const robots: string[] = [];
  const hreflang: { lang: string; href: string }[] = [];
  /** Visible text, built by concatenation: V8 ropes make that cheaper than an array and join. */
  let visible = '';
  let rawBase: string | null = null;
  let rawTitle: string | null = null;
  let rawDescription: string | null = null;
  let rawCanonical: string | null = null;
  let rawRefresh: string | null = null;
  let rawLang: string | null = null;
  let rawH1: string | null = null;
  let h1Count = 0;
  let h2Count = 0;
  let imagesWithoutAlt = 0;
  let inTitle = false;
  let inH1 = false;
  /**
   * Elements open inside the h1 being read. At 0 the h1 is the current node,
   * which a heading's start tag ends, as in a browser (`<h1>A<h2>B</h2>` has
   * the h1 "A").
   */
  let h1Depth = 0;
  let hidden = 0;
  /** Index in rawHrefs of the `<a>` being read, or -1. */
  let anchor = -1;

  /** `visible` ends with a separator: tags in a row add one space, not one each. */
  let spaced = true;
  const separate = (name: string) => {
    if (spaced || INLINE.has(name)) return;
    visible += ' ';
    spaced = true;
  };

  const parser = new BrowserParser(
    {
      onopentag(name, attributes) {
        if (inH1) {
          if (h1Depth === 0 && HEADINGS.has(name)) inH1 = false;
          else h1Depth++;
        }
        if (HIDDEN.has(name)) hidden++;
        else separate(name);
        switch (name) {
          case 'a': {
            // An <a> start tag ends the open one, as in a browser, also one without an href.
            anchor = -1;
            const href = attributes.href;
            if (href === undefined) return;
            anchor = rawHrefs.length;
            const rel = attributes.rel;
            if (rel !== undefined && relSaysNofollow(rel)) nofollow.add(anchor);
            rawHrefs.push(href);
            rels.push(rel ?? null);
            rawAnchors.push('');
            anchorAlts.push(null);
            return;
          }
          case 'image':
          case 'img': {
            // A browser reads <image> as <img>, but in SVG it is SVG's image element.
            if (name === 'image' && parser.isForeignElement()) return;
            const alt = attributes.alt;
            if (alt === undefined || alt.trim() === '') imagesWithoutAlt++;
            else if (anchor >= 0 && anchorAlts[anchor] === null) anchorAlts[anchor] = alt;
            return;
          }
          case 'meta': {
            const metaName = attributes.name?.toLowerCase();
            if (metaName === 'robots' && attributes.content !== undefined) {
              robots.push(attributes.content);
            } else if (metaName === robotsAgent && attributes.content !== undefined) {
              robots.push(forAgent(metaName, attributes.content));
            } else if (metaName === 'description' && rawDescription === null) {
              rawDescription = attributes.content ?? null;
            } else if (
              rawRefresh === null &&
              attributes['http-equiv']?.toLowerCase() === 'refresh'
            ) {
              rawRefresh = attributes.content ?? null;
            }
            return;
          }
          case 'link': {
            const rel = attributes.rel?.toLowerCase();
            const href = attributes.href;
            if (rel === undefined || href === undefined) return;
            const kinds = rel.split(/\s+/);
            if (kinds.includes('canonical') && rawCanonical === null) rawCanonical = href;
            if (kinds.includes('alternate') && attributes.hreflang !== undefined)
              hreflang.push({ lang: attributes.hreflang, href });
            return;
          }
          case 'title':
            // An SVG or MathML <title> names a graphic: document.title reads only HTML's.
            if (rawTitle === null && !parser.isForeignElement()) {
              inTitle = true;
              rawTitle = '';
            }
            return;
          case 'h1':
            if (h1Count++ === 0) {
              inH1 = true;
              rawH1 = '';
            }
            return;
          case 'h2':
            h2Count++;
            return;
          case 'html':
            rawLang ??= attributes.lang ?? null;
            return;
          case 'base':
            if (rawBase === null && attributes.href !== undefined) rawBase = attributes.href;
            return;
        }
      },
      ontext(text) {
        if (inTitle) rawTitle += text;
        if (hidden > 0) return;
        if (inH1 && rawH1!.length < RAW_TEXT_CAP) rawH1 += text;
        if (anchor >= 0 && rawAnchors[anchor]!.length < RAW_TEXT_CAP) rawAnchors[anchor] += text;
        // Most text nodes are indentation between tags: they only separate words.
        if (text.length < 16 && text.trim() === '') {
          if (!spaced) visible += ' ';
          spaced = true;
          return;
        }
        visible += text;
        spaced = false;
      },
      onclosetag(name) {
        if (inH1 && h1Depth > 0) h1Depth--;
        else if (name === 'h1') inH1 = false;
        if (HIDDEN.has(name)) {
          hidden = Math.max(0, hidden - 1);
          if (name === 'title') inTitle = false;
          return;
        }
        separate(name);
        if (name === 'a') anchor = -1;
      },
    },
    { decodeEntities: false },
  );
  parser.end(source.markup);

  const attribute = (raw: string) => decodeHTMLAttribute(source.text(raw));
  const optionalAttribute = (raw: string | null) => (raw === null ? null : attribute(raw));
  const text = (raw: string) => collapseDecoded(decodeHTML(source.text(raw)));
  return {
    title: rawTitle === null ? null : text(rawTitle),
    hrefs: rawHrefs.map(attribute),
    anchorTexts: rawAnchors.map((raw, index) => {
      const words = raw === '' ? '' : text(raw);
      const alt = anchorAlts[index];
      return (words === '' && alt ? collapseDecoded(attribute(alt)) : words).slice(
        0,
        MAX_STORED_TEXT,
      );
    }),
    rels: rels.map(optionalAttribute),
    baseHref: optionalAttribute(rawBase),
    nofollow,
    metaDescription: rawDescription === null ? null : collapseDecoded(attribute(rawDescription)),
    metaRobots: robots.length > 0 ? robots.map(attribute).join(', ') : null,
    refresh: optionalAttribute(rawRefresh),
    canonicalHref: optionalAttribute(rawCanonical),
    hreflang: hreflang.map(({ lang, href }) => ({ lang: attribute(lang), href: attribute(href) })),
    lang: optionalAttribute(rawLang),
    h1: rawH1 === null ? null : text(rawH1),
    h1Count,
    h2Count,
    imagesWithoutAlt,
    ...fingerprintText(visible, source.latin1View),
  };
}

/** Decoded text: any whitespace, non-breaking spaces too. */
function collapseDecoded(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
