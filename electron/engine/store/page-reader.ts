import type { Db } from './database';

/** A stored page as exported and shown. */
export interface PageRecord {
  url: string;
  finalUrl: string;
  status: number;
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
}

interface PageRow {
  url: string;
  final_url: string;
  status: number;
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

/** Streams a job's pages in crawl order without loading them all into memory. */
export function* iteratePages(db: Db, jobId: number): Generator<PageRecord> {
  const rows = db
    .prepare(
      `SELECT url, final_url, status, content_type, bytes, response_ms, title, depth, link_count, attempts, retry_reasons, worker_pid, fetched_at
       FROM pages WHERE job_id = ? ORDER BY id`,
    )
    .iterate(jobId) as IterableIterator<PageRow>;
  for (const row of rows) {
    yield {
      url: row.url,
      finalUrl: row.final_url,
      status: row.status,
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
    };
  }
}
