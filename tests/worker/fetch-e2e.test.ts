import { writeFileSync } from 'node:fs';
import type http from 'node:http';
import zlib from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { runCli } from '../helpers/cli';
import { processEnv } from '../helpers/process-env';
import { startForwardProxy } from '../helpers/forward-proxy';
import type { LocalServer } from '../helpers/local-server';

/**
 * The worker's fetching end to end: the real CLI, real worker processes and
 * real servers on 127.0.0.1; results read back from the SQLite file.
 */

interface Server extends LocalServer {
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
}

function html(response: http.ServerResponse, body: string | Buffer, headers = {}): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
  response.end(body);
}

function redirect(response: http.ServerResponse, status: number, location: string, headers = {}) {
  response.writeHead(status, { location, ...headers });
  response.end('moved');
}

const SEO_PAGE = `<!doctype html><html lang="en"><head><title>Fields page</title>
<meta name="description" content="All the fields"><meta name="robots" content="noindex">
<link rel="canonical" href="/canonical"><link rel="alternate" hreflang="fr" href="/fr/"></head>
<body><h1>Heading one</h1><h2>Sub</h2><p>Some visible words here.</p><img src="x.png">
<a href="/chain/3?utm_source=x" rel="next">Chain end</a><a href="http://elsewhere.invalid/">Away</a></body></html>`;

/** windows-1251 bytes of "Привет" (Node cannot encode it). */
const PRIVET = Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);

function site(request: http.IncomingMessage, response: http.ServerResponse, origin: string) {
  const path = request.url ?? '/';
  const many = /^\/many\/(\d+)$/.exec(path);
  if (path === '/chain/1') return redirect(response, 301, '/chain/2');
  if (path === '/chain/2') return redirect(response, 302, `${origin}/chain/3`);
  if (path.startsWith('/chain/3')) return html(response, '<title>Chain end</title>');
  if (path === '/loop/a') return redirect(response, 302, '/loop/b');
  if (path === '/loop/b') return redirect(response, 307, '/loop/a');
  if (many) return redirect(response, 302, `/many/${Number(many[1]) + 1}`);
  if (path === '/away') return redirect(response, 302, 'http://elsewhere.invalid/x');
  // Raw UTF-8 bytes in the header, as PHP and IIS sites send them (Node writes latin1 chars as bytes).
  if (path === '/utf8-location')
    return redirect(response, 301, Buffer.from('/café').toString('latin1'));
  if (path === '/caf%C3%A9') return html(response, '<title>Café</title>');
  // More header than Node's 16 KB default takes (a long CSP, many cookies).
  if (path === '/big-headers')
    return html(response, '<title>Big headers</title>', { 'x-big': 'x'.repeat(20_000) });
  if (path === '/fields')
    return html(response, SEO_PAGE, {
      'x-robots-tag': 'noarchive',
      'x-many': ['a', 'b'],
      // Raw UTF-8 bytes, as PHP and IIS sites send them.
      'x-note': Buffer.from('café').toString('latin1'),
    });
  if (path === '/gzip')
    return html(response, zlib.gzipSync(`<title>Gzipped</title>${'<p>text</p>'.repeat(500)}`), {
      'content-encoding': 'gzip',
    });
  if (path === '/brotli')
    return html(response, zlib.brotliCompressSync('<title>Brotli — ok</title>'), {
      'content-encoding': 'br',
    });
  if (path === '/deflate-raw')
    return html(response, zlib.deflateRawSync('<title>Raw deflate</title>'), {
      'content-encoding': 'deflate',
    });
  // A charset where the coding belongs, as some PHP and IIS sites send it.
  if (path === '/bogus-coding')
    return html(response, '<title>Plain</title>', { 'content-encoding': 'UTF-8' });
  if (path === '/gzip-bogus')
    return html(response, zlib.gzipSync('<title>Gzip, then bogus</title>'), {
      'content-encoding': 'gzip, x-unheard-of',
    });
  if (path === '/zstd') return html(response, '(zstd bytes)', { 'content-encoding': 'zstd' });
  if (path === '/too-big') return html(response, `<title>Big</title>${'x'.repeat(3 << 20)}`);
  if (path === '/bomb')
    // 50 MB of zeros, about 50 KB on the wire.
    return html(response, zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024)), {
      'content-encoding': 'gzip',
    });
  if (path === '/cp1251') {
    response.writeHead(200, { 'content-type': 'text/html; charset=windows-1251' });
    return response.end(
      Buffer.concat([Buffer.from('<title>'), PRIVET, Buffer.from('</title><p>'), PRIVET]),
    );
  }
  if (path === '/pdf') {
    response.writeHead(200, {
      'content-type': 'application/pdf',
      'content-length': '2048',
      link: `<${origin}/doc>; rel="canonical"`,
    });
    return response.end(Buffer.alloc(2048));
  }
  response.writeHead(404, { 'content-type': 'text/html' });
  response.end('<title>Not found</title>');
}

