import type { Command } from 'commander';
import { redirectJudge, SCOPE_MODES } from '../../shared/scope';
import { CRAWL_MODES, ROBOTS_UNAVAILABLE } from '../../shared/job-settings';
import type { JobSummary } from '../../shared/progress';
import { MAX_CONCURRENCY_PER_WORKER, MAX_URL_LENGTH, MAX_WORKERS } from '../../shared/limits';
import { ChildProcessLauncher } from '../engine/child-process-launcher';
import { checkNewJob, CrawlService } from '../engine/crawl-service';
import type { CrawlJob } from '../engine/crawl-job';
import type { Db } from '../engine/store/database';
import { extractionCounts } from '../engine/store/extraction-counts';
import { JobStore, settingsOf } from '../engine/store/job-store';
import { noAnswerIn } from '../engine/robots-unavailable';
import { urlRulesOf } from '../engine/worker-config';
import { UserError } from '../engine/user-error';
import { jobInput, type JobFlags } from './job-input';
import { DB_OPTION_HELP, numberIn, oneOf, wholeNumber } from './options';
import { withDatabase } from './with-database';
import { formatDuration, formatProgress, ProgressLine } from './progress-line';

interface CrawlOptions extends JobFlags {
  db?: string;
  resume?: number;
  rerun?: number;
  name?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCrawlCommand(program: Command): void {
  program
    .command('crawl')
    .description('crawl from start URLs, a URL list or a job file, or resume a job')
    .argument('[url...]', 'start URLs')
    .option(
      '-w, --workers <n>',
      'worker processes (default: CPU cores)',
      wholeNumber(1, MAX_WORKERS),
    )
    .option(
      '-c, --concurrency <n>',
      'requests in flight per worker (default 16)',
      wholeNumber(1, MAX_CONCURRENCY_PER_WORKER),
    )
    .option('--max-pages <n>', 'stop after this many URLs', wholeNumber(1))
    .option(
      '--max-depth <n>',
      'follow links at most this deep (start URLs are depth 0)',
      wholeNumber(0),
    )
    .option(
      '--mode <mode>',
      'spider (follow links), list (only the given URLs) or sitemap (seed from sitemaps, then follow links)',
      oneOf(CRAWL_MODES),
    )
    .option('--list <file>', 'start URLs from a file, one a line (implies --mode list)')
    .option('--config <file>', 'job settings from a JSON file; flags override it')
    .option(
      '--scope <scope>',
      'links followed: host (default), site, folder or all',
      oneOf(SCOPE_MODES),
    )
    .option('--include <regex>', 'follow only URLs matching one of these (repeatable)', collect, [])
    .option(
      '--exclude <regex>',
      'never follow URLs matching any of these (repeatable)',
      collect,
      [],
    )
    .option(
      '--per-host <n>',
      'requests in flight to one host at a time (default 2)',
      wholeNumber(1, 1024),
    )
    .option('--host-concurrency <n>', 'the same as --per-host', wholeNumber(1, 1024))
    .option(
      '--delay-ms <ms>',
      'least time between requests to one host (default 0; robots.txt Crawl-delay raises it)',
      wholeNumber(0, 600_000),
    )
    .option('--host-delay <ms>', 'the same as --delay-ms', wholeNumber(0, 600_000))
    .option('--rps <n>', 'job-wide cap on requests per second', numberIn(0.01, 100_000))
    .option('--check-external', 'check each external link once for its status (never crawled)')
    .option('--strip-tracking', 'drop utm_* and other tracking parameters from links')
    .option(
      '--strip-param <name>',
      'drop this query (or ;name= path) parameter from links, e.g. a session id (repeatable)',
      collect,
      [],
    )
    .option('--sort-query', 'sort query parameters so their order does not make a new URL')
    .option(
      '--max-query-params <n>',
      'do not follow links with more query parameters than this',
      wholeNumber(0, 1000),
    )
    .option(
      '--max-url-length <n>',
      `do not follow links longer than this (default and most ${MAX_URL_LENGTH})`,
      wholeNumber(20, MAX_URL_LENGTH),
    )
    .option('--cookies', 'keep cookies the site sets for the rest of the job')
    .option('--auth <host=user:password>', 'HTTP basic auth for a host (repeatable)', collect, [])
    .option('--proxy <url>', 'send every request through this HTTP(S) proxy')
    .option(
      '--ignore-tls-errors',
      'crawl HTTPS servers whose certificate does not verify (self-signed, expired)',
    )
    .option(
      '--follow-nofollow',
      'follow rel=nofollow links and pages with meta robots or X-Robots-Tag nofollow',
    )
    .option('--ignore-robots', 'do not fetch or obey robots.txt')
    .option(
      '--robots-unavailable <what>',
      'a robots.txt answering 5xx, 429 or nothing: disallow its host (default, RFC 9309) or allow',
      oneOf(ROBOTS_UNAVAILABLE),
    )
    .option('--user-agent <string>', 'the User-Agent header')
    .option(
      '--robots-user-agent <token>',
      'the robots.txt group to obey, e.g. Googlebot (default: the product token of the User-Agent)',
    )
    .option('--header <header>', "an extra request header, 'Name: value' (repeatable)", collect, [])
    .option(
      '--extract <rule>',
      "custom extraction: 'NAME=css:SELECTOR' ('SELECTOR@attr', 'SELECTOR@html'), 'NAME=regex:PATTERN'; NAME[]= keeps every match (repeatable)",
      collect,
      [],
    )
    .option('--db <file>', DB_OPTION_HELP)
    .option('--resume <job-id>', 'continue a stopped or interrupted job', wholeNumber(1))
    .option(
      '--rerun <job-id>',
      'crawl again as a new job with the same settings (flags override them)',
      wholeNumber(1),
    )
    .option(
      '--name <name>',
      "the new job's name in the jobs list (default: the first start URL's host)",
    )
    .option('--json', 'print a JSON summary line on stdout at the end')
    .action(async (urls: string[], options: CrawlOptions, command: Command) => {
      process.exitCode = await crawl(urls, options, givenFlags(command));
    });
}

/** The long names of the options given on the command line, in the help's order. */
function givenFlags(command: Command): Map<string, string> {
  return new Map(
    command.options
      .filter((option) => command.getOptionValueSource(option.attributeName()) === 'cli')
      .map((option) => [option.attributeName(), option.long ?? option.flags]),
  );
}

/** What a resume takes besides its job id; the job keeps every other setting it has. */
const RESUME_OPTIONS = new Set(['resume', 'workers', 'concurrency', 'maxPages', 'db', 'json']);

async function crawl(
  urls: string[],
  options: CrawlOptions,
  given: Map<string, string>,
): Promise<number> {
  const resuming = options.resume !== undefined;
  const rerunning = options.rerun !== undefined;
  if ((resuming || rerunning) && (urls.length > 0 || options.list || options.config)) {
    throw new UserError(
      `give start URLs (or --list, --config) or ${resuming ? '--resume' : '--rerun'}, not both`,
    );
  }
  if (resuming && rerunning) throw new UserError('give --resume or --rerun, not both');
  if (resuming && options.name !== undefined) {
    throw new UserError(
      '--name names a new job: rename a job with `trawl jobs rename <id> <name>`',
    );
  }
  if (resuming && options.maxDepth !== undefined) {
    throw new UserError('--max-depth cannot change when resuming: the frontier was built with it');
  }
  // A flag the resume would drop is refused: a user who adds --delay-ms expects the delay.
  const kept = resuming ? [...given].filter(([key]) => !RESUME_OPTIONS.has(key)) : [];
  if (kept.length > 0) {
    throw new UserError(
      `${new Intl.ListFormat('en-GB').format(kept.map(([, flag]) => flag))} cannot change ` +
        `when resuming: job ${options.resume} keeps the settings it started with ` +
        `(--rerun ${options.resume} crawls again as a new job, flags overriding them)`,
    );
  }
  const input = resuming ? {} : jobInput(urls, options);
  if (!resuming && !rerunning && input.startUrls === undefined) {
    throw new UserError('give at least one start URL (or --list, --config, --resume <job-id>)');
  }
  // A new job is checked before the database is opened: bad input creates no file.
  const checked = resuming || rerunning ? null : await checkNewJob(input, options.name);
  // A job to resume or rerun can only be in an existing file: never create one for it.
  return withDatabase(options.db, { mustExist: resuming || rerunning }, async (db) => {
    const service = new CrawlService({
      db,
      launcher: new ChildProcessLauncher(),
      logger: logToStderr,
    });
    // Heard from before the job row is written: a Ctrl-C while it starts stops it, as later.
    const signals = stopOnSignals();
    try {
      const job = await (options.resume !== undefined
        ? service.resume(options.resume, {
            workers: options.workers,
            concurrency: options.concurrency,
            maxPages: options.maxPages,
          })
        : options.rerun !== undefined
          ? service.rerun(options.rerun, input, options.name)
          : service.startChecked(checked!));
      signals.attach(job);
      const summary = await runInTerminal(job);
      return report(db, summary, { json: options.json === true, resumed: resuming });
    } finally {
      signals.dispose();
    }
  });
}

const progress = new ProgressLine(process.stderr);
/** The error lines printed, so that a failed job's reason, which its log gave, is not repeated. */
const errorsLogged = new Set<string>();

function logToStderr(level: string, message: string): void {
  if (level === 'debug') return;
  if (level === 'error') errorsLogged.add(message);
  progress.clear();
  process.stderr.write(`trawl: ${level}: ${message}\n`);
}

/**
 * The first Ctrl-C (or SIGTERM) stops the job gracefully, the second forces.
 * One that comes while the job is being started acts once it has started.
 */
function stopOnSignals(): { attach(job: CrawlJob): void; dispose(): void } {
  let job: CrawlJob | null = null;
  let interrupts = 0;
  const act = () => {
    if (job !== null && interrupts > 0) void job.stop({ force: interrupts > 1 });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    logToStderr(
      'info',
      interrupts === 1
        ? `${signal}: finishing pages in flight (Ctrl-C again to force stop)`
        : 'force stop',
    );
    act();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    attach(started) {
      job = started;
      act();
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Shows live progress until the job ends. */
async function runInTerminal(job: CrawlJob): Promise<JobSummary> {
  const unsubscribe = job.onProgress((snapshot) => progress.update(formatProgress(snapshot)));
  try {
    return await job.finished;
  } finally {
    unsubscribe();
    progress.clear();
  }
}

function report(db: Db, summary: JobSummary, how: { json: boolean; resumed: boolean }): number {
  const { jobId, status, pages, failed, blocked, seconds, pagesPerSecond, workers } = summary;
  // `status` tells a script a crawl stopped (Ctrl-C, `timeout`) or failed from one that finished.
  const figures = { jobId, status, pages, failed, blocked, seconds, pagesPerSecond, workers };
  if (status === 'failed') {
    // How far it got, as the job's figures say; the error follows.
    if (how.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
    if (summary.error !== undefined && errorsLogged.has(summary.error)) return 1;
    throw new UserError(`job ${jobId} failed: ${summary.error ?? 'unknown error'}`);
  }
  const jobs = new JobStore(db);
  // When every start URL failed to fetch, the crawl did not really happen.
  const unreachable = jobs.unreachableStart(jobId);
  const settings = settingsOf(jobs.whole(jobId));
  const extracted = extractionCounts(db, jobId, settings.extract);
  if (how.json) {
    process.stdout.write(
      `${JSON.stringify(extracted.length > 0 ? { ...figures, extracted } : figures)}\n`,
    );
  }
  const noAnswer = unreachable?.blocked ? noAnswerIn(unreachable.error) : null;
  if (unreachable && noAnswer !== null) {
    throw new UserError(`cannot reach ${unreachable.url}: ${noAnswer} (asking for its robots.txt)`);
  }
  if (unreachable?.blocked) {
    throw new UserError(`nothing was crawled: ${unreachable.url} is ${unreachable.error}`);
  }
  if (unreachable) throw new UserError(`cannot reach ${unreachable.url}: ${unreachable.error}`);
  // A rule that matched nothing (a typo, markup that changed) is seen before the export is opened.
  const warn = () => {
    for (const { rule } of extracted.filter((count) => count.values === 0))
      logToStderr('warn', `extraction rule "${rule}" matched nothing on any of the ${pages} pages`);
    if (settings.mode === 'spider') warnRedirectedOut(jobs, jobId);
  };
  if (how.json) {
    warn();
    return 0;
  }
  const counts =
    `${pages} pages, ${failed} failed` + (blocked > 0 ? `, ${blocked} blocked by robots.txt` : '');
  // The time and rate are this run's: after a resume, said apart from the job's total counts.
  const run = `${formatDuration(seconds * 1000)} (${pagesPerSecond} pages/s, ${workers} workers)`;
  let line = how.resumed
    ? `job ${jobId} ${status}: ${counts}; this run: ${summary.crawled} URLs in ${run}`
    : `job ${jobId} ${status}: ${counts} in ${run}`;
  // A resume that found nothing to do: say why, and what would.
  if (how.resumed && status === 'finished' && summary.crawled === 0) {
    line = jobs.hasQueued(jobId)
      ? `job ${jobId} finished: its page limit is reached (${counts}); resume it with a higher --max-pages to crawl more`
      : `job ${jobId} finished: nothing was left to crawl (${counts}); --rerun ${jobId} crawls it again as a new job`;
  }
  process.stderr.write(`${line}\n`);
  for (const { rule, values, pages: found } of extracted.filter((count) => count.values > 0))
    process.stderr.write(`  ${rule}: ${values} values from ${found} of ${pages} pages\n`);
  warn();
  return 0;
}

/**
 * A start URL that redirects to another host (example.com to www.example.com)
 * is stored as the redirect it is, and the crawl ends there: said, with what
 * would crawl the site. Not for a list crawl, which fetches exactly its URLs
 * (and whose depth 0 may be a million of them).
 */
function warnRedirectedOut(jobs: JobStore, jobId: number): void {
  const redirects = jobs.unfollowedStartRedirects(jobId);
  if (redirects.length === 0) return;
  const settings = jobs.settings(jobId);
  const judge = redirectJudge(settings, urlRulesOf(settings));
  const reasons = {
    scope: [`outside the job's scope (${settings.scope})`, 'widen --scope'],
    patterns: ['which --include or --exclude leaves out', 'change the patterns'],
    trap: ['which the URL-trap limits leave out', 'raise the limit it is past'],
  };
  for (const { url, location } of redirects) {
    const target = URL.parse(location, url);
    const why = target && judge(target);
    if (!why) continue;
    const [where, remedy] = reasons[why];
    logToStderr(
      'warn',
      `start URL ${url} redirects to ${target.href}, ${where}, so nothing past it was ` +
        `crawled: start from ${target.href}, or ${remedy}`,
    );
  }
}
