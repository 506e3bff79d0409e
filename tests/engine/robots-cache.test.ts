import { describe, expect, it } from 'vitest';
import { createMainFetch } from '../../electron/engine/main-fetch';
import { RobotsCache } from '../../electron/engine/robots';
import { engineEnv } from './engine-env';

const env = engineEnv();

/** A host whose robots.txt disallows /private/; counts the times the file is read. */
async function host() {
  let reads = 0;
  const origin = await env.listen((request, response) => {
    if (request.url === '/robots.txt') reads++;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('User-agent: *\nDisallow: /private/\n');
  });
  return { origin, reads: () => reads };
}

describe('robots.txt over many hosts', () => {
  it('is kept for a bounded number of origins: one evicted is read again when met again, with the same verdicts', async () => {
    const hosts = await Promise.all(Array.from({ length: 6 }, host));
    const robots = new RobotsCache(
      {
        agent: 'Trawl',
        unavailable: 'disallow',
        retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        maxOrigins: 2,
      },
      createMainFetch({ userAgent: 'test', headers: {}, basicAuth: [], proxy: null }),
      () => {},
    );
    const verdicts = async (origin: string) => {
      await robots.whenLoaded(origin);
      return [robots.check(`${origin}/private/page`), robots.check(`${origin}/page`)];
    };
    for (const { origin } of hosts) expect(await verdicts(origin)).toEqual(['blocked', 'allowed']);

    // The first host's file made way for the others': it is read again.
    const [first, ...others] = hosts;
    expect(robots.check(`${first!.origin}/page`)).toBe('pending');
    expect(await verdicts(first!.origin)).toEqual(['blocked', 'allowed']);
    expect(first!.reads()).toBe(2);
    // The most recent ones are still known: read once.
    expect(robots.check(`${hosts[5]!.origin}/page`)).toBe('allowed');
    expect(others.map((other) => other.reads())).toEqual([1, 1, 1, 1, 1]);
  });
});
