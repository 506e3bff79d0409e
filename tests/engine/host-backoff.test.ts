import { describe, expect, it } from 'vitest';
import type { JobSettingsInput } from '../../shared/job-settings';
import { engineEnv } from './engine-env';

const env = engineEnv();

/**
 * A host whose /p/0 answers its first request with `status` (and Retry-After
 * when given) after 200 ms, so the requests started beside it have arrived by
 * then; every other page answers in 50 ms. Records each request's path and
 * arrival, and when the busy answer went out.
 */
async function busySite(status: number, retryAfter: string | null) {
  const hits: { path: string; at: number }[] = [];
  const site = { hits, busyAt: 0 };
  const links = Array.from({ length: 20 }, (_, n) => `<a href="/p/${n}">${n}</a>`).join('');
  const origin = await env.listen((request, response) => {
    const path = request.url ?? '/';
    if (path === '/robots.txt') return void response.writeHead(404).end();
    hits.push({ path, at: Date.now() });
    if (path === '/p/0' && hits.filter((hit) => hit.path === path).length === 1) {
      return void setTimeout(() => {
        site.busyAt = Date.now();
        response.writeHead(status, retryAfter === null ? {} : { 'retry-after': retryAfter });
        response.end();
      }, 200);
    }
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(path === '/' ? `<title>home</title>${links}` : `<title>${path}</title>`);
    }, 50);
  });
  return Object.assign(site, { origin });
}

type BusySite = Awaited<ReturnType<typeof busySite>>;

/** Requests that arrived while the host asked to be left alone (after those already sent). */
const during = (site: BusySite, waitMs: number) =>
  site.hits.filter((hit) => hit.at > site.busyAt + 100 && hit.at < site.busyAt + waitMs - 200);

/** A crawl of that one host, three requests at a time. */
async function crawlAlone(site: BusySite, settings: Partial<JobSettingsInput>) {
  const job = await env.service().start({
    startUrls: [`${site.origin}/`],
    workers: 1,
    concurrency: 8,
    hostConcurrency: 3,
    ...settings,
  });
  await job.finished;
}

describe('a host that asks to be left alone', () => {
  it('gets no new request from any slot until its Retry-After is over; other hosts go on', async () => {
    const busy = await busySite(429, '2');
    const other = await busySite(200, null);
    const job = await env.service().start({
      startUrls: [`${busy.origin}/`, `${other.origin}/`],
      workers: 2,
      concurrency: 8,
      hostConcurrency: 3,
    });
    const summary = await job.finished;
    expect(summary.status).toBe('finished');
    expect(during(busy, 2000)).toEqual([]);
    // The other host was crawled meanwhile, not held back with it.
    expect(other.hits.at(-1)!.at).toBeLessThan(busy.busyAt + 1800);
    // Each page was requested once, /p/0 once more after the wait, and stored once.
    const paths = busy.hits.map((hit) => hit.path).sort();
    const pages = ['/', ...Array.from({ length: 20 }, (_, n) => `/p/${n}`)].sort();
    expect(paths).toEqual([...pages, '/p/0'].sort());
    expect(env.storedUrls(job.id)).toEqual(
      [
        ...pages.map((path) => busy.origin + path),
        ...pages.map((path) => other.origin + path),
      ].sort(),
    );
    const retried = busy.hits.filter((hit) => hit.path === '/p/0')[1]!;
    expect(retried.at - busy.busyAt).toBeGreaterThanOrEqual(1900);
    // The log says why the host went quiet, once.
    expect(env.logs.filter((line) => line.includes(busy.origin))).toEqual([
      `info: ${busy.origin} answered HTTP 429: no new request to it for 2 s (Retry-After)`,
    ]);
  });

  it('is left alone after a 429 without Retry-After for the backoff, even with no retries left', async () => {
    const busy = await busySite(429, null);
    await crawlAlone(busy, { retries: 0, retryBaseDelayMs: 2000 });
    // The backoff of a first retry is the base delay, ±50 %: at least a second.
    expect(during(busy, 1000)).toEqual([]);
    expect(busy.hits).toHaveLength(21);
  });

  it('is left alone after a 503 with Retry-After', async () => {
    const busy = await busySite(503, '2');
    await crawlAlone(busy, {});
    expect(during(busy, 2000)).toEqual([]);
    expect(busy.hits).toHaveLength(22);
    expect(env.logs).toContain(
      `info: ${busy.origin} answered HTTP 503: no new request to it for 2 s (Retry-After)`,
    );
  });
});
