import { z } from 'zod';
import type { JobStartInput } from '../../../shared/crawler-api';
import { jobStartSchema } from '../../../shared/crawler-api-schemas';
import { parseBasicAuthSpec } from '../../../shared/basic-auth';
import { formatExtractionSpec, parseExtractionSpec } from '../../../shared/extraction';
import {
  CRAWL_MODES,
  parseStartUrl,
  ROBOTS_UNAVAILABLE,
  storedJobSettingsSchema,
  type StoredJobSettings,
} from '../../../shared/job-settings';
import { parseHeaderLines } from '../../../shared/request-headers';
import { robotsAgent } from '../../../shared/robots-agent';
import { DEFAULT_CONCURRENCY_PER_WORKER } from '../../../shared/limits';
import { SCOPE_MODES } from '../../../shared/scope';
import { DEFAULT_URL_RULES } from '../../../shared/url-normalize';

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
  ignoreTlsErrors: z.boolean().default(false),
  checkExternal: z.boolean().default(false),
  robotsUserAgent: z.string().default(''),
  robotsUnavailable: z.enum(ROBOTS_UNAVAILABLE).default('disallow'),
  maxRequestsPerSecond: z.string().default(''),
  followNofollow: z.boolean().default(false),
  stripTrackingParams: z.boolean().default(false),
  stripParams: z.string().default(''),
  sortQueryParams: z.boolean().default(false),
  maxQueryParams: z.string().default(''),
  maxUrlLength: z.string().default(String(DEFAULT_URL_RULES.maxUrlLength)),
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
    ignoreTlsErrors: defaults.ignoreTlsErrors,
    checkExternal: defaults.checkExternal,
    robotsUserAgent: '',
    robotsUnavailable: defaults.robotsUnavailable,
    maxRequestsPerSecond: '',
    followNofollow: !defaults.honourNofollow,
    stripTrackingParams: defaults.stripTrackingParams,
    stripParams: '',
    sortQueryParams: defaults.sortQueryParams,
    maxQueryParams: '',
    maxUrlLength: String(defaults.maxUrlLength),
  };
}

/** Settings fields whose problems show under a differently named form field. */
const FIELD_FOR_SETTING: Record<string, FormField> = {
  ignoreRobots: 'obeyRobots',
  honourNofollow: 'followNofollow',
};

/** A negative number gets through to the schema, which says the least each field takes. */
const WHOLE_NUMBER = { pattern: /^-?\d+$/, problem: 'enter a whole number' };
/** A rate may be a fraction: 0.5 is one request every two seconds. */
const FRACTION = {
  pattern: /^-?(\d+\.?\d*|\.\d+)$/,
  problem: 'enter a number, such as 0.5 or 10',
};

export type FormResult = { ok: true; input: JobStartInput } | { ok: false; errors: FieldErrors };

export interface StartUrls {
  urls: string[];
  problem?: string;
}

/**
 * The start URLs of their field, and the problem of the first bad one (or of
 * none at all), in the schema's words. Each URL is checked with the schema's
 * own check, without the schema: zod's work a URL doubled the time of a list
 * of a million.
 */
function readStartUrls(text: string): StartUrls {
  const urls = lines(text);
  for (const url of urls) {
    const parsed = parseStartUrl(url);
    if (typeof parsed === 'string') return { urls, problem: parsed };
  }
  if (urls.length > 0) return { urls };
  // An empty list: the schema says what it lacks.
  return {
    urls,
    problem: jobStartSchema.shape.startUrls.safeParse(urls).error?.issues[0]?.message,
  };
}

export interface StartUrlsReader {
  (text: string): StartUrls;
  /** Whether `text` is the last text read: its reading is at hand. */
  has(text: string): boolean;
}

/**
 * `readStartUrls` that gives the last text's reading again without reading
 * it: once Start crawl was pressed the form is read at each keystroke in
 * any field, and a pasted list of a million URLs takes hundreds of ms.
 */
export function lastStartUrlsReader(): StartUrlsReader {
  let last: { text: string; read: StartUrls } | undefined;
  const read = (text: string) => {
    if (last?.text !== text) last = { text, read: readStartUrls(text) };
    return last.read;
  };
  return Object.assign(read, { has: (text: string) => last?.text === text });
}

