import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from './database';

/** Between two tries; a store writer leaves the lock free for LOCK_PAUSE_MS at a time. */
const RETRY_MS = 10;

/**
 * Runs `write` (one statement, or one transaction, which SQLite undoes when
 * it cannot have the lock) on a connection whose thread serves people (main,
 * the results thread), waiting for another connection's write lock with the
 * event loop free. SQLite's own busy handler sleeps the thread: a job's
 * writer holds the lock about half a second at a time (CommitGroup), and
 * main's loop stopped that long for a job's start or end beside a running
 * crawl (bench/RESULTS.md, twentieth session). Gives up, with SQLite's
 * SQLITE_BUSY, after the connection's busy timeout (5 s as opened), as a
 * plain write would.
 */
export async function writeWhenFree<T>(db: Db, write: () => T): Promise<T> {
  const timeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
  const giveUpAt = performance.now() + timeoutMs;
  for (;;) {
    // Only for this try: anything else on the connection keeps the busy timeout.
    db.pragma('busy_timeout = 0');
    try {
      return write();
    } catch (error) {
      if (!isBusy(error) || performance.now() >= giveUpAt) throw error;
    } finally {
      db.pragma(`busy_timeout = ${timeoutMs}`);
    }
    await delay(RETRY_MS);
  }
}

/** SQLITE_BUSY, or an extended code of it (a read transaction's snapshot gone stale). */
function isBusy(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
