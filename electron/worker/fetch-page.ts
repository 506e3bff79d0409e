import type http from 'node:http';
import type { Got, Request } from 'got';
import { MAX_HEADER_BYTES, MAX_URL_LENGTH } from '../../shared/limits';
import { redirectJudge } from '../../shared/scope';
import { headerText } from '../../shared/header-text';
import { applyUrlRules, parseCrawlableUrl } from '../../shared/url-normalize';
import type { RedirectHop, WorkerConfig } from '../../shared/worker-protocol';
import { basicAuthFor, jobAgents } from '../engine/job-http';
import { effectiveContentType } from './content-type';
import { decodeBody } from './decode-body';
import { requestIgnoringExcessBytes } from './excess-bytes';
import { createGotClient } from './got-client';
import { isUnknownType, SNIFF_BYTES, startsAsHtml } from './sniff-html';
import type { RedirectGate } from './redirect-gate';

export interface FetchedResponse {
  finalUrl: string;
  status: number;
  contentType: string | null;
  /** The Retry-After header, if any. */
  retryAfter: string | null;
  /** The final response's headers (Node lowercases the names). */
  headers: http.IncomingHttpHeaders;
  /**
   * Its X-Robots-Tag headers one a line (robots-directives.ts), not joined
   * by ", " as in `headers`: a crawler's name in one covers that one only.
   */
  xRobotsTag: string | null;
  /** Redirects followed before the final response, in order. */
  redirects: RedirectHop[];
  /** The decoded body, only for HTML; other types are not downloaded. */
  body: Buffer | null;
  /** Decoded and on-the-wire body sizes (the declared Content-Length for non-HTML). */
  bytes: number;
  wireBytes: number;
  /** From the first request to the final response's headers, and to its last byte. */
  ttfbMs: number;
  responseMs: number;
}

const HTML_TYPES = /^\s*(text\/html|application\/xhtml\+xml)\b/i;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** A redirect's body is read and dropped so its connection can be reused; past this, it is cut. */
const REDIRECT_BODY_CAP = 64 * 1024;

export function isHtml(contentType: string | null): boolean {
  return contentType !== null && HTML_TYPES.test(contentType);
}

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`body larger than ${limit} bytes (maxBodyBytes)`);
    this.name = 'BodyTooLargeError';
  }
}

/** A failure with the redirect hops that came before it (see redirectsOf). */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly redirects: RedirectHop[],
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

/** A redirect to a URL robots.txt disallows: it is not requested. */
export class RobotsBlockedError extends FetchError {
  constructor(
    readonly target: string,
    redirects: RedirectHop[],
  ) {
    super(`redirected to ${target}, which robots.txt blocks`, redirects);
    this.name = 'RobotsBlockedError';
  }
}

/** Main gave the task back at a redirect hop (a graceful stop): it is crawled whole on resume. */
export class GivenBackError extends FetchError {
  constructor(redirects: RedirectHop[]) {
    super('given back unfinished', redirects);
    this.name = 'GivenBackError';
  }
}

/** The hops followed before `error` was thrown by a fetcher. */
export function redirectsOf(error: unknown): RedirectHop[] {
  return (error as { redirects?: RedirectHop[] } | null)?.redirects ?? [];
}

/**
 * Reads a stream whole, failing once it passes `limit` bytes. With `wanted`,
 * its first SNIFF_BYTES are shown to it first, and a body it does not want
 * is dropped unread (null).
 */
function readBody(
  stream: Request,
  limit: number,
  wanted?: (start: Buffer) => boolean,
): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    // A body that breaks right after the headers (a malformed chunk size) errs
    // before this is called: waiting for 'end' or 'error' then waited forever,
    // with no timeout left running, and the URL stayed in flight for good.
    if (stream.errored) return reject(stream.errored);
    const chunks: Buffer[] = [];
    let size = 0;
    let judged = wanted === undefined;
    /** Whether the body is wanted; if not, it is dropped and null resolved. */
    const judge = (): boolean => {
      judged = true;
      if (wanted!(Buffer.concat(chunks, size))) return true;
      dropBody(stream);
      resolve(null);
      return false;
    };
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) stream.destroy(new BodyTooLargeError(limit));
      else chunks.push(chunk);
      if (!judged && size >= SNIFF_BYTES) judge();
    });
    stream.once('end', () => {
      // Most bodies come in one chunk (a socket read's own buffer): no copy is needed then.
      if (judged || judge())
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    stream.once('error', (error) => reject(withSizes(error, size, stream)));
    // After 'end' this changes nothing; without it, the body did not arrive whole.
    stream.once('close', () =>
      reject(stream.errored ?? new Error('the connection closed before the body was complete')),
    );
  });
}