/** The settings the form's fields other than the start URLs give, checked apart from them. */
const settingsSchema = jobStartSchema.omit({ startUrls: true });

/**
 * Turns the form into job settings, or explains per field what is wrong.
 * `coreCount` bounds the pool: the UI offers 1 to the cores detected.
 * `kept`: the settings of the job the form was filled from, whose settings
 * the form does not show (retries, other timeouts…) the new job keeps.
 */
export function readCrawlForm(
  form: CrawlForm,
  coreCount: number,
  kept: StoredJobSettings | null = null,
  startUrlsOf: (text: string) => StartUrls = readStartUrls,
): FormResult {
  const errors: FieldErrors = {};
  // Every setting the form shows overrides the kept one, left empty (undefined) or not.
  const input = { ...kept, ...formInput(form, errors) };
  const workers = input.workers;
  if (typeof workers === 'number' && (workers < 1 || workers > coreCount)) {
    errors.workers = `choose 1 to ${coreCount} (the CPU cores detected)`;
  }
  // After the fields' own problems, first of the schema's, as one check of every setting
  // ordered them (the extraction tester names the first).
  const { urls, problem } = startUrlsOf(form.startUrls);
  if (problem !== undefined) errors.startUrls = problem;
  const parsed = settingsSchema.safeParse(withoutUndefined(input));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const field = FIELD_FOR_SETTING[key] ?? (key in form ? (key as FormField) : 'general');
      errors[field] ??= itemNamed(input, issue.path) + issue.message;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { startUrls: urls, ...withoutUndefined(input) } as JobStartInput };
}

/**
 * The settings the form's fields but the start URLs set (undefined: the
 * default), with each field's problem in `errors`.
 */
function formInput(form: CrawlForm, errors: FieldErrors): Record<string, unknown> {
  const number = (
    field: FormField,
    text: string,
    empty: number | null | undefined,
    { pattern, problem } = WHOLE_NUMBER,
  ) => {
    const trimmed = text.trim();
    if (trimmed === '') return empty;
    if (!pattern.test(trimmed)) {
      errors[field] = problem;
      return undefined;
    }
    return Number(trimmed);
  };
  const input: Record<string, unknown> = {
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
    ignoreTlsErrors: form.ignoreTlsErrors,
    checkExternal: form.checkExternal,
    maxRequestsPerSecond: number('maxRequestsPerSecond', form.maxRequestsPerSecond, null, FRACTION),
    honourNofollow: !form.followNofollow,
    stripTrackingParams: form.stripTrackingParams,
    stripParams: lines(form.stripParams),
    sortQueryParams: form.sortQueryParams,
    maxQueryParams: number('maxQueryParams', form.maxQueryParams, null),
    maxUrlLength: number('maxUrlLength', form.maxUrlLength, undefined),
  };
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
  return input;
}

/**
 * The form filled from a stored job's settings and start URLs, each field
 * as the user would type it. The pool is at most the cores detected, which
 * is all the form offers.
 */
export function formFromSettings(
  job: StoredJobSettings,
  startUrls: string,
  coreCount: number,
): CrawlForm {
  const text = (value: number | null) => (value === null ? '' : String(value));
  return {
    startUrls,
    mode: job.mode,
    scope: job.scope,
    maxPages: text(job.maxPages),
    maxDepth: text(job.maxDepth),
    workers: String(Math.min(job.workers, coreCount)),
    concurrency: String(job.concurrency),
    hostConcurrency: String(job.hostConcurrency),
    hostDelayMs: String(job.hostDelayMs),
    obeyRobots: !job.ignoreRobots,
    userAgent: job.userAgent,
    headers: Object.entries(job.headers)
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n'),
    include: job.include.join('\n'),
    exclude: job.exclude.join('\n'),
    extract: job.extract.map(formatExtractionSpec).join('\n'),
    timeoutMs: String(job.timeoutMs),
    proxy: job.proxy ?? '',
    basicAuth: job.basicAuth
      .map(({ host, username, password }) => `${host}=${username}:${password}`)
      .join('\n'),
    cookies: job.cookies,
    ignoreTlsErrors: job.ignoreTlsErrors,
    checkExternal: job.checkExternal,
    robotsUserAgent: job.robotsUserAgent ?? '',
    robotsUnavailable: job.robotsUnavailable,
    maxRequestsPerSecond: text(job.maxRequestsPerSecond),
    followNofollow: !job.honourNofollow,
    stripTrackingParams: job.stripTrackingParams,
    stripParams: job.stripParams.join('\n'),
    sortQueryParams: job.sortQueryParams,
    maxQueryParams: text(job.maxQueryParams),
    maxUrlLength: String(job.maxUrlLength),
  };
}

