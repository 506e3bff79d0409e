import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { JobStore, settingsOf } from '../../electron/engine/store/job-store';
import { jobSettingsSchema } from '../../shared/job-settings';
import { runCli, startCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-db';
import { fileWithLargeAndSmallJob, storeLargeJob } from '../results/stored-job';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.cleanup());

/** Rows of job `id` left in the tables a deletion empties, and the file's integrity. */
function leftOf(file: string, id: number) {
  const db = new Database(file, { readonly: true });
  try {
    const count = (sql: string) => db.prepare(sql).pluck().get(id) as number;
    return {
      jobs: count('SELECT count(*) FROM jobs WHERE id = ?'),
      frontier: count('SELECT count(*) FROM frontier WHERE job_id = ?'),
      pages: count('SELECT count(*) FROM pages WHERE job_id = ?'),
      linkTargets: count('SELECT count(*) FROM link_targets WHERE job_id = ?'),
      links: db.prepare('SELECT count(*) FROM page_links').pluck().get(),
      integrity: db.pragma('integrity_check', { simple: true }),
    };
  } finally {
    db.close();
  }
}

const GONE = { jobs: 0, frontier: 0, pages: 0, linkTargets: 0, links: 0, integrity: 'ok' };

describe('deleting a job', () => {
  it('lets a job crawling the same file keep writing, though no checkpoint leaves it a gap', async () => {
    const file = temp.file('trawl.sqlite');
    const db = openDatabase(file);
    storeLargeJob(db, 40_000, 40);
    // Job 2 is being crawled by this live process, whose writer updates it after each batch.
    const jobs = new JobStore(db);
    const crawl = jobs.create(
      jobSettingsSchema.parse({ startUrls: ['http://127.0.0.1:9/'], workers: 1 }),
    );
    jobs.markStarted(crawl.id, settingsOf(jobs.get(crawl.id)));
    // Stricter than a crawl's writer (5 s): one transaction for this job held the lock longer.
    db.pragma('busy_timeout = 2000');
    const bump = db.prepare('UPDATE jobs SET pages = pages + 1 WHERE id = ?');

    // A long read (an export) from before the deletion: the deleting process's checkpoints
    // cannot copy past it, so they end at once instead of leaving the lock free a while.
    const reader = new Database(file, { readonly: true });
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM pages').get();

    const deleting = startCli(['jobs', 'delete', '1', '--db', file]);
    let exited = false;
    void deleting.result.then(() => (exited = true));
    let writes = 0;
    while (!exited) {
      bump.run(crawl.id); // SQLITE_BUSY if the deletion kept the lock for 2 s
      writes++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const end = await deleting.result;
    reader.close();
    expect(end.stderr).toBe(
      'job 1 deleted; its space is reused by later jobs (a job is crawling, so the file was not compacted)\n',
    );
    expect(end.code).toBe(0);
    expect(jobs.get(crawl.id)).toMatchObject({ status: 'running', pages: writes });
    db.close();
    expect(leftOf(file, 1)).toEqual(GONE);
  }, 120_000);

  it('compacts the file when a deletion frees a large part of it, not for a small job', async () => {
    const file = temp.file('trawl.sqlite');
    const { large, small } = fileWithLargeAndSmallJob(file);
    const before = statSync(file).size;
    const smallGone = await runCli(['jobs', 'delete', String(small), '--db', file]);
    expect(smallGone.stderr).toBe(
      `job ${small} deleted; its space is reused by later jobs (it is less than a quarter of the file, so the file was not compacted)\n`,
    );
    expect(statSync(file).size).toBe(before);
    const largeGone = await runCli(['jobs', 'delete', String(large), '--db', file]);
    expect(largeGone.stderr).toBe(`job ${large} deleted\n`);
    expect(statSync(file).size).toBeLessThan(before / 10);
    expect(leftOf(file, large)).toEqual(GONE);
  }, 120_000);

  it('cut short by a kill, leaves the job marked deleting; it cannot resume or export, and deleting again finishes', async () => {
    const file = temp.file('trawl.sqlite');
    const db = openDatabase(file);
    storeLargeJob(db, 20_000, 20);
    db.close();
    const reader = new Database(file, { readonly: true });
    const stored = reader.prepare('SELECT count(*) FROM pages').pluck();

    const deleting = startCli(['jobs', 'delete', '1', '--db', file]);
    while ((stored.get() as number) === 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    deleting.child.kill('SIGKILL');
    await deleting.result;
    reader.close();
    expect(leftOf(file, 1)).toMatchObject({ jobs: 1, integrity: 'ok' });

    const listed = await runCli(['jobs', '--db', file, '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ id: 1, status: 'deleting' });
    const resumed = await runCli(['crawl', '--resume', '1', '--db', file]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toBe(
      'trawl: error: job 1 is being deleted: delete it again to finish\n',
    );
    // Part of its rows are gone: results read from it would be short without a word.
    for (const args of [
      ['export', '1'],
      ['report', '1', 'status-codes'],
      ['compare', '1', '1'],
    ]) {
      const refused = await runCli([...args, '--db', file]);
      expect(refused.stderr).toBe(
        'trawl: error: job 1 is being deleted: delete it again to finish\n',
      );
      expect(refused.stdout).toBe('');
    }
    const again = await runCli(['jobs', 'delete', '1', '--db', file]);
    expect(again.stderr).toBe('job 1 deleted\n');
    expect(leftOf(file, 1)).toEqual(GONE);
  }, 120_000);
});
