import type { Command } from 'commander';
import { finished } from 'node:stream/promises';
import type { z } from 'zod';
import { exportJob } from '../engine/export/export-job';
import { UserError } from '../engine/user-error';
import {
  EXPORT_FORMATS,
  PAGE_COLUMNS,
  REPORT_NAMES,
  WHOLE_JOB_FORMATS,
  exportRequestSchema,
  type ExportFormat,
  type ExportRequest,
  type PageColumn,
  type PageFilters,
  type ReportName,
} from '../../shared/results';
import { describeConflict } from '../../shared/filter-row-sources';
import { describeIssues } from '../../shared/job-settings';
import type { Db } from '../engine/store/database';
import { JobStore, settingsOf } from '../engine/store/job-store';
import { DB_OPTION_HELP, wholeNumber } from './options';
import { addFilterOptions, filterFlag, filtersOf } from './page-filter-options';
import { notePartialResults } from './partial-results-note';
import { terminalStream } from './terminal-text';
import { withDatabase } from './with-database';

interface ExportOptions {
  db?: string;
  format: string;
  report?: string;
  out?: string;
  bom?: boolean;
  escapeFormulas?: boolean;
  sitemapBase?: string;
  columns?: string;
  sort?: string;
}

export function registerExportCommand(program: Command): void {
  const command = program
    .command('export')
    .description("write a job's pages, or one of its reports, to stdout or a file")
    .argument('<job-id>', 'job to export (see `trawl jobs`)', wholeNumber(1))
    .option('--db <file>', DB_OPTION_HELP)
    .option('--format <format>', `one of: ${EXPORT_FORMATS.join(', ')}`, 'ndjson')
    .option('--report <name>', `export a report instead of the pages: ${REPORT_NAMES.join(', ')}`)
    .option(
      '--out <file>',
      'write here instead of stdout (needed for xlsx, sqlite; - is stdout; a .gz name is gzipped)',
    )
    .option(
      '--columns <list>',
      'the URL table: only these columns, in this order (comma-separated: url,status,title)',
    )
    .option('--sort <column>', 'the URL table: rows sorted by COLUMN, or COLUMN:desc (bytes:desc)');
  addFilterOptions(command)
    .option('--bom', 'csv: start with a UTF-8 byte order mark (for Excel)')
    .option(
      '--escape-formulas',
      "csv: prefix a cell starting with = + - @ with ' so a spreadsheet shows it as text",
    )
    .option(
      '--sitemap-base <url>',
      'sitemap over 50,000 URLs or 50 MB: where its files will be served (default: the site origin)',
    )
    .addHelpText(
      'after',
      '\nFilters combine (all must hold) and apply to the URL table in csv, json, ndjson and\n' +
        'xlsx, and to a sitemap (its indexable 200 pages that they keep); not to a report or\n' +
        'a sqlite copy. Filters no row can hold together (--scope external with --depth,\n' +
        '--status failed with --content-type) are refused. Examples:\n' +
        '  trawl export 3 --format csv --status 4xx,5xx,failed --out broken.csv\n' +
        '  trawl export 3 --content-type text/html --indexable no --depth -3\n' +
        "  trawl export 3 --search 'shoes red' --extracted price~9.99\n" +
        '  trawl export 3 --format sitemap --depth 0-2 --out sitemap.xml',
    )
    .action(async (jobId: number, options: ExportOptions) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) {
        throw new UserError(
          `unknown export format "${options.format}" (supported: ${EXPORT_FORMATS.join(', ')})`,
        );
      }
      if (
        options.report !== undefined &&
        !(REPORT_NAMES as readonly string[]).includes(options.report)
      ) {
        throw new UserError(
          `unknown report "${options.report}" (reports: ${REPORT_NAMES.join(', ')})`,
        );
      }
      const format = options.format as ExportFormat;
      // An empty name is a script's unset variable, not a wish for stdout.
      if (options.out === '')
        throw new UserError('--out is empty: give a file name, or - for stdout');
      // `--out -` is stdout, as `--list -` and `--config -` are standard input.
      if (options.out === '-') delete options.out;
      if ((format === 'xlsx' || format === 'sqlite') && !options.out) {
        throw new UserError(`--format ${format} needs --out FILE, a file (not stdout)`);
      }
      if (options.sitemapBase !== undefined && format !== 'sitemap') {
        throw new UserError('--sitemap-base is for --format sitemap only');
      }
      const filters = filtersOf(options);
      const parsed = exportRequestSchema.safeParse({
        jobId,
        format,
        ...(options.report && { report: options.report as ReportName }),
        ...(filters && { filters }),
        ...tableView(format, options),
        ...(options.bom && { bom: true }),
        ...(options.escapeFormulas && { escapeFormulas: true }),
      });
      if (!parsed.success) {
        throw new UserError(describeIssues(parsed.error.issues.map(asOptions(filters))));
      }
      // Progress only for a person watching (never into a log file), and not over rows
      // going to the same terminal.
      const showProgress = process.stderr.isTTY && (Boolean(options.out) || !process.stdout.isTTY);
      // Ctrl-C or SIGTERM (`timeout`, `docker stop`) stops the export and removes the partial
      // file (--out), instead of leaving half of it.
      const stop = new AbortController();
      const onInterrupt = () => stop.abort();
      // Rows shown on a terminal: a crawled title's escape codes must not drive it.
      const terminal = !options.out && process.stdout.isTTY ? terminalStream() : null;
      terminal?.pipe(process.stdout, { end: false });
      process.once('SIGINT', onInterrupt);
      process.once('SIGTERM', onInterrupt);
      try {
        const { rows, notes } = await withDatabase(options.db, { mustExist: true }, (db) => {
          if (filters?.extraction) checkRuleName(db, jobId, filters.extraction.name);
          notePartialResults(new JobStore(db).whole(jobId));
          return exportJob(
            db,
            parsed.data,
            options.out ? { file: options.out } : { stream: terminal ?? process.stdout },
            {
              signal: stop.signal,
              ...(options.sitemapBase && { sitemapBaseUrl: options.sitemapBase }),
              ...(showProgress && {
                onProgress: ({ rows: done, total }) =>
                  process.stderr.write(
                    `\rexported ${done}${total !== null ? `/${total}` : ''} rows`,
                  ),
              }),
            },
          );
        });
        if (terminal) await finished(terminal);
        if (showProgress) {
          process.stderr.write(
            `\rexported ${rows} rows${options.out ? ` to ${options.out}` : ''}\n`,
          );
        }
        for (const note of notes) process.stderr.write(`trawl: info: ${note}\n`);
      } catch (error) {
        if (!stop.signal.aborted) throw error;
        throw new UserError(
          `export interrupted${options.out ? `: ${options.out} was not written` : ''}`,
        );
      } finally {
        process.off('SIGINT', onInterrupt);
        process.off('SIGTERM', onInterrupt);
      }
    });
}

