import { analyzePage, linkRulesFor } from '../electron/worker/analyze-page';
import { extractionRuleSchema } from '../shared/extraction';
import { DEFAULT_URL_RULES } from '../shared/url-normalize';
import type { FetchedPage } from '../shared/worker-protocol';
import { generateSite, withOrigin } from './site-generator';

/** The origin the analysed pages claim to come from. */
export const BENCH_ORIGIN = 'http://127.0.0.1:8080';

/**
 * The first `count` HTML pages of the synthetic site (`sitePages` entries,
 * seed 1) as a worker reports them, in the site's (breadth-first) order:
 * each goes through the worker's analysis (analyzePage, two regex
 * extraction rules) once; one in 100 came through a redirect (the site has
 * 200 of 20,000).
 */
export function analysedPages(count: number, sitePages: number): FetchedPage[] {
  const origin = BENCH_ORIGIN;
  const site = generateSite({ pages: sitePages, seed: 1 });
  const rules = linkRulesFor({
    scope: { scope: 'host', startUrls: [`${origin}/`], include: [], exclude: [] },
    urls: DEFAULT_URL_RULES,
    honourNofollow: true,
    robotsAgent: 'Trawl',
  });
  const extraction = [
    { name: 'price', kind: 'regex', expression: 'class="price">([^<]+)' },
    { name: 'headings', kind: 'regex', expression: '<h2>([^<]+)</h2>', all: true },
  ].map((rule) => extractionRuleSchema.parse(rule));
  const pages: FetchedPage[] = [];
  for (const [path, entry] of site.pages) {
    if (pages.length === count) break;
    if (entry.body === undefined || !entry.contentType.startsWith('text/html')) continue;
    const url = origin + path;
    const body = withOrigin(entry.body, origin);
    const analysis = analyzePage(body, entry.contentType, url, rules, { extraction });
    pages.push({
      taskId: pages.length,
      ok: true,
      finalUrl: url,
      status: 200,
      redirects:
        pages.length % 100 === 0
          ? [{ url: `${origin}/old${path}`, status: 301, location: path }]
          : [],
      contentType: entry.contentType,
      bytes: body.length,
      wireBytes: body.length,
      ttfbMs: 3.2,
      responseMs: 7.9,
      headers: {
        'content-type': entry.contentType,
        'content-length': String(body.length),
        date: 'Sun, 22 Nov 2026 12:00:00 GMT',
        'cache-control': 'max-age=300',
      },
      xRobotsTag: null,
      attempts: 1,
      retryReasons: [],
      fetchedAt: Date.UTC(2026, 10, 22) + pages.length,
      ...analysis,
    });
  }
  return pages;
}
