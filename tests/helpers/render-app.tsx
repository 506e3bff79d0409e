import { cleanup, render } from '@testing-library/react';
import { QueryService } from '../../electron/engine/results/query-service';
import type { Db } from '../../electron/engine/store/database';
import { App } from '../../renderer/src/App';
import { ResultsScreen } from '../../renderer/src/results/results-screen';
import { createAppStore } from '../../renderer/src/store/app-store';
import { syncLocation } from '../../renderer/src/store/location-sync';
import { AppContext } from '../../renderer/src/store/store-context';
import type { CrawlerApi, JobInfo } from '../../shared/crawler-api';
import { jobSettingsSchema } from '../../shared/job-settings';

/**
 * The app as `main.tsx` starts it (a fresh store that follows the address),
 * over a host that answers `methods` and its version and cores; a second
 * call after `cleanup()` is a reload. Returns the address sync's disconnect.
 */
export function renderApp(methods: Partial<Record<keyof CrawlerApi, unknown>>): () => void {
  const api = {
    getVersion: async () => '0.1.0',
    getCoreCount: async () => 2,
    onMenuCommand: () => () => {},
    onJobsChanged: () => () => {},
    ...methods,
  } as unknown as CrawlerApi;
  const store = createAppStore(api);
  const disconnect = syncLocation(store);
  render(
    <AppContext value={{ store, api }}>
      <App />
    </AppContext>,
  );
  return disconnect;
}

/**
 * The app over a real results service on `db()`, which `start` renders as
 * `main.tsx` starts it; a second `start` is a reload (the page before is
 * cleaned up). `methods` answers the host's methods, given the service.
 */
export function reloadableApp(
  db: () => Db,
  methods: (service: QueryService) => Partial<Record<keyof CrawlerApi, unknown>>,
): { start: () => void; stop: () => void } {
  let disconnect = () => {};
  const stop = () => {
    cleanup();
    disconnect();
    disconnect = () => {};
  };
  const start = () => {
    stop();
    disconnect = renderApp(methods(new QueryService(db(), () => undefined)));
  };
  return { start, stop };
}

/**
 * The results screen of `job` alone, over a real results service on `db`
 * that answers the results questions (and checks their arguments) as a host
 * does; `jobs` is the jobs list the store holds.
 */
export function renderResultsScreen(db: Db, job: JobInfo, jobs: JobInfo[] = []): void {
  const service = new QueryService(db, () => undefined);
  const answer = (method: string) => async (request: unknown) => service.call(method, [request]);
  const api = {
    queryPages: answer('queryPages'),
    seekPages: answer('seekPages'),
    pageDetail: answer('pageDetail'),
    queryLinks: answer('queryLinks'),
  } as unknown as CrawlerApi;
  const store = createAppStore(api);
  store.setState({ jobs });
  render(
    <AppContext value={{ store, api }}>
      <ResultsScreen job={job} />
    </AppContext>,
  );
}

/** A finished one-worker job of `pages` pages crawled from `startUrl`, as the host lists it. */
export function finishedJob(id: number, name: string, startUrl: string, pages: number): JobInfo {
  const { startUrls: _, ...settings } = jobSettingsSchema.parse({
    startUrls: [startUrl],
    workers: 1,
  });
  return {
    id,
    name,
    status: 'finished',
    settings,
    problem: null,
    firstStartUrl: startUrl,
    startUrlCount: 1,
    createdAt: 0,
    startedAt: 0,
    finishedAt: 1000,
    pages,
    failed: 0,
    blocked: 0,
    queued: null,
    crawlMs: 1000,
    crawledElsewhereBy: null,
  };
}
