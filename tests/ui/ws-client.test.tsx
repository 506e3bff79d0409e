// @vitest-environment jsdom
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createWebSocketApi } from '../../renderer/src/api/ws-client';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../shared/ui-protocol';

/** The browser's client (jsdom's real WebSocket) against a host that answers every request. */
let server: WebSocketServer;
let received: string[];

beforeEach(async () => {
  received = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) =>
    socket.on('message', (data) => {
      const text = data.toString();
      received.push(text);
      const { seq } = JSON.parse(text) as { seq: number };
      socket.send(JSON.stringify({ type: 'response', seq, ok: true, value: 'answered' }));
    }),
  );
  await new Promise((resolve) => server.once('listening', resolve));
});
afterEach(async () => {
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
});

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
});
