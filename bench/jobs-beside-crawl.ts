/**
 * Jobs sharing one database file in one process, as in the desktop app.
 *
 * By default: main's event loop while other jobs start and end beside a
 * running crawl. Job A crawls the bench site with 2 workers while main runs
 * small jobs one after another (5 pages, 1 worker, a second apart; each
 * stores its job, claims it and ends it on main's connection). Prints one
 * JSON line: A's pages/s, how many small jobs ran, and main's event-loop
 * delay over A's crawl (p99, p99.9, max), as the desktop's UI would feel it.
 *
 * --two-crawls: two jobs crawl the site at once, 1 worker each, --max-pages
 * each; prints the seconds until both ended and each one's pages/s.
 *
 * The site is served by another process, so that its work is not main's:
 *   npx tsx bench/static-server.ts --port 8080 &
 *   npx tsx bench/jobs-beside-crawl.ts --url http://127.0.0.1:8080/ [--two-crawls]
 *     [--tree /tmp/old] [--max-pages 12000 (8000 with --two-crawls)]
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
const TWO_CRAWLS = process.argv.includes('--two-crawls');
const TREE = resolve(option('tree', '.'));
const MAX_PAGES = positiveInteger('max-pages', TWO_CRAWLS ? '8000' : '12000');
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

/** A crawl of the whole site as the bench crawls it: one local host may take every request. */
const crawl = (service: CrawlService, workers: number) =>
  service.start({ startUrls: [URL], workers, hostConcurrency: 1024, maxPages: MAX_PAGES });

async function smallJobsBesideCrawl(service: CrawlService): Promise<object> {
  const job = await crawl(service, 2);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let crawling = true;
  void job.finished.then(() => (crawling = false));
  let smallJobs = 0;
  while (crawling) {
    await (
      await service.start({ startUrls: [URL], workers: 1, maxPages: 5 })
    ).finished;
    smallJobs++;
    await new Promise((done) => setTimeout(done, 1000));
  }
  delay.disable();
  const summary = await job.finished;
  const ms = (nanoseconds: number) => Math.round(nanoseconds / 1e5) / 10;
  return {
    pages: summary.pages,
    pagesPerSecond: summary.pagesPerSecond,
    smallJobs,
    loopP99Ms: ms(delay.percentile(99)),
    loopP999Ms: ms(delay.percentile(99.9)),
    loopMaxMs: ms(delay.max),
  };
}

async function twoCrawls(service: CrawlService): Promise<object> {
  const started = performance.now();
  const jobs = await Promise.all([crawl(service, 1), crawl(service, 1)]);
  const summaries = await Promise.all(jobs.map((job) => job.finished));
  return {
    seconds: Math.round((performance.now() - started) / 100) / 10,
    pages: summaries.map((summary) => summary.pages),
    pagesPerSecond: summaries.map((summary) => summary.pagesPerSecond),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'trawl-beside-'));
try {
  const db = open(join(dir, 'bench.sqlite'));
  const service = new Service({ db, launcher: new Launcher() });
  const figures = await (TWO_CRAWLS ? twoCrawls(service) : smallJobsBesideCrawl(service));
  console.log(JSON.stringify({ tree: TREE, ...figures }));
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