/** The settings the form has a field for (whatever their values), but the start URLs. */
const FORM_SETTINGS: ReadonlySet<string> = new Set(Object.keys(formInput(defaultCrawlForm(1), {})));
const DEFAULT_SETTINGS: Record<string, unknown> = storedJobSettingsSchema.parse({ workers: 1 });

/**
 * The settings of `kept` the form does not show that differ from a new
 * job's defaults, by their job-file names (`retries: 5`): what the user
 * is told a new job keeps without seeing it.
 */
export function hiddenSettings(kept: StoredJobSettings): string[] {
  return Object.entries(kept)
    .filter(
      ([key, value]) =>
        !FORM_SETTINGS.has(key) && JSON.stringify(value) !== JSON.stringify(DEFAULT_SETTINGS[key]),
    )
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
}

/**
 * What is wrong with the form filled from `job`, to show at once: `errors`,
 * the fields a new job cannot take as the job had them (a header Trawl now
 * sets itself), else `changed`, the settings the form would not give back as
 * the job had them: what its one-item-a-line fields cannot hold (an exclude
 * pattern starting with `#` reads as a comment, a pattern with a line break,
 * a rule the extraction syntax cannot write). The pool size is left out: the
 * form holds at most the cores detected, and says so; so are the start URLs,
 * which fill their field as stored (a long list is not checked again here).
 */
export function filledFormProblems(
  job: StoredJobSettings,
  coreCount: number,
): { errors: FieldErrors; changed: string[] } {
  const form = formFromSettings(job, 'http://example.invalid/', coreCount);
  const read = readCrawlForm(form, coreCount, job);
  if (!read.ok) return { errors: read.errors, changed: [] };
  const given: Record<string, unknown> = storedJobSettingsSchema.parse(read.input);
  const stored: Record<string, unknown> = job;
  const changed = [...FORM_SETTINGS].filter(
    (key) => key !== 'workers' && JSON.stringify(given[key]) !== JSON.stringify(stored[key]),
  );
  return { errors: {}, changed };
}

/**
 * A name for a new job made from a job named `name` that no job has yet:
 * `Blog audit (2)`, or `(3)` when that one exists (and from `Blog audit (2)`).
 */
export function nextJobName(name: string, taken: readonly string[], most = 200): string {
  const base = name.replace(/ \(\d+\)$/, '');
  const names = new Set(taken);
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = base.slice(0, most - suffix.length) + suffix;
    if (!names.has(candidate)) return candidate;
  }
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

/**
 * `lines(text).length`, without splitting: the draft counts a list too long
 * to keep at each keystroke in it, which `lines` took 250-300 ms for with a
 * million URLs.
 */
export function lineCount(text: string): number {
  let count = 0;
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    // Most lines start with their URL: only the others are trimmed.
    const code = text.charCodeAt(start);
    const first = code > 32 && code < 127 ? text[start] : text.slice(start, end).trim()[0];
    if (first !== undefined && first !== '#') count++;
    start = end + 1;
  }
  return count;
}

/** `lines(text)[0]`, without splitting the rest: a pasted list can be a million lines. */
export function firstLine(text: string): string | undefined {
  for (const [line] of text.matchAll(/[^\n]+/g)) {
    const trimmed = line.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return trimmed;
  }
  return undefined;
}

/**
 * `"a b": ` before the problem of one parameter name of several, which its
 * message does not quote (a bad pattern's message quotes the pattern itself).
 */
function itemNamed(input: Record<string, unknown>, path: readonly PropertyKey[]): string {
  const [key, index] = path;
  if (key !== 'stripParams' || typeof index !== 'number') return '';
  return `"${(input.stripParams as string[])[index]}": `;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
