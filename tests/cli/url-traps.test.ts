import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli } from '../helpers/cli';
import { processEnv } from '../helpers/process-env';

const env = processEnv();

/**
 * A site of URL traps: every page hands out a new session id, in the path
 * (`;jsessionid=`) and in the query (`?sid=`), as a Java or PHP site does
 * for a visitor without cookies; a filter page combines ever more filters,
 * and a search page links to a query ten letters longer.
 */
async function trapSite(): Promise<{ origin: string; requested: string[] }> {
  const requested: string[] = [];
  let session = 0;
  const server = await env.listen((request, response) => {
    const path = request.url ?? '/';
    if (path === '/robots.txt') return void response.writeHead(404).end();
    requested.push(path);
    const id = `S${++session}`;
    const filters = new URL(path, 'http://x').searchParams.size;
    const query = new URL(path, 'http://x').searchParams.get('q') ?? '';
    const links = [
      `/shop;jsessionid=${id}?sid=${id}`,
      `/shop?sid=${id}&page=2`,
      `/filter?${Array.from({ length: filters + 1 }, (_, n) => `f${n}=1`).join('&')}`,
      `/search?q=${query}xxxxxxxxxx`,
    ];
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(links.map((href) => `<a href="${href}">link</a>`).join(''));
  });
  return { origin: server.origin, requested };
}

describe('URL traps', () => {
  it('--strip-param, --max-query-params and --max-url-length end session ids, filter combinations and growing queries', async () => {
    const { origin, requested } = await trapSite();
    const result = await runCli([
      ...['crawl', `${origin}/`, '--db', env.dbFile, '--workers', '1', '--json'],
      // A limit the traps would reach without the rules; named in any case.
      ...['--max-pages', '100', '--strip-param', 'JSESSIONID', '--strip-param', 'sid'],
      ...['--max-query-params', '2', '--max-url-length', String(`${origin}/search?q=`.length + 25)],
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    expect(requested.toSorted()).toEqual([
      '/',
      '/filter?f0=1',
      '/filter?f0=1&f1=1',
      `/search?q=${'x'.repeat(10)}`,
      `/search?q=${'x'.repeat(20)}`,
      '/shop',
      '/shop?page=2',
    ]);
    const db = openDatabase(env.dbFile);
    try {
      // Links past a limit are still stored as the links they are, unfollowed.
      const links = db
        .prepare(
          `SELECT to_url FROM links WHERE from_page =
             (SELECT id FROM pages WHERE url = ?) ORDER BY to_url`,
        )
        .pluck()
        .all(`${origin}/filter?f0=1&f1=1`);
      expect(links).toEqual([
        `${origin}/filter?f0=1&f1=1&f2=1`,
        `${origin}/search?q=${'x'.repeat(10)}`,
        `${origin}/shop`,
        `${origin}/shop?page=2`,
      ]);
    } finally {
      db.close();
    }
  });
});
