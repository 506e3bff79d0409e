import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from '../store/database';
import { LOCK_BUDGET_MS, LOCK_PAUSE_MS } from '../store/write-lock-sharing';
import { writeWhenFree } from '../store/write-when-free';

/** How long after another connection's write seen at a begin its writes are taken as ongoing. */
const SHARED_FOR_MS = 5000;

/**
 * The writer thread's transaction, kept open across its requests (result
 * batches, leases) and committed once it has held the file's write lock for
 * LOCK_BUDGET_MS; the next begins only after LOCK_PAUSE_MS, so another
 * connection waiting for the lock gets it, as between a long seed's
 * transactions (WriteLockSharing). While another connection writes to the
 * file too, each request commits (budgetMs).
 *
 * Why: a commit writes every database page its transaction dirtied, and a
 * page's entries in the text sort indexes land at random places, so a
 * commit per 100 ms batch wrote the same index pages again and again
 * (bench/RESULTS.md, nineteenth session). A crash loses the uncommitted half
 * second at most, which a resume crawls again like any URL leased when main
 * died. A request that fails leaves part of its writes in the transaction,
 * so the whole of it is rolled back and nothing more is written: the job
 * fails, and a resume crawls again what the answered requests had written.
 */
export class CommitGroup {
  private openedAt: number | undefined;
  /** When a begin last found that another connection had written to the file. */
  private sharedAt = -Infinity;
  /** SQLite's count of other connections' commits to the file, at the last begin. */
  private othersVersion: number;
  private freeAt = 0;
  private timer: NodeJS.Timeout | undefined;
  /** A write or commit that failed: what the transaction held is lost, and nothing more is written. */
  private failure: Error | undefined;

  constructor(private readonly db: Db) {
    this.othersVersion = this.dataVersion();
  }

  /** Runs `write` inside the open transaction, beginning one if there is none. */
  async run<T>(write: () => T): Promise<T> {
    if (this.openedAt === undefined) {
      await delay(Math.max(0, this.freeAt - performance.now()));
      if (this.failure) throw this.failure;
      // IMMEDIATE: the lock is waited for here, not at a write that follows a read,
      // which SQLite would refuse at once if another commit came between.
      await writeWhenFree(this.db, () => this.db.exec('BEGIN IMMEDIATE'));
      this.openedAt = performance.now();
      const version = this.dataVersion();
      if (version !== this.othersVersion) this.sharedAt = this.openedAt;
      this.othersVersion = version;
      // An idle thread commits too: its readers see the results within the budget.
      this.timer = setTimeout(() => this.commitQuietly(), LOCK_BUDGET_MS);
    }
    let result: T;
    try {
      result = write();
    } catch (error) {
      this.lost(error as Error);
      throw error;
    }
    if (performance.now() - this.openedAt! >= this.budgetMs()) this.commit();
    return result;
  }

  /**
   * How long a transaction may grow: not past one request while another
   * connection writes to the file too (another job's writer waits for each
   * of ours, and its workers for it: two jobs crawled 20 % slower taking
   * half-second turns than committing each request, bench/RESULTS.md,
   * twentieth session).
   */
  private budgetMs(): number {
    return performance.now() - this.sharedAt < SHARED_FOR_MS ? 0 : LOCK_BUDGET_MS;
  }

  private dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Commits the open transaction, if any; throws if it, or an earlier one, failed. */
  commit(): void {
    if (this.failure) throw this.failure;
    if (this.openedAt === undefined) return;
    clearTimeout(this.timer);
    const now = performance.now();
    // As WriteLockSharing: a transaction shorter than the budget leaves no pause.
    this.freeAt = now - this.openedAt >= LOCK_BUDGET_MS ? now + LOCK_PAUSE_MS : 0;
    this.openedAt = undefined;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      this.lost(error as Error);
      throw error;
    }
  }

  /** The timer's commit: a failure is kept, and the next request fails with it. */
  private commitQuietly(): void {
    try {
      this.commit();
    } catch {
      // Kept in `failure`.
    }
  }

  private lost(error: Error): void {
    // SQLite may have rolled it back already (a full disk).
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    clearTimeout(this.timer);
    this.openedAt = undefined;
    this.failure = error;
  }
}
