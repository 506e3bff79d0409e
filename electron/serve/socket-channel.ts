import type { WebSocket, RawData } from 'ws';
import type { HostApi } from '../../shared/crawler-api';
import { describeSchemaError } from '../../shared/job-settings';
import { isJsonText } from '../../shared/json-text';
import type { ProgressSnapshot } from '../../shared/progress';
import { clientMessageSchema, type ServerMessage } from '../../shared/ui-protocol';
import type { Logger } from '../engine/logger';
import { dispatchRequest, toWireError } from './request-dispatch';

/** Above this many unsent bytes a client is slow: progress waits, only the latest is kept. */
const SLOW_CLIENT_BYTES = 1024 * 1024;
const RETRY_SLOW_CLIENT_MS = 250;

/**
 * One browser tab's WebSocket: requests in, responses, progress and word
 * that the jobs changed out.
 * Progress is latest-wins per job, so a slow tab never makes the host
 * buffer more than one snapshot per job for it.
 */
export function attachSocket(socket: WebSocket, api: HostApi, logger: Logger): void {
  const pending = new Map<number, ProgressSnapshot>();
  let retryTimer: NodeJS.Timeout | null = null;

  const send = (message: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  /**
   * A request's answer. One that came as JSON text is sent as it is, inside
   * the frame's JSON, in fragments of one message: main never parses it or
   * builds its text (half a second for a million start URLs).
   */
  const respond = (seq: number, value: unknown) => {
    if (!isJsonText(value)) return send({ type: 'response', seq, ok: true, value: value ?? null });
    if (socket.readyState !== socket.OPEN) return;
    socket.send(`{"type":"response","seq":${seq},"ok":true,"value":`, { fin: false });
    socket.send(value.jsonText, { binary: false, fin: false });
    socket.send('}', { fin: true });
  };

  const flushProgress = () => {
    retryTimer = null;
    if (socket.bufferedAmount > SLOW_CLIENT_BYTES) {
      retryTimer = setTimeout(flushProgress, RETRY_SLOW_CLIENT_MS);
      return;
    }
    for (const snapshot of pending.values()) send({ type: 'progress', snapshot });
    pending.clear();
  };

  const unsubscribe = api.onProgress((snapshot) => {
    pending.set(snapshot.jobId, snapshot);
    if (retryTimer === null) flushProgress();
  });
  // At most one update per 1,000 rows exported: sent as they come.
  const unsubscribeExports = api.onExportProgress((update) =>
    send({ type: 'export-progress', update }),
  );
  const unsubscribeJobs = api.onJobsChanged(() => send({ type: 'jobs-changed' }));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    void handleMessage(data, isBinary);
  });
  socket.on('close', () => {
    unsubscribe();
    unsubscribeExports();
    unsubscribeJobs();
    if (retryTimer !== null) clearTimeout(retryTimer);
  });
  socket.on('error', (error) => logger('warn', `UI connection: ${error.message}`));

  async function handleMessage(data: RawData, isBinary: boolean): Promise<void> {
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      raw = JSON.parse(data.toString());
    } catch {
      socket.close(1003, 'expected a JSON text frame');
      return;
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      socket.close(1008, `bad message: ${describeSchemaError(parsed.error)}`.slice(0, 120));
      return;
    }
    const { seq, method, args } = parsed.data;
    try {
      respond(seq, await dispatchRequest(api, method, args));
    } catch (error) {
      if ((error as Error).name !== 'UserError') {
        logger('error', `${method} failed: ${(error as Error).stack ?? String(error)}`);
      }
      send({ type: 'response', seq, ok: false, error: toWireError(error) });
    }
  }
}
