import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../electron/cli/progress-line';
import type { ProgressSnapshot } from '../../shared/progress';

const snapshot = (patch: Partial<ProgressSnapshot>): ProgressSnapshot => ({
  jobId: 1,
  status: 'running',
  elapsedMs: 72_000,
  runElapsedMs: 12_000,
  crawled: 90,
  pagesDone: 690,
  failed: 0,
  blocked: 0,
  queued: 100,
  inFlight: 4,
  pagesPerSecond: 8,
  statusCounts: {},
  workers: [],
  recentErrors: [],
  eventLoopDelayP99Ms: 0,
  maxPages: null,
  ...patch,
});

describe('the terminal progress line', () => {
  it("shows a resumed job's whole crawl time with this run's apart, as the dashboard does", () => {
    expect(formatProgress(snapshot({}))).toMatch(/ · 1:12 \(this run 0:12\)$/);
    expect(formatProgress(snapshot({ elapsedMs: 12_000 }))).toMatch(/ · 0:12$/);
    expect(formatProgress(snapshot({ elapsedMs: null }))).toMatch(/ · 0:12 this run$/);
  });
});
