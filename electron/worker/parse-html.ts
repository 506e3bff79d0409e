import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import type { HtmlSource } from './html-source';

export interface ParsedHtml {
  title: string | null;
  /** `href` values of `<a>` elements, decoded, in document order. */
  hrefs: string[];
  /** `href` of the first `<base>` element, if any. */
  baseHref: string | null;
  /** Positions in `hrefs` of links marked `rel="nofollow"`. */
  nofollow: Set<number>;
  /** `<meta name="robots">` says nofollow (or none) for the whole page. */
  metaNofollow: boolean;
}

const NOFOLLOW = /(^|[\s,])(nofollow|none)($|[\s,])/i;

/**
 * Streaming (SAX) parse: no DOM is built, so the cost is one pass over the
 * markup. htmlparser2 was chosen by measurement (bench/RESULTS.md). Entities
 * are decoded only in what is kept, after `source.text`, which the latin1
 * view of the markup requires (see html-source.ts).
 */
export function parseHtml(source: HtmlSource): ParsedHtml {
  const rawHrefs: string[] = [];
  const nofollow = new Set<number>();
  let metaNofollow = false;
  let rawBase: string | null = null;
  let rawTitle: string | null = null;
  let inTitle = false;

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'a') {
          const href = attributes.href;
          if (href === undefined) return;
          if (attributes.rel !== undefined && NOFOLLOW.test(attributes.rel))
            nofollow.add(rawHrefs.length);
          rawHrefs.push(href);
        } else if (name === 'meta') {
          if (
            attributes.name?.toLowerCase() === 'robots' &&
            NOFOLLOW.test(attributes.content ?? '')
          ) {
            metaNofollow = true;
          }
        } else if (name === 'title' && rawTitle === null) {
          inTitle = true;
          rawTitle = '';
        } else if (name === 'base' && rawBase === null && attributes.href !== undefined) {
          rawBase = attributes.href;
        }
      },
      ontext(text) {
        if (inTitle) rawTitle += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
      },
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(source.markup);

  const attribute = (raw: string) => decodeHTMLAttribute(source.text(raw));
  return {
    title: rawTitle === null ? null : decodeHTML(source.text(rawTitle)).replace(/\s+/g, ' ').trim(),
    hrefs: rawHrefs.map(attribute),
    baseHref: rawBase === null ? null : attribute(rawBase),
    nofollow,
    metaNofollow,
  };
}
