/**
 * Robots directives, as `<meta name="robots">` and the `X-Robots-Tag` header
 * write them: a comma-separated list, case-insensitive. Only whole tokens
 * count, so `max-image-preview:none` (no large image preview) is not `none`.
 */

/** Directives written `name: value`. A colon after any other word names a crawler. */
const VALUE_DIRECTIVES = new Set([
  'max-snippet',
  'max-image-preview',
  'max-video-preview',
  'unavailable_after',
]);

/**
 * The directive names (values dropped) that apply to Trawl. A token prefixed
 * with a crawler's name (`otherbot: noindex`) is meant for that crawler only,
 * so it is left out. The prefix covers only its own token: repeated headers
 * reach Trawl joined with ", ", which hides where one header ended. Within a
 * token, spaces separate too (`noindex nofollow`, a common slip).
 */
function directivesOf(values: readonly (string | null | undefined)[]): Set<string> {
  const directives = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    for (const token of value.toLowerCase().split(',')) {
      const colon = token.indexOf(':');
      if (colon < 0) {
        for (const word of token.split(/\s+/)) if (word !== '') directives.add(word);
        continue;
      }
      const name = token.slice(0, colon).trim();
      if (VALUE_DIRECTIVES.has(name)) directives.add(name);
    }
  }
  return directives;
}

/**
 * Whether any of the robots values (meta robots contents, X-Robots-Tag
 * headers) says `directive` for Trawl, itself or through `none`, which
 * means both `noindex` and `nofollow`.
 */
export function robotsSay(
  directive: 'noindex' | 'nofollow',
  ...values: (string | null | undefined)[]
): boolean {
  const directives = directivesOf(values);
  return directives.has(directive) || directives.has('none');
}