const env = processEnv();
/** The database `crawl` writes and `query` reads; a test may switch to another. */
let dbFile: string;

beforeEach(() => {
  dbFile = env.dbFile;
});

/** A server on 127.0.0.1 that records the requests it gets; closed after the test. */
async function serve(
  handle: (request: http.IncomingMessage, response: http.ServerResponse, origin: string) => void,
): Promise<Server> {
  const requests: Server['requests'] = [];
  let origin = '';
  const server = await env.listen((request, response) => {
    requests.push({ path: request.url ?? '/', headers: request.headers });
    handle(request, response, origin);
  });
  origin = server.origin;
  return { ...server, requests };
}

/** Runs `trawl crawl --mode list` on the URLs with one worker, and checks it succeeded. */
async function crawl(urls: string[], ...flags: string[]): Promise<void> {
  const result = await runCli([
    'crawl',
    ...urls,
    '--mode',
    'list',
    '--db',
    dbFile,
    '--workers',
    '1',
    '--ignore-robots',
    '--json',
    ...flags,
  ]);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = openDatabase(dbFile, { readonly: true, mustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

type PageRow = Record<string, string | number | null>;

function page(url: string): PageRow {
  const [row] = query<PageRow>('SELECT * FROM pages WHERE url = ?', url);
  if (!row) throw new Error(`no page stored for ${url}`);
  return row;
}

function failure(url: string): { state: number; error: string } {
  const [row] = query<{ state: number; error: string }>(
    'SELECT state, error FROM frontier WHERE url = ?',
    url,
  );
  if (!row) throw new Error(`no frontier row for ${url}`);
  return row;
}

function hops(url: string): { url: string; status: number; location: string }[] {
  return query(
    `SELECT r.url, r.status, r.location FROM redirects r JOIN frontier f ON f.id = r.frontier_id
     WHERE f.url = ? ORDER BY r.hop`,
    url,
  );
}

describe('redirects, hop by hop', () => {
  it('stores each hop, stops loops and long chains, and keeps a redirect that leaves the scope', async () => {
    const server = await serve(site);
    const o = server.origin;
    const config = env.file('job.json');
    writeFileSync(config, JSON.stringify({ maxRedirects: 3 }));
    await crawl(
      [`${o}/chain/1`, `${o}/loop/a`, `${o}/many/0`, `${o}/away`, `${o}/utf8-location`],
      '--config',
      config,
    );

    expect(page(`${o}/chain/1`)).toMatchObject({
      final_url: `${o}/chain/3`,
      status: 301,
      final_status: 200,
      title: 'Chain end',
      redirect_count: 2,
    });
    expect(hops(`${o}/chain/1`)).toEqual([
      { url: `${o}/chain/1`, status: 301, location: '/chain/2' },
      { url: `${o}/chain/2`, status: 302, location: `${o}/chain/3` },
    ]);

    expect(failure(`${o}/loop/a`)).toMatchObject({
      state: 3,
      error: `redirect loop: ${o}/loop/a -> ${o}/loop/b -> ${o}/loop/a`,
    });
    expect(hops(`${o}/loop/a`).map((hop) => hop.status)).toEqual([302, 307]);

    expect(failure(`${o}/many/0`)).toMatchObject({ state: 3, error: 'too many redirects (3)' });
    expect(hops(`${o}/many/0`)).toHaveLength(4);
    // The fourth hop's target was never requested.
    expect(server.requests.map((request) => request.path)).not.toContain('/many/5');

    expect(page(`${o}/away`)).toMatchObject({
      final_url: `${o}/away`,
      status: 302,
      final_status: 302,
      redirect_count: 0,
    });

    // Followed as browsers do, not to /caf%C3%83%C2%A9 (a false 404).
    expect(page(`${o}/utf8-location`)).toMatchObject({
      final_url: `${o}/caf%C3%A9`,
      status: 301,
      final_status: 200,
      title: 'Café',
    });
    expect(hops(`${o}/utf8-location`)).toEqual([
      { url: `${o}/utf8-location`, status: 301, location: '/café' },
    ]);
  }, 60_000);
});

describe('bodies', () => {
  it('decodes gzip, brotli and raw deflate, passes unknown codings through, and cuts a gzip bomb off at the decoded cap', async () => {
    const server = await serve(site);
    const o = server.origin;
    const config = env.file('job.json');
    writeFileSync(config, JSON.stringify({ maxDecodedBytes: 1 << 20, maxBodyBytes: 2 << 20 }));
    const paths = [
      '/gzip',
      '/brotli',
      '/deflate-raw',
      '/bogus-coding',
      '/gzip-bogus',
      '/zstd',
      '/bomb',
      '/too-big',
    ];
    await crawl(
      paths.map((path) => o + path),
      '--config',
      config,
    );

    const gzip = page(`${o}/gzip`);
    expect(gzip).toMatchObject({ title: 'Gzipped', status: 200 });
    expect(gzip.bytes).toBe('<title>Gzipped</title>'.length + '<p>text</p>'.length * 500);
    expect(Number(gzip.wire_bytes)).toBeLessThan(Number(gzip.bytes) / 10);
    expect(page(`${o}/brotli`).title).toBe('Brotli — ok');
    expect(page(`${o}/deflate-raw`).title).toBe('Raw deflate');
    expect(page(`${o}/bogus-coding`)).toMatchObject({ status: 200, title: 'Plain' });
    expect(page(`${o}/gzip-bogus`).title).toBe('Gzip, then bogus');
    // A known coding Trawl cannot undo fails, rather than store its bytes as text.
    expect(failure(`${o}/zstd`)).toMatchObject({
      state: 3,
      error: 'unsupported content-encoding: zstd',
    });
    expect(failure(`${o}/bomb`)).toMatchObject({
      state: 3,
      error: `decoded body exceeds ${1 << 20} bytes (maxDecodedBytes)`,
    });
    // The setting that raises a cap is named, and nothing of got's wrapping shows.
    expect(failure(`${o}/too-big`)).toMatchObject({
      state: 3,
      error: `body larger than ${2 << 20} bytes (maxBodyBytes)`,
    });
    expect(server.requests[0]!.headers['accept-encoding']).toMatch(/gzip.*deflate.*br/);
  }, 60_000);

  it('stores every page field, the links and the headers', async () => {
    const server = await serve(site);
    const o = server.origin;
    await crawl([`${o}/fields`, `${o}/cp1251`, `${o}/pdf`, `${o}/big-headers`], '--strip-tracking');
    // 20 KB of headers failed with HPE_HEADER_OVERFLOW (Node's default takes 16 KB).
    expect(page(`${o}/big-headers`)).toMatchObject({ status: 200, title: 'Big headers' });

    const fields = page(`${o}/fields`);
    expect(fields).toMatchObject({
      status: 200,
      charset: 'utf-8',
      title: 'Fields page',
      meta_description: 'All the fields',
      meta_robots: 'noindex',
      x_robots_tag: 'noarchive',
      canonical: `${o}/canonical`,
      h1: 'Heading one',
      h1_count: 1,
      h2_count: 1,
      lang: 'en',
      word_count: 9,
      images_without_alt: 1,
      indexable: 0,
      indexability: 'noindex',
      hreflang: JSON.stringify([{ lang: 'fr', url: `${o}/fr/` }]),
    });
    expect(fields.content_hash).toMatch(/^[0-9a-f]{40}$/);
    expect(Number(fields.ttfb_ms)).toBeLessThanOrEqual(Number(fields.response_ms));
    const headers = JSON.parse(String(fields.headers)) as Record<string, string>;
    expect(headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'x-robots-tag': 'noarchive',
      'x-many': 'a, b',
      'x-note': 'café',
    });
    expect(
      query(
        'SELECT to_url, anchor, rel, internal FROM links WHERE from_page = ? ORDER BY id',
        fields.id,
      ),
    ).toEqual([
      { to_url: `${o}/chain/3`, anchor: 'Chain end', rel: 'next', internal: 1 },
      { to_url: 'http://elsewhere.invalid/', anchor: 'Away', rel: null, internal: 0 },
    ]);

    expect(page(`${o}/cp1251`)).toMatchObject({
      charset: 'windows-1251',
      title: 'Привет',
      word_count: 1,
    });
    expect(page(`${o}/pdf`)).toMatchObject({
      content_type: 'application/pdf',
      bytes: 2048,
      charset: null,
      title: null,
      canonical: `${o}/doc`,
      indexability: 'not html',
    });
  }, 60_000);
});

describe('cookies, basic auth and proxy', () => {
  const cookieSite = (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (request.url === '/login')
      return redirect(response, 302, '/account', { 'set-cookie': 'session=abc123; Path=/' });
    html(response, `<title>${request.headers.cookie ?? 'no cookie'}</title>`);
  };

  it('keeps the cookies a site sets with --cookies, and sends none without it', async () => {
    const server = await serve(cookieSite);
    await crawl([`${server.origin}/login`], '--cookies');
    expect(page(`${server.origin}/login`).title).toBe('session=abc123');

    dbFile = env.file('no-cookies.sqlite');
    await crawl([`${server.origin}/login`]);
    expect(page(`${server.origin}/login`).title).toBe('no cookie');
  }, 60_000);

  it('with --cookies, crawls a site that sends a first visitor round a cookie-setting URL and back', async () => {
    // As sites with a cookie check or a consent page do: without the cookie, every
    // page redirects to /welcome, which sets it and sends the visitor back.
    const server = await serve((request, response) => {
      const url = new URL(request.url ?? '/', 'http://site');
      if (url.pathname === '/welcome')
        return redirect(response, 302, url.searchParams.get('back') ?? '/', {
          'set-cookie': 'seen=1; Path=/',
        });
      if (url.pathname === '/always' || request.headers.cookie !== 'seen=1')
        return redirect(response, 302, `/welcome?back=${encodeURIComponent(url.pathname)}`);
      if (url.pathname === '/')
        return html(
          response,
          '<title>Home</title><a href="/about">About</a><a href="/always">Always</a>',
        );
      html(response, `<title>${url.pathname}</title>`);
    });
    const o = server.origin;
    const result = await runCli([
      'crawl',
      `${o}/`,
      '--cookies',
      '--db',
      dbFile,
      '--workers',
      '1',
      '--ignore-robots',
    ]);
    expect(result.code).toBe(0);
    // The round trip was the cookie's: the page is the URL's own, as on any later visit.
    expect(page(`${o}/`)).toMatchObject({ status: 200, redirect_count: 0, title: 'Home' });
    expect(hops(`${o}/`)).toEqual([]);
    expect(page(`${o}/about`)).toMatchObject({ status: 200, title: '/about' });
    // A site that sends the visitor round again with the cookie set is a loop.
    expect(failure(`${o}/always`).error).toBe(
      `redirect loop: ${o}/always -> ${o}/welcome?back=%2Falways -> ${o}/always`,
    );
  }, 60_000);

  it('sends basic auth only to its host, also across a redirect to another host', async () => {
    const other = await serve((request, response) => html(response, '<title>Other host</title>'));
    const server = await serve((request, response) => {
      if (
        request.headers.authorization !== `Basic ${Buffer.from('ann:s3cret').toString('base64')}`
      ) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="x"' });
        return response.end();
      }
      if (request.url === '/leave') return redirect(response, 302, `${other.origin}/landing`);
      html(response, '<title>Private</title>');
    });
    await crawl(
      [`${server.origin}/private`, `${server.origin}/leave`],
      '--auth',
      `127.0.0.1:${server.port}=ann:s3cret`,
      '--scope',
      'all',
    );
    expect(page(`${server.origin}/private`)).toMatchObject({ status: 200, title: 'Private' });
    expect(page(`${server.origin}/leave`)).toMatchObject({
      final_url: `${other.origin}/landing`,
      title: 'Other host',
    });
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.headers.authorization).toBeUndefined();
  }, 60_000);

  it('sends every request through --proxy', async () => {
    const target = await serve(site);
    const proxy = await startForwardProxy();
    env.onCleanup(() => proxy.close());
    const urls = [`${target.origin}/chain/1`, `${target.origin}/fields`];
    await crawl(urls, '--proxy', proxy.origin);
    expect(page(urls[0]!).title).toBe('Chain end');
    expect(page(urls[1]!).title).toBe('Fields page');
    expect(proxy.urls.sort()).toEqual(
      [...urls, `${target.origin}/chain/2`, `${target.origin}/chain/3`].sort(),
    );
    expect(target.requests.every((request) => request.headers.via === '1.1 test-proxy')).toBe(true);
  }, 60_000);
});
