import type { ExtractedValue, ExtractionRule } from '../../../shared/extraction';
import type { Db } from './database';

/** A stored page as exported and shown. */
export interface PageRecord {
  url: string;
  finalUrl: string;
  /** The URL's own answer (a redirect's 301, 302…); `finalStatus` is where it ended. */
  status: number;
  finalStatus: number;
  contentType: string | null;
  bytes: number;
  responseMs: number;
  title: string | null;
  depth: number;
  linkCount: number;
  attempts: number;
  retryReasons: string[];
  workerPid: number;
  fetchedAt: string;
  extracted: Record<string, ExtractedValue>;
}

interface ValueRow {
  name: string;
  value: string;
}

function extractedValues(
  rows: ValueRow[],
  rules: readonly ExtractionRule[],
): Record<string, ExtractedValue> {
  const values: Record<string, ExtractedValue> = {};
  for (const rule of rules) {
    const found = rows.filter((row) => row.name === rule.name).map((row) => row.value);
    values[rule.name] = rule.all ? found : (found[0] ?? null);
  }
  return values;
}

interface PageRow {
  id: number;
  url: string;
  final_url: string;
  status: number;
  final_status: number;
  content_type: string | null;
  bytes: number;
  response_ms: number;
  title: string | null;
  depth: number;
  link_count: number;
  attempts: number;
  retry_reasons: string | null;
  worker_pid: number;
  fetched_at: number;
}

/**
 * Streams a job's pages in crawl order without loading them all into memory.
 * `rules` are the job's extraction rules: each page gets a value per rule
 * (null when nothing matched; every match for an "all" rule).
 */
export function* iteratePages(
  db: Db,
  jobId: number,
  rules: readonly ExtractionRule[] = [],
): Generator<PageRecord> {
  const valuesOf = db.prepare(
    'SELECT name, value FROM extractions WHERE page_id = ? ORDER BY name, position',
  );
  const rows = db
    .prepare(
      `SELECT id, url, final_url, status, final_status, content_type, bytes, response_ms, title, depth, link_count, attempts, retry_reasons, worker_pid, fetched_at
       FROM pages WHERE job_id = ? ORDER BY id`,
    )
    .iterate(jobId) as IterableIterator<PageRow>;
  for (const row of rows) {
    yield {
      url: row.url,
      finalUrl: row.final_url,
      status: row.status,
      finalStatus: row.final_status,
      contentType: row.content_type,
      bytes: row.bytes,
      responseMs: row.response_ms,
      title: row.title,
      depth: row.depth,
      linkCount: row.link_count,
      attempts: row.attempts,
      retryReasons: row.retry_reasons === null ? [] : (JSON.parse(row.retry_reasons) as string[]),
      workerPid: row.worker_pid,
      fetchedAt: new Date(row.fetched_at).toISOString(),
      extracted:
        rules.length === 0 ? {} : extractedValues(valuesOf.all(row.id) as ValueRow[], rules),
    };
  }
}
