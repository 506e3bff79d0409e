/**
 * Why a URL is blocked when its host's robots.txt was unavailable, as its
 * frontier row records it. These words are also how the next run of the job
 * finds such URLs to judge again (FrontierStore.requeueUnavailable): it reads
 * robots.txt anew, and the host may be back.
 */
const UNAVAILABLE = 'blocked by robots.txt: unavailable';

/** `why`: HTTP 503, or the network error. */
export const unavailableReason = (why: string): string =>
  `${UNAVAILABLE} (${why}), which disallows the whole host`;

/**
 * The network error in such a reason (`getaddrinfo ENOTFOUND …`), null for
 * an HTTP status (with or without an unreadable body) or another reason: when robots.txt got no answer at all,
 * the host itself could not be reached, which is what a user needs to hear.
 */
export function noAnswerIn(reason: string): string | null {
  const prefix = `${UNAVAILABLE} (`;
  const suffix = '), which disallows the whole host';
  if (!reason.startsWith(prefix) || !reason.endsWith(suffix)) return null;
  const why = reason.slice(prefix.length, -suffix.length);
  return /^HTTP \d{3}\b/.test(why) ? null : why;
}

/** A redirect into such a host gets the reason of a URL of that host. */
export const redirectedInto = (target: string, reason: string): string =>
  `redirected to ${target}: ${reason}`;

/** SQL LIKE patterns for both (a URL holds no space, so no URL can end like them). */
export const UNAVAILABLE_PATTERNS = [
  `${UNAVAILABLE} (%`,
  redirectedInto('%', `${UNAVAILABLE} (%`),
] as const;
