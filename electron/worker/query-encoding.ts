// Registers the multi-byte legacy encodings (Shift_JIS, GBK, …) with the encoder below.
import '@exodus/bytes/encoding.js';
import { percentEncodeAfterEncoding } from '@exodus/bytes/whatwg.js';

/**
 * Encodings whose documents still resolve links as UTF-8: the URL standard's
 * "encoding override" is UTF-8 for UTF-16 pages, and a "replacement" page
 * has no links.
 */
const UTF8_LINKS = new Set(['utf-8', 'utf-16le', 'utf-16be', 'replacement']);
const NON_ASCII = /[^\0-\x7f]/;
const NON_ASCII_RUN = /[^\0-\x7f]+/g;

/**
 * How a page in `encoding` (a WHATWG name) has its links' queries written
 * before they are parsed, or null when it needs nothing. A browser encodes a
 * link's query in the page's encoding (`?q=é` on a windows-1252 page asks
 * for `?q=%E9`) and a character the encoding lacks as `&#NNNN;`, escaped;
 * Node's URL parser always encodes UTF-8 (`?q=%C3%A9`), so the crawl would
 * ask for another URL than a browser or a search engine does. The path and
 * the fragment are UTF-8 in every page. Only non-ASCII characters are
 * touched, so the parser still trims and escapes the rest as it would.
 */
export function queryEncoderFor(encoding: string): ((href: string) => string) | null {
  if (UTF8_LINKS.has(encoding)) return null;
  return (href) => {
    const start = href.indexOf('?');
    if (start < 0) return href;
    const hash = href.indexOf('#');
    if (hash >= 0 && hash < start) return href; // a "?" in the fragment: no query
    const end = hash < 0 ? href.length : hash;
    const query = href.slice(start, end);
    if (!NON_ASCII.test(query)) return href;
    const encoded = query.replace(NON_ASCII_RUN, (run) =>
      percentEncodeAfterEncoding(encoding, run, ''),
    );
    return href.slice(0, start) + encoded + href.slice(end);
  };
}
