import type { ScopeSettings } from '../../../shared/scope';
import type { UrlRules } from '../../../shared/url-normalize';
import type { Logger } from '../logger';
import type { Db } from '../store/database';
import { ThreadClient } from '../thread-rpc';
import { UserError } from '../user-error';
import type { FrontierStore } from './frontier-store';

/** What the writer thread is started with. */
export interface StoreWriterData {
  file: string;
  jobId: number;
  maxDepth: number | null;
  robotsAgent: string;
  scope: ScopeSettings;
  recordExternal: boolean;
  /** Which links a stored page followed (FrontierStoreOptions). */
  urls: UrlRules;
  honourNofollow: boolean;
}

type WriteMethods = Pick<
  FrontierStore,
  | 'seedStartUrls'
  | 'seedFromSitemap'
  | 'hasUrls'
  | 'lease'
  | 'write'
  | 'addDeaths'
  | 'release'
  | 'requeueUnavailable'
  | 'uncheckedExternal'
  | 'recordCheck'
>;
export type StoreWriterMethod = keyof WriteMethods | 'close';
type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * Main's side of a job's writer thread (store-writer-thread.ts), which owns
 * the job's only write connection: SQLite's work on results (the bulk of a
 * crawl's cost in main) runs there, off main's event loop. Requests are
 * answered in the order they were made. A failed write (disk full, a
 * read-only file) rejects, and so does everything after it: the job stops,
 * and what was committed before stays.
 */
export class StoreWriter implements Async<WriteMethods> {
  private readonly thread: ThreadClient;

  constructor(db: Db, data: Omit<StoreWriterData, 'file'>, log: Logger) {
    if (db.memory) throw new UserError('a crawl needs a database file, not an in-memory database');
    this.thread = new ThreadClient(
      {
        source: new URL('./store-writer-thread.ts', import.meta.url),
        bundleEnv: 'TRAWL_STORE_WRITER_MODULE',
        // Its garbage is short-lived batches: a 12 MB young generation instead of the
        // default keeps main about 20 MB smaller, at no measured cost (bench/RESULTS.md).
        resourceLimits: { maxYoungGenerationSizeMb: 12 },
      },
      { ...data, file: db.name } satisfies StoreWriterData,
      'store writer',
      log,
    );
  }

  private forward<K extends keyof WriteMethods>(name: K): Async<WriteMethods>[K] {
    return ((...args: unknown[]) => this.thread.call(name, args)) as Async<WriteMethods>[K];
  }

  seedStartUrls = this.forward('seedStartUrls');
  seedFromSitemap = this.forward('seedFromSitemap');
  hasUrls = this.forward('hasUrls');
  lease = this.forward('lease');
  write = this.forward('write');
  addDeaths = this.forward('addDeaths');
  release = this.forward('release');
  requeueUnavailable = this.forward('requeueUnavailable');
  uncheckedExternal = this.forward('uncheckedExternal');
  recordCheck = this.forward('recordCheck');

  /** Closes the connection (checkpointing the WAL), then the thread. */
  async close(): Promise<void> {
    try {
      await this.thread.call('close', []);
    } finally {
      await this.thread.close();
    }
  }
}
