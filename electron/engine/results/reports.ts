import { createHash } from 'node:crypto';
import type { Db } from '../store/database';
import { INLINKS_UPTO, inlinksOf } from '../store/inlinks';
import { JobStore } from '../store/job-store';
import type { ReportName, ReportRequest, ReportResult, ReportRow } from '../../../shared/results';
import { DEFAULT_LIMIT } from './page-query';
import { decodeCursor, encodeCursor } from './keyset-cursor';

/**
 * A 2xx HTML page: the pages SEO checks (titles, descriptions, headings,
 * duplicates) apply to. `status` is the URL's own answer, so a URL that
 * redirected (3xx), whose row holds its target's fields and would be a
 * false duplicate of the target, is not one.
 */
const HTML_2XX = `p.status BETWEEN 200 AND 299
  AND (lower(p.content_type) LIKE 'text/html%' OR lower(p.content_type) LIKE 'application/xhtml+xml%')`;

/**
 * Not a URL that redirected to a page with a row of its own: its row holds
 * that page's size and the whole chain's time, which the target's row lists
 * already. In a list crawl the target has no row, and the redirect stays.
 */
const NOT_A_LISTED_TARGET = `NOT (p.redirect_count > 0 AND EXISTS (
  SELECT 1 FROM pages t WHERE t.job_id = p.job_id AND t.url = p.final_url))`;

/**
 * The content hash of a page without visible text (the SHA-1 of nothing): such pages
 * share no content, so they are not duplicates of each other.
 */
const NO_TEXT_HASH = createHash('sha1').digest('hex');

/** Pages sharing a value of `column` (other than `empty`) with another HTML 2xx page, biggest groups first. */
const duplicates = (column: string, label: string, empty = '') => `
  SELECT p.${column} AS ${label}, d.n AS pages, p.url
  FROM (SELECT ${column} AS value, count(*) AS n FROM pages p
        WHERE p.job_id = @jobId AND ${HTML_2XX} AND ${column} IS NOT NULL AND ${column} <> '${empty}'
        GROUP BY ${column} HAVING count(*) > 1) d
  JOIN pages p ON p.job_id = @jobId AND p.${column} = d.value AND ${HTML_2XX}
  ORDER BY d.n DESC, d.value, p.id`;

const htmlPagesWhere = (condition: string, columns: string) => `
  SELECT p.url, ${columns} FROM pages p
  WHERE p.job_id = @jobId AND ${HTML_2XX} AND ${condition} ORDER BY p.id`;

/**
 * A time column (ms since the epoch) as ISO 8601 in UTC with milliseconds,
 * character for character what Date.toISOString gives the exports' fetchedAt,
 * so every report output (TSV, JSON, CSV, XLSX, the UI) shows a time, not a count.
 */
const isoTime = (column: string) =>
  `strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch')`;

/** A page's `Location` header, as stored. */
const LOCATION = `p.headers ->> '$.location'`;
/**
 * Its scheme, lowercased (`mailto`, `itms-apps`), or '' for a relative URL: the text
 * before the first colon when it is one (RFC 3986 §3.1: a letter, then letters,
 * digits, `+`, `-`, `.`).
 */
const LOCATION_SCHEME = `(SELECT CASE WHEN s GLOB '[A-Za-z]*' AND s NOT GLOB '*[^A-Za-z0-9+.-]*'
    THEN lower(s) ELSE '' END
  FROM (SELECT substr(ltrim(${LOCATION}), 1, instr(ltrim(${LOCATION}), ':') - 1) AS s))`;

