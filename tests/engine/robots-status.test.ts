import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { iterateReport } from '../../electron/engine/results/reports';
import type { JobSettingsInput } from '../../shared/job-settings';
import type { ReportName } from '../../shared/results';
import { engineEnv } from './engine-env';

const env = engineEnv();

type RobotsAnswer = number | 'no answer';

/**
 * A site whose robots.txt answers `answer` (a status, or a dropped
 * connection) with a body of rules that must not be read; its home page
 * links to a private page. Returns its origin and the paths requested.
 */
async function site(answer: RobotsAnswer) {
  const requested: string[] = [];
  const origin = await env.listen((request: http.IncomingMessage, response) => {
    requested.push(request.url ?? '/');
    if (request.url === '/robots.txt') {
      if (answer === 'no answer') return void request.socket.destroy();
      response.writeHead(answer, { 'content-type': 'text/plain' });
      return void response.end('User-agent: *\nDisallow: /private/\n');
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<a href="/private/page">private</a>');
  });
  return { origin, requested };
}

/** Quick retries, so a robots.txt that keeps failing is given up on at once. */
const QUICK: Partial<JobSettingsInput> = { workers: 1, retries: 2, retryBaseDelayMs: 1 };

function frontier(jobId: number) {
  return env.db
    .prepare('SELECT url, state, error FROM frontier WHERE job_id = ? ORDER BY id')
    .all(jobId);
}

describe('a robots.txt that is unavailable', () => {
  it.each<[RobotsAnswer, string]>([
    [503, 'HTTP 503'],
    // Too Many Requests: the server is overloaded, not without a robots.txt.
    [429, 'HTTP 429'],
    ['no answer', 'socket hang up'],
  ])('%s, after the retries: the whole host is blocked, with why', async (answer, why) => {
    const { origin, requested } = await site(answer);
    const job = await env.service().start({ startUrls: [`${origin}/`], ...QUICK });
    const summary = await job.finished;
    expect(summary).toMatchObject({ status: 'finished', pages: 0, blocked: 1 });

    // Tried once and twice more, and nothing else requested.
    expect(requested).toEqual(['/robots.txt', '/robots.txt', '/robots.txt']);
    // Shown with the errors, as the dashboard lists them.
    expect(job.snapshot().recentErrors).toEqual([
      {
        url: `${origin}/`,
        error: `blocked by robots.txt: unavailable (${why}), which disallows the whole host`,
        at: expect.any(Number),
      },
    ]);
    expect(frontier(job.id)).toEqual([
      {
        url: `${origin}/`,
        state: 4,
        error: `blocked by robots.txt: unavailable (${why}), which disallows the whole host`,
      },
    ]);
    expect(env.logs).toContain(
      `warn: ${origin}/robots.txt is unavailable (${why}); RFC 9309 reads that as disallowing ` +
        'the whole host: its URLs are recorded as blocked (--robots-unavailable allow crawls them anyway)',
    );
  });

  it('is read as allowing everything with robotsUnavailable: allow, with a warning', async () => {
    const { origin, requested } = await site(503);
    const job = await env
      .service()
      .start({ startUrls: [`${origin}/`], ...QUICK, robotsUnavailable: 'allow' });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 2, blocked: 0 });
    expect(requested).toContain('/private/page');
    expect(env.logs).toContain(
      `warn: ${origin}/robots.txt is unavailable (HTTP 503); crawling as if it allowed everything ` +
        '(--robots-unavailable allow)',
    );
  });

  it('is not asked for with ignoreRobots', async () => {
    const { origin, requested } = await site(503);
    const job = await env
      .service()
      .start({ startUrls: [`${origin}/`], ...QUICK, ignoreRobots: true });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 2 });
    expect(requested.sort()).toEqual(['/', '/private/page']);
  });

  it('only has no Sitemap lines for a sitemap crawl that ignores robots.txt', async () => {
    const origin = await env.listen((request, response) => {
      if (request.url === '/robots.txt') return void response.writeHead(503).end();
      if (request.url === '/sitemap.xml') {
        response.writeHead(200, { 'content-type': 'application/xml' });
        return void response.end(
          `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/listed</loc></url></urlset>`,
        );
      }
      response.writeHead(200, { 'content-type': 'text/html' }).end('listed');
    });
    const job = await env.service().start({
      startUrls: [`${origin}/`],
      ...QUICK,
      mode: 'sitemap',
      ignoreRobots: true,
    });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 1, blocked: 0 });
    expect(env.logs.filter((line) => line.startsWith('warn:'))).toEqual([]);
  });

  it('blocks nothing once a retry reads it', async () => {
    let robotsAsked = 0;
    const origin = await env.listen((request, response) => {
      if (request.url === '/robots.txt' && robotsAsked++ === 0) {
        return void response.writeHead(503).end();
      }
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(request.url === '/robots.txt' ? '' : '<a href="/private/page">private</a>');
    });
    const job = await env.service().start({ startUrls: [`${origin}/`], ...QUICK });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 2, blocked: 0 });
    expect(robotsAsked).toBe(2);
  });

  it('is read as allowing everything in a job an earlier Trawl stored, as it ran then', async () => {
    let robotsStatus = 200;
    const requested: string[] = [];
    const origin = await env.listen((request, response) => {
      requested.push(request.url ?? '/');
      if (request.url === '/robots.txt') return void response.writeHead(robotsStatus).end();
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<a href="/private/page">private</a>');
    });
    const first = await env.service().start({ startUrls: [`${origin}/`], ...QUICK, maxPages: 1 });
    expect(await first.finished).toMatchObject({ status: 'finished', pages: 1 });
    // The job as a Trawl without the setting stored it.
    const settings = env.db.prepare('SELECT settings FROM jobs WHERE id = ?').pluck();
    const stored = JSON.parse(settings.get(first.id) as string) as Record<string, unknown>;
    expect(stored.robotsUnavailable).toBe('disallow');
    delete stored.robotsUnavailable;
    env.db
      .prepare('UPDATE jobs SET settings = ? WHERE id = ?')
      .run(JSON.stringify(stored), first.id);

    robotsStatus = 503;
    const resumed = await env.service().resume(first.id, { maxPages: 10 });
    expect(await resumed.finished).toMatchObject({ status: 'finished', pages: 2, blocked: 0 });
    expect(requested).toContain('/private/page');
    expect(JSON.parse(settings.get(first.id) as string)).toMatchObject({
      robotsUnavailable: 'allow',
    });
  });
});

