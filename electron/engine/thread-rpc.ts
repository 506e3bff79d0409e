import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type MessagePort, type ResourceLimits } from 'node:worker_threads';
import { isJsonText } from '../../shared/json-text';
import type { Logger, LogLevel } from './logger';
import { UserError } from './user-error';

/**
 * Numbered requests to a worker thread and its replies: the results thread
 * (queries) and the store writer (a job's writes) both speak it. Both sides
 * are Trawl's own code in one process, so messages are typed, not validated.
 */
interface ThreadRequest {
  id: number;
  method: string;
  args: unknown[];
}

type ThreadReply =
  | { type: 'log'; level: LogLevel; message: string }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string } };

export interface ThreadEntry {
  /** The entry's TypeScript source, resolved against this folder (tests, the bench). */
  source: URL;
  /** The variable naming its bundle, set by hosts that bundle (`trawl`, the desktop app). */
  bundleEnv: string;
  /** V8 heap limits of the thread (node:worker_threads). */
  resourceLimits?: ResourceLimits;
}

/** Starts a thread from its bundle, else from the TypeScript source through tsx. */
function startThread(entry: ThreadEntry, workerData: unknown): Worker {
  const bundled = process.env[entry.bundleEnv];
  const { resourceLimits } = entry;
  if (bundled) return new Worker(bundled, { workerData, resourceLimits });
  const source = pathToFileURL(fileURLToPath(entry.source)).href;
  // require.resolve finds the CommonJS build; its ES module sibling registers the ESM hooks.
  const tsxApi = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(tsxApi).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}

/**
 * The host's side: each call posts a numbered request and resolves with the
 * matching reply, in the order the thread answers. Errors keep their message;
 * a UserError stays a UserError. Once the thread fails or exits, every call
 * waiting and every later one rejects with why.
 */
export class ThreadClient {
  private readonly thread: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(entry: ThreadEntry, workerData: unknown, name: string, log: Logger) {
    this.thread = startThread(entry, workerData);
    this.thread.on('message', (reply: ThreadReply) => {
      if (reply.type === 'log') log(reply.level, reply.message);
      if (reply.type !== 'result') return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!waiting) return;
      if (reply.ok) waiting.resolve(reply.value);
      else {
        const { name: errorName, message } = reply.error;
        waiting.reject(errorName === 'UserError' ? new UserError(message) : new Error(message));
      }
    });
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const waiting of this.pending.values()) waiting.reject(this.failure);
      this.pending.clear();
    };
    this.thread.on('error', (error) => fail(new Error(`${name} failed: ${error.message}`)));
    this.thread.on('exit', () => fail(new Error(`${name} has stopped`)));
  }

  /** Any method by name; the thread checks the name and the arguments. */
  call(method: string, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread.postMessage({ id, method, args } satisfies ThreadRequest);
    });
  }

  async close(): Promise<void> {
    await this.thread.terminate();
  }
}

/**
 * The thread's side: answers each request with `call`, one at a time in
 * arrival order, so a reply never overtakes an earlier request's effects.
 */
export function serveRequests(
  port: MessagePort,
  call: (method: string, args: unknown[]) => unknown,
): void {
  port.on('message', async (request: ThreadRequest) => {
    let reply: ThreadReply;
    try {
      // A call may answer later (a job deletion): requests that come meanwhile
      // are served, unless `call` waits for them itself (oneAtATime).
      reply = {
        type: 'result',
        id: request.id,
        ok: true,
        value: await call(request.method, request.args),
      };
    } catch (error) {
      const { name, message } = error as Error;
      reply = { type: 'result', id: request.id, ok: false, error: { name, message } };
    }
    // An answer's JSON text is moved to the host, not copied (54 MB for a long list).
    const moved =
      reply.ok && isJsonText(reply.value) ? [reply.value.jsonText.buffer as ArrayBuffer] : [];
    port.postMessage(reply, moved);
  });
}

/**
 * `call` with each request started only when the one before it has
 * answered, for a thread whose callers rely on its requests taking effect
 * in the order they were made even when one of them waits (the store
 * writer: a lease sees every seeding transaction asked for before it).
 */
export function oneAtATime(
  call: (method: string, args: unknown[]) => unknown,
): (method: string, args: unknown[]) => Promise<unknown> {
  let previous: Promise<unknown> = Promise.resolve();
  return (method, args) => {
    const result = previous.then(() => call(method, args));
    previous = result.catch(() => undefined);
    return result;
  };
}

/** A Logger for code running in a thread: lines go to the host's logger. */
export function threadLogger(port: MessagePort): Logger {
  return (level, message) =>
    port.postMessage({ type: 'log', level, message } satisfies ThreadReply);
}
