import type { Statement } from 'better-sqlite3';
import { relSaysNofollow, robotsSay } from '../../../shared/robots-directives';
import { applyUrlRules, parseCrawlableUrl, type UrlRules } from '../../../shared/url-normalize';
import type { Db } from '../store/database';
import { URL_STATE } from '../store/url-state';

/** What decides which of a stored page's links were followed. */
export interface FollowRules {
  urls: UrlRules;
  honourNofollow: boolean;
  /** The crawler's product token: robots directives addressed to it count. */
  robotsAgent: string;
}

/** A stored page's row, as far as the links it followed go. */
interface StoredPageRow {
  id: number;
  final_url: string;
  redirect_count: number;
  meta_refresh: string | null;
  meta_robots: string | null;
  x_robots_tag: string | null;
}

/**
 * Keeps every URL's depth the shortest path the crawl found to it. A path
 * found to a URL still waiting only sets its depth; one found to a page
 * already stored lowers its row and its page, then the URLs it followed,
 * breadth-first, so each takes its final depth at once. Runs inside the
 * batch's transaction (FrontierStore.write): a crash keeps all of it or none.
 */
export class ShortestPaths {
  private readonly sql: Record<'lower' | 'row' | 'lowerPage' | 'links', Statement>;

  constructor(
    db: Db,
    private readonly jobId: number,
    private readonly rules: FollowRules,
    /** Told of each URL whose depth was lowered (the writer's memo of known URLs). */
    private readonly onLowered: (url: string, depth: number) => void,
  ) {
    this.sql = {
      // Any state: a failed or blocked URL is listed at its depth too. Run for most links
      // that are not new, so as cheap as it can be: positional, no RETURNING (named
      // parameters and RETURNING cost it about 1.5 µs more, timed alone).
      lower: db.prepare(
        `UPDATE frontier SET depth = ?, found_on = ? WHERE job_id = ? AND url = ? AND depth > ?`,
      ),
      row: db.prepare('SELECT id, state FROM frontier WHERE job_id = ? AND url = ?'),
      lowerPage: db.prepare(
        `UPDATE pages SET depth = ? WHERE frontier_id = ?
         RETURNING id, final_url, redirect_count, meta_refresh, meta_robots, x_robots_tag`,
      ),
      links: db.prepare(
        `SELECT t.url, l.rel FROM page_links l JOIN link_targets t ON t.id = l.target
         WHERE l.from_page = ? AND t.internal = 1`,
      ),
    };
  }

  /** A path of `depth` to `url`, through the page of frontier row `foundOn` (null: a start). */
  found(url: string, depth: number, foundOn: number | null): void {
    const first = this.lower(url, depth, foundOn);
    if (first === undefined) return;
    const stored = [first];
    for (let i = 0; i < stored.length; i++) {
      const { id, depth: at } = stored[i]!;
      const page = this.sql.lowerPage.get(at, id) as StoredPageRow | undefined;
      if (page === undefined) continue;
      for (const next of this.followedBy(page)) {
        const lowered = this.lower(next, at + 1, id);
        if (lowered !== undefined) stored.push(lowered);
      }
    }
  }

  /** Lowers a URL's depth if the path is shorter; returns its row when it is a stored page. */
  private lower(
    url: string,
    depth: number,
    foundOn: number | null,
  ): { id: number; depth: number } | undefined {
    const { jobId } = this;
    if (this.sql.lower.run(depth, foundOn, jobId, url, depth).changes === 0) return undefined;
    this.onLowered(url, depth);
    const row = this.sql.row.get(jobId, url) as { id: number; state: number };
    return row.state === URL_STATE.done ? { id: row.id, depth } : undefined;
  }

  /**
   * The URLs a stored page followed, as the worker chose them: its stored
   * links within the scope's boundary (the first MAX_OUTLINKS_PER_PAGE), not
   * nofollow when the job honours it, and where its redirect ended or its
   * refresh leads. Those the patterns or the URL traps refused have no
   * frontier row, so lowering them changes nothing.
   */
  private followedBy(page: StoredPageRow): Set<string> {
    const { urls, honourNofollow, robotsAgent } = this.rules;
    const followed = new Set<string>();
    const addTarget = (href: string) => {
      const url = parseCrawlableUrl(href);
      if (url !== null) followed.add(applyUrlRules(url, urls).href);
    };
    if (page.redirect_count > 0) addTarget(page.final_url);
    if (page.meta_refresh !== null) addTarget(page.meta_refresh);
    if (honourNofollow && robotsSay('nofollow', robotsAgent, page.meta_robots, page.x_robots_tag))
      return followed;
    for (const { url, rel } of this.sql.links.all(page.id) as {
      url: string;
      rel: string | null;
    }[]) {
      if (!(honourNofollow && rel !== null && relSaysNofollow(rel))) followed.add(url);
    }
    return followed;
  }
}
