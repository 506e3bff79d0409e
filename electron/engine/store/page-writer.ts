import type { Statement } from 'better-sqlite3';
import { nonIndexableReason } from '../../../shared/indexability';
import { ownStatus } from '../../../shared/own-status';
import type { FetchedPage, RedirectHop } from '../../../shared/worker-protocol';
import type { Db } from './database';
import { InlinksIndex } from './inlinks';

/** Link target ids remembered before the memo starts over. */
const TARGET_MEMO = 100_000;

/**
 * SQL that adds the `pages` rows matching `where` in database `schema` to its
 * full-text index, as the view `pages_text` gives them (migration 12). Index
 * many pages per statement: FTS5 writes a new index segment at the end of
 * each one (migrations.ts, migration 6).
 */
export function indexPageTextSql(schema: string, where: string): string {
  return `INSERT INTO ${schema}.pages_fts (rowid, url, title, meta_description, h1)
    SELECT id, url, title, meta_description, h1 FROM ${schema}.pages_text WHERE ${where}`;
}

/**
 * Writes what a worker fetched: the page row, its custom extraction values,
 * its links and its redirect hops. Runs inside the caller's transaction
 * (FrontierStore.write), so a page and everything about it commit together;
 * the caller ends each transaction with `indexText`.
 */
export class PageWriter {
  private readonly sql: Record<
    'page' | 'value' | 'link' | 'hop' | 'findTarget' | 'addTarget' | 'indexText',
    Statement
  >;
  /**
   * Link target ids by URL: most links of a site point at the same few
   * thousand URLs, so most need no lookup. Only valid while every write
   * commits: FrontierStore stops writing after a failed transaction, whose
   * rollback may have undone ids remembered here.
   */
  private readonly targets = new Map<string, number>();
  /** The first page written since the last `indexText`. */
  private firstUnindexed: number | bigint | null = null;
  readonly inlinks: InlinksIndex;

  constructor(
    db: Db,
    private readonly jobId: number,
    /** The crawler's product token: robots directives addressed to it decide indexability too. */
    private readonly robotsAgent: string,
  ) {
    this.inlinks = new InlinksIndex(db);
    this.sql = {
      page: db.prepare(
        `INSERT INTO pages (job_id, frontier_id, url, final_url, depth, status, content_type, bytes,
           response_ms, title, link_count, attempts, retry_reasons, worker_pid, fetched_at,
           charset, wire_bytes, ttfb_ms, headers, redirect_count, meta_description, meta_robots,
           x_robots_tag, canonical, h1, h1_count, h2_count, hreflang, lang, word_count,
           content_hash, images_without_alt, indexable, indexability, meta_refresh, final_status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
           ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      value: db.prepare(
        'INSERT INTO extractions (page_id, name, position, value) VALUES (?, ?, ?, ?)',
      ),
      link: db.prepare(
        'INSERT INTO page_links (from_page, target, anchor, rel) VALUES (?, ?, ?, ?)',
      ),
      findTarget: db.prepare('SELECT id FROM link_targets WHERE job_id = ? AND url = ?').pluck(),
      addTarget: db.prepare('INSERT INTO link_targets (job_id, url, internal) VALUES (?, ?, ?)'),
      indexText: db.prepare(indexPageTextSql('main', 'id >= ?')),
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
    const notIndexable = nonIndexableReason(page, this.robotsAgent);
    const { lastInsertRowid: pageId } = this.sql.page.run(
      this.jobId,
      frontierId,
      url,
      page.finalUrl,
      depth,
      ownStatus(page),
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
      page.metaRefresh,
      page.status,
    );
    this.firstUnindexed ??= pageId;
    for (const [name, value] of Object.entries(page.extracted)) {
      const values = value === null ? [] : Array.isArray(value) ? value : [value];
      values.forEach((one, position) => this.sql.value.run(pageId, name, position, one));
    }
    const { urls, texts, rels, internal } = page.outlinks;
    urls.forEach((url, index) =>
      this.sql.link.run(pageId, this.targetId(url, internal[index]!), texts[index], rels[index]),
    );
    this.writeRedirects(frontierId, page.redirects);
  }

  /**
   * Adds the pages written since the last call to the full-text index
   * (pages_fts), and the links past the watermark to the inlinks index once
   * there are many (InlinksIndex).
   */
  indexText(): void {
    if (this.firstUnindexed === null) return;
    this.sql.indexText.run(this.firstUnindexed);
    this.firstUnindexed = null;
    this.inlinks.add({ all: false });
  }

  /** The id of a link target, stored on first sight (a resumed job finds its earlier ones). */
  private targetId(url: string, internal: boolean): number {
    let id = this.targets.get(url);
    if (id === undefined) {
      id =
        (this.sql.findTarget.get(this.jobId, url) as number | undefined) ??
        Number(this.sql.addTarget.run(this.jobId, url, internal ? 1 : 0).lastInsertRowid);
      if (this.targets.size >= TARGET_MEMO) this.targets.clear();
      this.targets.set(url, id);
    }
    return id;
  }

  /** Replaces hops on retry of the same URL (after a resume), never duplicates them. */
  writeRedirects(frontierId: number, hops: readonly RedirectHop[]): void {
    hops.forEach((hop, index) =>
      this.sql.hop.run(frontierId, index, hop.url, hop.status, hop.location),
    );
  }
}
