import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();

/** Robots directives addressed to one crawler; each page links to a page of its own. */
const PAGES: Record<string, { head?: string; header?: string | string[] }> = {
  '/meta-testbot': { head: '<meta name="TestBot" content="noindex, nofollow">' },
  '/meta-both': {
    head: '<meta name="robots" content="index, follow"><meta name="testbot" content="noindex">',
  },
  '/meta-otherbot': { head: '<meta name="otherbot" content="noindex, nofollow">' },
  '/header-testbot': { header: 'testbot: noindex, testbot: nofollow' },
  // Google's reading: the name covers the rest of its list, so both are TestBot's.
  '/header-list': { header: 'testbot: noindex, nofollow' },
  // Two headers: the second is for every crawler, though Node joins them with ", ".
  '/header-lines': { header: ['otherbot: noindex', 'nofollow'] },
};

/** Crawls the site as `robotsUserAgent`; the pages whose links were followed, and each page's indexability. */
async function crawl(robotsUserAgent: string | null) {
  const requested: string[] = [];
  const origin = await env.listen((request, response) => {
    const path = request.url ?? '/';
    requested.push(path);
    const page = PAGES[path];
    response.writeHead(200, {
      'content-type': 'text/html',
      ...(page?.header ? { 'x-robots-tag': page.header } : {}),
    });
    if (path === '/') {
      return void response.end(
        Object.keys(PAGES)
          .map((to) => `<a href="${to}">x</a>`)
          .join(''),
      );
    }
    response.end(path.startsWith('/to') ? 'end' : `${page?.head ?? ''}<a href="/to${path}">x</a>`);
  });
  const job = await env
    .service()
    .start({ startUrls: [`${origin}/`], ignoreRobots: true, workers: 1, robotsUserAgent });
  expect((await job.finished).status).toBe('finished');
  const indexability = Object.fromEntries(
    (
      env.db
        .prepare('SELECT url, indexability FROM pages WHERE job_id = ? AND url NOT LIKE ?')
        .all(job.id, `${origin}/to%`) as { url: string; indexability: string | null }[]
    ).map((row) => [row.url.slice(origin.length), row.indexability]),
  );
  const followed = requested
    .filter((path) => path.startsWith('/to/'))
    .map((path) => path.slice(3))
    .sort();
  return { followed, indexability };
}

describe('robots directives addressed to the crawler by its product token', () => {
  it('count with meta robots and X-Robots-Tag, the most restrictive winning', async () => {
    expect(await crawl('TestBot')).toEqual({
      followed: ['/meta-both', '/meta-otherbot'],
      indexability: {
        '/': null,
        '/meta-testbot': 'noindex',
        '/meta-both': 'noindex',
        '/meta-otherbot': null,
        '/header-testbot': 'noindex',
        '/header-list': 'noindex',
        '/header-lines': null,
      },
    });
  });

  it('are another crawler’s for a job with another token', async () => {
    expect(await crawl(null)).toEqual({
      followed: Object.keys(PAGES)
        .filter((path) => path !== '/header-lines')
        .sort(),
      indexability: Object.fromEntries(['/', ...Object.keys(PAGES)].map((path) => [path, null])),
    });
    // Stored one header a line, as sent.
    const stored = env.db
      .prepare("SELECT x_robots_tag FROM pages WHERE url LIKE '%/header-lines'")
      .pluck()
      .get();
    expect(stored).toBe('otherbot: noindex\nnofollow');
  });
});
