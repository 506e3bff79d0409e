import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/engine/store/database';
import { ResultsClient } from '../../electron/engine/results/results-client';
import { UserError } from '../../electron/engine/user-error';
import { tempDir } from '../helpers/temp-db';
import { fileWithLargeAndSmallJob, storeJob } from './stored-job';

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.cleanup());

describe('results thread', () => {
  it('answers queries off the main thread, rejects bad requests clearly, and renames and deletes jobs', async () => {
    const file = temp.file('thread.sqlite');
    const db = openDatabase(file);
    const O = 'http://127.0.0.1:9';
    const jobId = storeJob(
      db,
      Array.from({ length: 30 }, (_, n) => ({ url: `${O}/${n}`, page: {} })),
    );
    const client = new ResultsClient(file, () => undefined);
    try {
      const first = await client.queryPages({ jobId, limit: 20, withTotal: true });
      expect(first.total).toBe(30);
      const rest = await client.queryPages({ jobId, limit: 20, cursor: first.nextCursor! });
      expect([...first.rows, ...rest.rows].map((row) => row.url)).toEqual(
        Array.from({ length: 30 }, (_, n) => `${O}/${n}`),
      );
      await expect(client.call('queryPages', [{ jobId, limit: 100_000 }])).rejects.toThrow(
        /bad queryPages request: .*limit: must be at most/,
      );
      await expect(client.call('dropTables', [])).rejects.toBeInstanceOf(UserError);
      await client.renameJob(jobId, '  Shop before launch ');
      expect(db.prepare('SELECT name FROM jobs WHERE id = ?').pluck().get(jobId)).toBe(
        'Shop before launch',
      );
      // A blank name gives back the one the job was created with.
      await client.renameJob(jobId, ' ');
      expect(db.prepare('SELECT name FROM jobs WHERE id = ?').pluck().get(jobId)).toBe(
        '127.0.0.1:9',
      );
      db.prepare('UPDATE jobs SET first_start_url = NULL WHERE id = ?').run(jobId);
      await expect(client.renameJob(jobId, '')).rejects.toThrow(
        `job ${jobId} has no start URL to take a default name from: give it a name`,
      );
      db.prepare('UPDATE jobs SET first_start_url = ? WHERE id = ?').run(`${O}/0`, jobId);
      await client.deleteJob(jobId);
      for (const table of ['jobs', 'frontier', 'pages', 'links', 'redirects', 'pages_fts']) {
        expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
      }
      await expect(client.queryPages({ jobId })).rejects.toThrow(`no job with id ${jobId}`);
      await expect(client.deleteJob(jobId)).rejects.toThrow(`no job with id ${jobId}`);
    } finally {
      await client.close();
      db.close();
    }
  });

  it('answers other requests while it deletes a large job', async () => {
    const file = temp.file('thread.sqlite');
    const { large, small } = fileWithLargeAndSmallJob(file);
    const client = new ResultsClient(file, () => undefined);
    try {
      const answered: string[] = [];
      const deleted = client.deleteJob(large).then(() => answered.push('delete'));
      const queried = client.queryPages({ jobId: small }).then((page) => {
        answered.push('query');
        return page.rows.length;
      });
      expect(await queried).toBe(1);
      await deleted;
      expect(answered).toEqual(['query', 'delete']);
      await expect(client.queryPages({ jobId: large })).rejects.toThrow(`no job with id ${large}`);
    } finally {
      await client.close();
    }
  });

  it("answers other requests while a rename and a deletion wait for another connection's write lock", async () => {
    const file = temp.file('thread.sqlite');
    const { large, small } = fileWithLargeAndSmallJob(file);
    const client = new ResultsClient(file, () => undefined);
    // A running job's writer (or a database browser) holds the lock until the query is answered.
    const other = openDatabase(file);
    other.exec('BEGIN IMMEDIATE');
    let held = true;
    try {
      let settled = 0;
      const renamed = client.renameJob(small, 'Kept').finally(() => settled++);
      const deleted = client.deleteJob(large).finally(() => settled++);
      await client.queryPages({ jobId: small });
      // Answered while both still wait: SQLite's busy handler would have held the
      // thread until the rename gave up (its 5 s busy timeout), failing both.
      expect(settled).toBe(0);
      other.exec('COMMIT');
      held = false;
      await Promise.all([renamed, deleted]);
      expect(other.prepare('SELECT id, name FROM jobs').all()).toEqual([
        { id: small, name: 'Kept' },
      ]);
    } finally {
      if (held) other.exec('ROLLBACK');
      other.close();
      await client.close();
    }
  });
});
