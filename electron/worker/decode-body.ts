/**
 * Decodes a body using the charset named in Content-Type. Node's TextDecoder
 * (ICU) implements the WHATWG Encoding Standard, so legacy encodings such as
 * GBK, Shift_JIS and windows-1251 decode the way browsers decode them.
 */
export function decodeBody(body: Buffer, contentType: string | null): string {
  const label = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (label) {
    try {
      return new TextDecoder(label).decode(body);
    } catch {
      // Unknown label: fall through to UTF-8, as browsers do.
    }
  }
  return new TextDecoder('utf-8').decode(body);
}
