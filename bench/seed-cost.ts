/**
 * Seeding a job's long URL list through the store writer thread, while
 * another connection to the file writes a row every 20 ms, as another job's
 * writer would. Prints how long the seed took and, for the other writer,
 * how many writes it made, its longest wait for the write lock and how many
 * gave up (SQLITE_BUSY after --busy-ms).
 *
 * --trees A,B alternates source trees (a clone of an older commit beside
 * this one) run after run; each run starts a fresh database.
 *
 *   npx tsx bench/seed-cost.ts [--urls 1000000] [--runs 3] [--busy-ms 2000]
 *     [--trees .,/tmp/old]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../electron/engine/store/database';
import { option, positiveInteger } from './bench-options';
import { alternateTrees, writeMeanwhile } from './other-writer';
import { loadSourceTree, type SourceTree } from './source-tree';

const URLS = positiveInteger('urls', '1000000');
const RUNS = positiveInteger('runs', '3');
const BUSY_MS = positiveInteger('busy-ms', '2000');
const TREES = option('trees', '.').split(',');
const ORIGIN = 'http://127.0.0.1:9';

/** A writer thread for a job of start URLs on one host, crawled to depth 0. */
const storeWriter = (tree: SourceTree, db: Db, jobId: number) =>
  new tree.StoreWriter(
    db,
    {
      jobId,
      maxDepth: 0,
      robotsAgent: 'Trawl',
      scope: { scope: 'host', startUrls: [`${ORIGIN}/`], include: [], exclude: [] },
      recordExternal: false,
      urls: tree.defaultUrlRules,
      honourNofollow: true,
    },
    () => undefined,
  );

async function seedOnce(tree: SourceTree, urls: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'trawl-seed-cost-'));
  const file = join(dir, 'bench.sqlite');
  try {
    const db = tree.openDatabase(file);
    const otherJob = tree.createJob(db, [`${ORIGIN}/`]);
    const jobId = tree.createJob(db, urls);
    const writer = storeWriter(tree, db, jobId);
    await writer.lease(0); // the thread started, before the clock does
    db.pragma(`busy_timeout = ${BUSY_MS}`);
    let seconds = 0;
    const started = performance.now();
    const seeding = writer.seedStartUrls().then(() => {
      seconds = (performance.now() - started) / 1000;
    });
    const other = await writeMeanwhile(db, otherJob, () => seconds > 0);
    await seeding;
    await writer.close();
    db.close();
    return { seconds, ...other };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const trees = await Promise.all(TREES.map(loadSourceTree));
const urls = Array.from({ length: URLS }, (_, i) => `${ORIGIN}/item/${i}?ref=${i % 7}`);
console.log(`${URLS} start URLs, another writer waiting up to ${BUSY_MS} ms, ${RUNS} runs a tree`);
await alternateTrees(trees, RUNS, 'seed', (tree) => seedOnce(tree, urls));
