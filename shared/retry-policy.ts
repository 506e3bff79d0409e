export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** First backoff; each later one doubles, with ±50 % jitter. */
  baseDelayMs: number;
  /** No wait is longer, whatever Retry-After asks. */
  maxDelayMs: number;
}

/** Network failures worth another try; DNS names that do not exist are not. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function isTransientError(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code !== undefined && TRANSIENT_CODES.has(code);
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * How long to wait before attempt `attempt + 1`, or null to stop: after a
 * transient network error, a 5xx or a 429, while retries are left. A
 * Retry-After header wins over the backoff, capped at maxDelayMs.
 */
export function retryDelay(
  outcome: { status: number; retryAfter: string | null } | { error: unknown },
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | null {
  if (attempt > policy.retries) return null;
  if ('error' in outcome) {
    if (!isTransientError(outcome.error)) return null;
  } else if (outcome.status !== 429 && outcome.status < 500) return null;
  return waitAfter(outcome, attempt, policy, random);
}

/**
 * How long the whole host is to be left alone after this answer, retries
 * left or not, or null: a 429, or a 503 with Retry-After, asks for fewer
 * requests, not only for this one again. Retry-After's wait, else the
 * backoff of `attempt`; capped at maxDelayMs either way. `retryAfter`:
 * whether the answer asked for the wait itself.
 */
export function hostWait(
  outcome: { status: number; retryAfter: string | null },
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): { delayMs: number; retryAfter: boolean } | null {
  const asked = parseRetryAfter(outcome.retryAfter) !== null;
  if (outcome.status !== 429 && !(outcome.status === 503 && asked)) return null;
  return { delayMs: waitAfter(outcome, attempt, policy, random), retryAfter: asked };
}

/** Retry-After's wait if the outcome has one, else the backoff of `attempt`; capped. */
function waitAfter(
  outcome: { status: number; retryAfter: string | null } | { error: unknown },
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  const asked = 'error' in outcome ? null : parseRetryAfter(outcome.retryAfter);
  if (asked !== null) return Math.min(asked, policy.maxDelayMs);
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1) * (0.5 + random());
  return Math.min(Math.round(backoff), policy.maxDelayMs);
}
