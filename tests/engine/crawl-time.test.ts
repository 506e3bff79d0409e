import { describe, expect, it } from 'vitest';
import { averagePerSecond, type ProgressSnapshot } from '../../shared/progress';
import { waitFor } from '../helpers/processes';
import { engineEnv } from './engine-env';

/** A job's crawl time is stored, so that a resumed job's Elapsed goes on from it. */

const env = engineEnv();

const storedCrawlMs = (jobId: number) =>
  env.db.prepare('SELECT crawl_ms FROM jobs WHERE id = ?').pluck().get(jobId) as number | null;

describe("a job's crawl time", () => {
  it('is stored while it runs and when it stops, and a resume goes on from it', async () => {
    const site = await env.site({ pages: 150, delayMs: 10 });
    const crawler = env.service();
    const job = await crawler.start({ startUrls: [`${site.origin}/`], workers: 2, concurrency: 4 });
    await waitFor(() => job.snapshot().pagesDone >= 40, '40 pages');
    // Stored with the result batches (committed about twice a second): a run that is
    // killed keeps its time too.
    await waitFor(() => (storedCrawlMs(job.id) ?? 0) > 0, 'the crawl time stored', 5000);
    const stopped = await job.stop();
    const firstRunMs = storedCrawlMs(job.id)!;
    expect(firstRunMs / 1000).toBeCloseTo(stopped.seconds, 1);

    const again = await crawler.resume(job.id);
    const snapshots: ProgressSnapshot[] = [];
    again.onProgress((snapshot) => snapshots.push(snapshot));
    const first = again.snapshot();
    // The job's pages and its time both count the earlier run; this run's apart.
    expect(first.pagesDone).toBe(stopped.pages);
    expect(first.crawled).toBe(0);
    expect(first.elapsedMs! - first.runElapsedMs).toBe(firstRunMs);
    const finished = await again.finished;
    const last = snapshots.at(-1)!;
    expect(last.status).toBe('finished');
    expect(finished.crawled).toBe(last.crawled);
    expect(finished.crawled).toBe(
      finished.pages + finished.failed - stopped.pages - stopped.failed,
    );
    // The summary's rate is the last snapshot's run average, and the stored time its total;
    // the summary rounds them to 0.01 s and 0.1 page/s (toBeCloseTo refused a rounding of 5).
    expect(finished.seconds).toBe(Math.round(last.runElapsedMs / 10) / 100);
    expect(finished.pagesPerSecond).toBe(
      Math.round(averagePerSecond(last.crawled, last.runElapsedMs) * 10) / 10,
    );
    expect(storedCrawlMs(job.id)).toBe(last.elapsedMs);
    expect(last.elapsedMs).toBe(firstRunMs + last.runElapsedMs);
    // The jobs list shows it.
    expect(crawler.list().find(({ id }) => id === job.id)?.crawlMs).toBe(last.elapsedMs);
  });
});

describe('a resume that crawls nothing', () => {
  it("leaves the job's crawl time and end as they were", async () => {
    const site = await env.site({ pages: 20, delayMs: 5 });
    const crawler = env.service();
    const job = await crawler.start({ startUrls: [`${site.origin}/`], workers: 1 });
    const first = await job.finished;
    expect(first.status).toBe('finished');
    const before = crawler.list().find(({ id }) => id === job.id)!;
    // The clock moves on between the runs: a reset end would show.
    await new Promise((resolve) => setTimeout(resolve, 20));

    const again = await (await crawler.resume(job.id)).finished;
    expect(again).toMatchObject({ status: 'finished', crawled: 0, pages: first.pages });
    const after = crawler.list().find(({ id }) => id === job.id)!;
    expect(after).toMatchObject({
      status: 'finished',
      pages: before.pages,
      crawlMs: before.crawlMs,
      startedAt: before.startedAt,
      finishedAt: before.finishedAt,
    });
  });
});
