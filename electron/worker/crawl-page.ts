import type { CrawlTask, PageResult, WorkerConfig } from '../../shared/worker-protocol';
import { createScope } from '../../shared/scope';
import { analyzePage } from './analyze-page';
import { createFetcher } from './fetch-page';

export function createPageCrawler(config: WorkerConfig): (task: CrawlTask) => Promise<PageResult> {
  const fetchPage = createFetcher(config);
  const rules = { inScope: createScope(config.scope), honourNofollow: config.honourNofollow };

  return async (task) => {
    try {
      const response = await fetchPage(task.url);
      const analysis =
        response.body !== null
          ? analyzePage(response.body, response.contentType, response.finalUrl, rules)
          : { title: null, links: [], linkCount: 0 };
      return {
        taskId: task.id,
        ok: true,
        finalUrl: response.finalUrl,
        status: response.status,
        contentType: response.contentType,
        bytes: response.bytes,
        responseMs: Math.round(response.responseMs * 10) / 10,
        ...analysis,
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
