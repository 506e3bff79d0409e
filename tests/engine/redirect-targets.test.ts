import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CrawlJob } from '../../electron/engine/crawl-job';
import { exportJob } from '../../electron/engine/export/export-job';
import { queryPages } from '../../electron/engine/results/page-query';
import { iterateReport } from '../../electron/engine/results/reports';
import type { JobSettingsInput } from '../../shared/job-settings';
import type { PageFilters } from '../../shared/results';
import { URL_STATE } from '../../electron/engine/store/url-state';
import { engineEnv } from './engine-env';
import { routedSite } from './routed-site';

/** A URL that redirects is the redirect it is; where it leads is a page of its own. */

const env = engineEnv();

/** A site of `routes` on this test's servers (see routedSite). */
const countingSite = (routes: Record<string, string>, delaysMs?: Record<string, number>) =>
  routedSite(env, routes, delaysMs);

/** `/old` 301s and `/chain` 302s to `/new`, which no page links to. */
async function movedSite(): Promise<string> {
  const { origin } = await countingSite({
    '/': '<title>Home</title><a href="/old">old</a> <a href="/chain">chain</a>',
    '/old': 'redirect:301:/new',
    '/chain': 'redirect:302:/old',
    '/new': '<title>The new page</title><p>Moved here.</p><a href="/">home</a>',
  });
  return origin;
}

/** A crawl of `origin` from its home page with one worker, to the end. */
const crawlSite = async (origin: string, settings: Partial<JobSettingsInput> = {}) =>
  (await env.service().start({ startUrls: [`${origin}/`], workers: 1, ...settings })).finished;

/** The moved site crawled from its home page, to the end. */
async function crawlMovedSite(): Promise<{ origin: string; jobId: number }> {
  const origin = await movedSite();
  const { jobId } = await crawlSite(origin);
  return { origin, jobId };
}

const pagesOf = (jobId: number) =>
  env.db
    .prepare(
      `SELECT url, status, final_url AS finalUrl, final_status AS finalStatus, depth, indexable,
         indexability FROM pages WHERE job_id = ? ORDER BY url`,
    )
    .all(jobId);

