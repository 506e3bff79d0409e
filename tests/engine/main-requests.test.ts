import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startForwardProxy } from '../helpers/forward-proxy';
import { engineEnv } from './engine-env';

/**
 * The requests main makes itself (robots.txt, sitemaps, external link
 * checks) follow the job's fetch settings like the workers' requests do.
 */

const env = engineEnv();

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
}

/** A site that records each request; `answer` returns [status, content type, body]. */
async function site(
  answer: (request: http.IncomingMessage, origin: string) => [number, string, string],
) {
  const seen: Seen[] = [];
  let origin = '';
  origin = await env.listen((request, response) => {
    seen.push({ path: request.url ?? '/', headers: request.headers });
    const [status, type, body] = answer(request, origin);
    response.writeHead(status, { 'content-type': type });
    response.end(body);
  });
  return { origin, seen, port: new URL(origin).port };
}

const urlset = (...urls: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls
    .map((url) => `<url><loc>${url}</loc></url>`)
    .join('')}</urlset>`;

function frontier(jobId: number) {
  return env.db
    .prepare('SELECT url, state FROM frontier WHERE job_id = ? ORDER BY url')
    .all(jobId) as { url: string; state: number }[];
}

function pageUrls(jobId: number): string[] {
  return (
    env.db.prepare('SELECT url FROM pages WHERE job_id = ? ORDER BY url').all(jobId) as {
      url: string;
    }[]
  ).map((row) => row.url);
}

describe("main's own requests", () => {
  it('sends robots.txt, sitemap and external-check requests through --proxy with the job headers', async () => {
    const external = await site(() => [200, 'text/html', '<title>elsewhere</title>']);
    const target = await site((request, origin) => {
      if (request.url === '/robots.txt')
        return [
          200,
          'text/plain',
          `User-agent: *\nDisallow: /private\nSitemap: ${origin}/map.xml\n`,
        ];
      if (request.url === '/map.xml')
        return [200, 'application/xml', urlset(`${origin}/a`, `${origin}/private/x`)];
      return [200, 'text/html', `<title>a</title><a href="${external.origin}/out">out</a>`];
    });
    const proxy = await startForwardProxy();
    env.onCleanup(() => proxy.close());

    const summary = await (
      await env.service().start({
        startUrls: [`${target.origin}/`],
        mode: 'sitemap',
        workers: 1,
        proxy: proxy.origin,
        checkExternal: true,
        headers: { 'x-team': 'trawl-tests' },
        userAgent: 'ProxyTestBot/1.0',
      })
    ).finished;

    expect(summary.status).toBe('finished');
    expect(proxy.urls).toEqual(
      expect.arrayContaining([
        `${target.origin}/robots.txt`,
        `${target.origin}/map.xml`,
        `${target.origin}/a`,
        `${external.origin}/out`,
      ]),
    );
    // robots.txt was read through the proxy: the disallowed URL was never fetched.
    expect(target.seen.map((request) => request.path)).not.toContain('/private/x');
    for (const request of [...target.seen, ...external.seen]) {
      expect(request.headers).toMatchObject({
        via: '1.1 test-proxy',
        'x-team': 'trawl-tests',
        'user-agent': 'ProxyTestBot/1.0',
      });
    }
    const checked = env.db
      .prepare('SELECT url, status FROM external_urls WHERE job_id = ?')
      .all(summary.jobId);
    expect(checked).toEqual([{ url: `${external.origin}/out`, status: 200 }]);
  }, 60_000);

  it('sends basic auth with robots.txt of its own host only', async () => {
    const token = `Basic ${Buffer.from('ann:s3cret').toString('base64')}`;
    const locked = await site((request) => {
      if (request.headers.authorization !== token) return [401, 'text/plain', 'who are you?'];
      if (request.url === '/robots.txt')
        return [200, 'text/plain', 'User-agent: *\nDisallow: /secret\n'];
      return [200, 'text/html', '<title>locked</title>'];
    });
    const open = await site((request) =>
      request.url === '/robots.txt'
        ? [200, 'text/plain', 'User-agent: *\nDisallow:\n']
        : [200, 'text/html', '<title>open</title>'],
    );

    const summary = await (
      await env.service().start({
        startUrls: [`${locked.origin}/page`, `${locked.origin}/secret`, `${open.origin}/page`],
        mode: 'list',
        scope: 'all',
        workers: 1,
        basicAuth: [{ host: `127.0.0.1:${locked.port}`, username: 'ann', password: 's3cret' }],
      })
    ).finished;

    expect(summary.status).toBe('finished');
    // The rules behind the login were read: /secret is blocked (state 4), never fetched.
    // Sorted like the query: which server got the lower port is chance.
    expect(frontier(summary.jobId)).toEqual(
      [
        { url: `${locked.origin}/page`, state: 2 },
        { url: `${locked.origin}/secret`, state: 4 },
        { url: `${open.origin}/page`, state: 2 },
      ].sort((a, b) => (a.url < b.url ? -1 : 1)),
    );
    expect(locked.seen.map((request) => request.path).sort()).toEqual(['/page', '/robots.txt']);
    expect(locked.seen.every((request) => request.headers.authorization === token)).toBe(true);
    expect(open.seen.map((request) => request.path).sort()).toEqual(['/page', '/robots.txt']);
    expect(open.seen.every((request) => request.headers.authorization === undefined)).toBe(true);
  }, 60_000);
});

describe('sitemap URLs and --include / --exclude', () => {
  it('never fetches or stores a sitemap URL the patterns refuse', async () => {
    const target = await site((request, origin) => {
      if (request.url === '/sitemap.xml')
        return [
          200,
          'application/xml',
          urlset(
            `${origin}/blog/one`,
            `${origin}/blog/two?print=1`,
            `${origin}/shop/cart`,
            `${origin}/blog/drafts/three`,
          ),
        ];
      if (request.url === '/robots.txt') return [404, 'text/plain', ''];
      return [200, 'text/html', '<title>post</title>'];
    });

    const summary = await (
      await env.service().start({
        startUrls: [`${target.origin}/`],
        mode: 'sitemap',
        workers: 1,
        include: ['/blog/'],
        exclude: ['/drafts/', 'print=1'],
      })
    ).finished;

    expect(summary.status).toBe('finished');
    expect(pageUrls(summary.jobId)).toEqual([`${target.origin}/blog/one`]);
    expect(frontier(summary.jobId).map((row) => row.url)).toEqual([`${target.origin}/blog/one`]);
    expect(target.seen.map((request) => request.path).sort()).toEqual([
      '/blog/one',
      '/robots.txt',
      '/sitemap.xml',
    ]);
    expect(env.logs).toContainEqual(
      expect.stringMatching(/sitemap .*: 1 URLs \(3 outside the scope or its patterns skipped\)/),
    );
  }, 60_000);
});
