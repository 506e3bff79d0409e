import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database';
import { QueryService } from './query-service';
import type { ThreadReply, ThreadRequest } from './results-client';

/**
 * Worker-thread entry: answers results requests over its own SQLite
 * connection (WAL: reads never wait for the crawl's writes), off the host's
 * main event loop.
 */
const { file } = workerData as { file: string };
const port = parentPort!;
const db = openDatabase(file, { mustExist: true });
const service = new QueryService(db, (level, message) =>
  port.postMessage({ type: 'log', level, message } satisfies ThreadReply),
);

port.on('message', (request: ThreadRequest) => {
  let reply: ThreadReply;
  try {
    reply = {
      type: 'result',
      id: request.id,
      ok: true,
      value: service.call(request.method, request.args),
    };
  } catch (error) {
    const { name, message } = error as Error;
    reply = { type: 'result', id: request.id, ok: false, error: { name, message } };
  }
  port.postMessage(reply);
});
port.postMessage({ type: 'ready' } satisfies ThreadReply);
