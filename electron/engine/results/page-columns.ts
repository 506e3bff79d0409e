import type { RowSource } from '../../../shared/filter-row-sources';
import type { PageColumn, RowKind } from '../../../shared/results';

/**
 * The URL table is three kinds of rows from three tables, merged: fetched
 * pages (`pages p`), URLs without a response (`frontier f`, failed or
 * blocked) and checked external URLs (`external_urls e`). Each kind says
 * how it fills every column; NULL where the column does not apply.
 */
type ColumnSql = Record<PageColumn, string>;

const NONE: Omit<ColumnSql, 'url' | 'kind'> = {
  finalUrl: 'NULL',
  finalStatus: 'NULL',
  status: 'NULL',
  error: 'NULL',
  contentType: 'NULL',
  depth: 'NULL',
  bytes: 'NULL',
  wireBytes: 'NULL',
  responseMs: 'NULL',
  ttfbMs: 'NULL',
  title: 'NULL',
  metaDescription: 'NULL',
  h1: 'NULL',
  h1Count: 'NULL',
  h2Count: 'NULL',
  canonical: 'NULL',
  metaRefresh: 'NULL',
  metaRobots: 'NULL',
  xRobotsTag: 'NULL',
  lang: 'NULL',
  charset: 'NULL',
  wordCount: 'NULL',
  contentHash: 'NULL',
  imagesWithoutAlt: 'NULL',
  indexable: 'NULL',
  indexability: 'NULL',
  linkCount: 'NULL',
  redirectCount: 'NULL',
  attempts: 'NULL',
  fetchedAt: 'NULL',
};

export const COLUMN_SQL: Record<RowSource, ColumnSql> = {
  pages: {
    url: 'p.url',
    finalUrl: 'p.final_url',
    finalStatus: 'p.final_status',
    kind: "'page'",
    status: 'p.status',
    error: 'NULL',
    contentType: 'p.content_type',
    depth: 'p.depth',
    bytes: 'p.bytes',
    wireBytes: 'p.wire_bytes',
    responseMs: 'p.response_ms',
    ttfbMs: 'p.ttfb_ms',
    title: 'p.title',
    metaDescription: 'p.meta_description',
    h1: 'p.h1',
    h1Count: 'p.h1_count',
    h2Count: 'p.h2_count',
    canonical: 'p.canonical',
    metaRefresh: 'p.meta_refresh',
    metaRobots: 'p.meta_robots',
    xRobotsTag: 'p.x_robots_tag',
    lang: 'p.lang',
    charset: 'p.charset',
    wordCount: 'p.word_count',
    contentHash: 'p.content_hash',
    imagesWithoutAlt: 'p.images_without_alt',
    indexable: 'p.indexable',
    indexability: 'p.indexability',
    linkCount: 'p.link_count',
    redirectCount: 'p.redirect_count',
    attempts: 'p.attempts',
    fetchedAt: 'p.fetched_at',
  },
  unanswered: {
    ...NONE,
    url: 'f.url',
    kind: "CASE f.state WHEN 4 THEN 'blocked' ELSE 'failed' END",
    error: 'f.error',
    depth: 'f.depth',
    indexable: '0',
    indexability: "CASE f.state WHEN 4 THEN 'blocked by robots.txt' ELSE 'no response' END",
    attempts: 'f.attempts',
  },
  external: {
    ...NONE,
    url: 'e.url',
    kind: "'external'",
    status: 'e.status',
    error: 'e.error',
    fetchedAt: 'e.checked_at',
  },
};

/** FROM clause, the row key (unique in the job; tie-break of every sort) and the job condition. */
export const SOURCE_SQL: Record<RowSource, { from: string; key: string; job: string }> = {
  // Frontier ids are lifted above every page id (2^52: still an exact JavaScript number),
  // so keys never collide and the table lists pages in crawl order, then the URLs that
  // failed or were blocked in the order they were found.
  pages: { from: 'pages p', key: 'p.id', job: 'p.job_id = @jobId' },
  unanswered: {
    from: 'frontier f',
    key: '(f.id + 4503599627370496)',
    job: 'f.job_id = @jobId AND f.state IN (3, 4)',
  },
  // External URLs have no integer id; their URL is unique in the job (and text sorts after numbers).
  external: { from: 'external_urls e', key: 'e.url', job: 'e.job_id = @jobId' },
};

/** Columns whose SQL values are 0/1 and shown as booleans. */
const BOOLEAN_COLUMNS = new Set<PageColumn>(['indexable']);
/** Columns holding ms since the epoch, shown as ISO 8601. */
const TIME_COLUMNS = new Set<PageColumn>(['fetchedAt']);

/** A stored value as rows and exports show it. */
export function displayValue(
  column: PageColumn,
  value: string | number | null,
): string | number | boolean | null {
  if (value === null) return null;
  if (BOOLEAN_COLUMNS.has(column)) return value === 1;
  if (TIME_COLUMNS.has(column)) return new Date(value as number).toISOString();
  return value;
}

export const isRowKind = (value: unknown): value is RowKind =>
  value === 'page' || value === 'failed' || value === 'blocked' || value === 'external';
