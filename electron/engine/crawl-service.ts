import { availableParallelism } from 'node:os';
import {
  describeSchemaError,
  jobSettingsSchema,
  storedJobSettingsSchema,
  type JobSettings,
  type JobSettingsInput,
} from '../../shared/job-settings';
import { MAX_WORKERS } from '../../shared/limits';
import { normalizeWithRules } from '../../shared/url-normalize';
import { CrawlJob } from './crawl-job';
import { silentLogger, type Logger } from './logger';
import type { ProcessLauncher } from './process-launcher';
import type { Db } from './store/database';
import { JobStore, type JobRecord } from './store/job-store';
import { UserError } from './user-error';

export interface ResumeOverrides {
  workers?: number | undefined;
  concurrency?: number | undefined;
  maxPages?: number | null | undefined;
}

export interface CrawlServiceOptions {
  db: Db;
  launcher: ProcessLauncher;
  logger?: Logger;
}

/** Starts and resumes jobs; the entry point every host (CLI, desktop, serve) uses. */
export class CrawlService {
  private readonly jobs: JobStore;
  private readonly running = new Map<number, CrawlJob>();
  private readonly logger: Logger;

  constructor(private readonly options: CrawlServiceOptions) {
    this.jobs = new JobStore(options.db);
    this.logger = options.logger ?? silentLogger;
  }

  /** Validates settings (a clear UserError if they are bad), stores the job and starts it. */
  start(input: Partial<JobSettingsInput>): CrawlJob {
    const parsed = jobSettingsSchema.safeParse({ workers: defaultWorkerCount(), ...input });
    if (!parsed.success)
      throw new UserError(`invalid job settings: ${describeSchemaError(parsed.error)}`);
    const settings: JobSettings = {
      ...parsed.data,
      // Start URLs take the job's URL rules too, so a link back to one is the same URL.
      startUrls: parsed.data.startUrls.map((url) => normalizeWithRules(url, parsed.data)!),
    };
    const record = this.jobs.create(settings);
    return this.launch(record.id, settings);
  }

  /**
   * Continues a stopped or interrupted job from what its database holds.
   * Pool size, concurrency and the page limit may change; scope and depth
   * cannot, since the frontier was built with them.
   */
  resume(jobId: number, overrides: ResumeOverrides = {}): CrawlJob {
    if (this.running.has(jobId)) throw new UserError(`job ${jobId} is already running`);
    const { startUrls, ...stored } = this.jobs.settings(jobId);
    const parsed = storedJobSettingsSchema.safeParse({ ...stored, ...definedOnly(overrides) });
    if (!parsed.success) {
      throw new UserError(`invalid job settings: ${describeSchemaError(parsed.error)}`);
    }
    return this.launch(jobId, { ...parsed.data, startUrls });
  }

  /**
   * Re-runs a job: a new job with the same settings (a fresh frontier),
   * with any setting overridden, e.g. the pool size.
   */
  rerun(jobId: number, overrides: Partial<JobSettingsInput> = {}): CrawlJob {
    return this.start({ ...this.jobs.settings(jobId), ...definedOnly(overrides) });
  }

  get(jobId: number): CrawlJob | undefined {
    return this.running.get(jobId);
  }

  list(): JobRecord[] {
    return this.jobs.list();
  }

  /** Gracefully stops every running job (on quit). */
  async stopAll(options: { force?: boolean } = {}): Promise<void> {
    await Promise.all([...this.running.values()].map((job) => job.stop(options)));
  }

  private launch(jobId: number, settings: JobSettings): CrawlJob {
    const job = new CrawlJob({
      db: this.options.db,
      jobId,
      settings,
      launcher: this.options.launcher,
      logger: this.logger,
    });
    this.running.set(jobId, job);
    void job.finished.then(() => this.running.delete(jobId));
    return job;
  }
}

export function defaultWorkerCount(): number {
  return Math.min(availableParallelism(), MAX_WORKERS);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
