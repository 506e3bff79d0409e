import { setTimeout as delay } from 'node:timers/promises';
import type {
  CrawlTask,
  FetchedPage,
  HostWait,
  PageResult,
  WorkerConfig,
} from '../../shared/worker-protocol';
import {
  analyzePage,
  crawlTarget,
  linkRulesFor,
  NO_ANALYSIS,
  type PageAnalysis,
} from './analyze-page';
import { isParserError } from './excess-bytes';
import {
  createFetcher,
  GivenBackError,
  redirectsOf,
  RobotsBlockedError,
  type FetchedResponse,
} from './fetch-page';
import type { RedirectGate } from './redirect-gate';
import { cssExtractionFor } from './extract';
import { refreshTarget } from './meta-refresh';
import { canonicalFromLinkHeader, storedHeaders, storedHeaderText } from './response-headers';
import { hostWait as hostWaitOf, retryDelay } from '../../shared/retry-policy';
import { withCertificateHint } from '../../shared/tls-errors';

/** Waits `ms`; false if `signal` cut the wait short (node's delay rejects then). */
const pause = (ms: number, signal: AbortSignal) => delay(ms, true, { signal }).catch(() => false);
const tenths = (ms: number) => Math.round(ms * 10) / 10;

export async function createPageCrawler(
  config: WorkerConfig,
  redirectGate: (taskId: number) => RedirectGate,
  /** Tells main that a host asked for no requests for a while. */
  hostWait: (wait: HostWait) => void,
): Promise<(task: CrawlTask, stopWaiting: AbortSignal) => Promise<PageResult | null>> {
  const css = await cssExtractionFor(config.extract);
  const fetchPage = await createFetcher(config);
  const rules = linkRulesFor(config);

  /** The page fields of one response: its headers, and its body when it is HTML. */
  const describe = (
    response: FetchedResponse,
  ): Omit<FetchedPage, 'taskId' | 'ok' | 'attempts' | 'retryReasons' | 'fetchedAt'> => {
    const headers = storedHeaders(response.headers);
    const xRobotsTag = response.xRobotsTag === null ? null : storedHeaderText(response.xRobotsTag);
    const analysis =
      response.body !== null
        ? analyzePage(response.body, response.contentType, response.finalUrl, rules, {
            xRobotsTag,
            extraction: config.extract,
            css,
          })
        : NO_ANALYSIS;
    // Own fields before the spreads: see fetch-page.ts on literals that begin with one.
    return {
      finalUrl: response.finalUrl,
      status: response.status,
      redirects: response.redirects,
      contentType: response.contentType,
      bytes: response.bytes,
      wireBytes: response.wireBytes,
      ttfbMs: tenths(response.ttfbMs),
      responseMs: tenths(response.responseMs),
      headers,
      xRobotsTag,
      ...analysis,
      ...linksOf(response, analysis, headers.refresh),
      // These two come from headers too, so non-HTML responses (a PDF) have them.
      canonical:
        analysis.canonical ?? canonicalFromLinkHeader(response.headers.link, response.finalUrl),
      lang: analysis.lang ?? headers['content-language'] ?? null,
    };
  };

  /**
   * What the page links to and where it sends the visitor. Where a redirect
   * ended, or a refresh leads, is crawled as a URL of its own. A URL that
   * redirected to such a page links to nothing itself: the links are its
   * target's, and on both rows each would count twice; so are its custom
   * extraction values. They go along as `target`, for main to store the
   * target's row from this response.
   */
  const linksOf = (
    response: FetchedResponse,
    analysis: PageAnalysis,
    refreshHeader: string | undefined,
  ): Pick<FetchedPage, 'metaRefresh' | 'links' | 'target'> &
    Partial<Pick<PageAnalysis, 'outlinks' | 'linkCount' | 'extracted'>> => {
    const ownLinks = () => {
      const metaRefresh = analysis.metaRefresh ?? refreshTarget(refreshHeader, response.finalUrl);
      const refreshTo = metaRefresh === null ? null : crawlTarget(metaRefresh, rules);
      return {
        metaRefresh,
        links: refreshTo === null ? analysis.links : [...analysis.links, refreshTo],
      };
    };
    const redirectedTo =
      response.redirects.length > 0 ? crawlTarget(response.finalUrl, rules) : null;
    if (redirectedTo === null) return ownLinks();
    const target = {
      url: redirectedTo,
      outlinks: analysis.outlinks,
      linkCount: analysis.linkCount,
      extracted: analysis.extracted,
      ...ownLinks(),
    };
    const none = { outlinks: NO_ANALYSIS.outlinks, linkCount: 0, metaRefresh: null, extracted: {} };
    return { links: [redirectedTo], target, ...none };
  };

  // Null when `stopWaiting` ends a retry's delay, or main gives a redirect's wait back on a
  // stop: the task goes back to main unrun.
  return async (task, stopWaiting) => {
    const retryReasons: string[] = [];
    let lenient = false;
    for (let attempt = 1; ; attempt++) {
      let response: FetchedResponse;
      try {
        response = await fetchPage(
          task.url,
          config.askBeforeRedirects ? redirectGate(task.id) : null,
          lenient,
        );
      } catch (error) {
        if (error instanceof GivenBackError) return null;
        // A server that breaks HTTP (a body past its Content-Length) is read again at once,
        // leniently, whatever the retry settings: browsers show such a page.
        if (!lenient && isParserError(error)) {
          lenient = true;
          retryReasons.push(describeError(error));
          continue;
        }
        const wait = retryDelay({ error }, attempt, config.retry);
        if (wait === null) {
          const history =
            retryReasons.length > 0
              ? ` (after ${attempt} attempts: ${retryReasons.join(', ')})`
              : '';
          return {
            taskId: task.id,
            ok: false,
            error: describeError(error) + history,
            redirects: redirectsOf(error),
            ...(error instanceof RobotsBlockedError ? { blockedTarget: error.target } : {}),
            attempts: attempt,
            fetchedAt: Date.now(),
          };
        }
        retryReasons.push(describeError(error));
        if (!(await pause(wait, stopWaiting))) return null;
        continue;
      }
      const outcome = { status: response.status, retryAfter: response.retryAfter };
      const wait = retryDelay(outcome, attempt, config.retry);
      // The other slots to that host wait too, until this retry may go.
      const hostPause = hostWaitOf(outcome, attempt, config.retry);
      if (hostPause !== null) {
        const { finalUrl: url, status } = response;
        hostWait({ url, status, ...hostPause, delayMs: wait ?? hostPause.delayMs });
      }
      if (wait !== null) {
        retryReasons.push(`HTTP ${response.status}`);
        if (!(await pause(wait, stopWaiting))) return null;
        continue;
      }
      return {
        taskId: task.id,
        ok: true,
        ...describe(response),
        attempts: attempt,
        retryReasons,
        fetchedAt: Date.now(),
      };
    }
  };
}

/** got's code for an error that had none of its own (a cap of Trawl's): it says nothing. */
const NO_CODE = 'ERR_GOT_REQUEST_ERROR';
/** The job setting behind each of got's timeouts (its `event`), named so a user knows what to raise. */
const TIMEOUT_SETTINGS: Record<string, string> = {
  connect: 'connectTimeoutMs',
  response: 'firstByteTimeoutMs',
  request: 'timeoutMs',
};

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, event } = error as { code?: string; event?: string };
  const setting = code === 'ETIMEDOUT' && event ? TIMEOUT_SETTINGS[event] : undefined;
  const message = setting
    ? `${error.message} (${setting})`
    : withCertificateHint(error.message, code);
  return code && code !== NO_CODE && !message.includes(code) ? `${code}: ${message}` : message;
}
