import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/engine/store/database';
import { JobStore } from '../../electron/engine/store/job-store';
import { queryPages } from '../../electron/engine/results/page-query';
import { FrontierStore } from '../../electron/engine/store-writer/frontier-store';
import { URL_STATE } from '../../electron/engine/store/url-state';
import { jobSettingsSchema } from '../../shared/job-settings';
import { databasePerTest } from '../helpers/temp-db';
import { fetchedPage } from '../results/stored-job';

const O = 'http://127.0.0.1:9';
const env = databasePerTest('text-index.sqlite');

/** FTS5's own check of pages_fts against the pages table: throws on any missing or extra row. */
const checkTextIndex = (db: Db) =>
  db.prepare("INSERT INTO pages_fts (pages_fts, rank) VALUES ('integrity-check', 1)").run();

const search = (jobId: number, text: string) =>
  queryPages(env.db, { jobId, filters: { text }, columns: [], limit: 1000 }).rows.map(
    (row) => row.url,
  );

/** A job of `count` URLs, `/p0`… `/pN`, whose page n has the title "tagNend common" (search matches word prefixes). */
function jobOf(count: number): { jobId: number; store: FrontierStore } {
  const jobId = new JobStore(env.db).create(
    jobSettingsSchema.parse({ startUrls: [`${O}/`], workers: 1 }),
  ).id;
  const store = new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' });
  store.seed(Array.from({ length: count }, (_, n) => `${O}/p${n}`));
  return { jobId, store };
}

const titleOf = (url: string) => `tag${url.slice(url.lastIndexOf('p') + 1)}end common`;

describe('full-text index of stored pages', () => {
  it('holds every page written, batch by batch, and nothing of failed URLs', () => {
    const { jobId, store } = jobOf(600);
    // Batches as the writer thread makes them: large, small, failures only, mixed.
    for (const size of [256, 3, 1, 250, 90]) {
      const tasks = store.lease(size);
      const failing = size === 1 ? tasks : tasks.filter((task) => task.id % 7 === 0);
      store.write({
        pages: tasks
          .filter((task) => !failing.includes(task))
          .map((task) => ({
            task,
            page: fetchedPage(task.url, { title: titleOf(task.url) }),
            workerPid: 1,
          })),
        failures: failing.map((task) => ({
          task,
          error: 'ECONNRESET',
          state: URL_STATE.failed,
          attempts: 3,
          redirects: [],
        })),
      });
    }
    const stored = env.db.prepare('SELECT url FROM pages WHERE job_id = ?').pluck().all(jobId);
    expect(stored.length).toBeGreaterThan(450);
    expect(() => checkTextIndex(env.db)).not.toThrow();
    expect(search(jobId, 'common')).toHaveLength(stored.length);
    for (const url of stored as string[])
      expect(search(jobId, titleOf(url).split(' ')[0]!)).toEqual([url]);
  });

  it('keeps two jobs written in turn apart', () => {
    const first = jobOf(40);
    const second = jobOf(40);
    for (const { store } of [first, second, first, second]) {
      store.write({
        pages: store.lease(20).map((task) => ({
          task,
          page: fetchedPage(task.url, { title: titleOf(task.url) }),
          workerPid: 1,
        })),
        failures: [],
      });
    }
    expect(() => checkTextIndex(env.db)).not.toThrow();
    expect(search(first.jobId, 'tag7end')).toEqual([`${O}/p7`]);
    expect(search(second.jobId, 'tag39end')).toEqual([`${O}/p39`]);
    expect(search(second.jobId, 'common')).toHaveLength(40);
  });
});
