import { describe, expect, it } from 'vitest';
import { JobAdmin } from '../../electron/engine/store/job-admin';
import { JobStore } from '../../electron/engine/store/job-store';
import { FrontierStore } from '../../electron/engine/store-writer/frontier-store';
import { jobSettingsSchema } from '../../shared/job-settings';
import { outlinkColumns, type Outlink } from '../../shared/outlinks';
import type { FetchedPage } from '../../shared/worker-protocol';
import { databasePerTest } from '../helpers/temp-db';
import { fetchedPage } from '../results/stored-job';

const O = 'http://127.0.0.1:9';
const env = databasePerTest('links.sqlite');

const link = (path: string, text = path, internal = true): Outlink => ({
  url: path.startsWith('http') ? path : `${O}${path}`,
  text,
  rel: null,
  internal,
});

function newJob(): number {
  return new JobStore(env.db).create(jobSettingsSchema.parse({ startUrls: [`${O}/`], workers: 1 }))
    .id;
}

/** Stores one page per leased URL of `jobId`, its fields from `pageOf(url)`, through a store as a job run has one. */
function crawlStep(store: FrontierStore, pageOf: (url: string) => Partial<FetchedPage>): void {
  store.write({
    pages: store
      .lease(100)
      .map((task) => ({ task, page: fetchedPage(task.url, pageOf(task.url)), workerPid: 1 })),
    failures: [],
  });
}

const links = (jobId: number) =>
  env.db
    .prepare(
      `SELECT src.url AS fromUrl, l.to_url AS toUrl, l.anchor, l.internal FROM links l
       JOIN pages src ON src.id = l.from_page WHERE l.job_id = ? ORDER BY l.id`,
    )
    .all(jobId);
const targets = (jobId: number) =>
  env.db.prepare('SELECT url FROM link_targets WHERE job_id = ? ORDER BY url').pluck().all(jobId);

describe('link storage (interned link targets)', () => {
  it('stores each distinct target once per job, links in document order, and a resumed run finds earlier targets', () => {
    const jobId = newJob();
    const first = new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' });
    first.seed([`${O}/`]);
    crawlStep(first, () => ({
      outlinks: outlinkColumns([
        link('/a', 'A'),
        link('/b', 'B'),
        link('/a', 'A again'),
        link('http://x.invalid/', 'X', false),
      ]),
      links: [`${O}/a`, `${O}/b`],
    }));
    // A resumed run: a new store and writer, with nothing remembered.
    const resumed = new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' });
    crawlStep(resumed, (url) => ({
      outlinks: outlinkColumns(
        url.endsWith('/a') ? [link('/b', 'B from a'), link('/', 'Home')] : [link('/a', 'A from b')],
      ),
    }));

    expect(targets(jobId)).toEqual([`${O}/`, `${O}/a`, `${O}/b`, 'http://x.invalid/']);
    expect(links(jobId)).toEqual([
      { fromUrl: `${O}/`, toUrl: `${O}/a`, anchor: 'A', internal: 1 },
      { fromUrl: `${O}/`, toUrl: `${O}/b`, anchor: 'B', internal: 1 },
      { fromUrl: `${O}/`, toUrl: `${O}/a`, anchor: 'A again', internal: 1 },
      { fromUrl: `${O}/`, toUrl: 'http://x.invalid/', anchor: 'X', internal: 0 },
      { fromUrl: `${O}/a`, toUrl: `${O}/b`, anchor: 'B from a', internal: 1 },
      { fromUrl: `${O}/a`, toUrl: `${O}/`, anchor: 'Home', internal: 1 },
      { fromUrl: `${O}/b`, toUrl: `${O}/a`, anchor: 'A from b', internal: 1 },
    ]);
  });

  it('after a batch rolls back, its writer refuses more writes and a new one stores the pages with their targets', () => {
    const jobId = newJob();
    const store = new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' });
    store.seed([`${O}/`, `${O}/bad`]);
    const tasks = store.lease(2);
    const batch = (hopStatus: number | null) => ({
      pages: tasks.map((task) => ({
        task,
        page: fetchedPage(task.url, {
          outlinks: outlinkColumns([link('/new', 'New')]),
          // A hop status the schema refuses (NOT NULL; the page row takes it as its own status)
          // fails the batch after /new was stored.
          redirects: task.url.endsWith('/bad')
            ? [{ url: `${O}/old`, status: hopStatus as number, location: '/bad' }]
            : [],
        }),
        workerPid: 1,
      })),
      failures: [],
    });
    expect(() => store.write(batch(null))).toThrow(/NOT NULL/);
    expect(targets(jobId)).toEqual([]);
    // Its memo remembers an id the rollback undid: it must not write again.
    expect(() => store.write(batch(301))).toThrow(/not written after an earlier failure/);

    new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' }).write(batch(301));
    expect(targets(jobId)).toEqual([`${O}/new`]);
    expect(links(jobId)).toHaveLength(2);
    expect(env.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('targets belong to their job: deleting a job removes its links and targets, another job keeps the same URLs', async () => {
    const [kept, deleted] = [newJob(), newJob()];
    for (const jobId of [kept, deleted]) {
      const store = new FrontierStore(env.db, jobId, { maxDepth: null, robotsAgent: 'Trawl' });
      store.seed([`${O}/`]);
      crawlStep(store, () => ({ outlinks: outlinkColumns([link('/a'), link('/b')]) }));
      new JobStore(env.db).markEnded(jobId, 'finished', 0);
    }
    expect(targets(deleted)).toEqual([`${O}/a`, `${O}/b`]);

    await new JobAdmin(env.db).delete(deleted);

    expect(targets(deleted)).toEqual([]);
    expect(links(deleted)).toEqual([]);
    expect(env.db.prepare('SELECT count(*) FROM page_links').pluck().get()).toBe(2);
    expect(targets(kept)).toEqual([`${O}/a`, `${O}/b`]);
    expect(links(kept)).toHaveLength(2);
    expect(env.db.pragma('foreign_key_check')).toEqual([]);
  });
});
