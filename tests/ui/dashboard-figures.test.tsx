// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrawlerApi, JobInfo } from '../../shared/crawler-api';
import { jobSettingsSchema } from '../../shared/job-settings';
import type { ProgressSnapshot } from '../../shared/progress';
import { Dashboard } from '../../renderer/src/dashboard/dashboard';
import { createAppStore } from '../../renderer/src/store/app-store';
import { AppContext } from '../../renderer/src/store/store-context';

/** What the dashboard's figures cover, and that none contradicts another after a resume. */

afterEach(cleanup);

const JOB = {
  id: 1,
  name: 'example.com',
  status: 'running',
  settings: null,
  problem: null,
  firstStartUrl: 'https://example.com/',
  startUrlCount: 1,
  createdAt: 0,
  startedAt: 0,
  finishedAt: null,
  pages: 0,
  failed: 0,
  blocked: 0,
  queued: null,
  crawlMs: null,
  crawledElsewhereBy: null,
} as unknown as JobInfo;

/** Job 1, resumed: 600 pages crawled in 60 s before, and this run's figures on top. */
function resumed(patch: Partial<ProgressSnapshot>): ProgressSnapshot {
  const run = { runElapsedMs: 0, crawled: 0, ...patch };
  return {
    jobId: 1,
    status: 'running',
    elapsedMs: 60_000 + run.runElapsedMs,
    pagesDone: 600 + run.crawled,
    failed: 0,
    blocked: 0,
    queued: 100,
    inFlight: 4,
    pagesPerSecond: 0,
    statusCounts: {},
    workers: [],
    recentErrors: [],
    eventLoopDelayP99Ms: 0,
    maxPages: null,
    ...run,
  };
}

function renderDashboard(job = JOB) {
  const api = { listJobs: async () => [job], onProgress: () => () => {} } as unknown as CrawlerApi;
  const store = createAppStore(api);
  store.setState({ jobs: [job] });
  render(
    <AppContext value={{ store, api }}>
      <Dashboard job={job} coreCount={2} />
    </AppContext>,
  );
  const apply = (snapshot: ProgressSnapshot) => act(() => store.getState().applyProgress(snapshot));
  return { apply, store };
}

const counter = (key: string) => screen.getByTestId(`counter-${key}`).textContent;
const labelOf = (key: string) =>
  screen.getByTestId(`counter-${key}`).previousElementSibling?.textContent;
const chartPeak = () =>
  Number(/peak ([\d.]+)/.exec(screen.getByRole('figure').textContent ?? '')![1]);

describe('the dashboard of a resumed job', () => {
  it("counts the job's whole crawl time beside its total pages, with this run's apart", () => {
    const { apply } = renderDashboard();
    apply(resumed({ runElapsedMs: 12_000, crawled: 90, pagesPerSecond: 8 }));
    expect(counter('pages-done')).toBe('690');
    expect(labelOf('elapsed')).toBe('Elapsed');
    expect(counter('elapsed')).toBe('1:12');
    expect(labelOf('run-elapsed')).toBe('This run');
    expect(counter('run-elapsed')).toBe('0:12');
    expect(labelOf('rate')).toBe('Pages/s (last 5 s)');
    expect(counter('rate')).toBe('8.0');
  });

  it("ends with this run's average, never above the chart's peak, and a resume starts a new chart", () => {
    const { apply } = renderDashboard();
    // A run whose pages came in a burst at its end: the last 5 s ran at 0 pages/s
    // before it, and the burst came within the last second.
    apply(resumed({ runElapsedMs: 1000, crawled: 2 }));
    apply(resumed({ runElapsedMs: 2000, crawled: 4 }));
    apply(resumed({ runElapsedMs: 3000, crawled: 6 }));
    apply(resumed({ runElapsedMs: 3400, crawled: 40, status: 'finished', pagesPerSecond: 2 }));
    // 40 URLs in 3.4 s.
    expect(labelOf('rate')).toBe('Pages/s (this run’s average)');
    expect(counter('rate')).toBe('11.8');
    expect(chartPeak()).toBeGreaterThanOrEqual(11.8);

    // Resumed again: its chart starts over, its Elapsed goes on from the 63.4 s stored.
    apply({ ...resumed({ runElapsedMs: 1000, crawled: 5 }), elapsedMs: 64_400 });
    apply({ ...resumed({ runElapsedMs: 2000, crawled: 10 }), elapsedMs: 65_400 });
    expect(screen.getByRole('figure').textContent).toContain("this run's last 2 s");
    expect(chartPeak()).toBe(5);
    expect(counter('elapsed')).toBe('1:05');
    expect(counter('run-elapsed')).toBe('0:02');
  });

  it("says the time is this run's when the earlier runs' is unknown", () => {
    const { apply } = renderDashboard();
    apply({ ...resumed({ runElapsedMs: 5000, crawled: 20 }), elapsedMs: null });
    expect(labelOf('elapsed')).toBe('Elapsed (this run)');
    expect(counter('elapsed')).toBe('0:05');
    expect(screen.queryByTestId('counter-run-elapsed')).toBeNull();
  });
});

