import { z } from 'zod';
import { MAX_URL_LENGTH } from './limits';
import type { ExtractionRule } from './extraction';
import type { ScopeSettings } from './scope';

/**
 * The protocol between main and worker processes. Main trusts nothing a
 * worker says: every message is parsed with `workerToMainSchema` where it
 * enters main.
 */

/** What a worker needs to know about the job; sent once after spawn. */
export interface WorkerConfig {
  concurrency: number;
  userAgent: string;
  timeouts: { connectMs: number; firstByteMs: number; totalMs: number };
  retry: { retries: number; baseDelayMs: number; maxDelayMs: number };
  maxBodyBytes: number;
  /** Which links are followed. */
  scope: ScopeSettings;
  honourNofollow: boolean;
  extract: ExtractionRule[];
  /** Extra request headers. */
  headers: Record<string, string>;
  heartbeatMs: number;
}

export interface CrawlTask {
  /** Frontier row id; echoed back in the result. */
  id: number;
  url: string;
  depth: number;
  /** Set when the URL was in flight on a worker that died: it then runs alone. */
  suspect?: boolean;
}

export type MainToWorker =
  | { type: 'configure'; config: WorkerConfig }
  | { type: 'crawl'; tasks: CrawlTask[] }
  /** Finish what is in flight, send the results, then exit. */
  | { type: 'drain' };

const fetchedSchema = z.object({
  taskId: z.number().int(),
  ok: z.literal(true),
  finalUrl: z.string(),
  status: z.number().int(),
  contentType: z.string().nullable(),
  bytes: z.number().int().nonnegative(),
  responseMs: z.number().nonnegative(),
  title: z.string().nullable(),
  /** In-scope links, absolute and normalized, deduplicated within the page. */
  links: z.array(z.string().max(MAX_URL_LENGTH)),
  /** Links seen on the page in total, in scope or not. */
  linkCount: z.number().int().nonnegative(),
  /** Custom extraction values by rule name (HTML pages only). */
  extracted: z.record(z.string(), z.union([z.string(), z.array(z.string()), z.null()])),
  /** Attempts made, 1 when the first one was kept. */
  attempts: z.number().int().min(1),
  /** Why each earlier attempt was retried (`HTTP 503`, `ECONNRESET: …`). */
  retryReasons: z.array(z.string()),
  fetchedAt: z.number(),
});

const failedSchema = z.object({
  taskId: z.number().int(),
  ok: z.literal(false),
  error: z.string(),
  attempts: z.number().int().min(1),
  fetchedAt: z.number(),
});

export const pageResultSchema = z.discriminatedUnion('ok', [fetchedSchema, failedSchema]);
export type PageResult = z.infer<typeof pageResultSchema>;
export type FetchedPage = z.infer<typeof fetchedSchema>;

export const workerToMainSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('results'), results: z.array(pageResultSchema) }),
  z.object({
    type: z.literal('heartbeat'),
    inFlight: z.number().int().nonnegative(),
    rssBytes: z.number().nonnegative(),
    /** Process CPU time (user + system) in microseconds since start. */
    cpuMicros: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string(),
  }),
]);

export type WorkerToMain = z.infer<typeof workerToMainSchema>;
