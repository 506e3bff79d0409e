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

/** Adds the directive names of one token list (`noindex nofollow` or `max-snippet: 0`). */
function addDirectives(token: string, directives: Set<string>): void {
  const colon = token.indexOf(':');
  if (colon < 0) {
    for (const word of token.split(/\s+/)) if (word !== '') directives.add(word);
    return;
  }
  const name = token.slice(0, colon).trim();
  if (VALUE_DIRECTIVES.has(name)) directives.add(name);
}

/**
 * The directive names (values dropped) that apply to the crawler whose
 * product token is `agent` (lowercase). A token prefixed with a crawler's
 * name (`googlebot: noindex`) is meant for that crawler only: kept when it
 * is `agent`, else left out. The prefix covers only its own token: repeated
 * headers reach Trawl joined with ", ", which hides where one header ended.
 * Within a token, spaces separate too (`noindex nofollow`, a common slip).
 */
function directivesOf(agent: string, values: readonly (string | null | undefined)[]): Set<string> {
  const directives = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    for (const token of value.toLowerCase().split(',')) {
      const colon = token.indexOf(':');
      const name = colon < 0 ? '' : token.slice(0, colon).trim();
      if (name === agent) addDirectives(token.slice(colon + 1), directives);
      else addDirectives(token, directives);
    }
  }
  return directives;
}

/**
 * Whether any of the robots values (meta robots contents, X-Robots-Tag
 * headers) says `directive` to the crawler `agent` (its product token, any
 * case), for all crawlers or for it by name, itself or through `none`, which
 * means both `noindex` and `nofollow`. As Google reads them, the most
 * restrictive wins: `index` for one never undoes `noindex` for the other.
 */
export function robotsSay(
  directive: 'noindex' | 'nofollow',
  agent: string,
  ...values: (string | null | undefined)[]
): boolean {
  const directives = directivesOf(agent.toLowerCase(), values);
  return directives.has(directive) || directives.has('none');
}

/**
 * `<meta name="AGENT" content="…">` written as X-Robots-Tag writes it for a
 * named crawler, each directive prefixed `agent: `, so that it can be stored
 * with the `<meta name="robots">` contents and read by robotsSay.
 */
export function forAgent(agent: string, content: string): string {
  return content
    .split(',')
    .map((token) => `${agent}: ${token.trim()}`)
    .join(', ');
}
