import { charsetFromContentType } from './html-source';

/** `type/subtype` at the start of a Content-Type, in HTTP's token characters. */
const ESSENCE = /^\s*([!#$%&'*+.^_`|~\w-]+\/[!#$%&'*+.^_`|~\w-]+)\s*(?:;|$)/;

/**
 * The Content-Type a browser goes by when a response sends several (two
 * headers, or one listing two), as Fetch's "extract a MIME type" reads them:
 * the last valid one, keeping the charset of an earlier one of the same type
 * when it names none. A server that adds `text/html` beside the page's own
 * `text/html; charset=windows-1252` is read in windows-1252; Node keeps the
 * first header only, and such a page was decoded as UTF-8. A single value is
 * returned as sent.
 */
export function effectiveContentType(values: readonly string[] | undefined): string | null {
  if (values === undefined || values.length === 0) return null;
  if (values.length === 1 && !values[0]!.includes(',')) return values[0]!;
  let chosen: string | null = null;
  let essence = '';
  let charset: string | null = null;
  for (const entry of values.flatMap(splitOutsideQuotes)) {
    const type = ESSENCE.exec(entry)?.[1]?.toLowerCase();
    if (type === undefined || type === '*/*') continue;
    const own = charsetFromContentType(entry);
    if (type !== essence) [essence, charset] = [type, own];
    else if (own !== null) charset = own;
    chosen = entry.trim();
  }
  if (chosen === null) return values[0]!;
  return charset !== null && charsetFromContentType(chosen) === null
    ? `${chosen}; charset=${charset}`
    : chosen;
}

/** A header value's comma-separated parts; a comma inside a quoted string is no separator. */
function splitOutsideQuotes(value: string): string[] {
  return value.match(/(?:"(?:[^"\\]|\\.)*"?|[^,"])+/g) ?? [];
}
