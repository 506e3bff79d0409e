import {
  describeSchemaError,
  storedJobSettingsSchema,
  type JobSettings,
  type StoredJobSettings,
  type StoredJobSettingsAndUrls,
} from '../../../shared/job-settings';
import type { JobInfo } from '../../../shared/crawler-api';
import type { JobStatus } from '../../../shared/progress';
import { defaultJobName, type JobSettingsAndUrls } from '../../../shared/results';
import { isAlive } from '../../../bin/process-alive.mjs';
import { URL_STATE } from './url-state';
import { UserError } from '../user-error';
import type { Db } from './database';

/** A job as persisted: the same shape every UI lists (`JobInfo` in the UI contract). */
export type JobRecord = JobInfo;

interface JobRow {
  id: number;
  name: string;
  status: JobStatus;
  settings: string;
  first_start_url: string | null;
  start_url_count: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  pages: number;
  failed: number;
  blocked: number;
  runner_pid: number | null;
  crawl_ms: number | null;
}

/** Jobs that can go on, whose URLs left are worth counting for the jobs list and dashboard. */
const RESUMABLE: ReadonlySet<string> = new Set(['stopped', 'failed', 'interrupted']);

export class JobStore {
  constructor(private readonly db: Db) {}

  /**
   * Stores a new job, named `name` or else its first start URL's host; its
   * start URLs go to their own row, one a line.
   */
  create(settings: JobSettings, name = ''): JobRecord {
    const { startUrls, ...stored } = settings;
    const first = startUrls[0]!;
    const id = this.db.transaction(() => {
      // Never an id a deleted job had (migration 8); a copied-in job may be above the mark.
      const id = this.db
        .prepare(
          `UPDATE job_id_high_water SET value = max(value, (SELECT coalesce(max(id), 0) FROM jobs)) + 1
           RETURNING value`,
        )
        .pluck()
        .get() as number;
      this.db
        .prepare(
          `INSERT INTO jobs (id, name, status, settings, first_start_url, start_url_count, created_at, crawl_ms)
           VALUES (?, ?, 'queued', ?, ?, ?, ?, 0)`,
        )
        .run(
          id,
          name || defaultJobName(first),
          JSON.stringify(stored),
          first,
          startUrls.length,
          Date.now(),
        );
      this.db
        .prepare('INSERT INTO job_start_urls (job_id, urls) VALUES (?, ?)')
        .run(id, startUrls.join('\n'));
      return id;
    })();
    return this.get(id);
  }

  /** The job, with the URLs it has left when it can be resumed. */
  get(id: number): JobRecord {
    return this.withQueued(this.plain(id));
  }

  private plain(id: number): JobRecord {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new UserError(`no job with id ${id}`);
    return toRecord(row);
  }

  /**
   * Counted on the frontier's (job_id, state) index: tens of milliseconds for
   * a million URLs left, so only where a person looks at a job that can go on,
   * never for a live one (its progress says it) nor for results readers.
   */
  private withQueued(job: JobRecord): JobRecord {
    if (!RESUMABLE.has(job.status)) return job;
    const queued = this.db
      .prepare(
        `SELECT count(*) FROM frontier WHERE job_id = ? AND state IN (${URL_STATE.queued}, ${URL_STATE.leased})`,
      )
      .pluck()
      .get(job.id) as number;
    return { ...job, queued };
  }

  /**
   * A job whose results are read (reports, exports, comparisons): refused
   * while its deletion is unfinished, as part of its rows may be gone and
   * the answer would be short without a word.
   */
  whole(id: number): JobRecord {
    const job = this.plain(id);
    if (job.status === 'deleting') {
      throw new UserError(`job ${id} is being deleted: delete it again to finish`);
    }
    return job;
  }

