import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

/**
 * Links past the watermark a batch leaves unindexed: the entries of 65,536
 * links sorted and added in one statement cost 16 % less of the writer's
 * time at 100,000 pages than an entry a link (bench/RESULTS.md, seventeenth
 * session), and a reader scans at most this many links (plus a batch's) by
 * id range.
 */
const INDEX_EVERY_LINKS = 65_536;

/** The watermark: every page_links row with this id or a lower one has its link_inlinks entry. */
export const INLINKS_UPTO = '(SELECT upto FROM link_inlinks_upto)';

/**
 * Keeps `link_inlinks` (migration 14) up to date in database `schema`: adds
 * the entries of the links past the watermark, in key order, and moves the
 * watermark, in the caller's transaction. The watermark is one for the
 * file, whichever job's writer moves it: a transaction sees every committed
 * link, so it indexes other jobs' links too, and the tail stays bounded with
 * jobs crawling at the same time.
 */
export class InlinksIndex {
  private readonly sql: Record<'tail' | 'add' | 'move' | 'lower', Statement>;

  constructor(db: Db, schema = 'main') {
    this.sql = {
      tail: db.prepare(
        `SELECT upto, (SELECT coalesce(max(id), 0) FROM ${schema}.page_links) AS last
         FROM ${schema}.link_inlinks_upto`,
      ),
      add: db.prepare(
        `INSERT INTO ${schema}.link_inlinks SELECT target, id FROM ${schema}.page_links
         WHERE id > ? AND id <= ? ORDER BY target, id`,
      ),
      move: db.prepare(`UPDATE ${schema}.link_inlinks_upto SET upto = ?`),
      // Links above the largest id left get their ids again, and need entries then.
      lower: db.prepare(
        `UPDATE ${schema}.link_inlinks_upto
         SET upto = min(upto, (SELECT coalesce(max(id), 0) FROM ${schema}.page_links))`,
      ),
    };
  }

  /**
   * Indexes the links past the watermark when there are many (after a
   * batch), or all of them (`all`: when a run starts or ends, and in a copy),
   * so a job that is not running has none.
   */
  add({ all }: { all: boolean }): void {
    const { upto, last } = this.sql.tail.get() as { upto: number; last: number };
    if (last - upto < (all ? 1 : INDEX_EVERY_LINKS)) return;
    this.sql.add.run(upto, last);
    this.sql.move.run(last);
  }

  /** After links were deleted, in the same transaction: ids above those left are given again. */
  deleted(): void {
    this.sql.lower.run();
  }
}

/**
 * SQL of every column of `targets` (a MATERIALIZED common table expression
 * with a column `target`, a link_targets id) with `link`, the id of each link
 * to it: the index's entries, then one pass over the links past the
 * watermark. CROSS JOIN keeps that pass outermost: driven from the targets,
 * it would scan those links once a target.
 */
export function inlinksOf(targets: string): string {
  return `SELECT x.*, i.link FROM ${targets} x JOIN link_inlinks i ON i.target = x.target
    UNION ALL
    SELECT x.*, l.id FROM page_links l CROSS JOIN ${targets} x
    WHERE l.id > ${INLINKS_UPTO} AND x.target = l.target`;
}
