import { openDatabase, type Db } from '../../electron/engine/store/database';
import { FrontierStore, type ResultBatch } from '../../electron/engine/store-writer/frontier-store';
import { URL_STATE } from '../../electron/engine/store/url-state';
import { JobStore } from '../../electron/engine/store/job-store';
import { jobSettingsSchema, type JobSettingsInput } from '../../shared/job-settings';
import { outlinkColumns } from '../../shared/outlinks';
import type { FetchedPage } from '../../shared/worker-protocol';

/** A fetched HTML page as a worker reports it, with the given fields changed. */
export function fetchedPage(url: string, fields: Partial<FetchedPage> = {}): FetchedPage {
  return {
    taskId: 0,
    ok: true,
    finalUrl: url,
    status: 200,
    redirects: [],
    contentType: 'text/html; charset=utf-8',
    charset: 'utf-8',
    bytes: 1000,
    wireBytes: 400,
    ttfbMs: 5,
    responseMs: 10,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    title: `Title of ${url}`,
    metaDescription: `About ${url}`,
    metaRobots: null,
    xRobotsTag: null,
    canonical: null,
    metaRefresh: null,
    h1: 'Heading',
    h1Count: 1,
    h2Count: 0,
    hreflang: [],
    lang: 'en',
    wordCount: 100,
    contentHash: `hash-${url}`,
    imagesWithoutAlt: 0,
    outlinks: outlinkColumns([]),
    links: [],
    linkCount: 0,
    extracted: {},
    attempts: 1,
    retryReasons: [],
    fetchedAt: Date.UTC(2026, 0, 1),
    ...fields,
  };
}

const WRITE_BATCH = 512;

/** What became of one URL; `depth` defaults to 0 (a start URL). */
export type UrlOutcome = { url: string; depth?: number } & (
  | { page: Partial<FetchedPage> }
  | { failed: string }
  /** `true`: by a rule; a text: the error recorded, as for a host whose robots.txt was unavailable. */
  | { blocked: true | string }
);

/**
 * Stores a job through the real store code (JobStore, FrontierStore,
 * PageWriter): every outcome's URL is seeded, leased and written as the
 * crawl's writer thread would.
 */
export function storeJob(
  db: Db,
  outcomes: readonly UrlOutcome[],
  settings: Partial<JobSettingsInput> = {},
): number {
  const job = new JobStore(db).create(
    jobSettingsSchema.parse({
      startUrls: [outcomes[0]?.url ?? 'http://127.0.0.1/'],
      workers: 1,
      ...settings,
    }),
  );
  const frontier = new FrontierStore(db, job.id, { maxDepth: null, robotsAgent: 'Trawl' });
  const byUrl = new Map(outcomes.map((outcome) => [outcome.url, outcome]));
  frontier.seed(outcomes.map((outcome) => outcome.url));
  const setDepth = db.prepare('UPDATE frontier SET depth = ? WHERE job_id = ? AND url = ?');
  for (const { url, depth } of outcomes) if (depth) setDepth.run(depth, job.id, url);
  // In batches, as the writer thread writes them: a transaction per page made 50,000 take 25 s.
  const tasks = frontier.lease(outcomes.length);
  for (let at = 0; at < tasks.length; at += WRITE_BATCH) {
    const batch: ResultBatch = { pages: [], failures: [] };
    for (const task of tasks.slice(at, at + WRITE_BATCH)) {
      const outcome = byUrl.get(task.url)!;
      if ('page' in outcome) {
        batch.pages.push({ task, page: fetchedPage(task.url, outcome.page), workerPid: 4242 });
      } else {
        batch.failures.push(
          'failed' in outcome
            ? { task, error: outcome.failed, state: URL_STATE.failed, attempts: 3, redirects: [] }
            : {
                task,
                error: outcome.blocked === true ? 'blocked by robots.txt' : outcome.blocked,
                state: URL_STATE.blocked,
                attempts: null,
                redirects: [],
              },
        );
      }
    }
    frontier.write(batch);
  }
  new JobStore(db).markEnded(job.id, 'finished', 0);
  return job.id;
}

/**
 * A finished job of `pages` pages on 127.0.0.1:9 with `links` links each,
 * written in batches as the crawl's writer thread writes them.
 */
export function storeLargeJob(db: Db, pages: number, links: number): number {
  const site = 'http://127.0.0.1:9';
  const jobs = new JobStore(db);
  const { id } = jobs.create(jobSettingsSchema.parse({ startUrls: [`${site}/p/0`], workers: 1 }));
  const frontier = new FrontierStore(db, id, { maxDepth: null, robotsAgent: 'Trawl' });
  frontier.seed(Array.from({ length: pages }, (_, i) => `${site}/p/${i}`));
  for (let tasks = frontier.lease(512); tasks.length > 0; tasks = frontier.lease(512)) {
    frontier.write({
      pages: tasks.map((task, n) => {
        const outlinks = outlinkColumns(
          Array.from({ length: links }, (_, k) => ({
            url: `${site}/p/${(n * 7 + k * 13) % pages}`,
            text: `link ${k}`,
            rel: null,
            internal: true,
          })),
        );
        return {
          task,
          page: fetchedPage(task.url, { outlinks, linkCount: links }),
          workerPid: 4242,
        };
      }),
      failures: [],
    });
  }
  jobs.markEnded(id, 'finished', 0);
  return id;
}

/**
 * A database file holding a large job (10,000 pages, 10 links each) and a
 * one-page job, as the tests of deleting jobs start from.
 */
export function fileWithLargeAndSmallJob(file: string): { large: number; small: number } {
  const db = openDatabase(file);
  try {
    const large = storeLargeJob(db, 10_000, 10);
    const small = storeJob(db, [{ url: 'http://127.0.0.1:9/', page: {} }]);
    return { large, small };
  } finally {
    db.close();
  }
}