  list(): JobRecord[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY id').all() as JobRow[]).map((row) =>
      this.withQueued(toRecord(row)),
    );
  }

  /**
   * Everything the job runs with: its stored settings and every start URL, as
   * stored (unchecked: prepareStartUrls checks them, a slice at a time).
   */
  settings(id: number): StoredJobSettingsAndUrls {
    const { settings, startUrls } = this.settingsAndUrls(id);
    return { ...settings, startUrls: startUrls === '' ? [] : startUrls.split('\n') };
  }

  /** The same, with the start URLs one a line as stored: a list of 64 MB is never split. */
  settingsAndUrls(id: number): JobSettingsAndUrls {
    const settings = settingsOf(this.plain(id));
    const urls = this.db
      .prepare('SELECT urls FROM job_start_urls WHERE job_id = ?')
      .pluck()
      .get(id) as string | undefined;
    return { settings, startUrls: urls ?? '' };
  }

  /**
   * Claims the job for this process, with the settings it runs with now
   * (its start URLs never change). Refuses a job that another live process
   * is crawling. Returns the time its earlier runs spent crawling (null when
   * unknown: they ran before Trawl stored it) and when the last one ended.
   */
  markStarted(
    id: number,
    settings: StoredJobSettings,
  ): { crawlMs: number | null; finishedAt: number | null } {
    return this.db
      .transaction(() => {
        const row = this.claimable(id);
        if (row.status === 'running' && row.runner_pid !== process.pid && isAlive(row.runner_pid)) {
          throw new UserError(`job ${id} is being crawled by process ${row.runner_pid}`);
        }
        if (row.status === 'deleting') {
          throw new UserError(`job ${id} is being deleted: delete it again to finish`);
        }
        this.db
          .prepare(
            `UPDATE jobs SET status = 'running', started_at = coalesce(started_at, ?), finished_at = NULL,
               settings = ?, runner_pid = ? WHERE id = ?`,
          )
          .run(Date.now(), JSON.stringify(settings), process.pid, id);
        return { crawlMs: row.crawl_ms, finishedAt: row.finished_at };
      })
      .immediate();
  }

  /**
   * Marks the job as being deleted, so that a deletion cut short is visible
   * and nothing resumes the job meanwhile. Refuses a job that a live process
   * is crawling.
   */
  markDeleting(id: number): void {
    this.db
      .transaction(() => {
        const row = this.claimable(id);
        if (row.status === 'running' && isAlive(row.runner_pid)) {
          throw new UserError(`job ${id} is being crawled: stop it first`);
        }
        this.db.prepare("UPDATE jobs SET status = 'deleting' WHERE id = ?").run(id);
      })
      .immediate();
  }

  /** True while some process crawls a job of this database. */
  crawling(): boolean {
    const runners = this.db
      .prepare("SELECT runner_pid FROM jobs WHERE status = 'running'")
      .pluck()
      .all() as (number | null)[];
    return runners.some(isAlive);
  }

  /**
   * When every start URL of a job failed or was blocked by robots.txt (the
   * crawl did not really happen): the first, with its error and whether it
   * was blocked. A query that stops at the first success, so a list of a
   * million URLs costs nothing.
   */
  unreachableStart(id: number): { url: string; error: string; blocked: boolean } | undefined {
    const row = this.db
      .prepare(
        `SELECT url, error, state = ${URL_STATE.blocked} AS blocked FROM frontier WHERE job_id = @job AND depth = 0
           AND NOT EXISTS (SELECT 1 FROM frontier WHERE job_id = @job AND depth = 0 AND error IS NULL)
         ORDER BY id LIMIT 1`,
      )
      .get({ job: id }) as { url: string; error: string; blocked: number } | undefined;
    return row && { ...row, blocked: row.blocked === 1 };
  }

  /**
   * The first few start URLs stored as a redirect that was not followed, with
   * the `Location` they sent (as sent: it may be relative).
   */
  unfollowedStartRedirects(id: number): { url: string; location: string }[] {
    return this.db
      .prepare(
        `SELECT p.url, p.headers ->> '$.location' AS location
         FROM frontier f JOIN pages p ON p.frontier_id = f.id
         WHERE f.job_id = ? AND f.state = ${URL_STATE.done} AND f.depth = 0
           AND p.status BETWEEN 300 AND 399 AND p.final_url = p.url AND location IS NOT NULL
         ORDER BY f.id LIMIT 3`,
      )
      .all(id) as { url: string; location: string }[];
  }

  /** True while the job has URLs waiting to be fetched. */
  hasQueued(id: number): boolean {
    return (
      this.db
        .prepare(`SELECT 1 FROM frontier WHERE job_id = ? AND state = ${URL_STATE.queued} LIMIT 1`)
        .get(id) !== undefined
    );
  }

  /** The pool size a resize chose, kept in the job's settings for its next run. */
  setWorkers(id: number, workers: number): void {
    this.db
      .prepare(`UPDATE jobs SET settings = json_set(settings, '$.workers', ?) WHERE id = ?`)
      .run(workers, id);
  }

  /**
   * `crawlMs`: the job's crawl time over all its runs, this one included (null: unknown);
   * `finishedAt`: when its last run that crawled ended.
   */
  markEnded(
    id: number,
    status: Extract<JobStatus, 'stopped' | 'finished' | 'failed'>,
    crawlMs: number | null,
    finishedAt = Date.now(),
  ): void {
    this.db
      .prepare(
        'UPDATE jobs SET status = ?, finished_at = ?, runner_pid = NULL, crawl_ms = ? WHERE id = ?',
      )
      .run(status, finishedAt, crawlMs, id);
  }

  /** The row's state, read (not parsed: settings may be unreadable) where a change is claimed. */
  private claimable(
    id: number,
  ): Pick<JobRow, 'status' | 'runner_pid' | 'crawl_ms' | 'finished_at'> {
    const row = this.db
      .prepare('SELECT status, runner_pid, crawl_ms, finished_at FROM jobs WHERE id = ?')
      .get(id) as Pick<JobRow, 'status' | 'runner_pid' | 'crawl_ms' | 'finished_at'> | undefined;
    if (!row) throw new UserError(`no job with id ${id}`);
    return row;
  }
}

