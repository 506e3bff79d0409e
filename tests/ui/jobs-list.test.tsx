// @vitest-environment jsdom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CrawlerApi, JobInfo } from '../../shared/crawler-api';
import { HostError } from '../../renderer/src/api/ws-client';
import { JobsList } from '../../renderer/src/jobs/jobs-list';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';
import { jobSettingsSchema } from '../../shared/job-settings';

/** The jobs list's actions, over a host that keeps its jobs in an array. */

const { startUrls: _, ...settings } = jobSettingsSchema.parse({
  startUrls: ['https://example.com/'],
  workers: 2,
  include: ['/docs/'],
});
let jobs: JobInfo[];
let reran: number[];

beforeEach(() => {
  reran = [];
  jobs = [
    {
      id: 1,
      name: 'example.com',
      status: 'finished',
      settings,
      problem: null,
      firstStartUrl: 'https://example.com/',
      startUrlCount: 1200,
      createdAt: 0,
      startedAt: 0,
      finishedAt: 1000,
      pages: 12,
      failed: 0,
      blocked: 0,
      queued: null,
      crawlMs: 65_000,
      crawledElsewhereBy: null,
    },
  ];
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderList() {
  const api = {
    listJobs: async () => jobs,
    rerunJob: async (id: number) => {
      reran.push(id);
      const job = { ...jobs[0]!, id: jobs.length + 1, status: 'running' as const };
      jobs = [job, ...jobs];
      return job;
    },
    renameJob: async (id: number, name: string) => {
      jobs = jobs.map((job) => (job.id === id ? { ...job, name } : job));
    },
    deleteJob: async (id: number) => {
      if (jobs.find((job) => job.id === id)?.status === 'running')
        throw new HostError({ name: 'UserError', message: `job ${id} is running: stop it first` });
      jobs = jobs.filter((job) => job.id !== id);
    },
    onProgress: () => () => {},
  } as unknown as CrawlerApi;
  const store = createAppStore(api);
  void store.getState().refreshJobs();
  render(
    <AppContext value={{ store, api }}>
      <JobsList />
    </AppContext>,
  );
  return store;
}

describe('jobs list', () => {
  it('shows what a job crawls, runs it again, renames it, and deletes it after asking', async () => {
    const user = userEvent.setup();
    const store = renderList();
    expect((await screen.findByTestId('job-start')).textContent).toBe(
      'https://example.com/ and 1,199 more',
    );
    await user.click(
      screen.getByRole('button', { name: 'Run job 1 again with the same settings' }),
    );
    // The host re-reads the settings and start URLs; the page sends only the job.
    expect(reran).toEqual([1]);
    expect(store.getState()).toMatchObject({ view: 'dashboard', selectedJobId: 2 });

    const prompt = vi.spyOn(window, 'prompt').mockReturnValue('  docs crawl ');
    await user.click(screen.getByRole('button', { name: 'Rename job 1' }));
    expect(jobs.find((job) => job.id === 1)?.name).toBe('docs crawl');
    // The question says what an empty answer gives back.
    expect(prompt).toHaveBeenCalledWith(
      'New name for job 1 (empty: example.com, its default name)',
      'example.com',
    );

    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);
    await user.click(screen.getByRole('button', { name: 'Delete job 1' }));
    expect(jobs.map((job) => job.id)).toContain(1);
    confirm.mockReturnValue(true);
    await user.click(screen.getByRole('button', { name: 'Delete job 1' }));
    expect(jobs.map((job) => job.id)).not.toContain(1);
  });

  it("shows each job's crawl time over its runs, and a dash where an older Trawl ran it", async () => {
    jobs = [{ ...jobs[0]!, id: 2, crawlMs: null }, ...jobs];
    renderList();
    const [older, timed] = await screen.findAllByTestId('job-row');
    const crawlTime = (row: HTMLElement) => within(row).getAllByRole('cell').at(-2)!.textContent;
    expect(screen.getAllByRole('columnheader').at(-2)!.textContent).toBe('Crawl time');
    expect(crawlTime(timed!)).toBe('1:05');
    expect(crawlTime(older!)).toBe('–');
  });

  it("follows a running job's pages, failures and crawl time live, not only its status", async () => {
    jobs = [{ ...jobs[0]!, status: 'running', pages: 23, failed: 0, crawlMs: 2_000 }];
    const store = renderList();
    const [row] = await screen.findAllByTestId('job-row');
    const cells = () =>
      within(row!)
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
    expect(cells().slice(1, 4)).toEqual(['running', '23', '0']);
    act(() =>
      store.getState().applyProgress({
        jobId: 1,
        status: 'running',
        elapsedMs: 75_000,
        runElapsedMs: 75_000,
        crawled: 170,
        pagesDone: 163,
        failed: 7,
        blocked: 0,
        queued: 40,
        inFlight: 4,
        pagesPerSecond: 2,
        statusCounts: { '200': 163 },
        workers: [],
        recentErrors: [],
        eventLoopDelayP99Ms: 0,
        maxPages: null,
      }),
    );
    expect(cells().slice(1, 4)).toEqual(['running', '163', '7']);
    expect(cells().at(-2)).toBe('1:15');
  });

  it('shows why a job cannot be run, in place of its start URL', async () => {
    jobs[0] = { ...jobs[0]!, settings: null, problem: 'unreadable settings: not JSON' };
    renderList();
    expect((await screen.findByTestId('job-problem')).textContent).toBe(
      'unreadable settings: not JSON',
    );
    expect(screen.queryByTestId('job-start')).toBeNull();
  });

  it("shows the host's refusal to delete a running job", async () => {
    jobs[0] = { ...jobs[0]!, status: 'running' };
    const user = userEvent.setup();
    renderList();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(await screen.findByRole('button', { name: 'Delete job 1' }));
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'Could not delete job 1: job 1 is running: stop it first',
    );
    expect(within(screen.getByRole('table')).getAllByTestId('job-row')).toHaveLength(1);
    // A fresh look at the list clears it.
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("leaves a failed action's message on the screen it was tried on", async () => {
    jobs[0] = { ...jobs[0]!, status: 'running' };
    const user = userEvent.setup();
    const store = renderList();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(await screen.findByRole('button', { name: 'Delete job 1' }));
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      'Could not delete job 1: job 1 is running: stop it first',
    );
    act(() => store.getState().navigate('dashboard', 1));
    expect(store.getState().actionError).toBeNull();
    act(() => store.getState().navigate('jobs'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lists the jobs again each time it opens: another tab may have deleted one', async () => {
    const store = renderList();
    expect(await screen.findAllByTestId('job-row')).toHaveLength(1);
    jobs = [];
    cleanup(); // another screen
    render(
      <AppContext value={{ store, api: { listJobs: async () => jobs } as unknown as CrawlerApi }}>
        <JobsList />
      </AppContext>,
    );
    expect(await screen.findByText('No crawls yet.')).toBeTruthy();
  });
});