/** Titles and SQL of every report; each SQL takes @jobId and lists rows in a stable order. */
export const REPORTS: Record<ReportName, { title: string; sql: string }> = {
  'broken-links': {
    title:
      'Links to URLs that answered 4xx or 5xx, redirected to one, or did not answer, with the pages linking to them',
    // final_status is a page's own 4xx/5xx, or the one a redirect ends at: such a link is
    // broken for a visitor, and the target's row (if crawled) has no link from the redirect.
    sql: `
      WITH broken (url, status, finalStatus, error) AS (
        SELECT p.url, p.status, p.final_status, NULL FROM pages p
        WHERE p.job_id = @jobId AND p.final_status >= 400
        UNION ALL
        SELECT f.url, NULL, NULL, f.error FROM frontier f WHERE f.job_id = @jobId AND f.state = 3
        UNION ALL
        SELECT e.url, e.status, NULL, e.error FROM external_urls e
        WHERE e.job_id = @jobId AND (e.status >= 400 OR (e.status IS NULL AND e.error IS NOT NULL))),
      x (target, url, status, finalStatus, error) AS MATERIALIZED (
        SELECT t.id, b.url, b.status, b.finalStatus, b.error
        FROM broken b JOIN link_targets t ON t.job_id = @jobId AND t.url = b.url)
      SELECT b.url, b.status, b.finalStatus, b.error, src.url AS linkedFrom, l.anchor
      FROM (${inlinksOf('x')}) b CROSS JOIN page_links l ON l.id = b.link
        JOIN pages src ON src.id = l.from_page
      ORDER BY b.url, l.id`,
  },
  'redirect-chains': {
    title:
      'Redirect chains: every URL that redirected, its hops, where it ended and whether it loops',
    sql: `
      SELECT * FROM (
        SELECT f.url, count(*) AS hops,
          (SELECT group_concat(status || ' ' || url, ' -> ')
             FROM (SELECT status, url FROM redirects WHERE frontier_id = f.id ORDER BY hop)) AS chain,
          p.final_url AS finalUrl, p.final_status AS finalStatus, f.error,
          CASE WHEN count(DISTINCT r.url) < count(*)
            OR p.final_url IN (SELECT url FROM redirects WHERE frontier_id = f.id)
            OR f.error LIKE '%loop%' THEN 1 ELSE 0 END AS loop
        FROM frontier f JOIN redirects r ON r.frontier_id = f.id
          LEFT JOIN pages p ON p.frontier_id = f.id
        WHERE f.job_id = @jobId
        GROUP BY f.id
        UNION ALL
        -- A redirect not followed (its target outside the scope, or refused by --include,
        -- --exclude or the URL-trap limits) is a chain of one hop too.
        SELECT p.url, 1, p.status || ' ' || p.url, ${LOCATION}, NULL,
          CASE WHEN ${LOCATION} IS NULL THEN 'no Location header'
            WHEN ${LOCATION_SCHEME} NOT IN ('', 'http', 'https')
              THEN 'not followed: not an http(s) URL'
            ELSE 'not followed: outside the scope, its patterns or the URL-trap limits' END,
          0
        FROM pages p
        WHERE p.job_id = @jobId AND p.redirect_count = 0 AND p.status IN (301, 302, 303, 307, 308)
      ) ORDER BY hops DESC, url`,
  },
  'duplicate-titles': {
    title: 'HTML pages (2xx) whose title another page also has',
    sql: duplicates('title', 'title'),
  },
  'duplicate-descriptions': {
    title: 'HTML pages (2xx) whose meta description another page also has',
    sql: duplicates('meta_description', 'metaDescription'),
  },
  'duplicate-content': {
    title: 'HTML pages (2xx) with the same visible text (content hash) as another page',
    sql: duplicates('content_hash', 'contentHash', NO_TEXT_HASH),
  },
  'missing-titles': {
    title: 'HTML pages (2xx) without a title',
    sql: htmlPagesWhere("coalesce(trim(p.title), '') = ''", 'p.status'),
  },
  'missing-descriptions': {
    title: 'HTML pages (2xx) without a meta description',
    sql: htmlPagesWhere("coalesce(trim(p.meta_description), '') = ''", 'p.title'),
  },
  'missing-h1': {
    title: 'HTML pages (2xx) without an h1',
    sql: htmlPagesWhere('p.h1_count = 0', 'p.title'),
  },
  'multiple-h1': {
    title: 'HTML pages (2xx) with more than one h1',
    sql: htmlPagesWhere('p.h1_count > 1', 'p.h1_count AS h1Count, p.h1 AS firstH1'),
  },
  'non-indexable': {
    title: 'Pages a search engine would not index, and why',
    sql: `SELECT p.url, p.status, p.indexability AS reason, p.canonical, p.meta_robots AS metaRobots,
            p.x_robots_tag AS xRobotsTag
          FROM pages p WHERE p.job_id = @jobId AND p.indexable = 0 ORDER BY p.id`,
  },
  'blocked-by-robots': {
    title:
      'URLs robots.txt disallowed (never fetched), why (a rule, or the robots.txt unavailable), and the page that linked them',
    sql: `SELECT f.url, f.depth, f.error AS reason, found.url AS foundOn FROM frontier f
          LEFT JOIN frontier found ON found.id = f.found_on
          WHERE f.job_id = @jobId AND f.state = 4 ORDER BY f.id`,
  },
  'slowest-pages': {
    title: 'Pages by response time, slowest first (a redirect to a page listed here is not)',
    sql: `SELECT p.url, p.response_ms AS responseMs, p.ttfb_ms AS ttfbMs, p.status, p.bytes
          FROM pages p WHERE p.job_id = @jobId AND ${NOT_A_LISTED_TARGET}
          ORDER BY p.response_ms DESC, p.id`,
  },
  'largest-pages': {
    title:
      'Pages by size, largest first (decoded bytes; wire bytes as transferred; a redirect to a page listed here is not)',
    sql: `SELECT p.url, p.bytes, p.wire_bytes AS wireBytes, p.content_type AS contentType, p.status
          FROM pages p WHERE p.job_id = @jobId AND ${NOT_A_LISTED_TARGET}
          ORDER BY p.bytes DESC, p.id`,
  },
  'depth-distribution': {
    title: 'URLs per depth: fetched, failed, blocked and still queued',
    sql: `SELECT f.depth, count(*) AS urls, count(p.id) AS pages, sum(f.state = 3) AS failed,
            sum(f.state = 4) AS blocked, sum(f.state IN (0, 1)) AS queued
          FROM frontier f LEFT JOIN pages p ON p.frontier_id = f.id
          WHERE f.job_id = @jobId GROUP BY f.depth ORDER BY f.depth`,
  },
  'status-codes': {
    title:
      'Pages per HTTP status (a URL that redirected by its own answer), then URLs that failed or were blocked',
    sql: `SELECT status, urls FROM (
            SELECT 0 AS rank, CAST(p.status AS TEXT) AS status, count(*) AS urls FROM pages p
            WHERE p.job_id = @jobId GROUP BY p.status
            UNION ALL
            SELECT 1, CASE f.state WHEN 3 THEN 'failed' ELSE 'blocked' END, count(*) FROM frontier f
            WHERE f.job_id = @jobId AND f.state IN (3, 4) GROUP BY f.state)
          ORDER BY rank, status`,
  },
  'sitemap-not-linked': {
    title: 'URLs listed in a sitemap that no crawled page links to',
    sql: `SELECT f.url, p.status, p.indexable FROM frontier f
          LEFT JOIN pages p ON p.frontier_id = f.id
          WHERE f.job_id = @jobId AND f.in_sitemap = 1
            AND NOT EXISTS (SELECT 1 FROM link_targets t JOIN link_inlinks i ON i.target = t.id
              WHERE t.job_id = f.job_id AND t.url = f.url)
            -- the targets of the links past the inlinks watermark, listed once
            AND NOT EXISTS (SELECT 1 FROM link_targets t WHERE t.job_id = f.job_id AND t.url = f.url
              AND t.id IN (SELECT target FROM page_links WHERE id > ${INLINKS_UPTO}))
          ORDER BY f.id`,
  },
  'external-links': {
    title:
      'External links, how many links point to each, and their check status (--check-external)',
    // Counted a target, in the order of link_targets_external (a target is stored
    // with its first link); the links past the inlinks watermark in one pass.
    sql: `WITH tail (target, n) AS MATERIALIZED (
            SELECT target, count(*) FROM page_links WHERE id > ${INLINKS_UPTO} GROUP BY target)
          SELECT t.url,
            (SELECT count(*) FROM link_inlinks i WHERE i.target = t.id)
              + coalesce((SELECT n FROM tail WHERE tail.target = t.id), 0) AS links,
            e.status, e.error, ${isoTime('e.checked_at')} AS checkedAt
          FROM link_targets t LEFT JOIN external_urls e ON e.job_id = t.job_id AND e.url = t.url
          WHERE t.job_id = @jobId AND t.internal = 0
          ORDER BY t.url`,
  },
  'extracted-values': {
    title:
      'Custom extraction values, one row per value: the page, the rule, its place in the page (0 = first) and the value',
    // One row a value, not a column a rule: an "all matches" rule gives many per page,
    // and a spreadsheet or CSV reader wants each of them in a cell of its own.
    sql: `SELECT p.url, e.name AS rule, e.position, e.value
          FROM pages p JOIN extractions e ON e.page_id = p.id
          WHERE p.job_id = @jobId ORDER BY p.id, e.name, e.position`,
  },
};

