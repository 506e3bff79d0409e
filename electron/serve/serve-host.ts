import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { SERVE_CSP } from '../../shared/content-security-policy';
import type { HostApi } from '../../shared/crawler-api';
import type { ExportRuns } from '../engine/export/export-runs';
import { MAX_CLIENT_MESSAGE_BYTES, UI_SOCKET_PATH } from '../../shared/ui-protocol';
import type { Logger } from '../engine/logger';
import { UserError } from '../engine/user-error';
import { AccessControl, hostAllowed, isCrossSiteNavigation, isSameOrigin } from './access-control';
import { refreshPage } from './refresh-page';
import { EXPORT_PATH, sendExport } from './export-download';
import { attachSocket } from './socket-channel';
import { sendText, serveStatic } from './static-files';

export interface ServeHostOptions {
  api: HostApi;
  /** The host's exports: downloads report their progress there and can be cancelled. */
  exports: ExportRuns;
  /** The built renderer (index.html + assets/). */
  staticDir: string;
  /** The database file, read by export downloads through their own connection. */
  dbFile: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
}

export interface ServeHost {
  /** The URL to open, token included. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/** Headers on every HTTP answer: no framing, no sniffing, never leak the URL (token) onward. */
const SECURITY_HEADERS = {
  'content-security-policy': SERVE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const MISDIRECTED =
  'This server answers to localhost and IP addresses only: open the URL `trawl serve` printed.';

/** Why the server could not listen, for the person who chose --host and --port. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const why =
    error.code === 'EADDRINUSE'
      ? `port ${port} is in use (choose another with --port, or --port 0 for any free one)`
      : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
        ? `${host} is not an address of this machine`
        : error.code === 'EACCES'
          ? `port ${port} needs more rights (ports below 1024 usually do)`
          : error.message;
  return new UserError(`cannot listen on ${where}: ${why}`, { cause: error });
}

/**
 * The `trawl serve` host: the renderer's files and a WebSocket carrying
 * `CrawlerApi`, both behind the access token; WebSockets also only from the
 * served origin.
 */
export async function startServeHost(options: ServeHostOptions): Promise<ServeHost> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(listenError(error, options.host, options.port));
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const access = new AccessControl(port, options.token);
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const origin = `http://${hostForUrl}:${port}`;

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  sockets.on('connection', (socket) => attachSocket(socket, options.api, options.logger));

  server.on('request', (request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    // A target that is no URL (`GET http://[`) threw here, uncaught: anyone could stop the host.
    const url = URL.parse(request.url ?? '/', origin);
    if (url === null) return sendText(response, 400, 'bad request');
    if (!hostAllowed(request, options.host)) return sendText(response, 421, MISDIRECTED);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendText(response, 405, 'method not allowed');
    }
    if (!access.allows(request, url)) {
      return sendText(response, 401, 'Open the URL that `trawl serve` printed (it has the token).');
    }
    if (access.queryToken(url) !== null) {
      // Trade the token in the address bar for a cookie, then show the clean URL.
      url.searchParams.delete('token');
      const clean = url.pathname + url.search;
      if (!isCrossSiteNavigation(request)) {
        response.writeHead(303, { 'set-cookie': access.setCookieHeader(), location: clean });
        return response.end();
      }
      // Reached from another site or a file (a link, `--open`): a redirect would stay part
      // of that cross-site navigation, which never carries a SameSite=Strict cookie (401).
      // The page's own navigation does.
      const page = refreshPage(clean);
      response.writeHead(200, {
        'set-cookie': access.setCookieHeader(),
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(page),
        'cache-control': 'no-store',
      });
      return response.end(page);
    }
    const answer =
      url.pathname === EXPORT_PATH
        ? sendExport(options.dbFile, url, response, options.logger, options.exports)
        : serveStatic(options.staticDir, url.pathname, response);
    answer.catch((error: unknown) => {
      options.logger('error', `serving ${url.pathname}: ${String(error)}`);
      if (!response.headersSent) sendText(response, 500, 'internal error');
      else response.destroy();
    });
  });

  server.on('upgrade', (request, socket: Socket, head) => {
    const url = URL.parse(request.url ?? '/', origin);
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url === null) return refuse(400, 'Bad Request');
    if (!hostAllowed(request, options.host)) return refuse(421, 'Misdirected Request');
    if (url.pathname !== UI_SOCKET_PATH) return refuse(404, 'Not Found');
    if (!access.allows(request, url)) return refuse(401, 'Unauthorized');
    if (!isSameOrigin(request)) return refuse(403, 'Forbidden');
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  });

  return {
    url: `${origin}/?token=${access.token}`,
    origin,
    token: access.token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
