import { UserError } from '../user-error';
import type { Db } from './database';
import { JobStore } from './job-store';

/** Job management the UI and CLI share: rename, delete, re-run. */
export class JobAdmin {
  private readonly jobs: JobStore;

  constructor(private readonly db: Db) {
    this.jobs = new JobStore(db);
  }

  rename(id: number, name: string): void {
    const trimmed = name.trim();
    if (trimmed === '') throw new UserError('a job name cannot be empty');
    this.jobs.get(id);
    this.db.prepare('UPDATE jobs SET name = ? WHERE id = ?').run(trimmed, id);
  }

  /**
   * Deletes a job with every row it owns (frontier, pages, links and link
   * targets, redirects, extraction values, external checks: all cascade),
   * then gives the space back to the file system. Refuses a job that is
   * being crawled.
   * Returns whether the space was reclaimed (VACUUM waits for no reader).
   */
  delete(id: number): { reclaimed: boolean } {
    const job = this.jobs.get(id);
    if (job.status === 'running' || job.status === 'stopping') {
      throw new UserError(`job ${id} is being crawled: stop it first`);
    }
    this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id);
    try {
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      return { reclaimed: true };
    } catch {
      // Another connection is reading (a UI, the sqlite3 shell): the rows are
      // gone, and their pages are reused by later writes.
      return { reclaimed: false };
    }
  }
}
