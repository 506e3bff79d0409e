import type { Db } from '../store/database';

/**
 * Writes grouped into one transaction that commits `everyMs` after it
 * began, instead of one commit per write. A commit writes every database
 * page its transaction dirtied, and a stored page puts about 55 index
 * entries at random places (link targets, URLs, titles), each dirtying a
 * page of its own; grouping the batches of half a second writes each such
 * page once instead of once per batch (bench/RESULTS.md: a third of the
 * bytes written, 12 % less CPU in main).
 *
 * What is not committed yet is lost in a crash together with the state of
 * the URLs it finished, so a resume fetches those again: nothing is lost or
 * stored twice. Other connections see a write up to `everyMs` later.
 */
export class GroupCommit {
  private timer: NodeJS.Timeout | null = null;
  /** A timed commit that failed: reported by the next call. */
  private failure: Error | null = null;

  constructor(
    private readonly db: Db,
    private readonly everyMs: number,
  ) {}

  /**
   * Runs `write` inside the open transaction, opening one if none is. If it
   * throws, everything not committed is rolled back.
   */
  run<T>(write: () => T): T {
    this.throwFailure();
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN IMMEDIATE');
      this.timer = setTimeout(() => this.timedCommit(), this.everyMs);
    }
    try {
      return write();
    } catch (error) {
      this.end('ROLLBACK');
      throw error;
    }
  }

  /** Commits the open transaction now, if there is one. */
  commit(): void {
    this.throwFailure();
    try {
      this.end('COMMIT');
    } catch (error) {
      this.end('ROLLBACK');
      throw error;
    }
  }

  private timedCommit(): void {
    this.timer = null;
    try {
      this.commit();
    } catch (error) {
      this.failure = error as Error;
    }
  }

  private end(statement: 'COMMIT' | 'ROLLBACK'): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.db.inTransaction) this.db.exec(statement);
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure;
  }
}
