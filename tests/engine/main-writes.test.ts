import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { JobAdmin } from '../../electron/engine/store/job-admin';
import { JobStore } from '../../electron/engine/store/job-store';
import { engineEnv } from './engine-env';

const env = engineEnv();

/**
 * Another connection (a running job's writer, a database browser) holds the
 * file's write lock until main's event loop has run for `ms`; resolves with
 * how many 10 ms timers ran meanwhile.
 */
function holdWriteLock(ms: number): Promise<number> {
  const other = openDatabase(env.dbFile);
  other.exec('BEGIN IMMEDIATE');
  let turns = 0;
  const tick = setInterval(() => turns++, 10);
  return new Promise((resolve) =>
    setTimeout(() => {
      clearInterval(tick);
      other.exec('COMMIT');
      other.close();
      resolve(turns);
    }, ms),
  );
}

describe("main's own writes beside another writer", () => {
  it('start a job and rename one once the lock is free, with the event loop turning meanwhile', async () => {
    const site = await env.site({ pages: 3 });
    const service = env.service();

    // Waiting in SQLite's busy handler would stop this loop, and the lock's release with it.
    const held = holdWriteLock(1000);
    const job = await service.start({ startUrls: [`${site.origin}/`], workers: 1 });
    expect(await held).toBeGreaterThan(10);
    const summary = await job.finished;
    expect(summary.status).toBe('finished');
    expect(env.storedUrls(job.id)).toEqual([...site.reachable].sort());

    const renamed = holdWriteLock(1000);
    await new JobAdmin(env.db).rename(job.id, 'Launch check');
    expect(await renamed).toBeGreaterThan(10);
    expect(new JobStore(env.db).get(job.id)).toMatchObject({
      name: 'Launch check',
      status: 'finished',
      pages: site.reachable.length,
    });
  }, 30_000);

  it("leave the log another writer left to the writers' checkpoints", async () => {
    const site = await env.site({ pages: 3 });
    const service = env.service();
    // Another job's writer has left 2,000 pages in the WAL (it checkpoints at 20,000).
    const other = openDatabase(env.dbFile);
    other.pragma('wal_autocheckpoint = 0');
    other.exec('CREATE TABLE other_job (b BLOB)');
    other
      .prepare(
        'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO other_job SELECT randomblob(4000) FROM n',
      )
      .run();
    other.close();
    const before = statSync(env.dbFile).size;

    // A checkpoint at main's commit would copy those 8 MB on main's event loop.
    const job = await service.start({ startUrls: [`${site.origin}/`], workers: 1 });
    expect(statSync(env.dbFile).size).toBe(before);
    expect((await job.finished).status).toBe('finished');
    // The job's writer copies the log into the file as it closes.
    expect(statSync(env.dbFile).size).toBeGreaterThan(before + 8_000_000);
  }, 30_000);
});