function toRecord(row: JobRow): JobRecord {
  // A job marked running whose process is gone was killed or crashed.
  const status = row.status === 'running' && !isAlive(row.runner_pid) ? 'interrupted' : row.status;
  return {
    id: row.id,
    name: row.name,
    status,
    ...readSettings(row),
    firstStartUrl: row.first_start_url,
    startUrlCount: row.start_url_count,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    pages: row.pages,
    failed: row.failed,
    blocked: row.blocked,
    queued: null, // see withQueued
    crawlMs: row.crawl_ms,
    crawledElsewhereBy:
      status === 'running' && row.runner_pid !== process.pid ? row.runner_pid : null,
  };
}

/**
 * The row's settings, or why they cannot be read (a file edited by hand, or
 * written by a newer Trawl): such a job is still listed, browsed and deleted.
 */
function readSettings(
  row: JobRow,
): { settings: StoredJobSettings; problem: null } | { settings: null; problem: string } {
  const none = (why: string) => ({ settings: null, problem: unreadable(why) });
  let json: unknown;
  try {
    json = JSON.parse(row.settings);
  } catch {
    return none('not JSON');
  }
  if (row.first_start_url === null) return none('no start URLs');
  const parsed = storedJobSettingsSchema.safeParse(json);
  if (!parsed.success) return none(describeSchemaError(parsed.error));
  return { settings: parsed.data, problem: null };
}

/** The problem a job's stored settings have, as the CLI and UIs show it. */
export function unreadable(why: string): string {
  return `unreadable settings: ${why}`;
}

/** A job's settings, for what needs them (running, exporting): a clear error if unreadable. */
export function settingsOf(job: JobRecord): StoredJobSettings {
  if (job.settings === null) throw new UserError(`job ${job.id} has ${job.problem}`);
  return job.settings;
}
