import type { JobInfo, JobStartInput } from '../../../shared/crawler-api';
import type { SliceCreator } from './app-store';
import { errorMessage } from './error-message';

export type LoadState = 'idle' | 'loading' | 'ready' | 'error';

export interface JobsSlice {
  jobs: JobInfo[];
  jobsState: LoadState;
  jobsError: string | null;
  /** The last failed stop/resume/resize, shown until the next action, a fresh look at the list or another screen. */
  actionError: string | null;
  /**
   * Jobs with an action on its way to the host: their buttons wait for its
   * answer, and another action on them is not sent (a double click on Run
   * again started two crawls, on Resume said the job was already running).
   */
  busyJobs: number[];
  dismissActionError(): void;
  refreshJobs(): Promise<void>;
  /** Starts a job (named `name`, else by its host) and shows its dashboard; rejects with the host's message. */
  startJob(input: JobStartInput, name?: string): Promise<JobInfo>;
  stopJob(jobId: number, force: boolean): Promise<void>;
  resumeJob(jobId: number, workers?: number): Promise<void>;
  resizePool(jobId: number, workers: number): Promise<void>;
  /** A new job with the settings and start URLs of an earlier one; shows its dashboard. */
  rerunJob(jobId: number): Promise<void>;
  /** Opens the New crawl form filled with a job's settings and start URLs, read from the host. */
  newCrawlFrom(jobId: number): Promise<void>;
  renameJob(jobId: number, name: string): Promise<void>;
  deleteJob(jobId: number): Promise<void>;
}

export const createJobsSlice: SliceCreator<JobsSlice> = (api) => (set, get) => {
  /**
   * Runs an action on a job, unless one is on its way already; a failure
   * lands in `actionError` instead of throwing, saying which action failed
   * (`Could not rename job 3: …`).
   */
  const act = async (jobId: number, failure: string, action: () => Promise<unknown>) => {
    if (get().busyJobs.includes(jobId)) return;
    set((state) => ({ actionError: null, busyJobs: [...state.busyJobs, jobId] }));
    try {
      await action();
    } catch (error) {
      set({ actionError: `${failure}: ${errorMessage(error)}` });
    } finally {
      set((state) => ({ busyJobs: state.busyJobs.filter((busy) => busy !== jobId) }));
    }
    await get().refreshJobs();
  };
  /** Lists a job the host just started (new or re-run) first and shows its dashboard. */
  const show = (job: JobInfo) => {
    set((state) => ({ jobs: [job, ...state.jobs.filter((other) => other.id !== job.id)] }));
    get().navigate('dashboard', job.id);
    return job;
  };
  let refreshing: Promise<void> | null = null;

  return {
    jobs: [],
    jobsState: 'idle',
    jobsError: null,
    actionError: null,
    busyJobs: [],
    dismissActionError: () => set({ actionError: null }),
    refreshJobs() {
      // One request at a time: progress of several ending jobs asks at once.
      refreshing ??= (async () => {
        if (get().jobsState !== 'ready') set({ jobsState: 'loading' });
        try {
          set({ jobs: await api.listJobs(), jobsState: 'ready', jobsError: null });
        } catch (error) {
          set({ jobsState: 'error', jobsError: errorMessage(error) });
        } finally {
          refreshing = null;
        }
      })();
      return refreshing;
    },
    startJob: async (input, name) => show(await api.startJob(input, name ? { name } : undefined)),
    stopJob: (jobId, force) =>
      act(jobId, `Could not stop job ${jobId}`, () => api.stopJob(jobId, { force })),
    resumeJob: (jobId, workers) =>
      act(jobId, `Could not resume job ${jobId}`, async () => {
        await api.resumeJob(jobId, workers === undefined ? undefined : { workers });
        get().navigate('dashboard', jobId);
      }),
    resizePool: (jobId, workers) =>
      act(jobId, `Could not resize the pool of job ${jobId}`, () => api.resizePool(jobId, workers)),
    rerunJob: (jobId) =>
      act(jobId, `Could not run job ${jobId} again`, async () => show(await api.rerunJob(jobId))),
    newCrawlFrom: (jobId) =>
      act(jobId, `Could not read the settings of job ${jobId}`, async () => {
        const stored = await api.getJobSettings(jobId);
        const name = get().jobs.find((job) => job.id === jobId)?.name ?? `job ${jobId}`;
        set({ formSource: { jobId, name, ...stored } });
        get().navigate('new');
      }),
    renameJob: (jobId, name) =>
      act(jobId, `Could not rename job ${jobId}`, () => api.renameJob(jobId, name)),
    deleteJob: (jobId) => act(jobId, `Could not delete job ${jobId}`, () => api.deleteJob(jobId)),
  };
};
