import type { Db } from '../store/database';
import { JobStore } from '../store/job-store';
import {
  COMPARED_FIELDS,
  type CompareRequest,
  type CompareResult,
  type CompareRow,
} from '../../../shared/results';
import { DEFAULT_LIMIT } from './page-query';
import { decodeCursor, encodeCursor } from './keyset-cursor';

/** The URLs of one job that were fetched or failed, with the compared fields. */
const side = (alias: string, page: string, job: string) =>
  `frontier ${alias} LEFT JOIN pages ${page} ON ${page}.frontier_id = ${alias}.id
   WHERE ${alias}.job_id = ${job} AND ${alias}.state IN (2, 3)`;

/** A URL that turned into a redirect changed: its own status is compared, not its target's. */
const fields = (page: string) =>
  `${page}.status, ${page}.title, ${page}.canonical, ${page}.content_hash`;

const differs = `(a.status IS NOT b.status OR a.title IS NOT b.title
  OR a.canonical IS NOT b.canonical OR a.content_hash IS NOT b.content_hash)`;

/**
 * Every URL of either job that was added, removed or changed, in URL order.
 * A URL that failed (no response) compares with a null status.
 */
const COMPARE_SQL = `
  WITH a (url, status, title, canonical, content_hash) AS (SELECT fa.url, ${fields('pa')} FROM ${side('fa', 'pa', '@base')}),
       b (url, status, title, canonical, content_hash) AS (SELECT fb.url, ${fields('pb')} FROM ${side('fb', 'pb', '@other')})
  SELECT b.url, CASE WHEN a.url IS NULL THEN 'added' ELSE 'changed' END AS change,
    a.status AS status0, b.status AS status1, a.title AS title0, b.title AS title1,
    a.canonical AS canonical0, b.canonical AS canonical1, a.content_hash AS hash0, b.content_hash AS hash1
  FROM b LEFT JOIN a ON a.url = b.url
  WHERE b.url > @after AND (a.url IS NULL OR ${differs})
  UNION ALL
  SELECT a.url, 'removed', a.status, NULL, a.title, NULL, a.canonical, NULL, a.content_hash, NULL
  FROM a WHERE a.url > @after AND NOT EXISTS (SELECT 1 FROM b WHERE b.url = a.url)
  ORDER BY 1 LIMIT @limit`;

const SUMMARY_SQL = `
  WITH a (url, status, title, canonical, content_hash) AS (SELECT fa.url, ${fields('pa')} FROM ${side('fa', 'pa', '@base')}),
       b (url, status, title, canonical, content_hash) AS (SELECT fb.url, ${fields('pb')} FROM ${side('fb', 'pb', '@other')})
  SELECT
    (SELECT count(*) FROM b WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.url = b.url)) AS added,
    (SELECT count(*) FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.url = a.url)) AS removed,
    (SELECT count(*) FROM a JOIN b ON a.url = b.url WHERE ${differs}) AS changed,
    (SELECT count(*) FROM a JOIN b ON a.url = b.url WHERE NOT ${differs}) AS unchanged`;

type Raw = { url: string; change: CompareRow['change'] } & Record<string, string | number | null>;

const COLUMN_OF = { status: 'status', title: 'title', canonical: 'canonical', contentHash: 'hash' };

function toRow(raw: Raw): CompareRow {
  return {
    url: raw.url,
    change: raw.change,
    fields:
      raw.change !== 'changed'
        ? []
        : COMPARED_FIELDS.flatMap((field) => {
            const before = raw[`${COLUMN_OF[field]}0`] ?? null;
            const after = raw[`${COLUMN_OF[field]}1`] ?? null;
            return before === after ? [] : [{ field, before, after }];
          }),
  };
}

/** Pages added, removed and changed (status, title, canonical, content hash) from `base` to `other`. */
export function compareJobs(db: Db, request: CompareRequest): CompareResult {
  const jobs = new JobStore(db);
  jobs.whole(request.base); // clear errors for unknown or half-deleted jobs
  jobs.whole(request.other);
  const limit = request.limit ?? DEFAULT_LIMIT;
  const sortId = `compare:${request.base}:${request.other}`;
  const after = request.cursor ? String(decodeCursor(request.cursor, sortId).key) : '';
  const raw = db
    .prepare(COMPARE_SQL)
    .all({ base: request.base, other: request.other, after, limit: limit + 1 }) as Raw[];
  const more = raw.length > limit;
  const rows = (more ? raw.slice(0, limit) : raw).map(toRow);
  return {
    summary: db
      .prepare(SUMMARY_SQL)
      .get({ base: request.base, other: request.other }) as CompareResult['summary'],
    rows,
    nextCursor: more ? encodeCursor({ sort: sortId, value: null, key: rows.at(-1)!.url }) : null,
  };
}

/** Every difference, screen by screen (memory stays flat). */
export function* iterateComparison(db: Db, base: number, other: number): Generator<CompareRow> {
  let cursor: string | undefined;
  do {
    const screen = compareJobs(db, { base, other, limit: 500, ...(cursor && { cursor }) });
    yield* screen.rows;
    cursor = screen.nextCursor ?? undefined;
  } while (cursor);
}
