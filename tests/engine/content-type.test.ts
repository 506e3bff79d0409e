import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { effectiveContentType } from '../../electron/worker/content-type';
import { engineEnv } from './engine-env';

const env = engineEnv();

// windows-1252 bytes: é is 0xE9, as in latin1.
const CAFE = Buffer.from('<title>Café</title><a href="/next">next</a>', 'latin1');

/** Content-Type headers as each path sends them: several headers, or one listing several. */
const TYPES: Record<string, string[]> = {
  '/two-headers': ['text/html', 'text/html; charset=windows-1252'],
  '/one-listing-two': ['text/html; charset=windows-1252, text/html'],
  '/json-last': ['text/html; charset=windows-1252', 'application/json'],
};

describe('a response with several Content-Types', () => {
  it('is read by the last valid one, keeping an earlier charset of the same type, as browsers read it', async () => {
    const origin = await env.listen((request, response) => {
      const types = TYPES[request.url ?? ''];
      if (types === undefined) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': types, 'content-length': CAFE.length });
      response.end(CAFE);
    });
    const job = await env.service().start({
      startUrls: Object.keys(TYPES).map((path) => `${origin}${path}`),
      mode: 'list',
      ignoreRobots: true,
      workers: 1,
    });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 3, failed: 0 });
    const pages = env.db
      .prepare(
        `SELECT url, content_type AS contentType, charset, title, link_count AS linkCount,
           json_extract(headers, '$."content-type"') AS sent
         FROM pages ORDER BY url`,
      )
      .all();
    const html = { contentType: 'text/html; charset=windows-1252', charset: 'windows-1252' };
    expect(pages).toEqual([
      // A browser shows it as JSON, so it is not parsed as HTML.
      {
        url: `${origin}/json-last`,
        contentType: 'application/json',
        charset: null,
        title: null,
        linkCount: 0,
        sent: 'text/html; charset=windows-1252, application/json',
      },
      {
        url: `${origin}/one-listing-two`,
        ...html,
        title: 'Café',
        linkCount: 1,
        sent: 'text/html; charset=windows-1252, text/html',
      },
      {
        url: `${origin}/two-headers`,
        ...html,
        title: 'Café',
        linkCount: 1,
        // Each header sent, where Node kept the first only.
        sent: 'text/html, text/html; charset=windows-1252',
      },
    ]);
  });

  it('reads a body of no stated type as a browser does: HTML when it starts as HTML', async () => {
    const html = Buffer.from('\n <!doctype html><title>Untyped</title><a href="/linked">x</a>');
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100_000)]);
    const bodies: Record<string, [Buffer, Record<string, string>]> = {
      '/none': [html, {}],
      '/none-gzip': [gzipSync(html), { 'content-encoding': 'gzip' }],
      '/unknown': [html, { 'content-type': 'unknown/unknown' }],
      '/image': [png, {}],
      '/linked': [Buffer.from('<title>Linked</title>'), { 'content-type': 'text/html' }],
    };
    const requested: string[] = [];
    const origin = await env.listen((request, response) => {
      requested.push(request.url ?? '');
      const [body, headers] = bodies[request.url ?? ''] ?? [Buffer.alloc(0), {}];
      response.writeHead(200, { ...headers, 'content-length': body.length });
      response.end(body);
    });
    const job = await env.service().start({
      startUrls: ['/none', '/none-gzip', '/unknown', '/image'].map((path) => origin + path),
      ignoreRobots: true,
      workers: 1,
    });
    expect(await job.finished).toMatchObject({ status: 'finished', pages: 5, failed: 0 });
    const pages = env.db
      .prepare(
        `SELECT url, content_type AS contentType, title, link_count AS linkCount, bytes,
           indexable, json_extract(headers, '$."content-type"') AS sent
         FROM pages ORDER BY url`,
      )
      .all();
    const untyped = { contentType: 'text/html', title: 'Untyped', linkCount: 1, indexable: 1 };
    expect(pages).toEqual([
      // Not downloaded: its declared size, as for any other type that is not HTML.
      {
        url: `${origin}/image`,
        contentType: null,
        title: null,
        linkCount: 0,
        bytes: png.length,
        indexable: 0,
        sent: null,
      },
      {
        url: `${origin}/linked`,
        contentType: 'text/html',
        title: 'Linked',
        linkCount: 0,
        bytes: 21,
        indexable: 1,
        sent: 'text/html',
      },
      { url: `${origin}/none`, ...untyped, bytes: html.length, sent: null },
      { url: `${origin}/none-gzip`, ...untyped, bytes: html.length, sent: null },
      { url: `${origin}/unknown`, ...untyped, bytes: html.length, sent: 'unknown/unknown' },
    ]);
    expect(requested.filter((path) => path === '/linked')).toHaveLength(1);
  });

  it('skips invalid entries and commas inside quotes; a single value is kept as sent', () => {
    expect(effectiveContentType(['text/html; charset="a,b"', 'nonsense', '*/*'])).toBe(
      'text/html; charset="a,b"',
    );
    expect(effectiveContentType(['TEXT/HTML;Charset=Shift_JIS', 'text/html; q=1'])).toBe(
      'text/html; q=1; charset=Shift_JIS',
    );
    expect(effectiveContentType(['text/plain; charset=koi8-r', 'text/html'])).toBe('text/html');
    expect(effectiveContentType(['nonsense, more'])).toBe('nonsense, more');
    expect(effectiveContentType(['text/html ;charset=utf-8'])).toBe('text/html ;charset=utf-8');
    expect(effectiveContentType(undefined)).toBeNull();
  });
});
