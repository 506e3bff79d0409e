import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import { MAX_STORED_TEXT } from '../../shared/limits';
import { forAgent } from '../../shared/robots-directives';
import type { HtmlSource } from './html-source';

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
  /** Visible text, whitespace collapsed, still in the markup's form (see html-source.ts). */
  visibleText: string;
  wordCount: number;
}

/** `rel` is a space-separated list of link types; commas are a common slip. */
const REL_NOFOLLOW = /(^|[\s,])nofollow($|[\s,])/i;
/** Elements whose text a visitor does not see. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'title']);
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
  source: Pick<HtmlSource, 'markup' | 'text'>,
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
  let hidden = 0;
  /**
   * Depth in `<svg>` and `<math>`: a `<title>` there names a graphic, and
   * document.title reads only the HTML title element.
   */
  let foreign = 0;
  /** Index in rawHrefs of the `<a>` being read, or -1. */
  let anchor = -1;

  /** `visible` ends with a separator: tags in a row add one space, not one each. */
  let spaced = true;
  const separate = (name: string) => {
    if (spaced || INLINE.has(name)) return;
    visible += ' ';
    spaced = true;
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (HIDDEN.has(name)) hidden++;
        else separate(name);
        switch (name) {
          case 'a': {
            const href = attributes.href;
            if (href === undefined) return;
            anchor = rawHrefs.length;
            const rel = attributes.rel;
            if (rel !== undefined && REL_NOFOLLOW.test(rel)) nofollow.add(anchor);
            rawHrefs.push(href);
            rels.push(rel ?? null);
            rawAnchors.push('');
            anchorAlts.push(null);
            return;
          }
          case 'img': {
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
          case 'svg':
          case 'math':
            foreign++;
            return;
          case 'title':
            if (rawTitle === null && foreign === 0) {
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
        if (HIDDEN.has(name)) {
          hidden = Math.max(0, hidden - 1);
          if (name === 'title') inTitle = false;
          return;
        }
        separate(name);
        if (name === 'a') anchor = -1;
        else if (name === 'h1') inH1 = false;
        else if ((name === 'svg' || name === 'math') && foreign > 0) foreign--;
      },
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(source.markup);

  const attribute = (raw: string) => decodeHTMLAttribute(source.text(raw));
  const optionalAttribute = (raw: string | null) => (raw === null ? null : attribute(raw));
  const text = (raw: string) => collapseDecoded(decodeHTML(source.text(raw)));
  const visibleText = collapse(visible);
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
    visibleText,
    wordCount: countWords(visibleText),
  };
}

/**
 * Whitespace runs of the raw (possibly latin1-view) text: ASCII only, since
 * 0xA0 there may be half of a UTF-8 character. Single spaces are left alone,
 * so the regex matches only the runs that change: four times faster than
 * replacing every run on text-heavy pages.
 */
const SPACE_RUN = / ?[\t\n\f\r][\t\n\f\r ]*| {2,}/g;

function collapse(raw: string): string {
  return raw.replace(SPACE_RUN, ' ').trim();
}

/** Decoded text: any whitespace, non-breaking spaces too. */
function collapseDecoded(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Whether a token that does not start with an ASCII letter or digit holds a
 * letter. It may be UTF-8 read as latin1 (see html-source.ts) or decoded
 * text, so: punctuation is U+0080–U+00BF (also UTF-8 continuation bytes),
 * the General and CJK Punctuation blocks, and their UTF-8 lead bytes (C2,
 * E2 80/81, E3 80); any other character from U+00C0 up is taken as a letter.
 */
function hasLetter(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (isAsciiAlnum(code)) return true;
    if (code < 0xc0 || code === 0xc2) continue;
    const next = text.charCodeAt(i + 1);
    if ((code === 0xe2 && (next === 0x80 || next === 0x81)) || (code === 0xe3 && next === 0x80))
      continue;
    if ((code >= 0x2000 && code <= 0x206f) || (code >= 0x3000 && code <= 0x303f)) continue;
    return true;
  }
  return false;
}

/**
 * Space-separated tokens that hold a letter or digit, so "—" or "|" alone is
 * no word. Jumps from space to space with indexOf; only a token that does
 * not start with an ASCII letter or digit is scanned further.
 */
function countWords(collapsed: string): number {
  let words = 0;
  for (let start = 0; start < collapsed.length;) {
    let end = collapsed.indexOf(' ', start);
    if (end < 0) end = collapsed.length;
    if (isAsciiAlnum(collapsed.charCodeAt(start)) || hasLetter(collapsed, start, end)) words++;
    start = end + 1;
  }
  return words;
}
