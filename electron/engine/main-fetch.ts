import http from 'node:http';
import https from 'node:https';
import { pipeline, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { headerText } from '../../shared/header-text';
import { MAX_HEADER_BYTES } from '../../shared/limits';
import type { JobSettings } from '../../shared/job-settings';
import { basicAuthFor, jobAgents } from './job-http';

export type MainFetchSettings = Pick<
  JobSettings,
  'userAgent' | 'headers' | 'basicAuth' | 'proxy' | 'ignoreTlsErrors'
>;

export interface MainRequest {
  method?: 'GET' | 'HEAD';
  /** Redirect hops followed; the response to the last one allowed is returned as it is. */
  maxRedirects: number;
  /** For the whole request, body included. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface MainResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Read it, or destroy it: the request's timeout and signal still apply while it is read. */
  body: Readable;
}

export type MainFetch = (url: string, request: MainRequest) => Promise<MainResponse>;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * The requests main makes itself (robots.txt, sitemaps, external link
 * checks), sent the way the workers send theirs: the job's User-Agent and
 * headers, its proxy, basic auth for the matching host only (checked again
 * on each redirect hop). node:http rather than fetch(), which refuses the
 * ports the Fetch standard calls bad and cannot use the proxy agents. No
 * keep-alive: main makes few requests per host.
 */
export function createMainFetch(settings: MainFetchSettings): MainFetch {
  const agents = jobAgents(settings.proxy, { keepAlive: false });
  const authorization = basicAuthFor(settings.basicAuth);

  const send = async (url: URL, method: string, signal: AbortSignal) => {
    const { http: httpAgent, https: httpsAgent } = await agents;
    return new Promise<http.IncomingMessage>((resolve, reject) => {
      const auth = authorization(url);
      const secure = url.protocol === 'https:';
      const request = (secure ? https : http).request(
        url,
        {
          method,
          agent: secure ? httpsAgent : httpAgent,
          // Per request, not per agent: a proxy agent's own options are for the proxy's TLS.
          rejectUnauthorized: !settings.ignoreTlsErrors,
          maxHeaderSize: MAX_HEADER_BYTES,
          headers: {
            'user-agent': settings.userAgent,
            ...settings.headers,
            ...(auth ? { authorization: auth } : {}),
          },
          signal,
        },
        resolve,
      );
      request.once('error', reject);
      request.end();
    });
  };

  return async (href, { method = 'GET', maxRedirects, timeoutMs, signal }) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let url = new URL(href);
    try {
      for (let hops = 0; ; hops++) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          throw new Error(`not an http(s) URL: ${url.href.slice(0, 200)}`);
        }
        const response = await send(url, method, combined);
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (hops < maxRedirects && REDIRECT_STATUSES.has(status) && location) {
          response.destroy();
          url = new URL(headerText(location), url);
          continue;
        }
        return { url: url.href, status, headers: response.headers, body: response };
      }
    } catch (error) {
      throw timeout.aborted ? new Error(`timed out after ${timeoutMs} ms`) : error;
    }
  };
}

/** A body, cut off after `maxBytes` (a hostile server can send it endlessly). */
export async function readCapped(body: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  body.destroy();
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

// Truncated streams decode as far as they go, as in the workers (decode-body.ts).
const ZLIB = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const gunzip = () => zlib.createGunzip(ZLIB);
const DECODERS = new Map<string, () => Transform>([
  ['gzip', gunzip],
  ['x-gzip', gunzip],
  ['deflate', () => zlib.createInflate(ZLIB)],
  ['br', () => zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })],
]);

/**
 * The body with its Content-Encoding (gzip, deflate or br) undone. Main sends
 * no Accept-Encoding, which accepts any coding (RFC 9110 §12.5.3), so a server
 * may well compress. Read it with readCapped: a compression bomb stops there.
 */
export function decodedBody(response: MainResponse): Readable {
  const coding = response.headers['content-encoding']?.trim().toLowerCase() ?? '';
  const decoder = DECODERS.get(coding);
  // A decoding error reaches the reader through the decoder, which pipeline destroys with it.
  return decoder ? pipeline(response.body, decoder(), () => {}) : response.body;
}
