import type http from 'node:http';
import { afterEach, beforeEach } from 'vitest';
import { ChildProcessLauncher } from '../../electron/engine/child-process-launcher';
import { CrawlService } from '../../electron/engine/crawl-service';
import { openDatabase, type Db } from '../../electron/engine/store/database';
import { listenLocal } from '../helpers/local-server';
import { expectNoSurvivors, tagProcesses } from '../helpers/processes';
import { tempDir } from '../helpers/temp-db';

export interface EngineEnv {
  /** This test's database, fresh for each test. */
  readonly db: Db;
  /** Log lines of the engine, as "level: message". */
  readonly logs: string[];
  /** The tag on this test's worker processes (tests/helpers/processes.ts). */
  readonly tag: string;
  /** URLs of the job's stored pages, sorted. */
  storedUrls(jobId: number): string[];
  /** A CrawlService on the test's database with real worker processes. */
  service(): CrawlService;
  /** Starts an HTTP server on 127.0.0.1, closed after the test; returns its origin. */
  listen(handler: http.RequestListener): Promise<string>;
  /** Registers something to close after the test (before the survivors check). */
  onCleanup(close: () => Promise<void>): void;
}

/**
 * Hooks for an engine test: a temp database, local servers, and a check
 * after each test that no worker process outlived it.
 */
export function engineEnv(): EngineEnv {
  let db: Db | undefined;
  let tag = '';
  let temp: ReturnType<typeof tempDir> | undefined;
  const logs: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(() => {
    tag = tagProcesses();
    temp = tempDir();
    db = openDatabase(temp.file('trawl.sqlite'));
    logs.length = 0;
  });

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((close) => close()));
    db?.close();
    await expectNoSurvivors(tag);
    temp?.cleanup();
  });

  const env: EngineEnv = {
    get db() {
      return db!;
    },
    logs,
    get tag() {
      return tag;
    },
    storedUrls: (jobId) =>
      (
        db!.prepare('SELECT url FROM pages WHERE job_id = ? ORDER BY url').all(jobId) as {
          url: string;
        }[]
      ).map((row) => row.url),
    service: () =>
      new CrawlService({
        db: db!,
        launcher: new ChildProcessLauncher(),
        logger: (level, message) => logs.push(`${level}: ${message}`),
      }),
    async listen(handler) {
      const server = await listenLocal(handler);
      env.onCleanup(server.close);
      return server.origin;
    },
    onCleanup: (close) => cleanups.push(close),
  };
  return env;
}
