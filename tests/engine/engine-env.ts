import type http from 'node:http';
import { beforeEach } from 'vitest';
import { ChildProcessLauncher } from '../../electron/engine/child-process-launcher';
import { CrawlService } from '../../electron/engine/crawl-service';
import { openDatabase, type Db } from '../../electron/engine/store/database';
import { processEnv, type ProcessEnv } from '../helpers/process-env';

export interface EngineEnv extends Omit<ProcessEnv, 'listen'> {
  /** This test's database (`dbFile`), fresh for each test. */
  readonly db: Db;
  /** Log lines of the engine, as "level: message". */
  readonly logs: string[];
  /** URLs of the job's stored pages, sorted. */
  storedUrls(jobId: number): string[];
  /** A CrawlService on the test's database with real worker processes (started by `launcher`). */
  service(launcher?: ChildProcessLauncher): CrawlService;
  /** Starts an HTTP server on 127.0.0.1, closed after the test; returns its origin. */
  listen(handler: http.RequestListener): Promise<string>;
}

/**
 * Hooks for an engine test: processEnv's (tag, folder, servers, survivors
 * check) and a database opened before each test, closed after it.
 */
export function engineEnv(): EngineEnv {
  const base = processEnv();
  let db: Db | undefined;
  const logs: string[] = [];

  beforeEach(() => {
    const opened = openDatabase(base.dbFile);
    db = opened;
    base.onCleanup(async () => {
      opened.close();
    });
    logs.length = 0;
  });

  return {
    get tag() {
      return base.tag;
    },
    get dbFile() {
      return base.dbFile;
    },
    file: base.file,
    site: base.site,
    onCleanup: base.onCleanup,
    get db() {
      return db!;
    },
    logs,
    storedUrls: (jobId) =>
      (
        db!.prepare('SELECT url FROM pages WHERE job_id = ? ORDER BY url').all(jobId) as {
          url: string;
        }[]
      ).map((row) => row.url),
    service: (launcher = new ChildProcessLauncher()) =>
      new CrawlService({
        db: db!,
        launcher,
        logger: (level, message) => logs.push(`${level}: ${message}`),
      }),
    listen: async (handler) => (await base.listen(handler)).origin,
  };
}
