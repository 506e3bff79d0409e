import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { ChildProcessLauncher } from '../../electron/engine/child-process-launcher';
import { CrawlService } from '../../electron/engine/crawl-service';
import { openDatabase } from '../../electron/engine/store/database';
import { engineEnv } from './engine-env';

const env = engineEnv();

function redirect(response: http.ServerResponse, location: string): void {
  response.writeHead(301, { location });
  response.end();
}

/** A crawl from `origin`/ by one worker, with `jsessionid` stripped from URLs. */
function crawlStrippingSessions(origin: string) {
  return env.service().start({
    startUrls: [`${origin}/`],
    stripParams: ['jsessionid'],
    ignoreRobots: true,
    workers: 1,
  });
}

describe('URLs a browser takes as one, and queries on legacy-encoded pages', () => {
  it('fetches each URL once however its escapes are written, and queries as a browser encodes them', async () => {
    const requested: string[] = [];
    const origin = await env.listen((request, response) => {
      const path = request.url ?? '/';
      requested.push(path);
      if (path === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' });
        const links = ['/search?q=é', '/%7Euser', '/~user', '/%7euser', '/a%2fb', '/a%2Fb'];
        // windows-1252 bytes: é is 0xE9, as in latin1.
        return void response.end(
          Buffer.from(links.map((href) => `<a href="${href}">x</a>`).join(''), 'latin1'),
        );
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<title>leaf</title>');
    });
    const job = await env
      .service()
      .start({ startUrls: [`${origin}/`], ignoreRobots: true, workers: 1 });
    const summary = await job.finished;
    expect(summary.status).toBe('finished');

    // The query in windows-1252, as a browser sends it, not in UTF-8 (%C3%A9).
    expect(requested.toSorted()).toEqual(['/', '/a%2Fb', '/search?q=%E9', '/~user']);
    const urls = env.db
      .prepare('SELECT url FROM pages WHERE job_id = ? ORDER BY url')
      .pluck()
      .all(job.id);
    expect(urls).toEqual([
      `${origin}/`,
      `${origin}/a%2Fb`,
      `${origin}/search?q=%E9`,
      `${origin}/~user`,
    ]);
  });

  it('follows a server that redirects a URL to another spelling of it, as one page', async () => {
    const requested: string[] = [];
    const origin = await env.listen((request, response) => {
      const path = request.url ?? '/';
      requested.push(path);
      if (!path.includes('loop') && path !== '/~spelled')
        response.writeHead(200, { 'content-type': 'text/html' });
      if (path === '/') return void response.end('<a href="/~spelled">x</a>');
      // The server's own spelling, and /%7eloop the way to no end.
      if (path === '/~spelled') return void redirect(response, '/%7Espelled');
      if (path === '/%7Espelled')
        return void response.end('<a href="/after">y</a><a href="/~loop">z</a>');
      if (path === '/~loop') return void redirect(response, '/%7Eloop');
      if (path === '/%7Eloop') return void redirect(response, '/~loop');
      response.end('<title>after</title>');
    });
    const job = await env
      .service()
      .start({ startUrls: [`${origin}/`], ignoreRobots: true, workers: 1 });
    await job.finished;
    expect(requested).toEqual(['/', '/~spelled', '/%7Espelled', '/after', '/~loop', '/%7Eloop']);
    // Its links are followed: the page is the URL's own, not a redirect to a page crawled apart.
    expect(
      env.db
        .prepare(
          'SELECT url, status, redirect_count AS hops FROM pages WHERE job_id = ? ORDER BY id',
        )
        .all(job.id),
    ).toEqual([
      { url: `${origin}/`, status: 200, hops: 0 },
      { url: `${origin}/~spelled`, status: 200, hops: 0 },
      { url: `${origin}/after`, status: 200, hops: 0 },
    ]);
    expect(
      env.db
        .prepare('SELECT error FROM frontier WHERE job_id = ? AND url LIKE ?')
        .pluck()
        .get(job.id, '%loop'),
    ).toBe(`redirect loop: ${origin}/~loop -> ${origin}/~loop`);
  });

  it('takes a redirect that only adds a session id the job strips for the URL itself, as one page', async () => {
    const requested: string[] = [];
    let sessions = 0;
    // A Java site without cookies: each URL without a session id redirects to itself with a new one.
    const origin = await env.listen((request, response) => {
      const path = request.url ?? '/';
      requested.push(path);
      const [plain, session] = path.split(';jsessionid=');
      if (session === undefined)
        return void redirect(response, `${plain};jsessionid=S${++sessions}`);
      response.writeHead(200, { 'content-type': 'text/html' });
      if (plain === '/') return void response.end(`<a href="/next;jsessionid=${session}">n</a>`);
      response.end(`<title>next</title><a href="/;jsessionid=${session}">home</a>`);
    });
    const job = await crawlStrippingSessions(origin);
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 2, failed: 0 });
    expect(requested).toEqual(['/', '/;jsessionid=S1', '/next', '/next;jsessionid=S2']);
    expect(
      env.db
        .prepare(
          `SELECT url, status, final_url AS finalUrl, redirect_count AS hops, link_count AS links
           FROM pages WHERE job_id = ? ORDER BY id`,
        )
        .all(job.id),
    ).toEqual([
      { url: `${origin}/`, status: 200, finalUrl: `${origin}/`, hops: 0, links: 1 },
      { url: `${origin}/next`, status: 200, finalUrl: `${origin}/next`, hops: 0, links: 1 },
    ]);
  });

  it('takes a chain that comes back to the URL itself with a session id the job strips, as one page whose links are followed', async () => {
    const requested: string[] = [];
    // A site that checks a new visitor at /check and sends it back with a session id.
    const origin = await env.listen((request, response) => {
      const path = request.url ?? '/';
      requested.push(path);
      if (path === '/page') return void redirect(response, '/check');
      if (path === '/check') return void redirect(response, '/page;jsessionid=S1');
      response.writeHead(200, { 'content-type': 'text/html' });
      if (path === '/') return void response.end('<a href="/page">page</a>');
      if (path === '/page;jsessionid=S1')
        return void response.end('<title>page</title><a href="/below">below</a>');
      response.end(`<title>${path}</title>`);
    });
    const job = await crawlStrippingSessions(origin);
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 3, failed: 0 });
    expect(requested).toEqual(['/', '/page', '/check', '/page;jsessionid=S1', '/below']);
    expect(
      env.db
        .prepare(
          `SELECT url, status, final_url AS finalUrl, redirect_count AS hops, title
           FROM pages WHERE job_id = ? ORDER BY id`,
        )
        .all(job.id),
    ).toEqual([
      { url: `${origin}/`, status: 200, finalUrl: `${origin}/`, hops: 0, title: null },
      { url: `${origin}/page`, status: 200, finalUrl: `${origin}/page`, hops: 0, title: 'page' },
      {
        url: `${origin}/below`,
        status: 200,
        finalUrl: `${origin}/below`,
        hops: 0,
        title: '/below',
      },
    ]);
  });

  it('a job the previous build stored with an escaped URL resumes without fetching it again', async () => {
    const requested: string[] = [];
    const origin = await env.listen((request, response) => {
      const path = request.url ?? '/';
      requested.push(path);
      response.writeHead(200, { 'content-type': 'text/html' });
      // The home page links the escaped spelling first; /next, crawled last, the plain one.
      if (path === '/') return void response.end('<a href="/%7Euser">a</a><a href="/next">b</a>');
      if (path === '/next') return void response.end('<a href="/~user">c</a>');
      response.end('<title>user</title>');
    });
    const first = await env.service().start({
      startUrls: [`${origin}/`],
      ignoreRobots: true,
      workers: 1,
      maxPages: 2,
    });
    expect((await first.finished).pages).toBe(2);
    expect(requested).toEqual(['/', '/~user']);
    // What the previous build stored for it: the link as written, in an older schema.
    env.db.exec(`
      UPDATE frontier SET url = replace(url, '/~user', '/%7Euser');
      UPDATE pages SET url = replace(url, '/~user', '/%7Euser'),
        final_url = replace(final_url, '/~user', '/%7Euser');
      UPDATE link_targets SET url = replace(url, '/~user', '/%7Euser');
      INSERT INTO pages_fts (pages_fts) VALUES ('rebuild');
      PRAGMA user_version = 12;
    `);

    const db = openDatabase(env.dbFile);
    env.onCleanup(async () => void db.close());
    const service = new CrawlService({
      db,
      launcher: new ChildProcessLauncher(),
      logger: () => {},
    });
    const resumed = await (await service.resume(first.id, { maxPages: null })).finished;
    expect(resumed.status).toBe('finished');
    expect(requested).toEqual(['/', '/~user', '/next']);
    expect(env.storedUrls(first.id)).toEqual([`${origin}/`, `${origin}/next`, `${origin}/~user`]);
    expect(
      db.prepare('SELECT to_url FROM links WHERE job_id = ? ORDER BY id').pluck().all(first.id),
    ).toEqual([`${origin}/~user`, `${origin}/next`, `${origin}/~user`]);
  });
});
