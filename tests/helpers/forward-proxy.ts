import http from 'node:http';
import net from 'node:net';
import { listenOn } from './local-server';

export interface ForwardProxy {
  origin: string;
  /** The absolute URL of every request it relayed, and `CONNECT host:port` for each tunnel, in order. */
  urls: string[];
  close(): Promise<void>;
}

/**
 * A tiny counting forward proxy on 127.0.0.1: absolute-form request lines
 * (plain HTTP), relayed with node:http, each carrying `via: 1.1 test-proxy`
 * so the target can tell it came through; and CONNECT tunnels (HTTPS), whose
 * bytes it passes through unread.
 */
export async function startForwardProxy(): Promise<ForwardProxy> {
  const urls: string[] = [];
  const tunnels = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
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
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    urls.push(`CONNECT ${request.url}`);
    const [host, port] = (request.url ?? '').split(':');
    const target = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      target.write(head);
      target.pipe(client).pipe(target);
    });
    for (const socket of [client, target]) {
      tunnels.add(socket);
      socket.once('close', () => tunnels.delete(socket));
      socket.on('error', () => (client.destroy(), target.destroy()));
    }
  });
  const local = await listenOn(server, () => {
    server.closeAllConnections();
    for (const socket of tunnels) socket.destroy();
  });
  return { origin: local.origin, urls, close: local.close };
}
