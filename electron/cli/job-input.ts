import { legacyHookDecode } from '@exodus/bytes/encoding-lite.js';
import { parseBasicAuthSpec } from '../../shared/basic-auth';
import { parseExtractionSpec } from '../../shared/extraction';
import { parseHeaderLines } from '../../shared/request-headers';
import {
  describeIssues,
  jobSettingsSchema,
  parseStartUrl,
  type CrawlMode,
  type JobSettingsInput,
  type RobotsUnavailable,
} from '../../shared/job-settings';
import { MAX_URL_LIST_BYTES } from '../../shared/url-list';
import { readCapped } from '../engine/read-capped';
import { readUrlListFile, urlListName } from '../engine/url-list-file';
import { UserError } from '../engine/user-error';

/** A job file may hold a URL list's worth of start URLs, quoted and separated. */
const MAX_JOB_FILE_BYTES = MAX_URL_LIST_BYTES * 1.25;

/** The `trawl crawl` flags that become job settings. */
export interface JobFlags {
  workers?: number;
  concurrency?: number;
  maxPages?: number;
  maxDepth?: number;
  mode?: CrawlMode;
  list?: string;
  scope?: 'host' | 'site' | 'folder' | 'all';
  include: string[];
  exclude: string[];
  userAgent?: string;
  robotsUserAgent?: string;
  header: string[];
  extract: string[];
  followNofollow?: boolean;
  ignoreRobots?: boolean;
  robotsUnavailable?: RobotsUnavailable;
  hostConcurrency?: number;
  perHost?: number;
  hostDelay?: number;
  delayMs?: number;
  rps?: number;
  checkExternal?: boolean;
  stripTracking?: boolean;
  stripParam: string[];
  sortQuery?: boolean;
  maxQueryParams?: number;
  maxUrlLength?: number;
  cookies?: boolean;
  auth: string[];
  proxy?: string;
  ignoreTlsErrors?: boolean;
  config?: string;
}

