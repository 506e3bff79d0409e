import type { Db } from '../../electron/engine/store/database';

/**
 * The inlinks index's state (migration 14): how many links are past the
 * watermark, and whether its entries are exactly the links up to it (1) or
 * not (0).
 */
export function inlinksState(db: Db): { tail: number; exact: number } {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM page_links WHERE id > u.upto) AS tail,
         (SELECT count(*) FROM link_inlinks) = (SELECT count(*) FROM page_links WHERE id <= u.upto)
         AND NOT EXISTS (SELECT 1 FROM link_inlinks i LEFT JOIN page_links l ON l.id = i.link
           WHERE l.target IS NOT i.target OR i.link > u.upto) AS exact
       FROM link_inlinks_upto u`,
    )
    .get() as { tail: number; exact: number };
}
