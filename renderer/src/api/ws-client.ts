import {
  bindRequests,
  type CrawlerApi,
  type ExportUpdate,
  type CrawlerRequestMethod,
} from '../../../shared/crawler-api';
import type { ProgressSnapshot } from '../../../shared/progress';
import type { ConnectionStatus } from '../store/ui-slice';
import {
  MAX_CLIENT_MESSAGE_BYTES,
  UI_SOCKET_PATH,
  type ServerMessage,
  type WireError,
} from '../../../shared/ui-protocol';

/** An error the host reported; `name` is `UserError` for problems the user can fix. */
export class HostError extends Error {
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
  }
}

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000];
const LOST_IN_FLIGHT = 'The connection to the Trawl host was lost before it answered.';
const NOT_CONNECTED = 'Not connected to the Trawl host (reconnecting…): nothing was sent.';
const REFUSED =
  'The Trawl host was restarted and no longer accepts this page: open the URL that ' +
  'trawl serve printed. Nothing was sent.';

/** Whether the host answers this page's origin with 401: it does not know the page's token. */
async function refusesThisPage(socketUrl: string): Promise<boolean> {
  try {
    const page = new URL('/', socketUrl.replace(/^ws/, 'http'));
    return (await fetch(page, { method: 'HEAD', credentials: 'same-origin' })).status === 401;
  } catch {
    return false; // not answering at all: down, not refusing
  }
}
const encoder = new TextEncoder();
const megabytes = (bytes: number) => Math.ceil(bytes / 1048576);

/**
 * `CrawlerApi` over the `trawl serve` WebSocket, for a page opened in a
 * browser (no preload, no `window.trawl`). The socket authenticates with the
 * cookie the host set when the page was opened with its token. Requests made
 * while the page first connects wait for the socket. A lost connection fails
 * the requests in flight and waiting, and those made until it is back: sent
 * later, a start or a delete the page had reported as failed would still
 * happen. It reconnects with backoff, and says when the host refuses the
 * page (restarted with a new token).
 */
export function createWebSocketApi(
  url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${UI_SOCKET_PATH}`,
): { api: CrawlerApi; onStatus(listener: (status: ConnectionStatus) => void): () => void } {
  const progressListeners = new Set<(snapshot: ProgressSnapshot) => void>();
  const exportListeners = new Set<(update: ExportUpdate) => void>();
  const jobsListeners = new Set<() => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const inFlight = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const outbox: string[] = [];
  let socket: WebSocket;
  let nextSeq = 1;
  let failures = 0;
  let connectedOnce = false;
  /** The host answered this page with 401: it was restarted with a new token. */
  let refused = false;

  const setStatus = (status: ConnectionStatus) => {
    for (const listener of statusListeners) listener(status);
  };

  const connect = () => {
    setStatus('connecting');
    socket = new WebSocket(url);
    let opened = false;
    socket.onopen = () => {
      opened = true;
      failures = 0;
      connectedOnce = true;
      refused = false;
      setStatus('open');
      for (const frame of outbox.splice(0)) socket.send(frame);
    };
    socket.onmessage = (event: MessageEvent<string>) => receive(JSON.parse(event.data));
    socket.onclose = () => {
      setStatus(refused ? 'refused' : 'closed');
      for (const request of inFlight.values()) request.reject(new Error(LOST_IN_FLIGHT));
      inFlight.clear();
      outbox.length = 0; // their requests were in flight too, waiting
      // A handshake that failed: the host may be down, or up with a new token.
      if (!opened) {
        void refusesThisPage(url).then((answer) => {
          refused = answer;
          if (refused && socket.readyState !== WebSocket.OPEN) setStatus('refused');
        });
      }
      const delay = RECONNECT_DELAYS_MS[Math.min(failures++, RECONNECT_DELAYS_MS.length - 1)];
      setTimeout(connect, delay);
    };
  };

  const receive = (message: ServerMessage) => {
    if (message.type === 'progress') {
      for (const listener of progressListeners) listener(message.snapshot);
      return;
    }
    if (message.type === 'export-progress') {
      for (const listener of exportListeners) listener(message.update);
      return;
    }
    if (message.type === 'jobs-changed') {
      for (const listener of jobsListeners) listener();
      return;
    }
    const request = inFlight.get(message.seq);
    if (request === undefined) return;
    inFlight.delete(message.seq);
    if (message.ok) request.resolve(message.value);
    else request.reject(new HostError(message.error));
  };

  const call = (method: CrawlerRequestMethod, args: unknown[]) =>
    new Promise<unknown>((resolve, reject) => {
      const seq = nextSeq++;
      const frame = JSON.stringify({ type: 'request', seq, method, args });
      // The host would close the socket on a larger frame; say why here instead.
      const size = encoder.encode(frame).length;
      if (size > MAX_CLIENT_MESSAGE_BYTES) {
        reject(
          new HostError({
            name: 'UserError',
            message:
              `this request is ${megabytes(size)} MB; the host takes at most ` +
              `${megabytes(MAX_CLIENT_MESSAGE_BYTES)} MB at once: split the URL list into several crawls`,
          }),
        );
        return;
      }
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
      else if (refused) return reject(new Error(REFUSED));
      else if (connectedOnce) return reject(new Error(NOT_CONNECTED));
      else outbox.push(frame);
      inFlight.set(seq, { resolve, reject });
    });

  connect();

  const api: CrawlerApi = {
    ...bindRequests(call),
    onProgress(listener) {
      progressListeners.add(listener);
      return () => progressListeners.delete(listener);
    },
    onExportProgress(listener) {
      exportListeners.add(listener);
      return () => exportListeners.delete(listener);
    },
    onJobsChanged(listener) {
      jobsListeners.add(listener);
      return () => jobsListeners.delete(listener);
    },
    // A browser has no native menu: the page's own controls do the same.
    onMenuCommand: () => () => undefined,
  };
  return {
    api,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}
