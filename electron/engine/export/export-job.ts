import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { Db } from '../store/database';
import { JobStore, settingsOf, type JobRecord } from '../store/job-store';
import { iteratePages } from '../store/page-reader';
import { UserError } from '../user-error';
import type { ExportProgress, ExportRequest } from '../../../shared/results';
import { exportTable } from './export-rows';
import { OutputFiles, refuseDatabaseFile, refuseGzip } from './output-files';
import { writeSitemap } from './sitemap-writer';
import { copyJobToSqlite } from './sqlite-copy';
import { counted, jsonArrayLines, ndjsonLines, writeCsv, writeLines } from './text-writers';
import { writeXlsx } from './xlsx-writer';

/** Where an export goes: a file (every format), or a stream (all but sqlite and split sitemaps). */
export type ExportTarget = { file: string } | { stream: Writable };

export interface ExportOptions {
  /** Called at most every `progressEveryRows` rows and once at the end. */
  onProgress?: (progress: ExportProgress) => void;
  progressEveryRows?: number;
  /** Sitemaps over 50,000 URLs: the URL the sitemap files will be served under. Default: the job's first start URL's origin. */
  sitemapBaseUrl?: string;
  /** Aborting stops the export at its next row and removes the files it was writing. */
  signal?: AbortSignal;
}

export interface ExportResult {
  rows: number;
  files: string[];
  /** What the person should know of the file, such as the URLs a sitemap left out. */
  notes: string[];
}

/** A file name for an export, e.g. `trawl-job-3-broken-links.csv`. */
export function exportFileName(request: ExportRequest): string {
  const extension = {
    csv: 'csv',
    json: 'json',
    ndjson: 'ndjson',
    xlsx: 'xlsx',
    sitemap: 'xml',
    sqlite: 'sqlite',
  }[request.format];
  return `trawl-job-${request.jobId}${request.report ? `-${request.report}` : ''}.${extension}`;
}

/**
 * Writes a job's URL table, a filtered view of it or a report in one
 * format, streaming (memory stays flat at any size) and with backpressure.
 * Returns the rows written, the files (several for a split sitemap) and
 * notes for the person (what the file leaves out, and why).
 * Stopped through `options.signal`, it rejects with the signal's reason.
 */
export async function exportJob(
  db: Db,
  request: ExportRequest,
  target: ExportTarget,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const job = new JobStore(db).whole(request.jobId);
  const every = options.progressEveryRows ?? 1000;
  let rows = 0;
  let total: number | null = null;
  const signal = options.signal;
  const tick = () => {
    signal?.throwIfAborted();
    rows++;
    if (rows % every === 0) options.onProgress?.({ rows, total });
  };
  const files = 'file' in target ? [target.file] : [];
  const notes: string[] = [];
  const base = options.sitemapBaseUrl;
  if (
    request.format === 'sitemap' &&
    base !== undefined &&
    !/^https?:$/.test(URL.parse(base)?.protocol ?? '')
  ) {
    throw new UserError(
      `the sitemap base "${base}" is not an absolute http(s) URL (such as https://example.com/maps/)`,
    );
  }
  if ('file' in target) {
    refuseGzip(request.format, target.file);
    checkFolder(target.file);
    refuseDatabaseFile(target.file, db.name);
  }
  const output = new OutputFiles();
  const out = () => ('file' in target ? output.open(target.file) : target.stream);
  signal?.throwIfAborted();
  try {
    await writeFormat();
    await output.closed();
  } catch (error) {
    // Whatever stopped it, half a file is worse than none.
    await output.remove();
    if ('file' in target && !signal?.aborted && isSystemError(error)) {
      const { path, message } = error as NodeJS.ErrnoException;
      throw new UserError(`cannot write ${path ?? target.file}: ${message}`, { cause: error });
    }
    throw error;
  }
  options.onProgress?.({ rows, total: total ?? rows });
  return { rows, files, notes };

  async function writeFormat(): Promise<void> {
    switch (request.format) {
      case 'sqlite': {
        if (!('file' in target)) throw new UserError('a SQLite export needs a file (--out FILE)');
        // One synchronous copy: a stop asked for meanwhile applies only before it starts.
        copyJobToSqlite(db, job.id, target.file, {
          onCreated: (file) => output.created(file),
          onTable: (table, count) => {
            if (table === 'pages') rows = count;
          },
        });
        return;
      }
      case 'sitemap': {
        const baseUrl = options.sitemapBaseUrl ?? siteOrigin(job);
        const written = await writeSitemap(
          db,
          job.id,
          'file' in target ? { file: target.file, baseUrl, open: output.open } : target,
          tick,
          request.filters,
        );
        files.splice(0, files.length, ...written.files);
        if (written.tooLong > 0) {
          notes.push(
            `left out ${written.tooLong.toLocaleString('en-US')} URL${written.tooLong === 1 ? '' : 's'} of 2,048 characters or more: the sitemaps protocol takes shorter ones only`,
          );
        }
        return;
      }
      case 'ndjson':
      case 'json': {
        // The whole URL table keeps its long-standing record shape (with extraction values).
        const records: Iterable<unknown> =
          request.report || request.filters || request.sort || request.columns
            ? exportTable(db, request).rows
            : iteratePages(db, job.id, settingsOf(job).extract);
        const lines =
          request.format === 'json'
            ? jsonArrayLines(counted(records, tick))
            : ndjsonLines(counted(records, tick));
        await writeLines(lines, out());
        return;
      }
      case 'csv':
      case 'xlsx': {
        const table = exportTable(db, request);
        total = table.total;
        const counting = { ...table, rows: counted(table.rows, tick) };
        if (request.format === 'csv') {
          await writeCsv(counting, out(), {
            bom: request.bom ?? false,
            escapeFormulas: request.escapeFormulas ?? false,
          });
        } else await writeXlsx(counting, out());
        return;
      }
    }
  }
}

/** A missing folder is a mistyped path: say so, and create nothing (a SQLite copy would). */
function checkFolder(file: string): void {
  const folder = dirname(resolve(file));
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
    throw new UserError(`cannot write ${file}: there is no folder ${folder}`);
}

/** An error of a system call (open, write), as opposed to SQLite's or the export's own. */
function isSystemError(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** Where a split sitemap's files are served unless told: the job's site. */
function siteOrigin(job: JobRecord): string {
  const start = job.firstStartUrl;
  if (start === null || !URL.canParse(start)) {
    throw new UserError(`job ${job.id} has no readable start URL to serve a sitemap from`);
  }
  return new URL(start).origin;
}
