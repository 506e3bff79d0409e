import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMainFetch } from '../../electron/engine/main-fetch';
import { readSitemap } from '../../electron/engine/sitemap-reader';
import type { JobSettingsInput } from '../../shared/job-settings';
import { engineEnv } from './engine-env';

const env = engineEnv();
let origin: string;
const hits = new Map<string, number>();
/** Path -> [content type, body, Content-Encoding]; anything else is a 404. */
let routes: Record<string, [string, string | Buffer, string?]> = {};
/** Paths whose answer waits until another path has been requested, or HOLD_FALLBACK_MS. */
let holds: Record<string, string> = {};
const HOLD_FALLBACK_MS = 3000;
const waiting = new Map<string, (() => void)[]>();

const urlset = (...paths: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${paths.map((path) => `  <url><loc>${path.startsWith('http') ? path : origin + path}</loc><lastmod>2024-01-01</lastmod></url>`).join('\n')}
</urlset>`;
const sitemapIndex = (...paths: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${paths.map((path) => `  <sitemap><loc>${origin}${path}</loc></sitemap>`).join('\n')}
</sitemapindex>`;
const page = (...links: string[]) =>
  `<title>page</title>${links.map((href) => `<a href="${href}">x</a>`).join('')}`;

beforeEach(async () => {
  hits.clear();
  routes = {};
  holds = {};
  origin = await env.listen((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    for (const release of waiting.get(path) ?? []) release();
    waiting.delete(path);
    const answer = () => {
      const route = routes[path];
      if (!route) return void response.writeHead(404).end('not found');
      const [contentType, , coding] = route;
      response.writeHead(200, {
        'content-type': contentType,
        ...(coding ? { 'content-encoding': coding } : {}),
      });
      response.end(route[1]);
    };
    const after = holds[path];
    if (after && !hits.has(after)) {
      waiting.set(after, [...(waiting.get(after) ?? []), answer]);
      setTimeout(() => {
        const answers = waiting.get(after);
        if (answers?.includes(answer)) {
          answers.splice(answers.indexOf(answer), 1);
          answer();
        }
      }, HOLD_FALLBACK_MS);
    } else answer();
  });
});

function crawl(startUrl: string, settings: Partial<JobSettingsInput> = {}) {
  return env.service().start({ startUrls: [startUrl], mode: 'sitemap', workers: 1, ...settings });
}

function frontierRows(jobId: number) {
  return env.db
    .prepare(
      `SELECT substr(url, length(?) + 1) AS path, depth, in_sitemap AS inSitemap, state
       FROM frontier WHERE job_id = ? ORDER BY url`,
    )
    .all(origin, jobId) as { path: string; depth: number; inSitemap: number; state: number }[];
}

describe('sitemap mode', () => {
  it('seeds from the sitemaps robots.txt names: indexes, gzipped files, broken ones skipped', async () => {
    routes = {
      '/robots.txt': ['text/plain', `User-agent: *\nDisallow:\n\nSitemap: ${origin}/index.xml\n`],
      '/index.xml': [
        'application/xml',
        sitemapIndex(
          '/maps/plain.xml',
          '/maps/zipped.xml.gz',
          '/maps/zipped-without-a-name',
          '/maps/missing.xml',
          '/maps/broken.xml',
          '/maps/late.xml',
          '/index.xml',
        ),
      ],
      '/maps/plain.xml': ['application/xml', urlset('/a', '/b', 'http://elsewhere.invalid/x')],
      '/maps/zipped.xml.gz': ['application/gzip', gzipSync(urlset('/c', '/d'))],
      // Gzip is recognised by its first bytes, whatever the name and type say.
      '/maps/zipped-without-a-name': ['text/xml', gzipSync(urlset('/e'))],
      '/maps/broken.xml': [
        'application/xml',
        `<urlset><url><loc>${origin}/f</loc></url><url><loc>`,
      ],
      '/maps/late.xml': ['application/xml', urlset('/late')],
      '/': ['text/html', page('/never')],
      '/a': ['text/html', page('/linked', '/b', '/late')],
      '/b': ['text/html', page()],
      '/c': ['text/html', page()],
      '/d': ['text/html', page()],
      '/e': ['text/html', page()],
      '/f': ['text/html', page()],
      '/linked': ['text/html', page()],
      '/late': ['text/html', page()],
    };
    // late.xml lists a page the crawl has found by then: it is marked, and listed it is depth 0.
    holds = { '/maps/late.xml': '/late' };

    const job = await crawl(`${origin}/`);
    const summary = await job.finished;

    expect(summary.status).toBe('finished');
    expect(frontierRows(job.id)).toEqual([
      { path: '/a', depth: 0, inSitemap: 1, state: 2 },
      { path: '/b', depth: 0, inSitemap: 1, state: 2 },
      { path: '/c', depth: 0, inSitemap: 1, state: 2 },
      { path: '/d', depth: 0, inSitemap: 1, state: 2 },
      { path: '/e', depth: 0, inSitemap: 1, state: 2 },
      { path: '/f', depth: 0, inSitemap: 1, state: 2 },
      { path: '/late', depth: 0, inSitemap: 1, state: 2 },
      { path: '/linked', depth: 1, inSitemap: 0, state: 2 },
    ]);
    // The site's home page is neither listed nor linked; the index that lists itself is read once.
    expect(hits.has('/')).toBe(false);
    expect(hits.get('/index.xml')).toBe(1);
    expect(env.logs).toContainEqual(
      expect.stringMatching(/sitemap .*\/maps\/missing\.xml failed: HTTP 404/),
    );
    expect(env.logs).toContainEqual(
      expect.stringMatching(/sitemap .*\/maps\/broken\.xml failed: not valid sitemap XML/),
    );
    expect(env.logs).toContainEqual(
      expect.stringMatching(/1 outside the scope or its patterns skipped/),
    );
  });

  it('with --max-depth, crawls within the limit below a page a late sitemap lists, also when a link found it first', async () => {
    // The same server under another host name: an external link, checked once /listed is stored.
    const probe = `${origin.replace('127.0.0.1', 'localhost')}/probe`;
    routes = {
      '/robots.txt': ['text/plain', `Sitemap: ${origin}/index.xml\n`],
      '/index.xml': ['application/xml', sitemapIndex('/maps/first.xml', '/maps/late.xml')],
      '/maps/first.xml': ['application/xml', urlset('/a')],
      '/maps/late.xml': ['application/xml', urlset('/listed')],
      '/a': ['text/html', page('/listed')],
      '/listed': ['text/html', page('/below', probe)],
      '/below': ['text/html', page('/too-deep')],
    };
    // Until /listed, which /a links, is stored; it need not be, and then late.xml
    // answers after HOLD_FALLBACK_MS.
    holds = { '/maps/late.xml': '/probe' };

    const job = await crawl(`${origin}/`, { maxDepth: 1, checkExternal: true });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 3 });
    expect(frontierRows(job.id)).toEqual([
      { path: '/a', depth: 0, inSitemap: 1, state: 2 },
      { path: '/below', depth: 1, inSitemap: 0, state: 2 },
      { path: '/listed', depth: 0, inSitemap: 1, state: 2 },
    ]);
  });

  it('reads a start URL ending in .xml.gz as the sitemap itself', async () => {
    routes = {
      '/feeds/pages.xml.gz': ['application/octet-stream', gzipSync(urlset('/one', '/two'))],
      '/one': ['text/html', page()],
      '/two': ['text/html', page()],
    };
    const job = await crawl(`${origin}/feeds/pages.xml.gz`);
    expect((await job.finished).status).toBe('finished');
    expect(frontierRows(job.id).map((row) => row.path)).toEqual(['/one', '/two']);
    expect(hits.has('/robots.txt')).toBe(true);
  });

  it("applies the job's URL rules to the URLs it lists, so a page listed and linked is fetched once", async () => {
    routes = {
      '/sitemap.xml': [
        'application/xml',
        urlset('/list?b=2&amp;a=1&amp;utm_source=feed', '/item;jsessionid=S1'),
      ],
      '/list?a=1&b=2': ['text/html', page('/list?a=1&b=2', '/item')],
      '/item': ['text/html', page('/list?a=1&b=2')],
    };
    const job = await crawl(`${origin}/`, {
      sortQueryParams: true,
      stripTrackingParams: true,
      stripParams: ['jsessionid'],
    });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 2, failed: 0 });
    expect(frontierRows(job.id)).toEqual([
      { path: '/item', depth: 0, inSitemap: 1, state: 2 },
      { path: '/list?a=1&b=2', depth: 0, inSitemap: 1, state: 2 },
    ]);
    expect([...hits.keys()].filter((path) => path !== '/robots.txt').toSorted()).toEqual([
      '/item',
      '/list?a=1&b=2',
      '/sitemap.xml',
    ]);
  });

  it('falls back to /sitemap.xml when robots.txt names no sitemap', async () => {
    routes = {
      '/sitemap.xml': ['application/xml', urlset('/only')],
      '/only': ['text/html', page()],
    };
    const job = await crawl(`${origin}/`);
    expect((await job.finished).pages).toBe(1);
    expect(frontierRows(job.id)).toEqual([{ path: '/only', depth: 0, inSitemap: 1, state: 2 }]);
  });

  it('fails the job with a clear error when no sitemap yields a URL', async () => {
    routes = { '/': ['text/html', page()] };
    const summary = await (await crawl(`${origin}/`)).finished;
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/sitemap mode found no URLs to crawl/);
    expect(env.logs).toContainEqual(
      expect.stringMatching(/sitemap .*\/sitemap\.xml failed: HTTP 404/),
    );
  });

  const read = (path: string, seen: string[], maxBytes?: number) =>
    readSitemap(`${origin}${path}`, {
      fetch: createMainFetch({
        userAgent: 'test',
        headers: {},
        basicAuth: [],
        proxy: null,
        ignoreTlsErrors: false,
      }),
      maxRedirects: 0,
      signal: new AbortController().signal,
      onUrls: (locs) => (seen.push(...locs), true),
      maxBytes,
    });

  it('reads a sitemap sent with a Content-Encoding: br, deflate, gzip over a .gz file', async () => {
    const xml = urlset('/a', '/b');
    routes = {
      '/br.xml': ['application/xml', brotliCompressSync(xml), 'br'],
      '/deflate.xml': ['application/xml', deflateSync(xml), 'deflate'],
      // A .gz file that a server compresses again on the way.
      '/twice.xml.gz': ['application/gzip', gzipSync(gzipSync(xml)), 'gzip'],
    };
    for (const path of Object.keys(routes)) {
      const seen: string[] = [];
      await read(path, seen);
      expect(seen, path).toEqual([`${origin}/a`, `${origin}/b`]);
    }
  });

  it('cuts off a gzipped sitemap that expands past the size cap', async () => {
    const bomb = urlset('/x') + ' '.repeat(2 * 1024 * 1024);
    routes = { '/bomb.xml.gz': ['application/gzip', gzipSync(bomb)] };
    const seen: string[] = [];
    await expect(read('/bomb.xml.gz', seen, 64 * 1024)).rejects.toThrow(
      /larger than 65536 bytes decompressed/,
    );
    // What came before the cap is kept.
    expect(seen).toEqual([`${origin}/x`]);
  });
});
