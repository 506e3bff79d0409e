/**
 * What storing a crawled page costs in SQLite, with no crawl around it: the
 * synthetic site's HTML pages go through the worker's analysis (analyzePage,
 * two regex extraction rules) once, then are written through the real
 * PageWriter into a fresh database, B pages per transaction as the store
 * writer thread does. Prints CPU ms per page (median of --runs), and the cost
 * split by leaving parts out: the page row alone (FTS trigger and indexes
 * included), then with its links, its extraction values, its redirect hops.
 *
 *   npx tsx bench/page-write-cost.ts [--pages 5000] [--site-pages 20000]
 *     [--runs 5] [--batches 64,256]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, tuneForWriting } from '../electron/engine/store/database';
import { JobStore } from '../electron/engine/store/job-store';
import { PageWriter } from '../electron/engine/store/page-writer';
import { jobSettingsSchema } from '../shared/job-settings';
import { outlinkColumns } from '../shared/outlinks';
import type { FetchedPage } from '../shared/worker-protocol';
import { analysedPages } from './analysed-pages';
import { median, positiveInteger, positiveIntegers } from './bench-options';

const PAGES = positiveInteger('pages', '5000');
const SITE_PAGES = positiveInteger('site-pages', '20000');
const RUNS = positiveInteger('runs', '5');
const BATCHES = positiveIntegers('batches', '64,256');

/** Each variant leaves parts of a page out; their differences are the cost split. */
const VARIANTS: Record<string, (page: FetchedPage) => FetchedPage> = {
  'page row': (page) => ({ ...page, outlinks: outlinkColumns([]), extracted: {}, redirects: [] }),
  '+ links': (page) => ({ ...page, extracted: {}, redirects: [] }),
  '+ extractions': (page) => ({ ...page, redirects: [] }),
  '+ redirects (all)': (page) => page,
};

/** Writes `pages` into a fresh database, `batch` per transaction; CPU ms per page and file bytes. */
function writeAll(pages: readonly FetchedPage[], batch: number): { cpuMs: number; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'trawl-page-write-'));
  try {
    const file = join(dir, 'bench.sqlite');
    const db = openDatabase(file);
    tuneForWriting(db);
    const jobId = new JobStore(db).create(
      jobSettingsSchema.parse({ startUrls: ['http://127.0.0.1:8080/'], workers: 2 }),
    ).id;
    const addUrl = db.prepare(
      'INSERT INTO frontier (job_id, url, depth, state) VALUES (?, ?, 1, 2)',
    );
    const frontierIds = db.transaction(() =>
      pages.map((page) => Number(addUrl.run(jobId, page.finalUrl).lastInsertRowid)),
    )();
    const writer = new PageWriter(db, jobId, 'Trawl');
    const write = db.transaction((from: number) => {
      const to = Math.min(from + batch, pages.length);
      for (let i = from; i < to; i++) {
        const page = pages[i]!;
        writer.writePage(frontierIds[i]!, page.finalUrl, 1, page, 4242);
      }
      writer.indexText();
    });
    const started = process.cpuUsage();
    for (let from = 0; from < pages.length; from += batch) write(from);
    const used = process.cpuUsage(started);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return { cpuMs: (used.user + used.system) / 1000 / pages.length, bytes: statSync(file).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const full = analysedPages(PAGES, SITE_PAGES);
const links = full.reduce((sum, page) => sum + page.outlinks.urls.length, 0);
const targets = new Set(full.flatMap((page) => page.outlinks.urls)).size;
const values = full.reduce(
  (sum, page) =>
    sum +
    Object.values(page.extracted)
      .flat()
      .filter((value) => value !== null).length,
  0,
);
console.log(
  `${full.length} pages of a ${SITE_PAGES}-page site: ${(links / full.length).toFixed(1)} links a page, ` +
    `${targets} distinct targets, ${(values / full.length).toFixed(1)} extraction values a page; ` +
    `median of ${RUNS} runs, Node ${process.version}`,
);
for (const batch of BATCHES) {
  console.log(`\nbatch of ${batch} pages per transaction: CPU ms per page`);
  let previous = 0;
  for (const [name, variant] of Object.entries(VARIANTS)) {
    const pages = full.map(variant);
    const runs = Array.from({ length: RUNS }, () => writeAll(pages, batch));
    const cpuMs = median(runs.map((run) => run.cpuMs));
    const mb = median(runs.map((run) => run.bytes)) / 2 ** 20;
    console.log(
      `  ${name.padEnd(18)} ${cpuMs.toFixed(3)} ms (part ${(cpuMs - previous).toFixed(3)})  ` +
        `db ${mb.toFixed(1)} MB  runs ${runs.map((run) => run.cpuMs.toFixed(3)).join(', ')}`,
    );
    previous = cpuMs;
  }
}
