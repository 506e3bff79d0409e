import { robotsSay } from './robots-directives';

/** The fields of a fetched page that decide whether a search engine may index it. */
export interface IndexabilityInput {
  /** The hops before the final response: a URL that redirects is never indexed itself. */
  redirects: readonly unknown[];
  status: number;
  contentType: string | null;
  finalUrl: string;
  metaRobots: string | null;
  xRobotsTag: string | null;
  canonical: string | null;
}

const HTML_TYPE = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

/**
 * Null when the page is indexable, else the first reason it is not, in the
 * order SEO tools report them: redirected, status, content type, noindex,
 * canonical.
 */
export function nonIndexableReason(
  page: IndexabilityInput,
  /** The crawler's product token: directives addressed to it count. */
  robotsAgent: string,
): string | null {
  if (page.redirects.length > 0) return 'redirected';
  if (page.status < 200 || page.status > 299) return `status ${page.status}`;
  if (!page.contentType || !HTML_TYPE.test(page.contentType)) return 'not html';
  if (robotsSay('noindex', robotsAgent, page.metaRobots, page.xRobotsTag)) return 'noindex';
  if (page.canonical !== null && page.canonical !== page.finalUrl) return 'canonicalised';
  return null;
}
