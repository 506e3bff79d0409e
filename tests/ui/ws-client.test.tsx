// @vitest-environment jsdom
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createWebSocketApi } from '../../renderer/src/api/ws-client';
import type { ConnectionStatus } from '../../renderer/src/store/ui-slice';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../shared/ui-protocol';

/** The browser's client (jsdom's real WebSocket) against a host that answers every request. */
let server: WebSocketServer;
let received: string[];

async function startServer(port = 0): Promise<void> {
  server = new WebSocketServer({ host: '127.0.0.1', port });
  server.on('connection', (socket) =>
    socket.on('message', (data) => {
      const text = data.toString();
      received.push(text);
      const { seq } = JSON.parse(text) as { seq: number };
      socket.send(JSON.stringify({ type: 'response', seq, ok: true, value: 'answered' }));
    }),
  );
  await new Promise((resolve) => server.once('listening', resolve));
}

async function stopServer(): Promise<void> {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
}

beforeEach(async () => {
  received = [];
  await startServer();
});
afterEach(stopServer);

/** Resolves when the client reports `status`. */
function statusSeen(
  onStatus: (listener: (status: ConnectionStatus) => void) => () => void,
  status: ConnectionStatus,
): Promise<void> {
  return new Promise((resolve) => {
    const stop = onStatus((seen) => {
      if (seen !== status) return;
      stop();
      resolve();
    });
  });
}

describe('the browser client of trawl serve', () => {
  it('refuses a request larger than the host takes, names the sizes, and keeps the connection', async () => {
    const { port } = server.address() as AddressInfo;
    const { api } = createWebSocketApi(`ws://127.0.0.1:${port}/`);
    expect(await api.getVersion()).toBe('answered');

    const url = 'https://example.com/a-fairly-long-path/to-a-product-page?id=';
    const count = Math.ceil(MAX_CLIENT_MESSAGE_BYTES / url.length);
    const startUrls = Array.from({ length: count }, (_, i) => `${url}${i}`);
    await expect(api.startJob({ startUrls, mode: 'list' })).rejects.toThrow(
      /^this request is 9\d MB; the host takes at most 80 MB at once: split the URL list into several crawls$/,
    );
    expect(received).toHaveLength(1);
    // The socket was not closed by the host: the next request is answered.
    expect(await api.listJobs()).toBe('answered');
    expect(received).toHaveLength(2);
  });

  it('fails requests while the connection is lost, and never sends them when it is back', async () => {
    const { port } = server.address() as AddressInfo;
    const { api, onStatus } = createWebSocketApi(`ws://127.0.0.1:${port}/`);
    expect(await api.getVersion()).toBe('answered');

    const lost = statusSeen(onStatus, 'closed');
    await stopServer();
    await lost;
    // Queued and sent on reconnect, these started crawls the page had reported as failed.
    for (const request of [
      api.startJob({ startUrls: ['http://127.0.0.1:9/'] }),
      api.deleteJob(4),
    ]) {
      await expect(request).rejects.toThrow(
        'Not connected to the Trawl host (reconnecting…): nothing was sent.',
      );
    }

    const back = statusSeen(onStatus, 'open');
    received = [];
    await startServer(port);
    await back;
    expect(await api.listJobs()).toBe('answered');
    expect(received.map((frame) => (JSON.parse(frame) as { method: string }).method)).toEqual([
      'listJobs',
    ]);
  });

  it('says when the host refuses the page: restarted, it has a new access token', async () => {
    const { port } = server.address() as AddressInfo;
    const { api, onStatus } = createWebSocketApi(`ws://127.0.0.1:${port}/`);
    expect(await api.getVersion()).toBe('answered');
    await stopServer();
    // Restarted on the same port, with a token this page does not have.
    const host = http.createServer((_request, response) => response.writeHead(401).end());
    host.on('upgrade', (_request, socket: Socket) =>
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n'),
    );
    await new Promise<void>((resolve) => host.listen(port, '127.0.0.1', resolve));
    try {
      await statusSeen(onStatus, 'refused');
      // It said "reconnecting…", as if waiting would help.
      await expect(api.listJobs()).rejects.toThrow(
        'The Trawl host was restarted and no longer accepts this page: open the URL that ' +
          'trawl serve printed. Nothing was sent.',
      );
    } finally {
      host.closeAllConnections();
      await new Promise((resolve) => host.close(resolve));
    }
  });
});
