import http from 'node:http';
import https from 'node:https';
import got, { type Got } from 'got';
import { createScope } from '../../shared/scope';
import { parseCrawlableUrl } from '../../shared/url-normalize';
import type { WorkerConfig } from '../../shared/worker-protocol';

export interface FetchedResponse {
  finalUrl: string;
  status: number;
  contentType: string | null;
  /** The Retry-After header, if any. */
  retryAfter: string | null;
  /** The body, only for HTML; other types are not downloaded. */
  body: Buffer | null;
  bytes: number;
  responseMs: number;
}

const HTML_TYPES = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

export function isHtml(contentType: string | null): boolean {
  return contentType !== null && HTML_TYPES.test(contentType);
}

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`body larger than ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** One got instance per worker, with keep-alive agents sized to the concurrency. */
export function createFetcher(config: WorkerConfig): (url: string) => Promise<FetchedResponse> {
  const inScope = createScope(config.scope);
  const agentOptions = {
    keepAlive: true,
    maxSockets: config.concurrency,
    scheduling: 'lifo' as const,
  };
  const client: Got = got.extend({
    agent: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
    headers: {
      'user-agent': config.userAgent,
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
      ...config.headers,
    },
    timeout: {
      connect: config.timeouts.connectMs,
      response: config.timeouts.firstByteMs,
      request: config.timeouts.totalMs,
    },
    retry: { limit: 0 },
    throwHttpErrors: false,
    // Redirects are followed only within the crawl's scope; a redirect that
    // leaves it is stored as the 3xx response it is.
    followRedirect: (response) => {
      const location = response.headers.location;
      if (!location) return false;
      const target = parseCrawlableUrl(location, response.url);
      return target !== null && inScope(target);
    },
    maxRedirects: 10,
    decompress: true,
  });

  return (url) =>
    new Promise<FetchedResponse>((resolve, reject) => {
      const started = performance.now();
      const stream = client.stream(url);
      const chunks: Buffer[] = [];
      let bytes = 0;
      let head: Omit<FetchedResponse, 'body' | 'bytes' | 'responseMs'> | null = null;

      stream.on(
        'response',
        (response: { url: string; statusCode: number; headers: http.IncomingHttpHeaders }) => {
          const contentType = response.headers['content-type'] ?? null;
          const retryAfter = response.headers['retry-after'] ?? null;
          head = { finalUrl: response.url, status: response.statusCode, contentType, retryAfter };
          if (!isHtml(contentType)) {
            // Record what the server says about it; do not download it.
            const declared = Number(response.headers['content-length']);
            stream.destroy();
            resolve({
              ...head,
              body: null,
              bytes: Number.isFinite(declared) ? declared : 0,
              responseMs: performance.now() - started,
            });
          }
        },
      );
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > config.maxBodyBytes) {
          stream.destroy(new BodyTooLargeError(config.maxBodyBytes));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('end', () => {
        if (!head) return reject(new Error('response ended without headers'));
        resolve({
          ...head,
          body: Buffer.concat(chunks, bytes),
          bytes,
          responseMs: performance.now() - started,
        });
      });
      stream.on('error', (error: Error) => {
        if (head && !isHtml(head.contentType)) return; // destroyed on purpose above
        reject(error);
      });
    });
}
