/**
 * What the readers by link target cost in a running job, whose latest links
 * (up to 65,536 since migration 14) are past the inlinks index's watermark:
 * each tree (--trees A,B, a worktree of an older commit beside this one)
 * writes the same job through its own FrontierStore, in batches of 96 pages
 * and without a run's end, then its own readers are timed round after round,
 * alternating trees in one process: the page detail of a URL with its
 * inlinks count and first screen of 100 inlinks (a URL every page links to,
 * and one with a few dozen), and the broken-links, sitemap-not-linked and
 * external-links reports read to the end. --ended ends the run first
 * (FrontierStore.release), as for a job that is not running. Prints each
 * round's ms and the medians.
 *
 *   npx tsx bench/inlinks-read-cost.ts [--pages 20064] [--links 48] [--rounds 7]
 *     [--trees .,/tmp/old] [--ended]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Db } from '../electron/engine/store/database';
import type { pageDetail, queryLinks } from '../electron/engine/results/page-detail';
import type { iterateReport } from '../electron/engine/results/reports';
import { outlinkColumns } from '../shared/outlinks';
import { fetchedPage } from '../tests/results/stored-job';
import { median, option, positiveInteger } from './bench-options';
import { loadSourceTree, type SourceTree } from './source-tree';

// 209 batches of 96 pages of 48 links: 64,512 links past the watermark at the end.
const PAGES = positiveInteger('pages', '20064');
const LINKS = positiveInteger('links', '48');
const ROUNDS = positiveInteger('rounds', '7');
const TREES = option('trees', '.').split(',');
const ENDED = process.argv.includes('--ended');
const BATCH = 96;
const SITE = 'http://127.0.0.1:9';

interface Readers {
  pageDetail: typeof pageDetail;
  queryLinks: typeof queryLinks;
  iterateReport: typeof iterateReport;
}

/** Writes the job through `tree`'s own store code; every 50th page answered 404. */
async function build(tree: SourceTree, file: string): Promise<{ db: Db; jobId: number }> {
  const db = tree.openDatabase(file);
  tree.tuneForWriting(db);
  const jobId = tree.createJob(db, [`${SITE}/p/0`]);
  const store = new tree.FrontierStore(db, jobId, { maxDepth: null, robotsAgent: 'Trawl' });
  store.seed(Array.from({ length: PAGES }, (_, i) => `${SITE}/p/${i}`));
  db.prepare('UPDATE frontier SET in_sitemap = 1 WHERE job_id = ?').run(jobId);
  let n = 0;
  for (let tasks = store.lease(BATCH); tasks.length > 0; tasks = store.lease(BATCH)) {
    store.write({
      pages: tasks.map((task) => {
        const i = n++;
        const outlinks = outlinkColumns(
          Array.from({ length: LINKS }, (_, k) =>
            k < 4
              ? {
                  url: `https://x${(i * 3 + k) % 500}.invalid/`,
                  text: 'away',
                  rel: null,
                  internal: false,
                }
              : {
                  url: `${SITE}/p/${k === 4 ? 1 : (i * 7 + k * 13) % PAGES}`,
                  text: `link ${k}`,
                  rel: null,
                  internal: true,
                },
          ),
        );
        const status = Number(/\d+$/.exec(task.url)![0]) % 50 === 0 ? 404 : 200;
        return {
          task,
          page: fetchedPage(task.url, { status, outlinks, linkCount: LINKS }),
          workerPid: 1,
        };
      }),
      failures: [],
    });
  }
  if (ENDED) store.release();
  return { db, jobId };
}

const trees = await Promise.all(TREES.map(loadSourceTree));
const readersOf = new Map<SourceTree, Readers>();
for (const tree of trees) {
  const root = resolve(tree.name);
  readersOf.set(tree, {
    ...(await import(join(root, 'electron/engine/results/page-detail.ts'))),
    ...(await import(join(root, 'electron/engine/results/reports.ts'))),
  });
}
const dir = mkdtempSync(join(tmpdir(), 'trawl-inlinks-read-'));
const jobs = new Map<SourceTree, { db: Db; jobId: number }>();
for (const [index, tree] of trees.entries()) {
  jobs.set(tree, await build(tree, join(dir, `tree-${index}.sqlite`)));
  const { db } = jobs.get(tree)!;
  const tail = db.prepare("SELECT name FROM sqlite_schema WHERE name = 'link_inlinks_upto'").get()
    ? db
        .prepare('SELECT count(*) FROM page_links WHERE id > (SELECT upto FROM link_inlinks_upto)')
        .pluck()
        .get()
    : 'no watermark';
  console.log(`${tree.name}: ${PAGES} pages of ${LINKS} links, links past the watermark: ${tail}`);
}

const time = (run: () => unknown) => {
  const started = performance.now();
  run();
  return performance.now() - started;
};
const readers: Record<string, (r: Readers, db: Db, jobId: number) => unknown> = {
  'detail, popular URL': (r, db, jobId) => {
    const url = `${SITE}/p/1`;
    r.pageDetail(db, { jobId, url });
    r.queryLinks(db, { jobId, url, direction: 'in', limit: 100 });
  },
  'detail, common URL': (r, db, jobId) => {
    const url = `${SITE}/p/777`;
    r.pageDetail(db, { jobId, url });
    r.queryLinks(db, { jobId, url, direction: 'in', limit: 100 });
  },
  'broken-links': (r, db, jobId) => [...r.iterateReport(db, jobId, 'broken-links').rows].length,
  'sitemap-not-linked': (r, db, jobId) =>
    [...r.iterateReport(db, jobId, 'sitemap-not-linked').rows].length,
  'external-links': (r, db, jobId) => [...r.iterateReport(db, jobId, 'external-links').rows].length,
};
const results = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  for (const tree of trees) {
    const { db, jobId } = jobs.get(tree)!;
    const line: string[] = [];
    for (const [name, read] of Object.entries(readers)) {
      const ms = time(() => read(readersOf.get(tree)!, db, jobId));
      const key = `${tree.name}\t${name}`;
      results.set(key, [...(results.get(key) ?? []), ms]);
      line.push(`${name} ${ms.toFixed(1)}`);
    }
    console.log(`  ${tree.name.padEnd(12)} ${line.join(', ')} ms`);
  }
}
for (const [key, ms] of results) {
  console.log(
    `${key.padEnd(40)} median ${median(ms).toFixed(1)} ms (${ms.map((m) => m.toFixed(1)).join(', ')})`,
  );
}
for (const { db } of jobs.values()) db.close();
rmSync(dir, { recursive: true, force: true });
