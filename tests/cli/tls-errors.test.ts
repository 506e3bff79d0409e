import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli } from '../helpers/cli';
import { listenDualScheme } from '../helpers/dual-scheme-server';
import { startForwardProxy } from '../helpers/forward-proxy';
import { processEnv } from '../helpers/process-env';

const env = processEnv();

/** A staging site behind a self-signed certificate, which this process does not trust. */
async function stagingSite() {
  const https: http.RequestListener = (request, response) => {
    if (request.url === '/robots.txt') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      return void response.end('User-agent: *\nDisallow: /private\n');
    }
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(
      request.url === '/'
        ? '<title>home</title><a href="/a">a</a> <a href="/private">p</a>'
        : `<title>${request.url}</title>`,
    );
  };
  const site = await listenDualScheme({ http: https, https });
  env.onCleanup(site.close);
  return site.origin.replace('http:', 'https:');
}

/** `trawl crawl` of the site's home page with one worker, and these flags. */
const crawl = (origin: string, ...flags: string[]) =>
  runCli(['crawl', `${origin}/`, '--db', env.dbFile, '-w', '1', ...flags]);

function storedPages() {
  const db = openDatabase(env.dbFile, { mustExist: true });
  const rows = db.prepare('SELECT url, status, title FROM pages ORDER BY url').all() as {
    url: string;
    status: number;
    title: string;
  }[];
  db.close();
  return rows;
}

describe('a server whose certificate does not verify', () => {
  it('is refused with the setting that crawls it named, then crawled with --ignore-tls-errors', async () => {
    const origin = await stagingSite();
    const refused = await crawl(origin);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `trawl: error: cannot reach ${origin}/: self-signed certificate (ignoreTlsErrors)`,
    );

    const crawled = await crawl(origin, '--ignore-tls-errors', '--json');
    expect(crawled.stderr).toBe('');
    expect(crawled.code).toBe(0);
    // robots.txt was read (main's request), so /private is blocked, not the whole host.
    expect(JSON.parse(crawled.stdout)).toMatchObject({ pages: 2, failed: 0, blocked: 1 });
    expect(storedPages()).toEqual([
      { url: `${origin}/`, status: 200, title: 'home' },
      { url: `${origin}/a`, status: 200, title: '/a' },
    ]);
  });

  it('names the setting in a page that failed on it', async () => {
    const origin = await stagingSite();
    const result = await crawl(origin, '--ignore-robots');
    expect(result.code).toBe(1);
    const failed = 'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate (ignoreTlsErrors)';
    expect(result.stderr).toContain(`cannot reach ${origin}/: ${failed}`);
  });

  it('is crawled through a proxy tunnel with --ignore-tls-errors', async () => {
    const origin = await stagingSite();
    const proxy = await startForwardProxy();
    env.onCleanup(proxy.close);
    const result = await crawl(origin, '--proxy', proxy.origin, '--ignore-tls-errors', '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(storedPages().map(({ url, title }) => [url, title])).toEqual([
      [`${origin}/`, 'home'],
      [`${origin}/a`, '/a'],
    ]);
    expect(proxy.urls[0]).toBe(`CONNECT ${new URL(origin).host}`);
  });
});