describe("the dashboard's recent errors", () => {
  it('say what they list, and open the 4xx, 5xx and failed URLs in the results', () => {
    const { apply, store } = renderDashboard();
    apply(resumed({ runElapsedMs: 1000 }));
    expect(screen.getByText('No errors so far.')).toBeTruthy();
    const error = { url: 'https://example.com/gone', error: 'HTTP 404 Not Found', at: 1 };
    apply(resumed({ runElapsedMs: 2000, recentErrors: [error] }));
    expect(screen.getByText(/answered 4xx or 5xx/)).toBeTruthy();
    expect(screen.getByText('HTTP 404 Not Found')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /4xx, 5xx and failed URLs/ }));
    expect(store.getState()).toMatchObject({
      view: 'results',
      resultsTab: 'urls',
      resultsFilters: { statusClasses: ['4xx', '5xx', 'failed'] },
    });
  });
});

describe('the dashboard of a job this page did not watch (opened later, or after a reload)', () => {
  const { startUrls: _, ...settings } = jobSettingsSchema.parse({
    startUrls: ['https://example.com/'],
    workers: 4,
    maxPages: 1000,
  });
  const stopped: JobInfo = {
    ...JOB,
    status: 'stopped',
    settings,
    pages: 600,
    failed: 12,
    blocked: 3,
    queued: 250,
    crawlMs: 61_000,
  };

  it('shows the figures its row stores, as the live view showed them at its end', () => {
    renderDashboard(stopped);
    expect(counter('pages-done')).toBe('600');
    expect(counter('failed')).toBe('12');
    expect(counter('blocked')).toBe('3');
    expect(counter('queued')).toBe('250');
    expect(counter('elapsed')).toBe('1:01');
    // 612 URLs over 61 s of crawling, as the live average counts them.
    expect(labelOf('rate')).toBe('Pages/s (average)');
    expect(counter('rate')).toBe('10.0');
    expect(counter('workers')).toBe('4');
    expect(counter('limit')).toBe('612 / 1,000');
    // No chart is stored: it says so instead of drawing an empty one.
    expect(screen.queryByRole('figure')).toBeNull();
    expect(screen.getByText(/shown only while a job runs/)).toBeTruthy();
  });

  it('leaves out what was not stored: the queue of a finished job, the time an older Trawl ran', () => {
    renderDashboard({ ...stopped, status: 'finished', queued: null, crawlMs: null });
    expect(counter('pages-done')).toBe('600');
    expect(screen.queryByTestId('counter-queued')).toBeNull();
    expect(screen.queryByTestId('counter-rate')).toBeNull();
    expect(screen.queryByTestId('counter-elapsed')).toBeNull();
    expect(screen.getByText(/crawl time was not stored/)).toBeTruthy();
  });
});
