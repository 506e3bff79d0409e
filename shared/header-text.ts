const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header value as the server meant it. Node hands header bytes over one
 * char per byte (latin1); a `Location` of raw UTF-8 (`/café` as sent by many
 * PHP and IIS sites) then resolved to `/caf%C3%83%C2%A9`, a page that does
 * not exist. Like browsers, bytes that form valid UTF-8 are read as UTF-8;
 * anything else stays as it came.
 */
export function headerText(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value)) return value;
  try {
    return utf8.decode(Uint8Array.from(value, (char) => char.charCodeAt(0)));
  } catch {
    return value;
  }
}
