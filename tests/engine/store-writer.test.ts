import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-site';
import { waitFor } from '../helpers/processes';
import { engineEnv } from './engine-env';

const env = engineEnv();
let site: FixtureSite | undefined;

afterEach(async () => {
  await site?.close();
  site = undefined;
});

const { storedUrls } = env;

describe('the store writer thread', () => {
  it('stores every page of a crawl once, with the job counters matching the rows', async () => {
    site = await startFixtureSite({ pages: 300 });
    const summary = await env.service().start({ startUrls: [`${site.origin}/`], workers: 2 })
      .finished;

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
  });

  it('ends the job as failed when a write fails, keeps what was stored, and resumes exactly', async () => {
    site = await startFixtureSite({ pages: 400, delayMs: 5 });
    const service = env.service();
    const job = service.start({ startUrls: [`${site.origin}/`], workers: 2, concurrency: 4 });
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
    expect(failed.error).toMatch(/database is locked/);
    // Nothing committed before the failure is lost.
    expect(storedUrls(job.id)).toEqual(expect.arrayContaining(storedWhenItFailed));
    expect(env.db.pragma('integrity_check', { simple: true })).toBe('ok');

    const resumed = await service.resume(job.id).finished;
    expect(resumed.status).toBe('finished');
    expect(storedUrls(job.id)).toEqual([...site.reachable].sort());
  }, 60_000);
});
