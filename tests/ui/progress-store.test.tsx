import { describe, expect, it } from 'vitest';
import type { CrawlerApi, JobInfo } from '../../shared/crawler-api';
import type { ProgressSnapshot } from '../../shared/progress';
import { createAppStore } from '../../renderer/src/store/app-store';
import { RATE_HISTORY_POINTS } from '../../renderer/src/store/rate-history';

function snapshot(jobId: number, patch: Partial<ProgressSnapshot> = {}): ProgressSnapshot {
  return {
    jobId,
    status: 'running',
    elapsedMs: 1000,
    runElapsedMs: 1000,
    crawled: 10,
    pagesDone: 10,
    failed: 0,
    blocked: 0,
    queued: 5,
    inFlight: 2,
    pagesPerSecond: 4,
    statusCounts: { '200': 10 },
    workers: [],
    recentErrors: [],
    eventLoopDelayP99Ms: 0,
    maxPages: null,
    ...patch,
  };
}

/** A host that only answers listJobs (what the progress store asks of it), counting calls. */
function hostListing(jobs: Partial<JobInfo>[]) {
  const calls = { listJobs: 0 };
  const api = {
    listJobs: async () => {
      calls.listJobs++;
      return jobs as JobInfo[];
    },
  } as unknown as CrawlerApi;
  return { api, calls };
}

describe('the progress store', () => {
  it('keeps the latest snapshot of each job', () => {
    const store = createAppStore(hostListing([{ id: 1 }, { id: 2 }]).api);
    store.setState({ jobs: [{ id: 1 } as JobInfo, { id: 2 } as JobInfo] });
    store.getState().applyProgress(snapshot(1, { pagesDone: 5 }));
    store.getState().applyProgress(snapshot(2, { pagesDone: 7 }));
    store.getState().applyProgress(snapshot(1, { pagesDone: 9 }));
    expect(store.getState().progress[1]!.pagesDone).toBe(9);
    expect(store.getState().progress[2]!.pagesDone).toBe(7);
  });

  it('records pages/s once a second of the run for the chart, and only the last few minutes', () => {
    const store = createAppStore(hostListing([{ id: 1 }]).api);
    store.setState({ jobs: [{ id: 1 } as JobInfo] });
    const apply = (runElapsedMs: number, crawled: number) =>
      store.getState().applyProgress(snapshot(1, { runElapsedMs, crawled }));
    apply(400, 2); // within the run's first second: no point yet
    apply(1000, 3);
    apply(1500, 6); // the same second: no new point
    apply(2500, 9);
    expect(store.getState().rateHistory[1]).toEqual([
      { at: 0, crawled: 0, pagesPerSecond: 0 },
      { at: 1000, crawled: 3, pagesPerSecond: 3 },
      { at: 2500, crawled: 9, pagesPerSecond: 4 },
    ]);
    for (let second = 3; second < RATE_HISTORY_POINTS + 50; second++) {
      apply(second * 1000, second * 10);
    }
    const history = store.getState().rateHistory[1]!;
    expect(history).toHaveLength(RATE_HISTORY_POINTS);
    expect(history.at(-1)).toEqual({
      at: (RATE_HISTORY_POINTS + 49) * 1000,
      crawled: (RATE_HISTORY_POINTS + 49) * 10,
      pagesPerSecond: 10,
    });
  });

  it('starts the chart of a run first seen mid-way (a reload, a second tab) at its current rate', () => {
    const store = createAppStore(hostListing([{ id: 1 }]).api);
    store.setState({ jobs: [{ id: 1 } as JobInfo] });
    // Ten minutes in, 6000 URLs: 10/s on average, 2/s over the last 5 s.
    const apply = (runElapsedMs: number, crawled: number, pagesPerSecond: number) =>
      store.getState().applyProgress(snapshot(1, { runElapsedMs, crawled, pagesPerSecond }));
    apply(600_000, 6000, 2);
    apply(601_000, 6002, 2);
    apply(602_000, 6005, 3);
    // No point averages the ten minutes the page did not see (10/s, five times the rate).
    expect(store.getState().rateHistory[1]).toEqual([
      { at: 600_000, crawled: 6000, pagesPerSecond: 2 },
      { at: 601_000, crawled: 6002, pagesPerSecond: 2 },
      { at: 602_000, crawled: 6005, pagesPerSecond: 3 },
    ]);
  });

  it('refreshes the job list when a job ends or an unknown job reports', async () => {
    const { api, calls } = hostListing([{ id: 1, status: 'finished' }]);
    const store = createAppStore(api);
    store.getState().applyProgress(snapshot(1)); // not listed yet
    await store.getState().refreshJobs();
    const afterUnknown = calls.listJobs;
    expect(afterUnknown).toBeGreaterThanOrEqual(1);
    store.getState().applyProgress(snapshot(1)); // listed and still running: no refresh
    expect(calls.listJobs).toBe(afterUnknown);
    store.getState().applyProgress(snapshot(1, { status: 'finished' }));
    await store.getState().refreshJobs();
    expect(calls.listJobs).toBeGreaterThan(afterUnknown);
    expect(store.getState().jobs).toEqual([{ id: 1, status: 'finished' }]);
  });

  it('after a lost connection, forgets what was running and lists the jobs again', async () => {
    const host = hostListing([
      { id: 1, status: 'finished' },
      { id: 2, status: 'stopped' },
    ]);
    const store = createAppStore(host.api);
    store.setState({ jobs: [{ id: 1 } as JobInfo, { id: 2 } as JobInfo] });
    store.getState().applyProgress(snapshot(1, { status: 'running', pagesDone: 9 }));
    store.getState().applyProgress(snapshot(2, { status: 'stopped', pagesDone: 4 }));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the refresh job 2's end asked for
    const { setConnection } = store.getState();
    const listed = host.calls.listJobs;
    setConnection('connecting');
    setConnection('open');
    expect(host.calls.listJobs).toBe(listed); // the first connection: nothing missed

    setConnection('closed');
    // Each reconnect attempt: the page still says the connection is lost.
    setConnection('connecting');
    expect(store.getState().connection).toBe('closed');
    setConnection('open');
    // Job 1 ended unseen meanwhile: its last snapshot ("running", 9 pages) must not stay on screen.
    expect(Object.keys(store.getState().progress)).toEqual(['2']);
    expect(host.calls.listJobs).toBe(listed + 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState().jobs.map((job) => job.status)).toEqual(['finished', 'stopped']);
  });
});