describe('a robots.txt that is missing', () => {
  it.each([404, 403, 410])('HTTP %i: everything is allowed, unwarned', async (status) => {
    const { origin, requested } = await site(status);
    const job = await env.service().start({ startUrls: [`${origin}/`], ...QUICK });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 2, blocked: 0 });
    expect(requested).toEqual(['/robots.txt', '/', '/private/page']);
    expect(env.logs.filter((line) => line.includes('robots.txt'))).toEqual([]);
  });
});

describe('a resumed job whose robots.txt was unavailable', () => {
  /**
   * A site whose robots.txt answers `robots.status` (changed between runs),
   * with a rule for /private/; its home page links there and to /open.
   */
  async function switchingSite() {
    const robots = { status: 503, body: 'User-agent: *\nDisallow: /private/\n' };
    const origin = await env.listen((request, response) => {
      if (request.url === '/robots.txt') {
        response.writeHead(robots.status, { 'content-type': 'text/plain' });
        return void response.end(robots.body);
      }
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(request.url === '/' ? '<a href="/private/page">p</a><a href="/open">o</a>' : '');
    });
    return { origin, robots };
  }

  const report = (jobId: number, name: ReportName) => [...iterateReport(env.db, jobId, name).rows];
  const stored = (jobId: number) =>
    env
      .service()
      .list()
      .find((job) => job.id === jobId);

  it('judges its blocked URLs again once robots.txt answers; a rule blocks as before', async () => {
    const { origin, robots } = await switchingSite();
    const first = await env.service().start({ startUrls: [`${origin}/`], ...QUICK });
    expect(await first.finished).toMatchObject({ pages: 0, blocked: 1 });

    robots.status = 200;
    const resumed = await env.service().resume(first.id);
    expect(await resumed.finished).toMatchObject({
      status: 'finished',
      pages: 2,
      blocked: 1,
      crawled: 2,
    });
    expect(resumed.snapshot().recentErrors).toEqual([]);
    expect(frontier(first.id)).toEqual([
      { url: `${origin}/`, state: 2, error: null },
      { url: `${origin}/private/page`, state: 4, error: 'blocked by robots.txt' },
      { url: `${origin}/open`, state: 2, error: null },
    ]);
    expect(stored(first.id)).toMatchObject({ pages: 2, failed: 0, blocked: 1 });
    expect(report(first.id, 'blocked-by-robots')).toEqual([
      {
        url: `${origin}/private/page`,
        depth: 1,
        reason: 'blocked by robots.txt',
        foundOn: `${origin}/`,
      },
    ]);
    expect(report(first.id, 'depth-distribution')).toEqual([
      { depth: 0, urls: 1, pages: 1, failed: 0, blocked: 0, queued: 0 },
      { depth: 1, urls: 2, pages: 1, failed: 0, blocked: 1, queued: 0 },
    ]);

    // A URL a rule blocked is not judged again, even by a robots.txt that now allows it.
    robots.body = '';
    const again = await env.service().resume(first.id);
    expect(await again.finished).toMatchObject({ pages: 2, blocked: 1, crawled: 0 });
    expect(frontier(first.id)[1]).toMatchObject({ state: 4, error: 'blocked by robots.txt' });
  });

  it('blocks them again, once each, while robots.txt is still unavailable', async () => {
    const { origin } = await switchingSite();
    const first = await env.service().start({ startUrls: [`${origin}/`], ...QUICK });
    await first.finished;
    const resumed = await env.service().resume(first.id);
    expect(await resumed.finished).toMatchObject({ status: 'finished', pages: 0, blocked: 1 });
    const why = 'blocked by robots.txt: unavailable (HTTP 503), which disallows the whole host';
    expect(frontier(first.id)).toEqual([{ url: `${origin}/`, state: 4, error: why }]);
    expect(resumed.snapshot().recentErrors).toEqual([
      { url: `${origin}/`, error: why, at: expect.any(Number) },
    ]);
    expect(stored(first.id)).toMatchObject({ pages: 0, blocked: 1 });
    expect(report(first.id, 'depth-distribution')).toEqual([
      { depth: 0, urls: 1, pages: 0, failed: 0, blocked: 1, queued: 0 },
    ]);
  });

  it('says so of a redirect into such a host, and follows it once the host is back', async () => {
    const target = await switchingSite();
    const origin = await env.listen((request, response) => {
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      response.writeHead(301, { location: `${target.origin}/open` }).end();
    });
    const settings = { startUrls: [`${origin}/`], ...QUICK, scope: 'all' as const, maxDepth: 0 };
    const first = await env.service().start(settings);
    expect(await first.finished).toMatchObject({ pages: 0, blocked: 1 });
    const why =
      `redirected to ${target.origin}/open: ` +
      'blocked by robots.txt: unavailable (HTTP 503), which disallows the whole host';
    expect(frontier(first.id)).toEqual([{ url: `${origin}/`, state: 4, error: why }]);
    expect(first.snapshot().recentErrors).toEqual([
      { url: `${origin}/`, error: why, at: expect.any(Number) },
    ]);

    target.robots.status = 200;
    const resumed = await env.service().resume(first.id);
    expect(await resumed.finished).toMatchObject({ pages: 1, blocked: 0 });
    expect(frontier(first.id)).toEqual([{ url: `${origin}/`, state: 2, error: null }]);
    const hops = env.db.prepare('SELECT hop, url, status FROM redirects').all();
    expect(hops).toEqual([{ hop: 0, url: `${origin}/`, status: 301 }]);
  });
});
