import type {
  ExportOutcome,
  ExportUpdate,
  ExtractionPreview,
  ExtractionPreviewRequest,
  HostApi,
  HostEvent,
  JobInfo,
  JobStartInput,
  MenuCommand,
} from '../../shared/crawler-api';
import { describeSchemaError, jobSettingsSchema } from '../../shared/job-settings';
import type { ProgressSnapshot } from '../../shared/progress';
import type { ExportRequest, ResultsAnswers } from '../../shared/results';
import type { CrawlJob } from '../engine/crawl-job';
import { CrawlService, defaultWorkerCount } from '../engine/crawl-service';
import type { ExportRuns } from '../engine/export/export-runs';
import { previewExtraction } from '../engine/extraction-preview';
import { silentLogger, type Logger } from '../engine/logger';
import type { ProcessLauncher } from '../engine/process-launcher';
import type { Db } from '../engine/store/database';
import { JobStore, type JobRecord } from '../engine/store/job-store';
import { UserError } from '../engine/user-error';

export interface CrawlerHostOptions {
  db: Db;
  launcher: ProcessLauncher;
  version: string;
  logger?: Logger;
  /** Answers the results questions, off the main event loop (a worker thread). */
  results: ResultsAnswers;
  /** How this host hands out an export: a download URL (serve) or a save dialog (desktop). */
  exportJob: (request: ExportRequest) => Promise<ExportOutcome>;
  /** The exports the host is writing: their progress events and their cancel. */
  exports: ExportRuns;
}

/**
 * `CrawlerApi` on top of the engine, for the hosts that serve a UI: the
 * desktop main process (utilityProcess workers) and `trawl serve`
 * (child_process workers). Arguments are already validated by the caller
 * (request-dispatch.ts); settings are validated again by CrawlService.
 */
export class CrawlerHost implements HostApi {
  private readonly service: CrawlService;
  private readonly store: JobStore;
  private readonly listeners = new Set<(snapshot: ProgressSnapshot) => void>();
  private readonly menuListeners = new Set<(command: MenuCommand) => void>();
  private readonly jobsListeners = new Set<() => void>();

  constructor(private readonly options: CrawlerHostOptions) {
    this.service = new CrawlService({
      db: options.db,
      launcher: options.launcher,
      logger: options.logger ?? silentLogger,
    });
    this.store = new JobStore(options.db);
  }

  async getVersion(): Promise<string> {
    return this.options.version;
  }

  async getCoreCount(): Promise<number> {
    return defaultWorkerCount();
  }

  async listJobs(): Promise<JobInfo[]> {
    return this.service
      .list()
      .reverse()
      .map((record) => this.info(record));
  }

  async startJob(settings: JobStartInput, options: { name?: string } = {}): Promise<JobInfo> {
    const job = await this.service.start(settings, options.name);
    this.watch(job);
    this.jobsChanged();
    return this.info(this.store.get(job.id));
  }

  async stopJob(jobId: number, options: { force?: boolean } = {}): Promise<void> {
    // Returns at once: the progress stream shows `stopping`, then `stopped`.
    void this.running(jobId).stop({ force: options.force === true });
  }

  async resumeJob(jobId: number, options: { workers?: number } = {}): Promise<JobInfo> {
    const job = await this.service.resume(jobId, { workers: options.workers });
    this.watch(job);
    this.jobsChanged();
    return this.info(this.store.get(jobId));
  }

  async rerunJob(jobId: number, options: { workers?: number } = {}): Promise<JobInfo> {
    const job = await this.service.rerun(jobId, { workers: options.workers });
    this.watch(job);
    this.jobsChanged();
    return this.info(this.store.get(job.id));
  }

  async resizePool(jobId: number, workers: number): Promise<void> {
    this.running(jobId).resize(workers);
  }

  exportJob(request: ExportRequest): Promise<ExportOutcome> {
    this.store.get(request.jobId); // a clear error for an unknown job, before any dialog
    return this.options.exportJob(request);
  }

  async cancelExport(exportId: number): Promise<void> {
    this.options.exports.cancel(exportId);
  }

