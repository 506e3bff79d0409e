import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from './database';
import { writeWhenFree } from './write-when-free';

/**
 * How long a run of write transactions may hold the file's write lock, in
 * all, before it leaves the lock free for LOCK_PAUSE_MS: another connection
 * waiting for the lock (another job's writer waits 5 s) gets it within about
 * this plus one transaction (bench/RESULTS.md, fourteenth session).
 */
export const LOCK_BUDGET_MS = 500;

/**
 * How long the lock is left free. A connection waiting for it does not
 * queue: SQLite's busy handler sleeps and tries again, every 100 ms once it
 * has waited a quarter of a second, so a shorter gap is mostly missed by
 * other programs (Trawl's own connections try every 10 ms, writeWhenFree).
 */
export const LOCK_PAUSE_MS = 120;

/**
 * Shares the write lock during a long run of write transactions (seeding a
 * long URL list, deleting a job): each goes through `transaction`, which
 * first pauses if those since the last pause held the lock past the budget.
 * A short run never pauses, and none pauses after its last transaction.
 */
export class WriteLockSharing {
  private heldMs = 0;

  constructor(private readonly db: Db) {}

  /**
   * Runs `write`, one transaction (or one statement, which commits alone),
   * after a pause when one is due; the event loop turns before it in any
   * case, and while another connection has the lock (writeWhenFree), so a
   * thread answers its other requests between two.
   */
  async transaction<T>(write: () => T): Promise<T> {
    const due = this.heldMs >= LOCK_BUDGET_MS;
    await delay(due ? LOCK_PAUSE_MS : 0);
    if (due) this.heldMs = 0;
    return writeWhenFree(this.db, () => {
      const started = performance.now();
      try {
        return write();
      } finally {
        this.heldMs += performance.now() - started;
      }
    });
  }
}
