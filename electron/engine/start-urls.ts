import { setImmediate as nextTurn } from 'node:timers/promises';
import { describeIssues, parseStartUrl, type StoredJobSettings } from '../../shared/job-settings';
import { MAX_URL_LENGTH } from '../../shared/limits';
import { ScopeRoots } from '../../shared/scope';
import { applyUrlRules, canonicalize, type UrlRules } from '../../shared/url-normalize';

/** Start URLs handled between two turns of the event loop: about 10-20 ms of work. */
const SLICE = 20_000;
const SHOWN_PROBLEMS = 3;

export type PreparedStartUrls =
  { startUrls: string[]; scopeRoots: string[]; problem: null } | { problem: string };

/**
 * A job's start URLs checked (as the settings schema checks them), in
 * canonical form with the job's URL rules, each once (a list with repeats
 * was counted with them: "and 99,999 more" for 3,000 pages), and the scope
 * roots they draw.
 * Each URL is parsed once, and the event loop gets a turn between slices:
 * done in one pass with three parses a URL, a list of a million held main's
 * loop for 2-3 s whenever a UI started or resumed it.
 */
export async function prepareStartUrls(
  urls: unknown,
  settings: Pick<StoredJobSettings, 'scope'> & UrlRules,
): Promise<PreparedStartUrls> {
  if (!Array.isArray(urls)) return { problem: 'startUrls: expected a list of URLs' };
  if (urls.length === 0) return { problem: 'startUrls: at least one start URL is required' };
  const startUrls: string[] = [];
  const seen = new Set<string>();
  const roots = new ScopeRoots(settings.scope);
  // The first few problems are described; the rest only counted (a wrong file can be all problems).
  const issues: { path: (string | number)[]; message: string }[] = [];
  let problems = 0;
  for (let from = 0; from < urls.length; from += SLICE) {
    if (from > 0) await nextTurn();
    const to = Math.min(from + SLICE, urls.length);
    for (let i = from; i < to; i++) {
      const parsed = typeof urls[i] === 'string' ? parseStartUrl(urls[i]) : 'expected a URL string';
      const url = typeof parsed === 'string' ? null : canonicalize(parsed);
      if (url === null) {
        const message =
          typeof parsed === 'string'
            ? parsed
            : `URL longer than ${MAX_URL_LENGTH} characters once percent-encoded`;
        if (++problems <= SHOWN_PROBLEMS) issues.push({ path: ['startUrls', i], message });
        continue;
      }
      applyUrlRules(url, settings);
      if (seen.has(url.href)) continue;
      seen.add(url.href);
      startUrls.push(url.href);
      roots.add(url);
    }
  }
  return problems > 0
    ? { problem: describeIssues(issues, SHOWN_PROBLEMS, problems) }
    : { startUrls, scopeRoots: roots.list(), problem: null };
}
