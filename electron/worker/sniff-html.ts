import { decodeBody } from './decode-body';

/** The bytes of a body a browser looks at to tell its type (MIME Sniffing §7). */
export const SNIFF_BYTES = 1445;

/** Content-Types that say nothing, which browsers look past to the body (MIME Sniffing §7.1). */
const UNKNOWN_TYPE = /^\s*(?:unknown\/unknown|application\/unknown|\*\/\*)\s*(?:;|$)/i;

/** Whether a response's type is none a browser goes by: no Content-Type, or an unknown one. */
export function isUnknownType(contentType: string | null): boolean {
  return contentType === null || UNKNOWN_TYPE.test(contentType);
}

/** MIME Sniffing's HTML patterns: a tag that starts an HTML document, after whitespace. */
const HTML_START =
  /^[\t\n\f\r ]*<(?:!DOCTYPE HTML|HTML|HEAD|SCRIPT|IFRAME|H1|DIV|FONT|TABLE|A|STYLE|TITLE|B|BODY|BR|P|!--)[ >]/i;

/**
 * Whether the start of a body of an unknown type is HTML as browsers tell it,
 * its Content-Encoding undone as far as the bytes go.
 */
export function startsAsHtml(
  start: Buffer,
  contentEncoding: string | undefined,
  maxDecodedBytes: number,
): boolean {
  try {
    const decoded = decodeBody(start, contentEncoding, maxDecodedBytes);
    return HTML_START.test(decoded.subarray(0, SNIFF_BYTES).toString('latin1'));
  } catch {
    return false; // an undecodable start is no page a browser shows
  }
}