/** Every row of a report, streamed (never all in memory). */
export function iterateReport(
  db: Db,
  jobId: number,
  name: ReportName,
): { columns: string[]; rows: IterableIterator<ReportRow> } {
  const statement = db.prepare(REPORTS[name].sql);
  return {
    columns: statement.columns().map((column) => column.name),
    rows: statement.iterate({ jobId }) as IterableIterator<ReportRow>,
  };
}

/**
 * One screen of a report. Reports are computed results, not a table with a
 * key, so screens go by position: a report of a job still running may shift
 * between screens.
 */
export function runReport(db: Db, request: ReportRequest): ReportResult {
  new JobStore(db).whole(request.jobId); // clear errors for unknown or half-deleted jobs
  const limit = request.limit ?? DEFAULT_LIMIT;
  const sortId = `report:${request.name}`;
  const offset = request.cursor ? Number(decodeCursor(request.cursor, sortId).key) : 0;
  const statement = db.prepare(
    `SELECT * FROM (${REPORTS[request.name].sql}) LIMIT @limit OFFSET @offset`,
  );
  const rows = statement.all({ jobId: request.jobId, limit: limit + 1, offset }) as ReportRow[];
  const more = rows.length > limit;
  return {
    name: request.name,
    title: REPORTS[request.name].title,
    columns: statement.columns().map((column) => column.name),
    rows: more ? rows.slice(0, limit) : rows,
    nextCursor: more ? encodeCursor({ sort: sortId, value: null, key: offset + limit }) : null,
  };
}
