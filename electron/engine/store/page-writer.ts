import type { Statement } from 'better-sqlite3';
import { nonIndexableReason } from '../../../shared/indexability';
import type { FetchedPage, RedirectHop } from '../../../shared/worker-protocol';
import type { Db } from './database';

/**
 * Writes what a worker fetched: the page row, its custom extraction values,
 * its links and its redirect hops. Runs inside the frontier's flush
 * transaction, so a page and everything about it commit together.
 */
export class PageWriter {
  private readonly sql: Record<'page' | 'value' | 'link' | 'hop', Statement>;

  constructor(
    db: Db,
    private readonly jobId: number,
  ) {
    this.sql = {
      page: db.prepare(
        `INSERT INTO pages (job_id, frontier_id, url, final_url, depth, status, content_type, bytes,
           response_ms, title, link_count, attempts, retry_reasons, worker_pid, fetched_at,
           charset, wire_bytes, ttfb_ms, headers, redirect_count, meta_description, meta_robots,
           x_robots_tag, canonical, h1, h1_count, h2_count, hreflang, lang, word_count,
           content_hash, images_without_alt, indexable, indexability)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
           ?, ?, ?, ?, ?, ?)`,
      ),
      value: db.prepare(
        'INSERT INTO extractions (page_id, name, position, value) VALUES (?, ?, ?, ?)',
      ),
      link: db.prepare(
        'INSERT INTO links (job_id, from_page, to_url, anchor, rel, internal) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      hop: db.prepare(
        'INSERT OR REPLACE INTO redirects (frontier_id, hop, url, status, location) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  writePage(
    frontierId: number,
    url: string,
    depth: number,
    page: FetchedPage,
    workerPid: number,
  ): void {
    const notIndexable = nonIndexableReason(page);
    const { lastInsertRowid: pageId } = this.sql.page.run(
      this.jobId,
      frontierId,
      url,
      page.finalUrl,
      depth,
      page.status,
      page.contentType,
      page.bytes,
      page.responseMs,
      page.title,
      page.linkCount,
      page.attempts,
      page.retryReasons.length > 0 ? JSON.stringify(page.retryReasons) : null,
      workerPid,
      page.fetchedAt,
      page.charset,
      page.wireBytes,
      page.ttfbMs,
      JSON.stringify(page.headers),
      page.redirects.length,
      page.metaDescription,
      page.metaRobots,
      page.xRobotsTag,
      page.canonical,
      page.h1,
      page.h1Count,
      page.h2Count,
      page.hreflang.length > 0 ? JSON.stringify(page.hreflang) : null,
      page.lang,
      page.wordCount,
      page.contentHash,
      page.imagesWithoutAlt,
      notIndexable === null ? 1 : 0,
      notIndexable,
    );
    for (const [name, value] of Object.entries(page.extracted)) {
      const values = value === null ? [] : Array.isArray(value) ? value : [value];
      values.forEach((one, position) => this.sql.value.run(pageId, name, position, one));
    }
    for (const link of page.outlinks) {
      this.sql.link.run(this.jobId, pageId, link.url, link.text, link.rel, link.internal ? 1 : 0);
    }
    this.writeRedirects(frontierId, page.redirects);
  }

  /** Replaces hops on retry of the same URL (after a resume), never duplicates them. */
  writeRedirects(frontierId: number, hops: readonly RedirectHop[]): void {
    hops.forEach((hop, index) =>
      this.sql.hop.run(frontierId, index, hop.url, hop.status, hop.location),
    );
  }
}
