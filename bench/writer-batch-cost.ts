/**
 * What the store writer thread spends on a crawl's results, with no crawl
 * around it: the synthetic site's HTML pages (analysed once, as in
 * page-write-cost.ts) go through FrontierStore.write in batches, as the
 * thread gets them: each page's frontier row marked done, its row, links,
 * extraction values and hops written, the links it found queued, one commit
 * a batch, then the run's end (FrontierStore.release). Before each batch,
 * outside the timing, the batch's URLs are leased as main would have leased
 * them. Prints the CPU ms a page of the writes alone and the bytes written
 * (the WAL) a page.
 *
 * --trees A,B alternates source trees (a git worktree of an older commit
 * beside this one) in one process, run after run, so both see the same
 * machine, each writing the pages its own worker code reports;
 * --without-index drops indexes from each fresh database first, to see what
 * they cost; --check prints a digest of what was stored, so trees can be
 * shown to store the same rows. --copies K writes the pages K times, each
 * copy after the first under its own path (/c1/…, /c2/…), for a job of about 100,000 pages
 * whose link index outgrows the writer's cache as a large crawl's does.
 * --per-commit 1,5 alternates one batch a transaction with 5 batches a
 * transaction, as the writer thread's CommitGroup runs them (the commit
 * timed too).
 *
 *   npx tsx bench/writer-batch-cost.ts [--pages 19700] [--batch 96] [--runs 5]
 *     [--trees .,/tmp/old] [--without-index pages_job_title,...] [--check]
 *     [--copies 5] [--per-commit 1,5]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Db } from '../electron/engine/store/database';
import type { StoredPage } from '../electron/engine/store-writer/frontier-store';
import type { FetchedPage } from '../shared/worker-protocol';
import { BENCH_ORIGIN, type analysedPages } from './analysed-pages';
import { median, option, positiveInteger, positiveIntegers } from './bench-options';
import { bytesWritten } from './bench-processes';
import { loadSourceTree, type SourceTree } from './source-tree';

const PAGES = positiveInteger('pages', '19700');
const BATCH = positiveInteger('batch', '96');
const RUNS = positiveInteger('runs', '5');
const TREES = option('trees', '.').split(',');
const WITHOUT_INDEX = option('without-index', '').split(',').filter(Boolean);
const CHECK = process.argv.includes('--check');
const COPIES = positiveInteger('copies', '1');
const PER_COMMIT = positiveIntegers('per-commit', '1');

/** What each table holds, in a stable order, hashed. */
function digest(db: Db): string {
  const hash = createHash('sha256');
  for (const sql of [
    'SELECT * FROM pages ORDER BY id',
    'SELECT from_page, to_url, anchor, rel, internal FROM links ORDER BY id',
    'SELECT id, url, depth, state, found_on FROM frontier ORDER BY id',
    'SELECT * FROM extractions ORDER BY page_id, name, position',
    'SELECT * FROM redirects ORDER BY frontier_id, hop',
    "SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'page' ORDER BY rowid",
  ]) {
    for (const row of db.prepare(sql).raw().iterate()) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex').slice(0, 16);
}

/** `page` as it reads under the path prefix /c`copy`, its links into the same copy. */
function inCopy(page: FetchedPage, copy: number): FetchedPage {
  const move = (url: string) =>
    url.startsWith(`${BENCH_ORIGIN}/`)
      ? `${BENCH_ORIGIN}/c${copy}${url.slice(BENCH_ORIGIN.length)}`
      : url;
  return {
    ...page,
    finalUrl: move(page.finalUrl),
    redirects: page.redirects.map((hop) => ({ ...hop, url: move(hop.url) })),
    outlinks: { ...page.outlinks, urls: page.outlinks.urls.map(move) },
    links: page.links.map(move),
  };
}

/** Writes every page through `tree`'s FrontierStore into a fresh database. */
async function writeAll(tree: SourceTree, pages: readonly FetchedPage[], perCommit: number) {
  const dir = mkdtempSync(join(tmpdir(), 'trawl-writer-batch-'));
  try {
    const db = tree.openDatabase(join(dir, 'bench.sqlite'));
    tree.tuneForWriting(db);
    for (const index of WITHOUT_INDEX) db.exec(`DROP INDEX ${index}`);
    const jobId = tree.createJob(db, [`${BENCH_ORIGIN}/`]);
    const grouped = perCommit > 1;
    const store = new tree.FrontierStore(db, jobId, {
      maxDepth: null,
      robotsAgent: 'Trawl',
      accepts: (url: string) => url.startsWith(`${BENCH_ORIGIN}/`),
      inCallersTransaction: grouped,
    });
    await store.seedStartUrls();
    const find = db.prepare('SELECT id, depth FROM frontier WHERE job_id = ? AND url = ?');
    const add = db.prepare(
      'INSERT INTO frontier (job_id, url, depth, state) VALUES (?, ?, 1, 1) RETURNING id, depth',
    );
    const lease = db.prepare('UPDATE frontier SET state = 1 WHERE id = ?');
    const leaseEach = (batch: readonly FetchedPage[]): StoredPage[] =>
      batch.map((page) => {
        const url = page.finalUrl;
        let row = find.get(jobId, url) as { id: number; depth: number } | undefined;
        if (row) lease.run(row.id);
        else row = add.get(jobId, url) as { id: number; depth: number };
        return { task: { id: row.id, url, depth: row.depth }, page, workerPid: 4242 };
      });
    const leaseBatch = grouped ? leaseEach : db.transaction(leaseEach);
    let micros = 0;
    let bytes = 0;
    const timed = (write: () => void) => {
      const written = bytesWritten('self');
      const started = process.cpuUsage();
      write();
      const used = process.cpuUsage(started);
      micros += used.user + used.system;
      bytes += bytesWritten('self') - written;
    };
    let inGroup = 0;
    for (let from = 0; from < pages.length; from += BATCH) {
      if (grouped && inGroup === 0) db.exec('BEGIN IMMEDIATE');
      const batch = leaseBatch(pages.slice(from, from + BATCH));
      timed(() => store.write({ pages: batch, failures: [], crawlMs: null }));
      if (grouped && ++inGroup === perCommit) {
        timed(() => db.exec('COMMIT'));
        inGroup = 0;
      }
    }
    if (inGroup > 0) timed(() => db.exec('COMMIT'));
    // A run's end, which indexes what the batches left unindexed.
    const written = bytesWritten('self');
    const started = process.cpuUsage();
    store.release();
    const used = process.cpuUsage(started);
    micros += used.user + used.system;
    bytes += bytesWritten('self') - written;
    const stored = CHECK ? digest(db) : '';
    db.close();
    return { cpuMs: micros / 1000 / pages.length, kb: bytes / 1024 / pages.length, stored };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const trees = await Promise.all(TREES.map(loadSourceTree));
// Each tree's pages from its own worker code: trees may differ in a result's shape.
const pagesOf = new Map<SourceTree, FetchedPage[]>();
for (const tree of trees) {
  const own = await import(join(resolve(tree.name), 'bench/analysed-pages.ts'));
  const pages = (own.analysedPages as typeof analysedPages)(PAGES, 20_000);
  pagesOf.set(
    tree,
    Array.from({ length: COPIES }, (_, copy) =>
      copy === 0 ? pages : pages.map((page) => inCopy(page, copy)),
    ).flat(),
  );
}
console.log(
  `${pagesOf.get(trees[0]!)!.length} pages, batches of ${BATCH}, ${RUNS} runs a tree, Node ${process.version}` +
    (WITHOUT_INDEX.length > 0 ? `, without ${WITHOUT_INDEX.join(', ')}` : ''),
);
const label = (tree: SourceTree, perCommit: number) =>
  PER_COMMIT.length > 1 ? `${tree.name}, ${perCommit} a commit` : tree.name;
const runs = new Map<string, number[]>();
for (let run = 0; run < RUNS; run++) {
  for (const tree of trees) {
    for (const perCommit of PER_COMMIT) {
      const { cpuMs, kb, stored } = await writeAll(tree, pagesOf.get(tree)!, perCommit);
      const name = label(tree, perCommit);
      runs.set(name, [...(runs.get(name) ?? []), cpuMs]);
      console.log(
        `  ${name.padEnd(20)} ${cpuMs.toFixed(3)} ms a page, ${kb.toFixed(1)} KB written a page` +
          (CHECK ? `, stored ${stored}` : ''),
      );
    }
  }
}
for (const [name, cpuMs] of runs) {
  console.log(`${name.padEnd(22)} median ${median(cpuMs).toFixed(3)} ms a page`);
}
