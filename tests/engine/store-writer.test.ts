import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { JobStore, settingsOf } from '../../electron/engine/store/job-store';
import { StoreWriter } from '../../electron/engine/store-writer/store-writer';
import { jobSettingsSchema } from '../../shared/job-settings';
import { DEFAULT_URL_RULES } from '../../shared/url-normalize';
import { inlinksState } from '../helpers/inlinks-state';
import { fetchedPage } from '../results/stored-job';
import { waitFor } from '../helpers/processes';
import { engineEnv } from './engine-env';

const env = engineEnv();

const { storedUrls } = env;

/** A writer thread for a job of start URLs on one host, crawled to depth 0. */
const writerData = (jobId: number, startUrl: string) => ({
  jobId,
  maxDepth: 0,
  robotsAgent: 'Trawl',
  scope: { scope: 'host' as const, startUrls: [startUrl], include: [], exclude: [] },
  recordExternal: false,
  urls: DEFAULT_URL_RULES,
  honourNofollow: true,
});

/** A job of `count` start URLs on a closed port, and its writer thread. */
function urlListJob(count: number, path: string) {
  const list = Array.from({ length: count }, (_, i) => `http://127.0.0.1:9/${path}/${i}`);
  const job = new JobStore(env.db).create(jobSettingsSchema.parse({ startUrls: list, workers: 1 }));
  const writer = new StoreWriter(env.db, writerData(job.id, list[0]!), () => undefined);
  return { list, job, writer };
}

/** Leases and writes `writer`'s URLs as pages, `perBatch` a batch, each batch as soon as the last is answered. */
async function writeAllLeased(writer: StoreWriter, perBatch: number): Promise<void> {
  for (;;) {
    const tasks = await writer.lease(perBatch);
    if (tasks.length === 0) return;
    const pages = tasks.map((task) => ({ task, workerPid: 1, page: fetchedPage(task.url) }));
    await writer.write({ pages, failures: [] });
  }
}