describe('a URL that redirects', () => {
  it('is stored as not indexable, counted by its own status, and its target is crawled as a page', async () => {
    const origin = await movedSite();
    const job = await env.service().start({ startUrls: [`${origin}/`], workers: 1 });
    const summary = await job.finished;
    expect(summary.status).toBe('finished');
    expect(pagesOf(summary.jobId)).toEqual([
      {
        url: `${origin}/`,
        status: 200,
        finalUrl: `${origin}/`,
        finalStatus: 200,
        depth: 0,
        indexable: 1,
        indexability: null,
      },
      {
        url: `${origin}/chain`,
        status: 302,
        finalUrl: `${origin}/new`,
        finalStatus: 200,
        depth: 1,
        indexable: 0,
        indexability: 'redirected',
      },
      // Reached only through the redirects, one level below them.
      {
        url: `${origin}/new`,
        status: 200,
        finalUrl: `${origin}/new`,
        finalStatus: 200,
        depth: 2,
        indexable: 1,
        indexability: null,
      },
      {
        url: `${origin}/old`,
        status: 301,
        finalUrl: `${origin}/new`,
        finalStatus: 200,
        depth: 1,
        indexable: 0,
        indexability: 'redirected',
      },
    ]);
    // The target's link is stored once, on the target: a redirect links to nothing itself.
    expect(
      env.db
        .prepare(
          `SELECT src.url, count(*) AS links FROM links l JOIN pages src ON src.id = l.from_page
           WHERE l.job_id = ? GROUP BY src.url ORDER BY src.url`,
        )
        .all(summary.jobId),
    ).toEqual([
      { url: `${origin}/`, links: 2 },
      { url: `${origin}/new`, links: 1 },
    ]);
    expect([...iterateReport(env.db, summary.jobId, 'status-codes').rows]).toEqual([
      { status: '200', urls: 2 },
      { status: '301', urls: 1 },
      { status: '302', urls: 1 },
    ]);
    // The dashboard's live counts say the same.
    expect(job.snapshot().statusCounts).toEqual({ 200: 2, 301: 1, 302: 1 });
  });

  it('not followed is reported with why: out of the scope, or not an http(s) URL at all', async () => {
    const { origin } = await countingSite({
      '/': '<a href="/app">app</a> <a href="/mail">mail</a> <a href="/away">away</a>',
      '/app': 'redirect:302:itms-apps://apps.apple.com/app/id1',
      '/mail': 'redirect:301: MAILTO:someone@example.invalid',
      '/away': 'redirect:302:http://elsewhere.invalid/a:b',
    });
    const { jobId } = await crawlSite(origin);
    const chains = [...iterateReport(env.db, jobId, 'redirect-chains').rows].map((row) => ({
      url: row.url,
      finalUrl: row.finalUrl,
      error: row.error,
    }));
    expect(chains).toEqual([
      {
        url: `${origin}/app`,
        finalUrl: 'itms-apps://apps.apple.com/app/id1',
        error: 'not followed: not an http(s) URL',
      },
      {
        url: `${origin}/away`,
        finalUrl: 'http://elsewhere.invalid/a:b',
        error: 'not followed: outside the scope, its patterns or the URL-trap limits',
      },
      {
        url: `${origin}/mail`,
        finalUrl: 'MAILTO:someone@example.invalid',
        error: 'not followed: not an http(s) URL',
      },
    ]);
  });

  it("keeps no extraction values of its target's: a scraped value is stored once, on the target", async () => {
    const origin = await movedSite();
    const { jobId } = await crawlSite(origin, {
      extract: [{ name: 'title', kind: 'css', expression: 'title' }],
    });
    expect([...iterateReport(env.db, jobId, 'extracted-values').rows]).toEqual([
      { url: `${origin}/`, rule: 'title', position: 0, value: 'Home' },
      { url: `${origin}/new`, rule: 'title', position: 0, value: 'The new page' },
    ]);
  });

  it('is the 301 or 302 it answered in the URL table, its 3xx filter and exports, with its final status', async () => {
    const { origin, jobId } = await crawlMovedSite();
    const table = (filters: PageFilters) =>
      queryPages(env.db, {
        jobId,
        filters,
        columns: ['status', 'finalUrl', 'finalStatus'],
        sort: { column: 'url', direction: 'asc' },
      }).rows;
    // /chain 302s to /old, which 301s to /new: its own answer is the 302.
    const redirects = [
      {
        url: `${origin}/chain`,
        kind: 'page',
        status: 302,
        finalUrl: `${origin}/new`,
        finalStatus: 200,
      },
      {
        url: `${origin}/old`,
        kind: 'page',
        status: 301,
        finalUrl: `${origin}/new`,
        finalStatus: 200,
      },
    ];
    expect(table({ statusClasses: ['3xx'] })).toEqual(redirects);
    expect(table({ statusClasses: ['2xx'] }).map((row) => row.url)).toEqual([
      `${origin}/`,
      `${origin}/new`,
    ]);

    const csv = env.file('pages.csv');
    await exportJob(env.db, { jobId, format: 'csv' }, { file: csv });
    const records = parse(readFileSync(csv), { columns: true }) as Record<string, string>[];
    expect(
      records
        .filter((record) => record.status!.startsWith('3'))
        .map(({ url, status, finalUrl, finalStatus }) => ({ url, status, finalUrl, finalStatus }))
        .sort((a, b) => a.url!.localeCompare(b.url!)),
    ).toEqual(
      redirects.map(({ kind: _, ...row }) => ({
        ...row,
        status: String(row.status),
        finalStatus: '200',
      })),
    );
    const ndjson = env.file('pages.ndjson');
    await exportJob(env.db, { jobId, format: 'ndjson' }, { file: ndjson });
    expect(
      readFileSync(ndjson, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { url: string; status: number; finalStatus: number })
        .map(({ url, status, finalStatus }) => [url.replace(origin, ''), status, finalStatus])
        .sort(),
    ).toEqual([
      ['/', 200, 200],
      ['/chain', 302, 200],
      ['/new', 200, 200],
      ['/old', 301, 200],
    ]);
  });

  it('is found by a search for its own address as well as for where it ended', async () => {
    const { origin, jobId } = await crawlMovedSite();
    const search = (text: string) =>
      queryPages(env.db, { jobId, filters: { text }, columns: [] })
        .rows.map((row) => row.url.replace(origin, ''))
        .sort();
    expect(search('chain')).toEqual(['/chain']);
    expect(search('old')).toEqual(['/old']);
    // The words of /new: the page itself and both URLs that ended there.
    expect(search('new')).toEqual(['/chain', '/new', '/old']);
  });

  it('a meta refresh or Refresh header is recorded, and where it leads is crawled', async () => {
    const routes: Record<string, [Record<string, string>, string]> = {
      '/': [{}, '<title>Home</title><a href="/meta">meta</a> <a href="/header">header</a>'],
      '/meta': [
        {},
        '<meta http-equiv="Refresh" content="0; URL=\'/moved-meta\'"><title>Old</title>',
      ],
      '/header': [{ refresh: '5; url=/moved-header' }, '<title>Going</title>'],
      '/moved-meta': [{}, '<title>Here</title>'],
      '/moved-header': [{}, '<title>Here too</title>'],
    };
    const origin = await env.listen((request, response) => {
      const [headers, body] = routes[request.url ?? '/'] ?? [{}, ''];
      response.writeHead(200, { 'content-type': 'text/html', ...headers }).end(body);
    });
    const summary = await crawlSite(origin);
    expect(
      env.db
        .prepare('SELECT url, meta_refresh AS metaRefresh FROM pages WHERE job_id = ? ORDER BY url')
        .all(summary.jobId),
    ).toEqual([
      { url: `${origin}/`, metaRefresh: null },
      { url: `${origin}/header`, metaRefresh: `${origin}/moved-header` },
      { url: `${origin}/meta`, metaRefresh: `${origin}/moved-meta` },
      // Reached by no link, only by the refreshes.
      { url: `${origin}/moved-header`, metaRefresh: null },
      { url: `${origin}/moved-meta`, metaRefresh: null },
    ]);
  });

  it('in a list crawl, only the listed URLs are stored: a target is not crawled on its own', async () => {
    const origin = await movedSite();
    const summary = await (
      await env.service().start({ startUrls: [`${origin}/old`], mode: 'list', workers: 1 })
    ).finished;
    expect(pagesOf(summary.jobId)).toEqual([
      {
        url: `${origin}/old`,
        status: 301,
        finalUrl: `${origin}/new`,
        finalStatus: 200,
        depth: 0,
        indexable: 0,
        indexability: 'redirected',
      },
    ]);
  });
});

