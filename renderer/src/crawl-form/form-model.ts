import { z } from 'zod';
import type { JobStartInput } from '../../../shared/crawler-api';
import { jobStartSchema } from '../../../shared/crawler-api-schemas';
import { parseBasicAuthSpec } from '../../../shared/basic-auth';
import { parseExtractionSpec } from '../../../shared/extraction';
import { CRAWL_MODES, ROBOTS_UNAVAILABLE } from '../../../shared/job-settings';
import { parseHeaderLines } from '../../../shared/request-headers';
import { robotsAgent } from '../../../shared/robots-agent';
import { DEFAULT_CONCURRENCY_PER_WORKER } from '../../../shared/limits';
import { SCOPE_MODES } from '../../../shared/scope';

/**
 * The New crawl form's fields as the user types them (strings, one item per
 * line), and their translation into job settings checked with the same
 * schema the host uses. Also the shape of a saved preset.
 */
export const crawlFormSchema = z.object({
  startUrls: z.string(),
  mode: z.enum(CRAWL_MODES),
  scope: z.enum(SCOPE_MODES),
  maxPages: z.string(),
  maxDepth: z.string(),
  workers: z.string(),
  concurrency: z.string(),
  hostConcurrency: z.string(),
  hostDelayMs: z.string(),
  obeyRobots: z.boolean(),
  userAgent: z.string(),
  headers: z.string(),
  include: z.string(),
  exclude: z.string(),
  extract: z.string(),
  // Defaults keep presets saved before these fields existed readable.
  timeoutMs: z.string().default(''),
  proxy: z.string().default(''),
  basicAuth: z.string().default(''),
  cookies: z.boolean().default(false),
  checkExternal: z.boolean().default(false),
  robotsUserAgent: z.string().default(''),
  robotsUnavailable: z.enum(ROBOTS_UNAVAILABLE).default('disallow'),
});
export type CrawlForm = z.output<typeof crawlFormSchema>;
export type FormField = keyof CrawlForm;
/** Problems by field; `general` for a setting the form has no field for. */
export type FieldErrors = Partial<Record<FormField | 'general', string>>;

export function defaultCrawlForm(coreCount: number): CrawlForm {
  const defaults = jobStartSchema.parse({ startUrls: ['http://example.invalid/'] });
  return {
    startUrls: '',
    mode: defaults.mode,
    scope: defaults.scope,
    maxPages: '',
    maxDepth: '',
    workers: String(coreCount),
    concurrency: String(DEFAULT_CONCURRENCY_PER_WORKER),
    hostConcurrency: String(defaults.hostConcurrency),
    hostDelayMs: String(defaults.hostDelayMs),
    obeyRobots: !defaults.ignoreRobots,
    userAgent: defaults.userAgent,
    headers: '',
    include: '',
    exclude: '',
    extract: '',
    timeoutMs: String(defaults.timeoutMs),
    proxy: '',
    basicAuth: '',
    cookies: defaults.cookies,
    checkExternal: defaults.checkExternal,
    robotsUserAgent: '',
    robotsUnavailable: defaults.robotsUnavailable,
  };
}

/** Settings fields whose problems show under a differently named form field. */
const FIELD_FOR_SETTING: Record<string, FormField> = { ignoreRobots: 'obeyRobots' };

export type FormResult = { ok: true; input: JobStartInput } | { ok: false; errors: FieldErrors };

/**
 * Turns the form into job settings, or explains per field what is wrong.
 * `coreCount` bounds the pool: the UI offers 1 to the cores detected.
 */
export function readCrawlForm(form: CrawlForm, coreCount: number): FormResult {
  const errors: FieldErrors = {};
  const number = (field: FormField, text: string, empty: number | null | undefined) => {
    const trimmed = text.trim();
    if (trimmed === '') return empty;
    if (!/^\d+$/.test(trimmed)) {
      errors[field] = 'enter a whole number';
      return undefined;
    }
    return Number(trimmed);
  };
  const input: Record<string, unknown> = {
    startUrls: lines(form.startUrls),
    mode: form.mode,
    scope: form.scope,
    maxPages: number('maxPages', form.maxPages, null),
    maxDepth: number('maxDepth', form.maxDepth, null),
    workers: number('workers', form.workers, undefined),
    concurrency: number('concurrency', form.concurrency, undefined),
    hostConcurrency: number('hostConcurrency', form.hostConcurrency, undefined),
    hostDelayMs: number('hostDelayMs', form.hostDelayMs, undefined),
    ignoreRobots: !form.obeyRobots,
    userAgent: form.userAgent.trim() === '' ? undefined : form.userAgent.trim(),
    robotsUserAgent: form.robotsUserAgent.trim() === '' ? null : form.robotsUserAgent.trim(),
    robotsUnavailable: form.robotsUnavailable,
    include: lines(form.include),
    exclude: lines(form.exclude),
    timeoutMs: number('timeoutMs', form.timeoutMs, undefined),
    proxy: form.proxy.trim() === '' ? null : form.proxy.trim(),
    cookies: form.cookies,
    checkExternal: form.checkExternal,
  };
  const workers = input.workers;
  if (typeof workers === 'number' && (workers < 1 || workers > coreCount)) {
    errors.workers = `choose 1 to ${coreCount} (the CPU cores detected)`;
  }
  try {
    input.headers = parseHeaderLines(lines(form.headers));
  } catch (error) {
    errors.headers = (error as Error).message;
  }
  try {
    input.basicAuth = lines(form.basicAuth).map(parseBasicAuthSpec);
  } catch (error) {
    errors.basicAuth = (error as Error).message;
  }
  try {
    input.extract = lines(form.extract).map(parseExtractionSpec);
  } catch (error) {
    errors.extract = (error as Error).message.replace(/^--extract /, '');
  }
  const parsed = jobStartSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const field = FIELD_FOR_SETTING[key] ?? (key in form ? (key as FormField) : 'general');
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: withoutUndefined(input) as JobStartInput };
}

/**
 * The robots.txt token the job would use with the field left empty: the one
 * its User-Agent (or a User-Agent header) names. Shown as the field's hint.
 */
export function impliedRobotsAgent(form: CrawlForm): string {
  let headers: Record<string, string> = {};
  try {
    headers = parseHeaderLines(lines(form.headers));
  } catch {
    // A broken Headers field has its own error; the User-Agent field still counts.
  }
  const userAgent = form.userAgent.trim() || jobStartSchema.shape.userAgent.parse(undefined);
  return robotsAgent({ userAgent, headers, robotsUserAgent: null });
}

/** Non-empty trimmed lines; `#` starts a comment line (as in URL list files). */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