/**
 * A body cut short said with its sizes, the code kept (it is retried): got
 * calls it "The server aborted pending request", which read as if Trawl had
 * been refused, not as a server that closed the connection mid-body.
 */
function withSizes(error: Error, received: number, stream: Request): Error {
  if ((error as { code?: string }).code !== 'ECONNRESET') return error;
  const declared = stream.response?.headers['content-length'];
  error.message =
    declared === undefined
      ? `the connection closed after ${received} bytes, before the body was complete`
      : `the connection closed after ${received} of the ${declared} bytes its Content-Length announced`;
  return error;
}

/** Closes a response without reading its body; the abort's error is expected. */
function dropBody(stream: Request): void {
  stream.destroy();
  stream.on('error', () => undefined);
}

/** Drops a redirect's body, keeping the connection when the body is small. */
function discardBody(stream: Request): Promise<void> {
  return readBody(stream, REDIRECT_BODY_CAP).then(
    () => undefined,
    () => undefined,
  );
}

/**
 * One got instance per worker. Redirects are followed here, hop by hop, so
 * each is recorded, capped (maxRedirects) and checked for loops; a hop is
 * followed only when a link to its target would be (redirectJudge), else the
 * 3xx is the page, and only when `beforeRedirect` (main: robots.txt and the target
 * host's limits; null where no job runs) lets it. Bodies are decompressed here too, with a
 * cap on the decoded size.
 */
export async function createFetcher(config: WorkerConfig): Promise<
  (
    url: string,
    beforeRedirect: RedirectGate | null,
    /** Read past what Node's parser refuses after a whole response (see excess-bytes.ts). */
    lenient?: boolean,
  ) => Promise<FetchedResponse>
