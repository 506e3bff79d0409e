import { describeSchemaError } from '../../../shared/job-settings';
import { defaultJobName, jobNameSchema } from '../../../shared/results';
import { UserError } from '../user-error';
import type { Db } from './database';
import { removeDiskReserve } from './disk-reserve';
import { InlinksIndex } from './inlinks';
import { JobStore } from './job-store';
import { WriteLockSharing } from './write-lock-sharing';
import { writeWhenFree } from './write-when-free';

/** Job management the UI and CLI share: rename and delete. */
export class JobAdmin {
  private readonly jobs: JobStore;

  constructor(private readonly db: Db) {
    this.jobs = new JobStore(db);
  }

  /**
   * Renames a job; an empty name gives it back the name it was created with.
   * Waits for a running job's writer without holding the thread (writeWhenFree).
   */
  async rename(id: number, name: string): Promise<void> {
    const parsed = jobNameSchema.safeParse(name);
    if (!parsed.success) throw new UserError(describeSchemaError(parsed.error));
    const job = this.jobs.get(id);
    const newName = parsed.data || defaultJobName(job.firstStartUrl);
    if (newName === null) {
      throw new UserError(`job ${id} has no start URL to take a default name from: give it a name`);
    }
    const update = this.db.prepare('UPDATE jobs SET name = ? WHERE id = ?');
    await writeWhenFree(this.db, () => update.run(newName, id));
  }

  /**
   * Deletes a job with every row it owns (frontier, pages, links and link
   * targets with their inlinks entries, redirects, extraction values,
   * external checks: all cascade), then gives the space back to the file
   * system. Refuses a job that is being crawled.
   *
   * Rows go in short transactions: one transaction for a large job held
   * the write lock for longer (20 s for 60,000 pages) than a crawl writing
   * to the same file waits for it (5 s), so that crawl failed. Between two
   * the thread answers other requests (the results screens), and a crawl's
   * writer waiting for the lock gets it within about half a second and one
   * step (WriteLockSharing). The job is marked `deleting` first, so
   * a deletion cut short shows and can be finished.
   */
  async delete(id: number): Promise<{ reclaimed: true } | { reclaimed: false; why: string }> {
    await writeWhenFree(this.db, () => this.jobs.markDeleting(id));
    const sharing = new WriteLockSharing(this.db);
    const inlinks = new InlinksIndex(this.db);
    for (const [table, key, rows] of DELETE_CHUNKS) {
      const chunk = this.db.prepare(
        `DELETE FROM ${table} WHERE job_id = @job
           AND ${key} IN (SELECT ${key} FROM ${table} WHERE job_id = @job LIMIT ${rows})`,
      );
      await sharing.untilDone(() => {
        const { changes } = chunk.run({ job: id });
        inlinks.deleted();
        return changes > 0;
      });
    }
    this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
    removeDiskReserve(this.db, id);
    // VACUUM copies the whole file under the write lock, into as much space again:
    // not while a crawl would wait for it, nor for a small part of a large file.
    if (this.jobs.crawling()) return { reclaimed: false, why: 'a job is crawling' };
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const all = this.db.pragma('page_count', { simple: true }) as number;
    if (free < all * COMPACT_WHEN_FREE) {
      return { reclaimed: false, why: 'it is less than a quarter of the file' };
    }
    try {
      // The search index keeps deleted pages' entries until its segments merge.
      this.db.prepare("INSERT INTO pages_fts (pages_fts) VALUES ('optimize')").run();
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      return { reclaimed: true };
    } catch (error) {
      // Its pages are reused by later writes all the same.
      return {
        reclaimed: false,
        why:
          (error as { code?: string }).code === 'SQLITE_FULL'
            ? 'the disk has no room for a compacted copy'
            : 'another program has the file open',
      };
    }
  }
}

/**
 * What a deletion removes per step (table, key, rows), children before
 * parents (each cascades to its own children): about 40 ms of work each on
 * the bench machine; a transaction takes as many as fit in
 * WriteLockSharing's budget.
 */
const DELETE_CHUNKS = [
  ['pages', 'id', 128],
  ['frontier', 'id', 1024],
  ['link_targets', 'id', 1024],
  ['external_urls', 'url', 1024],
] as const;

/** The share of the file a deletion must free for the file to be compacted. */
const COMPACT_WHEN_FREE = 0.25;
