import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP, isIPv4 } from 'node:net';

/**
 * Who may use a `trawl serve` host: whoever holds the access token printed at
 * start. The token arrives once in the URL (`/?token=…`); the host answers
 * with an HttpOnly, SameSite=Strict cookie and a redirect (or, for a
 * navigation from another site, a page) that drops the token from the
 * address bar, so page assets and the WebSocket carry the cookie. Scripts may also send `Authorization: Bearer <token>`.
 */
export class AccessControl {
  readonly token: string;
  /** Cookies are per host, not per port: the name keeps two hosts on one machine apart. */
  readonly cookieName: string;

  constructor(port: number, token: string = randomBytes(24).toString('base64url')) {
    this.token = token;
    this.cookieName = `trawl_token_${port}`;
  }

  /** The token in the query string (`?token=`), if any. */
  queryToken(url: URL): string | null {
    return url.searchParams.get('token');
  }

  /** True when the request carries the token (query, cookie or bearer header). */
  allows(request: IncomingMessage, url: URL): boolean {
    const offered = [
      this.queryToken(url),
      this.cookieToken(request),
      bearerToken(request.headers.authorization),
    ];
    return offered.some((candidate) => candidate !== null && this.matches(candidate));
  }

  matches(candidate: string): boolean {
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  setCookieHeader(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  private cookieToken(request: IncomingMessage): string | null {
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === this.cookieName) return value.join('=');
    }
    return null;
  }
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/**
 * A WebSocket may only be opened by the served page itself: its Origin must
 * be this host's own origin as the browser addressed it. Browsers always send
 * Origin on WebSocket handshakes, so a missing one is refused too.
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (origin === undefined || host === undefined) return false;
  return origin === `http://${host}`;
}

/**
 * A navigation another site or a local file started (a link, a redirect,
 * `--open`), as the browser reports it in Sec-Fetch-Site; one the user typed
 * or started from a bookmark or another program is `none`. Clients that send
 * no such header (curl, older browsers) count as not cross-site.
 */
export function isCrossSiteNavigation(request: IncomingMessage): boolean {
  return request.headers['sec-fetch-site'] === 'cross-site';
}

/**
 * The `Host` names a server bound to `address` answers to. Bound to a
 * loopback address it answers only to `localhost` and IP addresses: a web
 * page whose DNS name an attacker points at 127.0.0.1 (DNS rebinding) is
 * then refused whatever it sends. Bound to another address it answers to
 * any name, as people reach such a server by the machine's names.
 */
export function hostAllowed(request: IncomingMessage, address: string): boolean {
  if (!isLoopback(address)) return true;
  const hostname = URL.parse(`http://${request.headers.host ?? ''}`)?.hostname;
  if (hostname === undefined) return false;
  return hostname === 'localhost' || isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

function isLoopback(address: string): boolean {
  if (address === 'localhost' || address === '::1') return true;
  return isIPv4(address) && address.startsWith('127.');
}
