import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/database';
import { serveRequests, threadLogger } from '../thread-rpc';
import { QueryService } from './query-service';

/**
 * Worker-thread entry: answers results requests over its own SQLite
 * connection (WAL: reads never wait for the crawl's writes), off the host's
 * main event loop.
 */
const { file } = workerData as { file: string };
const port = parentPort!;
const service = new QueryService(openDatabase(file, { mustExist: true }), threadLogger(port));
serveRequests(port, (method, args) => service.call(method, args));
