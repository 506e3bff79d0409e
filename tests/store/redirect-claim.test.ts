import { describe, expect, it } from 'vitest';
import { JobStore } from '../../electron/engine/store/job-store';
import { URL_STATE } from '../../electron/engine/store/url-state';
import { FrontierStore } from '../../electron/engine/store-writer/frontier-store';
import { jobSettingsSchema } from '../../shared/job-settings';
import { outlinkColumns } from '../../shared/outlinks';
import type { CrawlTask, FetchedPage } from '../../shared/worker-protocol';
import { databasePerTest } from '../helpers/temp-db';
import { fetchedPage } from '../results/stored-job';

const O = 'http://127.0.0.1:9';
const env = databasePerTest('claim.sqlite');

/** `task` answered with a 301 to `to`, whose page (title "Via redirect") main allows a row. */
const redirected = (task: CrawlTask, to: string) => ({
  task,
  workerPid: 1,
  storeTarget: true,
  page: fetchedPage(task.url, {
    status: 301,
    finalUrl: to,
    title: 'Via redirect',
    redirects: [{ url: task.url, status: 301, location: to }],
    links: [to],
    target: {
      url: to,
      outlinks: outlinkColumns([]),
      links: [],
      linkCount: 0,
      metaRefresh: null,
      extracted: {},
    },
  } satisfies Partial<FetchedPage>),
});

const newJob = () =>
  new JobStore(env.db).create(jobSettingsSchema.parse({ startUrls: [`${O}/`], workers: 1 })).id;

/** The job's frontier rows at `depth`, in order, with the title of each one's page. */
const rowsAt = (jobId: number, depth: number) =>
  env.db
    .prepare(
      `SELECT substr(f.url, ${O.length + 1}) AS url, f.state, f.found_on AS foundOn, p.title
       FROM frontier f LEFT JOIN pages p ON p.frontier_id = f.id
       WHERE f.job_id = ? AND f.depth = ? ORDER BY f.id`,
    )
    .all(jobId, depth);

describe('the writer, given a redirect whose target is in the frontier', () => {
  it('claims a queued target and leaves a leased or done one as it is', () => {
    const jobId = newJob();
    const store = new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' });
    store.seed([`${O}/`]);
    const [home] = store.lease(1);
    const paths = ['/r1', '/r2', '/r3', '/done', '/leased', '/queued'];
    store.write({
      pages: [
        {
          task: home!,
          workerPid: 1,
          page: fetchedPage(home!.url, { links: paths.map((p) => O + p) }),
        },
      ],
      failures: [],
    });
    // All but /queued leased; /done crawled on its own.
    const [r1, r2, r3, done] = store.lease(5);
    store.write({
      pages: [{ task: done!, workerPid: 1, page: fetchedPage(done!.url) }],
      failures: [],
    });

    const outcome = store.write({
      pages: [
        redirected(r1!, `${O}/queued`),
        redirected(r2!, `${O}/leased`),
        redirected(r3!, `${O}/done`),
      ],
      failures: [],
    });
    expect(outcome).toEqual({ queued: 0, claimed: 1, targets: [0] });
    const row = (url: string, state: number, title: string | null) => ({
      url,
      state,
      foundOn: home!.id,
      title,
    });
    expect(rowsAt(jobId, 1)).toEqual([
      row('/r1', URL_STATE.done, 'Via redirect'),
      row('/r2', URL_STATE.done, 'Via redirect'),
      row('/r3', URL_STATE.done, 'Via redirect'),
      // Its own fetch, not overwritten by the redirect's.
      row('/done', URL_STATE.done, `Title of ${O}/done`),
      // Main holds its lease (a worker may be fetching it): its result will be its row.
      row('/leased', URL_STATE.leased, null),
      // Linked by home, one level up: it keeps that depth and where it was found.
      row('/queued', URL_STATE.done, 'Via redirect'),
    ]);
    expect(env.db.prepare('SELECT pages FROM jobs WHERE id = ?').pluck().get(jobId)).toBe(6);
    // Nothing is left to lease: the claimed URL is no longer queued.
    expect(store.lease(10)).toEqual([]);
  });

  /** Both URLs at depth 0 are done, with the redirect's page. */
  const expectBothFromRedirect = (jobId: number, paths: string[]) =>
    expect(rowsAt(jobId, 0)).toEqual(
      paths.map((url) => ({ url, state: URL_STATE.done, foundOn: null, title: 'Via redirect' })),
    );

  it('in a list crawl, claims a listed URL that another listed one redirects to, at depth 0', () => {
    const jobId = newJob();
    // A list crawl's writer queues nothing below the listed URLs.
    const store = new FrontierStore(env.db, jobId, { maxDepth: 0, robotsAgent: 'Trawl' });
    store.seed([`${O}/a`, `${O}/b`]);
    const [a] = store.lease(1);
    const outcome = store.write({ pages: [redirected(a!, `${O}/b`)], failures: [] });
    expect(outcome).toEqual({ queued: 0, claimed: 1, targets: [0] });
    expectBothFromRedirect(jobId, ['/a', '/b']);
  });

  it('claims a leased target that main has withdrawn, not counted as queued', () => {
    const jobId = newJob();
    const store = new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' });
    store.seed([`${O}/a`, `${O}/a/`]);
    const [a, slash] = store.lease(2);
    const withdrawn = { ...redirected(a!, `${O}/a/`), withdrawnTarget: slash! };
    const outcome = store.write({ pages: [withdrawn], failures: [] });
    expect(outcome).toEqual({ queued: 0, claimed: 0, targets: [0] });
    expectBothFromRedirect(jobId, ['/a', '/a/']);
  });
});
