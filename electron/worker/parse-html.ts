import { Parser } from 'htmlparser2';

export interface ParsedHtml {
  title: string | null;
  /** `href` values of `<a>` elements as written, in document order. */
  hrefs: string[];
  /** `href` of the first `<base>` element, if any. */
  baseHref: string | null;
}

/**
 * Streaming (SAX) parse: no DOM is built, so the cost is one pass over the
 * bytes. htmlparser2 was chosen by measurement (bench/RESULTS.md).
 */
export function parseHtml(html: string): ParsedHtml {
  const hrefs: string[] = [];
  let baseHref: string | null = null;
  let title: string | null = null;
  let titleText = '';
  let inTitle = false;
  let titleDone = false;

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'a') {
          const href = attributes.href;
          if (href !== undefined) hrefs.push(href);
        } else if (name === 'title' && !titleDone) {
          inTitle = true;
        } else if (name === 'base' && baseHref === null && attributes.href !== undefined) {
          baseHref = attributes.href;
        }
      },
      ontext(text) {
        if (inTitle) titleText += text;
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          titleDone = true;
          title = titleText.replace(/\s+/g, ' ').trim();
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return { title, hrefs, baseHref };
}
