import type { Db } from '../store/database';
import { INLINKS_UPTO } from '../store/inlinks';
import { UserError } from '../user-error';
import {
  PAGE_COLUMNS,
  type LinkQuery,
  type LinkQueryResult,
  type LinkRow,
  type PageDetail,
  type PageDetailRequest,
} from '../../../shared/results';
import { COLUMN_SQL, displayValue, isRowKind } from './page-columns';
import { DEFAULT_LIMIT } from './page-query';
import { decodeCursor, encodeCursor } from './keyset-cursor';

const json = <T>(text: string | null, empty: T): T =>
  text === null ? empty : (JSON.parse(text) as T);

/** Everything stored about one URL of a job: fetched, failed, blocked or a checked external URL. */
export function pageDetail(db: Db, { jobId, url }: PageDetailRequest): PageDetail {
  const internal = db
    .prepare(
      `SELECT f.id AS frontierId, f.in_sitemap AS inSitemap, found.url AS foundOn, p.id AS pageId,
         p.headers, p.hreflang, p.retry_reasons AS retryReasons,
         CASE WHEN p.id IS NULL THEN 'unanswered' ELSE 'pages' END AS source
       FROM frontier f LEFT JOIN pages p ON p.frontier_id = f.id
         LEFT JOIN frontier found ON found.id = f.found_on
       WHERE f.job_id = ? AND f.url = ? AND (p.id IS NOT NULL OR f.state IN (3, 4))`,
    )
    .get(jobId, url) as
    | {
        frontierId: number;
        inSitemap: number;
        foundOn: string | null;
        pageId: number | null;
        headers: string | null;
        hreflang: string | null;
        retryReasons: string | null;
        source: 'pages' | 'unanswered';
      }
    | undefined;
  const source = internal?.source ?? 'external';
  const columns = COLUMN_SQL[source];
  const select = PAGE_COLUMNS.map((column) => `${columns[column]} AS "${column}"`).join(', ');
  const row = (
    internal
      ? internal.pageId !== null
        ? db.prepare(`SELECT ${select} FROM pages p WHERE p.id = ?`).get(internal.pageId)
        : db.prepare(`SELECT ${select} FROM frontier f WHERE f.id = ?`).get(internal.frontierId)
      : db
          .prepare(`SELECT ${select} FROM external_urls e WHERE e.job_id = ? AND e.url = ?`)
          .get(jobId, url)
  ) as Record<string, string | number | null> | undefined;
  if (!row) throw new UserError(`job ${jobId} has no result for ${url}`);
  const fields = Object.fromEntries(
    PAGE_COLUMNS.map((column) => [column, displayValue(column, row[column] ?? null)]),
  ) as PageDetail['fields'];
  const kind = fields.kind;
  if (!isRowKind(kind)) throw new Error(`unexpected row kind ${String(kind)}`);
  const pageId = internal?.pageId ?? null;
  const count = (sql: string, ...args: unknown[]) =>
    (db.prepare(sql).get(...args) as { n: number }).n;
  return {
    url,
    kind,
    fields,
    redirects: internal
      ? (db
          .prepare(
            'SELECT hop, url, status, location FROM redirects WHERE frontier_id = ? ORDER BY hop',
          )
          .all(internal.frontierId) as PageDetail['redirects'])
      : [],
    headers: json(internal?.headers ?? null, {}),
    hreflang: json(internal?.hreflang ?? null, []),
    retryReasons: json(internal?.retryReasons ?? null, []),
    extracted: pageId === null ? {} : extractedValues(db, pageId),
    foundOn: internal?.foundOn ?? null,
    inSitemap: internal?.inSitemap === 1,
    // Counted in the index alone, then in the links past its watermark.
    inlinkCount: count(
      `WITH t (id) AS (SELECT id FROM link_targets WHERE job_id = ? AND url = ?)
       SELECT (SELECT count(*) FROM link_inlinks WHERE target = (SELECT id FROM t))
         + (SELECT count(*) FROM page_links
            WHERE id > ${INLINKS_UPTO} AND target = (SELECT id FROM t)) AS n`,
      jobId,
      url,
    ),
    outlinkCount:
      pageId === null ? 0 : count('SELECT count(*) AS n FROM links WHERE from_page = ?', pageId),
  };
}

/** Values per rule name: a list when a rule stored several, else the one value. */
function extractedValues(db: Db, pageId: number): PageDetail['extracted'] {
  const rows = db
    .prepare('SELECT name, value FROM extractions WHERE page_id = ? ORDER BY name, position')
    .all(pageId) as { name: string; value: string }[];
  const values: Record<string, string[]> = {};
  for (const { name, value } of rows) (values[name] ??= []).push(value);
  return Object.fromEntries(
    Object.entries(values).map(([name, list]) => [name, list.length === 1 ? list[0]! : list]),
  );
}

/**
 * The ids of a screen of links to @url after @after: the index's, then the
 * watermark's tail (whose ids are all higher), each walked in id order and
 * cut at @limit, so a URL with many inlinks costs no sort of them all.
 */
const INLINKS_SCREEN = `
  WITH x (target) AS MATERIALIZED (SELECT id FROM link_targets WHERE job_id = @jobId AND url = @url)
  SELECT link FROM (SELECT i.link FROM link_inlinks i
    WHERE i.target = (SELECT target FROM x) AND i.link > @after ORDER BY i.link LIMIT @limit)
  UNION ALL
  SELECT link FROM (SELECT l.id AS link FROM page_links l
    WHERE l.id > max(@after, ${INLINKS_UPTO}) AND l.target = (SELECT target FROM x)
    ORDER BY l.id LIMIT @limit)`;

/** Links to a URL (`in`) or on a page (`out`), in stored order, by keyset on the link id. */
export function queryLinks(db: Db, query: LinkQuery): LinkQueryResult {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const sortId = `links:${query.direction}`;
  const after = query.cursor ? Number(decodeCursor(query.cursor, sortId).key) : 0;
  const where =
    query.direction === 'in'
      ? `l.id IN (${INLINKS_SCREEN})`
      : `l.from_page = (SELECT p.id FROM frontier f JOIN pages p ON p.frontier_id = f.id
           WHERE f.job_id = @jobId AND f.url = @url)`;
  const rows = db
    .prepare(
      `SELECT l.id, src.url AS fromUrl, l.to_url AS toUrl, l.anchor, l.rel, l.internal,
         coalesce(tp.status, e.status) AS toStatus
       FROM links l JOIN pages src ON src.id = l.from_page
         LEFT JOIN frontier tf ON tf.job_id = l.job_id AND tf.url = l.to_url
         LEFT JOIN pages tp ON tp.frontier_id = tf.id
         LEFT JOIN external_urls e ON e.job_id = l.job_id AND e.url = l.to_url
       WHERE ${where} AND l.id > @after ORDER BY l.id LIMIT @limit`,
    )
    .all({ jobId: query.jobId, url: query.url, after, limit: limit + 1 }) as (Omit<
    LinkRow,
    'internal'
  > & { id: number; internal: number })[];
  const more = rows.length > limit;
  const screen = more ? rows.slice(0, limit) : rows;
  return {
    rows: screen.map(({ id: _id, internal, ...link }) => ({ ...link, internal: internal === 1 })),
    nextCursor: more ? encodeCursor({ sort: sortId, value: null, key: screen.at(-1)!.id }) : null,
  };
}
