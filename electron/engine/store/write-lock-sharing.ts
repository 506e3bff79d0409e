import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from './database';
import { writeWhenFree } from './write-when-free';

/**
 * How long a run of write transactions may hold the file's write lock, in
 * all, before it leaves the lock free for LOCK_PAUSE_MS: another connection
 * waiting for the lock (another job's writer waits 5 s) gets it within about
 * this plus one step of the work (bench/RESULTS.md, fourteenth session).
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
 * Shares the write lock during a long run of work (seeding a long URL list,
 * deleting a job), done in small steps: `untilDone` runs as many steps a
 * transaction as fit in LOCK_BUDGET_MS, then leaves the lock free for
 * LOCK_PAUSE_MS. A short run never pauses, and none pauses after its last
 * transaction.
 */
export class WriteLockSharing {
  private heldMs = 0;

  constructor(private readonly db: Db) {}

  /**
   * Runs `step` (a few thousand rows' work) until it returns false. A
   * transaction ends once it has held the lock for the budget, however many
   * steps that took: a fixed count of rows held it for seconds on a busy or
   * slow machine, past what another connection waits (5 s for a job's
   * writer). Each transaction takes the lock as it begins (IMMEDIATE), so a
   * step only ever runs holding it and is never undone because the lock was
   * busy; any other error undoes the transaction's steps and is thrown. The
   * event loop turns before each transaction, and while another connection
   * has the lock (writeWhenFree), so a thread answers its other requests
   * between two.
   */
  async untilDone(step: () => boolean): Promise<void> {
    const steps = this.db.transaction(() => {
      const started = performance.now();
      let more = step();
      while (more && performance.now() - started < LOCK_BUDGET_MS) more = step();
      return more;
    });
    while (await this.transaction(() => steps.immediate()));
  }

  private async transaction<T>(write: () => T): Promise<T> {
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
