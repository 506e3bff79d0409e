import type { CrawlTask, PageResult, WorkerConfig } from '../../shared/worker-protocol';
import { normalizeUrl } from '../../shared/url-normalize';
import { decodeBody } from './decode-body';
import { createFetcher } from './fetch-page';
import { parseHtml } from './parse-html';

/** Resolves, normalizes and scope-filters a page's links, dropping repeats. */
export function resolveLinks(
  hrefs: string[],
  baseUrl: string,
  scopeOrigins: ReadonlySet<string>,
): string[] {
  const inScope = new Set<string>();
  for (const href of hrefs) {
    const url = normalizeUrl(href.trim(), baseUrl);
    if (url === null) continue;
    if (scopeOrigins.has(new URL(url).origin)) inScope.add(url);
  }
  return [...inScope];
}

export function createPageCrawler(config: WorkerConfig): (task: CrawlTask) => Promise<PageResult> {
  const fetchPage = createFetcher(config);
  const scopeOrigins = new Set(config.scopeOrigins);

  return async (task) => {
    try {
      const response = await fetchPage(task.url);
      let title: string | null = null;
      let links: string[] = [];
      let linkCount = 0;
      if (response.body !== null) {
        const parsed = parseHtml(decodeBody(response.body, response.contentType));
        title = parsed.title;
        linkCount = parsed.hrefs.length;
        const base =
          parsed.baseHref !== null
            ? (normalizeUrl(parsed.baseHref, response.finalUrl) ?? response.finalUrl)
            : response.finalUrl;
        links = resolveLinks(parsed.hrefs, base, scopeOrigins);
      }
      return {
        taskId: task.id,
        ok: true,
        finalUrl: response.finalUrl,
        status: response.status,
        contentType: response.contentType,
        bytes: response.bytes,
        responseMs: Math.round(response.responseMs * 10) / 10,
        title,
        links,
        linkCount,
        fetchedAt: Date.now(),
      };
    } catch (error) {
      return { taskId: task.id, ok: false, error: describeError(error), fetchedAt: Date.now() };
    }
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