/**
 * A refusal in the options' words: a field as its flag (see asFlag), and two
 * filters that keep no row together named by their options.
 */
function asOptions(filters: PageFilters | undefined) {
  return (issue: z.core.$ZodIssue): { path: string[]; message: string } => {
    const conflict = issue.code === 'custom' ? issue.params?.conflict : undefined;
    if (filters === undefined || conflict === undefined) {
      return { message: issue.message, path: asFlag(issue.path) };
    }
    return {
      path: [],
      message: describeConflict(filters, conflict, (field) => filterFlag(field) ?? field),
    };
  };
}

/**
 * A request field as the user typed it: `--escape-formulas`, not `escapeFormulas`;
 * `--status` for the filter `statusClasses` (deeper parts of a filter left out).
 */
function asFlag(path: readonly PropertyKey[]): string[] {
  const [key, field] = path.map(String);
  if (key === 'filters' && field !== undefined) return [filterFlag(field) ?? field];
  return path.map((part) => `--${String(part).replace(/[A-Z]/g, (l) => `-${l.toLowerCase()}`)}`);
}

/** A mistyped rule name would export no page (or, with !NAME, every page) without a word. */
function checkRuleName(db: Db, jobId: number, name: string): void {
  const rules = settingsOf(new JobStore(db).whole(jobId)).extract.map((rule) => rule.name);
  if (rules.includes(name)) return;
  throw new UserError(
    `--extracted: job ${jobId} has no extraction rule "${name}" (${
      rules.length === 0 ? 'it has none' : `its rules: ${rules.join(', ')}`
    })`,
  );
}

/** `--columns` and `--sort`: the URL table as the UI's table shows it (see ExportRequest). */
function tableView(
  format: ExportFormat,
  options: ExportOptions,
): Pick<ExportRequest, 'columns' | 'sort'> {
  if (options.columns === undefined && options.sort === undefined) return {};
  if (WHOLE_JOB_FORMATS.includes(format)) {
    throw new UserError(
      `--columns and --sort are for the URL table: a ${format} export holds the job's pages`,
    );
  }
  if (options.columns !== undefined && options.report !== undefined) {
    throw new UserError('--columns is for the URL table: a report has its own columns');
  }
  const sort =
    options.sort === undefined ? undefined : /^([^:]*)(?::(asc|desc))?$/.exec(options.sort);
  if (sort === null)
    throw new UserError(
      `--sort takes COLUMN or COLUMN:desc, such as bytes:desc, not "${options.sort}"`,
    );
  return {
    ...(options.columns !== undefined && {
      columns: options.columns.split(',').map((name) => column(name.trim())),
    }),
    ...(sort && {
      sort: { column: column(sort[1]!), direction: sort[2] === 'desc' ? 'desc' : 'asc' },
    }),
  };
}

function column(name: string): PageColumn {
  if ((PAGE_COLUMNS as readonly string[]).includes(name)) return name as PageColumn;
  throw new UserError(`unknown column "${name}" (columns: ${PAGE_COLUMNS.join(', ')})`);
}
