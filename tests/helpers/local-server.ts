import http from 'node:http';
import type { AddressInfo, Server } from 'node:net';

export interface LocalServer {
  /** "http://127.0.0.1:PORT" */
  origin: string;
  port: number;
  /** Stops listening and drops every connection, idle or not. */
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 at a free port. */
export async function listenLocal(handler: http.RequestListener): Promise<LocalServer> {
  const server = http.createServer(handler);
  return listenOn(server, () => server.closeAllConnections());
}

/** Starts `server` on 127.0.0.1 at a free port; `dropConnections` ends the ones still open on close. */
export async function listenOn(server: Server, dropConnections: () => void): Promise<LocalServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        dropConnections();
        server.close(() => resolve());
      }),
  };
}
