import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareJobs } from '../../electron/engine/results/compare-jobs';
import { iterateReport, runReport } from '../../electron/engine/results/reports';
import { pageDetail, queryLinks } from '../../electron/engine/results/page-detail';
import { REPORT_NAMES, type ReportName } from '../../shared/results';
import { outlinkColumns, type Outlink } from '../../shared/outlinks';
import { databasePerTest } from '../helpers/temp-db';
import { storeJob } from './stored-job';

const env = databasePerTest('reports.sqlite');

const O = 'http://127.0.0.1:9';
const link = (url: string, text = 'a link', internal = true): Outlink => ({
  url,
  text,
  rel: null,
  internal,
});

/** A small site with one of everything the reports look for. */
function storeSite(): number {
  const jobId = storeJob(env.db, [
    {
      url: `${O}/`,
      page: {
        title: 'Home',
        outlinks: outlinkColumns([
          link(`${O}/gone`, 'gone'),
          link(`${O}/dead`),
          link(`${O}/a`),
          link('https://x.invalid/', 'ext', false),
        ]),
      },
    },
    {
      url: `${O}/a`,
      depth: 1,
      page: {
        title: 'Same',
        contentHash: 'h',
        h1Count: 0,
        outlinks: outlinkColumns([link(`${O}/gone`, 'again')]),
      },
    },
    {
      url: `${O}/b`,
      depth: 1,
      page: {
        title: 'Same',
        contentHash: 'h',
        metaDescription: null,
        h1Count: 3,
        responseMs: 900,
        bytes: 99_000,
      },
    },
    { url: `${O}/c`, depth: 2, page: { title: null, metaRobots: 'noindex' } },
    {
      url: `${O}/gone`,
      depth: 1,
      page: { status: 404, title: 'Not found', contentType: 'text/html' },
    },
    { url: `${O}/dead`, depth: 1, failed: 'ECONNREFUSED: connection refused' },
    { url: `${O}/private`, depth: 1, blocked: true },
    {
      url: `${O}/old`,
      depth: 1,
      // A URL that redirected holds where it ended: its target's fields.
      page: {
        title: 'Same',
        contentHash: 'h',
        finalUrl: `${O}/a`,
        redirects: [
          { url: `${O}/old`, status: 301, location: '/older' },
          { url: `${O}/older`, status: 302, location: '/a' },
        ],
      },
    },
  ]);
  env.db.prepare('UPDATE frontier SET in_sitemap = 1 WHERE url IN (?, ?)').run(`${O}/a`, `${O}/c`);
  env.db
    .prepare(
      "INSERT INTO external_urls (job_id, url, status, checked_at) VALUES (?, 'https://x.invalid/', 503, 1700000000123)",
    )
    .run(jobId);
  return jobId;
}

const report = (jobId: number, name: ReportName) => [...iterateReport(env.db, jobId, name).rows];

