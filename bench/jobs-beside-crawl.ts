/**
 * Main's event loop while other jobs start and end beside a running crawl, as
 * in the desktop app: job A crawls the bench site with 2 workers while main
 * runs small jobs one after another (5 pages, 1 worker, a second apart; each
 * stores its job, claims it and ends it on main's connection). Prints one
 * JSON line: A's pages/s, how many small jobs ran, and main's event-loop
 * delay over A's crawl (p99, p99.9, max), as the desktop's UI would feel it.
 *
 * The site is served by another process, so that its work is not main's:
 *   npx tsx bench/static-server.ts --port 8080 &
 *   npx tsx bench/jobs-beside-crawl.ts --url http://127.0.0.1:8080/ [--tree /tmp/old]
 *     [--max-pages 12000]
 *
 * --tree loads another source tree's engine (a clone of an older commit) for
 * alternating runs; each run starts a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { ChildProcessLauncher } from '../electron/engine/child-process-launcher';
import type { CrawlService } from '../electron/engine/crawl-service';
import type { openDatabase } from '../electron/engine/store/database';
import { option, positiveInteger } from './bench-options';

const URL = option('url', '');
const TREE = resolve(option('tree', '.'));
const MAX_PAGES = positiveInteger('max-pages', '12000');
if (!URL) throw new Error('--url: the bench site, served by bench/static-server.ts');

const load = (path: string) => import(join(TREE, path));
const { ChildProcessLauncher: Launcher } = (await load(
  'electron/engine/child-process-launcher.ts',
)) as { ChildProcessLauncher: typeof ChildProcessLauncher };
const { CrawlService: Service } = (await load('electron/engine/crawl-service.ts')) as {
  CrawlService: typeof CrawlService;
};
const { openDatabase: open } = (await load('electron/engine/store/database.ts')) as {
  openDatabase: typeof openDatabase;
};

const dir = mkdtempSync(join(tmpdir(), 'trawl-beside-'));
try {
  const db = open(join(dir, 'bench.sqlite'));
  const service = new Service({ db, launcher: new Launcher() });
  const crawl = await service.start({
    startUrls: [URL],
    workers: 2,
    hostConcurrency: 1024,
    maxPages: MAX_PAGES,
  });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let crawling = true;
  void crawl.finished.then(() => (crawling = false));
  let smallJobs = 0;
  while (crawling) {
    await (
      await service.start({ startUrls: [URL], workers: 1, maxPages: 5 })
    ).finished;
    smallJobs++;
    await new Promise((done) => setTimeout(done, 1000));
  }
  delay.disable();
  const summary = await crawl.finished;
  const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e5) / 10;
  console.log(
    JSON.stringify({
      tree: TREE,
      pages: summary.pages,
      pagesPerSecond: summary.pagesPerSecond,
      smallJobs,
      loopP99Ms: ms(delay.percentile(99)),
      loopP999Ms: ms(delay.percentile(99.9)),
      loopMaxMs: ms(delay.max),
    }),
  );
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
