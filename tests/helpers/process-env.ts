import type http from 'node:http';
import { afterEach, beforeEach } from 'vitest';
import { startFixtureSite, type FixtureOptions, type FixtureSite } from './fixture-site';
import { listenLocal, type LocalServer } from './local-server';
import { expectNoSurvivors, tagProcesses } from './processes';
import { tempDir } from './temp-db';

export interface ProcessEnv {
  /** The tag on this test's processes: the `trawl` commands it runs, its workers. */
  readonly tag: string;
  /** `crawl.sqlite` in the test's folder, not created. */
  readonly dbFile: string;
  /** A path in the test's folder, which is removed after the test. */
  file(name: string): string;
  /** Starts the fixture site; it is closed after the test. */
  site(options?: FixtureOptions): Promise<FixtureSite>;
  /** Starts an HTTP server on 127.0.0.1; it is closed after the test. */
  listen(handler: http.RequestListener): Promise<LocalServer>;
  /** Registers something to close after the test, before the survivors check. */
  onCleanup(close: () => Promise<void>): void;
}

/**
 * Hooks for a test that starts Trawl's processes (`trawl` commands, crawls
 * with workers): each test gets a process tag and a fresh folder. After it,
 * what it registered to close is closed, then no tagged process may outlive
 * it by more than `survivorsMs`, and the folder is removed.
 */
export function processEnv(options: { survivorsMs?: number } = {}): ProcessEnv {
  let tag = '';
  let temp: ReturnType<typeof tempDir> | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(() => {
    tag = tagProcesses();
    temp = tempDir();
  });

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((close) => close()));
    await expectNoSurvivors(tag, options.survivorsMs);
    temp?.cleanup();
  });

  const closedAfter = <T extends { close(): Promise<void> }>(started: T): T => {
    cleanups.push(() => started.close());
    return started;
  };
  return {
    get tag() {
      return tag;
    },
    get dbFile() {
      return temp!.file('crawl.sqlite');
    },
    file: (name) => temp!.file(name),
    site: async (siteOptions) => closedAfter(await startFixtureSite(siteOptions)),
    listen: async (handler) => closedAfter(await listenLocal(handler)),
    onCleanup: (close) => cleanups.push(close),
  };
}
