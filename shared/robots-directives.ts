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

/** A crawler's name as a prefix names it: one word (a date's `25-Jun-2010 15:00` is none). */
const AGENT_NAME = /^[a-z0-9_-]+$/;

/** Adds the directive names of one token (`noindex nofollow` or `max-snippet: 0`). */
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
 * product token is `agent` (lowercase). As Google reads X-Robots-Tag, a
 * crawler's name before a directive (`otherbot: noindex, nofollow`) addresses
 * the rest of that list to it, up to the next name: kept when it is `agent`,
 * else left out. A list ends at a line break too: the worker puts each
 * X-Robots-Tag header of a response on a line of its own, so that
 * `googlebot: nofollow` in one does not take the next header's `noindex`.
 * Within a directive, spaces separate too (`noindex nofollow`, a common slip).
 */
function directivesOf(agent: string, values: readonly (string | null | undefined)[]): Set<string> {
  const directives = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    for (const line of value.toLowerCase().split('\n')) {
      let addressee: string | null = null;
      for (let token of line.split(',')) {
        const colon = token.indexOf(':');
        const name = colon < 0 ? '' : token.slice(0, colon).trim();
        if (!VALUE_DIRECTIVES.has(name) && AGENT_NAME.test(name)) {
          addressee = name;
          token = token.slice(colon + 1);
        }
        if (addressee === null || addressee === agent) addDirectives(token, directives);
      }
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

/** `rel` is a space-separated list of link types; commas are a common slip. */
const REL_NOFOLLOW = /(^|[\s,])nofollow($|[\s,])/i;

/** Whether a link's `rel` attribute marks it `nofollow`. */
export function relSaysNofollow(rel: string): boolean {
  return REL_NOFOLLOW.test(rel);
}
