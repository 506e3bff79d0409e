import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ResultsRequestMethod, ResultsRequests } from '../../../shared/results';
import type { Logger, LogLevel } from '../logger';
import { UserError } from '../user-error';

export interface ThreadRequest {
  id: number;
  method: string;
  args: unknown[];
}

export type ThreadReply =
  | { type: 'ready' }
  | { type: 'log'; level: LogLevel; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string } };

/**
 * Where the thread's code comes from: a bundle named in
 * TRAWL_RESULTS_THREAD_MODULE (hosts that bundle), else the TypeScript entry
 * loaded through tsx (tests and the bench).
 */
function startThread(file: string): Worker {
  const bundled = process.env.TRAWL_RESULTS_THREAD_MODULE;
  if (bundled) return new Worker(bundled, { workerData: { file } });
  const entry = pathToFileURL(fileURLToPath(new URL('./results-thread.ts', import.meta.url))).href;
  // require.resolve finds the CommonJS build; its ES module sibling registers the ESM hooks.
  const tsxApi = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(tsxApi).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: { file } });
}

/**
 * The host's side of the results thread: each method posts a numbered
 * request and resolves with the matching reply. Errors keep their message;
 * a UserError stays a UserError.
 */
export class ResultsClient implements ResultsRequests {
  private readonly thread: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(file: string, log: Logger) {
    this.thread = startThread(file);
    this.thread.on('message', (reply: ThreadReply) => {
      if (reply.type === 'log') log(reply.level, reply.message);
      if (reply.type !== 'result') return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if (reply.ok) waiting.resolve(reply.value);
      else {
        const { name, message } = reply.error;
        waiting.reject(name === 'UserError' ? new UserError(message) : new Error(message));
      }
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    this.thread.on('error', (error) => fail(new Error(`results thread failed: ${error.message}`)));
    this.thread.on('exit', () => fail(this.failure ?? new Error('results thread has stopped')));
  }

  /** Any method by name, with arguments as they arrived (the thread validates them). */
  call(method: string, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ id, method, args } satisfies ThreadRequest);
    });
  }

  /** A typed method that forwards to the thread. */
  private forward<K extends ResultsRequestMethod>(name: K): ResultsRequests[K] {
    return ((...args: unknown[]) => this.call(name, args)) as ResultsRequests[K];
  }

  queryPages = this.forward('queryPages');
  pageDetail = this.forward('pageDetail');
  queryLinks = this.forward('queryLinks');
  runReport = this.forward('runReport');
  compareJobs = this.forward('compareJobs');
  renameJob = this.forward('renameJob');
  deleteJob = this.forward('deleteJob');

  async close(): Promise<void> {
    await this.thread.terminate();
  }
}
