import { STATUS_CODES } from 'node:http';
import type { ProgressSnapshot } from '../../shared/progress';
import { ownStatus } from '../../shared/own-status';
import type { FetchedPage } from '../../shared/worker-protocol';

const KEPT = 20;

/** `HTTP 404 Not Found`: how the dashboard names an HTTP error. */
const httpError = (status: number) => `HTTP ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();

/**
 * The dashboard's "Recent errors", newest first: what a user counts as an
 * error while a crawl runs. URLs that failed (no answer, a limit, a
 * quarantine, a robots.txt unavailable), pages and external links that
 * answered 4xx or 5xx, and redirects that ended on one. A URL that a
 * robots.txt rule blocks is not an error: the site asked for it.
 */
export class RecentErrors {
  private readonly list: ProgressSnapshot['recentErrors'] = [];

  note(url: string, error: string): void {
    this.list.unshift({ url, error, at: Date.now() });
    this.list.length = Math.min(this.list.length, KEPT);
  }

  /** A stored page, if its own answer or its redirects' final one is an HTTP error. */
  notePage(url: string, page: FetchedPage): void {
    const own = ownStatus(page);
    if (own >= 400) this.note(url, httpError(own));
    else if (page.status >= 400) {
      this.note(url, `redirects to ${page.finalUrl}, which answers ${httpError(page.status)}`);
    }
  }

  /** An external link's check (never crawled further). */
  noteCheck(url: string, status: number | null, error: string | null): void {
    if (error !== null) this.note(url, `external link: ${error}`);
    else if (status !== null && status >= 400)
      this.note(url, `external link: ${httpError(status)}`);
  }

  get snapshot(): ProgressSnapshot['recentErrors'] {
    return [...this.list];
  }
}