describe('the store writer thread', () => {
  it('stores every page of a crawl once, with the job counters matching the rows, and empties the WAL', async () => {
    const site = await env.site({ pages: 300 });
    const summary = await (
      await env.service().start({ startUrls: [`${site.origin}/`], workers: 2 })
    ).finished;

    expect(summary.status).toBe('finished');
    expect(storedUrls(summary.jobId)).toEqual([...site.reachable].sort());
    const counters = env.db
      .prepare('SELECT pages, failed FROM jobs WHERE id = ?')
      .get(summary.jobId) as { pages: number; failed: number };
    expect(counters).toEqual({ pages: summary.pages, failed: summary.failed });
    const leftOver = env.db
      .prepare('SELECT count(*) AS n FROM frontier WHERE job_id = ? AND state IN (0, 1)')
      .get(summary.jobId) as { n: number };
    expect(leftOver.n).toBe(0);
    // The writer copied its log into the file and emptied it (SQLite would keep it, some
    // 20 MB here, while this connection stays open); what is left is the job's end.
    expect(statSync(`${env.dbFile}-wal`).size).toBeLessThan(64 * 1024);
  });

  it('crawls two jobs into one database at the same time, each to exactly its own pages', async () => {
    // Each job's writer thread takes the file's one write lock for every batch: neither may
    // keep the other waiting past its busy timeout.
    const site = await env.site({ pages: 400, delayMs: 5 });
    const other = await env.site({ pages: 300, delayMs: 5 });
    const service = env.service();
    const jobs = await Promise.all(
      [site, other].map((one) => service.start({ startUrls: [`${one.origin}/`], workers: 2 })),
    );
    const [first, second] = await Promise.all(jobs.map((job) => job.finished));

    expect([first!.status, second!.status]).toEqual(['finished', 'finished']);
    expect(storedUrls(first!.jobId)).toEqual([...site.reachable].sort());
    expect(storedUrls(second!.jobId)).toEqual([...other.reachable].sort());
    // One watermark for the file, moved by both writers: every link of both jobs is indexed.
    expect(inlinksState(env.db)).toEqual({ tail: 0, exact: 1 });
  });

  it('seeds a long URL list while another job of the file keeps writing', async () => {
    const jobs = new JobStore(env.db);
    const settings = (urls: string[]) => jobSettingsSchema.parse({ startUrls: urls, workers: 1 });
    // Job 1 is being crawled by this live process, whose writer updates it after each batch.
    const crawl = jobs.create(settings(['http://127.0.0.1:9/']));
    jobs.markStarted(crawl.id, settingsOf(jobs.get(crawl.id)));
    const list = Array.from(
      { length: 1_000_000 },
      (_, i) => `http://127.0.0.1:9/item/${i}?ref=${i % 7}`,
    );
    const listJob = jobs.create({ ...settings(list.slice(0, 1)), startUrls: list });
    const writer = new StoreWriter(env.db, writerData(listJob.id, list[0]!), () => undefined);
    try {
      // Stricter than a crawl's writer (5 s): seeding this list in one transaction held the lock longer.
      env.db.pragma('busy_timeout = 2000');
      let seeded = false;
      const seeding = writer.seedStartUrls().finally(() => (seeded = true));
      const bump = env.db.prepare('UPDATE jobs SET pages = pages + 1 WHERE id = ?');
      let writes = 0;
      while (!seeded) {
        bump.run(crawl.id); // SQLITE_BUSY if the seed kept the lock for 2 s
        writes++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await seeding).toBe(list.length);
      expect(jobs.get(crawl.id).pages).toBe(writes);
      expect(
        env.db.prepare('SELECT count(*) FROM frontier WHERE job_id = ?').pluck().get(listJob.id),
      ).toBe(list.length);
    } finally {
      await writer.close();
    }
  });

  it('commits each batch at once while another connection writes to the file, so another job never waits half a second', async () => {
    const { job, writer } = urlListJob(10, 'p');
    const other = urlListJob(1, 'other');
    try {
      await writer.seedStartUrls();
      // Another job's writer (or main) commits to the file after this writer opened it.
      await other.writer.seedStartUrls();
      for (let page = 1; page <= 3; page++) {
        const [task] = await writer.lease(1);
        await writer.write({
          pages: [{ task: task!, workerPid: 1, page: fetchedPage(task!.url) }],
          failures: [],
        });
        // Committed with its request: alone, the writer would hold it for half a second.
        expect(storedUrls(job.id)).toHaveLength(page);
      }
    } finally {
      await other.writer.close();
      await writer.close();
    }
  });

  it('lets another connection see a batch within seconds when nothing is written after it', async () => {
    const { job, writer } = urlListJob(10, 'p');
    try {
      await writer.seedStartUrls();
      const [task] = await writer.lease(1);
      await writer.write({
        pages: [{ task: task!, workerPid: 1, page: fetchedPage(task!.url) }],
        failures: [],
      });
      // The writer keeps its transaction open across batches; an idle one still commits.
      await waitFor(() => storedUrls(job.id).length === 1, 'the page to be committed', 5000);
    } finally {
      await writer.close();
    }
  });

  it('lets two jobs write back to back into one file, neither kept waiting past its busy timeout', async () => {
    // Each writer always has the next batch waiting: the lock is free only in the
    // pauses each leaves after a commit, which the other must get.
    const jobs = [urlListJob(6000, 'a'), urlListJob(6000, 'b')];
    try {
      await Promise.all(jobs.map(({ writer }) => writer.seedStartUrls()));
      await Promise.all(jobs.map(({ writer }) => writeAllLeased(writer, 20)));
      await Promise.all(jobs.map(({ writer }) => writer.release())); // the run's end commits
      for (const { job } of jobs) expect(storedUrls(job.id)).toHaveLength(6000);
    } finally {
      await Promise.all(jobs.map(({ writer }) => writer.close()));
    }
  }, 60_000);

  it('leases only after every seeding transaction asked for before the lease', async () => {
    // More start URLs than one seeding transaction takes (half a second's worth):
    // the seed pauses between two.
    const { list, writer } = urlListJob(600_000, 'p');
    try {
      const seeding = writer.seedStartUrls();
      const leased = await writer.lease(list.length);
      expect(await seeding).toBe(list.length);
      expect(leased.map((task) => task.url)).toEqual(list);
    } finally {
      await writer.close();
    }
  });

  it('closes at once while another connection reads an older snapshot', async () => {
    const { list, writer } = urlListJob(20_000, 'p');
    // A long read (an export, a sqlite3 shell) open from before the job's writes.
    env.db.prepare('BEGIN').run();
    env.db.prepare('SELECT count(*) FROM frontier').get();
    try {
      await writer.seedStartUrls();
      const started = performance.now();
      await writer.close();
      // Emptying the log waits for readers while holding the write lock (5 s, another
      // job's whole busy timeout); the writer gives that step up instead.
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      env.db.prepare('COMMIT').run();
    }
    expect(env.db.prepare('SELECT count(*) FROM frontier').pluck().get()).toBe(list.length);
  });

  it('ends the job as failed when a write fails, keeps what was stored, and resumes exactly', async () => {
    const site = await env.site({ pages: 400, delayMs: 5 });
    const service = env.service();
    const job = await service.start({ startUrls: [`${site.origin}/`], workers: 2, concurrency: 4 });
    await waitFor(() => storedUrls(job.id).length >= 40, '40 pages stored');

    // Another program takes the write lock and keeps it past the writer's busy timeout.
    const other = openDatabase(env.db.name);
    other.prepare('BEGIN IMMEDIATE').run();
    await waitFor(
      () => env.logs.some((line) => line.startsWith('error:') && line.includes('locked')),
      'the failed write to be logged',
    );
    const storedWhenItFailed = storedUrls(job.id);
    other.prepare('ROLLBACK').run();
    other.close();
    const failed = await job.finished;

    expect(failed.status).toBe('failed');
    expect(failed.error).toBe(
      `database ${env.db.name} is locked: another program has been writing to it for more ` +
        'than 5 s; what was stored is kept: let it finish or close it, then resume the job',
    );
    // Nothing committed before the failure is lost.
    expect(storedUrls(job.id)).toEqual(expect.arrayContaining(storedWhenItFailed));
    expect(env.db.pragma('integrity_check', { simple: true })).toBe('ok');

    const resumed = await (await service.resume(job.id)).finished;
    expect(resumed.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
  }, 60_000);
});
