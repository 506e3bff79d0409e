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
  it('never requests a redirect target robots.txt disallows, and records the URL as blocked', async () => {
    const other = await site({ '/hop': 'redirect:/private/far' });
    const origin = await site({
      '/': `<a href="/go">go</a> <a href="/private/direct">direct</a> <a href="${other}/hop">hop</a>`,
      '/go': 'redirect:/private/near',
    });
    hits.length = 0;
    const job = await env.service().start({
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
      // Redirected to another origin: its robots.txt was read before the worker went on.
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
    // Disallowed URLs are never requested, directly or as a redirect's target.
    for (const url of [
      `${origin}/private/direct`,
      `${origin}/private/near`,
      `${other}/private/far`,
    ])
      expect(hits).not.toContain(url);
    expect(hits).toContain(`${other}/robots.txt`);
  });

  it('follows allowed redirects, and every redirect when robots.txt is ignored', async () => {
    const origin = await site({
      '/': '<a href="/moved">moved</a> <a href="/go">go</a>',
      '/moved': 'redirect:/new',
      '/go': 'redirect:/private/near',
    });
    hits.length = 0;
    const obeying = await (
      await env.service().start({ startUrls: [`${origin}/`], maxDepth: 1, workers: 1 })
    ).finished;
    const stored = (jobId: number) =>
      env.db
        .prepare('SELECT url, final_url AS finalUrl FROM pages WHERE job_id = ? ORDER BY url')
        .all(jobId);
    expect(stored(obeying.jobId)).toEqual([
      { url: `${origin}/`, finalUrl: `${origin}/` },
      { url: `${origin}/moved`, finalUrl: `${origin}/new` },
    ]);
    expect(hits).not.toContain(`${origin}/private/near`);

    const ignoring = await (
      await env.service().start({
        startUrls: [`${origin}/`],
        maxDepth: 1,
        workers: 1,
        ignoreRobots: true,
      })
    ).finished;
    expect(stored(ignoring.jobId)).toContainEqual({
      url: `${origin}/go`,
      finalUrl: `${origin}/private/near`,
    });
    expect(hits).toContain(`${origin}/private/near`);
  });

  it('gives a task waiting for a redirect target robots.txt back on a graceful stop, crawled on resume', async () => {
    let answerRobots = false;
    let robotsAsked!: () => void;
    const robotsRequested = new Promise<void>((resolve) => (robotsAsked = resolve));
    const other = await env.listen((request, response) => {
      if (request.url !== '/robots.txt') {
        response.writeHead(200, { 'content-type': 'text/html' });
        return void response.end('<title>there</title>');
      }
      robotsAsked();
      // Until the resume, the target's robots.txt never answers.
      if (answerRobots) response.writeHead(404).end();
    });
    const origin = await site({
      '/': '<a href="/r">r</a> <a href="/a">a</a>',
      '/r': `redirect:${other}/x`,
    });
    const settings = {
      startUrls: [`${origin}/`],
      scope: 'all' as const,
      workers: 1,
    };
    const job = await env.service().start(settings);
    await robotsRequested;
    // Without main's answer, the stop waited for the robots.txt request's timeout, and /r
    // was then blocked as unavailable.
    await job.stop();
    const row = env.db
      .prepare('SELECT state, error FROM frontier WHERE job_id = ? AND url = ?')
      .get(job.id, `${origin}/r`);
    expect(row).toEqual({ state: 0, error: null });
    expect(env.storedUrls(job.id)).not.toContain(`${origin}/r`);

    answerRobots = true;
    const resumed = await (await env.service().resume(job.id)).finished;
    expect(resumed.status).toBe('finished');
    const uninterrupted = await (await env.service().start(settings)).finished;
    expect(env.storedUrls(job.id)).toEqual(env.storedUrls(uninterrupted.jobId));
    expect(env.storedUrls(job.id)).toContain(`${origin}/r`);
  });
});
