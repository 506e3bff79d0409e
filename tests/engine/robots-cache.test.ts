import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createMainFetch } from '../../electron/engine/main-fetch';
import { RobotsCache, type RobotsOptions } from '../../electron/engine/robots';
import { noAnswerIn, unavailableReason } from '../../electron/engine/robots-unavailable';
import { engineEnv } from './engine-env';

const env = engineEnv();

/** A host whose robots.txt disallows /private/ (or answers `status`); counts the times it is read. */
async function host(status = 200) {
  let reads = 0;
  const origin = await env.listen((request, response) => {
    if (request.url === '/robots.txt') reads++;
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end('User-agent: *\nDisallow: /private/\n');
  });
  return { origin, reads: () => reads };
}

/** A cache that keeps the robots.txt of `maxOrigins` to twice as many origins. */
function cache(maxOrigins: number, options: Partial<RobotsOptions> = {}): RobotsCache {
  return new RobotsCache(
    {
      agent: 'Trawl',
      unavailable: 'disallow',
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      maxOrigins,
      ...options,
    },
    createMainFetch({
      userAgent: 'test',
      headers: {},
      basicAuth: [],
      proxy: null,
      ignoreTlsErrors: false,
    }),
    () => {},
  );
}

const byRule = { error: 'blocked by robots.txt', unavailable: false };

describe('robots.txt over many hosts', () => {
  it('is kept for a bounded number of origins: one evicted is read again when met again, with the same verdicts', async () => {
    const hosts = await Promise.all(Array.from({ length: 6 }, host));
    const robots = cache(2);
    const verdicts = async (origin: string) => [
      await robots.checkLoaded(`${origin}/private/page`),
      robots.check(`${origin}/page`),
    ];
    for (const { origin } of hosts) expect(await verdicts(origin)).toEqual([byRule, 'allowed']);

    // The first host's file made way for the others': it is read again.
    const [first, ...others] = hosts;
    expect(robots.check(`${first!.origin}/page`)).toBe('pending');
    expect(await verdicts(first!.origin)).toEqual([byRule, 'allowed']);
    expect(first!.reads()).toBe(2);
    // The most recent ones are still known: read once.
    expect(robots.check(`${hosts[5]!.origin}/page`)).toBe('allowed');
    expect(others.map((other) => other.reads())).toEqual([1, 1, 1, 1, 1]);
  });

  it('gives a blocked verdict with its reason: evicting the origin before the caller records it does not turn an unavailable file into a rule', async () => {
    const down = await host(503);
    const others = await Promise.all([host(), host()]);
    const robots = cache(1);
    const url = `${down.origin}/page`;
    const verdict = await robots.checkLoaded(url);
    // A redirect's result reaches main after its verdict: other origins may be read meanwhile.
    for (const { origin } of others) await robots.checkLoaded(`${origin}/page`);
    expect(robots.check(url)).toBe('pending');
    expect(verdict).toEqual({ error: unavailableReason('HTTP 503'), unavailable: true });
  });
});

describe('a robots.txt sent compressed', () => {
  // Sent without Accept-Encoding, a request takes any coding (RFC 9110 §12.5.3), and
  // servers with pre-compressed files send them so.
  const codings: [string, (text: string) => Buffer][] = [
    ['gzip', (text) => zlib.gzipSync(text)],
    ['deflate', (text) => zlib.deflateSync(text)],
    ['br', (text) => zlib.brotliCompressSync(text)],
  ];
  it.each(codings)('with Content-Encoding: %s is read decoded', async (coding, encode) => {
    const origin = await env.listen((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': coding });
      response.end(encode('User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n'));
    });
    const robots = cache(10);
    expect(await robots.checkLoaded(`${origin}/private/page`)).toEqual(byRule);
    expect(robots.check(`${origin}/page`)).toBe('allowed');
    expect(robots.crawlDelayMs(origin)).toBe(2000);
  });

  it('that does not decode is unavailable as an answer, not as a host that does not answer', async () => {
    const origin = await env.listen((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      response.end('User-agent: *\nDisallow: /private/\n');
    });
    const reason = unavailableReason('HTTP 200, its body unreadable: incorrect header check');
    expect(await cache(10).checkLoaded(`${origin}/page`)).toEqual({
      error: reason,
      unavailable: true,
    });
    // So `trawl crawl` does not say it cannot reach the host.
    expect(noAnswerIn(reason)).toBeNull();
  });
});
