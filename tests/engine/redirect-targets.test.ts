import { describe, expect, it } from 'vitest';
import { iterateReport } from '../../electron/engine/results/reports';
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

const pagesOf = (jobId: number) =>
  env.db
    .prepare(
      `SELECT url, final_url AS finalUrl, depth, indexable, indexability FROM pages
       WHERE job_id = ? ORDER BY url`,
    )
    .all(jobId);

describe('a URL that redirects', () => {
  it('is stored as not indexable, counted by its own status, and its target is crawled as a page', async () => {
    const origin = await movedSite();
    const summary = await (
      await env.service().start({ startUrls: [`${origin}/`], workers: 1 })
    ).finished;
    expect(summary.status).toBe('finished');
    expect(pagesOf(summary.jobId)).toEqual([
      { url: `${origin}/`, finalUrl: `${origin}/`, depth: 0, indexable: 1, indexability: null },
      {
        url: `${origin}/chain`,
        finalUrl: `${origin}/new`,
        depth: 1,
        indexable: 0,
        indexability: 'redirected',
      },
      // Reached only through the redirects, one level below them.
      {
        url: `${origin}/new`,
        finalUrl: `${origin}/new`,
        depth: 2,
        indexable: 1,
        indexability: null,
      },
      {
        url: `${origin}/old`,
        finalUrl: `${origin}/new`,
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
        finalUrl: `${origin}/new`,
        depth: 0,
        indexable: 0,
        indexability: 'redirected',
      },
    ]);
  });
});
