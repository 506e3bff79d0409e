import { describe, expect, it } from 'vitest';
import { JobStore } from '../../electron/engine/store/job-store';
import { URL_STATE } from '../../electron/engine/store/url-state';
import { FrontierStore } from '../../electron/engine/store-writer/frontier-store';
import { jobSettingsSchema } from '../../shared/job-settings';
import { DEFAULT_URL_RULES } from '../../shared/url-normalize';
import { outlinkColumns } from '../../shared/outlinks';
import type { CrawlTask, FetchedPage } from '../../shared/worker-protocol';
import { databasePerTest } from '../helpers/temp-db';
import { fetchedPage } from '../results/stored-job';

const O = 'http://127.0.0.1:9';
const env = databasePerTest('shortest.sqlite');

/**
 * A job whose start URLs are / and /late: / leads by /a and /b to /p, /n, /r and
 * /f (depth 3). /p's robots meta says nofollow, so its link to /n was not
 * followed; /r redirected to /t?utm_source=mail (/t with tracking stripped,
 * stored at depth 4); /f failed. Then /late links /p, /r and /f: depth 1.
 */
function crawlWithLateShortcut(options: Partial<ConstructorParameters<typeof FrontierStore>[2]>) {
  const jobId = new JobStore(env.db).create(
    jobSettingsSchema.parse({ startUrls: [`${O}/`], workers: 1 }),
  ).id;
  const store = new FrontierStore(env.db, jobId, {
    maxDepth: null,
    robotsAgent: 'Trawl',
    ...options,
  });
  store.seed([`${O}/`, `${O}/late`]);
  const leased = new Map<string, CrawlTask>();
  const write = (path: string, fields: Partial<FetchedPage>, storeTarget = false) => {
    for (const task of store.lease(100)) leased.set(task.url, task);
    const task = leased.get(O + path)!;
    store.write({
      pages: [{ task, workerPid: 1, page: fetchedPage(task.url, fields), storeTarget }],
      failures: [],
    });
  };
  const links = (...paths: string[]) => ({
    links: paths.map((path) => O + path),
    outlinks: outlinkColumns(
      paths.map((path) => ({ url: O + path, text: path, rel: null, internal: true })),
    ),
  });
  write('/', links('/a'));
  write('/a', links('/b'));
  write('/b', links('/p', '/n', '/r', '/f'));
  write('/p', { ...links('/n'), links: [], metaRobots: 'nofollow' });
  const moved = `${O}/t?utm_source=mail`;
  write(
    '/r',
    {
      status: 301,
      finalUrl: moved,
      redirects: [{ url: `${O}/r`, status: 301, location: moved }],
      links: [`${O}/t`],
      target: {
        url: `${O}/t`,
        outlinks: outlinkColumns([]),
        links: [],
        linkCount: 0,
        metaRefresh: null,
        extracted: {},
      },
    },
    true,
  );
  const failed = leased.get(`${O}/f`)!;
  store.write({
    pages: [],
    failures: [
      { task: failed, error: 'ECONNRESET', state: URL_STATE.failed, attempts: 3, redirects: [] },
    ],
  });
  write('/late', links('/p', '/r', '/f'));
  return env.db
    .prepare(
      `SELECT substr(f.url, ${O.length + 1}) AS url, f.depth, p.depth AS pageDepth
       FROM frontier f LEFT JOIN pages p ON p.frontier_id = f.id
       WHERE f.job_id = ? AND f.url IN (?, ?, ?, ?, ?) ORDER BY f.url`,
    )
    .all(jobId, ...['/f', '/n', '/p', '/r', '/t'].map((path) => O + path));
}

const rules = { ...DEFAULT_URL_RULES, stripTrackingParams: true };

describe('a shorter path to a URL already crawled or failed', () => {
  it("lowers it and what it followed: not a nofollow page's links, where its redirect went by the job's URL rules", () => {
    expect(crawlWithLateShortcut({ urls: rules })).toEqual([
      { url: '/f', depth: 1, pageDepth: null },
      // Linked by /p, whose links were not followed: it keeps the depth of /b's link.
      { url: '/n', depth: 3, pageDepth: null },
      { url: '/p', depth: 1, pageDepth: 1 },
      { url: '/r', depth: 1, pageDepth: 1 },
      { url: '/t', depth: 2, pageDepth: 2 },
    ]);
  });

  it("follows a nofollow page's links when the job does not honour nofollow", () => {
    const rows = crawlWithLateShortcut({ urls: rules, honourNofollow: false });
    expect(rows.find((row) => (row as { url: string }).url === '/n')).toEqual({
      url: '/n',
      depth: 2,
      pageDepth: null,
    });
  });
});