describe('reports', () => {
  it('counts a redirect out of the scope, not followed, as a chain of one hop', () => {
    const jobId = storeJob(env.db, [
      {
        url: `${O}/out`,
        page: {
          status: 301,
          headers: { location: 'https://elsewhere.invalid/' },
          contentType: null,
        },
      },
      {
        url: `${O}/moved`,
        page: {
          finalUrl: `${O}/a`,
          redirects: [{ url: `${O}/moved`, status: 308, location: '/a' }],
        },
      },
    ]);
    expect(report(jobId, 'redirect-chains')).toEqual([
      {
        url: `${O}/moved`,
        hops: 1,
        chain: `308 ${O}/moved`,
        finalUrl: `${O}/a`,
        finalStatus: 200,
        error: null,
        loop: 0,
      },
      {
        url: `${O}/out`,
        hops: 1,
        chain: `301 ${O}/out`,
        finalUrl: 'https://elsewhere.invalid/',
        finalStatus: null,
        error: 'not followed: outside the scope, its patterns or the URL-trap limits',
        loop: 0,
      },
    ]);
  });

  it('answers each report from stored rows', () => {
    const jobId = storeSite();
    const paths = (rows: Record<string, unknown>[], key = 'url') =>
      rows.map((row) => String(row[key]).replace(O, ''));

    const broken = report(jobId, 'broken-links');
    expect(broken.map((r) => [r.url, r.status, r.linkedFrom, r.anchor])).toEqual([
      [`${O}/dead`, null, `${O}/`, 'a link'],
      [`${O}/gone`, 404, `${O}/`, 'gone'],
      [`${O}/gone`, 404, `${O}/a`, 'again'],
      ['https://x.invalid/', 503, `${O}/`, 'ext'],
    ]);
    expect(report(jobId, 'redirect-chains')).toEqual([
      {
        url: `${O}/old`,
        hops: 2,
        chain: `301 ${O}/old -> 302 ${O}/older`,
        finalUrl: `${O}/a`,
        finalStatus: 200,
        error: null,
        loop: 0,
      },
    ]);
    // The redirect is not a page of its own, nor a duplicate of its target.
    expect(paths(report(jobId, 'duplicate-titles'))).toEqual(['/a', '/b']);
    expect(paths(report(jobId, 'duplicate-content'))).toEqual(['/a', '/b']);
    expect(paths(report(jobId, 'missing-titles'))).toEqual(['/c']);
    expect(paths(report(jobId, 'missing-descriptions'))).toEqual(['/b']);
    expect(paths(report(jobId, 'missing-h1'))).toEqual(['/a']);
    expect(paths(report(jobId, 'multiple-h1'))).toEqual(['/b']);
    // Page ids follow the crawl: depth 1 before depth 2.
    expect(report(jobId, 'non-indexable').map((r) => [r.url, r.status, r.reason])).toEqual([
      [`${O}/gone`, 404, 'status 404'],
      [`${O}/old`, 301, 'redirected'],
      [`${O}/c`, 200, 'noindex'],
    ]);
    expect(paths(report(jobId, 'blocked-by-robots'))).toEqual(['/private']);
    expect(paths(report(jobId, 'slowest-pages'))[0]).toBe('/b');
    expect(paths(report(jobId, 'largest-pages'))[0]).toBe('/b');
    // /old holds /a's size and its chain's time; /a is listed on its own.
    expect(paths(report(jobId, 'slowest-pages'))).not.toContain('/old');
    expect(paths(report(jobId, 'largest-pages')).sort()).toEqual(['/', '/a', '/b', '/c', '/gone']);
    expect(report(jobId, 'depth-distribution')).toEqual([
      { depth: 0, urls: 1, pages: 1, failed: 0, blocked: 0, queued: 0 },
      { depth: 1, urls: 6, pages: 4, failed: 1, blocked: 1, queued: 0 },
      { depth: 2, urls: 1, pages: 1, failed: 0, blocked: 0, queued: 0 },
    ]);
    // A URL is counted by what it answered itself: the redirect as its first hop's 301.
    expect(report(jobId, 'status-codes')).toEqual([
      { status: '200', urls: 4 },
      { status: '301', urls: 1 },
      { status: '404', urls: 1 },
      { status: 'blocked', urls: 1 },
      { status: 'failed', urls: 1 },
    ]);
    expect(paths(report(jobId, 'sitemap-not-linked'))).toEqual(['/c']);
    expect(report(jobId, 'external-links')).toEqual([
      // ISO 8601, as the exports' fetchedAt (it was ms since the epoch).
      {
        url: 'https://x.invalid/',
        links: 1,
        status: 503,
        error: null,
        checkedAt: '2023-11-14T22:13:20.123Z',
      },
    ]);
  });

  it('lists a link to a URL that redirects to a 404 as broken, by its own status and the final one', () => {
    // A list crawl: the target of /moved is not a row of its own, only /moved's final status tells.
    const jobId = storeJob(env.db, [
      {
        url: `${O}/`,
        page: { outlinks: outlinkColumns([link(`${O}/moved`, 'moved'), link(`${O}/fine`)]) },
      },
      {
        url: `${O}/moved`,
        page: {
          status: 404,
          finalUrl: `${O}/lost`,
          redirects: [{ url: `${O}/moved`, status: 301, location: '/lost' }],
        },
      },
      {
        url: `${O}/fine`,
        page: {
          finalUrl: `${O}/here`,
          redirects: [{ url: `${O}/fine`, status: 302, location: '/here' }],
        },
      },
    ]);
    expect(report(jobId, 'broken-links')).toEqual([
      {
        url: `${O}/moved`,
        status: 301,
        finalStatus: 404,
        error: null,
        linkedFrom: `${O}/`,
        anchor: 'moved',
      },
    ]);
    // Without a row of its own, a target's size and time are only on its redirect's row.
    expect(report(jobId, 'largest-pages').map((row) => row.url)).toEqual(
      expect.arrayContaining([`${O}/fine`, `${O}/moved`]),
    );
    // The page's outlinks show each target's own answer.
    expect(
      queryLinks(env.db, { jobId, url: `${O}/`, direction: 'out' }).rows.map((row) => row.toStatus),
    ).toEqual([301, 302]);
  });

  it('does not count pages without visible text as duplicate content of each other', () => {
    // The worker's content hash of a page with no visible text: the SHA-1 of nothing.
    const noText = createHash('sha1').update('', 'utf8').digest('hex');
    const jobId = storeJob(env.db, [
      { url: `${O}/`, page: { contentHash: 'same words' } },
      { url: `${O}/copy`, page: { contentHash: 'same words' } },
      { url: `${O}/image-only`, page: { contentHash: noText } },
      { url: `${O}/frameset`, page: { contentHash: noText } },
    ]);
    expect(report(jobId, 'duplicate-content').map((row) => row.url)).toEqual([
      `${O}/`,
      `${O}/copy`,
    ]);
  });

  it('says why each URL was blocked by robots.txt: a rule, or a robots.txt that was unavailable', () => {
    const unavailable =
      'blocked by robots.txt: unavailable (HTTP 503), which disallows the whole host';
    const jobId = storeJob(env.db, [
      { url: `${O}/`, page: {} },
      { url: `${O}/private`, depth: 1, blocked: true },
      { url: 'http://127.0.0.2:9/', depth: 1, blocked: unavailable },
    ]);
    expect(report(jobId, 'blocked-by-robots').map((row) => [row.url, row.reason])).toEqual([
      [`${O}/private`, 'blocked by robots.txt'],
      ['http://127.0.0.2:9/', unavailable],
    ]);
  });

  it("compares a page that became a redirect as changed: its own status, not its target's", () => {
    const page = { title: 'Pricing', contentHash: 'p' };
    const before = storeJob(env.db, [{ url: `${O}/pricing`, page }]);
    const after = storeJob(env.db, [
      {
        url: `${O}/pricing`,
        page: {
          ...page,
          finalUrl: `${O}/plans`,
          redirects: [{ url: `${O}/pricing`, status: 301, location: '/plans' }],
        },
      },
    ]);
    expect(compareJobs(env.db, { base: before, other: after })).toMatchObject({
      summary: { added: 0, removed: 0, changed: 1, unchanged: 0 },
      rows: [
        {
          url: `${O}/pricing`,
          change: 'changed',
          fields: [{ field: 'status', before: 200, after: 301 }],
        },
      ],
    });
  });

  it('pages a report by screens with every row once, and every report runs on an empty job', () => {
    const jobId = storeSite();
    const first = runReport(env.db, { jobId, name: 'broken-links', limit: 3 });
    expect(first.columns).toEqual([
      'url',
      'status',
      'finalStatus',
      'error',
      'linkedFrom',
      'anchor',
    ]);
    const second = runReport(env.db, {
      jobId,
      name: 'broken-links',
      limit: 3,
      cursor: first.nextCursor!,
    });
    expect([...first.rows, ...second.rows]).toEqual(report(jobId, 'broken-links'));
    expect(second.nextCursor).toBeNull();
    const empty = storeJob(env.db, [{ url: `${O}/x`, failed: 'timeout' }]);
    for (const name of REPORT_NAMES)
      expect(() => runReport(env.db, { jobId: empty, name })).not.toThrow();
  });

  it('shows a page with its redirect chain, headers, inlinks and outlinks', () => {
    const jobId = storeSite();
    const old = pageDetail(env.db, { jobId, url: `${O}/old` });
    expect(old.kind).toBe('page');
    expect(old.fields.finalUrl).toBe(`${O}/a`);
    expect([old.fields.status, old.fields.finalStatus]).toEqual([301, 200]);
    expect(old.redirects.map((hop) => hop.status)).toEqual([301, 302]);
    expect(old.headers['content-type']).toMatch(/text\/html/);
    const gone = pageDetail(env.db, { jobId, url: `${O}/gone` });
    expect(gone.inlinkCount).toBe(2);
    const inlinks = queryLinks(env.db, { jobId, url: `${O}/gone`, direction: 'in', limit: 1 });
    const rest = queryLinks(env.db, {
      jobId,
      url: `${O}/gone`,
      direction: 'in',
      limit: 1,
      cursor: inlinks.nextCursor!,
    });
    expect([...inlinks.rows, ...rest.rows].map((row) => row.fromUrl)).toEqual([`${O}/`, `${O}/a`]);
    expect(rest.nextCursor).toBeNull();
    const out = queryLinks(env.db, { jobId, url: `${O}/`, direction: 'out' });
    expect(out.rows.map((row) => [row.toUrl.replace(O, ''), row.toStatus, row.internal])).toEqual([
      ['/gone', 404, true],
      ['/dead', null, true],
      ['/a', 200, true],
      ['https://x.invalid/', 503, false],
    ]);
    const dead = pageDetail(env.db, { jobId, url: `${O}/dead` });
    expect([dead.kind, dead.fields.error, dead.fields.status]).toEqual([
      'failed',
      'ECONNREFUSED: connection refused',
      null,
    ]);
    expect(() => pageDetail(env.db, { jobId, url: `${O}/nowhere` })).toThrow(/has no result/);
  });
});
