import { describe, expect, it } from 'vitest';
import type { JobSettingsInput } from '../../shared/job-settings';
import { maxInWindow, minGap, startCountingSite } from './counting-site';
import { engineEnv } from './engine-env';

const env = engineEnv();
const site = (options: Parameters<typeof startCountingSite>[1]) => startCountingSite(env, options);

/** A crawl with a big pool (2 workers × 16 requests each), so only the limits hold it back. */
async function crawl(settings: Partial<JobSettingsInput>) {
  const job = await env.service().start({ workers: 2, concurrency: 16, ...settings });
  const summary = await job.finished;
  const stored = (
    env.db.prepare('SELECT url FROM pages WHERE job_id = ? ORDER BY url').all(job.id) as {
      url: string;
    }[]
  ).map((row) => row.url);
  return { summary, stored };
}

describe('per-host limits', () => {
  it('never has more requests in flight to a host than --host-concurrency, whatever the pool size', async () => {
    const target = await site({ pages: 40, delayMs: 40 });
    const { summary, stored } = await crawl({
      startUrls: [`${target.origin}/`],
      hostConcurrency: 3,
    });
    expect(summary.status).toBe('finished');
    expect(stored).toEqual([...target.pages].sort());
    // The pool could run 32 at once; the host saw 3, and the limit was used, not undershot.
    expect(target.maxInFlight).toBe(3);
  });

  it('defaults to 2 requests in flight per host', async () => {
    const target = await site({ pages: 20, delayMs: 40 });
    const { stored } = await crawl({ startUrls: [`${target.origin}/`] });
    expect(stored).toHaveLength(21);
    expect(target.maxInFlight).toBe(2);
  });

  it('spaces requests to a host by --host-delay', async () => {
    const target = await site({ pages: 6, delayMs: 0 });
    const { stored } = await crawl({
      startUrls: [`${target.origin}/`],
      hostConcurrency: 8,
      hostDelayMs: 300,
    });
    expect(stored).toHaveLength(7);
    // Main spaces the starts; on the wire, one request can lag (a new connection, a
    // worker busy parsing) and the next catch up: allow 100 ms of that.
    expect(minGap(target.starts)).toBeGreaterThanOrEqual(200);
    expect(target.maxInFlight).toBe(1);
  });

  it("honours robots.txt's Crawl-delay for the job's User-Agent", async () => {
    const target = await site({
      pages: 5,
      delayMs: 0,
      robotsTxt: 'User-agent: *\nCrawl-delay: 0.4\n',
    });
    const { stored } = await crawl({ startUrls: [`${target.origin}/`], hostConcurrency: 8 });
    expect(stored).toHaveLength(6);
    expect(minGap(target.starts)).toBeGreaterThanOrEqual(300);
    expect(env.logs.some((line) => line.includes('Crawl-delay of 0.4 s'))).toBe(true);
  });

  it('caps the whole job at --rps across hosts', async () => {
    const first = await site({ pages: 12, delayMs: 0 });
    const second = await site({ pages: 12, delayMs: 0 });
    const { stored } = await crawl({
      startUrls: [`${first.origin}/`, `${second.origin}/`],
      hostConcurrency: 16,
      maxRequestsPerSecond: 8,
    });
    expect(stored).toHaveLength(26);
    const all = [...first.starts, ...second.starts].sort((a, b) => a - b);
    // 8 per second at most, one more for arrival jitter at the window's edges.
    expect(maxInWindow(all, 1000)).toBeLessThanOrEqual(9);
  });

  it('lets other hosts go ahead while one host is at its limit', async () => {
    const slow = await site({ pages: 6, delayMs: 400 });
    const fast = await site({ pages: 30, delayMs: 0 });
    const { stored } = await crawl({
      startUrls: [`${slow.origin}/`, `${fast.origin}/`],
      hostConcurrency: 1,
    });
    expect(stored).toEqual([...slow.pages, ...fast.pages].sort());
    expect(slow.maxInFlight).toBe(1);
    // Every page of the fast host was fetched while the slow one still had pages to serve.
    expect(fast.starts.at(-1)!).toBeLessThan(slow.starts.at(-1)!);
  });

  it('holds a redirect to another host until that host has a free slot', async () => {
    const target = await site({ pages: 16, delayMs: 60 });
    const start = await site({ pages: 16, delayMs: 0, redirectTo: target.origin });
    const { summary, stored } = await crawl({
      startUrls: [`${start.origin}/`],
      scope: 'all',
      hostConcurrency: 1,
    });
    expect(summary.status).toBe('finished');
    expect(stored).toEqual(expect.arrayContaining(start.pages));
    // The start host's 16 redirects and the target's own pages (its links, in scope 'all')
    // shared the target's one slot.
    expect(target.starts.length).toBeGreaterThan(16);
    expect(target.maxInFlight).toBe(1);
  });

  it('spaces redirect hops on one host by --host-delay too', async () => {
    const target = await site({ pages: 4, delayMs: 0, redirectTo: 'self' });
    const { stored } = await crawl({
      startUrls: [`${target.origin}/`],
      hostConcurrency: 8,
      hostDelayMs: 300,
    });
    // "/", the 4 redirects, and the 4 pages they lead to, crawled as URLs of their own.
    expect(stored).toHaveLength(9);
    // "/" and 4 redirects with the pages they lead to, whose rows come from those
    // responses: 9 requests, each 300 ms apart (less jitter).
    expect(target.starts).toHaveLength(9);
    expect(minGap(target.starts)).toBeGreaterThanOrEqual(200);
  });
});
