import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportJob } from '../../electron/engine/export/export-job';
import { queryPages } from '../../electron/engine/results/page-query';
import { iterateReport } from '../../electron/engine/results/reports';
import type { PageFilters } from '../../shared/results';
import { engineEnv } from './engine-env';

/** A URL that redirects is the redirect it is; where it leads is a page of its own. */

const env = engineEnv();

/** `/old` 301s and `/chain` 302s to `/new`, which no page links to. */
async function movedSite(): Promise<string> {
  const routes: Record<string, string> = {
    '/': '<title>Home</title><a href="/old">old</a> <a href="/chain">chain</a>',
    '/old': 'redirect:301:/new',
    '/chain': 'redirect:302:/old',
    '/new': '<title>The new page</title><p>Moved here.</p><a href="/">home</a>',
  };
  return env.listen((request, response) => {
    const route = routes[request.url ?? '/'];
    if (route === undefined) return void response.writeHead(404).end();
    const [, status, location] = /^redirect:(\d+):(.*)$/.exec(route) ?? [];
    if (location) return void response.writeHead(Number(status), { location }).end();
    response.writeHead(200, { 'content-type': 'text/html' }).end(route);
  });
}

/** The moved site crawled from its home page, to the end. */
async function crawlMovedSite(): Promise<{ origin: string; jobId: number }> {
  const origin = await movedSite();
  const { jobId } = await (
    await env.service().start({ startUrls: [`${origin}/`], workers: 1 })
  ).finished;
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
    const summary = await (
      await env.service().start({ startUrls: [`${origin}/`], workers: 1 })
    ).finished;
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
