import {
  jobSettingsSchema,
  describeSchemaError,
  type JobSettings,
} from '../../../shared/job-settings';
import type { JobInfo } from '../../../shared/crawler-api';
import type { JobStatus } from '../../../shared/progress';
import { UserError } from '../user-error';
import type { Db } from './database';

/** A job as persisted: the same shape every UI lists (`JobInfo` in the UI contract). */
export type JobRecord = JobInfo;

interface JobRow {
  id: number;
  name: string;
  status: JobStatus;
  settings: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  pages: number;
  failed: number;
  runner_pid: number | null;
}

/** True while a process with this pid exists. */
function isAlive(pid: number | null): boolean {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JobStore {
  constructor(private readonly db: Db) {}

  create(settings: JobSettings): JobRecord {
    const now = Date.now();
    const name = new URL(settings.startUrls[0]!).host;
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO jobs (name, status, settings, created_at) VALUES (?, ?, ?, ?)')
      .run(name, 'queued', JSON.stringify(settings), now);
    return this.get(Number(lastInsertRowid));
  }

  get(id: number): JobRecord {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new UserError(`no job with id ${id}`);
    return toRecord(row);
  }

  list(): JobRecord[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY id').all() as JobRow[]).map(toRecord);
  }

  /**
   * Claims the job for this process, with the settings it runs with now.
   * Refuses a job that another live process is crawling.
   */
  markStarted(id: number, settings: JobSettings): void {
    this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT status, runner_pid FROM jobs WHERE id = ?').get(id) as
          { status: JobStatus; runner_pid: number | null } | undefined;
        if (!row) throw new UserError(`no job with id ${id}`);
        if (row.status === 'running' && row.runner_pid !== process.pid && isAlive(row.runner_pid)) {
          throw new UserError(`job ${id} is being crawled by process ${row.runner_pid}`);
        }
        this.db
          .prepare(
            `UPDATE jobs SET status = 'running', started_at = coalesce(started_at, ?), finished_at = NULL,
               settings = ?, runner_pid = ? WHERE id = ?`,
          )
          .run(Date.now(), JSON.stringify(settings), process.pid, id);
      })
      .immediate();
  }

  /**
   * When every start URL of a job failed (the crawl did not really happen):
   * the first, with its error. A query that stops at the first success, so
   * a list of a million URLs costs nothing.
   */
  unreachableStart(id: number): { url: string; error: string } | undefined {
    return this.db
      .prepare(
        `SELECT url, error FROM frontier WHERE job_id = @job AND depth = 0
           AND NOT EXISTS (SELECT 1 FROM frontier WHERE job_id = @job AND depth = 0 AND error IS NULL)
         ORDER BY id LIMIT 1`,
      )
      .get({ job: id }) as { url: string; error: string } | undefined;
  }

  /** True once the job has any URL at all (queued, done or otherwise). */
  hasUrls(id: number): boolean {
    return this.db.prepare('SELECT 1 FROM frontier WHERE job_id = ? LIMIT 1').get(id) !== undefined;
  }

  markEnded(id: number, status: Extract<JobStatus, 'stopped' | 'finished' | 'failed'>): void {
    this.db
      .prepare('UPDATE jobs SET status = ?, finished_at = ?, runner_pid = NULL WHERE id = ?')
      .run(status, Date.now(), id);
  }
}

function toRecord(row: JobRow): JobRecord {
  const parsed = jobSettingsSchema.safeParse(JSON.parse(row.settings));
  if (!parsed.success) {
    throw new UserError(
      `job ${row.id} has unreadable settings: ${describeSchemaError(parsed.error)}`,
    );
  }
  return {
    id: row.id,
    name: row.name,
    // A job marked running whose process is gone was killed or crashed.
    status: row.status === 'running' && !isAlive(row.runner_pid) ? 'interrupted' : row.status,
    settings: parsed.data,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    pages: row.pages,
    failed: row.failed,
  };
}
