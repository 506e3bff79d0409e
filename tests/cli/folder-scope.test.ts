import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli } from '../helpers/cli';
import { listenDualScheme, TEST_CA_FILE } from '../helpers/dual-scheme-server';
import { processEnv } from '../helpers/process-env';

const env = processEnv();

describe('--scope folder', () => {
  it('crawls the folder when its start URL redirects from http to https', async () => {
    const requested: string[] = [];
    const site = await listenDualScheme({
      // Every http URL moves to https, as most sites do.
      http: (request, response) => {
        response.writeHead(301, { location: `https://${request.headers.host}${request.url}` });
        response.end();
      },
      https: (request, response) => {
        requested.push(request.url ?? '/');
        if (request.url === '/robots.txt') return void response.writeHead(404).end();
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(
          request.url === '/blog/'
            ? '<a href="/blog/post-1">1</a> <a href="/blog/post-2">2</a> <a href="/shop/">shop</a>'
            : '<title>a page</title>',
        );
      },
    });
    env.onCleanup(site.close);
    const https = site.origin.replace('http:', 'https:');

    const result = await runCli(
      ['crawl', `${site.origin}/blog/`, '--scope', 'folder', '--db', env.dbFile, '-w', '1'],
      { NODE_EXTRA_CA_CERTS: TEST_CA_FILE },
    );
    expect(result.code).toBe(0);

    const db = openDatabase(env.dbFile, { mustExist: true });
    const pages = db.prepare('SELECT url, final_url AS finalUrl FROM pages ORDER BY url').all();
    db.close();
    expect(pages).toEqual([
      { url: `${site.origin}/blog/`, finalUrl: `${https}/blog/` },
      // Where the start URL redirected is a page of its own.
      { url: `${https}/blog/`, finalUrl: `${https}/blog/` },
      { url: `${https}/blog/post-1`, finalUrl: `${https}/blog/post-1` },
      { url: `${https}/blog/post-2`, finalUrl: `${https}/blog/post-2` },
    ]);
    expect(requested).not.toContain('/shop/');
  });
});