describe('a page reached through a redirect', () => {
  const rowsOf = (jobId: number) =>
    env.db
      .prepare(
        `SELECT p.url, p.status, p.final_status AS finalStatus, p.redirect_count AS redirects,
           p.title, p.depth, p.link_count AS linkCount,
           (SELECT group_concat(l.to_url, ' ') FROM links l WHERE l.from_page = p.id) AS links,
           (SELECT count(*) FROM redirects r WHERE r.frontier_id = p.frontier_id) AS hops
         FROM pages p WHERE p.job_id = ? ORDER BY p.url`,
      )
      .all(jobId) as { url: string; status: number; depth: number; links: string | null }[];

  it('is fetched once, through the redirect, and stored as a page of its own', async () => {
    // /about 301s to /about/, which links to itself (as site navigation does) and to /team.
    const { origin, hits } = await countingSite({
      '/': '<title>Home</title><a href="/about">about</a>',
      '/about': 'redirect:301:/about/',
      '/about/': '<title>About us</title><a href="/about/">about</a> <a href="/team">team</a>',
      '/team': '<title>Team</title><a href="/about">about</a>',
    });
    const job = await env.service().start({ startUrls: [`${origin}/`], workers: 1 });
    const summary = await job.finished;
    expect(Object.fromEntries(hits)).toEqual({
      '/robots.txt': 1,
      '/': 1,
      '/about': 1,
      '/about/': 1,
      '/team': 1,
    });
    const row = (path: string, fields: object) => ({ url: `${origin}${path}`, ...fields });
    expect(rowsOf(summary.jobId)).toEqual([
      row('/', {
        status: 200,
        finalStatus: 200,
        redirects: 0,
        title: 'Home',
        depth: 0,
        linkCount: 1,
        links: `${origin}/about`,
        hops: 0,
      }),
      row('/about', {
        status: 301,
        finalStatus: 200,
        redirects: 1,
        title: 'About us',
        depth: 1,
        linkCount: 0,
        links: null,
        hops: 1,
      }),
      // Its own row, from the response /about was answered with: one level below it.
      row('/about/', {
        status: 200,
        finalStatus: 200,
        redirects: 0,
        title: 'About us',
        depth: 2,
        linkCount: 2,
        links: `${origin}/about/ ${origin}/team`,
        hops: 0,
      }),
      row('/team', {
        status: 200,
        finalStatus: 200,
        redirects: 0,
        title: 'Team',
        depth: 3,
        linkCount: 1,
        links: `${origin}/about`,
        hops: 0,
      }),
    ]);
    // Every counter sees it as the page it is.
    expect(summary).toMatchObject({ status: 'finished', pages: 4, crawled: 4, failed: 0 });
    expect(job.snapshot()).toMatchObject({
      pagesDone: 4,
      queued: 0,
      statusCounts: { 200: 3, 301: 1 },
    });
    expect(env.db.prepare('SELECT pages FROM jobs WHERE id = ?').pluck().get(summary.jobId)).toBe(
      4,
    );
    expect(
      env.db
        .prepare('SELECT state, count(*) AS n FROM frontier WHERE job_id = ? GROUP BY state')
        .all(summary.jobId),
    ).toEqual([{ state: URL_STATE.done, n: 4 }]);
  });

  it('at the end of a chain is the only one of its hops with a row', async () => {
    const { origin, hits } = await countingSite({
      '/': '<title>Home</title><a href="/a">a</a>',
      '/a': 'redirect:301:/a2',
      '/a2': 'redirect:302:/b',
      '/b': '<title>B</title>',
    });
    const summary = await crawlSite(origin);
    expect(
      rowsOf(summary.jobId).map(({ url, status, depth }) => [
        url.slice(origin.length),
        status,
        depth,
      ]),
    ).toEqual([
      ['/', 200, 0],
      ['/a', 301, 1],
      ['/b', 200, 2],
    ]);
    // /a2 is hop 1 of /a's chain.
    expect(
      env.db
        .prepare(
          `SELECT r.hop, r.url, r.status FROM redirects r JOIN frontier f ON f.id = r.frontier_id
           WHERE f.job_id = ? ORDER BY r.hop`,
        )
        .all(summary.jobId),
    ).toEqual([
      { hop: 0, url: `${origin}/a`, status: 301 },
      { hop: 1, url: `${origin}/a2`, status: 302 },
    ]);
    expect(Object.fromEntries(hits)).toMatchObject({ '/a': 1, '/a2': 1, '/b': 1 });
  });

  /** More links than main leases at once (its window and the host queues hold 1,000 each). */
  const PAST_THE_LEASES = 2500;
  const fillers = {
    /** Links to the first `count` of them. */
    links: (count = PAST_THE_LEASES) =>
      Array.from({ length: count }, (_, n) => `<a href="/f/${n}">f</a>`).join(' '),
    pages: Object.fromEntries(
      Array.from({ length: PAST_THE_LEASES }, (_, n) => [`/f/${n}`, '<title>F</title>']),
    ),
  };
  /** Frontier rows of `paths`: state, depth, and the path of the page they were found on. */
  const frontierRows = (jobId: number, origin: string, paths: string[]) =>
    paths.map((path) =>
      env.db
        .prepare(
          `SELECT substr(f.url, ?) AS url, f.state, f.depth, substr(src.url, ?) AS foundOn
           FROM frontier f LEFT JOIN frontier src ON src.id = f.found_on
           WHERE f.job_id = ? AND f.url = ?`,
        )
        .get(origin.length + 1, origin.length + 1, jobId, `${origin}${path}`),
    );
  const rowsAt = (jobId: number, origin: string, paths: string[]) =>
    rowsOf(jobId)
      .filter(({ url }) => paths.includes(url.slice(origin.length)))
      .map(({ url, status, depth, links }) => ({
        url: url.slice(origin.length),
        status,
        depth,
        links,
      }));
  const countsOf = (jobId: number) =>
    env.db
      .prepare(
        `SELECT pages, (SELECT count(*) FROM pages WHERE job_id = jobs.id) AS rows,
           (SELECT count(*) FROM frontier WHERE job_id = jobs.id AND state != ${URL_STATE.done}) AS notDone
         FROM jobs WHERE id = ?`,
      )
      .get(jobId);

  /** Home links /a, a 301 to /a/, and then /a/ itself (after `between`); /a/ links /a/more. */
  const slashSite = (between = '', delaysMs: Record<string, number> = {}) =>
    countingSite(
      {
        '/': `<title>Home</title><a href="/a">a</a> ${between} <a href="/a/">a/</a>`,
        '/a': 'redirect:301:/a/',
        '/a/': '<title>A</title><a href="/a/more">more</a>',
        '/a/more': '<title>More</title>',
        ...fillers.pages,
      },
      delaysMs,
    );

  /** The redirect stored /a/ from its response, where home's link had put it: fetched once. */
  async function expectSlashPageOnce(
    job: CrawlJob,
    origin: string,
    hits: Map<string, number>,
    pages: number,
  ): Promise<void> {
    const summary = await job.finished;
    expect([hits.get('/a'), hits.get('/a/'), hits.get('/a/more')]).toEqual([1, 1, 1]);
    expect(rowsAt(summary.jobId, origin, ['/a', '/a/', '/a/more'])).toEqual([
      { url: '/a', status: 301, depth: 1, links: null },
      // Found by home's link one level up, shallower than through /a: it keeps that depth.
      { url: '/a/', status: 200, depth: 1, links: `${origin}/a/more` },
      { url: '/a/more', status: 200, depth: 2, links: null },
    ]);
    expect(frontierRows(summary.jobId, origin, ['/a/', '/a/more'])).toEqual([
      { url: '/a/', state: URL_STATE.done, depth: 1, foundOn: '/' },
      { url: '/a/more', state: URL_STATE.done, depth: 2, foundOn: '/a/' },
    ]);
    // Every counter counts it once, and no longer as queued.
    expect(summary).toMatchObject({ status: 'finished', pages, crawled: pages, failed: 0 });
    expect(job.snapshot()).toMatchObject({
      pagesDone: pages,
      queued: 0,
      statusCounts: { 200: pages - 1, 301: 1 },
    });
    expect(countsOf(summary.jobId)).toEqual({ pages, rows: pages, notDone: 0 });
  }

  it('already linked and waiting in main for its host (not yet sent), is taken back: fetched once, through the redirect', async () => {
    // One request to the host at a time: /a/ waits in its host's queue while /a is fetched.
    const { origin, hits } = await slashSite();
    const job = await env
      .service()
      .start({ startUrls: [`${origin}/`], workers: 1, hostConcurrency: 1 });
    await expectSlashPageOnce(job, origin, hits, 4);
  });

  it("already linked and leased into main's window (behind the host queue's thousand), is taken back: fetched once", async () => {
    // /a answers late: meanwhile the host's queue fills with the first 1,000 fillers,
    // and the window leases the rest of home's links, /a/ last.
    const { origin, hits } = await slashSite(fillers.links(1200), { '/a': 1000 });
    const job = await env
      .service()
      .start({ startUrls: [`${origin}/`], workers: 1, hostConcurrency: 1 });
    await expectSlashPageOnce(job, origin, hits, 1200 + 4);
  });

  it('taken back with --max-depth, leaves the crawl exactly the pages within the limit, at their shortest depths', async () => {
    // As above, /a/ is taken back from main's window when /a's answer comes; below it,
    // /a/more is 2 links deep through /a/ and 3 through /b and /g, and its link /next
    // is 3 deep only if /a/more is taken at 2 (its links are cut at 3).
    const { origin, hits } = await countingSite(
      {
        '/': `<a href="/a">a</a> <a href="/b">b</a> ${fillers.links(1200)} <a href="/a/">a/</a>`,
        '/a': 'redirect:301:/a/',
        '/a/': '<a href="/a/more">more</a>',
        '/b': '<a href="/g">g</a>',
        '/g': '<a href="/a/more">more</a>',
        '/a/more': '<a href="/next">next</a>',
        '/next': '<a href="/beyond">beyond</a>',
        '/beyond': '<title>Beyond the limit</title>',
        ...fillers.pages,
      },
      { '/a': 1000 },
    );
    const summary = await crawlSite(origin, { maxDepth: 3, hostConcurrency: 1 });
    const stored = rowsOf(summary.jobId)
      .map(({ url, depth }) => [url.slice(origin.length), depth])
      .filter(([path]) => !String(path).startsWith('/f/'));
    expect(stored).toEqual([
      ['/', 0],
      ['/a', 1],
      ['/a/', 1],
      ['/a/more', 2],
      ['/b', 1],
      ['/g', 2],
      ['/next', 3],
    ]);
    // Each fetched once: /a/ through the redirect, whose response made its row.
    expect([...hits].filter(([path]) => path !== '/robots.txt' && hits.get(path) !== 1)).toEqual(
      [],
    );
    expect(hits.get('/beyond')).toBeUndefined();
    expect(frontierRows(summary.jobId, origin, ['/a/', '/a/more'])).toEqual([
      { url: '/a/', state: URL_STATE.done, depth: 1, foundOn: '/' },
      { url: '/a/more', state: URL_STATE.done, depth: 2, foundOn: '/a/' },
    ]);
    const pages = 1200 + 7;
    expect(summary).toMatchObject({ status: 'finished', pages });
    expect(countsOf(summary.jobId)).toEqual({ pages, rows: pages, notDone: 0 });
  });

  it('already linked and sent to a worker, is crawled on its own and stored once', async () => {
    // /a and /b go out together; /b's own request answers late, so it is in flight when
    // /a's response (through /b) is stored: that response does not make /b's row.
    const { origin, hits } = await countingSite(
      {
        '/': '<title>Home</title><a href="/a">a</a> <a href="/b">b</a>',
        '/a': 'redirect:302:/b',
        '/b': '<title>B</title><a href="/">home</a>',
      },
      { '/b': 1000 },
    );
    const summary = await crawlSite(origin, { hostConcurrency: 2 });
    expect(
      rowsOf(summary.jobId).map(({ url, status, depth, links }) => ({ url, status, depth, links })),
    ).toEqual([
      { url: `${origin}/`, status: 200, depth: 0, links: `${origin}/a ${origin}/b` },
      { url: `${origin}/a`, status: 302, depth: 1, links: null },
      { url: `${origin}/b`, status: 200, depth: 1, links: `${origin}/` },
    ]);
    // Through /a's redirect, and on its own.
    expect(hits.get('/b')).toBe(2);
    expect(summary).toMatchObject({ status: 'finished', pages: 3, crawled: 3 });
    expect(countsOf(summary.jobId)).toEqual({ pages: 3, rows: 3, notDone: 0 });
  });

  it('already linked and still queued (not leased), is claimed by the redirect: fetched once, at its own depth', async () => {
    // /a/ behind more links than main leases at once: when /a's response is written,
    // /a/ is queued, not leased.
    const { origin, hits } = await slashSite(fillers.links());
    const job = await env
      .service()
      .start({ startUrls: [`${origin}/`], workers: 1, hostConcurrency: 8 });
    await expectSlashPageOnce(job, origin, hits, PAST_THE_LEASES + 4);
  });

  it('queued deeper than through the redirect, is claimed one level below it, found on it', async () => {
    // /c (depth 2) links /t at depth 3 behind more links than main leases; /s (depth
    // 1) answers late, a 301 to /t. --max-depth holds the links at depth 3 back while
    // /s is in flight (see Frontier.take), so /t is queued when /s's answer is written.
    const { origin, hits } = await countingSite(
      {
        '/': '<a href="/s">s</a> <a href="/b">b</a>',
        '/s': 'redirect:301:/t',
        '/b': '<a href="/c">c</a>',
        '/c': `${fillers.links()} <a href="/t">t</a>`,
        '/t': '<title>T</title><a href="/t/more">more</a>',
        '/t/more': '<title>More</title>',
        ...fillers.pages,
      },
      { '/s': 1000 },
    );
    const summary = await crawlSite(origin, { maxDepth: 3, hostConcurrency: 8 });
    expect([hits.get('/t'), hits.get('/t/more')]).toEqual([1, 1]);
    expect(frontierRows(summary.jobId, origin, ['/t', '/t/more'])).toEqual([
      { url: '/t', state: URL_STATE.done, depth: 2, foundOn: '/s' },
      { url: '/t/more', state: URL_STATE.done, depth: 3, foundOn: '/t' },
    ]);
    expect(rowsAt(summary.jobId, origin, ['/t', '/t/more']).map(({ depth }) => depth)).toEqual([
      2, 3,
    ]);
    // Its row is the one /c's link queued, after the fillers: claimed, not inserted anew.
    const idOf = (path: string) =>
      env.db
        .prepare('SELECT id FROM frontier WHERE job_id = ? AND url = ?')
        .pluck()
        .get(summary.jobId, `${origin}${path}`) as number;
    expect(idOf('/t')).toBeGreaterThan(idOf(`/f/${PAST_THE_LEASES - 1}`));
    const pages = PAST_THE_LEASES + 6;
    expect(summary).toMatchObject({ status: 'finished', pages });
    expect(countsOf(summary.jobId)).toEqual({ pages, rows: pages, notDone: 0 });
  });

  it('counts as a page of --max-pages: at the limit it is not stored, and never more pages', async () => {
    const { origin, hits } = await countingSite({
      '/': '<title>Home</title><a href="/old">old</a>',
      '/old': 'redirect:301:/new',
      '/new': '<title>New</title><a href="/next">next</a>',
      '/next': '<title>Next</title>',
    });
    const stored = (jobId: number) => rowsOf(jobId).map(({ url }) => url.slice(origin.length));

    const two = await crawlSite(origin, { maxPages: 2 });
    expect(stored(two.jobId)).toEqual(['/', '/old']);
    expect(two.pages).toBe(2);
    // Resumed with room for more, /new is crawled on its own: it was queued.
    const resumed = await (await env.service().resume(two.jobId, { maxPages: 4 })).finished;
    expect(stored(two.jobId)).toEqual(['/', '/new', '/next', '/old']);
    expect(resumed.pages).toBe(4);

    hits.clear();
    const three = await crawlSite(origin, { maxPages: 3 });
    expect(stored(three.jobId)).toEqual(['/', '/new', '/old']);
    expect(three.pages).toBe(3);
    expect(hits.get('/new')).toBe(1);
    expect(hits.get('/next')).toBeUndefined();
  });

  it('is not stored beyond --max-depth, nor when --exclude leaves it out', async () => {
    const { origin } = await countingSite({
      '/': '<title>Home</title><a href="/old">old</a>',
      '/old': 'redirect:301:/new',
      '/new': '<title>New</title>',
    });
    const stored = async (settings: Partial<JobSettingsInput>) => {
      const summary = await crawlSite(origin, settings);
      return rowsOf(summary.jobId).map(({ url }) => url.slice(origin.length));
    };
    expect(await stored({ maxDepth: 1 })).toEqual(['/', '/old']);
    expect(await stored({ maxDepth: 2 })).toEqual(['/', '/new', '/old']);
    expect(await stored({ exclude: ['/new'] })).toEqual(['/', '/old']);
  });

  /**
   * Crawls a site whose /old redirects to `target`, a page linking /beyond,
   * which `settings` keep the crawl from following: /old is stored as the
   * 3xx it is, as a redirect out of the scope is, and neither page is fetched.
   */
  async function expectNotFollowed(target: string, settings: Partial<JobSettingsInput>) {
    const { origin, hits } = await countingSite({
      '/': '<title>Home</title><a href="/old">old</a>',
      '/old': `redirect:301:${target}`,
      [target]: '<title>Target</title><a href="x/y/">deeper</a> <a href="/beyond">beyond</a>',
      '/beyond': '<title>Beyond</title>',
    });
    const summary = await crawlSite(origin, settings);
    expect(pagesOf(summary.jobId)).toMatchObject([
      { url: `${origin}/`, status: 200 },
      { url: `${origin}/old`, status: 301, finalUrl: `${origin}/old`, finalStatus: 301 },
    ]);
    expect(summary.pages).toBe(2);
    expect(hits.get(target)).toBeUndefined();
    expect(hits.get('/beyond')).toBeUndefined();
    // The report says why, not only "outside the scope".
    expect([...iterateReport(env.db, summary.jobId, 'redirect-chains').rows]).toMatchObject([
      {
        url: `${origin}/old`,
        error: 'not followed: outside the scope, its patterns or the URL-trap limits',
      },
    ]);
  }

  it('into a URL trap is not followed, as a link there is not: the trap is never fetched', async () => {
    // A relative link gone wrong, reached through a redirect: its path repeats a segment.
    await expectNotFollowed('/x/y/x/y/x/y/x/y/', {});
  });

  it('is tested against --exclude as a link is, with the URL rules applied: an excluded page is never fetched', async () => {
    // The redirect adds a tracking parameter, which the job strips: the URL is /new.
    await expectNotFollowed('/new?utm_source=mail', {
      stripTrackingParams: true,
      exclude: ['/new$'],
    });
  });

  it('with --max-depth, is not stored deeper than a page still being fetched may find it', async () => {
    // /r (depth 2) redirects to /x; /slow (depth 1) links /x too, but answers last.
    const links: Record<string, string> = {
      '/': '<a href="/slow">slow</a> <a href="/b">b</a>',
      '/b': '<a href="/r">r</a>',
      '/slow': '<a href="/x">x</a>',
      '/x': '<a href="/y">y</a>',
      '/y': '<title>Y</title>',
    };
    const origin = await env.listen((request, response) => {
      const path = request.url ?? '/';
      if (path === '/r') return void response.writeHead(301, { location: '/x' }).end();
      const body = links[path];
      if (body === undefined) return void response.writeHead(404).end();
      setTimeout(
        () => response.writeHead(200, { 'content-type': 'text/html' }).end(body),
        path === '/slow' ? 1500 : 0,
      );
    });
    const summary = await crawlSite(origin, { maxDepth: 3 });
    // /x is 2 links deep (through /slow), so /y is within the limit.
    expect(
      rowsOf(summary.jobId).map(({ url, depth }) => [url.slice(origin.length), depth]),
    ).toEqual([
      ['/', 0],
      ['/b', 1],
      ['/r', 2],
      ['/slow', 1],
      ['/x', 2],
      ['/y', 3],
    ]);
  });

  it('is not stored when robots.txt disallows its URL as crawled', async () => {
    // The redirect asks for /new?utm_source=mail, which robots.txt allows; with
    // tracking parameters stripped the page is /new, which it disallows.
    const { origin, hits } = await countingSite({
      '/robots.txt': 'User-agent: *\nDisallow: /new$',
      '/': '<title>Home</title><a href="/old">old</a>',
      '/old': 'redirect:301:/new?utm_source=mail',
      '/new?utm_source=mail': '<title>New</title>',
    });
    const summary = await crawlSite(origin, { stripTrackingParams: true });
    expect(rowsOf(summary.jobId).map(({ url }) => url.slice(origin.length))).toEqual(['/', '/old']);
    expect(summary).toMatchObject({ pages: 2, blocked: 1 });
    expect(hits.get('/new')).toBeUndefined();
  });
});
