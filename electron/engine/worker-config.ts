import type { StoredJobSettings } from '../../shared/job-settings';
import { robotsAgent } from '../../shared/robots-agent';
import type { ScopeSettings } from '../../shared/scope';
import type { UrlRules } from '../../shared/url-normalize';
import type { WorkerConfig } from '../../shared/worker-protocol';

const HEARTBEAT_MS = 1000;

/**
 * The scope part of a job's settings: what workers and main test URLs
 * against, with only the start URLs that draw its boundary (`roots`, see
 * ScopeRoots).
 */
export function scopeOf(settings: StoredJobSettings, roots: readonly string[]): ScopeSettings {
  const { scope, include, exclude } = settings;
  return { scope, startUrls: roots, include, exclude };
}

/** The job's retries, for pages (in workers) and robots.txt (in main) alike. */
export function retryPolicyOf(settings: StoredJobSettings): WorkerConfig['retry'] {
  return {
    retries: settings.retries,
    baseDelayMs: settings.retryBaseDelayMs,
    maxDelayMs: settings.maxRetryDelayMs,
  };
}

/** How the job normalizes links and which it refuses as endless URL spaces. */
export function urlRulesOf(settings: StoredJobSettings): UrlRules {
  return {
    stripTrackingParams: settings.stripTrackingParams,
    stripParams: settings.stripParams,
    sortQueryParams: settings.sortQueryParams,
    maxRepeatedPathSegments: settings.maxRepeatedPathSegments,
    maxQueryParams: settings.maxQueryParams,
    maxUrlLength: settings.maxUrlLength,
  };
}

/** What a worker process is told about a job (the `configure` message). */
export function workerConfigFor(settings: StoredJobSettings, scope: ScopeSettings): WorkerConfig {
  return {
    concurrency: settings.concurrency,
    userAgent: settings.userAgent,
    timeouts: {
      connectMs: settings.connectTimeoutMs,
      firstByteMs: settings.firstByteTimeoutMs,
      totalMs: settings.timeoutMs,
    },
    retry: retryPolicyOf(settings),
    maxBodyBytes: settings.maxBodyBytes,
    maxDecodedBytes: settings.maxDecodedBytes,
    maxRedirects: settings.maxRedirects,
    scope,
    askBeforeRedirects: true,
    urls: urlRulesOf(settings),
    cookies: settings.cookies,
    basicAuth: settings.basicAuth,
    proxy: settings.proxy,
    ignoreTlsErrors: settings.ignoreTlsErrors,
    honourNofollow: settings.honourNofollow,
    robotsAgent: robotsAgent(settings),
    extract: settings.extract,
    headers: settings.headers,
    // Several beats per stall period, so only a worker that is really stuck is replaced.
    heartbeatMs: Math.min(HEARTBEAT_MS, Math.floor(settings.workerStallMs / 4)),
  };
}
