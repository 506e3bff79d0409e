import http from 'node:http';
import { listenLocal } from './local-server';

export interface ForwardProxy {
  origin: string;
  /** The absolute URL of every request it relayed, in order. */
  urls: string[];
  close(): Promise<void>;
}

/**
 * A tiny counting forward proxy on 127.0.0.1: absolute-form request lines
 * (plain HTTP), relayed with node:http; each relayed request carries
 * `via: 1.1 test-proxy` so the target can tell it came through.
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const urls: string[] = [];
  const server = await listenLocal((request, response) => {
    urls.push(request.url ?? '');
    const upstream = http.request(
      request.url!,
      { method: request.method, headers: { ...request.headers, via: '1.1 test-proxy' } },
      (answer) => {
        response.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  return { origin: server.origin, urls, close: server.close };
}
