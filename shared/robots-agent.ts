/**
 * The name a crawler goes by in robots.txt (RFC 9309 §2.2.1: groups are
 * matched by the crawler's product token, not its whole User-Agent). Given
 * the whole string, robots-parser cuts it at its first "/", so
 * `Mozilla/5.0 (compatible; Googlebot/2.1; …)` would be looked up as
 * "mozilla" and `MyBot (+https://…)` as "mybot (+https:".
 */

/** RFC 9309's product token is letters, "_" and "-"; real bots (MJ12bot, Baiduspider2) add digits. */
export const ROBOTS_TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * Product names browsers (and bots dressed as browsers) put in their
 * User-Agent for compatibility; none of them names a crawler. `Build` is
 * Android's device build (`Nexus 5X Build/MMB29P`), which Googlebot's
 * smartphone UA carries before its own token.
 */
const BROWSER_TOKENS = new Set(
  [
    'Mozilla',
    'AppleWebKit',
    'KHTML',
    'Gecko',
    'Chrome',
    'Chromium',
    'HeadlessChrome',
    'CriOS',
    'Safari',
    'Firefox',
    'FxiOS',
    'Version',
    'Mobile',
    'Edg',
    'EdgA',
    'EdgiOS',
    'Edge',
    'OPR',
    'Opera',
    'Presto',
    'Trident',
    'Build',
  ].map((name) => name.toLowerCase()),
);

/** `Name/version` where Name starts a word (not the `com/bot` of a URL inside a comment). */
const PRODUCT = /(?:^|[\s;(,])([A-Za-z][A-Za-z0-9_-]*)\/[^\s;()]/g;

/**
 * The product token of a User-Agent: its first `Name/version` product that
 * is not a browser's (`Googlebot` in Google's UAs, `bingbot` in Bing's,
 * `Trawl` in Trawl's), else its first word (`MyBot` in
 * `MyBot (+https://example.com/bot)`).
 */
export function productToken(userAgent: string): string {
  for (const [, name] of userAgent.matchAll(PRODUCT)) {
    if (!BROWSER_TOKENS.has(name!.toLowerCase())) return name!;
  }
  return /[A-Za-z0-9_-]+/.exec(userAgent)?.[0] ?? '*';
}

/** The User-Agent requests carry: a `User-Agent` among the extra headers (any case) wins. */
export function sentUserAgent(settings: {
  userAgent: string;
  headers: Readonly<Record<string, string>>;
}): string {
  const header = Object.entries(settings.headers).find(
    ([name]) => name.toLowerCase() === 'user-agent',
  );
  return header?.[1] ?? settings.userAgent;
}

/** What robots.txt groups are matched against: the job's explicit token, else the one its User-Agent implies. */
export function robotsAgent(settings: {
  userAgent: string;
  headers: Readonly<Record<string, string>>;
  robotsUserAgent: string | null;
}): string {
  return settings.robotsUserAgent ?? productToken(sentUserAgent(settings));
}
