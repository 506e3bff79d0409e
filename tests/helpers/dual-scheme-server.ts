import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { listenOn, type LocalServer } from './local-server';

/**
 * A self-signed certificate for 127.0.0.1, for tests only (valid until
 * 2126). A process trusts it when started with NODE_EXTRA_CA_CERTS set to
 * TEST_CA_FILE; Node reads that variable only at startup.
 */
export const TEST_CA_FILE = fileURLToPath(new URL('./tls/cert.pem', import.meta.url));
const TEST_KEY_FILE = fileURLToPath(new URL('./tls/key.pem', import.meta.url));

/** A TLS connection starts with a handshake record (content type 22). */
const TLS_HANDSHAKE = 0x16;

/**
 * One port on 127.0.0.1 that speaks HTTP and HTTPS, told apart by the first
 * byte: `http://127.0.0.1:P` and `https://127.0.0.1:P` are then one host and
 * port in two schemes, as a site's port 80 and 443 are to Trawl's scopes
 * (default ports are dropped), without binding those ports.
 */
export async function listenDualScheme(handlers: {
  http: http.RequestListener;
  https: http.RequestListener;
}): Promise<LocalServer> {
  const plain = http.createServer(handlers.http);
  const secure = https.createServer(
    { cert: readFileSync(TEST_CA_FILE), key: readFileSync(TEST_KEY_FILE) },
    handlers.https,
  );
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (first === null) return void socket.destroy();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? secure : plain).emit('connection', socket);
    });
  });
  return listenOn(server, () => {
    for (const socket of sockets) socket.destroy();
  });
}
