import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { engineEnv } from './engine-env';

const env = engineEnv();
/** Requests the external server got, as "METHOD /path". */
const external: string[] = [];
const listen = (handler: http.RequestListener) => {
  external.length = 0;
  return env.listen(handler);
};

describe('external link checks', () => {
  it('checks each external URL once for its status, never crawls it, and a resume checks only what is left', async () => {
    const other = await listen((request, response) => {
      external.push(`${request.method} ${request.url}`);
      if (request.url === '/ok') {
        response.writeHead(200, { 'content-type': 'text/html' });
        return void response.end('<a href="/deeper">deeper</a>');
      }
      if (request.url === '/no-head') {
        return void response.writeHead(request.method === 'HEAD' ? 405 : 200).end();
      }
      if (request.url === '/moved') return void response.writeHead(301, { location: '/ok' }).end();
      response.writeHead(404).end();
    });
    const links = ['/ok', '/gone', '/no-head', '/moved'].map((path) => other + path);
    // A port nothing listens on (fetch refuses well-known ports such as 1 outright).
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const refused = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/refused`;
    await new Promise((resolve) => closed.close(resolve));
    const anchors = (hrefs: string[]) => hrefs.map((href) => `<a href="${href}">x</a>`).join('');
    const site = await listen((request, response) => {
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html' });
      // Both pages link to every external URL: each is still checked once.
      response.end(`<title>${request.url}</title>${anchors([...links, refused, '/second'])}`);
    });

    const service = env.service();
    const job = await service.start({ startUrls: [`${site}/`], workers: 1, checkExternal: true });
    const summary = await job.finished;
    expect(summary.status).toBe('finished');
    expect(summary.pages).toBe(2);

    const checks = () =>
      env.db
        .prepare(
          'SELECT url, status, error, checked_at IS NOT NULL AS checked FROM external_urls WHERE job_id = ? ORDER BY url',
        )
        .all(job.id) as { url: string; status: number | null; error: string | null }[];
    expect(checks()).toEqual(
      [
        { url: `${other}/gone`, status: 404, error: null, checked: 1 },
        { url: `${other}/moved`, status: 301, error: null, checked: 1 },
        { url: `${other}/no-head`, status: 200, error: null, checked: 1 },
        { url: `${other}/ok`, status: 200, error: null, checked: 1 },
        { url: refused, status: null, error: expect.stringMatching(/ECONNREFUSED/), checked: 1 },
      ].sort((a, b) => (a.url < b.url ? -1 : 1)),
    );
    // HEAD only (GET where HEAD is refused), redirects not followed, nothing crawled further.
    expect(external.sort()).toEqual([
      'GET /no-head',
      'HEAD /gone',
      'HEAD /moved',
      'HEAD /no-head',
      'HEAD /ok',
    ]);

    // As if the job had stopped before checking /gone: a resume checks that one alone.
    env.db
      .prepare('UPDATE external_urls SET checked_at = NULL, status = NULL WHERE url = ?')
      .run(`${other}/gone`);
    external.length = 0;
    expect((await (await service.resume(job.id)).finished).status).toBe('finished');
    expect(external).toEqual(['HEAD /gone']);
    expect(checks().find((row) => row.url.endsWith('/gone'))?.status).toBe(404);
  });

  it('records external links without checking them when the setting is off', async () => {
    const other = await listen((request, response) => {
      external.push(`${request.method} ${request.url}`);
      response.writeHead(200).end();
    });
    const site = await listen((request, response) => {
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<a href="${other}/x">x</a>`);
    });
    const job = await env.service().start({ startUrls: [`${site}/`], workers: 1 });
    await job.finished;
    expect(external).toEqual([]);
    const link = env.db.prepare('SELECT internal FROM links WHERE to_url = ?').get(`${other}/x`);
    expect(link).toEqual({ internal: 0 });
  });
});
