import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import type { Db } from './database';

/** Room for a job's last write (its row: a few WAL frames and a wal-index block) many times over. */
const RESERVE_BYTES = 256 * 1024;

/** Where job `jobId` of the database `db` keeps its reserve; null for a database in memory. */
function reserveFile(db: Db, jobId: number): string | null {
  return db.memory ? null : `${db.name}-reserve-${jobId}`;
}

/**
 * Holds a little disk room beside the database while a job runs, and returns
 * what frees it. When the disk fills up, SQLite cannot append even the row
 * saying that the job failed and why; freeing the reserve just before that
 * last write makes room for it. Best effort: a disk already full at the start
 * gets no reserve. Random bytes, so a compressing file system stores them too.
 */
export function holdDiskReserve(db: Db, jobId: number): () => void {
  const file = reserveFile(db, jobId);
  if (!file) return () => undefined;
  try {
    writeFileSync(file, randomBytes(RESERVE_BYTES));
  } catch {
    removeDiskReserve(db, jobId);
  }
  return () => removeDiskReserve(db, jobId);
}

/** Removes the job's reserve, if any: one left behind by a process that was killed too. */
export function removeDiskReserve(db: Db, jobId: number): void {
  const file = reserveFile(db, jobId);
  try {
    if (file) rmSync(file, { force: true });
  } catch {
    // A file that cannot be removed is only space, never the job's data.
  }
}
