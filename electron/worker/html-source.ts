import {
  TextDecoder as WhatwgDecoder,
  labelToName,
  legacyHookDecode,
} from '@exodus/bytes/encoding.js';
import sniffEncoding from 'html-encoding-sniffer';

/**
 * How a worker turns body bytes into markup to parse.
 *
 * For UTF-8 (the web's default) and windows-1252 the markup is a one-byte
 * "latin1 view" of the bytes: every byte becomes one char. HTML's syntax is
 * ASCII and no byte of a multi-byte UTF-8 sequence is ASCII, so tags and
 * attributes come out exactly as from decoded text, while V8 scans a one-byte
 * string about twice as fast and no decoding pass is spent on the whole page.
 * Only the pieces kept (title, hrefs) are then decoded for real by `text`.
 * Other encodings (GBK, Shift_JIS, UTF-16, …) are decoded whole, with the
 * Encoding Standard's "decode" (legacyHookDecode), which is what a browser
 * runs on a document. Unlike TextDecoder it knows the "replacement" encoding
 * (iso-2022-kr, hz-gb-2312, iso-2022-cn and their labels, which can smuggle
 * markup past filters): a non-empty body becomes one U+FFFD, so the page is
 * stored, with no title or links, as a browser shows it.
 *
 * UTF-8 is decoded by Node; every other encoding by @exodus/bytes, which
 * follows the WHATWG Encoding Standard: Node 20.18.3 and later decode
 * windows-1252 as latin1, so “quotes”, dashes and € came out as invisible
 * control characters (nodejs/node#56542).
 */
export interface HtmlSource {
  markup: string;
  /** The WHATWG name of the encoding the bytes were read with ("utf-8", "gbk", …). */
  encoding: string;
  /** `markup` is the latin1 view (one char per byte), not decoded text. */
  latin1View: boolean;
  /** Turns a raw slice of `markup` into real text (entities are not touched). */
  text(raw: string): string;
}

const LATIN1_VIEWABLE = new Set(['utf-8', 'windows-1252']);
const NON_ASCII = /[\u0080-\uffff]/;

export function charsetFromContentType(contentType: string | null): string | null {
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? null;
}

/**
 * The encoding a browser would use: a byte order mark, else the Content-Type
 * charset, else a `<meta charset>` or `http-equiv` in the first 1024 bytes,
 * else UTF-8 (the WHATWG sniffing algorithm, html-encoding-sniffer).
 */
function encodingOf(body: Buffer, contentType: string | null): string {
  const label = charsetFromContentType(contentType) ?? undefined;
  const name = sniffEncoding(body, {
    transportLayerEncodingLabel: label,
    defaultEncoding: 'UTF-8',
  });
  return labelToName(name)?.toLowerCase() ?? 'utf-8';
}

function decoderFor(encoding: string): { decode(bytes: Uint8Array): string } {
  return encoding === 'utf-8' ? new TextDecoder() : new WhatwgDecoder(encoding);
}

function startsWithBom(body: Buffer): boolean {
  return body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
}

export function htmlSource(body: Buffer, contentType: string | null): HtmlSource {
  const encoding = encodingOf(body, contentType);
  if (LATIN1_VIEWABLE.has(encoding)) {
    const decoder = decoderFor(encoding);
    return {
      // Decoding drops a UTF-8 byte order mark (browsers never show it); the
      // latin1 view would keep it as three characters of text ("ï»¿").
      markup: body.toString('latin1', encoding === 'utf-8' && startsWithBom(body) ? 3 : 0),
      encoding,
      latin1View: true,
      // ASCII reads the same in every supported encoding: most slices need no work.
      text: (raw) => (NON_ASCII.test(raw) ? decoder.decode(Buffer.from(raw, 'latin1')) : raw),
    };
  }
  return {
    markup: legacyHookDecode(body, encoding),
    encoding,
    latin1View: false,
    text: (raw) => raw,
  };
}