/** A JSON job file (`--config`): any job settings; the schema checks them later. */
function readJobFile(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    const text = readCapped(file, MAX_JOB_FILE_BYTES, {
      name: `job file ${file}`,
      tooLarge: () =>
        new UserError(`job file ${file} is larger than ${MAX_JOB_FILE_BYTES / 1048576} MB`),
      notAFile: () => new UserError(`job file ${file} is not a file`),
    });
    // UTF-8, or the UTF-16 a byte order mark names (PowerShell 5's `>`), without the
    // mark, which JSON.parse refuses.
    value = JSON.parse(legacyHookDecode(text));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`job file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`job file ${file} must hold a JSON object of job settings`);
  }
  // The schema would drop an unknown key, so a misspelt limit would silently not apply.
  const unknown = Object.keys(value).find((key) => !Object.hasOwn(jobSettingsSchema.shape, key));
  if (unknown !== undefined) {
    const meant = settingLike(unknown);
    throw new UserError(
      `job file ${file}: unknown setting "${unknown}"` +
        (meant ? ` (did you mean "${meant}"?)` : ' (see "Job files" in the README)'),
    );
  }
  return value as Record<string, unknown>;
}

/** The setting a key names but for case, dashes or underscores (`max_depth`, `MaxDepth`). */
function settingLike(key: string): string | undefined {
  const plain = (name: string) => name.toLowerCase().replace(/[-_]/g, '');
  return Object.keys(jobSettingsSchema.shape).find((name) => plain(name) === plain(key));
}

/**
 * One URL a line; blank lines and lines starting with # are skipped. Every
 * line that is not a URL is counted, so one run names the first few and how
 * many more there are, not one a run.
 */
export function readUrlList(file: string): string[] {
  const urls: string[] = [];
  const bad: { path: string[]; message: string }[] = []; // the first three
  let badLines = 0;
  const name = urlListName(file);
  readUrlListFile(file)
    .split('\n')
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const parsed = parseStartUrl(line);
      if (typeof parsed !== 'string') urls.push(line);
      else if (++badLines <= 3) bad.push({ path: [`${name}:${index + 1}`], message: parsed });
    });
  if (badLines > 0) throw new UserError(describeIssues(bad, 3, badLines));
  if (urls.length === 0) throw new UserError(`URL list ${name} has no URLs`);
  return urls;
}

/**
 * The job file's headers with the --header flags over them. A flag replaces
 * the file's header of the same name whatever its case, as flags override the
 * file; two flags naming one header are refused.
 */
function withHeaderFlags(fromFile: unknown, flags: string[]): Record<string, unknown> {
  let given: Record<string, string>;
  try {
    given = parseHeaderLines(flags);
  } catch (error) {
    throw new UserError(`--header ${(error as Error).message}`);
  }
  const replaced = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  const kept = Object.entries(fromFile ?? {}).filter(([name]) => !replaced.has(name.toLowerCase()));
  return { ...Object.fromEntries(kept), ...given };
}

/**
 * Job settings from a job file, a URL list, the URL arguments and flags, each
 * later one overriding the earlier. Validation is the service's: one schema
 * for every host.
 */
export function jobInput(urls: string[], flags: JobFlags): Partial<JobSettingsInput> {
  const input: Record<string, unknown> = flags.config ? readJobFile(flags.config) : {};
  const startUrls = [...(flags.list ? readUrlList(flags.list) : []), ...urls];
  if (startUrls.length > 0) input.startUrls = startUrls;
  const set = (key: string, value: unknown) => {
    if (value !== undefined) input[key] = value;
  };
  set('mode', flags.mode ?? (flags.list ? 'list' : undefined));
  set('workers', flags.workers);
  set('concurrency', flags.concurrency);
  set('maxPages', flags.maxPages);
  set('maxDepth', flags.maxDepth);
  set('scope', flags.scope);
  if (flags.include.length > 0) input.include = flags.include;
  if (flags.exclude.length > 0) input.exclude = flags.exclude;
  set('userAgent', flags.userAgent);
  set('robotsUserAgent', flags.robotsUserAgent);
  if (flags.header.length > 0) {
    input.headers = withHeaderFlags(input.headers, flags.header);
  }
  set('hostConcurrency', oneOf(flags, 'perHost', 'hostConcurrency'));
  set('hostDelayMs', oneOf(flags, 'delayMs', 'hostDelay'));
  set('maxRequestsPerSecond', flags.rps);
  set('proxy', flags.proxy);
  if (flags.ignoreTlsErrors) input.ignoreTlsErrors = true;
  if (flags.checkExternal) input.checkExternal = true;
  if (flags.stripTracking) input.stripTrackingParams = true;
  if (flags.stripParam.length > 0) input.stripParams = flags.stripParam;
  if (flags.sortQuery) input.sortQueryParams = true;
  set('maxQueryParams', flags.maxQueryParams);
  set('maxUrlLength', flags.maxUrlLength);
  if (flags.cookies) input.cookies = true;
  if (flags.auth.length > 0) {
    input.basicAuth = [
      ...((input.basicAuth as unknown[] | undefined) ?? []),
      ...flags.auth.map((spec) => {
        try {
          return parseBasicAuthSpec(spec);
        } catch (error) {
          throw new UserError(`--auth ${(error as Error).message}`);
        }
      }),
    ];
  }
  if (flags.followNofollow) input.honourNofollow = false;
  if (flags.ignoreRobots) input.ignoreRobots = true;
  set('robotsUnavailable', flags.robotsUnavailable);
  if (flags.extract.length > 0) {
    input.extract = [
      ...((input.extract as unknown[] | undefined) ?? []),
      ...flags.extract.map((spec) => {
        try {
          return parseExtractionSpec(spec);
        } catch (error) {
          throw new UserError((error as Error).message);
        }
      }),
    ];
  }
  return input as Partial<JobSettingsInput>;
}

const FLAG_NAMES = {
  perHost: '--per-host',
  hostConcurrency: '--host-concurrency',
  delayMs: '--delay-ms',
  hostDelay: '--host-delay',
} as const;

/** Two flags that name one setting (the short name and the long one): either, not both. */
function oneOf(
  flags: JobFlags,
  name: 'perHost' | 'delayMs',
  synonym: 'hostConcurrency' | 'hostDelay',
): number | undefined {
  if (flags[name] !== undefined && flags[synonym] !== undefined)
    throw new UserError(`give ${FLAG_NAMES[name]} or ${FLAG_NAMES[synonym]}, not both`);
  return flags[name] ?? flags[synonym];
}