  async previewExtraction(request: ExtractionPreviewRequest): Promise<ExtractionPreview> {
    const { url } = request;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new UserError(`"${url.slice(0, 200)}" is not an absolute http(s) URL`);
    }
    // The form's start URLs may still be empty: the tested URL stands in for them.
    const parsed = jobSettingsSchema.safeParse({
      ...request.settings,
      startUrls: [url],
      workers: 1,
    });
    if (!parsed.success) throw new UserError(describeSchemaError(parsed.error));
    if (parsed.data.extract.length === 0) throw new UserError('add an extraction rule to test');
    return previewExtraction(this.options.launcher, parsed.data, url);
  }

  queryPages: ResultsAnswers['queryPages'] = (query) => this.options.results.queryPages(query);
  seekPages: ResultsAnswers['seekPages'] = (request) => this.options.results.seekPages(request);
  pageDetail: ResultsAnswers['pageDetail'] = (request) => this.options.results.pageDetail(request);
  queryLinks: ResultsAnswers['queryLinks'] = (query) => this.options.results.queryLinks(query);
  runReport: ResultsAnswers['runReport'] = (request) => this.options.results.runReport(request);
  compareJobs: ResultsAnswers['compareJobs'] = (request) =>
    this.options.results.compareJobs(request);
  renameJob: ResultsAnswers['renameJob'] = async (jobId, name) => {
    await this.options.results.renameJob(jobId, name);
    this.jobsChanged();
  };
  getJobSettings: ResultsAnswers['getJobSettings'] = (jobId) =>
    this.options.results.getJobSettings(jobId);

  async deleteJob(jobId: number): Promise<void> {
    if (this.service.get(jobId) !== undefined) {
      throw new UserError(`job ${jobId} is running: stop it before deleting it`);
    }
    try {
      await this.options.results.deleteJob(jobId);
    } finally {
      this.jobsChanged(); // one cut short is left `deleting`
    }
  }

  onProgress(listener: (snapshot: ProgressSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onExportProgress(listener: (update: ExportUpdate) => void): () => void {
    return this.options.exports.onUpdate(listener);
  }

  onMenuCommand(listener: (command: MenuCommand) => void): () => void {
    this.menuListeners.add(listener);
    return () => this.menuListeners.delete(listener);
  }

  onJobsChanged(listener: () => void): () => void {
    this.jobsListeners.add(listener);
    return () => this.jobsListeners.delete(listener);
  }

  /** Every event for the desktop app's progress port, tagged by kind. */
  onHostEvent(listener: (event: HostEvent) => void): () => void {
    const unsubscribe = [
      this.onProgress((snapshot) => listener({ kind: 'progress', snapshot })),
      this.onExportProgress((update) => listener({ kind: 'export', update })),
      this.onMenuCommand((command) => listener({ kind: 'menu', command })),
      this.onJobsChanged(() => listener({ kind: 'jobs-changed' })),
    ];
    return () => unsubscribe.forEach((stop) => stop());
  }

  /** The desktop app's native menu reports here. */
  runMenuCommand(command: MenuCommand): void {
    for (const listener of this.menuListeners) listener(command);
  }

  /** Stops every running job (graceful unless forced) and waits for them to end. */
  async stopAll(options: { force?: boolean } = {}): Promise<void> {
    await this.service.stopAll(options);
  }

  /** Tells every UI of this host, the one that asked included, to list the jobs again. */
  private jobsChanged(): void {
    for (const listener of this.jobsListeners) listener();
  }

  private running(jobId: number): CrawlJob {
    const job = this.service.get(jobId);
    if (job === undefined) throw new UserError(`job ${jobId} is not running`);
    return job;
  }

  /** Forwards a job's snapshots, its last one (finished, stopped, failed) included. */
  private watch(job: CrawlJob): void {
    const unsubscribe = job.onProgress((snapshot) => {
      for (const listener of this.listeners) listener(snapshot);
    });
    void job.finished.then(unsubscribe);
  }

  /** The stored record, with the live status (e.g. `stopping`) of a job running here. */
  private info(record: JobRecord): JobInfo {
    const live = this.service.get(record.id);
    return { ...record, status: live ? live.snapshot().status : record.status };
  }
}
