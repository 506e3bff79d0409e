import type { CrawlTask, PageResult, WorkerConfig } from '../../shared/worker-protocol';
import { createScope } from '../../shared/scope';
import { analyzePage } from './analyze-page';
import { createFetcher, type FetchedResponse } from './fetch-page';
import { cssExtractionFor } from './extract';
import { retryDelay } from './retry-policy';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createPageCrawler(
  config: WorkerConfig,
): Promise<(task: CrawlTask) => Promise<PageResult>> {
  const css = await cssExtractionFor(config.extract);
  const fetchPage = createFetcher(config);
  const rules = { inScope: createScope(config.scope), honourNofollow: config.honourNofollow };

  const policy = config.retry;

  return async (task) => {
    const retryReasons: string[] = [];
    for (let attempt = 1; ; attempt++) {
      let response: FetchedResponse;
      try {
        response = await fetchPage(task.url);
      } catch (error) {
        const wait = retryDelay({ error }, attempt, policy);
        if (wait === null) {
          const history =
            retryReasons.length > 0
              ? ` (after ${attempt} attempts: ${retryReasons.join(', ')})`
              : '';
          return {
            taskId: task.id,
            ok: false,
            error: describeError(error) + history,
            attempts: attempt,
            fetchedAt: Date.now(),
          };
        }
        retryReasons.push(describeError(error));
        await sleep(wait);
        continue;
      }
      const wait = retryDelay(
        { status: response.status, retryAfter: response.retryAfter },
        attempt,
        policy,
      );
      if (wait !== null) {
        retryReasons.push(`HTTP ${response.status}`);
        await sleep(wait);
        continue;
      }
      const analysis =
        response.body !== null
          ? analyzePage(
              response.body,
              response.contentType,
              response.finalUrl,
              rules,
              config.extract,
              css,
            )
          : { title: null, links: [], linkCount: 0, extracted: {} };
      return {
        taskId: task.id,
        ok: true,
        finalUrl: response.finalUrl,
        status: response.status,
        contentType: response.contentType,
        bytes: response.bytes,
        responseMs: Math.round(response.responseMs * 10) / 10,
        ...analysis,
        attempts: attempt,
        retryReasons,
        fetchedAt: Date.now(),
      };
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