> {
  // A page a link there would not crawl is not fetched, nor its links queued.
  const notFollowed = redirectJudge(config.scope, config.urls);
  // Loaded only for a job that keeps cookies: it costs a worker about 100 ms of CPU to start.
  const cookieJar = config.cookies ? new (await import('tough-cookie')).CookieJar() : null;
  const authorization = basicAuthFor(config.basicAuth);
  const client: Got = createGotClient({
    // Keep-alive agents sized to the concurrency.
    agent: await jobAgents(config.proxy, {
      keepAlive: true,
      maxSockets: config.concurrency,
      scheduling: 'lifo',
    }),
    headers: {
      'user-agent': config.userAgent,
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
      ...config.headers,
    },
    timeout: {
      connect: config.timeouts.connectMs,
      response: config.timeouts.firstByteMs,
      request: config.timeouts.totalMs,
    },
    retry: { limit: 0 },
    maxHeaderSize: MAX_HEADER_BYTES,
    https: { rejectUnauthorized: !config.ignoreTlsErrors },
    throwHttpErrors: false,
    followRedirect: false,
    decompress: false,
    ...(cookieJar ? { cookieJar } : {}),
  });
  /** The cookies a request to `url` sends ('' without a jar). */
  const cookiesFor = (url: URL) => cookieJar?.getCookieStringSync(url) ?? '';

  const lenientClient = client.extend({ request: requestIgnoringExcessBytes });

  const open = (url: URL, lenient: boolean) =>
    new Promise<{ stream: Request; response: http.IncomingMessage & { statusCode: number } }>(
      (resolve, reject) => {
        const auth = authorization(url);
        const stream = (lenient ? lenientClient : client).stream(
          url,
          auth ? { headers: { authorization: auth } } : {},
        );
        stream.once('response', (response: http.IncomingMessage & { statusCode: number }) =>
          resolve({ stream, response }),
        );
        stream.once('error', reject);
      },
    );

  /** Whether a redirect's target is the URL it came from, under the job's URL rules. */
  const sameUrl = (target: URL, current: URL) =>
    applyUrlRules(new URL(target), config.urls).href === current.href;

  return async (url, beforeRedirect, lenient = false) => {
    const started = performance.now();
    const redirects: RedirectHop[] = [];
    const start = new URL(url);
    let current = start;
    /** Each URL of the chain: the hop it is requested at and the cookies sent then. */
    const visited = new Map([[url, { hop: 0, cookies: cookiesFor(current) }]]);
    let hopsFollowed = 0;
    // What is sent for `current`: another spelling of it when the server asked for that.
    let requested = current;
    try {
      for (;;) {
        const { stream, response } = await open(requested, lenient);
        const { statusCode: status, headers } = response;
        const location = headers.location === undefined ? '' : headerText(headers.location);
        const target =
          REDIRECT_STATUSES.has(status) && location ? parseCrawlableUrl(location, requested) : null;
        if (target !== null && requested === current && sameUrl(target, current)) {
          // `/~a` redirecting to `/%7Ea`: one URL (RFC 3986 §6.2.2) that the
          // server wants spelled its way, so it is asked for as written once,
          // and no hop is recorded. A second time is a loop (below). So is
          // `/a` to `/a;jsessionid=…` when the job strips that parameter:
          // the page is /a's, where it was a redirect to itself, not crawled.
          await discardBody(stream);
          requested = new URL(location, requested);
          continue;
        }
        if (target !== null && notFollowed(target) === null) {
          redirects.push({
            url: current.href,
            status,
            location: location.slice(0, MAX_URL_LENGTH),
          });
          await discardBody(stream);
          const cookies = cookiesFor(target);
          const earlier = visited.get(target.href);
          if (earlier?.cookies === cookies) {
            const chain = [...redirects.map((hop) => hop.url), target.href];
            throw new FetchError(`redirect loop: ${chain.join(' -> ')}`, redirects);
          }
          if (++hopsFollowed > config.maxRedirects)
            throw new FetchError(`too many redirects (${config.maxRedirects})`, redirects);
          const verdict = beforeRedirect ? await beforeRedirect(target.href) : 'follow';
          if (verdict === 'refuse') throw new RobotsBlockedError(target.href, redirects);
          if (verdict === 'give-back') throw new GivenBackError(redirects);
          // Back at a URL of the chain with a cookie set on the way (a cookie check,
          // a consent page): the detour was for the cookie, as a visitor who has it
          // never sees it, so the chain goes on from that URL's own request.
          if (earlier) redirects.length = earlier.hop;
          visited.set(target.href, { hop: redirects.length, cookies });
          current = target;
          requested = target;
          continue;
        }
        if (redirects.length > 0 && sameUrl(current, start)) {
          // Back at the URL itself in another spelling (`/a` to `/check` to
          // `/a;jsessionid=…` when the job strips that parameter): its own page,
          // as for one hop above. As a redirect its target would be the URL
          // itself, already leased, and the links on it would be followed by no row.
          redirects.length = 0;
          current = start;
        }
        const ttfbMs = performance.now() - started;
        const contentTypes = response.headersDistinct['content-type'] ?? [];
        const head = {
          finalUrl: current.href,
          status,
          contentType: effectiveContentType(contentTypes),
          retryAfter: headers['retry-after'] ?? null,
          // Node keeps the first Content-Type only; the stored headers show each one sent.
          headers:
            contentTypes.length > 1
              ? // eslint-disable-next-line no-restricted-syntax -- rare, and this key must win
                { ...headers, 'content-type': contentTypes.join(', ') }
              : headers,
          xRobotsTag: response.headersDistinct['x-robots-tag']?.join('\n') ?? null,
          redirects,
          ttfbMs,
        };
        // Not HTML: what the server says about it is recorded; it is not downloaded.
        const notHtml = () => {
          const declared = Number(headers['content-length']);
          const size = Number.isFinite(declared) ? declared : 0;
          return { body: null, bytes: size, wireBytes: size, responseMs: ttfbMs, ...head };
        };
        const encoding = headers['content-encoding'];
        // A body of no stated type is read as a browser reads it: HTML if it starts as HTML.
        const sniffed = isUnknownType(head.contentType);
        if (!isHtml(head.contentType) && !sniffed) {
          dropBody(stream);
          return notHtml();
        }
        const wire = await readBody(
          stream,
          config.maxBodyBytes,
          sniffed ? (start) => startsAsHtml(start, encoding, config.maxDecodedBytes) : undefined,
        );
        if (wire === null) return notHtml();
        const body = decodeBody(wire, encoding, config.maxDecodedBytes);
        // Not `{ ...head, body, … }`: in Node 20's V8 a literal that begins with a
        // spread costs about 0.6 µs for each property after it (16 of them: 15 µs,
        // against 60 ns with the spread last), in time and garbage.
        return {
          body,
          bytes: body.length,
          wireBytes: wire.length,
          responseMs: performance.now() - started,
          ...head,
          contentType: sniffed ? 'text/html' : head.contentType,
        };
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      // Keeps the error (and its code, which decides retries) with the hops before it.
      throw Object.assign(error as Error, { redirects });
    }
  };
}
