import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();
const hits: string[] = [];

/** A site whose robots.txt disallows /private/; `routes` maps paths to a redirect target or a page. */
async function site(routes: Record<string, string>): Promise<string> {
  const origin = await env.listen((request, response) => {
    const path = request.url ?? '/';
    hits.push(`${origin}${path}`);
    if (path === '/robots.txt') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      return void response.end('User-agent: *\nDisallow: /private/\n');
    }
    const route = routes[path];
    if (route?.startsWith('redirect:')) {
      return void response.writeHead(301, { location: route.slice('redirect:'.length) }).end();
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(route ?? '<title>a page</title>');
  });
  return origin;
}

describe('robots.txt and redirects', () => {
  it('records a URL that redirects into a disallowed path as blocked, not as a page', async () => {
    const other = await site({ '/hop': 'redirect:/private/far' });
    const origin = await site({
      '/': `<a href="/go">go</a> <a href="/private/direct">direct</a> <a href="${other}/hop">hop</a>`,
      '/go': 'redirect:/private/near',
    });
    hits.length = 0;
    const job = env.service().start({
      startUrls: [`${origin}/`],
      // The other site is in scope, so the worker follows the redirect to it.
      scope: 'all',
      maxDepth: 1,
      workers: 1,
    });
    const summary = await job.finished;
    expect(summary.status).toBe('finished');

    const rows = env.db
      .prepare(
        `SELECT f.url, f.state, f.error, (SELECT count(*) FROM redirects r WHERE r.frontier_id = f.id) AS hops
         FROM frontier f WHERE f.job_id = ? ORDER BY f.id`,
      )
      .all(job.id);
    expect(rows).toEqual([
      { url: `${origin}/`, state: 2, error: null, hops: 0 },
      {
        url: `${origin}/go`,
        state: 4,
        error: `redirected to ${origin}/private/near, which robots.txt blocks`,
        hops: 1,
      },
      { url: `${origin}/private/direct`, state: 4, error: 'blocked by robots.txt', hops: 0 },
      // Redirected to another origin: held until that origin's robots.txt was read.
      {
        url: `${other}/hop`,
        state: 4,
        error: `redirected to ${other}/private/far, which robots.txt blocks`,
        hops: 1,
      },
    ]);
    const pages = env.db.prepare('SELECT url FROM pages WHERE job_id = ?').all(job.id);
    expect(pages).toEqual([{ url: `${origin}/` }]);
    expect(summary.blocked).toBe(3);
    // A URL disallowed directly is never requested.
    expect(hits).not.toContain(`${origin}/private/direct`);
  });
});
