import { availableParallelism } from 'node:os';
import {
  describeSchemaError,
  newJobSettingsSchema,
  storedJobSettingsSchema,
  type StoredJobSettings,
  type JobSettings,
  type JobSettingsInput,
} from '../../shared/job-settings';
import { MAX_WORKERS } from '../../shared/limits';
import { jobNameSchema } from '../../shared/results';
import { CrawlJob } from './crawl-job';
import { silentLogger, type Logger } from './logger';
import type { ProcessLauncher } from './process-launcher';
import { sqliteProblem, tuneForMain, type Db } from './store/database';
import { prepareStartUrls } from './start-urls';
import { JobStore, unreadable, type JobRecord } from './store/job-store';
import { writeWhenFree } from './store/write-when-free';
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

/** A new job's settings, name and start URLs as checkNewJob passed them. */
export interface CheckedJob {
  settings: Omit<JobSettings, 'startUrls'>;
  name: string;
  startUrls: string[];
  scopeRoots: string[];
}

/**
 * A new job checked, a clear UserError if it is bad, before anything is
 * stored: a host may check it before it even opens the database, so that bad
 * input leaves no new file behind.
 */
export async function checkNewJob(
  input: Partial<JobSettingsInput>,
  name = '',
): Promise<CheckedJob> {
  const { startUrls, ...rest } = input;
  const named = jobNameSchema.safeParse(name);
  if (!named.success) throw new UserError(`invalid job name: ${describeSchemaError(named.error)}`);
  const parsed = newJobSettingsSchema.safeParse({ workers: defaultWorkerCount(), ...rest });
  if (!parsed.success)
    throw new UserError(`invalid job settings: ${describeSchemaError(parsed.error)}`);
  // Start URLs take the job's URL rules too, so a link back to one is the same URL.
  const urls = await prepareStartUrls(startUrls, parsed.data);
  if (urls.problem !== null) throw new UserError(`invalid job settings: ${urls.problem}`);
  return { settings: parsed.data, name: named.data, ...urls };
}

/** Starts and resumes jobs; the entry point every host (CLI, desktop, serve) uses. */
export class CrawlService {
  private readonly jobs: JobStore;
  private readonly running = new Map<number, CrawlJob>();
  /** Jobs claimed but not yet running: their first write waits for the lock. */
  private readonly starting = new Map<number, Promise<unknown>>();
  private readonly logger: Logger;

  constructor(private readonly options: CrawlServiceOptions) {
    tuneForMain(options.db);
    this.jobs = new JobStore(options.db);
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Validates settings (a clear UserError if they are bad), stores the job
   * and starts it, named `name` (empty: its first start URL's host).
   * Asynchronous so that a long URL list is checked without holding the
   * event loop (prepareStartUrls).
   */
  async start(input: Partial<JobSettingsInput>, name = ''): Promise<CrawlJob> {
    return this.startChecked(await checkNewJob(input, name));
  }

  /** Stores and starts a job checkNewJob passed. */
  async startChecked({ settings, name, startUrls, scopeRoots }: CheckedJob): Promise<CrawlJob> {
    const record = await this.plainly(
      () => this.jobs.create({ ...settings, startUrls }, name),
      (remedy) => `no job was stored: ${remedy}, then start the crawl again`,
    );
    return this.launch(record.id, settings, scopeRoots, 'nothing was crawled');
  }

  /**
   * Continues a stopped or interrupted job from what its database holds.
   * Pool size, concurrency and the page limit may change; scope and depth
   * cannot, since the frontier was built with them.
   */
  async resume(jobId: number, overrides: ResumeOverrides = {}): Promise<CrawlJob> {
    this.refuseRunning(jobId);
    const { startUrls, ...stored } = this.jobs.settings(jobId);
    const { pages, failed } = this.jobs.get(jobId);
    // Such a resume crawls nothing, yet stored its limit: a later re-run stopped there.
    if (overrides.maxPages != null && pages + failed >= overrides.maxPages) {
      throw new UserError(
        `job ${jobId} has ${pages + failed} pages already: --max-pages ${overrides.maxPages} leaves nothing to crawl`,
      );
    }
    const parsed = storedJobSettingsSchema.safeParse({ ...stored, ...definedOnly(overrides) });
    if (!parsed.success) {
      throw new UserError(`invalid job settings: ${describeSchemaError(parsed.error)}`);
    }
    const urls = await prepareStartUrls(startUrls, parsed.data);
    if (urls.problem !== null) throw new UserError(`job ${jobId} has ${unreadable(urls.problem)}`);
    return this.launch(jobId, parsed.data, urls.scopeRoots, 'what was stored is kept');
  }

  /**
   * Re-runs a job: a new job with the same settings (a fresh frontier),
   * with any setting overridden, e.g. the pool size, named `name` (empty:
   * its first start URL's host).
   */
  rerun(jobId: number, overrides: Partial<JobSettingsInput> = {}, name = ''): Promise<CrawlJob> {
    return this.start({ ...this.jobs.settings(jobId), ...definedOnly(overrides) }, name);
  }

  get(jobId: number): CrawlJob | undefined {
    return this.running.get(jobId);
  }

  list(): JobRecord[] {
    return this.jobs.list();
  }

  /** Gracefully stops every running job (on quit). */
  async stopAll(options: { force?: boolean } = {}): Promise<void> {
    await Promise.allSettled(this.starting.values());
    await Promise.all([...this.running.values()].map((job) => job.stop(options)));
  }

  /**
   * Runs a job's first write, the event loop free while another connection
   * (a running job's writer) has the lock; a full disk comes out as one
   * plain line saying what was left (`left`, given the remedy). A locked or
   * read-only file keeps the hosts' own words: nothing was written, try again.
   */
  private async plainly<T>(write: () => T, left: (remedy: string) => string): Promise<T> {
    try {
      return await writeWhenFree(this.options.db, write);
    } catch (error) {
      const known = sqliteProblem(error, this.options.db.name);
      if (!known || (error as { code?: unknown }).code !== 'SQLITE_FULL') throw error;
      throw new UserError(`${known.problem}; ${left(known.remedy)}`);
    }
  }

  private refuseRunning(jobId: number): void {
    if (this.running.has(jobId) || this.starting.has(jobId)) {
      throw new UserError(`job ${jobId} is already running`);
    }
  }

  /** `kept`: what a job that cannot even start has stored, as its error says. */
  private async launch(
    jobId: number,
    settings: StoredJobSettings,
    scopeRoots: string[],
    kept: string,
  ): Promise<CrawlJob> {
    // Again for a resume: another may have begun while the start URLs were checked.
    this.refuseRunning(jobId);
    // First: a job another process is crawling is refused before anything changes.
    const started = this.plainly(
      () => this.jobs.markStarted(jobId, settings),
      (remedy) => `job ${jobId} could not start, ${kept}: ${remedy}, then resume it`,
    );
    this.starting.set(jobId, started);
    let earlier: Awaited<typeof started>;
    try {
      earlier = await started;
    } finally {
      this.starting.delete(jobId);
    }
    const job = new CrawlJob({
      db: this.options.db,
      jobId,
      settings,
      scopeRoots,
      launcher: this.options.launcher,
      logger: this.logger,
      earlier,
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
